"""Sites: who answers each interval, worked out by hand across time zones; each site's
share of the agents; intervals no site covers served like closed ones."""

import math
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner import plan
from planner.errors import ScenarioError
from planner.scenario import Site
from planner.sites import coverage, handled_hour_cost, routed, uncovered_hours
from tests.unit.small_plan import START, demand_frame, flat_history, scenario

EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]
# Abidjan is UTC all year, Tokyo UTC+9 all year (neither moves its clocks): in UTC,
# Abidjan works 00-12 and Tokyo 06-15 (15-24 its time); nobody works 15-24 UTC.
ABIDJAN = Site(name="Abidjan", time_zone="Africa/Abidjan",
               hours={"open_hour": 0, "close_hour": 12, "weekdays": EVERY_DAY})  # fmt: skip
TOKYO = Site(name="Tokyo", time_zone="asia/tokyo", share=3.0,
             hours={"open_hour": 15, "close_hour": 24, "weekdays": EVERY_DAY})  # fmt: skip
ROUND_THE_CLOCK = {"open_hour": 0, "close_hour": 24, "weekdays": EVERY_DAY}
PHONE = demand_frame().query("series == 'phone'")  # 2,000 contacts a day, 90 days


def phone_plan(*sites: dict, tiers: tuple = (), routing: str = "share", languages: tuple = (),
               **sections) -> plan.PlanResult:  # fmt: skip
    """The plan of a phone line open round the clock in UTC (``PHONE``, evenly through
    the day), answered by ``sites``, split by ``languages`` ({language: share})."""
    settings = scenario(
        time_zone="UTC",
        service={"channels": {"phone": {"model": "erlang", "aht_seconds": 300,
                                        "service_level": 0.8, "answer_seconds": 20,
                                        "hours": ROUND_THE_CLOCK}},
                 "sites": list(sites), "tiers": list(tiers), "routing": routing,
                 "languages": [{"channel": "phone", "language": name, "share": share}
                               for name, share in dict(languages).items()]},
        **sections,
    )  # fmt: skip
    return plan.build(settings, flat_history(("phone",)), forecast=PHONE, today=START)


def erlang_c_agents(calls: float, aht: float, minutes: float, level: float, seconds: float,
                    cap: float) -> int:  # fmt: skip
    """The fewest agents n answering ``level`` of calls within ``seconds`` (Erlang C,
    written here from the textbook: B by recursion, C = nB / (n - a(1 - B)), service level
    = 1 - C e^(-(n - a) t / AHT)) with occupancy a / n at most ``cap``."""
    a = calls * aht / (minutes * 60)
    n = 1
    while True:
        b = 1.0
        for k in range(1, n + 1):
            b = a * b / (k + a * b)
        if n > a:
            c = n * b / (n - a * (1 - b))
            if 1 - c * math.exp(-(n - a) * seconds / aht) >= level and a / n <= cap:
                return n
        n += 1


def test_each_interval_goes_to_the_sites_open_then_by_their_weights():
    starts = pd.to_datetime(
        ["2027-01-04 03:00", "2027-01-04 09:00", "2027-01-04 13:30", "2027-01-04 20:00"]
    ).to_numpy()
    shares = routed([ABIDJAN, TOKYO], "phone", starts, "UTC")
    assert shares.tolist() == [[1.0, 0.0], [0.25, 0.75], [0.0, 1.0], [0.0, 0.0]]
    # a site that does not serve the queue takes none of it
    email_only = ABIDJAN.model_copy(update={"serves": ["email"]})
    assert routed([email_only, TOKYO], "phone", starts, "UTC")[:, 0].tolist() == [0.0] * 4
    # in New York's winter (UTC-5) 04:00 is 09:00 UTC: both sites are open
    ny = routed([ABIDJAN, TOKYO], "phone", pd.to_datetime(["2027-01-04 04:00"]).to_numpy(),
                "America/New_York")  # fmt: skip
    assert ny.tolist() == [[0.25, 0.75]]


def test_follow_the_sun_shows_each_sites_hours_in_the_plans_time():
    table = coverage([ABIDJAN, TOKYO], "UTC", pd.Timestamp("2027-01-06"))
    assert len(table) == 2 * 7 * 24 and table["day"].iloc[0] == "Mon"
    tokyo = table[(table["site"] == "Tokyo") & (table["weekday"] == 2)]
    assert tokyo.loc[tokyo["open"], "hour"].tolist() == list(range(6, 15))
    hours = ABIDJAN.hours.model_copy(update=ROUND_THE_CLOCK)
    assert uncovered_hours([ABIDJAN, TOKYO], "phone", None, hours, "UTC", START) == 9 * 7


def test_each_site_takes_its_share_of_the_agents_and_the_uncovered_hours_are_unserved():
    # Phone open round the clock with flat demand: every open interval needs the same
    # agents a. Covered 00-15 UTC: Abidjan 00-06 alone, 06-12 a quarter, Tokyo three
    # quarters of 06-12 and 12-15 alone: 6 + 1.5 = 7.5 hours of a each, half the agent
    # hours each; 15-24 (9 of 24 hours) nobody: 9/24 of the contacts are unserved.
    result = phone_plan(ABIDJAN.model_dump(), TOKYO.model_dump())
    by_site = result.requirements.fte_by_site("M")
    total = result.requirements.fte("M", by_channel=False)
    for site in ("Abidjan", "Tokyo"):
        hours = by_site.loc[by_site["site"] == site, "agent_hours_mean"].to_numpy()
        assert hours == pytest.approx(total["agent_hours_mean"].to_numpy() / 2)
    assert by_site.groupby("period")["gross_fte_mean"].sum().to_numpy() == pytest.approx(
        total["gross_fte_mean"].to_numpy()
    )
    unserved = result.requirements.unserved_by_month("mean")["outside_hours"].sum()
    assert unserved == pytest.approx(PHONE["mean"].sum() * 9 / 24)
    assert any("no site that serves it is open" in note for note in result.requirements.notes)


def test_without_sites_the_plan_is_as_before():
    result = plan.build(scenario(), flat_history(("phone", "email")), forecast=demand_frame(),
                        today=START)  # fmt: skip
    assert result.requirements.fte_by_site().empty
    assert not any(c.startswith("site_") for c in result.requirements.daily.columns)


def test_a_site_must_serve_queues_the_plan_has_and_be_named_once():
    with pytest.raises(
        ScenarioError, match=r"serves 'sms': name channels or tiers of the plan \(email, phone\)"
    ):
        scenario(service={"sites": [{"name": "Lisbon", "serves": ["sms"]}]})
    with pytest.raises(ScenarioError, match="are the same name"):
        scenario(service={"sites": [{"name": "Lisbon"}, {"name": "lisbon"}]})
    with pytest.raises(ScenarioError, match="nearest: Europe/Lisbon"):
        scenario(service={"sites": [{"name": "Lisbon", "time_zone": "Europe/Lisbn"}]})
    assert np.isclose(Site(name="x").share, 1.0)


def test_the_coverage_chart_has_a_row_for_the_hours_nobody_works():
    from planner import charts

    table = coverage([ABIDJAN, TOKYO], "UTC", pd.Timestamp("2027-01-06"))
    chart = charts.site_coverage(table).to_dict()
    rows = pd.DataFrame(next(iter(chart["datasets"].values())))
    assert (rows["site"] == "No site").sum() == 9 * 7
    assert set(rows["site"]) == {"Abidjan", "Tokyo", "No site"}


def test_the_budget_by_site_follows_the_sites_gross_fte_and_adds_up():
    # Abidjan and Tokyo take half the agent hours each (see above): half the agent costs.
    result = phone_plan(ABIDJAN.model_dump(), TOKYO.model_dump(),
                        workforce={"starting_fte": 45, "shifts": {"model": "perfect"}})  # fmt: skip
    table = result.cost_by_site().set_index("site")
    assert table["cost"].sum() == pytest.approx(result.budget.total)
    assert table.loc["Abidjan", "cost"] == pytest.approx(table.loc["Tokyo", "cost"])
    agents = result.budget.lines.loc[result.budget.lines["kind"] == "agents", "amount"].sum()
    assert table.loc["Abidjan", "cost"] + table.loc["Tokyo", "cost"] == pytest.approx(agents)
    assert plan.build(scenario(), flat_history(("phone", "email")), forecast=demand_frame(),
                      today=START).cost_by_site().empty  # fmt: skip


def vendor_plan(price: float) -> plan.PlanResult:
    """Abidjan in-house 00-12 UTC; a vendor in Tokyo, 06-15 UTC weighted 3, priced in EUR
    (1.08 USD a euro) with a minimum of 10,000 EUR a month; phone round the clock, 2,000
    contacts a day, evenly."""
    tokyo = TOKYO.model_dump() | {
        "vendor": True,
        "currency": "EUR",
        "exchange_rate": 1.08,
        "price_per_contact": price,
        "minimum_per_month": 10_000.0,
    }
    return phone_plan(ABIDJAN.model_dump(), tokyo, currency="USD")


def test_a_vendor_site_takes_its_share_and_bills_it_in_its_currency_once():
    # Tokyo takes 3/4 of 06-12 UTC and all of 12-15: (12 x 0.75 + 6) half-hours of 2,000 / 48
    # contacts = 625 a day; January: 19,375 x 2 EUR = 38,750 EUR (above the minimum) x 1.08
    # = 41,850 USD. The in-house team answers the rest of 00-12 only.
    result = vendor_plan(2.0)
    lines = result.budget.lines
    tokyo = lines[lines["line"] == "Vendor site: Tokyo"].set_index("month")["amount"]
    assert tokyo.iloc[0] == pytest.approx(19_375 * 2.0 * 1.08)
    by_site = result.requirements.fte_by_site("M").set_index(["site", "period"])
    assert by_site.loc[("Tokyo", pd.Timestamp(START)), "contacts_mean"] == pytest.approx(19_375)
    assert (by_site.xs("Tokyo")["agent_hours_mean"] == 0).all()
    in_house = result.requirements.fte("M", by_channel=False)["agent_hours_mean"].to_numpy()
    assert by_site.xs("Abidjan")["agent_hours_mean"].to_numpy() == pytest.approx(in_house)
    january = result.requirements.fte("M", by_channel=False)["calls_mean"].iloc[0]
    assert january == pytest.approx(31 * 2_000 - 19_375)  # what stays in-house (or unserved)


def test_a_vendor_site_bills_at_least_its_minimum():
    lines = vendor_plan(0.01).budget.lines
    tokyo = lines[lines["line"] == "Vendor site: Tokyo"]["amount"]
    assert tokyo.tolist() == pytest.approx([10_000 * 1.08] * 3)


def test_a_vendor_site_is_priced_once_and_a_plan_currency_site_has_no_rate():
    with pytest.raises(ScenarioError, match="per contact or per handled hour"):
        scenario(service={"sites": [{"name": "Manila", "vendor": True}]})
    with pytest.raises(ScenarioError, match="its exchange rate is 1"):
        scenario(service={"sites": [{"name": "Manila", "vendor": True, "currency": "usd",
                                     "exchange_rate": 1.1, "price_per_contact": 2.0}]})  # fmt: skip
    with pytest.raises(ScenarioError, match="is in-house"):
        scenario(service={"sites": [{"name": "Lisbon", "price_per_hour": 20.0}]})


def test_site_mix_is_a_step_of_the_bridge_and_the_vendors_weight_a_tornado_assumption():
    from planner import sensitivity
    from tests.unit.small_plan import plans

    manila = {"name": "Manila", "time_zone": "Asia/Manila", "vendor": True,
              "price_per_contact": 1.5, "hours": ROUND_THE_CLOCK}  # fmt: skip
    austin = {"name": "Austin", "time_zone": "America/Chicago", "hours": ROUND_THE_CLOCK}
    base = scenario(service={"sites": [austin]})
    outsourced = scenario(name="BPO", service={"sites": [austin, manila | {"share": 0.5}]})
    run = plans()
    steps = sensitivity.bridge(base, outsourced, run).set_index("step")["change"]
    assert steps["Site mix"] == pytest.approx(run.total(outsourced) - run.total(base))
    rows = sensitivity.tornado(outsourced, run)[0].set_index("assumption")
    assert "Vendor sites' weight" in rows.index
    assert "Vendor sites' weight" not in set(sensitivity.tornado(base, run)[0]["assumption"])


def test_a_vendor_sites_bills_are_its_row_of_the_budget_by_site():
    result = vendor_plan(2.0)
    table = result.cost_by_site().set_index("site")
    lines = result.budget.lines
    bills = lines.loc[lines["line"] == "Vendor site: Tokyo", "amount"].sum()
    assert table.loc["Tokyo", "cost"] == pytest.approx(bills)
    assert table["cost"].sum() == pytest.approx(result.budget.total)


def test_a_site_closes_on_its_countrys_public_holidays():
    # Two round-the-clock sites: Austin (US holidays) and Manila (no holidays taken). On
    # Friday 1 January 2027 (New Year's Day in the US) Manila answers everything; on
    # Monday 4 January they share by weight again.
    austin = Site(name="Austin", time_zone="America/Chicago", holiday_country="US",
                  hours=ROUND_THE_CLOCK)  # fmt: skip
    manila = Site(name="Manila", time_zone="Asia/Manila", hours=ROUND_THE_CLOCK)
    starts = pd.to_datetime(["2027-01-01 12:00", "2027-01-04 12:00"]).to_numpy()
    shares = routed([austin, manila], "phone", starts, "America/Chicago")
    assert shares.tolist() == [[0.0, 1.0], [0.5, 0.5]]
    with pytest.raises(Exception, match="two-letter code"):
        routed([austin.model_copy(update={"holiday_country": "XX"})], "phone", starts, "UTC")


def test_a_lone_site_on_a_holiday_leaves_that_day_unserved():
    # Abidjan alone round the clock, closed on Ivorian public holidays: 1 January 2027 is
    # one, so that day's 2,000 contacts are unserved and no other day's.
    alone = ABIDJAN.model_dump() | {"holiday_country": "CI", "hours": ROUND_THE_CLOCK}
    result = phone_plan(alone)
    unserved = result.requirements.unserved_by_month("mean").set_index("month")["outside_hours"]
    from planner.forecast.calendar import on_public_holiday

    days = pd.date_range(START, periods=90, freq="D")
    holidays = int(on_public_holiday(days, "CI").sum())
    assert holidays >= 1 and on_public_holiday(pd.DatetimeIndex([pd.Timestamp(START)]), "CI")[0]
    assert unserved.sum() == pytest.approx(2_000 * holidays)
    assert unserved.iloc[0] >= 2_000 - 1e-6


def test_a_holiday_leaves_the_working_weeks_shifts_as_they_are():
    # The same line: n agents every half-hour round the clock, which 8-hour, 5-day shifts
    # cover exactly (n x 168 paid hours a week, efficiency 1). A month with an Ivorian
    # holiday (1 January, and Eid al-Fitr in March 2027) schedules the weeks that are
    # worked, with that day off: the same shifts, optimal, not a week whose Friday needs
    # three quarters of the agents (which ran past the solver's limit, 8-21% off).
    alone = ABIDJAN.model_dump() | {"holiday_country": "CI", "hours": ROUND_THE_CLOCK}
    weeks = phone_plan(alone).requirements.schedules["phone"]
    n = erlang_c_agents(2_000 / 48, 300, 30, 0.8, 20, 0.85)
    assert len(weeks) == 3
    for week in weeks.values():
        assert week.status == "optimal"
        assert week.paid_hours == pytest.approx(n * 168)
        assert week.efficiency == pytest.approx(1.0)


ABIDJAN_DAY = {"name": "Abidjan", "time_zone": "Africa/Abidjan", "shrinkage": 0.2,
               "currency": "EUR", "exchange_rate": 1.08, "cost_per_hour": 10.0,
               "hours": {"open_hour": 0, "close_hour": 12, "weekdays": EVERY_DAY}}  # fmt: skip
# Sao Paulo keeps UTC-3 all year (no summer time since 2019): 09-21 there is 12-24 UTC.
SAO_PAULO = {"name": "Sao Paulo", "time_zone": "America/Sao_Paulo", "shrinkage": 0.3,
             "currency": "BRL", "exchange_rate": 0.2, "cost_per_hour": 40.0,
             "hours": {"open_hour": 9, "close_hour": 21, "weekdays": EVERY_DAY}}  # fmt: skip
TIER_2 = {"name": "Tier 2", "escalates_from": ["phone"], "share": 0.1, "delay_hours": 0,
          "aht_seconds": 1_200, "response_hours": 24, "hours": ROUND_THE_CLOCK}  # fmt: skip


def test_two_sites_and_two_tiers_by_hand_coverage_fte_per_site_and_pay_to_the_cent():
    # Coverage: Abidjan 00-12 UTC, Sao Paulo 12-24 UTC, every day: each hour once.
    # Phone: 2,000 contacts a day evenly, 41.67 a half-hour at 300 s, 80% in 20 s: n agents
    # (Erlang C, max occupancy 85%) every half-hour; each site works 12 hours of them.
    # Tier 2: 10% escalate at once: 200 x 1,200 s = 66.67 hours of work a day, worked round
    # the clock at 80% occupancy: 83.33 agent-hours a day, half at each site.
    # FTE (40 paid hours a week, shifts that fit exactly): net = agent hours a day x 7 / 40;
    # gross = net / (1 - the site's shrinkage): 20% in Abidjan, 30% in Sao Paulo.
    # A hire costs 10 EUR x 1.08 x 2,080 h = 22,464.00 USD in Abidjan and 40 BRL x 0.20 x
    # 2,080 h = 16,640.00 USD in Sao Paulo; hires spread by gross FTE (the same net hours:
    # 1/0.8 : 1/0.7 = 7 : 8): (7 x 22,464 + 8 x 16,640) / 15 = 19,357.87 USD a year.
    result = phone_plan(ABIDJAN_DAY, SAO_PAULO, tiers=(TIER_2,), currency="USD",
                        workforce={"starting_fte": 10, "occupancy_target": 0.8,
                                   "shifts": {"model": "perfect"}},
                        costs={"merit_increase": 0.0})  # fmt: skip
    week = coverage(result.scenario.service.sites, "UTC", pd.Timestamp(START))
    open_at = week[week["open"]].groupby("hour")["site"].agg(lambda s: sorted(set(s)))
    assert open_at.to_dict() == {h: ["Abidjan"] if h < 12 else ["Sao Paulo"] for h in range(24)}
    n = erlang_c_agents(2_000 / 48, 300, 30, 0.8, 20, 0.85)
    tier_2_hours = 200 * 1_200 / 3_600 / 0.8  # agent-hours a day
    net_a_day = n * 12 + tier_2_hours / 2  # each site's agent-hours a day
    sites = result.requirements.fte_by_site("M").set_index(["site", "period"])
    for name, shrinkage in (("Abidjan", 0.2), ("Sao Paulo", 0.3)):
        january = sites.loc[(name, pd.Timestamp(START))]
        assert january["net_fte_mean"] == pytest.approx(net_a_day * 7 / 40)
        assert january["gross_fte_mean"] == pytest.approx(net_a_day * 7 / 40 / (1 - shrinkage))
    total = result.requirements.fte("M", by_channel=False)["gross_fte_mean"].iloc[0]
    assert total == pytest.approx(net_a_day * 7 / 40 * (1 / 0.8 + 1 / 0.7))
    prices = result.budget.prices
    assert round(prices.site_pay["Abidjan"], 2) == 22_464.00
    assert round(prices.site_pay["Sao Paulo"], 2) == 16_640.00
    assert round(result.budget.hire_pay, 2) == 19_357.87
    lines = result.budget.lines.groupby("line")["amount"].sum()
    abidjan, sao_paulo = (
        lines["Base pay: new hires · Abidjan"],
        lines["Base pay: new hires · Sao Paulo"],
    )
    assert abidjan / sao_paulo == pytest.approx(7 * 22_464 / (8 * 16_640))
    cohorts, people, _ = result.capacity.by_cohort(result.scenario.workforce)
    hired = sum(
        row.sum()
        for c, row in zip(cohorts, people, strict=True)
        if c.source not in ("roster", "starting FTE")
    )
    assert abidjan + sao_paulo == pytest.approx(hired * 290_368 / 15 / 12)


@settings(max_examples=6, deadline=None)
@given(
    cheap=st.floats(5.0, 30.0),
    markup=st.floats(0.5, 30.0),
    weights=st.tuples(st.floats(0.2, 5.0), st.floats(0.2, 5.0)).map(sorted),
)
def test_moving_work_to_a_cheaper_site_never_raises_the_cost(cheap, markup, weights):
    # Two in-house sites open round the clock with the plan's shrinkage and targets; the
    # cheaper one's weight goes up: the budget may not rise.
    # Five agents to start with: the plan hires, so a cheaper mix must cost less.
    def total(weight: float) -> float:
        cheap_site = {"name": "Cheap", "cost_per_hour": cheap, "share": weight}
        dear_site = {"name": "Dear", "cost_per_hour": cheap + markup}
        sites = [ROUND_THE_CLOCK_SITE | cheap_site, ROUND_THE_CLOCK_SITE | dear_site]
        return phone_plan(*sites, workforce={"starting_fte": 5, "shifts": {"model": "perfect"}},
                          costs={"merit_increase": 0.0}).budget.total  # fmt: skip

    less, more = weights
    assert total(more) <= total(less) + 1e-6
    if more > less * 1.05:
        assert total(more) < total(less)


ROUND_THE_CLOCK_SITE = {"time_zone": "UTC", "hours": ROUND_THE_CLOCK}


def test_cheapest_routing_sends_each_interval_to_the_cheapest_open_site():
    # A handled hour: in-house 20 USD an hour x 1.3 loaded / (1 - 25%) / 80% occupancy =
    # 43.33; a vendor at 2 EUR a contact of 300 s at 1.10 USD: 2 x 1.10 x 12 = 26.40.
    # The vendor is cheaper: while both are open it takes every contact; when it is
    # closed (Tokyo 06-15 UTC only) Abidjan answers.
    vendor = TOKYO.model_copy(update={"vendor": True, "currency": "EUR",
                                      "exchange_rate": 1.10, "price_per_contact": 2.0})  # fmt: skip
    all_day = ABIDJAN.hours.model_copy(update=ROUND_THE_CLOCK)
    house = ABIDJAN.model_copy(update={"cost_per_hour": 20.0, "hours": all_day})
    settings_ = scenario(
        time_zone="UTC", costs={"loaded_cost_factor": 1.3},
        workforce={"occupancy_target": 0.8, "shrinkage": {"paid_time_off": 0.25,
                   "sickness": 0, "training_coaching": 0, "meetings": 0, "breaks": 0}},
        service={"sites": [house.model_dump(), vendor.model_dump()], "routing": "cheapest"},
    )  # fmt: skip
    cost = handled_hour_cost(settings_, 300)
    assert cost == pytest.approx([20 * 1.3 / 0.75 / 0.8, 2 * 1.10 * 12])
    starts = pd.to_datetime(["2027-01-04 03:00", "2027-01-04 09:00", "2027-01-04 20:00"])
    shares = routed(settings_.service.sites, "phone", starts.to_numpy(), "UTC", cost)
    assert shares.tolist() == [[1.0, 0.0], [0.0, 1.0], [1.0, 0.0]]
    # equally cheap sites share by weight
    even = routed(settings_.service.sites, "phone", starts.to_numpy(), "UTC", np.ones(2))
    assert even[1].tolist() == [0.25, 0.75]


def test_deferred_work_no_site_serves_is_unserved_all_of_it():
    # Austin answers phone only: email (600 a day for 90 days) is never worked, so all of
    # its 54,000 contacts are unserved, and the note says so (not a share of 0).
    settings_ = scenario(service={"sites": [{"name": "Austin", "serves": ["phone"]}]})
    result = plan.build(settings_, flat_history(("phone", "email")), forecast=demand_frame(),
                        today=START)  # fmt: skip
    unserved = result.requirements.unserved_by_month("mean")
    assert unserved.loc[unserved["channel"] == "email", "outside_hours"].sum() == 54_000
    assert any("none of its 54,000 contacts" in note for note in result.requirements.notes)
    assert not any("inf%" in note for note in result.requirements.notes)


def test_teams_by_site_split_the_payroll_of_its_busiest_month():
    # The agents on the payroll in the month with the most, whole people, split by the
    # sites' gross FTE then (7 : 8 here, see the hand-worked example above).
    result = phone_plan(ABIDJAN_DAY, SAO_PAULO, tiers=(TIER_2,), currency="USD",
                        workforce={"starting_fte": 10, "occupancy_target": 0.8,
                                   "shifts": {"model": "perfect"}})  # fmt: skip
    teams = result.site_teams()
    _, people, _ = result.capacity.by_cohort(result.scenario.workforce)
    assert teams["agents"].sum() == round(people.sum(axis=0).max())
    assert teams["agents"].tolist() == pytest.approx(
        [teams["agents"].sum() * 7 / 15, teams["agents"].sum() * 8 / 15], abs=1
    )
    assert (teams["leads"] == np.ceil(teams["agents"] / 10)).all()


PERFECT = {"workforce": {"shifts": {"model": "perfect"}, "starting_fte": 10}}


def test_a_channel_split_by_language_staffs_each_language_on_its_own_by_hand():
    # 2,000 phone contacts a day evenly: 41.67 a half-hour at 300 s, 80% in 20 s. Split 70%
    # English and 30% Spanish, each language is its own Erlang C queue (textbook, above):
    # n_en(29.17) + n_es(12.5) agents every half-hour instead of n(41.67) pooled; with shifts
    # that fit exactly, net FTE = agents x 24 h a day x 7 / 40 paid hours a week.
    pooled = phone_plan(**PERFECT)
    split = phone_plan(languages={"English": 0.7, "Spanish": 0.3}, **PERFECT)
    n = erlang_c_agents(2_000 / 48, 300, 30, 0.8, 20, 0.85)
    english = erlang_c_agents(2_000 * 0.7 / 48, 300, 30, 0.8, 20, 0.85)
    spanish = erlang_c_agents(2_000 * 0.3 / 48, 300, 30, 0.8, 20, 0.85)
    assert english + spanish > n  # two small queues pool worse than one
    queues = split.requirements.fte("M").set_index(["channel", "period"])
    january = pd.Timestamp(START)
    for queue, agents in (("phone · English", english), ("phone · Spanish", spanish)):
        assert queues.loc[(queue, january), "net_fte_mean"] == pytest.approx(agents * 24 * 7 / 40)
    one = pooled.requirements.fte("M", by_channel=False)["net_fte_mean"].iloc[0]
    assert one == pytest.approx(n * 24 * 7 / 40)
    # the budget counts the channel once: the same contacts, in one channel, and more people
    volume = split.budget.volume
    assert set(volume["channel"]) == {"phone"}
    assert volume["contacts"].sum() == pytest.approx(pooled.budget.volume["contacts"].sum())
    gross = split.requirements.fte("M", by_channel=False)["gross_fte_mean"].to_numpy()
    assert volume.groupby("month")["gross_fte"].sum().to_numpy() == pytest.approx(gross)
    assert split.budget.total > pooled.budget.total


def test_a_site_answers_only_its_languages_and_the_rest_is_unserved():
    # English answered round the clock by Abidjan; Spanish only by Manila, 00-12 UTC (08-20
    # its time, UTC+8 all year): Spanish contacts 12-24 UTC, 2,000 x 30% x 12/24 = 300 a
    # day for 90 days, are unserved; no English contact is.
    abidjan = ABIDJAN.model_dump() | {"hours": ROUND_THE_CLOCK, "languages": ["English"]}
    manila = {"name": "Manila", "time_zone": "Asia/Manila", "languages": ["Spanish"],
              "hours": {"open_hour": 8, "close_hour": 20, "weekdays": EVERY_DAY}}  # fmt: skip
    result = phone_plan(abidjan, manila, languages={"English": 0.7, "Spanish": 0.3}, **PERFECT)
    unserved = result.requirements.unserved_by_month("mean").groupby("channel")["outside_hours"]
    assert unserved.sum().to_dict() == pytest.approx(
        {"phone · English": 0.0, "phone · Spanish": 300 * 90}
    )
    assert result.budget.volume["outside_hours"].sum() == pytest.approx(300 * 90)
    by_site = result.requirements.fte_by_site("M").groupby("site")["agent_hours_mean"].sum()
    queues = result.requirements.fte("M").groupby("channel", observed=True)["agent_hours_mean"]
    assert by_site["Abidjan"] == pytest.approx(queues.sum()["phone · English"])
    assert by_site["Manila"] == pytest.approx(queues.sum()["phone · Spanish"])
    every_hour = ABIDJAN.hours.model_copy(update=ROUND_THE_CLOCK)
    sites = [Site(**abidjan), Site(**manila)]
    assert uncovered_hours(sites, "phone", "Spanish", every_hour, "UTC", START) == 12 * 7
    assert uncovered_hours(sites, "phone", "English", every_hour, "UTC", START) == 0


@settings(max_examples=5, deadline=None)
@given(first=st.floats(0.05, 0.95))
def test_splitting_a_channel_by_language_never_needs_fewer_agents(first):
    # Pooling: one Erlang C queue of a contacts never needs more agents than two of its
    # parts (Smith and Whitt 1981), so a split never lowers the net FTE.
    pooled = phone_plan(**PERFECT).requirements.fte("M", by_channel=False)
    split = phone_plan(languages={"English": first, "Other": 1 - first}, **PERFECT)
    net = split.requirements.fte("M", by_channel=False)["net_fte_mean"].to_numpy()
    assert (net >= pooled["net_fte_mean"].to_numpy() - 1e-9).all()


@pytest.mark.parametrize(
    ("languages", "sites", "message"),
    [
        ([("phone", "English", 0.7), ("phone", "Spanish", 0.2)], [],
         "the languages of 'phone' add up to 90.0%; make them add up to 100%"),
        ([("voice", "English", 1.0)], [], "the language 'English' is of 'voice', which is not"),
        ([("phone", "English", 0.5), ("phone", "english", 0.5)], [], "are the same name"),
        ([("phone", "English", 1.0)], [{"name": "Lima", "languages": ["Quechua"]}],
         "site 'Lima' answers 'Quechua': name languages a channel is split into (English)"),
    ],
)  # fmt: skip
def test_languages_must_split_a_channel_whole_and_sites_name_them(languages, sites, message):
    shares = [{"channel": c, "language": lang, "share": s} for c, lang, s in languages]
    with pytest.raises(ScenarioError, match=re.escape(message)):
        scenario(service={"languages": shares, "sites": sites})


def test_a_language_split_and_the_sites_answering_it_are_one_bridge_step_both_ways():
    from planner import sensitivity
    from tests.unit.small_plan import plans

    spoken = [{"channel": "phone", "language": lang, "share": share}
              for lang, share in (("English", 0.6), ("French", 0.4))]  # fmt: skip
    sites = [{"name": "Austin", "languages": ["English"], "hours": ROUND_THE_CLOCK},
             {"name": "Quebec", "time_zone": "America/Toronto", "languages": ["French"],
              "hours": ROUND_THE_CLOCK}]  # fmt: skip
    base = scenario()
    split = scenario(name="Split", service={"languages": spoken, "sites": sites})
    run = plans()
    assert run.total(split) > run.total(base)  # two queues pool worse than one
    for start, end in ((base, split), (split, base)):
        steps = sensitivity.bridge(start, end, run).set_index("step")["change"]
        assert steps["Site mix"] == pytest.approx(run.total(end) - run.total(start))


def test_a_site_change_restaffs_only_the_queues_that_site_answers():
    # Manila answers email only: its weight moved, phone is taken as it was, email is made
    # again, and both are what a fresh staffing gives.
    from planner import staffing

    austin = {"name": "Austin", "time_zone": "America/Chicago", "hours": ROUND_THE_CLOCK,
              "shrinkage": 0.2}  # fmt: skip
    manila = {"name": "Manila", "time_zone": "Asia/Manila", "serves": ["email"],
              "hours": ROUND_THE_CLOCK}  # fmt: skip
    history, demand = flat_history(("phone", "email")), demand_frame()
    first = staffing.requirements(demand, history, scenario(service={"sites": [austin, manila]}))
    moved = scenario(service={"sites": [austin, manila | {"share": 3.0}]})
    reused = staffing.requirements(demand, history, moved, reuse=first)
    fresh = staffing.requirements(demand, history, moved)
    assert reused.per_channel["phone"] is first.per_channel["phone"]
    assert reused.per_channel["email"] is not first.per_channel["email"]
    assert reused.daily.equals(fresh.daily)
    assert reused.fte_by_site("M").equals(fresh.fte_by_site("M"))
