"""Export speed for the finance review (issue 20): the workbook with live formulas and the
deck of the sample plan, as the Finance review page makes them (the plan, the bridge
against the sample base plan and the tornado already computed on the page).

Target: workbook + deck <= 3 s. Printed per export: median wall and CPU time (the machine
is shared: CPU time is the steadier figure) over ``--repeat`` runs after a warm-up.

    python benchmarks/bench_export.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time

from planner import sample, sensitivity
from planner.export.deck import deck_bytes
from planner.export.workbook import workbook_bytes
from planner.plan import Runner

TARGET_SECONDS = 3.0


def timed(build, repeat: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``build()`` over ``repeat`` runs after one warm-up."""
    walls, cpus = [], []
    for i in range(repeat + 1):
        wall, cpu = time.perf_counter(), time.process_time()
        build()
        if i:
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    scenario, _, history, organisation = sample.load_shipped()
    today = dt.date(2026, 11, 23)
    changed = scenario.model_copy(
        update={"costs": scenario.costs.model_copy(update={"loaded_cost_factor": 1.4})}
    )
    runner = Runner()
    result = runner.plan(changed, history, organisation=organisation, today=today)
    run = runner.plans(history, result.forecast, organisation=organisation, today=today)
    steps = sensitivity.bridge(scenario, changed, run)
    tornado = sensitivity.tornado(changed, run, 0.10)

    def workbook() -> None:
        workbook_bytes(result, organisation.roster)

    def deck() -> None:
        deck_bytes(result, history, bridge=steps, base=scenario, tornado=tornado)

    figures = {"workbook": timed(workbook, args.repeat), "deck": timed(deck, args.repeat)}
    for name, (wall, cpu) in figures.items():
        print(f"{name}: median {wall:.2f} s wall, {cpu:.2f} s CPU")
    wall = sum(w for w, _ in figures.values())
    cpu = sum(c for _, c in figures.values())
    verdict = "meets" if wall <= TARGET_SECONDS else "MISSES"
    print(f"workbook + deck: {wall:.2f} s wall, {cpu:.2f} s CPU; target <= {TARGET_SECONDS:.0f} "
          f"s: {verdict}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
