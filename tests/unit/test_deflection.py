"""The AI deflection case counts what the bot answers, what comes back, and when it pays."""

import pytest

from planner import deflection
from planner.errors import PlannerError
from tests.unit.small_plan import plans as runner
from tests.unit.small_plan import scenario


def test_the_deflection_case_counts_contacts_fte_and_pay_back():
    bot = {"channel": "phone", "start": "2027-01-01", "share": 0.2, "ramp_months": 0,
           "recontact_share": 0.1, "recontact_channel": "email"}  # fmt: skip
    plan = scenario(demand={"deflection": [bot]}, costs={"agent_base_pay": 50_000,
                    "ai_platform_fee_per_month": 500, "ai_price_per_resolution": 1.0})  # fmt: skip
    case = deflection.deflection_case(plan, runner())
    totals = case.totals()
    # 20% of 2,000 phone calls a day for 90 days; a tenth of them come back as emails
    assert totals["deflected"] == pytest.approx(0.2 * 2_000 * 90)
    assert totals["recontacts"] == pytest.approx(0.1 * 0.2 * 2_000 * 90)
    assert totals["ai_cost"] == pytest.approx(3 * 500 + 36_000 * 1.0)
    assert totals["fte_avoided"] > 0
    assert totals["net_value"] == pytest.approx(totals["capacity_value"] - totals["ai_cost"])
    assert "AI answers 36,000 contacts (3,600 come back)" in case.takeaway()
    with pytest.raises(PlannerError, match="Add an AI deflection"):
        deflection.deflection_case(scenario(), runner())


def test_before_go_live_the_harder_mix_costs_nothing():
    # A bot from 1 March with a 30% handle-time uplift: January and February staff the
    # phone as if it did not exist (the uplift followed the plan's average adoption
    # before, and the case showed negative capacity value in those months).
    bot = {"channel": "phone", "start": "2027-03-01", "share": 0.2, "ramp_months": 0,
           "aht_uplift": 0.3}  # fmt: skip
    case = deflection.deflection_case(scenario(demand={"deflection": [bot]}), runner())
    monthly = case.monthly.set_index("month")
    assert monthly.loc[:"2027-02-01", "fte_avoided"].abs().max() < 1e-9
    assert monthly.loc[:"2027-02-01", "capacity_value"].abs().max() < 1e-6
    assert monthly.loc["2027-03-01", "deflected"] > 0
