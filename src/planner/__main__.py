"""Command line for scheduled runs.

``python -m planner sample --out sample_data`` writes the sample data;
``python -m planner forecast TICKETS_FILE --horizon 90 --freq D --out forecast.csv`` reads a
ticket export and writes a forecast per channel (or queue) with its interval, after the
demand adjustments of a scenario when one is given;
``python -m planner aggregate TICKETS_FILE --out history.parquet`` reads a ticket export
and writes its aggregated history (counts, handle times, the intraday profile and the
report), which the app's Ticket history page and ``volume.read_history`` take instead of
the export: a nightly job can feed the app without moving raw tickets;
``python -m planner export SCENARIO --xlsx plan.xlsx --pptx plan.pptx --csv tables.zip``
plans a saved scenario (its name in the store of ``DATABASE_URL`` / ``PLANNER_DB``) or a
scenario JSON file, and writes what finance takes away.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from planner.errors import PlannerError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="planner", description="Support Planner tools")
    commands = parser.add_subparsers(dest="command", required=True)
    sample = commands.add_parser("sample", help="write the deterministic sample data")
    sample.add_argument("--out", type=Path, default=Path("sample_data"))
    sample.add_argument("--seed", type=int, default=None)
    fc = commands.add_parser("forecast", help="forecast contact volume from a ticket export")
    fc.add_argument("tickets", type=Path, help="CSV, XLSX or Parquet export, one row a ticket")
    fc.add_argument("--horizon", type=int, default=90, help="periods ahead (default 90)")
    fc.add_argument("--freq", choices=["D", "W", "M"], default=None, help="days, weeks, months")
    fc.add_argument("--by", choices=["channel", "queue"], default="channel")
    fc.add_argument("--out", type=Path, default=Path("forecast.csv"))
    fc.add_argument(
        "--scenario", type=Path, default=None, help="scenario JSON (settings, what-ifs)"
    )
    fc.add_argument("--time-zone", default=None, help="zone of times without offset")
    ag = commands.add_parser("aggregate", help="write a ticket export's aggregated history")
    ag.add_argument("tickets", type=Path, help="CSV, XLSX or Parquet export, one row a ticket")
    ag.add_argument("--out", type=Path, default=Path("history.parquet"))
    ag.add_argument("--freq", choices=["15min", "30min", "60min", "D"], default="D",
                    help="periods of the counts (default D, what the app plans from)")  # fmt: skip
    ag.add_argument("--time-zone", default="UTC", help="the plan's zone, and of times without "
                    "offset (default UTC)")  # fmt: skip
    ex = commands.add_parser("export", help="write a scenario's workbook, deck and tables")
    ex.add_argument("scenario", help="a saved scenario's name, or a scenario JSON file")
    ex.add_argument("--version", type=int, default=None, help="saved version (default latest)")
    ex.add_argument("--base", default=None, help="saved name or JSON to bridge against")
    ex.add_argument("--xlsx", type=Path, default=None, help="Excel workbook to write")
    ex.add_argument("--pptx", type=Path, default=None, help="PowerPoint deck to write")
    ex.add_argument("--csv", type=Path, default=None, help="zip of every table as CSV")
    ex.add_argument(
        "--sensitivity", action="store_true",
        help="add the tornado slide to the deck (the plan rebuilt with each key assumption "
        "10%% lower and higher: slower)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    try:
        if args.command == "export":
            return _export(args)
        if args.command == "aggregate":
            return _aggregate(args)
        if args.command == "sample":
            from planner.sample import SEED, write_sample

            for path in write_sample(args.out, args.seed if args.seed is not None else SEED):
                print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
        else:
            return _forecast(args)
    except PlannerError as exc:
        print(f"error: {' '.join(str(exc).split())}", file=sys.stderr)  # one line, for logs
        return 2
    return 0


def _progress(fraction: float, message: str) -> None:
    if sys.stderr.isatty():  # a terminal sees progress; a scheduled run's log does not
        print(f"\r{fraction:4.0%} {message[:70]:<70}", end="", file=sys.stderr, flush=True)


def _aggregate(args: argparse.Namespace) -> int:
    from planner.ingest import read_tickets
    from planner.volume import aggregate, write_history

    result = read_tickets(args.tickets, source_time_zone=args.time_zone, progress=_progress)
    try:
        for problem in result.report.errors:
            print(f"\nerror: {problem.message} Fix: {problem.fix}", file=sys.stderr)
        if not result.report.ok:
            return 2
        history = aggregate(result, args.freq, args.time_zone)
    finally:
        result.close()
    write_history(history, result.report, args.out)
    _progress(1.0, "Done\n")
    print(f"wrote {args.out}: {history.total_tickets:,} tickets in {len(history.counts):,} "
          f"counts per {args.freq} period, channel and queue")  # fmt: skip
    return 0


def _forecast(args: argparse.Namespace) -> int:
    from planner import demand
    from planner.export.tables import safe_csv
    from planner.forecast import forecast_with
    from planner.ingest import read_tickets
    from planner.scenario import Scenario
    from planner.volume import aggregate

    if args.scenario is not None:
        try:
            scenario = Scenario.from_json(args.scenario.read_text(encoding="utf-8"))
        except OSError as exc:
            raise PlannerError(
                f"Cannot read the scenario {args.scenario}: {exc.strerror}."
            ) from None
    else:
        scenario = Scenario()
    if args.time_zone:
        scenario = Scenario.parse(scenario.model_dump() | {"time_zone": args.time_zone})
    settings = scenario.forecast
    if args.freq:
        settings = settings.model_copy(update={"frequency": args.freq})
    if args.horizon < 1:
        raise PlannerError("--horizon must be at least 1 period.")

    progress = _progress
    result = read_tickets(args.tickets, source_time_zone=scenario.time_zone, progress=progress)
    for problem in result.report.errors:
        print(f"\nerror: {problem.message} Fix: {problem.fix}", file=sys.stderr)
    if not result.report.ok:
        return 2
    history = aggregate(result, "D", scenario.time_zone)
    forecasts = forecast_with(history, args.horizon, settings, by=args.by, progress=progress)
    adjusted = demand.apply(forecasts, scenario.demand)
    progress(1.0, "Done\n")
    Path(args.out).write_text(safe_csv(adjusted.frame, date_format="%Y-%m-%d"))
    for _, row in forecasts.accuracy().iterrows():
        print(f"{row['series']}: {row['label']} (MASE {row['mase']:.2f}, WAPE {row['wape']:.1%})")
    for note in adjusted.notes:
        print(f"note: {note}", file=sys.stderr)
    print(adjusted.takeaway(level=settings.interval_level))
    print(f"wrote {args.out}")
    return 0


def _export(args: argparse.Namespace) -> int:
    import datetime as dt
    import os
    import tempfile

    from planner import org, review, sensitivity
    from planner.export.deck import deck_bytes
    from planner.export.tables import csv_bundle, plan_tables
    from planner.export.workbook import workbook_bytes
    from planner.ingest import read_tickets
    from planner.plan import Runner
    from planner.sample import SAMPLE_DIR
    from planner.volume import aggregate

    if not (args.xlsx or args.pptx or args.csv):
        raise PlannerError("Say what to write: --xlsx FILE, --pptx FILE and/or --csv FILE.")
    _check_arguments(args)
    scenario, history, organisation, version = _scenario_to_export(args.scenario, args.version)
    if history is None:
        tickets = read_tickets(SAMPLE_DIR / "tickets_zendesk.csv.gz",
                               source_time_zone=scenario.time_zone)  # fmt: skip
        history = aggregate(tickets, "D", scenario.time_zone)
    if organisation is None:
        organisation = org.load(SAMPLE_DIR / "org_roster.csv", SAMPLE_DIR / "career_ladder.csv")
    today = dt.date.today()
    runner = Runner()
    result = runner.plan(scenario, history, organisation=organisation, today=today)
    base, base_name, steps = None, "the base plan", None
    run = runner.plans(history, result.forecast, organisation=organisation, today=today)
    if args.base:
        base = _scenario_to_export(args.base, None)[0]
        base_name = base.name
        if not base.same_settings(scenario):
            steps = sensitivity.bridge(base, scenario, run)
    register = review.register(scenario, base)
    outputs = {
        args.xlsx: lambda: workbook_bytes(result, organisation.roster),
        args.pptx: lambda: deck_bytes(result, history, bridge=steps, base=base,
                                      base_name=base_name, version=version,
                                      tornado=sensitivity.tornado(scenario, run, 0.10)
                                      if args.sensitivity else None),
        args.csv: lambda: csv_bundle(plan_tables(result, register)),
    }  # fmt: skip
    for path, build in outputs.items():
        if path is None:
            continue
        data = build()
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(handle, "wb") as file:  # written whole, then moved into place
                file.write(data)
            Path(temporary).replace(path)
        except OSError as exc:
            raise PlannerError(f"Cannot write {path}: {exc.strerror}.") from None
        finally:
            Path(temporary).unlink(missing_ok=True)
        print(f"wrote {path} ({len(data) / 1e3:,.0f} kB)")
    print(result.budget.takeaway())
    return 0


MAX_VERSION = 1_000_000_000


def _check_arguments(args: argparse.Namespace) -> None:
    """Every bad output path and version at once, before any work: one error line."""
    import os

    problems = []
    if args.version is not None and not 1 <= args.version <= MAX_VERSION:
        problems.append(f"--version {args.version} is not a version number (1, 2, 3 ...)")
    for flag, path in (("--xlsx", args.xlsx), ("--pptx", args.pptx), ("--csv", args.csv)):
        if path is None:
            continue
        if path.is_dir():
            problems.append(f"{flag} {path} is a folder: give a file name in it")
        elif not path.parent.is_dir():
            problems.append(f"{flag} {path}: the folder {path.parent} does not exist")
        elif not os.access(path.parent, os.W_OK):
            problems.append(f"{flag} {path}: the folder {path.parent} cannot be written to")
    if problems:
        raise PlannerError("; ".join(problems) + ".")


def _scenario_to_export(what: str, version: int | None):
    """(scenario, history or None, organisation or None, version label) from a JSON file
    or a saved scenario's name."""
    from planner import store
    from planner.scenario import Scenario

    path = Path(what)
    if path.suffix.lower() == ".json" and path.exists():
        try:
            return Scenario.from_json(path.read_text(encoding="utf-8")), None, None, path.name
        except OSError as exc:
            raise PlannerError(f"Cannot read the scenario {path}: {exc.strerror}.") from None
    stored = store.connect().load(what, version)
    return stored.scenario, stored.history, stored.organisation, f"version {stored.version}"


if __name__ == "__main__":
    sys.exit(main())
