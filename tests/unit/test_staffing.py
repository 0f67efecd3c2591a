"""Staffing requirements checked by hand: Erlang per interval, chat concurrency, deferred work
within its response window, hours of operation, and FTE per period, gross and net."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner import queueing, staffing
from planner.errors import PlannerError
from planner.scenario import ChannelService, Scenario
from tests.unit.small_plan import flat_history

ALL_DAY = {"open_hour": 0, "close_hour": 24, "weekdays": list(range(7))}
DAYTIME = {"open_hour": 8, "close_hour": 20, "weekdays": list(range(7))}


def scenario(channels: dict, **workforce) -> Scenario:
    return Scenario(
        start_month=dt.date(2027, 1, 1),
        horizon_months=1,
        service={"channels": channels, "max_occupancy": 1.0, "interval_minutes": 30},
        workforce={"shrinkage": {"paid_time_off": 0.25, "sickness": 0, "training_coaching": 0,
                                 "meetings": 0, "breaks": 0}, **workforce},
    )  # fmt: skip


def daily_demand(series: str, per_day: float, days=31, start="2027-01-01", spread=0.0):
    period = pd.date_range(start, periods=days, freq="D")
    return pd.DataFrame(
        {
            "series": series,
            "period": period,
            "mean": per_day,
            "lower": per_day * (1 - spread),
            "upper": per_day * (1 + spread),
        }
    )


def test_phone_needs_the_domain_cliff_agents_in_every_interval():
    # DOMAIN.md: 130 Erlangs, AHT 3 min, 20 s: 137 agents give 80.0%. 130 Erlangs over a
    # half-hour at 180 s is 1,300 calls, so 62,400 calls a day on a flat profile.
    phone = {"model": "erlang", "aht_seconds": 180, "service_level": 0.8, "answer_seconds": 20,
             "hours": ALL_DAY}  # fmt: skip
    eight_hours = {"lengths_hours": [8], "days_per_week": 7, "start_minutes": 30}
    result = staffing.requirements(
        daily_demand("phone", 62_400), flat_history(),
        scenario({"phone": phone}, shifts=eight_hours),
    )  # fmt: skip
    agents = result.intervals["agents_mean"]
    assert len(agents) == 31 * 48 and (agents == 137).all()
    weekly = result.fte("W")
    full_week = weekly[weekly["days"] == 7].iloc[0]
    # 137 agents x 24 h x 7 days = 23,016 agent-hours; / 40 h = 575.4 net FTE. Shifts of
    # 8 h every day: 137 people at each of 00:00, 08:00 and 16:00 cover it exactly, so the
    # paid hours are the agent-hours and gross FTE = 575.4 / 0.75 = 767.2.
    assert full_week["net_fte_mean"] == pytest.approx(575.4)
    assert full_week["scheduled_hours_mean"] == pytest.approx(23_016)
    assert full_week["gross_fte_mean"] == pytest.approx(767.2)
    assert full_week["workload_hours_mean"] == pytest.approx(62_400 * 7 * 180 / 3600)


def test_chat_feeds_the_concurrent_handle_time_and_never_divides_the_volume():
    # 1,300 chats a half-hour of 6 minutes at 2 at once is the phone example's 3 minutes.
    chat = {"model": "concurrent", "aht_seconds": 360, "concurrency": 2, "service_level": 0.8,
            "answer_seconds": 20, "hours": ALL_DAY}  # fmt: skip
    result = staffing.requirements(
        daily_demand("chat", 62_400), flat_history(), scenario({"chat": chat})
    )
    assert (result.intervals["agents_mean"] == 137).all()
    # the workload is still every chat's full handle time
    assert result.daily["workload_hours_mean"].iloc[0] == pytest.approx(62_400 * 360 / 3600)


def test_no_agents_outside_the_hours_and_a_note_for_the_calls_there():
    phone = {"model": "erlang", "aht_seconds": 180, "service_level": 0.8, "answer_seconds": 20,
             "hours": {"open_hour": 8, "close_hour": 20, "weekdays": [0, 1, 2, 3, 4]}}  # fmt: skip
    result = staffing.requirements(
        daily_demand("phone", 62_400), flat_history(), scenario({"phone": phone})
    )
    rows = result.intervals
    assert (rows.loc[~rows["open"], "agents_mean"] == 0).all()
    assert (rows.loc[rows["open"], "agents_mean"] == 137).all()
    assert rows["open"].sum() == 21 * 24  # January 2027 has 21 weekdays, 24 half-hours open
    # closed: half of each weekday and all of the 10 weekend days: (21 * 0.5 + 10) / 31
    # = 66.1%, 62,400 x 20.5 = 1,279,200 calls of 62,400 x 31 = 1,934,400
    assert any("66.1% of phone contacts (1,279,200 over the plan) arrive outside its hours "
               "(08:00-20:00, Mon-Fri)" in n for n in result.notes)  # fmt: skip
    outside = result.outside_hours().set_index("channel").loc["phone"]
    assert outside["contacts"] == pytest.approx(1_279_200)
    assert outside["of"] == pytest.approx(1_934_400)
    assert outside["share"] == pytest.approx(20.5 / 31)


def test_email_workload_by_hand():
    # 480 emails a day, evenly over 24 h; 9 minutes each; open 08:00-20:00 every day;
    # answered within 24 business hours (two open days). The night's 240 emails wait for
    # 08:00. Any 48 open half-hours hold two days of arrivals: 960 x 540 s / 1800 s / 48
    # = 6 Erlangs, / 0.8 occupancy = 7.5 agents in every open half-hour.
    email = {"model": "deferred", "aht_seconds": 540, "response_hours": 24, "hours": DAYTIME}
    result = staffing.requirements(
        daily_demand("email", 480),
        flat_history(),
        scenario({"email": email}, occupancy_target=0.8, shifts={"model": "perfect"}),
    )
    rows = result.intervals
    assert rows.loc[rows["open"], "agents_mean"].to_numpy() == pytest.approx(7.5)
    assert (rows.loc[~rows["open"], "agents_mean"] == 0).all()
    # DOMAIN.md: net FTE = workload hours / (paid hours x occupancy): 72 h a day / 0.8 =
    # 90 agent-hours; 31 days / (40 h x 31 / 7) = 15.75 net FTE, / (1 - 0.25) = 21 gross
    # (paid hours are interval hours here: perfect scheduling).
    month = result.fte("M").iloc[0]
    assert month["net_fte_mean"] == pytest.approx(15.75)
    assert month["gross_fte_mean"] == pytest.approx(21.0)


@settings(max_examples=60, deadline=None)
@given(
    arrivals=st.lists(st.floats(0, 50), min_size=20, max_size=300),
    response_hours=st.sampled_from([0.5, 1, 4, 8, 24, 48]),
    closed_every=st.integers(2, 6),
)
def test_deferred_capacity_answers_every_contact_within_the_response_time(
    arrivals, response_hours, closed_every
):
    calls = np.array(arrivals)[:, None]
    is_open = np.arange(len(calls)) % closed_every != 0
    is_open[0] = True
    email = ChannelService(model="deferred", aht_seconds=600, response_hours=response_hours)
    agents = staffing.deferred_agents(calls * 600, is_open, email, 30, 1.0)[:, 0]
    # Oldest first: work queued at the k-th opening (it includes the closed intervals
    # just before it) is done once the cumulative capacity reaches the cumulative work.
    opened = np.flatnonzero(is_open)
    waits_for = np.searchsorted(opened, np.arange(len(calls)))
    waits_for[waits_for == len(opened)] = 0
    queued = np.bincount(waits_for, calls[:, 0],
                         minlength=len(opened))  # fmt: skip
    work = np.cumsum(queued * 600)
    done = np.cumsum(agents * 1800)
    window = min(max(1, round(response_hours * 2)), len(opened))
    for k in range(len(opened) - window + 1):
        assert done[k + window - 1] >= work[k] - 1e-6


def test_each_demand_bound_gives_its_own_agents_in_order():
    phone = {"model": "erlang", "aht_seconds": 300, "service_level": 0.8, "answer_seconds": 20}
    email = {"model": "deferred", "aht_seconds": 540, "response_hours": 8}
    demand = pd.concat(
        [daily_demand("phone", 2_000, spread=0.2), daily_demand("email", 900, spread=0.3)]
    )
    result = staffing.requirements(
        demand, flat_history(), scenario({"phone": phone, "email": email})
    )
    rows = result.intervals
    assert (rows["agents_lower"] <= rows["agents_mean"]).all()
    assert (rows["agents_mean"] <= rows["agents_upper"]).all()
    assert (rows["agents_lower"] < rows["agents_upper"])[rows["open"]].any()
    month = result.fte("M", by_channel=False).iloc[0]
    assert month["gross_fte_lower"] < month["gross_fte_mean"] < month["gross_fte_upper"]
    per_channel = result.fte("M")
    assert per_channel["gross_fte_mean"].sum() == pytest.approx(month["gross_fte_mean"])


def test_queues_add_up_to_their_channel_and_weeks_spread_over_days():
    phone = {"model": "erlang", "aht_seconds": 300, "service_level": 0.8, "answer_seconds": 20}
    weeks = pd.date_range("2026-12-28", periods=6, freq="W-MON")
    demand = pd.concat(
        [
            pd.DataFrame({"series": f"phone / {q}", "period": weeks, "mean": 700.0,
                          "lower": 600.0, "upper": 800.0})
            for q in ("Billing", "Sales")
        ]
    )  # fmt: skip
    result = staffing.requirements(demand, flat_history(), scenario({"phone": phone}))
    days = result.daily
    assert days["day"].min() == pd.Timestamp("2027-01-01")
    assert days["day"].max() == pd.Timestamp("2027-01-31")
    # two queues of 700 a week, spread evenly over a flat week: 200 a day
    assert days["calls_mean"].to_numpy() == pytest.approx(200.0)
    weekly = result.fte("W", by_channel=False)
    assert weekly["period"].dt.day_of_week.eq(0).all()
    assert weekly["days"].tolist() == [3, 7, 7, 7, 7]


def test_typical_week_and_peak_pick_the_busiest_interval():
    phone = {"model": "erlang", "aht_seconds": 300, "service_level": 0.8, "answer_seconds": 20,
             "hours": ALL_DAY}  # fmt: skip
    history = flat_history()
    profile = history.profile
    busy = (profile["weekday"] == 2) & (profile["hour"] == 10)
    profile.loc[busy, "tickets"] = 100
    result = staffing.requirements(
        daily_demand("phone", 4_000), history, scenario({"phone": phone})
    )
    week = result.typical_week("phone")
    assert len(week) == 7 * 48
    peak = result.peak("phone")
    assert (peak["day"], peak["time"]) in {("Wed", "10:00"), ("Wed", "10:30")}
    assert peak["agents_mean"] == week["agents_mean"].max()
    with pytest.raises(PlannerError, match="no staffing for 'fax'"):
        result.typical_week("fax")


def test_the_cliff_shows_the_domain_values_and_the_cost_of_each_agent():
    phone = ChannelService(model="erlang", aht_seconds=180, service_level=0.8, answer_seconds=20)
    table = staffing.cliff(
        phone, 1_300, 30, max_occupancy=None, cost_per_agent_year=70_000
    ).set_index("agents")
    assert list(table.index) == [134, 135, 136, 137, 138, 139, 140]
    assert table.loc[137, "needed"]
    for agents, level in {135: 0.678, 137: 0.800, 139: 0.878}.items():
        assert table.loc[agents, "service_level"] == pytest.approx(level, abs=5e-4)
    assert table.loc[139, "extra_cost_per_year"] == 140_000
    assert table.loc[134, "extra_cost_per_year"] == -210_000
    assert 5 < table.loc[137, "gain_points"] < 15  # one agent near the target: 5-15 points


def test_the_cliff_with_patience_reports_abandonment_and_email_has_none():
    phone = ChannelService(model="erlang", aht_seconds=300, service_level=0.8,
                           answer_seconds=20, patience_seconds=120)  # fmt: skip
    table = staffing.cliff(phone, 200, 30, max_occupancy=0.9, cost_per_agent_year=1)
    assert table["abandonment"].is_monotonic_decreasing
    email = ChannelService(model="deferred", aht_seconds=300, response_hours=8)
    with pytest.raises(PlannerError, match="no answer-time cliff"):
        staffing.cliff(email, 10, 30, max_occupancy=None, cost_per_agent_year=1)


def test_unclear_demand_is_refused_with_what_to_do():
    phone = {"model": "erlang", "aht_seconds": 300, "service_level": 0.8, "answer_seconds": 20}
    plan = scenario({"phone": phone})
    with pytest.raises(PlannerError, match="missing lower, upper"):
        staffing.requirements(
            daily_demand("phone", 10)[["series", "period", "mean"]], flat_history(), plan
        )
    with pytest.raises(PlannerError, match="not the plan's start"):
        staffing.requirements(
            daily_demand("phone", 10, start="2026-11-01", days=20), flat_history(), plan
        )
    short = staffing.requirements(daily_demand("phone", 10, days=10), flat_history(), plan)
    assert any("staffing stops there" in n for n in short.notes)
    fax = pd.concat([daily_demand("phone", 10), daily_demand("fax", 10)])
    assert any("'fax' has no service target" in n
               for n in staffing.requirements(fax, flat_history(), plan).notes)  # fmt: skip
    with pytest.raises(PlannerError, match="No channel in the forecast has a service target"):
        staffing.requirements(daily_demand("fax", 10), flat_history(), plan)
    with pytest.raises(PlannerError, match="not a period"):
        short.fte("Q")


def test_hours_read_as_words():
    assert (
        staffing.describe_hours(
            ChannelService(model="deferred", aht_seconds=60, response_hours=8).hours
        )
        == "08:00-20:00, Mon-Fri"
    )
    weekend = {"open_hour": 9, "close_hour": 17, "weekdays": [5, 6]}
    assert (
        staffing.describe_hours(
            ChannelService(model="deferred", aht_seconds=60, response_hours=8, hours=weekend).hours
        )
        == "09:00-17:00, Sat, Sun"
    )


def test_an_asa_target_staffs_the_fewest_agents_that_answer_in_time():
    phone = {"model": "erlang", "aht_seconds": 300, "asa_seconds": 15, "hours": ALL_DAY}
    result = staffing.requirements(
        daily_demand("phone", 4_800), flat_history(), scenario({"phone": phone})
    )
    agents = int(result.intervals["agents_mean"].iloc[0])
    # 100 calls a half-hour at 5 minutes is 50/3 Erlangs; by hand from the Erlang C
    # sums (textbook Erlang C in exact fractions): 21 agents wait 16.05 s on average, 22
    # agents 8.71 s.
    waits = queueing.asa([agents - 1, agents], 100, 300, 1800)
    assert agents == 22
    assert waits == pytest.approx([16.05, 8.71], abs=0.01)
    table = staffing.cliff(
        ChannelService(**phone), 100, 30, max_occupancy=None, cost_per_agent_year=1
    )
    assert table.loc[table["needed"], "agents"].item() == 22


def test_a_live_channel_needs_a_service_level_or_an_asa():
    with pytest.raises(ValueError, match="a service level with an answer time, or an ASA"):
        ChannelService(model="erlang", aht_seconds=300)
    with pytest.raises(ValueError, match="needs its answer time in seconds"):
        ChannelService(model="erlang", aht_seconds=300, service_level=0.8)


def test_cost_of_one_more_agent_on_queue():
    # 52,000 x 1.35 loaded / (1 - 0.25 shrinkage) = 93,600 a year
    assert staffing.cost_per_agent_year(52_000, 1.35, 0.25) == pytest.approx(93_600)


def test_reused_channels_give_the_same_staffing():
    phone = {"model": "erlang", "aht_seconds": 300, "service_level": 0.8, "answer_seconds": 20}
    email = {"model": "deferred", "aht_seconds": 540, "response_hours": 8}
    demand = pd.concat([daily_demand("phone", 2_000), daily_demand("email", 900)])
    first = staffing.requirements(demand, flat_history(), scenario({"phone": phone,
                                                                    "email": email}))  # fmt: skip
    faster = scenario({"phone": phone | {"service_level": 0.9}, "email": email})
    reused = staffing.requirements(demand, flat_history(), faster, reuse=first)
    fresh = staffing.requirements(demand, flat_history(), faster)
    assert reused.intervals.equals(fresh.intervals)
    assert reused.per_channel["email"] is first.per_channel["email"]  # taken as it was
    assert reused.per_channel["phone"] is not first.per_channel["phone"]  # made again


def test_the_harder_mix_follows_the_months_adoption_and_is_nothing_before_go_live():
    # DOMAIN.md's cliff: 130 Erlangs at 180 s, 80/20 -> 137 agents. A bot going live on
    # 16 January (no ramp) leaves harder contacts: AHT x 1.2 = 216 s from that day, so
    # 1,300 calls a half-hour are 156 Erlangs, which need the agents of 156 Erlangs at 216 s.
    phone = {"model": "erlang", "aht_seconds": 180, "service_level": 0.8, "answer_seconds": 20,
             "hours": ALL_DAY}  # fmt: skip
    plan = scenario({"phone": phone}).model_copy(deep=True)
    plan = Scenario.parse(
        plan.model_dump()
        | {"demand": {"deflection": [{"channel": "phone", "start": "2027-01-16", "share": 0.0,
                                      "ramp_months": 0, "aht_uplift": 0.2}]}}
    )  # fmt: skip
    result = staffing.requirements(daily_demand("phone", 62_400), flat_history(), plan)
    table = result.intervals
    before = table[table["interval"] < "2027-01-16"]
    after = table[table["interval"] >= "2027-01-16"]
    assert before["agents_mean"].eq(137).all() and before["aht_seconds"].eq(180).all()
    harder = queueing.agents_for_target(1_300, 216, 1800, service_level=0.8, answer_seconds=20)
    assert after["agents_mean"].eq(harder).all() and after["aht_seconds"].eq(216).all()
    assert harder > 137
    daily = result.daily.set_index("day")
    assert daily.loc["2027-01-15", "workload_hours_mean"] == pytest.approx(62_400 * 180 / 3600)
    assert daily.loc["2027-01-16", "workload_hours_mean"] == pytest.approx(62_400 * 216 / 3600)


def test_contacts_outside_the_hours_are_unserved_or_staffed_at_the_next_opening():
    # A flat day, open 08:00-20:00: half of 4,800 contacts a day arrive while closed.
    base = {"model": "erlang", "aht_seconds": 180, "service_level": 0.8, "answer_seconds": 20,
            "hours": DAYTIME}  # fmt: skip
    demand = daily_demand("phone", 4_800)
    unserved = staffing.requirements(demand, flat_history(), scenario({"phone": base}))
    month = unserved.unserved_by_month().set_index("channel")
    assert month.loc["phone", "outside_hours"] == pytest.approx(31 * 2_400)
    staffed = staffing.requirements(
        demand, flat_history(), scenario({"phone": base | {"outside_hours": "next_opening"}})
    )
    assert staffed.unserved_by_month()["outside_hours"].sum() == pytest.approx(0)
    table = staffed.intervals
    # every contact is staffed somewhere; the night's 2,400 come back in 08:00 and 08:30
    assert table["calls_mean"].sum() == pytest.approx(31 * 4_800)
    day = table[table["interval"].dt.date == dt.date(2027, 1, 2)].set_index("minute")
    assert day.loc[480, "calls_mean"] == pytest.approx(100 + 1_200)
    assert day.loc[540, "calls_mean"] == pytest.approx(100)
    assert day.loc[480, "agents_mean"] > day.loc[540, "agents_mean"]
    assert any("first hour after it opens" in n for n in staffed.notes)
