"""What-if demand: each adjustment checked against hand-worked factors, and invariants."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.demand import apply
from planner.errors import PlannerError, ScenarioError
from planner.scenario import Deflection, DemandEvent, DemandSettings, Scenario

START = pd.Timestamp("2027-01-01")  # a Friday


def flat(days=90, freq="D", series=("email",), value=100.0):
    periods = pd.date_range(START, periods=days, freq=freq)
    return pd.concat(
        [
            pd.DataFrame(
                {"series": name, "period": periods, "mean": value, "lower": 80.0, "upper": 130.0}
            )
            for name in series
        ],
        ignore_index=True,
    )


def test_a_ten_percent_event_raises_exactly_its_weeks_by_ten_percent():
    launch = DemandEvent(
        name="Launch", start=dt.date(2027, 1, 11), weeks=2, low_change=0.1, high_change=0.1
    )
    demand = apply(flat(), DemandSettings(events=[launch]))
    email = demand.series("email")
    inside = (email.index >= "2027-01-11") & (email.index <= "2027-01-24")
    assert inside.sum() == 14
    assert email.loc[inside, "mean"].tolist() == pytest.approx([110.0] * 14)
    assert email.loc[inside, "lower"].tolist() == pytest.approx([88.0] * 14)
    assert email.loc[inside, "upper"].tolist() == pytest.approx([143.0] * 14)
    assert (email.loc[~inside, ["mean", "lower", "upper"]] == [100.0, 80.0, 130.0]).all().all()
    assert demand.effects.to_dict("records") == [
        {"adjustment": "Launch", "kind": "event", "contacts": pytest.approx(140.0)}
    ]


def test_an_event_range_moves_the_bounds_by_its_low_and_high_cases():
    launch = DemandEvent(
        name="Launch", start=START.date(), weeks=1, low_change=0.1, high_change=0.3
    )
    first = apply(flat(), DemandSettings(events=[launch])).series("email").iloc[0]
    assert (first["mean"], first["lower"], first["upper"]) == pytest.approx((120.0, 88.0, 169.0))


def test_an_event_covers_its_share_of_a_week_and_only_its_channels():
    # Weeks start Monday 4 January; the event runs Wednesday 6 to Tuesday 12 January:
    # 5 of the first week's 7 days and 2 of the second's.
    weekly = flat(3, "W-MON", series=("chat", "email"))
    event = DemandEvent(
        name="Campaign",
        start=dt.date(2027, 1, 6),
        weeks=1,
        low_change=0.7,
        high_change=0.7,
        channels=["chat"],
    )
    demand = apply(weekly, DemandSettings(events=[event]))
    assert demand.series("chat")["mean"].tolist() == pytest.approx([150.0, 120.0, 100.0])
    assert demand.series("email")["mean"].tolist() == [100.0, 100.0, 100.0]


def test_trend_growth_compounds_by_the_day():
    demand = apply(flat(400), DemandSettings(growth_per_year=0.10))
    email = demand.series("email")["mean"]
    assert email.iloc[0] == pytest.approx(100.0)
    assert email.iloc[365] == pytest.approx(110.0)  # a year after the first day
    assert email.iloc[73] == pytest.approx(100 * 1.1**0.2)


def test_customers_driver_multiplies_customers_by_contacts_per_customer():
    drivers = DemandSettings(
        growth_driver="customers",
        customers_now=4_000,
        customers_in_a_year=5_000,
        contacts_per_customer_change=-0.05,
    )
    email = apply(flat(400), drivers).series("email")
    # Day 365: 5,000 / 4,000 x 0.95 = 1.1875. Day 73 (0.2 years): 4,200 / 4,000 x 0.95^0.2.
    assert email["mean"].iloc[365] == pytest.approx(118.75)
    assert email["mean"].iloc[73] == pytest.approx(105 * 0.95**0.2)
    assert email["upper"].iloc[365] == pytest.approx(130 * 1.1875)
    with pytest.raises(ScenarioError, match="customers now"):
        Scenario.parse({"demand": {"growth_driver": "customers"}})


def test_deflection_ramps_linearly_over_calendar_months():
    # Go-live 1 January, 30% at full adoption after 2 months (1 March, 59 days later).
    bot = Deflection(channel="chat", start=START.date(), share=0.3, ramp_months=2)
    demand = apply(flat(90, series=("chat", "email")), DemandSettings(deflection=[bot]))
    chat = demand.series("chat")["mean"]
    assert chat.loc["2027-01-01"] == pytest.approx(100.0)
    assert chat.loc["2027-01-30"] == pytest.approx(100 * (1 - 0.3 * 29 / 59))
    assert chat.loc["2027-03-01":].tolist() == pytest.approx([70.0] * 31)
    assert demand.series("email")["mean"].eq(100.0).all()
    assert demand.effects["contacts"].iloc[0] < 0
    # what the assistant answers is kept per row and bound: 30 of 100, 39 of 130 upper
    deflected = demand.series("chat").loc["2027-03-01"]
    assert (deflected["deflected_mean"], deflected["deflected_upper"]) == pytest.approx((30, 39))
    assert demand.series("email")["deflected_mean"].eq(0).all()
    assert demand.change == pytest.approx(
        (demand.frame["mean"].sum() - 2 * 90 * 100) / (2 * 90 * 100)
    )


def test_deflection_on_monthly_periods_averages_the_days_and_queues_follow_their_channel():
    monthly = flat(3, "MS", series=("chat / Billing", "chat / Tech", "email / Billing"))
    bot = Deflection(channel="chat", start=dt.date(2027, 1, 17), share=0.5, ramp_months=0)
    demand = apply(monthly, DemandSettings(deflection=[bot]))
    billing = demand.series("chat / Billing")["mean"].tolist()
    # January: 15 of 31 days deflected by half; February and March fully.
    assert billing == pytest.approx([100 * (1 - 0.5 * 15 / 31), 50.0, 50.0])
    assert demand.series("chat / Tech")["mean"].tolist() == pytest.approx(billing)
    assert demand.series("email / Billing")["mean"].tolist() == [100.0] * 3


def test_adjustments_multiply_in_order_and_each_effect_is_credited():
    adjustments = DemandSettings(
        growth_per_year=0.10,
        events=[
            DemandEvent(
                name="Launch", start=START.date(), weeks=52, low_change=0.2, high_change=0.2
            )
        ],
        deflection=[Deflection(channel="email", start=START.date(), share=0.5, ramp_months=0)],
    )
    demand = apply(flat(1), adjustments)
    assert demand.frame["mean"].iloc[0] == pytest.approx(100 * 1.0 * 1.2 * 0.5)
    assert demand.effects["contacts"].tolist() == pytest.approx([20.0, -60.0])
    assert demand.total()["mean"].iloc[0] == pytest.approx(60.0)


def test_unknown_channels_and_bad_tables_are_explained():
    bot = Deflection(channel="sms", start=START.date(), share=0.3)
    demand = apply(flat(10), DemandSettings(deflection=[bot]))
    assert demand.frame["mean"].eq(100.0).all()
    assert "sms" in demand.notes[0] and "email" in demand.notes[0]
    with pytest.raises(PlannerError, match="lacks the column"):
        apply(flat(10).drop(columns="upper"), DemandSettings())
    with pytest.raises(PlannerError, match="no series 'chat'"):
        demand.series("chat")


adjustment_sets = st.builds(
    DemandSettings,
    growth_per_year=st.floats(-0.5, 2.0),
    events=st.lists(
        st.builds(
            lambda start, weeks, low, spread: DemandEvent(
                name="event", start=start, weeks=weeks, low_change=low, high_change=low + spread
            ),
            st.dates(dt.date(2026, 12, 1), dt.date(2027, 6, 1)),
            st.integers(1, 20),
            st.floats(-0.9, 1.0),
            st.floats(0, 1.0),
        ),
        max_size=3,
    ),
    deflection=st.lists(
        st.builds(
            Deflection,
            channel=st.sampled_from(["chat", "email"]),
            start=st.dates(dt.date(2026, 12, 1), dt.date(2027, 6, 1)),
            share=st.floats(0, 0.95),
            ramp_months=st.integers(0, 12),
        ),
        max_size=2,
    ),
)


@settings(max_examples=60, deadline=None)
@given(adjustments=adjustment_sets, freq=st.sampled_from(["D", "W-MON", "MS"]))
def test_adjusted_volume_stays_ordered_and_non_negative(adjustments, freq):
    base = flat(40, freq, series=("chat", "email"))
    demand = apply(base, adjustments)
    frame = demand.frame
    assert (frame[["lower", "mean", "upper"]] >= 0).all().all()
    assert (frame["lower"] <= frame["mean"] + 1e-9).all()
    assert (frame["mean"] <= frame["upper"] + 1e-9).all()
    assert demand.effects["contacts"].sum() == pytest.approx(
        frame["mean"].sum() - base["mean"].sum(), abs=1e-6
    )
    assert np.allclose(frame["base_mean"], base.sort_values(["series", "period"])["mean"])


def test_no_adjustment_changes_nothing():
    base = flat(30, series=("chat", "email"))
    demand = apply(base, DemandSettings())
    assert demand.effects.empty and demand.change == 0.0
    pd.testing.assert_series_equal(
        demand.frame["mean"], demand.frame["base_mean"], check_names=False
    )


def test_a_share_of_deflected_contacts_comes_back_in_another_channel():
    # 30% of chat answered by AI from day one; half of those come back as emails:
    # chat 100 -> 70 a day, email 100 + 15 = 115 a day.
    bot = Deflection(channel="chat", start=START.date(), share=0.3, ramp_months=0,
                     recontact_share=0.5, recontact_channel="email")  # fmt: skip
    demand = apply(flat(30, series=("chat", "email")), DemandSettings(deflection=[bot]))
    assert demand.series("chat")["mean"].to_numpy() == pytest.approx(70.0)
    assert demand.series("email")["mean"].to_numpy() == pytest.approx(115.0)
    assert demand.series("email")["upper"].to_numpy() == pytest.approx(130 + 0.5 * 0.3 * 130)
    recontact = demand.effects.set_index("kind").loc["recontact", "contacts"]
    assert recontact == pytest.approx(15 * 30)
    # the 15 a day that come back are counted where they land (email), once
    assert demand.series("email")["recontact_mean"].to_numpy() == pytest.approx(15.0)
    assert demand.series("chat")["recontact_mean"].eq(0).all()
