"""AppTest: the Budget page prices the sample plan, follows a burden change with its bridge,
runs the tornado and shows the AI business case."""

import json

from planner.scenario import Scenario
from tests.app.conftest import SAMPLE, metric, open_page


def test_sample_budget_has_its_tiles_range_and_takeaway():
    app = open_page("budget")
    assert [h.value for h in app.header] == [
        "1. What does the team cost?",
        "2. What will the plan cost?",
        "3. How sure is it?",
        "4. What moved it against the base plan?",
        "5. Which assumptions matter most?",
        "6. What does a budget buy?",
        "7. Does AI deflection pay?",
        "8. Take it with you",
    ]
    assert not app.error
    assert metric(app, "Budget, Jan–Dec 2027").endswith(" M USD")
    assert 15 < float(metric(app, "Cost per ticket").split()[0]) < 40
    assert any(i.value.startswith("The plan costs") for i in app.info)
    assert any(i.value.startswith("Between") for i in app.info)


def test_a_higher_burden_raises_the_budget_and_shows_the_bridge():
    app = open_page("budget")
    before = float(metric(app, "Budget, Jan–Dec 2027").split()[0])
    app.number_input(key="loaded_cost_factor").set_value(45.0).run()
    assert not app.exception
    after = float(metric(app, "Budget, Jan–Dec 2027").split()[0])
    assert after > before
    assert app.session_state["scenario"].costs.loaded_cost_factor == 1.45
    assert any("the biggest step is wage rates" in i.value for i in app.info)


def test_the_tornado_runs_on_request():
    app = open_page("budget")
    app.button[0].click().run()
    assert not app.exception
    assert any("swings the annual cost most" in i.value for i in app.info)


def test_a_planned_deflection_gets_its_business_case():
    scenario = Scenario.parse(
        SAMPLE.model_dump()
        | {"demand": {"deflection": [{"channel": "chat", "start": "2027-02-01", "share": 0.3}]}}
    )
    app = open_page("budget", scenario)
    assert any(i.value.startswith("AI answers") for i in app.info)


def test_the_plans_own_budget_buys_its_own_service_level_and_less_buys_none():
    # The sample plans 80% on its live channels; its own budget, rounded up, affords that.
    app = open_page("budget")
    assert not any("Service level it affords" in m.label for m in app.metric)  # on demand
    app.button(key="goal-ask").click().run()
    assert float(metric(app, "Service level it affords (every live channel)").rstrip("%")) >= 80.0
    app.number_input(key="goal-budget").set_value(1_000_000.0).run()
    app.button(key="goal-ask").click().run()
    assert metric(app, "Service level it affords (every live channel)") == "none"
    assert any(c.value.startswith("Even a 5% target costs") for c in app.caption)


def test_the_goal_follows_the_plan_until_one_is_typed():
    app = open_page("budget")
    first = app.number_input(key="goal-budget").value
    app.number_input(key="loaded_cost_factor").set_value(45.0).run()
    followed = app.number_input(key="goal-budget").value
    assert followed > first  # a what-if moved the plan, and the goal with it
    total = float(metric(app, "Budget, Jan–Dec 2027").split()[0]) * 1e6
    assert followed - 1_000 < total <= followed + 5_000
    app.number_input(key="goal-budget").set_value(4_000_000.0).run()
    app.number_input(key="loaded_cost_factor").set_value(50.0).run()
    assert app.number_input(key="goal-budget").value == 4_000_000.0  # typed: it stays


def test_the_bridge_keeps_its_order_after_several_what_ifs():
    app = open_page("budget")
    app.number_input(key="loaded_cost_factor").set_value(45.0).run()
    app.session_state["scenario"] = app.session_state["scenario"].model_copy(
        update={"demand": app.session_state["scenario"].demand.model_copy(
            update={"growth_per_year": 0.1})}
    )  # fmt: skip
    app.run()
    assert not app.exception
    specs = [json.loads(c.proto.spec) for c in app.get("vega_lite_chart")]
    bridge = next(s for s in specs if "layer" in s and "Annual cost" in json.dumps(s))
    order = bridge["layer"][0]["encoding"]["x"]["sort"]
    assert order[0] == "FY2027 base plan" and order[-1].startswith("FY2027 base plan (")
    assert order[1:-1] == ["Volume", "Wage rates"]  # the drivers in the bridge's order
    said = next(i.value for i in app.info if i.value.startswith("From "))
    assert "the biggest step is" in said


def test_the_bridge_follows_several_what_ifs_in_turn():
    # Each what-if is a new plan from the shared runner: the bridge's steps must follow the
    # scenario on screen, never a plan kept from an earlier change.
    app = open_page("budget")
    app.number_input(key="loaded_cost_factor").set_value(45.0).run()
    assert any("the biggest step is wage rates\\: +" in i.value for i in app.info)
    overhead = next(n for n in app.number_input if n.label == "Overhead a month (USD)")
    overhead.set_value(508_000.0).run()  # +6 M a year
    assert any("the biggest step is other\\: +6,000,000" in i.value for i in app.info)
    app.number_input(key="loaded_cost_factor").set_value(35.0).run()  # burden back
    overhead = next(n for n in app.number_input if n.label == "Overhead a month (USD)")
    overhead.set_value(8_000.0).run()  # overhead back
    assert not app.exception
    bridge = [i.value for i in app.info if i.value.startswith("From ")]
    assert not bridge  # the base plan again: no bridge, the page says so
    assert any("This is the base plan" in m.value for m in app.markdown)


def test_tiers_are_priced_apart_and_add_up_to_the_budget():
    data = SAMPLE.model_dump(mode="json")
    data["service"]["tiers"] = [{"name": "Tier 2", "share": 0.15}]
    app = open_page("budget", Scenario.parse(data))
    assert not app.exception and not app.error
    table = next(d.value for d in app.dataframe if "tier" in d.value.columns)
    assert table["tier"].tolist() == ["Tier 1", "Tier 2"]
    assert abs(table["share"].sum() - 1.0) < 1e-9
    assert any("each tier above it" in c.value for c in app.caption)


def test_sites_share_the_agent_costs_and_the_rows_add_up():
    data = SAMPLE.model_dump(mode="json")
    data["service"]["sites"] = [
        {"name": "Austin", "time_zone": "America/Chicago"},
        {"name": "Lisbon", "time_zone": "Europe/Lisbon"},
    ]
    app = open_page("budget", Scenario.parse(data))
    assert not app.exception and not app.error
    table = next(d.value for d in app.dataframe if "site" in d.value.columns)
    assert table["site"].tolist()[:2] == ["Austin", "Lisbon"]
    assert abs(table["share"].sum() - 1.0) < 1e-9
