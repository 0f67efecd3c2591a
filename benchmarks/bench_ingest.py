"""Ingest speed and memory: 1M- and 10M-row Zendesk-style CSV exports, and 100M rows
streamed from a Parquet file when asked (``--huge``).

Targets (issue 22), for the full ingest (read, check, normalise, aggregate daily by channel)
against DuckDB alone on the same file in the same run (read_csv and a daily count by
channel, no checks): at most 1.5x DuckDB's time at 1M and 10M rows; peak memory at most
600 MB at 10M and 100M rows. Every run is a fresh process, so its peak resident memory
(ru_maxrss: Python and the libraries included) and its CPU time (all threads) are its own.
Shared machines vary by a third from minute to minute, so each figure is the median of
``--repeat`` runs, the peer's runs interleaved with ours.

    python benchmarks/bench_ingest.py [--rows 1000000 10000000] [--repeat 3] [--huge]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

RATIO_TARGET = 1.5  # x DuckDB alone's time on the same file
MEMORY_TARGET_MB = {10_000_000: 600, 100_000_000: 600}
HUGE_ROWS = 100_000_000


def write_export(rows: int, path: Path) -> None:
    """A Zendesk layout with personal columns, four channels, three queues, 3 years: CSV, or
    Parquet when ``path`` ends in .parquet (generated in DuckDB, streamed to the file)."""
    form = "(FORMAT parquet)" if path.suffix == ".parquet" else "(HEADER)"
    duckdb.sql(
        f"""COPY (SELECT
            100000 + i AS "Id",
            ['Ana Silva', 'Ben Okafor', 'Chen Ito'][1 + i % 3] AS "Requester",
            ['Tier 1', 'Tier 2', 'Billing'][1 + (i * 7) % 3] AS "Group",
            'Cannot log in to the dashboard' AS "Subject",
            CASE WHEN i % 200 = 0 THEN 'closed_by_merge' ELSE '' END AS "Tags",
            'Solved' AS "Status",
            ['Low', 'Normal', 'High', 'Urgent'][1 + i % 4] AS "Priority",
            ['Mail', 'Chat', 'Voice', 'Web form'][1 + (i * 13) % 4] AS "Via",
            strftime(TIMESTAMP '2023-11-01' + to_seconds((i * 94608000 // {rows})::BIGINT),
                     '%Y-%m-%d %H:%M:%S') AS "Created at",
            strftime(TIMESTAMP '2023-11-01' + to_seconds((i * 94608000 // {rows} + 5400)::BIGINT),
                     '%Y-%m-%d %H:%M:%S') AS "Solved at",
            (i * 13) % 300 AS "First reply time in minutes",
            ['Good', 'Bad', 'Offered', 'Unoffered'][1 + i % 4] AS "Satisfaction Score",
            120 + (i * 17) % 1200 AS "Total time spent (sec)"
        FROM range({rows}) t(i)) TO '{path}' {form}"""
    )


def measure(path: str) -> None:
    """Child process: one full ingest, then print its figures as JSON."""
    import datetime as dt

    from planner.ingest import read_tickets
    from planner.volume import aggregate

    start = time.perf_counter(), time.process_time()
    result = read_tickets(
        path, source_time_zone="America/New_York", now=dt.datetime(2026, 11, 22, tzinfo=dt.UTC)
    )
    history = aggregate(result, "D", "America/New_York")
    daily = history.by_channel()
    _report(start, tickets=result.report.tickets, days=len(daily))


def measure_reference(path: str) -> None:
    """Child process: DuckDB alone on the same file, the issue's point of comparison."""
    start = time.perf_counter(), time.process_time()
    reader = "read_parquet" if path.endswith(".parquet") else "read_csv"
    rows = duckdb.sql(
        f"""SELECT date_trunc('day', "Created at"::TIMESTAMP) AS day, "Via", count(*)
        FROM {reader}('{path}') GROUP BY ALL"""
    ).fetchall()
    _report(start, tickets=None, days=len({r[0] for r in rows}))


def _report(start: tuple[float, float], **figures) -> None:
    """Print wall and CPU time (every thread's) since ``start`` (after the imports) and the
    process's peak memory, as JSON."""
    seconds, cpu = time.perf_counter() - start[0], time.process_time() - start[1]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "cpu": cpu, "peak_mb": peak_mb, **figures}))


def run_child(flag: str, path: Path) -> dict:
    command = [sys.executable, __file__, flag, str(path)]
    out = subprocess.run(command, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"{flag} {path.name} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--huge", action="store_true", help="also 100M rows from Parquet")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--reference", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        measure(args.child)
        return
    if args.reference:
        measure_reference(args.reference)
        return
    cases = [(rows, ".csv", args.repeat) for rows in args.rows]
    if args.huge:
        cases.append((HUGE_ROWS, ".parquet", 1))
    with tempfile.TemporaryDirectory(prefix="bench-ingest-") as folder:
        for rows, suffix, repeat in cases:
            path = Path(folder) / f"zendesk_{rows}{suffix}"
            started = time.perf_counter()
            write_export(rows, path)
            made = time.perf_counter() - started
            size_mb = path.stat().st_size / 1e6
            runs, references = [], []
            for _ in range(repeat):
                references.append(run_child("--reference", path))
                runs.append(run_child("--child", path))
            ours = {k: statistics.median(r[k] for r in runs) for k in ("seconds", "cpu")}
            peer = {k: statistics.median(r[k] for r in references) for k in ("seconds", "cpu")}
            peak_mb = max(r["peak_mb"] for r in runs)
            ratio = ours["cpu"] / peer["cpu"]
            memory_target = MEMORY_TARGET_MB.get(rows)
            missed = [f"{ratio:.1f}x > {RATIO_TARGET}x"] if ratio > RATIO_TARGET else []
            if memory_target and peak_mb > memory_target:
                missed.append(f"{peak_mb:,.0f} MB > {memory_target} MB")
            verdict = "meets targets" if not missed else "misses: " + ", ".join(missed)
            print(
                f"{rows:>11,} rows ({size_mb:,.0f} MB {suffix[1:]}, made in {made:.1f} s): "
                f"ingest + daily aggregate {ours['seconds']:.2f} s wall, {ours['cpu']:.2f} s CPU "
                f"(median of {len(runs)}), peak {peak_mb:,.0f} MB, "
                f"{runs[0]['tickets']:,} tickets kept over {runs[0]['days']:,} days\n"
                f"{'':>11} DuckDB alone on the same file: {peer['seconds']:.2f} s wall, "
                f"{peer['cpu']:.2f} s CPU (peak {max(r['peak_mb'] for r in references):,.0f} MB)"
                f"; ingest takes {ratio:.1f}x its CPU, {ours['seconds'] / peer['seconds']:.1f}x "
                f"its wall time -> {verdict}"
            )
            path.unlink()


if __name__ == "__main__":
    main()
