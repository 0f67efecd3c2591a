"""Bridge steps add up, the tornado moves what it says, goal seek finds what a budget buys."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner import sensitivity
from planner.errors import PlannerError
from planner.scenario import Scenario
from tests.unit.small_plan import plans as runner
from tests.unit.small_plan import scenario


@settings(max_examples=12, deadline=None)
@given(
    growth=st.floats(-0.3, 0.5),
    attrition=st.floats(0.0, 0.8),
    loaded=st.floats(1.0, 1.8),
    aht=st.floats(200, 500),
    overhead=st.floats(0, 20_000),
)
def test_bridge_steps_add_up_to_the_difference(growth, attrition, loaded, aht, overhead):
    base = scenario()
    other = scenario(
        name="Other",
        demand={"growth_per_year": growth},
        workforce={"starting_fte": 45, "annual_attrition": attrition},
        costs={"agent_base_pay": 50_000, "loaded_cost_factor": loaded,
               "overhead_per_month": overhead},
    )  # fmt: skip
    data = other.model_dump(mode="json")
    data["service"]["channels"]["phone"]["aht_seconds"] = aht
    other = Scenario.parse(data)
    run = runner()
    steps = sensitivity.bridge(base, other, run)
    assert steps["step"].tolist() == ["Base", "Volume", "Handle time", "Site mix",
                                      "Escalation and resolution", "Service level",
                                      "Attrition", "Hiring timing", "Wage rates", "Tooling",
                                      "Deflection", "Other", "Other"]  # fmt: skip
    first, last = steps["change"].iloc[0], steps["change"].iloc[-1]
    assert first == pytest.approx(run.total(base))
    assert last == pytest.approx(run.total(other))
    assert steps["change"].iloc[1:-1].sum() == pytest.approx(last - first, abs=1e-6)


def test_each_driver_gets_its_own_change():
    base = scenario()
    dearer = scenario(costs={"agent_base_pay": 50_000, "overhead_per_month": 18_000})
    steps = sensitivity.bridge(base, dearer, runner()).set_index("step")["change"]
    # overhead is 8,000 a month by default: 10,000 more for 3 months
    assert steps["Other"] == pytest.approx(30_000)
    assert steps[["Volume", "Handle time", "Wage rates", "Tooling"]].abs().max() == 0


def test_escalation_is_a_step_of_the_bridge_and_an_assumption_of_the_tornado():
    base = scenario(service={"tiers": [{"name": "Tier 2", "share": 0.12}]})
    more = scenario(name="More", service={"tiers": [{"name": "Tier 2", "share": 0.18}]})
    run = runner()
    steps = sensitivity.bridge(base, more, run).set_index("step")["change"]
    assert steps["Escalation and resolution"] == pytest.approx(run.total(more) - run.total(base))
    assert steps["Escalation and resolution"] > 0
    rows = sensitivity.tornado(base, run)[0].set_index("assumption")
    assert rows.loc["Escalation rate", "cost_high"] > rows.loc["Escalation rate", "cost_low"]
    assert "Escalation rate" not in set(sensitivity.tornado(scenario(), run)[0]["assumption"])


def test_tornado_moves_pay_by_its_share_and_volume_moves_service_level():
    run = runner()
    table, base_cost, base_level = sensitivity.tornado(scenario(), run)
    rows = table.set_index("assumption")
    budget = run.build(scenario()).budget
    lines = budget.lines.groupby("line")["amount"].sum()
    pay = lines[lines.index.str.startswith("Base pay")].sum()
    pay += lines["Burden: agents (benefits, taxes)"]
    hiring = lines.get("Hiring and training", 0.0)
    # pay +10% moves base pay, burden and hiring cost by exactly 10%
    assert rows.loc["Pay", "cost_high"] - base_cost == pytest.approx(0.1 * (pay + hiring))
    assert rows.loc["Overhead", "cost_high"] - base_cost == pytest.approx(0.1 * 8_000 * 3)
    # more contacts with the same agents answer fewer in time
    assert rows.loc["Contact volume", "sl_high"] < base_level < rows.loc["Contact volume", "sl_low"]
    assert table["swing"].is_monotonic_decreasing
    assert {"Handle time, phone", "Service level, phone", "Response time, email"} <= set(rows.index)
    with pytest.raises(PlannerError, match="between 0 and 1"):
        sensitivity.tornado(scenario(), run, amount=1.5)


def test_a_bigger_budget_buys_a_higher_service_level_and_more_agents():
    run = runner()
    plan = run.build(scenario(workforce={"starting_fte": 0}))
    cost = plan.budget.total
    tight = sensitivity.service_level_for_budget(
        scenario(workforce={"starting_fte": 0}), cost * 0.98, run
    )
    loose = sensitivity.service_level_for_budget(
        scenario(workforce={"starting_fte": 0}), cost * 1.10, run
    )
    assert tight is not None and loose is not None and tight <= loose
    assert sensitivity.service_level_for_budget(scenario(), 0, run) is None
    more = sensitivity.headcount_for_budget(plan, cost + 100_000)
    assert more > sensitivity.headcount_for_budget(plan, cost)
    assert sensitivity.headcount_for_budget(plan, cost) == pytest.approx(
        plan.budget.unit_economics().average_agents
    )


def test_the_plans_own_budget_affords_at_least_its_own_target():
    # The plan meets 80% on phone with its budget, so that budget (not a cent more) must
    # afford 80% or better; a cent less than what 5% costs affords no target at all.
    run = runner()
    for plan in (scenario(), scenario(workforce={"starting_fte": 0})):
        cost = run.total(plan)
        assert sensitivity.cost_at_service_level(plan, 0.8, run) == pytest.approx(cost)
        assert sensitivity.service_level_for_budget(plan, cost, run) >= 0.8
        floor = sensitivity.cost_at_service_level(plan, sensitivity.LOWEST_LEVEL, run)
        assert floor <= cost
        assert sensitivity.service_level_for_budget(plan, floor - 0.01, run) is None


@settings(max_examples=8, deadline=None)
@given(share=st.floats(0.0, 1.0))
def test_what_a_budget_buys_is_the_last_level_it_pays_for(share):
    # Whatever the search, the answer L must fit the budget and L + 0.1 point must not
    # (the cost never falls as the target rises).
    run = runner()
    plan = scenario(workforce={"starting_fte": 0})
    floor = sensitivity.cost_at_service_level(plan, sensitivity.LOWEST_LEVEL, run)
    top = sensitivity.cost_at_service_level(plan, sensitivity.HIGHEST_LEVEL, run)
    budget = floor + share * (top - floor)
    level = sensitivity.service_level_for_budget(plan, budget, run)
    assert sensitivity.cost_at_service_level(plan, level, run) <= budget
    if level < sensitivity.HIGHEST_LEVEL:
        assert sensitivity.cost_at_service_level(plan, level + 0.001, run) > budget
