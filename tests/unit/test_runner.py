"""The runner keeps plans by content: an equal rebuilt object hits, a changed one misses,
what it returns equals a plan built from nothing, and it stays bounded."""

import datetime as dt

import pandas as pd
import pytest

from planner import plan as plan_module
from planner.org import Organisation, read_people
from planner.plan import Runner
from planner.recent import Recent, digest
from planner.scenario import Scenario
from tests.unit.small_plan import START, demand_frame, flat_history, scenario

PEOPLE = read_people(
    pd.DataFrame(
        {
            "employee_id": ["E1", "E2", "E3"],
            "name": ["Ada", "Ben", "Cy"],
            "title": ["Support Agent", "Support Agent", "Support Team Lead"],
            "level": ["L1", "L1", "L3"],
            "manager_id": ["E3", "E3", ""],
            "location": ["Lisbon", "Lisbon", "Lisbon"],
            "start_date": ["2024-01-01", "2025-01-01", "2022-01-01"],
            "fte": [1.0, 1.0, 1.0],
            "annual_base_pay": [40_000.0, 42_000.0, 60_000.0],
        }
    )
)


def rebuilt(value: Scenario) -> Scenario:
    """An equal scenario that is another object."""
    return Scenario.from_json(value.model_dump_json())


def test_an_equal_rebuilt_history_scenario_and_organisation_hit_and_a_change_misses():
    run = Runner()
    people = Organisation(PEOPLE.copy())
    first = run.plans(flat_history(("phone", "email")), demand_frame(), organisation=people,
                      today=START).build(scenario(), bounds=plan_module.BOUNDS)  # fmt: skip
    again = run.plans(
        flat_history(("phone", "email")),  # another object, the same counts and profile
        demand_frame(),
        organisation=Organisation(PEOPLE.copy()),
        today=START,
    ).build(rebuilt(scenario()), bounds=plan_module.BOUNDS)
    assert again is first
    on = run.plans(flat_history(("phone", "email")), demand_frame(), today=START)
    changed = on.build(scenario(demand={"growth_per_year": 0.3}))
    assert changed is not first and changed.budget.total != first.budget.total
    more_demand = run.plans(flat_history(("phone", "email")), demand_frame(phone=2_500.0),
                            today=START)  # fmt: skip
    assert more_demand.total(scenario()) > on.total(scenario())
    others = PEOPLE.assign(annual_base_pay=PEOPLE["annual_base_pay"] * 1.1)
    dearer = run.plans(flat_history(("phone", "email")), demand_frame(),
                       organisation=Organisation(others), today=START)  # fmt: skip
    assert dearer.build(scenario(), bounds=plan_module.BOUNDS) is not first
    later = run.plans(flat_history(("phone", "email")), demand_frame(), organisation=people,
                      today=START + dt.timedelta(days=40))  # fmt: skip
    assert later.build(scenario(), bounds=plan_module.BOUNDS) is not first


def test_what_the_runner_returns_equals_a_plan_built_from_nothing():
    history, forecast = flat_history(("phone", "email")), demand_frame()
    plans = Runner().plans(history, forecast, today=START)
    plans.build(scenario(), bounds=plan_module.BOUNDS)
    for changed in (
        scenario(costs={"agent_base_pay": 50_000, "loaded_cost_factor": 1.5}),
        scenario(workforce={"starting_fte": 45, "annual_attrition": 0.5,
                            "shrinkage": {"sickness": 0.08}}),
        scenario(demand={"growth_per_year": 0.3}),
        scenario(service={"max_occupancy": 0.75}),
        scenario(service={"tiers": [{"name": "Tier 2", "share": 0.1, "delay_hours": 30}]}),
        scenario(costs={"vendors": [{"name": "BPO", "channel": "email", "share": 0.3,
                                     "price_per_ticket": 2.0}]}),
    ):  # fmt: skip
        fresh = plan_module.build(changed, history, forecast=forecast, today=START)
        kept = plans.build(changed, bounds=plan_module.BOUNDS)
        for bound in plan_module.BOUNDS:
            assert kept.budgets[bound].total == pytest.approx(fresh.budgets[bound].total)
            assert kept.budgets[bound].lines.equals(fresh.budgets[bound].lines)
        assert kept.capacity.months.equals(fresh.capacity.months)
        assert kept.scenario == changed


def test_a_cost_change_prices_the_same_capacity_plan_again():
    plans = Runner().plans(flat_history(("phone", "email")), demand_frame(), today=START)
    first = plans.build(scenario(), bounds=plan_module.BOUNDS)
    dearer = scenario(costs={"loaded_cost_factor": 1.5, "overhead_per_month": 1_000.0})
    reused = plans.build(dearer, bounds=plan_module.BOUNDS)
    assert reused.capacity is first.capacity  # priced again, not planned again
    fresh = plan_module.build(dearer, plans.history, forecast=demand_frame(), today=START)
    assert reused.budget.unit_economics() == fresh.budget.unit_economics()
    longer = scenario(workforce={"starting_fte": 45, "annual_attrition": 0.5})
    assert plans.build(longer, bounds=plan_module.BOUNDS).capacity is not first.capacity


def test_a_service_change_staffs_only_the_channel_that_changed():
    plans = Runner().plans(flat_history(("phone", "email")), demand_frame(), today=START)
    first = plans.build(scenario())
    data = scenario().model_dump(mode="json")
    data["service"]["channels"]["phone"]["service_level"] = 0.9
    faster = plans.build(Scenario.parse(data))
    assert faster.requirements.schedules["email"] is first.requirements.schedules["email"]
    assert faster.requirements.schedules["phone"] is not first.requirements.schedules["phone"]


def test_the_forecast_is_kept_by_the_history_content_and_the_settings():
    run = Runner()
    history = flat_history(("phone", "email"))
    plan = scenario(forecast={"method": "seasonal_naive", "allow_short_history": True})
    assert not run.has_forecast(plan, history, horizon=5)
    made = run.forecast(plan, history, horizon=5)
    assert run.has_forecast(plan, flat_history(("phone", "email")), horizon=5)
    assert run.forecast(rebuilt(plan), flat_history(("phone", "email")), horizon=5) is made
    assert not run.has_forecast(plan, history, horizon=6)
    other = scenario(forecast={"method": "seasonal_naive", "allow_short_history": True,
                               "interval_level": 90})  # fmt: skip
    assert not run.has_forecast(other, history, horizon=5)


def test_the_runner_stays_bounded_and_never_returns_another_plan():
    plans = Runner().plans(flat_history(("phone", "email")), demand_frame(), today=START)
    asked = [scenario(costs={"overhead_per_month": 1_000.0 * i}) for i in range(80)]
    for value in asked:
        assert plans.build(value).scenario == value
    assert plans.build(asked[0]).scenario == asked[0]  # dropped long ago, made again
    kept = plan_module
    limit = (kept.FORECASTS_KEPT + kept.DEMANDS_KEPT + kept.STAFFINGS_KEPT + kept.PLANS_KEPT
             + kept.RESULTS_KEPT)  # fmt: skip
    assert len(plans.runner) <= limit
    assert kept.STAFFINGS_KEPT * 6 <= 100  # MB: a staffing of the sample's year is ~6 MB


def test_the_most_recently_used_entries_are_kept():
    computed = []
    kept = Recent(2)

    def compute(key):
        computed.append(key)
        return key.upper()

    for key in ["a", "b", "a", "c", "a", "b"]:
        assert kept.get_or(key, lambda k=key: compute(k)) == key.upper()
    assert computed == ["a", "b", "c", "b"]  # 'a' was used again, so 'b' went first
    assert list(kept) == ["a", "b"]


def test_a_demand_change_on_one_channel_staffs_that_channel_alone():
    plans = Runner().plans(flat_history(("phone", "email")), demand_frame(), today=START)
    first = plans.build(scenario())
    bot = {"channel": "phone", "start": "2027-02-01", "share": 0.2, "ramp_months": 0}
    helped = plans.build(scenario(demand={"deflection": [bot]}))
    assert helped.requirements.schedules["email"] is first.requirements.schedules["email"]
    assert helped.requirements.schedules["phone"] is not first.requirements.schedules["phone"]
    fresh = plan_module.build(scenario(demand={"deflection": [bot]}), plans.history,
                              forecast=demand_frame(), today=START)  # fmt: skip
    assert helped.budget.total == pytest.approx(fresh.budget.total)
    assert helped.requirements.daily.equals(fresh.requirements.daily)


def test_the_digest_reads_names_types_and_values_not_the_index():
    frame = pd.DataFrame(
        {
            "series": ["phone", "chat"],
            "period": pd.to_datetime(["2027-01-01", "2027-01-02"]),
            "mean": [10.0, 20.0],
            "when": pd.to_datetime(["2027-01-01", "2027-01-02"]).tz_localize("Europe/Lisbon"),
        }
    )
    same = frame.copy().set_axis([7, 9])  # rebuilt, another index
    assert digest(frame) == digest(same)
    assert digest(frame) != digest(frame.assign(mean=[10.0, 20.5]))
    assert digest(frame) != digest(frame.assign(series=["phon", "echat"]))  # no run-together
    assert digest(frame) != digest(frame.rename(columns={"mean": "upper"}))
    assert digest(frame) != digest(frame.astype({"mean": "float32"}))
    assert digest(frame, None) != digest(frame) and digest(None) == digest(None)
