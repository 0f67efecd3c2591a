"""Tiers: escalated contacts worked out by hand (share, delay split between periods, a
vendor's contacts escalating too), a tier staffed as deferred work to the FTE a hand
calculation gives, and escalations adding cost, never contacts."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner import plan
from planner.scenario import ServiceSettings
from planner.tiers import delayed, with_escalations
from tests.unit.small_plan import START, demand_frame, flat_history, scenario

ROUND_THE_CLOCK = {"open_hour": 0, "close_hour": 24, "weekdays": [0, 1, 2, 3, 4, 5, 6]}


def service(*tiers: dict) -> ServiceSettings:
    return scenario(service={"tiers": list(tiers)}).service


def daily(phone: list[float], email: list[float] | None = None) -> pd.DataFrame:
    period = pd.date_range(START, periods=len(phone), freq="D")
    parts = [("phone", phone)] + ([("email / billing", email)] if email else [])
    return pd.concat(
        [pd.DataFrame({"series": name, "period": period, "mean": values,
                       "lower": np.multiply(values, 0.5), "upper": np.multiply(values, 2.0)})
         for name, values in parts],
        ignore_index=True,
    )  # fmt: skip


def tier_rows(frame: pd.DataFrame, name: str = "Tier 2") -> pd.DataFrame:
    return frame[frame["series"] == name].reset_index(drop=True)


def test_escalations_by_hand_with_a_delay_of_a_day_and_a_half():
    # 20% escalate 36 hours later: a day's escalations are 0.2 x (half of the contacts of
    # the day before + half of the day before that). Phone: 100 a day, 200 on day 5.
    phone = [100.0] * 10
    phone[5] = 200.0
    frame = with_escalations(
        daily(phone), service({"name": "Tier 2", "share": 0.2, "delay_hours": 36})
    )
    tier = tier_rows(frame)
    assert tier["mean"].tolist()[4:9] == pytest.approx([20.0, 20.0, 30.0, 30.0, 20.0])
    assert tier["mean"].iloc[0] == pytest.approx(20.0)  # the first day stands in before it
    assert tier["upper"].iloc[6] == pytest.approx(0.2 * (0.5 * 400 + 0.5 * 200))
    assert len(frame) == 20 and set(frame["series"]) == {"phone", "Tier 2"}


def test_a_tier_escalates_from_the_channels_it_names_and_tier_3_from_tier_2():
    frame = with_escalations(
        daily([100.0] * 5, email=[300.0] * 5),
        service(
            {"name": "Tier 2", "escalates_from": ["email"], "share": 0.1, "delay_hours": 0},
            {"name": "Tier 3", "escalates_from": ["Tier 2"], "share": 0.5, "delay_hours": 0},
        ),
    )
    assert tier_rows(frame)["mean"].tolist() == pytest.approx([30.0] * 5)  # 10% of email
    assert tier_rows(frame, "Tier 3")["mean"].tolist() == pytest.approx([15.0] * 5)
    everything = with_escalations(
        daily([100.0] * 5, email=[300.0] * 5), service({"name": "Tier 2", "share": 0.1,
                                                       "delay_hours": 0})
    )  # fmt: skip
    assert tier_rows(everything)["mean"].tolist() == pytest.approx([40.0] * 5)


def test_weekly_demand_moves_a_delay_as_a_share_of_a_week():
    period = pd.date_range(START, periods=4, freq="W-MON")
    frame = pd.DataFrame({"series": "phone", "period": period, "mean": [700.0, 1400, 700, 700],
                          "lower": 0.0, "upper": 0.0})  # fmt: skip
    tier = tier_rows(with_escalations(frame, service({"name": "Tier 2", "share": 0.1,
                                                      "delay_hours": 42})))  # fmt: skip
    # 42 h = 1/4 of a week: a quarter of each week's escalations fall in the next week
    assert tier["mean"].tolist() == pytest.approx(
        [70.0, 0.1 * (0.75 * 1400 + 0.25 * 700), 0.1 * (0.75 * 700 + 0.25 * 1400), 70.0]
    )


def test_no_tiers_leaves_the_demand_as_it_is():
    frame = daily([100.0] * 3)
    assert with_escalations(frame, service()) is frame


@settings(max_examples=40, deadline=None)
@given(
    values=st.lists(st.floats(0, 1e4), min_size=1, max_size=30),
    periods=st.floats(0, 10),
)
def test_a_delay_keeps_every_contact_once_the_first_period_stands_in_before_it(values, periods):
    # Conservation: delayed values sum to the values, less what is pushed past the end,
    # plus the first period's value for every period it stands in.
    values = np.array(values)[:, None]
    moved = delayed(values, periods)
    whole, part = int(periods), periods - int(periods)
    padded = np.concatenate([np.repeat(values[:1], whole + 1, axis=0), values])
    expected = [(1 - part) * padded[i + 1] + part * padded[i] for i in range(len(values))]
    assert moved == pytest.approx(np.array(expected))
    assert moved.min() >= values.min() - 1e-9 and moved.max() <= values.max() + 1e-9


def test_a_tier_is_staffed_as_deferred_work_to_the_fte_a_hand_calculation_gives():
    # 300 phone contacts a day, 20% escalate at once: 60 a day of 30 minutes = 30 hours of
    # work a day, arriving evenly round the clock (the tier has no history of its own).
    # Worked round the clock at a 75% occupancy target: 30 / 0.75 = 40 agent-hours a day,
    # 280 a week = 7.0 net FTE of 40 paid hours, every month; gross = net / (1 - shrinkage)
    # with shifts that fit exactly ("perfect").
    tier = {"name": "Tier 2", "escalates_from": ["phone"], "share": 0.2, "delay_hours": 0,
            "aht_seconds": 1_800,
            "response_hours": 24, "hours": ROUND_THE_CLOCK}  # fmt: skip
    settings_ = scenario(
        service={"tiers": [tier]},
        workforce={"starting_fte": 45, "occupancy_target": 0.75,
                   "shifts": {"model": "perfect"}},
    )  # fmt: skip
    result = plan.build(settings_, flat_history(("phone", "email")),
                        forecast=demand_frame(phone=300.0), today=START)  # fmt: skip
    fte = result.requirements.fte("M")
    tier_fte = fte[fte["channel"] == "Tier 2"]
    assert tier_fte["net_fte_mean"].to_numpy() == pytest.approx([7.0, 7.0, 7.0])
    shrinkage = settings_.workforce.scheduled_shrinkage
    assert tier_fte["gross_fte_mean"].to_numpy() == pytest.approx([7.0 / (1 - shrinkage)] * 3)
    assert tier_fte["calls_mean"].sum() == pytest.approx(60.0 * 90)


def test_escalations_add_cost_and_work_never_contacts():
    history = flat_history(("phone", "email"))
    flat = plan.build(scenario(), history, forecast=demand_frame(), today=START)
    tiered = plan.build(scenario(service={"tiers": [{"name": "Tier 2", "share": 0.1}]}),
                        history, forecast=demand_frame(), today=START)  # fmt: skip
    before, after = flat.budget.unit_economics(), tiered.budget.unit_economics()
    assert after.contacts == pytest.approx(before.contacts)
    assert after.total > before.total
    assert tiered.capacity.months["required"].sum() > flat.capacity.months["required"].sum()
    channels = tiered.budget.cost_per_ticket_by_channel().set_index("channel")
    assert channels.loc["Tier 2", "contacts"] == 0 and channels.loc["Tier 2", "cost"] > 0


def test_a_vendors_contacts_escalate_to_the_tier_above_it():
    vendor = {"vendors": [{"name": "BPO", "channel": "phone", "share": 0.5,
                           "price_per_ticket": 3.0}]}  # fmt: skip
    tier = {"tiers": [{"name": "Tier 2", "escalates_from": ["phone"], "share": 0.1}]}
    history = flat_history(("phone", "email"))
    alone = plan.build(scenario(service=tier), history, forecast=demand_frame(), today=START)
    shared = plan.build(scenario(service=tier, costs=vendor), history,
                        forecast=demand_frame(), today=START)  # fmt: skip
    calls = {name: r.requirements.fte("M").groupby("channel", observed=True)["calls_mean"].sum()
             for name, r in (("alone", alone), ("shared", shared))}  # fmt: skip
    assert calls["shared"]["Tier 2"] == pytest.approx(calls["alone"]["Tier 2"])
    assert calls["shared"]["phone"] == pytest.approx(calls["alone"]["phone"] / 2)


def test_a_tier_must_escalate_from_a_channel_or_an_earlier_tier():
    from planner.errors import ScenarioError

    with pytest.raises(ScenarioError, match="escalates from 'Tier 3'"):
        scenario(service={"tiers": [{"name": "Tier 2", "escalates_from": ["Tier 3"]},
                                    {"name": "Tier 3"}]})  # fmt: skip
    with pytest.raises(ScenarioError, match="are the same name"):
        scenario(service={"tiers": [{"name": "Phone"}]})


def test_the_budget_by_tier_adds_up_to_the_budget():
    result = plan.build(
        scenario(service={"tiers": [{"name": "Tier 2", "share": 0.1},
                                    {"name": "Tier 3", "escalates_from": ["Tier 2"],
                                     "share": 0.3}]}),
        flat_history(("phone", "email")), forecast=demand_frame(), today=START,
    )  # fmt: skip
    table = result.budget.cost_by_tier()
    assert table["tier"].tolist() == ["Tier 1", "Tier 2", "Tier 3"]
    assert table["cost"].sum() == pytest.approx(result.budget.total)
    assert table["share"].sum() == pytest.approx(1.0)
    # Tier 3 takes 30% of Tier 2's escalations at the same handle time: fewer people
    assert 0 < table.loc[2, "gross_fte"] < table.loc[1, "gross_fte"]
    flat = plan.build(scenario(), flat_history(("phone", "email")), forecast=demand_frame(),
                      today=START)  # fmt: skip
    assert flat.budget.cost_by_tier().empty


def test_first_contact_resolution_up_shrinks_escalations_and_repeats_in_proportion():
    # FCR 70% -> 76%: the unresolved 30% become 24%, k = 0.8. With repeats 10% of contacts,
    # contacts x (1 - 0.1 + 0.1 x 0.8) = x 0.98; Tier 2's 10% of them x 0.8 = 8%.
    from planner import demand

    settings = scenario(demand={"first_contact_resolution": 0.70, "fcr_change": 0.06,
                                "repeat_share": 0.10},
                        service={"tiers": [{"name": "Tier 2", "escalates_from": ["phone"],
                                            "share": 0.1, "delay_hours": 0}]})  # fmt: skip
    assert demand.unresolved_change(settings.demand) == pytest.approx(0.8)
    adjusted = demand.apply(daily([1_000.0] * 4), settings.demand)
    assert adjusted.frame["mean"].tolist() == pytest.approx([980.0] * 4)
    assert "fcr" in set(adjusted.effects["kind"])
    staffed = plan.staffed_demand(adjusted.frame, settings)
    assert tier_rows(staffed)["mean"].tolist() == pytest.approx([0.08 * 980.0] * 4)
    # Tier 3 above Tier 2 is not moved by Tier 1's resolution
    above = scenario(demand={"fcr_change": 0.06},
                     service={"tiers": [{"name": "Tier 2", "share": 0.1, "delay_hours": 0},
                                        {"name": "Tier 3", "escalates_from": ["Tier 2"],
                                         "share": 0.5, "delay_hours": 0}]})  # fmt: skip
    both = plan.staffed_demand(demand.apply(daily([1_000.0] * 2), above.demand).frame, above)
    assert tier_rows(both, "Tier 3")["mean"].tolist() == pytest.approx([0.5 * 80.0] * 2)


def test_first_contact_resolution_must_stay_a_share():
    from planner.errors import ScenarioError

    with pytest.raises(ScenarioError, match="keep it between 0% and 100%"):
        scenario(demand={"first_contact_resolution": 0.9, "fcr_change": 0.2})


def test_a_vendor_takes_a_channel_not_a_tier():
    from planner.errors import ScenarioError

    with pytest.raises(ScenarioError, match="Tier 2 is a tier"):
        scenario(service={"tiers": [{"name": "Tier 2"}]},
                 costs={"vendors": [{"name": "BPO", "channel": "Tier 2", "share": 0.5,
                                     "price_per_ticket": 3.0}]})  # fmt: skip


def escalation_tickets() -> pd.DataFrame:
    """Phone: 100 tickets, 75 at Tier 1, 20 at Tier 2, 5 at Tier 3. Email: 190 with an
    escalation flag, 10 of them escalated; 10 more tickets without a tier."""
    labels = ["Tier 1"] * 75 + ["Tier 2"] * 20 + ["Tier 3"] * 5
    labels += ["no"] * 180 + ["Escalated"] * 10 + [None] * 10
    channels = ["phone"] * 100 + ["email"] * 200
    return pd.DataFrame(
        {
            "ticket_id": [str(i) for i in range(300)],
            "created_at": pd.date_range("2026-01-05", periods=300, freq="2h", tz="UTC"),
            "channel": channels,
            "queue": "all",
            "csat": None,
            "handle_minutes": 6.0,
            "first_reply_minutes": None,
            "tier": labels,
        }
    )


@pytest.mark.parametrize(
    ("label", "level"),
    [("Tier 2", 2), ("L3", 3), ("t1", 1), ("2", 2), ("Escalated", 2), ("yes", 2),
     ("No", 1), ("false", 1), ("Billing", None), ("L0", 1)],
)  # fmt: skip
def test_the_tier_a_label_names(label, level):
    from planner.measure import tier_level

    assert tier_level(label) == level


def test_escalation_shares_are_measured_from_the_tier_each_ticket_reached():
    # By hand: Tier 2 = tickets at tier >= 2 / tickets with a tier, over the channels that
    # escalate: (25 + 10) / (100 + 190) = 12.07%; Tier 3 = tickets at tier 3 / those at 2 or
    # above = 5 / 35 = 14.29% of Tier 2 (email's escalations reach Tier 2 too).
    from planner import measure
    from planner.scenario import Scenario
    from planner.volume import aggregate

    history = aggregate(escalation_tickets(), "D", "UTC")
    assert history.tiers["tickets"].sum() == 290
    row = next(r for r in measure.measure(history, Scenario()).rows if r.path == "service.tiers")
    assert [t.name for t in row.measured] == ["Tier 2", "Tier 3"]
    assert row.measured[0].share == pytest.approx(35 / 290, abs=1e-4)
    assert row.measured[0].escalates_from == ["email", "phone"]
    assert row.measured[1].share == pytest.approx(5 / 35, abs=1e-4)
    assert row.measured[1].escalates_from == ["Tier 2"]
    assert row.tickets == 290 and "phone 25.0%" in row.note and "email 5.3%" in row.note
    planned = measure.apply(Scenario(), measure.measure(history, Scenario()))
    assert [t.name for t in planned.service.tiers] == ["Tier 2", "Tier 3"]
    assert planned.source_of("service.tiers").kind == "measured"
    assert measure.forget(planned).service.tiers == []


def test_an_export_without_a_tier_column_measures_no_tiers():
    from planner import measure
    from planner.scenario import Scenario
    from planner.volume import aggregate

    history = aggregate(escalation_tickets().drop(columns="tier"), "D", "UTC")
    assert history.tiers is None
    row = next(r for r in measure.measure(history, Scenario()).rows if r.path == "service.tiers")
    assert row.measured is None and "no tier or escalation column" in row.note


def test_a_csv_with_a_tier_column_keeps_its_tiers_through_ingest_and_the_store(tmp_path):
    from tests.unit.exported import stored, through_csv

    history = through_csv(escalation_tickets(), "tier", "Tier", tmp_path)
    counted = history.tiers.set_index(["channel", "tier"])["tickets"]
    assert counted[("phone", "Tier 2")] == 20 and counted[("email", "Escalated")] == 10
    assert counted.sum() == 290
    assert stored(history, tmp_path).tiers.equals(history.tiers)
