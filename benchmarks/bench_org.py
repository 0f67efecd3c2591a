"""Org speed: validate and draw a 2,000-person organisation, and a 36-month ladder projection.

Targets: validate and draw (the DOT text the browser renders) a 2,000-person org <= 200 ms
CPU (issue 21; issue 6 asked 1 s); a 36-month ladder projection <= 50 ms. Each figure is
the median of ``--repeat`` runs on ``planner.sample.make_large_org`` and the sample ladder.

    python benchmarks/bench_org.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd
from bench_plan import report, timed

from planner import org
from planner.sample import make_large_org
from planner.scenario import OrgSettings

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    people = org.normalise_people(make_large_org(2000))
    ladder = org.read_ladder(SAMPLE / "career_ladder.csv")
    rules = OrgSettings()

    def validate_and_draw() -> None:
        org.validate(people, ladder, rules)
        org.chart.chart_dot(people, rules, collapse=())

    report(f"validate + draw, {len(people):,} people",
           timed(lambda _: validate_and_draw(), args.repeat), 200)  # fmt: skip
    months = pd.date_range("2027-01-01", periods=36, freq="MS")
    report(
        "ladder projection, 36 months",
        timed(lambda _: org.project_ladder(ladder, people, months, 0.3), args.repeat),
        50,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
