"""The sample planned end to end, from its history and organisation to the budget."""

import pytest

from planner import plan
from planner.scenario import Scenario
from tests.integration.conftest import TODAY


def test_the_sample_plan_from_history_to_budget(sample_plan):
    result, _, history, organisation = sample_plan
    numbers = result.budget.unit_economics()
    # a mid-size SaaS team: cost per ticket in the SaaS range ($18-35), 4-10% of ARR
    assert 15 < numbers.cost_per_ticket < 40
    assert 0.04 < numbers.share_of_arr < 0.10
    totals = result.budget_range().set_index("case")["total"]
    assert totals["lower"] <= totals["mean"] <= totals["upper"]
    assert len(result.budget.totals("M")) == 12
    # pay lines by level and location from the roster, and one for the new hires
    lines = set(result.budget.lines["line"])
    assert {"Base pay: agents L1 · Austin", "Base pay: agents L3 · Lisbon",
            "Base pay: open requisitions L3 · Austin"} <= lines  # fmt: skip
    # deflection of 0% changes nothing
    none = Scenario.parse(
        result.scenario.model_dump()
        | {"demand": {"deflection": [{"channel": "chat", "start": "2027-01-01", "share": 0.0}]}}
    )
    same = plan.build(none, history, organisation=organisation, forecast=result.forecast,
                      today=TODAY)  # fmt: skip
    assert same.budget.total == pytest.approx(result.budget.total)
