"""Staffing speed: agents for a year of half-hour intervals.

Target (issue 4): ``agents_for_target`` for a year of half-hour intervals (17,520, loads
5-300 Erlangs) <= 10 ms; a scalar pure-Python solver takes about a second. Both are timed
on the same intervals (the scalar one once) and must agree. Each vector figure is the
median of ``--repeat`` runs. Erlang A (with a patience) on the same year is printed for
information: it has no target yet.

    python benchmarks/bench_staffing.py [--repeat 15]
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time

import numpy as np

from planner.queueing import agents_for_target

INTERVAL, AHT = 1800, 300


def scalar_agents(calls: float) -> int:
    """The straightforward solver: add agents one by one (Erlang B recursion), 80/20."""
    load = calls * AHT / INTERVAL
    if load == 0:
        return 0
    blocked, agents = 1.0, 0
    while True:
        agents += 1
        blocked = load * blocked / (agents + load * blocked)
        if agents > load:
            wait = agents * blocked / (agents - load * (1 - blocked))
            if 1 - wait * math.exp(-(agents - load) * 20 / AHT) >= 0.8:
                return agents


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    loads = np.random.default_rng(1).uniform(5, 300, 17_520)
    calls = loads * INTERVAL / AHT
    agents_for_target(calls, AHT, INTERVAL, service_level=0.8, answer_seconds=20)
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        vector = agents_for_target(calls, AHT, INTERVAL, service_level=0.8, answer_seconds=20)
        times.append((time.perf_counter() - start) * 1000)
    start = time.perf_counter()
    scalar = [scalar_agents(c) for c in calls]
    scalar_ms = (time.perf_counter() - start) * 1000
    median = statistics.median(times)
    print(
        f"agents_for_target, 17,520 half-hours at 5-300 Erlangs (80/20): median {median:.1f} ms "
        f"(range {min(times):.1f}-{max(times):.1f}); target <= 10 ms: "
        f"{'meets' if median <= 10 else 'MISSES'}"
    )
    print(f"scalar pure-Python solver, same intervals: {scalar_ms:,.0f} ms")
    if vector.tolist() != scalar:
        print("the two solvers disagree", file=sys.stderr)
        return 1
    print(f"both give the same agents for every interval ({int(vector.sum()):,} agent-intervals)")
    start = time.perf_counter()
    patient = agents_for_target(
        calls, AHT, INTERVAL, service_level=0.8, answer_seconds=20, patience_seconds=120
    )
    print(
        f"Erlang A (patience 120 s), same intervals: {time.perf_counter() - start:.1f} s, "
        f"{int(vector.sum() - patient.sum()):,} agent-intervals fewer than Erlang C (no target)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
