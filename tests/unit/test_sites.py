"""Sites: who answers each interval, worked out by hand across time zones; each site's
share of the agents; intervals no site covers served like closed ones."""

import numpy as np
import pandas as pd
import pytest

from planner import plan
from planner.errors import ScenarioError
from planner.scenario import Site
from planner.sites import coverage, routed, uncovered_hours
from tests.unit.small_plan import START, demand_frame, scenario
from tests.unit.test_staffing import flat_history

EVERY_DAY = [0, 1, 2, 3, 4, 5, 6]
# Abidjan is UTC all year, Tokyo UTC+9 all year (neither moves its clocks): in UTC,
# Abidjan works 00-12 and Tokyo 06-15 (15-24 its time); nobody works 15-24 UTC.
ABIDJAN = Site(name="Abidjan", time_zone="Africa/Abidjan",
               hours={"open_hour": 0, "close_hour": 12, "weekdays": EVERY_DAY})  # fmt: skip
TOKYO = Site(name="Tokyo", time_zone="asia/tokyo", share=3.0,
             hours={"open_hour": 15, "close_hour": 24, "weekdays": EVERY_DAY})  # fmt: skip
ROUND_THE_CLOCK = {"open_hour": 0, "close_hour": 24, "weekdays": EVERY_DAY}
PHONE = demand_frame().query("series == 'phone'")  # 2,000 contacts a day, 90 days


def phone_plan(*sites: dict, **sections) -> plan.PlanResult:
    """The plan of a phone line open round the clock in UTC (``PHONE``, evenly through
    the day), answered by ``sites``."""
    settings = scenario(
        time_zone="UTC",
        service={"channels": {"phone": {"model": "erlang", "aht_seconds": 300,
                                        "service_level": 0.8, "answer_seconds": 20,
                                        "hours": ROUND_THE_CLOCK}},
                 "sites": list(sites)},
        **sections,
    )  # fmt: skip
    return plan.build(settings, flat_history(("phone",)), forecast=PHONE, today=START)


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
    assert uncovered_hours([ABIDJAN, TOKYO], "phone", hours, "UTC", START) == 9 * 7


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
    with pytest.raises(ScenarioError, match="serves 'sms'"):
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
