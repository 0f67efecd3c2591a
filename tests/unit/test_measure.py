"""Scenario.from_history on hand-made histories whose handle times and hours are known, the
warnings a short, tiny or stale history earns, and where every input says it came from."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner import forecast, history_check, measure, review
from planner.errors import PlannerError
from planner.sample import SAMPLE_DIR
from planner.scenario import ForecastSettings, HoursOfOperation, Scenario, Source, mark_typed
from planner.volume import aggregate

MONDAY = pd.Timestamp("2024-03-04")


def tickets(rows: list[tuple[str, str, float | None]]) -> pd.DataFrame:
    """(local time, channel, handle minutes) -> a tickets frame in UTC."""
    return pd.DataFrame(
        {
            "ticket_id": [str(i) for i in range(len(rows))],
            "created_at": pd.to_datetime([r[0] for r in rows]).tz_localize("UTC"),
            "channel": [r[1] for r in rows],
            "queue": "all",
            "csat": None,
            "handle_minutes": [r[2] for r in rows],
            "first_reply_minutes": None,
        }
    )


def hand_made() -> pd.DataFrame:
    """Four weeks, Monday to Friday only. Phone: 5 calls a day at 09:10, 11:20, 13:00,
    14:30 and 16:50 (100 calls): 95 of 6 minutes and 5 of 10, plus a call of 0 minutes and
    one of 600 (a timer left running): both impossible. Email: 35 tickets of 12 minutes.
    Chat: 10 tickets, too few for a handle time."""
    days = [MONDAY + pd.Timedelta(days=d) for d in range(28)]
    days = [d for d in days if d.day_of_week < 5]
    times = ["09:10", "11:20", "13:00", "14:30", "16:50"]
    handle = [6.0] * 95 + [10.0] * 5
    calls = [(d, t) for d in days for t in times]
    rows = [(f"{d:%Y-%m-%d} {t}", "phone", handle[i]) for i, (d, t) in enumerate(calls)]
    rows += [(f"{days[0]:%Y-%m-%d} 10:00", "phone", 0.0)]
    rows += [(f"{days[1]:%Y-%m-%d} 10:00", "phone", 600.0)]
    rows += [(f"{days[i % 20]:%Y-%m-%d} 13:00", "email", 12.0) for i in range(35)]
    rows += [(f"{days[i]:%Y-%m-%d} 15:00", "chat", 8.0) for i in range(10)]
    return tickets(rows)


@pytest.fixture(scope="module")
def history():
    return aggregate(hand_made(), "D", "UTC")


def test_measured_handle_times_are_the_mean_of_the_possible_values(history):
    planned = Scenario.from_history(history)
    phone = planned.service.channels["phone"]
    # (95 x 6 + 5 x 10) / 100 = 6.2 minutes = 372 s; the 0 and the 600 are left out.
    assert phone.aht_seconds == 372
    assert planned.service.channels["email"].aht_seconds == 720  # 12 minutes
    assert (
        planned.service.channels["chat"].aht_seconds
        == Scenario().service.channels["chat"].aht_seconds
    )
    source = planned.source_of("service.channels.phone.aht_seconds")
    assert source.kind == "measured" and "from 100 tickets" in source.detail
    assert "median 6.0 min" in source.detail


def test_the_table_says_what_was_measured_left_out_and_why_not(history):
    table = measure.measure(history, Scenario()).table().set_index("what")
    phone = table.loc["Handle time, phone"]
    assert phone["measured"].startswith("372 s = 6.2 min (mean; median 6.0 min; 98% of tickets")
    assert phone["default"] == "420 s" and phone["tickets"] == 100
    assert "2 impossible values left out" in phone["note"]
    chat = table.loc["Handle time, chat"]
    assert chat["measured"] == "not measured" and "only 10 tickets" in chat["note"]
    assert table.loc["Channels and their mix", "measured"] == "phone 69%, email 24%, chat 7%"
    assert "not planned: web_form" in table.loc["Channels and their mix", "note"]


def test_open_days_and_hours_of_a_live_channel_come_from_its_arrivals(history):
    planned = Scenario.from_history(history)
    assert planned.service.channels["phone"].hours == HoursOfOperation(
        open_hour=9, close_hour=17, weekdays=[0, 1, 2, 3, 4]
    )
    # Deferred work keeps its business hours whatever the arrivals.
    assert planned.service.channels["email"].hours == HoursOfOperation()


def test_a_channel_missing_from_the_history_is_dropped_and_a_new_one_gets_a_model():
    frame = tickets([(f"2024-03-0{d} 10:00", "social", 5.0) for d in range(4, 9)])
    planned = Scenario.from_history(aggregate(frame, "D", "UTC"))
    assert list(planned.service.channels) == ["social"]
    assert planned.service.channels["social"].model == "deferred"


def test_typed_values_and_kept_defaults_are_not_replaced(history):
    base = Scenario()
    typed = base.model_copy(deep=True)
    typed.service.channels["phone"].aht_seconds = 500
    typed = mark_typed(base, typed)
    assert typed.source_of("service.channels.phone.aht_seconds").kind == "typed"
    assert Scenario.from_history(history, typed).service.channels["phone"].aht_seconds == 500
    kept = measure.apply(
        base, measure.measure(history, base), {"service.channels.phone.aht_seconds"}
    )
    assert kept.service.channels["phone"].aht_seconds == 420
    assert kept.source_of("service.channels.phone.aht_seconds").kind == "default"


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(0, 23), min_size=1, max_size=60),
    st.lists(st.integers(0, 6), min_size=1, max_size=60),
)
def test_measured_hours_always_hold_what_they_promise(hours, weekdays):
    n = min(len(hours), len(weekdays))
    profile = (
        pd.DataFrame({"weekday": weekdays[:n], "hour": hours[:n], "tickets": np.ones(n, dtype=int)})
        .groupby(["weekday", "hour"], as_index=False)["tickets"]
        .sum()
    )
    days, opens, closes, outside = measure.open_days_and_hours(profile)
    assert 0 <= opens < closes <= 24 and days
    inside = profile[profile["weekday"].isin(days) & profile["hour"].between(opens, closes - 1)]
    assert inside["tickets"].sum() / n == pytest.approx(1 - outside)
    assert outside <= 1 - measure.HOURS_COVERAGE * (1 - measure.CLOSED_DAY_SHARE * 7) + 1e-9


def days_of(first: str, count: int, per_day: int = 3) -> pd.DataFrame:
    start = pd.Timestamp(first)
    rows = [
        (f"{start + pd.Timedelta(days=d):%Y-%m-%d} {9 + k}:00", "email", 5.0)
        for d in range(count)
        for k in range(per_day)
    ]
    return tickets(rows)


def kinds(frame, start_month):
    return [w.kind for w in history_check.check(aggregate(frame, "D", "UTC"), start_month)]


def test_a_tiny_history_is_refused_unless_asked_for_and_then_has_a_range():
    small = aggregate(days_of("2026-10-01", 20), "D", "UTC")
    assert kinds(days_of("2026-10-01", 20), dt.date(2027, 1, 1)) == ["tiny"]
    with pytest.raises(history_check.HistoryTooShort, match="Upload at least 8 weeks"):
        forecast.forecast_with(small, 60, ForecastSettings())
    made = forecast.forecast_with(small, 60, ForecastSettings(allow_short_history=True))
    band = made.parts["email"].frame()
    assert (band["upper"] > band["lower"]).all()  # never zero width
    assert isinstance(history_check.HistoryTooShort("x"), PlannerError)


def test_a_short_history_warns_that_the_yearly_pattern_is_unseen():
    found = history_check.check(
        aggregate(days_of("2026-05-01", 180), "D", "UTC"), dt.date(2027, 1, 1)
    )
    assert [w.kind for w in found] == ["short"]
    assert "Upload at least 12 months" in found[0].text


def test_a_stale_history_warns_with_the_gap():
    found = history_check.check(
        aggregate(days_of("2023-01-01", 400), "D", "UTC"), dt.date(2027, 1, 1)
    )
    assert [w.kind for w in found] == ["stale"]
    assert (
        "ends on 04 Feb 2024" in found[0].message
        and "Upload tickets up to last month" in found[0].text
    )
    assert kinds(days_of("2025-10-01", 400), dt.date(2027, 1, 1)) == []


def test_the_honest_band_by_hand():
    # 4 tickets over 4 days, 80%: z = 1.2816; one day ahead s = sqrt(1/4 + 0.25^2/365.25)
    # = 0.50017; upper = Poisson 90% quantile of max(1, 1) x e^(1.2816 x 0.50017) = 1.898,
    # which is 4 (P(X <= 3) = 0.876, P(X <= 4) = 0.956); lower = 10% quantile of
    # e^-0.641 = 0.527: 0.
    low, high = forecast.honest_band(np.array([1.0]), 4.0, 4, "D", 80)
    assert (low[0], high[0]) == (0.0, 4.0)


def test_every_input_says_where_it_came_from_in_the_register(history):
    sample = Scenario.from_json((SAMPLE_DIR / "scenario_base.json").read_text())
    planned = Scenario.from_history(history, sample).with_sources(
        {"tickets": Source(kind="uploaded", detail="tickets.csv, 82 tickets")}
    )
    table = review.register(planned, sample).set_index("assumption")
    assert table.loc["tickets", "value"] == "uploaded: tickets.csv, 82 tickets"
    assert table.loc["roster", "source"] == "sample"
    assert table.loc["service.channels.phone.aht_seconds", "source"].startswith("measured")
    assert table.loc["costs.annual_recurring_revenue", "source"].startswith("sample company")
    assert table.loc["costs.overhead_per_month", "source"] == "default"


def test_a_starting_headcount_from_the_recent_workload_by_hand(history):
    # Last 28 days of the hand-made history (all of it: 26 days, Mon 4 Mar to Fri 29 Mar):
    # phone 102 calls x 420 s, email 35 x 540 s, chat 10 x 720 s (the default handle
    # times) = 11.9 + 5.25 + 2.0 = 19.15 hours in 26 days = 5.1558 hours a week;
    # net = 5.1558 / (40 x 0.80) = 0.16112; shrinkage 1 - 0.90 x 0.97 x 0.94 x 0.97 x 0.95 =
    # 0.24380; gross = 0.16112 / 0.75620 = 0.21306.
    shrinkage = Scenario().workforce.shrinkage.total
    assert shrinkage == pytest.approx(1 - 0.90 * 0.97 * 0.94 * 0.97 * 0.95)
    expected = (102 * 420 + 35 * 540 + 10 * 720) / 3600 * 7 / 26 / (40 * 0.8) / (1 - shrinkage)
    assert measure.starting_headcount(history, Scenario()) == pytest.approx(expected)
    assert expected == pytest.approx(0.21306, abs=1e-4)


def test_one_click_keeps_the_default_and_another_brings_the_measure_back(history):
    base = Scenario()
    rows = {m.path: m for m in measure.measure(history, base).usable()}
    planned = measure.apply(base, measure.Measurements(tuple(rows.values())))
    phone = rows["service.channels.phone.aht_seconds"]
    kept = measure.choose(planned, phone, measured=False)
    assert kept.service.channels["phone"].aht_seconds == 420
    assert kept.source_of(phone.path).kind == "default"
    back = measure.choose(kept, phone, measured=True)
    assert back.service.channels["phone"].aht_seconds == 372
    assert back.source_of(phone.path).kind == "measured"


def test_a_new_upload_does_not_take_the_last_ones_measures_for_defaults(history):
    planned = Scenario.from_history(history)
    assert planned.service.channels["phone"].aht_seconds == 372
    typed = planned.model_copy(deep=True)
    typed.service.channels["email"].response_hours = 8
    typed = mark_typed(planned, typed)
    forgotten = measure.forget(typed)
    assert forgotten.service.channels["phone"].aht_seconds == 420  # the default again
    assert set(forgotten.service.channels) == {"phone", "chat", "email", "web_form"}
    assert forgotten.service.channels["email"].response_hours == 8  # typed: kept
    assert not [s for s in forgotten.sources.values() if s.kind == "measured"]
