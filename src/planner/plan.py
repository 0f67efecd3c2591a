"""The one pipeline of DESIGN.md: ticket history and scenario in, every planning stage out.

    history + scenario.forecast -> forecast -> demand (what-ifs) -> staffing (in-house
    share, after vendors) -> capacity -> organisation (span rules, ladder) -> budget

``build`` runs it; a page or a notebook reads one attribute per stage. The budget comes at
the low, expected and high demand (each with the hiring that demand needs), so the range
travels from the forecast to the money.

``Runner`` is the one cache of plans, keyed by what they are made from. A what-if changes
one setting, and the plan it asks for shares most of its stages with plans already built;
``Runner`` keeps the recent result of every stage under a key made of
the content the stage reads, never of object identities:

    forecast  <- the history's counts (fingerprint), forecast settings, series, horizon,
                 plan window
    demand    <- the forecast (content), demand settings, a volume factor
    staffing  <- the demand, the vendors' shares, the history's intraday profile, the plan
                 window, service targets and sites (but their prices and pay), occupancy
                 target, shifts
    plan      <- the staffing, every setting but the costs and the sites' prices and pay
                 (``planned_part``), the people (fingerprint), the first day a
                 requisition can open, the cases
    result    <- the plan and the costs: a cost change prices the plan again
                 (``reprice``); an equal scenario returns the result kept

An object rebuilt with equal content finds what the first one made; a changed one does
not. Each stage keeps a bounded number of entries (a staffing of the sample's year is
about 6 MB), dropping the least recently used; a staffing missed is still built from the
most recent one, channel by channel: a channel whose days of demand and settings did not
change is taken as it is (``staffing.requirements``'s ``reuse``). The pages of every
browser session share one runner, so it is thread-safe.

    run = Runner()
    plans = run.plans(history, run.forecast(scenario, history), organisation=people)
    result = plans.build(scenario, bounds=BOUNDS)
    cheaper = plans.total(scenario.model_copy(update=...))  # the bridge, tornado, goal seek
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field, replace
from functools import cached_property
from threading import Lock
from typing import TypeVar

import numpy as np
import pandas as pd

from planner import capacity, demand, staffing
from planner import org as organisation_plan
from planner.budget import Budget, BudgetBasis, HirePrices, budget_basis, hire_prices, price
from planner.capacity import Roster
from planner.forecast import ForecastSet, forecast_with, periods_until
from planner.recent import Recent, digest
from planner.scenario import Scenario, ServiceSettings
from planner.tiers import with_escalations
from planner.volume import VolumeHistory

BOUNDS = ("lower", "mean", "upper")
FORECASTS_KEPT = 8
DEMANDS_KEPT = 32
STAFFINGS_KEPT = 16
PLANS_KEPT = 32
RESULTS_KEPT = 64


@dataclass(frozen=True)
class PlanResult:
    """Every stage of one plan. ``budget``, ``capacity`` and ``org`` are for the demand
    the scenario hires for (``workforce.plan_to``); ``budgets`` holds all three cases,
    ``capacities``, ``orgs`` and ``volumes`` what they were priced from, ``bases`` the
    same as ``budget.BudgetBasis`` (a cost change prices them again). ``org`` is None
    when the plan was built without an organisation; ``roster``, ``organisation`` and
    ``today`` are what it was built with."""

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
    bases: dict[str, BudgetBasis] = field(default_factory=dict, repr=False)
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

    def cost_by_site(self) -> pd.DataFrame:
        """site, gross_fte (average), cost, share of the budget: each month's agent costs
        (pay, burden, hiring, seats: the budget's "agents" lines) shared by the sites'
        gross FTE that month (``Requirements.fte_by_site`` at the demand hired for) x the
        pay of a hire there (``HirePrices.site_pay``; equal when no site has a pay of its
        own), a vendor site its bills; the rest (other roles, other vendors, AI, overhead)
        in a row of its own. Empty without sites."""
        bound = self.scenario.workforce.plan_to
        sites = self.requirements.fte_by_site("M")
        if sites.empty:
            return pd.DataFrame(columns=["site", "gross_fte", "cost", "share"])
        lines = self.budget.lines
        month = pd.DatetimeIndex(lines["month"]).to_period("M")
        agents = lines["kind"].eq("agents").to_numpy()
        agent_cost = lines[agents].groupby(month[agents])["amount"].sum()
        gross = sites.pivot_table(
            index=pd.DatetimeIndex(sites["period"]).to_period("M"),
            columns="site",
            values=f"gross_fte_{bound}",
            aggfunc="sum",
        )
        pay = self.budget.prices.site_pay
        weight = gross * pd.Series({site: pay.get(site, 1.0) for site in gross.columns})
        share = weight.div(weight.sum(axis=1).replace(0, np.nan), axis=0).fillna(0.0)
        cost = share.mul(agent_cost.reindex(share.index).fillna(0.0), axis=0).sum()
        billed = lines[lines["line"].str.startswith("Vendor site: ")]
        billed = billed.groupby(billed["line"].str.removeprefix("Vendor site: "))["amount"].sum()
        cost = cost.add(billed, fill_value=0.0)
        gross = gross.reindex(columns=cost.index, fill_value=0.0)
        table = pd.DataFrame({"site": cost.index, "gross_fte": gross.mean().to_numpy(),
                              "cost": cost.to_numpy()})  # fmt: skip
        rest = self.budget.total - table["cost"].sum()
        table.loc[len(table)] = ["Not by site (other roles, channel vendors, AI, overhead)", 0.0,
                                 rest]  # fmt: skip
        table["share"] = table["cost"] / self.budget.total
        return table

    def site_teams(self) -> pd.DataFrame:
        """The agents on the payroll in the month with the most (the capacity plan: roster,
        requisitions and hires after attrition, as the organisation counts them) split over
        the in-house sites by their gross FTE that month (``Requirements.fte_by_site`` at
        the demand hired for), with leads and managers site by site
        (``organisation_plan.site_teams``); month, site, agents, leads, managers. Empty
        without in-house sites."""
        in_house = [site.name for site in self.scenario.service.sites if not site.vendor]
        if not in_house:
            return pd.DataFrame(columns=["month", "site", "agents", "leads", "managers"])
        _, people, _ = self.capacity.by_cohort(self.scenario.workforce)
        agents = people.sum(axis=0)
        peak = int(np.argmax(agents))
        month = pd.Timestamp(self.capacity.months["month"].iloc[peak])
        sites = self.requirements.fte_by_site("M")
        gross = sites[pd.DatetimeIndex(sites["period"]) == month]
        gross = gross.groupby("site")[f"gross_fte_{self.scenario.workforce.plan_to}"].sum()
        shares = {name: float(gross.get(name, 0.0)) for name in in_house}
        table = organisation_plan.site_teams(int(np.rint(agents[peak])), shares, self.scenario.org)
        return table.assign(month=month)[["month", "site", "agents", "leads", "managers"]]

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
    organisation: organisation_plan.Organisation | None = None,
) -> PlanResult:
    """Run the whole plan. Pass ``forecast`` (per channel, to the plan's end) to skip the
    slow stage when only later assumptions changed; ``today`` is the earliest day a
    requisition can open (the plan's start when not given); ``bounds`` the demand cases
    budgeted besides the planned one. With ``organisation`` (people and ladder) the roster
    is read from its people unless ``roster`` is given, and the derived organisation's new
    roles and promotions enter the budget. ``Runner`` builds the same plans and
    keeps what a what-if shares with the plans before it."""
    if forecast is None:
        plan = (scenario.start_month, scenario.end_month)
        horizon = horizon_for(scenario, history)
        forecast = forecast_with(history, horizon, scenario.forecast, plan=plan, progress=progress)
    adjusted = demand.apply(forecast, scenario.demand)
    required = staffing.requirements(staffed_demand(adjusted.frame, scenario), history, scenario)
    return assemble(scenario, forecast, adjusted, required, roster, today, bounds, organisation)


def planned_part(scenario: Scenario) -> tuple[str, str, float]:
    """What a plan's capacity and organisation are made from: every setting but the name,
    the costs and the sites' prices (``unpriced_service``), and the agent pay (it prices
    new roles without a roster). Scenarios
    equal in it differ only in money: one plan, priced again (``reprice``)."""
    return (
        scenario.model_dump_json(exclude={"name", "sources", "costs", "service"}),
        unpriced_service(scenario),
        scenario.costs.agent_base_pay,
    )


SITE_PRICES = {"currency", "exchange_rate", "price_per_contact", "price_per_hour",
               "minimum_per_month", "cost_per_hour", "location"}  # fmt: skip


def unpriced_service(scenario: Scenario) -> str:
    """The service settings a plan's staffing, capacity and organisation are made from:
    all but the sites' prices and pay (``SITE_PRICES``), which only the budget reads,
    unless contacts are routed to the cheapest site (then they move the routing)."""
    if scenario.service.routing == "cheapest":
        return scenario.service.model_dump_json()
    return scenario.service.model_dump_json(exclude={"sites": {"__all__": SITE_PRICES}})


def reprice(previous: PlanResult, scenario: Scenario) -> PlanResult:
    """``previous`` with ``scenario``'s costs: the budget of each demand case priced
    again on the basis (capacity plan, organisation, volumes) it already has."""
    prices = _hire_prices(scenario, previous.roster, previous.organisation)
    budgets = {bound: price(basis, scenario, prices) for bound, basis in previous.bases.items()}
    chosen = scenario.workforce.plan_to
    return replace(previous, scenario=scenario, budget=budgets[chosen], budgets=budgets)


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
    service = scenario.service
    by_channel = to_channels(required.fte("M"), service, "period")
    chosen = scenario.workforce.plan_to
    plans, budgets, orgs = {}, {}, {}
    cases = list(dict.fromkeys((*bounds, chosen)))
    months = pd.DatetimeIndex(monthly["period"])
    unserved = {
        bound: to_channels(required.unserved_by_month(bound), service, "month") for bound in cases
    }
    volumes = monthly_volume(adjusted.frame, by_channel, cases, months, unserved)
    prices = _hire_prices(scenario, roster, organisation)
    sites = required.fte_by_site("M") if scenario.service.sites else None
    bases = {}
    for bound in cases:
        case = scenario.model_copy(
            update={"workforce": scenario.workforce.model_copy(update={"plan_to": bound})}
        )
        plans[bound] = capacity.plan_capacity(monthly, case, roster, today=today)
        if organisation is not None:
            orgs[bound] = organisation_plan.plan_org(plans[bound], case, organisation, today)
        bases[bound] = budget_basis(plans[bound], scenario, volumes[bound], roster,
                                    orgs.get(bound), sites)  # fmt: skip
        budgets[bound] = price(bases[bound], scenario, prices)
    return PlanResult(scenario, forecast, adjusted, required, plans[chosen], budgets[chosen],
                      budgets, orgs.get(chosen), plans, orgs, volumes, bases, roster,
                      organisation, today)  # fmt: skip


def to_channels(table: pd.DataFrame, service: ServiceSettings, when: str) -> pd.DataFrame:
    """``table`` (a channel per row, ``when`` its period, the rest numbers) with each
    language queue added into its channel (``ServiceSettings.language_of``): the budget
    counts a channel's contacts and people once, whatever languages they speak (a
    ``days`` column, the period's days, is kept, not added)."""
    if not service.languages or table.empty:
        return table
    channel = table["channel"].astype(str).map(lambda queue: service.language_of(queue)[0])
    numbers = table.columns.difference([when, "channel"], sort=False)
    how = {c: "first" if c == "days" else "sum" for c in numbers}
    grouped = table.assign(channel=channel).groupby([when, "channel"], as_index=False, sort=True)
    return grouped.agg(how)[list(table.columns)]


def _hire_prices(
    scenario: Scenario,
    roster: capacity.Roster | None,
    organisation: organisation_plan.Organisation | None,
) -> HirePrices:
    """``hire_prices`` with the organisation's agent bands (worked out once per
    organisation)."""
    if organisation is None:
        return hire_prices(scenario, roster)
    return hire_prices(scenario, roster, bands=organisation.agent_bands)


def staffed_demand(frame: pd.DataFrame, scenario: Scenario) -> pd.DataFrame:
    """What the in-house team staffs: the demand with each tier's escalations added
    (``tiers.with_escalations``: from every contact, a vendor's too), less the vendors'
    shares (``outsourced_share``)."""
    unresolved = demand.unresolved_change(scenario.demand)
    return outsourced_share(with_escalations(frame, scenario.service, unresolved), scenario)


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
    inside the plan's ``months``; for the channels of ``frame`` and of ``fte`` (a tier is
    staffed, and has no contacts of its own: ``tiers``)."""
    plan_months = months.to_numpy().astype("datetime64[M]")
    frame_channel = demand.channel_of(frame).to_numpy(str)
    fte_channel = fte["channel"].astype(str).to_numpy()
    channels = np.unique(np.concatenate([frame_channel, fte_channel]))
    channel = np.searchsorted(channels, frame_channel)
    month = pd.to_datetime(frame["period"]).to_numpy().astype("datetime64[M]")
    where = np.searchsorted(plan_months, month)
    last = len(plan_months) - 1
    inside = (where <= last) & (plan_months[np.minimum(where, last)] == month)
    cell = where[inside] * len(channels) + channel[inside]
    size = len(plan_months) * len(channels)
    fte_month = pd.to_datetime(fte["period"]).to_numpy().astype("datetime64[M]")
    fte_cell = np.searchsorted(plan_months, fte_month) * len(channels) + np.searchsorted(
        channels, fte_channel
    )
    shared = {
        "month": np.repeat(plan_months.astype("datetime64[ns]"), len(channels)),
        "channel": np.tile(channels, len(plan_months)),
    }
    volumes = {}
    for bound in bounds:
        needed = np.zeros(size)
        needed[fte_cell] = fte[f"gross_fte_{bound}"].to_numpy(dtype=float)
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


T = TypeVar("T")


def horizon_for(scenario: Scenario, history: VolumeHistory) -> int:
    """The periods (of the forecast's frequency) from the history's last to the plan's end."""
    freq = scenario.forecast.frequency
    return periods_until(history.last_period(None if freq == "D" else freq), scenario.end_month,
                         freq)  # fmt: skip


class Runner:
    """Forecasts and plans kept by content (see the module's docstring)."""

    def __init__(self) -> None:
        self._lock = Lock()
        self._forecasts = Recent(FORECASTS_KEPT)
        self._demands = Recent(DEMANDS_KEPT)
        self._staffings = Recent(STAFFINGS_KEPT)
        self._plans = Recent(PLANS_KEPT)
        self._results = Recent(RESULTS_KEPT)

    def __len__(self) -> int:
        """Entries kept over every stage."""
        stages = (self._forecasts, self._demands, self._staffings, self._plans, self._results)
        return sum(len(stage) for stage in stages)

    def forecast_key(
        self, scenario: Scenario, history: VolumeHistory, by: str = "channel",
        horizon: int | None = None,
    ) -> tuple:  # fmt: skip
        """What a forecast is made from: its settings, the history's counts, the series,
        the horizon (to the plan's end when None) and the plan window."""
        horizon = horizon_for(scenario, history) if horizon is None else int(horizon)
        window = (scenario.start_month, scenario.end_month)
        return (scenario.forecast.model_dump_json(), history.fingerprint, by, horizon, window)

    def has_forecast(
        self, scenario: Scenario, history: VolumeHistory, by: str = "channel",
        horizon: int | None = None,
    ) -> bool:  # fmt: skip
        """Whether the forecast for these settings is kept (asking for it will be instant)."""
        with self._lock:
            return self.forecast_key(scenario, history, by, horizon) in self._forecasts

    def forecast(
        self, scenario: Scenario, history: VolumeHistory, by: str = "channel",
        horizon: int | None = None, progress: Callable[[float, str], None] | None = None,
    ) -> ForecastSet:  # fmt: skip
        """The scenario's forecast of ``history`` by ``by`` over ``horizon`` periods (to the
        plan's end when None), made (with ``progress``) when it is not kept."""
        key = self.forecast_key(scenario, history, by, horizon)
        window = (scenario.start_month, scenario.end_month)
        return self._kept(
            self._forecasts,
            key,
            lambda: forecast_with(history, key[3], scenario.forecast, by=by, plan=window,
                                  progress=progress),
        )  # fmt: skip

    def plans(
        self,
        history: VolumeHistory,
        forecast: ForecastSet | pd.DataFrame,
        *,
        organisation: organisation_plan.Organisation | None = None,
        roster: Roster | None = None,
        today: dt.date | None = None,
    ) -> Plans:
        """Plans on this history and forecast (per channel, to the plan's end), with these
        people (``organisation``, or a ``roster`` alone; neither for a plan from a starting
        headcount) and ``today`` the first day a requisition can open."""
        if roster is None and organisation is not None:
            roster = organisation.roster
        return Plans(self, history, forecast, roster, organisation, today)

    def plan(
        self,
        scenario: Scenario,
        history: VolumeHistory,
        *,
        organisation: organisation_plan.Organisation | None = None,
        today: dt.date | None = None,
        progress: Callable[[float, str], None] | None = None,
    ) -> PlanResult:
        """The scenario's whole plan at every demand case, on its own forecast."""
        forecast = self.forecast(scenario, history, progress=progress)
        on = self.plans(history, forecast, organisation=organisation, today=today)
        return on.build(scenario, bounds=BOUNDS)

    def _kept(self, stage: Recent, key: Hashable, compute: Callable[[], T]) -> T:
        """The entry of ``stage`` under ``key``, computed (outside the lock) and kept when
        it is not there."""
        with self._lock:
            found = stage.recent(key)
        if found is not None:
            return found
        value = compute()
        with self._lock:
            return stage.get_or(key, lambda: value)


@dataclass(frozen=True, eq=False)
class Plans:
    """Plans on one history, forecast, set of people and day, from a ``Runner``'s cache:
    what a page, the bridge, the tornado and goal seek build. ``build`` returns a
    ``PlanResult`` equal to ``plan.build``'s for the same inputs."""

    runner: Runner
    history: VolumeHistory
    forecast: ForecastSet | pd.DataFrame = field(repr=False)
    roster: Roster | None = field(default=None, repr=False)
    organisation: organisation_plan.Organisation | None = field(default=None, repr=False)
    today: dt.date | None = None

    @cached_property
    def basis(self) -> tuple:
        """What every plan here is made from besides the scenario, by content."""
        if isinstance(self.forecast, ForecastSet):
            made_from = self.forecast.fingerprint
        else:
            made_from = digest(self.forecast)
        if self.organisation is not None:
            people = self.organisation.fingerprint
        elif self.roster is not None:
            people = digest(self.roster.agents, self.roster.others)
        else:
            people = None
        return (made_from, self.history.fingerprint, self.history.profile_fingerprint,
                people, self.today)  # fmt: skip

    def build(
        self, scenario: Scenario, volume: float = 1.0, bounds: tuple[str, ...] = ()
    ) -> PlanResult:
        """The plan with every demand x ``volume``, budgeted at the demand the scenario
        hires for and at ``bounds`` (e.g. ``BOUNDS``)."""
        run = self.runner
        cases = tuple(sorted(set(bounds)))
        result_key = (self.basis, volume, cases, scenario.model_dump_json())
        with run._lock:
            found = run._results.recent(result_key)
        if found is not None:
            return found
        adjusted, demand_key = self._demand(scenario, volume)
        required, staffing_key = self._staffing(scenario, adjusted, demand_key)
        plan_key = (staffing_key, cases, planned_part(scenario))
        with run._lock:
            kept = run._plans.recent(plan_key)
        if kept is not None:
            result = reprice(kept, scenario)
        else:
            result = run._kept(
                run._plans,
                plan_key,
                lambda: assemble(scenario, self.forecast, adjusted, required, self.roster,
                                      self.today, cases, self.organisation),
            )  # fmt: skip
        with run._lock:
            return run._results.get_or(result_key, lambda: result)

    def total(self, scenario: Scenario, volume: float = 1.0) -> float:
        """The annual budget of the plan ``build`` makes."""
        return self.build(scenario, volume).budget.total

    def _demand(self, scenario: Scenario, volume: float) -> tuple[demand.Demand, tuple]:
        key = (self.basis[0], scenario.demand.model_dump_json(), volume)

        def adjust() -> demand.Demand:
            adjusted = demand.apply(self.forecast, scenario.demand)
            if volume == 1.0:
                return adjusted
            scaled = adjusted.frame.copy()
            for column in scaled.columns.drop(["series", "period"]):
                scaled[column] = scaled[column] * volume
            return replace(adjusted, frame=scaled)

        return self.runner._kept(self.runner._demands, key, adjust), key

    def _staffing(
        self, scenario: Scenario, adjusted: demand.Demand, demand_key: tuple
    ) -> tuple[staffing.Requirements, tuple]:
        """The staffing of ``adjusted`` demand (shrinkage and paid hours, which only scale
        FTE, applied after), and its key."""
        run = self.runner
        made_of = (demand_key, scenario.costs.model_dump_json(include={"vendors"}),
                       self.basis[2])  # fmt: skip
        key = (
            made_of,
            scenario.model_dump_json(include={"start_month", "horizon_months"}),
            unpriced_service(scenario),
            scenario.workforce.occupancy_target,
            scenario.workforce.shifts.model_dump_json(),
        )
        with run._lock:
            required = run._staffings.recent(key)
            nearest = None
            if required is None:  # its channels whose demand and settings are the same
                nearest = next(reversed(run._staffings.values()), None)
        if required is None:
            required = run._kept(
                run._staffings,
                key,
                lambda: staffing.requirements(
                    staffed_demand(adjusted.frame, scenario), self.history, scenario,
                    nearest,
                ),
            )  # fmt: skip
        workforce = scenario.workforce
        scaling = (workforce.scheduled_shrinkage, workforce.hours_per_fte_per_week)
        if scaling != (required.shrinkage, required.hours_per_fte_per_week):
            required = replace(required, shrinkage=scaling[0], hours_per_fte_per_week=scaling[1])
        return required, (self.basis, key)
