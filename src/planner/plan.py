"""The one pipeline of DESIGN.md: ticket history and scenario in, every planning stage out.

    history + scenario.forecast -> forecast -> demand (what-ifs) -> staffing (in-house
    share, after vendors) -> capacity -> organisation (span rules, ladder) -> budget

``build`` runs it; a page or a notebook reads one attribute per stage. The budget comes at
the low, expected and high demand (each with the hiring that demand needs), so the range
travels from the forecast to the money.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from planner import capacity, demand, staffing
from planner import org as organisation_plan
from planner.budget import Budget, build_budget, hire_prices
from planner.forecast import ForecastSet, forecast_with, periods_until
from planner.scenario import Scenario
from planner.volume import VolumeHistory

BOUNDS = ("lower", "mean", "upper")


@dataclass(frozen=True)
class PlanResult:
    """Every stage of one plan. ``budget``, ``capacity`` and ``org`` are for the demand
    the scenario hires for (``workforce.plan_to``); ``budgets`` holds all three cases,
    ``capacities``, ``orgs`` and ``volumes`` what they were priced from (a cost change
    prices them again). ``org`` is None when the plan was built without an organisation;
    ``roster``, ``organisation`` and ``today`` are what it was built with."""

    scenario: Scenario
    forecast: ForecastSet
    demand: demand.Demand
    requirements: staffing.Requirements
    capacity: capacity.CapacityPlan
    budget: Budget
    budgets: dict[str, Budget]
    org: organisation_plan.OrgPlan | None = None
    capacities: dict[str, capacity.CapacityPlan] = field(default_factory=dict, repr=False)
    orgs: dict[str, organisation_plan.OrgPlan] = field(default_factory=dict, repr=False)
    volumes: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    roster: capacity.Roster | None = field(default=None, repr=False)
    organisation: organisation_plan.Organisation | None = field(default=None, repr=False)
    today: dt.date | None = None

    def capacity_takeaway(self) -> str:
        """The capacity plan's takeaway with what its surplus costs (from the budget)."""
        workforce = self.scenario.workforce
        return self.capacity.takeaway(
            workforce.training_weeks,
            workforce.recruiting_lead_days,
            self.budget.surplus_cost,
            self.scenario.currency,
        )

    def budget_range(self) -> pd.DataFrame:
        """Annual total and cost per ticket at the low, expected and high demand."""
        rows = []
        for bound, result in self.budgets.items():
            numbers = result.unit_economics()
            rows.append(
                {
                    "case": bound,
                    "total": numbers.total,
                    "cost_per_ticket": numbers.cost_per_ticket,
                    "contacts": numbers.contacts,
                    "average_agents": numbers.average_agents,
                }
            )
        return pd.DataFrame(rows)


def build(
    scenario: Scenario,
    history: VolumeHistory,
    *,
    roster: capacity.Roster | None = None,
    forecast: ForecastSet | None = None,
    today: dt.date | None = None,
    progress: Callable[[float, str], None] | None = None,
    bounds: tuple[str, ...] = BOUNDS,
    previous: PlanResult | None = None,
    organisation: organisation_plan.Organisation | None = None,
) -> PlanResult:
    """Run the whole plan. Pass ``forecast`` (per channel, to the plan's end) to skip the
    slow stage when only later assumptions changed; ``today`` is the earliest day a
    requisition can open (the plan's start when not given); ``bounds`` the demand cases
    budgeted besides the planned one. With ``previous`` (a plan built on the same history
    and forecast) the demand and the staffing are taken from it when the settings they
    depend on are unchanged: the result is the same, only sooner. With ``organisation``
    (people and ladder) the roster is read from its people unless ``roster`` is given, and
    the derived organisation's new roles and promotions enter the budget."""
    if forecast is None:
        freq = scenario.forecast.frequency
        last = history.table("channel", None if freq == "D" else freq).index[-1]
        horizon = periods_until(last, scenario.end_month, freq)
        plan = (scenario.start_month, scenario.end_month)
        forecast = forecast_with(history, horizon, scenario.forecast, plan=plan, progress=progress)
    same = previous is not None and previous.forecast is forecast
    if same and _costs_only(previous, scenario, roster, today, bounds, organisation):
        return reprice(previous, scenario)
    if same and previous.scenario.demand == scenario.demand:
        adjusted = previous.demand
    else:
        adjusted = demand.apply(forecast, scenario.demand)
    if (
        same
        and adjusted is previous.demand
        and _staffing_inputs(previous.scenario) == (_staffing_inputs(scenario))
    ):
        required = previous.requirements
        scaling = (
            scenario.workforce.scheduled_shrinkage,
            scenario.workforce.hours_per_fte_per_week,
        )
        if scaling != (required.shrinkage, required.hours_per_fte_per_week):
            required = replace(required, shrinkage=scaling[0], hours_per_fte_per_week=scaling[1])
    else:
        reuse = None
        if (
            same
            and adjusted is previous.demand
            and (previous.scenario.costs.vendors == scenario.costs.vendors)
        ):
            reuse = previous.requirements
        required = staffing.requirements(
            outsourced_share(adjusted.frame, scenario), history, scenario, reuse
        )
    return assemble(scenario, forecast, adjusted, required, roster, today, bounds, organisation)


def _costs_only(
    previous: PlanResult,
    scenario: Scenario,
    roster: capacity.Roster | None,
    today: dt.date | None,
    bounds: tuple[str, ...],
    organisation: organisation_plan.Organisation | None,
) -> bool:
    """Whether ``scenario`` differs from the previous plan's in its costs only (the agent
    pay without a roster aside: it prices new roles), on the same people and day, so its
    capacity and organisation stand and only the money changes."""
    if roster is None and organisation is not None:
        roster = organisation.roster  # as ``assemble`` reads it (one object per organisation)
    return (
        planned_part(scenario) == planned_part(previous.scenario)
        and roster is previous.roster
        and organisation is previous.organisation
        and today == previous.today
        and set(dict.fromkeys((*bounds, scenario.workforce.plan_to))) == set(previous.budgets)
        and bool(previous.capacities)
    )


def planned_part(scenario: Scenario) -> tuple[str, float]:
    """What a plan's capacity and organisation are made from: every setting but the name
    and the costs, and the agent pay (it prices new roles without a roster). Scenarios
    equal in it differ only in money: one plan, priced again (``reprice``)."""
    return (
        scenario.model_dump_json(exclude={"name", "sources", "costs"}),
        scenario.costs.agent_base_pay,
    )


def reprice(previous: PlanResult, scenario: Scenario) -> PlanResult:
    """``previous`` with ``scenario``'s costs: the budget of each demand case built again
    on the capacity plans, organisations and volumes it already has."""
    roster = previous.roster
    if roster is None and previous.organisation is not None:
        roster = previous.organisation.roster
    ladder = previous.organisation.ladder if previous.organisation is not None else None
    prices = hire_prices(scenario, roster, ladder)
    budgets = {
        bound: build_budget(plan_of, scenario, previous.volumes[bound], roster,
                            previous.orgs.get(bound), ladder, prices)
        for bound, plan_of in previous.capacities.items()
    }  # fmt: skip
    chosen = scenario.workforce.plan_to
    return replace(previous, scenario=scenario, budget=budgets[chosen], budgets=budgets)


def _staffing_inputs(scenario: Scenario) -> tuple:
    """What staffing reads besides the demand (shrinkage and paid hours only scale FTE)."""
    return (
        scenario.start_month,
        scenario.horizon_months,
        scenario.service,
        scenario.workforce.occupancy_target,
        scenario.workforce.shifts,
        scenario.costs.vendors,
        scenario.demand.deflection,
    )


def assemble(
    scenario: Scenario,
    forecast: ForecastSet,
    adjusted: demand.Demand,
    required: staffing.Requirements,
    roster: capacity.Roster | None,
    today: dt.date | None,
    bounds: tuple[str, ...] = BOUNDS,
    organisation: organisation_plan.Organisation | None = None,
) -> PlanResult:
    """Capacity, organisation and budget from staffing already computed (for each demand
    in ``bounds``; the scenario's ``plan_to`` is always included)."""
    if roster is None and organisation is not None:
        roster = organisation.roster
    monthly = required.fte("M", by_channel=False)
    by_channel = required.fte("M")
    chosen = scenario.workforce.plan_to
    plans, budgets, orgs = {}, {}, {}
    cases = list(dict.fromkeys((*bounds, chosen)))
    months = pd.DatetimeIndex(monthly["period"])
    unserved = {bound: required.unserved_by_month(bound) for bound in cases}
    volumes = monthly_volume(adjusted.frame, by_channel, cases, months, unserved)
    ladder = organisation.ladder if organisation is not None else None
    prices = hire_prices(scenario, roster, ladder)
    for bound in cases:
        case = scenario.model_copy(
            update={"workforce": scenario.workforce.model_copy(update={"plan_to": bound})}
        )
        plans[bound] = capacity.plan_capacity(monthly, case, roster, today=today)
        if organisation is not None:
            orgs[bound] = organisation_plan.plan_org(
                plans[bound], case, organisation.people, organisation.ladder, today
            )
        budgets[bound] = build_budget(
            plans[bound], scenario, volumes[bound], roster, orgs.get(bound), ladder, prices
        )
    return PlanResult(scenario, forecast, adjusted, required, plans[chosen], budgets[chosen],
                      budgets, orgs.get(chosen), plans, orgs, volumes, roster, organisation,
                      today)  # fmt: skip


def outsourced_share(frame: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """The demand left in-house: each channel's contacts x (1 - the vendors' shares)."""
    kept = {}
    for vendor in scenario.costs.vendors:
        kept[vendor.channel] = kept.get(vendor.channel, 1.0) - vendor.share
    if not kept:
        return frame
    channel = demand.channel_of(frame)
    factor = channel.map({c: max(k, 0.0) for c, k in kept.items()}).fillna(1.0).to_numpy()
    return frame.assign(**{b: frame[b].to_numpy(dtype=float) * factor for b in BOUNDS})


def monthly_volume(
    frame: pd.DataFrame,
    fte: pd.DataFrame,
    bounds: list[str],
    months: pd.DatetimeIndex,
    unserved: dict[str, pd.DataFrame] | None = None,
) -> dict[str, pd.DataFrame]:
    """For each demand bound: month, channel, contacts, deflected, recontacts, gross_fte
    and outside_hours (from ``unserved``: ``Requirements.unserved_by_month`` per bound)
    inside the plan's ``months``."""
    plan_months = months.to_numpy().astype("datetime64[M]")
    channels, channel = np.unique(demand.channel_of(frame).to_numpy(str), return_inverse=True)
    channel = channel.ravel()
    month = pd.to_datetime(frame["period"]).to_numpy().astype("datetime64[M]")
    where = np.searchsorted(plan_months, month)
    last = len(plan_months) - 1
    inside = (where <= last) & (plan_months[np.minimum(where, last)] == month)
    cell = where[inside] * len(channels) + channel[inside]
    size = len(plan_months) * len(channels)
    fte_month = pd.to_datetime(fte["period"]).to_numpy().astype("datetime64[M]")
    fte_channel = fte["channel"].astype(str).to_numpy()
    known = np.isin(fte_channel, channels)
    fte_cell = (np.searchsorted(plan_months, fte_month) * len(channels)
                + np.searchsorted(channels, fte_channel))[known]  # fmt: skip
    shared = {
        "month": np.repeat(plan_months.astype("datetime64[ns]"), len(channels)),
        "channel": np.tile(channels, len(plan_months)),
    }
    volumes = {}
    for bound in bounds:
        needed = np.zeros(size)
        needed[fte_cell] = fte[f"gross_fte_{bound}"].to_numpy(dtype=float)[known]
        volumes[bound] = pd.DataFrame(
            shared
            | {
                name: np.bincount(cell, frame[column].to_numpy(float)[inside], size)
                for name, column in (
                    ("contacts", bound),
                    ("deflected", f"deflected_{bound}"),
                    ("recontacts", f"recontact_{bound}"),
                )
            }
            | {"gross_fte": needed}
        )
        closed = np.zeros(size)
        if unserved is not None and len(unserved[bound]):
            table = unserved[bound]
            at = np.searchsorted(channels, table["channel"].to_numpy(str))
            month = table["month"].to_numpy().astype("datetime64[M]")
            where_month = np.searchsorted(plan_months, month)
            known = (at < len(channels)) & (where_month < len(plan_months))
            known[known] &= channels[at[known]] == table["channel"].to_numpy(str)[known]
            known[known] &= plan_months[where_month[known]] == month[known]
            cells = where_month[known] * len(channels) + at[known]
            np.add.at(closed, cells, table["outside_hours"].to_numpy(float)[known])
        volumes[bound]["outside_hours"] = closed
    return volumes
