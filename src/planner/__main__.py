"""Command line for scheduled runs.

``python -m planner sample --out sample_data`` writes the sample data;
``python -m planner forecast TICKETS_FILE --horizon 90 --freq D --out forecast.csv`` reads a
ticket export and writes a forecast per channel (or queue) with its interval, after the
demand adjustments of a scenario when one is given.
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
    args = parser.parse_args(argv)
    try:
        if args.command == "sample":
            from planner.sample import SEED, write_sample

            for path in write_sample(args.out, args.seed if args.seed is not None else SEED):
                print(f"wrote {path} ({path.stat().st_size / 1e6:.1f} MB)")
        else:
            return _forecast(args)
    except PlannerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def _forecast(args: argparse.Namespace) -> int:
    from planner import demand
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

    def progress(fraction: float, message: str) -> None:
        if sys.stderr.isatty():  # a terminal sees progress; a scheduled run's log does not
            print(f"\r{fraction:4.0%} {message[:70]:<70}", end="", file=sys.stderr, flush=True)

    result = read_tickets(args.tickets, source_time_zone=scenario.time_zone, progress=progress)
    for problem in result.report.errors:
        print(f"\nerror: {problem.message} Fix: {problem.fix}", file=sys.stderr)
    if not result.report.ok:
        return 2
    history = aggregate(result, "D", scenario.time_zone)
    forecasts = forecast_with(history, args.horizon, settings, by=args.by, progress=progress)
    adjusted = demand.apply(forecasts, scenario.demand)
    progress(1.0, "Done\n")
    adjusted.frame.to_csv(args.out, index=False, date_format="%Y-%m-%d")
    for _, row in forecasts.accuracy().iterrows():
        print(f"{row['series']}: {row['label']} (MASE {row['mase']:.2f}, WAPE {row['wape']:.1%})")
    for note in adjusted.notes:
        print(f"note: {note}", file=sys.stderr)
    print(adjusted.takeaway(level=settings.interval_level))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
