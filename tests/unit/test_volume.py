"""Aggregation conserves tickets at every period and puts them in the right local period."""

import dataclasses
import datetime as dt

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.errors import PlannerError
from planner.forecast.intraday import spread
from planner.ingest import read_tickets
from planner.volume import BUCKETS, HISTORY_PARTS, aggregate, read_history, write_history
from tests.conftest import DATA, NOW


def frame(times, channels):
    return pd.DataFrame(
        {
            "ticket_id": [str(i) for i in range(len(times))],
            "created_at": pd.to_datetime(times, utc=True),
            "channel": channels,
            "queue": "Tier 1",
            "handle_minutes": 5.0,
            "first_reply_minutes": 1.0,
            "csat": 1.0,
        }
    )


moments = st.datetimes(
    min_value=dt.datetime(2023, 1, 1), max_value=dt.datetime(2026, 1, 1), timezones=st.just(dt.UTC)
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    times=st.lists(moments, min_size=1, max_size=60),
    freq=st.sampled_from(list(BUCKETS)),
    zone=st.sampled_from(["UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata"]),
    data=st.data(),
)
def test_aggregation_conserves_the_ticket_count(times, freq, zone, data):
    channels = data.draw(
        st.lists(st.sampled_from(["email", "chat"]), min_size=len(times), max_size=len(times))
    )
    history = aggregate(frame(times, channels), freq, zone)
    assert history.total_tickets == len(times)
    assert history.series().sum() == len(times)
    assert history.by_channel().to_numpy().sum() == len(times)
    assert history.profile["tickets"].sum() == len(times)
    assert history.handle_time["tickets"].sum() == len(times)


def test_periods_are_local_and_start_on_monday_and_first_of_month():
    # 2024-03-04 03:30 UTC is still Sunday 3 March 22:30 in New York.
    history = aggregate(frame(["2024-03-04 03:30"], ["email"]), "D", "America/New_York")
    assert history.counts["period"].tolist() == [pd.Timestamp("2024-03-03")]
    weekly = aggregate(frame(["2024-03-06 12:00"], ["email"]), "W", "UTC")
    assert weekly.counts["period"].tolist() == [pd.Timestamp("2024-03-04")]
    monthly = aggregate(frame(["2024-03-31 23:59"], ["email"]), "M", "Asia/Kolkata")
    assert monthly.counts["period"].tolist() == [pd.Timestamp("2024-04-01")]
    quarter = aggregate(frame(["2024-03-04 10:44"], ["email"]), "15min", "UTC")
    assert quarter.counts["period"].tolist() == [pd.Timestamp("2024-03-04 10:30")]


def test_series_fill_missing_periods_with_zero():
    history = aggregate(frame(["2024-03-01 10:00", "2024-03-04 10:00"], ["email", "chat"]), "D")
    assert history.series("email").tolist() == [1, 0, 0, 0]
    assert history.series("chat").tolist() == [0, 0, 0, 1]


def test_handle_time_and_profile_statistics():
    tickets = read_tickets(DATA / "freshdesk.csv", now=NOW).tickets
    history = aggregate(tickets, "D")
    row = history.handle_time.set_index("channel").loc["email"]
    assert row["mean_handle_minutes"] == pytest.approx(12.5)
    shares = history.profile.groupby("channel")["share"].sum()
    assert shares.to_numpy() == pytest.approx(1.0)


def test_aggregate_reads_a_path_and_an_ingest_result_alike():
    from_path = aggregate(DATA / "zendesk.csv", "D", "America/New_York")
    from_result = aggregate(
        read_tickets(DATA / "zendesk.csv", source_time_zone="America/New_York"),
        "D",
        "America/New_York",
    )
    pd.testing.assert_frame_equal(from_path.counts, from_result.counts)
    assert from_path.fingerprint == from_result.fingerprint


def test_unknown_period_is_refused():
    with pytest.raises(PlannerError, match="not a period"):
        aggregate(frame(["2024-03-01"], ["email"]), "fortnight")


def test_recent_rate_and_change_on_a_year_earlier():
    # 400 days: 1 ticket a day for the first 372, then 2 a day for the last 28.
    days = pd.date_range("2024-01-01", periods=400, freq="D")
    times = [d + pd.Timedelta(hours=12) for d in days] + [
        d + pd.Timedelta(hours=13) for d in days[-28:]
    ]
    history = aggregate(frame(times, ["email"] * len(times)), "D")
    window, recent, change = history.recent_rate(28)
    assert (window, recent) == (28, 2.0)
    assert change == pytest.approx(1.0)  # 2 a day against 1 a day: +100%
    short = aggregate(frame(times[:10], ["email"] * 10), "D")
    assert short.recent_rate(28) == (10, 1.0, None)


def test_busiest_hour_overall_and_per_channel():
    times = ["2024-03-04 09:10", "2024-03-04 09:40", "2024-03-05 15:00"]  # Mon, Mon, Tue
    history = aggregate(frame(times, ["email", "email", "chat"]), "D")
    assert history.busiest_hour() == (0, 9)
    assert history.busiest_hour("chat") == (1, 15)


@pytest.mark.parametrize("zone", ["America/New_York", "UTC", "Asia/Kolkata"])
def test_an_ingest_result_aggregates_like_its_tickets_frame(zone):
    # The ingest path groups raw text and stored wall-clock times; the DataFrame path
    # starts from normalised UTC tickets. Both must give the same history in any zone.
    result = read_tickets(DATA / "zendesk.csv", source_time_zone="America/New_York", now=NOW)
    for freq in ("60min", "D"):
        direct, via_frame = aggregate(result, freq, zone), aggregate(result.tickets, freq, zone)
        pd.testing.assert_frame_equal(direct.counts, via_frame.counts)
        pd.testing.assert_frame_equal(direct.profile, via_frame.profile)
        pd.testing.assert_frame_equal(direct.handle_time, via_frame.handle_time)


def test_intraday_shares_by_hand_and_a_weekday_without_history():
    # Monday: three tickets, at 09:10, 09:40 and 10:05; Wednesday one at 14:50.
    times = ["2024-03-04 09:10", "2024-03-04 09:40", "2024-03-04 10:05", "2024-03-06 14:50"]
    history = aggregate(frame(times, ["email"] * 4), "D")
    half_hours = history.intraday_shares("email", 30)
    monday = half_hours.loc[0]
    assert monday[monday > 0].to_dict() == pytest.approx({540: 1 / 3, 570: 1 / 3, 600: 1 / 3})
    hours = history.intraday_shares("email", 60).loc[0]
    assert hours[hours > 0].to_dict() == pytest.approx({540: 2 / 3, 600: 1 / 3})
    # Tuesday had no tickets: it takes the shape of all days (4 tickets).
    tuesday = half_hours.loc[1]
    assert tuesday[tuesday > 0].to_dict() == pytest.approx(
        {540: 0.25, 570: 0.25, 600: 0.25, 870: 0.25}
    )
    assert history.intraday_shares("chat", 15).loc[0].tolist() == [1 / 96] * 96
    with pytest.raises(PlannerError, match="20 minutes"):
        history.intraday_shares("email", 20)


def test_a_daily_forecast_is_split_into_intervals_by_its_weekday():
    times = ["2024-03-04 09:10", "2024-03-04 09:40", "2024-03-04 10:05", "2024-03-06 14:50"]
    shares = aggregate(frame(times, ["email"] * 4), "D").intraday_shares("email", 30)
    daily = pd.DataFrame(
        {"mean": [90.0, 40.0], "lower": [60.0, 20.0], "upper": [120.0, 60.0]},
        index=pd.DatetimeIndex(["2024-04-01", "2024-04-03"]),  # a Monday and a Wednesday
    )
    split = spread(daily, shares, pd.Timedelta(minutes=30))
    assert len(split) == 2 * 48
    assert split.loc["2024-04-01 09:00", "mean"] == pytest.approx(30.0)
    assert split.loc["2024-04-01 10:00", "upper"] == pytest.approx(40.0)
    assert split.loc["2024-04-03 14:30", "mean"] == pytest.approx(40.0)
    assert split.loc["2024-04-01 03:00", "mean"] == 0.0


@settings(max_examples=30, deadline=None)
@given(
    times=st.lists(moments, min_size=1, max_size=40),
    values=st.lists(st.floats(0, 1e6), min_size=1, max_size=20),
    minutes=st.sampled_from([15, 30, 60]),
)
def test_intervals_always_sum_back_to_the_daily_value(times, values, minutes):
    history = aggregate(frame(times, ["chat"] * len(times)), "D", "Europe/Berlin")
    index = pd.date_range("2025-01-01", periods=len(values))
    daily = pd.DataFrame({"mean": values, "lower": values, "upper": values}, index=index)
    split = spread(daily, history.intraday_shares("chat", minutes), pd.Timedelta(minutes=minutes))
    assert len(split) == len(values) * 24 * 60 // minutes
    summed = split["mean"].groupby(split.index.normalize()).sum()
    assert summed.to_numpy() == pytest.approx(daily["mean"].to_numpy(), rel=1e-9, abs=1e-6)


def test_tables_per_queue_name_each_channel_and_queue():
    tickets = frame(["2024-03-04 09:00", "2024-03-04 10:00", "2024-03-05 11:00"], "email")
    tickets["queue"] = ["Billing", None, "Billing"]
    table = aggregate(tickets, "D").table("queue")
    assert table.to_dict("list") == {"email / (no queue)": [1, 0], "email / Billing": [1, 1]}
    with pytest.raises(PlannerError, match="per 'channel' or per 'queue'"):
        aggregate(tickets, "D").table("priority")


def test_an_aggregated_history_file_reads_back_as_the_same_history(tmp_path):
    result = read_tickets(DATA / "zendesk.csv", now=NOW, source_time_zone="America/New_York")
    history = aggregate(result, "D", "America/New_York")
    write_history(history, result.report, tmp_path / "history.parquet")
    report, back = read_history(tmp_path / "history.parquet")
    assert report.aggregated and not result.report.aggregated
    assert dataclasses.replace(report, aggregated=False) == result.report
    assert back.fingerprint == history.fingerprint
    for part in HISTORY_PARTS:
        if getattr(history, part) is None:
            assert getattr(back, part) is None
        else:
            pd.testing.assert_frame_equal(getattr(back, part), getattr(history, part))
    result.tickets.to_parquet(tmp_path / "tickets.parquet")  # tickets, not a history
    assert read_history(tmp_path / "tickets.parquet") is None
    assert read_history(DATA / "zendesk.csv") is None
