"""The finance story of the sample plan: the same figures the budget computes, quarters
that add up to the year, and risks that name what the capacity plan says."""

import pytest

from planner import story


def test_the_headline_is_the_budgets_unit_economics(sample_plan):
    result, *_ = sample_plan
    numbers = result.budget.unit_economics()
    figures = {f.label.split(",")[0]: f for f in story.headline(result)}
    assert figures["Budget"].value == numbers.total
    assert figures["Budget"].text == f"{numbers.total / 1e6:.2f} M USD"
    assert figures["Cost per ticket"].text == f"{numbers.cost_per_ticket:,.2f} USD"
    assert figures["Peak gross FTE needed"].value == result.capacity.months["required"].max()
    assert len(figures) == 6


def test_quarters_add_up_to_the_plan(sample_plan):
    result, *_ = sample_plan
    quarters = story.budget_by_quarter(result)
    assert quarters["quarter"].tolist() == ["Q1 2027", "Q2 2027", "Q3 2027", "Q4 2027"]
    assert quarters["Total"].sum() == pytest.approx(result.budget.total)
    groups = [c for c in quarters.columns if c not in ("quarter", "Total")]
    assert quarters[groups].sum(axis=1).tolist() == pytest.approx(quarters["Total"].tolist())


def test_risks_and_the_range_are_sentences_about_this_plan(sample_plan):
    result, *_ = sample_plan
    span = result.budget_range().set_index("case")
    assert story.budget_range(result).startswith(f"{result.budget.total / 1e6:.2f} M USD")
    found = story.risks(result)
    assert found[-1].startswith("Demand: the 80% range of contacts moves the budget by")
    unserved = result.budget.unit_economics().unserved
    assert any(f"{unserved:,.0f} contacts" in line for line in found)
    width = (span.loc["upper", "total"] - span.loc["lower", "total"]) / result.budget.total
    assert f"{width:.1%}" in found[-1]
