"""Tiers and sites: a plan of 4 channels x 3 tiers (Tier 1 and two above it) x 4 sites
rebuilt after one change (issue 23: <= 50 ms CPU).

The shipped sample with Tier 2 (15% of phone and chat, 4 hours later) and Tier 3 (20% of
Tier 2), and four sites round the world: Austin and Lisbon in-house, Manila a vendor
priced per contact with a minimum, Sydney in-house on weekdays. The forecast is made
once; each change is a value not seen before, built through one ``Runner`` as the app
builds plans (low, expected and high demand). Printed beside them, the peer: the same
change on the sample without tiers and sites.

    python benchmarks/bench_tiers_sites.py [--repeat 8]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time

from planner import plan, sample
from planner.forecast import forecast_with
from planner.plan import Runner, horizon_for
from planner.scenario import Scenario

TARGET_MS = 50
HOW = ("loaded-cost factor", "in-house pay an hour", "site weight", "escalation share",
       "service level")  # fmt: skip
EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]
TIERS = [
    {"name": "Tier 2", "escalates_from": ["phone", "chat"], "share": 0.15, "delay_hours": 4},
    {"name": "Tier 3", "escalates_from": ["Tier 2"], "share": 0.2, "aht_seconds": 5_400,
     "response_hours": 40},
]  # fmt: skip
SITES = [
    {"name": "Austin", "time_zone": "America/Chicago", "cost_per_hour": 24.0,
     "hours": {"open_hour": 7, "close_hour": 19, "weekdays": EVERY_DAY}},
    {"name": "Lisbon", "time_zone": "Europe/Lisbon", "hours": {"open_hour": 8, "close_hour": 18}},
    {"name": "Manila", "time_zone": "Asia/Manila", "vendor": True, "currency": "PHP",
     "exchange_rate": 0.018, "price_per_contact": 160.0, "minimum_per_month": 400_000.0,
     "serves": ["chat", "email", "web_form"],
     "hours": {"open_hour": 8, "close_hour": 20, "weekdays": EVERY_DAY}},
    {"name": "Sydney", "time_zone": "Australia/Sydney", "share": 0.5,
     "hours": {"open_hour": 9, "close_hour": 17}},
]  # fmt: skip


def changed(scenario: Scenario, how: str, i: int) -> Scenario:
    data = scenario.model_dump(mode="json")
    if how == "loaded-cost factor":
        data["costs"]["loaded_cost_factor"] = 1.30 + i / 1_000
    elif how == "site weight":
        for site in data["service"]["sites"]:
            if site["name"] == "Manila":
                site["share"] = 1.0 + i / 100
    elif how == "in-house pay an hour":
        data["service"]["sites"][0]["cost_per_hour"] = 24.0 + i / 10
    elif how == "escalation share":
        data["service"]["tiers"][0]["share"] = 0.15 + i / 1_000
    else:  # the phone's service level
        data["service"]["channels"]["phone"]["service_level"] = 0.81 + i / 200
    return Scenario.parse(data)


def timed(plans, scenarios: list[Scenario]) -> tuple[float, float]:
    """Median wall and CPU milliseconds of a build of each scenario after the first."""
    walls, cpus = [], []
    for i, scenario in enumerate(scenarios):
        start, cpu = time.perf_counter(), time.process_time()
        plans.build(scenario, bounds=plan.BOUNDS)
        if i:
            walls.append((time.perf_counter() - start) * 1000)
            cpus.append((time.process_time() - cpu) * 1000)
    return statistics.median(walls), statistics.median(cpus)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=8)
    args = parser.parse_args()
    base, _, history, organisation = sample.load_shipped()
    data = base.model_dump(mode="json")
    data["service"]["tiers"], data["service"]["sites"] = TIERS, SITES
    world = Scenario.parse(data)
    forecast = forecast_with(history, horizon_for(base, history), base.forecast)
    today = dt.date(2026, 11, 23)
    for how in HOW:
        figures = {}
        for label, scenario in (("peer", base), ("4 x 3 x 4", world)):
            if (
                how in ("site weight", "in-house pay an hour", "escalation share")
                and label == "peer"
            ):
                continue
            plans = Runner().plans(history, forecast, organisation=organisation, today=today)
            plans.build(scenario, bounds=plan.BOUNDS)
            moved = [changed(scenario, how, i) for i in range(args.repeat + 1)]
            figures[label] = timed(plans, moved)
        wall, cpu = figures["4 x 3 x 4"]
        verdict = "meets" if cpu <= TARGET_MS else "MISSES"
        peer = ""
        if "peer" in figures:
            peer_cpu = figures["peer"][1]
            peer = f"; peer (no tiers, no sites) {peer_cpu:.0f} ms CPU, ratio {cpu / peer_cpu:.1f}x"
        print(
            f"after a change of the {how}: median {wall:.0f} ms wall, {cpu:.0f} ms CPU{peer}; "
            f"target <= {TARGET_MS} ms CPU: {verdict}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
