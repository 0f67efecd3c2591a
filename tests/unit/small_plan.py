"""A small plan for the tests of what plans are compared by (two channels, 90 days of
flat demand, 45 agents to start) and the flat intraday history it is staffed on."""

import datetime as dt

import pandas as pd

from planner.plan import Plans, Runner
from planner.scenario import Scenario
from planner.volume import VolumeHistory

START = dt.date(2027, 1, 1)


def flat_history(channels=("phone", "chat", "email")) -> VolumeHistory:
    """Every weekday and quarter-hour equally busy: each half-hour holds 1/48 of a day."""
    profile = pd.DataFrame(
        [
            (c, d, h, m, 10)
            for c in channels
            for d in range(7)
            for h in range(24)
            for m in (0, 15, 30, 45)
        ],
        columns=["channel", "weekday", "hour", "minute", "tickets"],
    )
    profile["share"] = 1 / (7 * 96)
    counts = pd.DataFrame(
        {"period": pd.Timestamp("2026-01-01"), "channel": list(channels), "queue": "", "tickets": 1}
    )
    return VolumeHistory("D", "UTC", counts, pd.DataFrame(), profile)


def demand_frame(phone=2_000.0, email=600.0) -> pd.DataFrame:
    period = pd.date_range(START, periods=90, freq="D")
    return pd.concat(
        [
            pd.DataFrame({"series": name, "period": period, "mean": value,
                          "lower": value * 0.8, "upper": value * 1.2})
            for name, value in (("phone", phone), ("email", email))
        ],
        ignore_index=True,
    )  # fmt: skip


def scenario(**changes) -> Scenario:
    data = {
        "name": "Base",
        "start_month": START,
        "horizon_months": 3,
        "service": {
            "channels": {
                "phone": {"model": "erlang", "aht_seconds": 300, "service_level": 0.8,
                          "answer_seconds": 20},
                "email": {"model": "deferred", "aht_seconds": 480, "response_hours": 24},
            }
        },
        "workforce": {"starting_fte": 45, "annual_attrition": 0.3},
        "costs": {"agent_base_pay": 50_000, "new_hire_base_pay": 45_000},
    }  # fmt: skip
    for section, values in changes.items():
        data[section] = data.get(section, {}) | values if isinstance(values, dict) else values
    return Scenario.parse(data)


def plans() -> Plans:
    """Plans on the small demand, from a runner of their own."""
    return Runner().plans(
        flat_history(("phone", "email")), demand_frame(), today=dt.date(2026, 12, 1)
    )
