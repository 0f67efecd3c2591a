"""The business case of AI deflection: the plan with the scenario's deflection against
the same plan without it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.errors import PlannerError
from planner.plan import Plans
from planner.scenario import Scenario


@dataclass(frozen=True)
class DeflectionCase:
    """The AI deflection business case: the plan with the scenario's deflection against
    the same plan without it (no deflection, no AI cost).

    ``monthly``: month, deflected, ai_cost, fte_avoided (gross FTE required without minus
    with, harder mix and re-contacts included), capacity_value (fte_avoided x the loaded
    monthly cost of an agent: new-hire pay x loaded-cost factor / 12 + tools), net_value
    (capacity_value - ai_cost), cumulative (of net_value), budget_saving (budget without
    minus with: cash saved, which is less than the capacity freed when the team is not
    cut).
    """

    monthly: pd.DataFrame
    recontacts: float
    currency: str

    @property
    def break_even(self) -> dt.date | None:
        """The first month from which the cumulative net value stays at or above zero."""
        cumulative = self.monthly["cumulative"].to_numpy()
        below = np.flatnonzero(cumulative < 0)
        if not len(below):
            return self.monthly["month"].iloc[0].date()
        if below[-1] == len(cumulative) - 1:
            return None
        return self.monthly["month"].iloc[below[-1] + 1].date()

    def totals(self) -> dict[str, float]:
        sums = self.monthly.drop(columns=["month", "cumulative"]).sum()
        sums["fte_avoided"] = self.monthly["fte_avoided"].mean()
        return {**sums.to_dict(), "recontacts": self.recontacts}

    def takeaway(self) -> str:
        t = self.totals()
        when = self.break_even
        paid = f"it pays back from {when:%B %Y}" if when else "it does not pay back in the plan"
        return (
            f"AI answers {t['deflected']:,.0f} contacts ({t['recontacts']:,.0f} come back), "
            f"avoiding {t['fte_avoided']:.1f} gross FTE on average, worth "
            f"{t['capacity_value']:,.0f} {self.currency} against {t['ai_cost']:,.0f} of AI "
            f"cost: {t['net_value']:+,.0f} net; {paid}. The budget itself moves by "
            f"{-t['budget_saving']:+,.0f}: freed capacity saves cash only where it replaces "
            "hiring."
        )


def deflection_case(scenario: Scenario, runner: Plans) -> DeflectionCase:
    """Build the business case of the scenario's AI deflection (see ``DeflectionCase``)."""
    if not scenario.demand.deflection:
        raise PlannerError("Add an AI deflection (channel, go-live, share) to see its case.")
    data = scenario.model_dump(mode="json")
    data["demand"]["deflection"] = []
    data["costs"]["ai_platform_fee_per_month"] = 0.0
    without, with_ai = runner.build(Scenario.parse(data)), runner.build(scenario)
    months = with_ai.budget.totals("M")
    lines = with_ai.budget.lines
    ai = lines[lines["group"] == "AI"].groupby("month")["amount"].sum()
    needed = {
        name: result.requirements.fte("M", by_channel=False)["gross_fte_mean"].to_numpy()
        for name, result in (("without", without), ("with", with_ai))
    }
    per_agent_month = with_ai.budget.agent_month_cost
    monthly = pd.DataFrame(
        {
            "month": months["period"],
            "deflected": with_ai.budget.volume.groupby("month")["deflected"].sum().to_numpy(),
            "ai_cost": ai.reindex(months["period"], fill_value=0.0).to_numpy(),
            "fte_avoided": needed["without"] - needed["with"],
        }
    )
    monthly["capacity_value"] = monthly["fte_avoided"] * per_agent_month
    monthly["net_value"] = monthly["capacity_value"] - monthly["ai_cost"]
    monthly["cumulative"] = monthly["net_value"].cumsum()
    monthly["budget_saving"] = (
        without.budget.totals("M")["total"].to_numpy() - months["total"].to_numpy()
    )
    effects = with_ai.demand.effects
    recontacts = float(effects.loc[effects["kind"] == "recontact", "contacts"].sum())
    return DeflectionCase(monthly, recontacts, scenario.currency)
