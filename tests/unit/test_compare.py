"""Bridge steps add up, the tornado moves what it says, goal seek finds what a budget buys."""

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner import compare
from planner import plan as plan_module
from planner.errors import PlannerError
from planner.scenario import Scenario
from tests.unit.test_staffing import flat_history

START = dt.date(2027, 1, 1)


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


def runner() -> compare.Runner:
    return compare.Runner(
        flat_history(("phone", "email")), demand_frame(), today=dt.date(2026, 12, 1)
    )


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
        demand={"growth_pct_per_year": growth},
        workforce={"starting_fte": 45, "annual_attrition": attrition},
        costs={"agent_base_pay": 50_000, "loaded_cost_factor": loaded,
               "overhead_per_month": overhead},
    )  # fmt: skip
    data = other.model_dump(mode="json")
    data["service"]["channels"]["phone"]["aht_seconds"] = aht
    other = Scenario.parse(data)
    run = runner()
    steps = compare.bridge(base, other, run)
    assert steps["step"].tolist() == ["Base", "Volume", "Handle time", "Service level",
                                      "Attrition", "Hiring timing", "Wage rates", "Tooling",
                                      "Deflection", "Other", "Other"]  # fmt: skip
    first, last = steps["change"].iloc[0], steps["change"].iloc[-1]
    assert first == pytest.approx(run.total(base))
    assert last == pytest.approx(run.total(other))
    assert steps["change"].iloc[1:-1].sum() == pytest.approx(last - first, abs=1e-6)


def test_each_driver_gets_its_own_change():
    base = scenario()
    dearer = scenario(costs={"agent_base_pay": 50_000, "overhead_per_month": 18_000})
    steps = compare.bridge(base, dearer, runner()).set_index("step")["change"]
    # overhead is 8,000 a month by default: 10,000 more for 3 months
    assert steps["Other"] == pytest.approx(30_000)
    assert steps[["Volume", "Handle time", "Wage rates", "Tooling"]].abs().max() == 0


def test_tornado_moves_pay_by_its_share_and_volume_moves_service_level():
    run = runner()
    table, base_cost, base_level = compare.tornado(scenario(), run)
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
        compare.tornado(scenario(), run, amount=1.5)


def test_a_bigger_budget_buys_a_higher_service_level_and_more_agents():
    run = runner()
    plan = run.build(scenario(workforce={"starting_fte": 0}))
    cost = plan.budget.total
    tight = compare.service_level_for_budget(
        scenario(workforce={"starting_fte": 0}), cost * 0.98, run
    )
    loose = compare.service_level_for_budget(
        scenario(workforce={"starting_fte": 0}), cost * 1.10, run
    )
    assert tight is not None and loose is not None and tight <= loose
    assert compare.service_level_for_budget(scenario(), 0, run) is None
    more = compare.headcount_for_budget(plan, cost + 100_000)
    assert more > compare.headcount_for_budget(plan, cost)
    assert compare.headcount_for_budget(plan, cost) == pytest.approx(
        plan.budget.unit_economics().average_agents
    )


def test_the_plans_own_budget_affords_at_least_its_own_target():
    # The plan meets 80% on phone with its budget, so that budget (not a cent more) must
    # afford 80% or better; a cent less than what 5% costs affords no target at all.
    run = runner()
    for plan in (scenario(), scenario(workforce={"starting_fte": 0})):
        cost = run.total(plan)
        assert compare.cost_at_service_level(plan, 0.8, run) == pytest.approx(cost)
        assert compare.service_level_for_budget(plan, cost, run) >= 0.8
        floor = compare.cost_at_service_level(plan, compare.LOWEST_LEVEL, run)
        assert floor <= cost
        assert compare.service_level_for_budget(plan, floor - 0.01, run) is None


def test_the_deflection_case_counts_contacts_fte_and_pay_back():
    bot = {"channel": "phone", "start": "2027-01-01", "share": 0.2, "ramp_months": 0,
           "recontact_share": 0.1, "recontact_channel": "email"}  # fmt: skip
    plan = scenario(demand={"deflection": [bot]}, costs={"agent_base_pay": 50_000,
                    "ai_platform_fee_per_month": 500, "ai_price_per_resolution": 1.0})  # fmt: skip
    case = compare.deflection_case(plan, runner())
    totals = case.totals()
    # 20% of 2,000 phone calls a day for 90 days; a tenth of them come back as emails
    assert totals["deflected"] == pytest.approx(0.2 * 2_000 * 90)
    assert totals["recontacts"] == pytest.approx(0.1 * 0.2 * 2_000 * 90)
    assert totals["ai_cost"] == pytest.approx(3 * 500 + 36_000 * 1.0)
    assert totals["fte_avoided"] > 0
    assert totals["net_value"] == pytest.approx(totals["capacity_value"] - totals["ai_cost"])
    assert "AI answers 36,000 contacts (3,600 come back)" in case.takeaway()
    with pytest.raises(PlannerError, match="Add an AI deflection"):
        compare.deflection_case(scenario(), runner())


def test_before_go_live_the_harder_mix_costs_nothing():
    # A bot from 1 March with a 30% handle-time uplift: January and February staff the
    # phone as if it did not exist (the uplift followed the plan's average adoption
    # before, and the case showed negative capacity value in those months).
    bot = {"channel": "phone", "start": "2027-03-01", "share": 0.2, "ramp_months": 0,
           "aht_uplift_pct": 0.3}  # fmt: skip
    case = compare.deflection_case(scenario(demand={"deflection": [bot]}), runner())
    monthly = case.monthly.set_index("month")
    assert monthly.loc[:"2027-02-01", "fte_avoided"].abs().max() < 1e-9
    assert monthly.loc[:"2027-02-01", "capacity_value"].abs().max() < 1e-6
    assert monthly.loc["2027-03-01", "deflected"] > 0


def test_building_on_a_previous_plan_gives_the_same_result():
    history, forecast = flat_history(("phone", "email")), demand_frame()
    first = plan_module.build(scenario(), history, forecast=forecast, today=START)
    for changed in (
        scenario(costs={"agent_base_pay": 50_000, "loaded_cost_factor": 1.5}),
        scenario(workforce={"starting_fte": 45, "annual_attrition": 0.5,
                            "shrinkage": {"sickness": 0.08}}),
        scenario(demand={"growth_pct_per_year": 0.3}),
        scenario(service={"max_occupancy": 0.75}),
    ):  # fmt: skip
        fresh = plan_module.build(changed, history, forecast=forecast, today=START)
        reused = plan_module.build(changed, history, forecast=forecast, today=START,
                                   previous=first)  # fmt: skip
        for bound in ("lower", "mean", "upper"):
            assert reused.budgets[bound].total == pytest.approx(fresh.budgets[bound].total)
        assert reused.capacity.months.equals(fresh.capacity.months)


def test_a_cost_change_prices_the_same_capacity_plan_again():
    history, forecast = flat_history(("phone", "email")), demand_frame()
    first = plan_module.build(scenario(), history, forecast=forecast, today=START)
    dearer = scenario(costs={"loaded_cost_factor": 1.5, "overhead_per_month": 1_000.0})
    fresh = plan_module.build(dearer, history, forecast=forecast, today=START)
    reused = plan_module.build(dearer, history, forecast=forecast, today=START, previous=first)
    assert reused.capacity is first.capacity  # priced again, not planned again
    for bound in ("lower", "mean", "upper"):
        assert reused.budgets[bound].lines.equals(fresh.budgets[bound].lines)
    assert reused.budget.unit_economics() == fresh.budget.unit_economics()
    longer = scenario(workforce={"annual_attrition": 0.5})
    assert plan_module.build(longer, history, forecast=forecast, today=START,
                             previous=first).capacity is not first.capacity  # fmt: skip
    other_day = plan_module.build(dearer, history, forecast=forecast,
                                  today=START + dt.timedelta(days=40), previous=first)  # fmt: skip
    assert other_day.capacity is not first.capacity


def test_the_register_lists_every_assumption_with_its_rationale_and_the_changes():
    base = scenario()
    other = scenario(demand={"growth_pct_per_year": 0.2},
                     costs={"agent_base_pay": 52_000, "new_hire_base_pay": 45_000})  # fmt: skip
    table = compare.register(other, base).set_index("assumption")
    assert "name" not in table.index and "schema_version" not in table.index
    assert table.loc["demand.growth_pct_per_year", ["value", "base"]].tolist() == ["0.2", "0"]
    assert table.loc["costs.agent_base_pay", ["value", "base"]].tolist() == ["52,000", "50,000"]
    assert sorted(table.index[table["differs"]]) == [
        "costs.agent_base_pay",
        "demand.growth_pct_per_year",
    ]
    phone = table.loc["service.channels.phone.aht_seconds"]
    assert phone["value"] == "300" and phone["rationale"] == "Average handle time per contact."
    assert table.loc["service.channels.phone.hours.weekdays", "value"] == "[0, 1, 2, 3, 4]"
    assert (table["rationale"] != "").all()  # every setting says why


def test_the_register_shows_a_channel_only_the_base_has():
    base = scenario()
    data = base.model_dump(mode="json")
    del data["service"]["channels"]["email"]
    table = compare.register(Scenario.parse(data), base).set_index("assumption")
    email = table.loc["service.channels.email.response_hours"]
    assert email["value"] == "" and email["base"] == "24" and bool(email["differs"])
    assert not compare.register(base)["differs"].any()


def test_side_by_side_puts_plans_in_columns_with_their_measures():
    run = runner()
    base, faster = scenario(), scenario(costs={"agent_base_pay": 60_000,
                                               "new_hire_base_pay": 45_000})  # fmt: skip
    results = {"Base": run.build(base), "Dearer": run.build(faster)}
    table = compare.side_by_side(results).set_index("key")
    assert list(table.columns) == ["measure", "Base", "Dearer"]
    assert table.loc["budget", "Base"] == pytest.approx(results["Base"].budget.total)
    assert table.loc["budget", "Dearer"] > table.loc["budget", "Base"]
    contacts = results["Base"].budget.unit_economics().contacts
    assert table.loc["contacts", "Base"] == table.loc["contacts", "Dearer"] == contacts
    # the phone is open 08:00-20:00 on weekdays: the rest of its calls go unserved, and
    # cost per ticket is per handled one
    unserved = table.loc["unserved", "Base"]
    assert 0 < unserved < contacts
    assert table.loc["cost_per_ticket", "Base"] == pytest.approx(
        table.loc["budget", "Base"] / (contacts - unserved)
    )
    assert table.loc["sl_phone", "measure"] == (
        "Service level target, phone (share answered in 20 s)"
    )
    assert table.loc["sl_phone", "Base"] == 0.8
    assert "sl_email" not in table.index  # deferred work has no service-level target


def test_side_by_side_takeaway_says_how_much_more_each_plan_costs():
    table = pd.DataFrame(
        {"key": ["budget", "cost_per_ticket"], "measure": ["Annual budget", "Cost per ticket"],
         "Base": [1_000_000.0, 10.0], "Dearer": [1_100_000.0, 11.0], "Leaner": [950_000.0, 9.5]}
    )  # fmt: skip
    assert compare.side_by_side_takeaway(table, "USD") == (
        "Against Base: Dearer costs 100,000 USD more (+10.0%; +1.00 a ticket); "
        "Leaner costs 50,000 USD less (-5.0%; -0.50 a ticket)."
    )
    assert compare.side_by_side_takeaway(table[["key", "measure", "Base"]], "USD") == ""


def test_the_runner_keeps_only_the_most_recently_used_results():
    computed = []
    kept = compare.Recent(2)

    def compute(key):
        computed.append(key)
        return key.upper()

    for key in ["a", "b", "a", "c", "a", "b"]:
        assert kept.get_or(key, lambda k=key: compute(k)) == key.upper()
    assert computed == ["a", "b", "c", "b"]  # 'a' was used again, so 'b' went first
    assert list(kept) == ["a", "b"]
    assert compare.STAFFINGS_KEPT * 6 <= 100  # MB: a staffing of the sample's year is ~6 MB
