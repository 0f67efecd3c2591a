"""Budget: monthly cost lines from the capacity plan and the cost model, and unit economics.

Lines per month (shared/DOMAIN.md, "Money"; amounts in the scenario's currency):

- **Base pay**: for every agent cohort of the capacity plan (roster, open requisitions,
  planned and recommended classes) people(t) x annual base pay / 12, one line per level and
  location on the roster and one for new hires; the roster's other
  roles (leads, managers, QA, trainers...) at their pay. Pay rises by the merit increase
  from each merit month on: pay(t) = pay x (1 + merit)^(merit months reached by t).
  Hires are priced by level and location (``HirePrices``): an open requisition at the
  ladder's band midpoint for its level and site (else the roster's average there, else its
  own pay when the roster gives one); recommended and planned hires at the entry level of
  the hiring site (``costs.hire_location``, else the site with most agents):
  ``costs.new_hire_base_pay`` when typed, else that level's band midpoint there, else the
  roster's entry-level average, else ``costs.agent_base_pay`` (which also prices a plan
  built on a starting FTE). With in-house sites (``scenario.service.sites``) the hires
  are spread over them by each site's share of the in-house gross FTE over the plan, each
  at its site's pay: cost per hour x exchange rate x paid hours a year (52 x hours a
  week), else the entry level's band (or roster average) at the site's location, else the
  hire pay above; one line per site. Every pay moves by ``costs.pay_adjustment``.
- **New leads, managers and support roles** (with an ``OrgPlan`` and
  ``org.budget_span_roles``): each month, the roles the span rules need beyond the people
  filled today x the pay of that role (``OrgPlan.role_pay``) / 12, with the merit rises.
- **Promotions along the ladder** (with the ladder projection and
  ``org.budget_promotions``): the base pay the projected promotions add (band midpoints),
  with the merit rises; burden applies to it like any pay.
- **Burden** (benefits and payroll taxes) = base pay x (loaded-cost factor - 1): loaded
  cost is 1.3-1.6 x base pay (benefits were 38.3% of compensation, BLS ECEC Dec 2024).
- **Hiring and training** = starters x replacement share x the hire's annual pay (replacing
  an agent costs about 20% of salary, hiring plus training). Backfilling leavers is paid
  here when they are replaced; ``attrition_cost`` in the unit economics says what the
  leavers alone cost at that rate.
- **Tooling** = seats x price per seat per month, for each tool; seats = agents on the
  payroll (trainees included) + the other roles.
- **Vendors** = the vendor's share of the channel's contacts x price per ticket, or their
  handle hours (contacts x AHT / 3600) x price per hour. A vendor site
  (``scenario.service.sites``) bills each month max(the contacts routed to it x its price
  per contact, or their handle hours x its price per hour; its minimum) in its currency,
  x its exchange rate (once) into the plan's.
- **AI**: the platform fee each month + price per automated resolution x deflected
  contacts.
- **Overhead**: a fixed amount a month.

Unserved contacts (live contacts while the channel is closed, and the share of in-house
contacts the team cannot take in months it stays short) are counted apart with what
serving them would cost; they are not handled, so not in cost per ticket.

Unit economics: cost per ticket = total / contacts handled (in-house and vendors, unserved
left out); cost per resolved contact = total / (handled + deflected - re-contacts): a
deflected contact that comes back is resolved once, by the team that handles it; support
cost as % of ARR = annualised cost / average ARR (ARR grows linearly by ``arr_growth``
over a year); agents per 1,000 customers.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from planner.capacity import CapacityPlan, Cohort, Roster
from planner.errors import PlannerError
from planner.org import OrgPlan, agent_bands
from planner.scenario import CostSettings, Scenario, Site

GROUPS = ("Salaries", "Hiring", "Tooling", "Vendors", "AI", "Overhead")
TOOL_NAMES = {"qa": "QA", "wfm": "WFM", "knowledge_base": "Knowledge base"}
FREQS = ("M", "Q", "Y")


@dataclass(frozen=True)
class HirePrices:
    """What a hire costs a year, by level and location.

    ``hire_pay`` prices recommended and planned hires (the entry ``level`` at ``site``;
    ``source`` says where the figure comes from, in words); ``bands`` maps (level,
    location) to the ladder's band midpoint (location "" for every site); ``averages`` to
    the roster's average pay of the agents there; ``site_pay`` (plans with in-house
    sites, ``by_site``) each site's hire pay, whose mix is ``hire_pay``.
    """

    hire_pay: float
    site: str
    level: str
    source: str
    bands: dict[tuple[str, str], float]
    averages: dict[tuple[str, str], float]
    site_pay: dict[str, float] = field(default_factory=dict)

    def band(self, level: str, location: str) -> tuple[str, str] | None:
        """The ladder band that prices ``level`` in ``location``: the band there, else the
        one for every site (location ""), else None."""
        return next((key for key in ((level, location), (level, "")) if key in self.bands), None)

    def at(self, level: str, location: str) -> float:
        """Pay of a hire at ``level`` in ``location``: the band midpoint there (or for every
        site), else the roster's average there, else ``hire_pay``."""
        key = self.band(level, location)
        if key is not None:
            return self.bands[key]
        return self.averages.get((level, location), self.hire_pay)

    def at_site(self, site: Site, hours_a_year: float) -> float:
        """Pay of a hire at an in-house ``site``: its cost per hour x its exchange rate (once)
        x paid hours a year, else the entry level's pay at its location (``at``; the
        ladder's bands and the roster's pay are in the plan's currency), else ``hire_pay``."""
        if site.cost_per_hour is not None:
            return site.cost_per_hour * site.exchange_rate * hours_a_year
        if self.level:
            return self.at(self.level, site.pay_location)
        return self.hire_pay

    def by_site(self, shares: dict[str, float], scenario: Scenario) -> HirePrices:
        """These prices with recommended and planned hires spread over the in-house sites by
        ``shares`` (site -> share of the in-house gross FTE, summing to 1): ``hire_pay`` =
        sum of share x ``at_site``; ``site_pay`` keeps each site's pay."""
        if not shares:
            return self
        hours = scenario.workforce.hours_per_fte_per_week * 52
        sites = {site.name: site for site in scenario.service.sites}
        pay = {name: self.at_site(sites[name], hours) for name in shares}
        mixed = sum(shares[name] * pay[name] for name in shares)
        where = ", ".join(f"{name} {shares[name]:.0%} at {pay[name]:,.0f}" for name in shares)
        return replace(self, hire_pay=mixed, source=f"hires by site ({where})", site_pay=pay)

    def of(self, cohort: Cohort, agent_base_pay: float) -> float:
        """A cohort's annual base pay: its own (roster agents, a requisition with a pay),
        the agent pay for a starting FTE, an open requisition at its level and site, any
        other hire at ``hire_pay``."""
        if cohort.annual_base_pay is not None:
            return cohort.annual_base_pay
        if cohort.source == "starting FTE":
            return agent_base_pay
        if cohort.source == "open requisition" and cohort.level:
            return self.at(cohort.level, cohort.location)
        return self.hire_pay


def hire_prices(
    scenario: Scenario,
    roster: Roster | None = None,
    ladder: pd.DataFrame | None = None,
    bands: dict[tuple[str, str], float] | None = None,
) -> HirePrices:
    """The prices of hires (see ``HirePrices``) from the scenario's costs, the roster's
    filled agents and the career ladder's agent bands (``bands``, else ``agent_bands`` of
    ``ladder``)."""
    costs = scenario.costs
    averages = roster.average_pay if roster is not None else {}
    if bands is None:
        bands = agent_bands(ladder)
    site = costs.hire_location or (roster.main_site if roster is not None else "")
    here = {level: pay for (level, location), pay in bands.items() if location in (site, "")}
    if costs.new_hire_base_pay:
        return HirePrices(costs.new_hire_base_pay, site, "", "typed in the scenario", bands,
                          averages)  # fmt: skip
    if here:
        level = min(here, key=here.get)
        where = f" in {site}" if site else ""
        return HirePrices(here[level], site, level, f"{level} band midpoint{where} (career "
                          "ladder)", bands, averages)  # fmt: skip
    at_site = {level: pay for (level, location), pay in averages.items() if location == site}
    if at_site:
        level = min(at_site)
        return HirePrices(at_site[level], site, level, f"{level} average in {site} (roster)",
                          bands, averages)  # fmt: skip
    entry = roster.entry_base_pay() if roster is not None else None
    if entry:
        return HirePrices(entry, site, "", "the roster's entry-level average", bands, averages)
    return HirePrices(costs.agent_base_pay, site, "", "the agent pay (no roster)", bands,
                      averages)  # fmt: skip


@dataclass(frozen=True)
class UnitEconomics:
    """Over the plan: total cost; contacts (all the plan receives), handled (contacts -
    unserved), unserved (outside_hours + short_staffed) and unserved_cost (what serving
    them would add); deflected (answered by AI); cost_per_ticket = total / handled;
    cost_per_resolved_contact = total / (handled + deflected - re-contacts); share_of_arr =
    annualised total / average ARR; agents_per_1000_customers; average_agents (on the
    payroll); attrition_cost (leavers x replacement share x a hire's pay)."""

    total: float
    contacts: float
    handled: float
    unserved: float
    outside_hours: float
    short_staffed: float
    unserved_cost: float
    deflected: float
    cost_per_ticket: float
    cost_per_resolved_contact: float
    share_of_arr: float
    agents_per_1000_customers: float
    average_agents: float
    attrition_cost: float


@dataclass(frozen=True)
class Budget:
    """Monthly budget lines and the volumes they are measured against.

    ``lines``: month, group, line, amount (one row per line and month).
    ``volume``: month, channel, contacts (all handled: in-house and vendors), deflected
    (answered by AI), recontacts (deflected ones that came back: in contacts too; optional),
    gross_fte (in-house, required).
    ``staff``: month, agents (people on the payroll, trainees included), other_staff,
    leavers, surplus (FTE available beyond the requirement) and surplus_cost (surplus x
    the month's average loaded agent cost: agent base pay x loaded-cost factor / agents +
    a seat of every tool).
    """

    lines: pd.DataFrame
    volume: pd.DataFrame
    staff: pd.DataFrame
    scenario: Scenario
    prices: HirePrices

    @property
    def hire_pay(self) -> float:
        """Annual base pay of a recommended or planned hire (``HirePrices.hire_pay``)."""
        return self.prices.hire_pay

    def totals(self, freq: str = "M") -> pd.DataFrame:
        """Total per period (M months, Q quarters, Y years) and per group of lines:
        period, one column per group, total."""
        if freq not in FREQS:
            raise PlannerError(f"'{freq}' is not a budget period; use M, Q or Y.")
        lines = self.lines.assign(period=_period(self.lines["month"], freq))
        table = lines.pivot_table(
            index="period", columns="group", values="amount", aggfunc="sum", fill_value=0.0
        )
        table = table.reindex(columns=[g for g in GROUPS if g in table.columns])
        table["total"] = table.sum(axis=1)
        return table.reset_index()

    def by_line(self, freq: str = "M") -> pd.DataFrame:
        """Lines down, periods across (how finance reads a budget), with a total column."""
        lines = self.lines.assign(period=_period(self.lines["month"], freq))
        table = lines.pivot_table(
            index=["group", "line"], columns="period", values="amount", aggfunc="sum"
        )
        order = {g: i for i, g in enumerate(GROUPS)}
        table = table.sort_index(key=lambda k: k.map(order) if k.name == "group" else k)
        table["Total"] = table.sum(axis=1)
        return table

    @property
    def agent_month_cost(self) -> float:
        """A month of one more agent (``agent_month``)."""
        return agent_month(self.scenario.costs, self.hire_pay)

    @property
    def surplus_cost(self) -> float:
        """What the FTE beyond the requirement cost over the plan."""
        return float(self.staff["surplus_cost"].sum())

    @property
    def total(self) -> float:
        return float(self.lines["amount"].sum())

    def unit_economics(self) -> UnitEconomics:
        """The plan's unit economics (see ``UnitEconomics``)."""
        costs = self.scenario.costs
        months = len(self.staff)
        contacts = float(self.volume["contacts"].sum())
        unserved = float(self.volume["unserved"].sum())
        handled = contacts - unserved
        deflected = float(self.volume["deflected"].sum())
        returned = self.volume["recontacts"].sum() if "recontacts" in self.volume else 0.0
        resolved = handled + deflected - float(returned)
        growth = costs.annual_recurring_revenue * costs.arr_growth
        arr = costs.annual_recurring_revenue + growth * np.arange(months) / 12
        agents = float(self.staff["agents"].mean())
        return UnitEconomics(
            total=self.total,
            contacts=contacts,
            handled=handled,
            unserved=unserved,
            outside_hours=float(self.volume["outside_hours"].sum()),
            short_staffed=float(self.volume["short_staffed"].sum()),
            unserved_cost=float(self.volume["unserved_cost"].sum()),
            deflected=deflected,
            cost_per_ticket=self.total / handled if handled else float("nan"),
            cost_per_resolved_contact=self.total / resolved if resolved else float("nan"),
            share_of_arr=(self.total / months * 12) / arr.mean() if arr.mean() else float("nan"),
            agents_per_1000_customers=(
                agents / costs.customers * 1000 if costs.customers else float("nan")
            ),
            average_agents=agents,
            attrition_cost=float(
                self.staff["leavers"].sum() * costs.replacement_cost_share * self.hire_pay
            ),
        )

    def takeaway(self) -> str:
        """One sentence: the total, the month's average, cost per ticket, % of ARR and the
        salaries' share."""
        numbers = self.unit_economics()
        currency = self.scenario.currency
        salaries = self.lines.loc[self.lines["group"] == "Salaries", "amount"].sum()
        months = len(self.staff)
        text = (
            f"The plan costs {self.total:,.0f} {currency} over {months} months "
            f"({self.total / months:,.0f} a month): {numbers.cost_per_ticket:,.2f} per "
            f"handled ticket, {numbers.share_of_arr:.1%} of ARR; salaries and burden are "
            f"{salaries / self.total:.0%} of it."
        )
        unserved = numbers.unserved
        if unserved >= 0.005 * numbers.contacts and unserved >= 1:
            parts = [
                f"{amount:,.0f} {words}"
                for amount, words in ((numbers.outside_hours, "outside the hours of operation"),
                                      (numbers.short_staffed, "while the team is short"))
                if amount >= 1
            ]  # fmt: skip
            text += (
                f" {unserved:,.0f} contacts ({unserved / numbers.contacts:.1%}) go unserved "
                f"({' and '.join(parts)}); serving them would add about "
                f"{numbers.unserved_cost:,.0f} {currency}."
            )
        return text

    def cost_per_ticket_by_channel(self) -> pd.DataFrame:
        """channel, contacts (handled), cost, cost_per_ticket over the plan. Agent pay, burden,
        hiring and agent seats follow each channel's share of the in-house gross FTE
        required; vendors their channel; AI resolutions the deflected channel; the rest
        (other staff, their seats, overhead, AI platform) the share of contacts."""
        volume = self.volume
        contact_share = _share(volume, "contacts", None)
        fte_share = _share(volume, "gross_fte", contact_share)
        monthly = self.lines.pivot_table(
            index="month", columns="kind", values="amount", aggfunc="sum", fill_value=0.0
        )
        kinds = monthly.reindex(columns=["agents", "shared"], fill_value=0.0)
        cost = (
            fte_share * kinds["agents"].reindex(volume["month"]).to_numpy()
            + contact_share * kinds["shared"].reindex(volume["month"]).to_numpy()
        )
        table = (
            volume.assign(cost=cost, contacts=volume["contacts"] - volume["unserved"])
            .groupby("channel", as_index=False)[["contacts", "cost"]]
            .sum()
        )
        direct = self.lines[self.lines["kind"].str.startswith("channel:")]
        direct = direct.assign(channel=direct["kind"].str.removeprefix("channel:"))
        extra = direct.groupby("channel")["amount"].sum()
        table["cost"] += table["channel"].map(extra).fillna(0.0)
        table["cost_per_ticket"] = table["cost"] / table["contacts"].replace(0, np.nan)
        return table

    def cost_by_tier(self) -> pd.DataFrame:
        """tier, gross_fte (average in-house gross FTE required), cost, share of the cost:
        Tier 1 (the channels' own work, vendors and AI included) and each tier of the
        scenario (its escalations), as ``cost_per_ticket_by_channel`` shares the cost;
        empty without tiers."""
        tiers = [tier.name for tier in self.scenario.service.tiers]
        if not tiers:
            return pd.DataFrame(columns=["tier", "gross_fte", "cost", "share"])
        months = self.volume["month"].nunique() or 1
        fte = self.volume.groupby("channel")["gross_fte"].sum() / months
        cost = self.cost_per_ticket_by_channel().set_index("channel")["cost"]
        tier_of = {name: name if name in tiers else "Tier 1" for name in cost.index}
        table = pd.DataFrame(
            {
                "tier": cost.index.map(tier_of),
                "cost": cost.to_numpy(),
                "gross_fte": fte.reindex(cost.index).fillna(0.0).to_numpy(),
            }
        )
        table = table.groupby("tier", sort=False, as_index=False)[["gross_fte", "cost"]].sum()
        order = {name: at for at, name in enumerate(["Tier 1", *tiers])}
        table = table.sort_values("tier", key=lambda t: t.map(order), ignore_index=True)
        table["share"] = table["cost"] / table["cost"].sum()
        return table


@dataclass(frozen=True)
class BudgetBasis:
    """What a budget is priced from that no cost setting moves: the capacity plan's months,
    agent cohorts (their people and starters per month, the pay line each goes to), the
    organisation's new roles and promotions, the roster's other roles, the contacts and
    deflections per channel, and the unserved contacts (``volume``). ``budget_basis``
    makes it once per capacity plan; ``price`` turns it into a ``Budget`` for any costs
    (a cost change prices the same basis again)."""

    plan: CapacityPlan
    months: pd.DatetimeIndex
    cohorts: list[Cohort]
    people: np.ndarray
    starters: np.ndarray
    line_of: np.ndarray
    pay_lines: pd.Index
    promotions: np.ndarray | None
    new_role_pay: np.ndarray | None
    new_role_seats: np.ndarray | None
    others_known_pay: float
    others_unpriced_fte: float
    others_fte: float | None
    contacts: dict[str, np.ndarray]
    deflected: dict[str, np.ndarray]
    volume: pd.DataFrame
    volume_codes: np.ndarray
    volume_channels: pd.Index
    vendor_sites: dict[str, tuple[np.ndarray, np.ndarray]]  # contacts, handle hours a month
    hire_sites: dict[str, float]  # in-house site -> its share of the gross FTE over the plan


def budget_basis(
    plan: CapacityPlan,
    scenario: Scenario,
    volume: pd.DataFrame,
    roster: Roster | None = None,
    org: OrgPlan | None = None,
    sites: pd.DataFrame | None = None,
) -> BudgetBasis:
    """The ``BudgetBasis`` of a capacity plan (``volume`` as ``build_budget`` takes it);
    ``scenario`` gives the workforce, the org's budget switches and the vendors' shares,
    none of which is a price. The roster's other roles without a pay are priced at the
    hire pay (``price``). ``sites``: ``Requirements.fte_by_site("M")``, whose vendor sites'
    contacts and handle hours (at the plan's demand case) they are paid for."""
    workforce = scenario.workforce
    months = pd.DatetimeIndex(plan.months["month"])
    cohorts, people, starters = plan.by_cohort(workforce)
    line_of, pay_lines = pd.factorize(np.array([_pay_label(c) for c in cohorts]))  # in order met
    promotions = new_role_pay = new_role_seats = None
    if org is not None and org.projection is not None and scenario.org.budget_promotions:
        promotions = np.asarray(org.projection.cost_effect, dtype=float)
    others = roster.others if roster is not None else None
    known_pay = unpriced = 0.0
    seats = None
    if others is not None and not others.empty and workforce.starting_fte is None:
        pay, fte = others["annual_base_pay"], others["fte"].astype(float)
        known_pay = float((pay.fillna(0.0) * fte).sum())
        unpriced = float(fte[pay.isna()].sum())
        seats = float(fte.sum())
    if org is not None and scenario.org.budget_span_roles and workforce.starting_fte is None:
        new_role_pay = org.extra_pay()
        new_role_seats = org.extra_counts.sum(axis=1)
    contacts, deflected = _by_channel(volume, months, ("contacts", "deflected"))
    volume = _unserved_contacts(volume.reset_index(drop=True), plan, scenario)
    codes, channels = pd.factorize(volume["channel"].astype(str))
    vendor_sites, hire_sites = {}, {}
    if sites is not None and len(sites):
        name = sites["site"].to_numpy()
        at = months.get_indexer(pd.DatetimeIndex(sites["period"]))
        inside = at >= 0

        def monthly(column: str, site: str) -> np.ndarray:
            kept = inside & (name == site)
            values = sites[f"{column}_{plan.plan_to}"].to_numpy(float)
            return np.bincount(at[kept], values[kept], len(months))

        for site in scenario.service.sites:
            if site.vendor:
                vendor_sites[site.name] = (monthly("contacts", site.name),
                                           monthly("handle_hours", site.name))  # fmt: skip
            else:
                hire_sites[site.name] = float(monthly("gross_fte", site.name).sum())
    total = sum(hire_sites.values())
    hire_sites = {name: fte / total for name, fte in hire_sites.items()} if total > 0 else {}
    return BudgetBasis(plan, months, cohorts, people, starters, line_of, pay_lines, promotions,
                       new_role_pay, new_role_seats, known_pay, unpriced, seats, contacts,
                       deflected, volume, codes, channels, vendor_sites, hire_sites)  # fmt: skip


def build_budget(
    plan: CapacityPlan,
    scenario: Scenario,
    volume: pd.DataFrame,
    roster: Roster | None = None,
    org: OrgPlan | None = None,
    ladder: pd.DataFrame | None = None,
    prices: HirePrices | None = None,
) -> Budget:
    """The monthly budget of a capacity plan (see the module notes).

    ``volume`` has month, channel, contacts (after deflection, all of them, vendors' share
    included), deflected, and gross_fte (in-house gross FTE required per channel). ``org``
    (the organisation this capacity plan needs) adds the new roles and the promotions;
    ``ladder`` prices hires by level and location; ``prices`` are ``hire_prices`` of these
    when already known (the three demand cases share them).
    """
    prices = prices or hire_prices(scenario, roster, ladder)
    return price(budget_basis(plan, scenario, volume, roster, org), scenario, prices)


def price(basis: BudgetBasis, scenario: Scenario, prices: HirePrices) -> Budget:
    """The budget of ``basis`` at the scenario's costs and these hire ``prices``."""
    costs = scenario.costs
    months = basis.months
    merit = _merit_factor(months, costs.merit_month, costs.merit_increase)
    merit = merit * (1 + costs.pay_adjustment)
    prices = prices.by_site(basis.hire_sites, scenario)
    hire_pay = prices.hire_pay
    pay = np.array([prices.of(c, costs.agent_base_pay) for c in basis.cohorts])
    rows: list[tuple[str, str, str, np.ndarray]] = []

    def add(group: str, line: str, kind: str, amounts: np.ndarray) -> None:
        rows.append((group, line, kind, np.asarray(amounts, dtype=float)))

    monthly_pay = basis.people * pay[:, None] / 12 * merit
    agent_pay = monthly_pay.sum(axis=0)
    by_line = np.zeros((len(basis.pay_lines), monthly_pay.shape[1]))
    np.add.at(by_line, basis.line_of, monthly_pay)
    for label, amounts in zip(basis.pay_lines, by_line, strict=True):
        if label == "new hires" and prices.site_pay:
            for name, share in basis.hire_sites.items():
                part = share * prices.site_pay[name] / hire_pay if hire_pay else share
                add("Salaries", f"Base pay: new hires · {name}", "agents", amounts * part)
            continue
        add("Salaries", f"Base pay: {label}", "agents", amounts)
    if basis.promotions is not None:
        promotions = basis.promotions * merit
        agent_pay = agent_pay + promotions
        add("Salaries", "Promotions along the ladder", "agents", promotions)
    other_pay = np.zeros(len(months))
    other_seats = np.zeros(len(months))
    if basis.others_fte is not None:
        known = basis.others_known_pay + basis.others_unpriced_fte * hire_pay
        other_pay = np.full(len(months), known / 12) * merit
        other_seats = other_seats + basis.others_fte
        add("Salaries", "Base pay: leads, managers and support roles", "shared", other_pay)
    if basis.new_role_pay is not None:
        new_roles = basis.new_role_pay * merit
        if new_roles.any():
            other_pay = other_pay + new_roles
            other_seats = other_seats + basis.new_role_seats
            add("Salaries", "Base pay: new leads, managers and support roles", "shared",
                new_roles)  # fmt: skip
    burden = costs.loaded_cost_factor - 1
    add("Salaries", "Burden: agents (benefits, taxes)", "agents", agent_pay * burden)
    if other_pay.any():
        add("Salaries", "Burden: other roles (benefits, taxes)", "shared", other_pay * burden)
    hiring = (
        (basis.starters * pay[:, None]).sum(axis=0)
        * costs.replacement_cost_share
        * (1 + costs.pay_adjustment)
    )
    add("Hiring", "Hiring and training", "agents", hiring)
    agents = basis.people.sum(axis=0)
    for tool, price_of_seat in costs.tooling_per_seat_per_month.items():
        name = TOOL_NAMES.get(tool, tool.replace("_", " ").capitalize())
        add("Tooling", f"{name} seats", "agents", agents * price_of_seat)
        if other_seats.any():
            add("Tooling", f"{name} seats, other roles", "shared", other_seats * price_of_seat)
    contacts, deflected = basis.contacts, basis.deflected
    for vendor in costs.vendors:
        if vendor.channel not in contacts:
            continue
        handled = contacts[vendor.channel] * vendor.share
        if vendor.price_per_ticket is not None:
            amount = handled * vendor.price_per_ticket
        else:
            service = scenario.service.channels.get(vendor.channel)
            aht = service.aht_seconds if service else 0.0
            amount = handled * aht / 3600 * vendor.price_per_hour
        add("Vendors", f"Vendor: {vendor.name} ({vendor.channel})", f"channel:{vendor.channel}",
            amount)  # fmt: skip
    for site in scenario.service.sites:
        if site.name in basis.vendor_sites:
            taken, hours = basis.vendor_sites[site.name]
            bill = (
                taken * site.price_per_contact
                if site.price_per_contact is not None
                else (hours * site.price_per_hour)
            )
            amount = np.maximum(bill, site.minimum_per_month) * site.exchange_rate
            add("Vendors", f"Vendor site: {site.name}", "shared", amount)
    if costs.ai_platform_fee_per_month:
        add(
            "AI", "AI platform fee", "shared", np.full(len(months), costs.ai_platform_fee_per_month)
        )
    for channel, answered in deflected.items():
        if answered.any():
            add("AI", f"AI resolutions ({channel})", f"channel:{channel}",
                answered * costs.ai_price_per_resolution)  # fmt: skip
    add("Overhead", "Overhead", "shared", np.full(len(months), costs.overhead_per_month))
    count = len(months)
    lines = pd.DataFrame(
        {
            "month": np.repeat(months.to_numpy(), len(rows)),
            "group": np.tile([r[0] for r in rows], count),
            "line": np.tile([r[1] for r in rows], count),
            "kind": np.tile([r[2] for r in rows], count),
            "amount": np.stack([r[3] for r in rows], axis=1).ravel(),
        }
    )
    per_agent = (
        monthly_pay.sum(axis=0) * costs.loaded_cost_factor
        + agents * sum(costs.tooling_per_seat_per_month.values())
    ) / np.where(agents > 0, agents, 1)
    plan = basis.plan
    surplus = plan.months["surplus"].to_numpy(dtype=float)
    staff = pd.DataFrame(
        {
            "month": months,
            "agents": agents,
            "other_staff": other_seats,
            "leavers": plan.months["leavers"].to_numpy(),
            "surplus": surplus,
            "surplus_cost": surplus * per_agent,
        }
    )
    volume = basis.volume
    per_contact = _unserved_price(basis.volume_channels, scenario, prices)
    volume = volume.assign(
        unserved_cost=volume["unserved"].to_numpy() * per_contact[basis.volume_codes]
    )
    return Budget(lines, volume, staff, scenario, prices)


def _unserved_contacts(
    volume: pd.DataFrame, plan: CapacityPlan, scenario: Scenario
) -> pd.DataFrame:
    """The volume with the contacts nobody is staffed for: outside_hours (live contacts
    while the channel is closed; 0 when not given); short_staffed = (in-house contacts -
    outside_hours) x gap / required in the months the team stays short after the
    recommended hires (classes that cannot be ready in time); unserved = outside_hours +
    short_staffed."""
    months = plan.months
    required = months["required"].to_numpy(dtype=float)
    short = np.clip(months["gap_after"].to_numpy(dtype=float), 0, None)
    share = np.divide(short, required, out=np.zeros_like(short), where=required > 0)
    where = pd.DatetimeIndex(months["month"]).get_indexer(pd.DatetimeIndex(volume["month"]))
    gap = np.where(where >= 0, share[where], 0.0)
    codes, channels = pd.factorize(volume["channel"].astype(str))
    kept = dict.fromkeys(channels, 1.0)
    for vendor in scenario.costs.vendors:
        if vendor.channel in kept:
            kept[vendor.channel] -= vendor.share
    contacts = volume["contacts"].to_numpy(dtype=float)
    in_house = contacts * np.array([max(kept[c], 0.0) for c in channels])[codes]
    outside = (
        volume["outside_hours"].to_numpy(dtype=float)
        if "outside_hours" in volume
        else np.zeros(len(volume))
    )
    short_staffed = np.clip(in_house - outside, 0, None) * gap
    return volume.assign(
        outside_hours=outside, short_staffed=short_staffed, unserved=outside + short_staffed
    )


def _unserved_price(channels: pd.Index, scenario: Scenario, prices: HirePrices) -> np.ndarray:
    """What serving one unserved contact of each of ``channels`` costs: AHT / concurrency
    / occupancy (the occupancy cap for live channels, the target for deferred work) /
    (1 - shrinkage) / paid hours a month x a new agent's loaded month (pay x loaded-cost
    factor / 12 + a seat of every tool); 0 for a channel without service settings."""
    costs, workforce, service = scenario.costs, scenario.workforce, scenario.service
    hours_a_month = workforce.hours_per_fte_per_week * 52 / 12
    month = agent_month(costs, prices.hire_pay)
    per_contact = {}
    for name, channel in service.staffed().items():
        occupancy = (
            workforce.occupancy_target if channel.model == "deferred" else service.max_occupancy
        )
        hours = channel.aht_seconds / channel.concurrency / 3600 / occupancy
        per_contact[name] = hours / (1 - workforce.scheduled_shrinkage) / hours_a_month * month
    return np.array([per_contact.get(c, 0.0) for c in channels])


def agent_month(costs: CostSettings, hire_pay: float) -> float:
    """A month of one more agent: new-hire pay (with the pay change) x loaded-cost factor
    / 12 + a seat of every tool."""
    pay = hire_pay * (1 + costs.pay_adjustment) * costs.loaded_cost_factor / 12
    return pay + sum(costs.tooling_per_seat_per_month.values())


def short_money(amount: float, currency: str) -> str:
    """4.61 M USD, 385 k USD, 950 USD: fits a metric tile or a slide."""
    if abs(amount) >= 1e6:
        return f"{amount / 1e6:,.2f} M {currency}"
    if abs(amount) >= 1e4:
        return f"{amount / 1e3:,.0f} k {currency}"
    return f"{amount:,.0f} {currency}"


def _pay_label(cohort) -> str:
    """The line an agent cohort's pay goes to: its level and location from the roster."""
    if cohort.source == "roster":
        return f"agents {cohort.note}" if cohort.note else "agents on the roster"
    if cohort.source == "starting FTE":
        return "agents (starting FTE)"
    if cohort.source == "open requisition":
        where = " · ".join(v for v in (cohort.level, cohort.location) if v)
        return f"open requisitions {where}" if where else "open requisitions"
    return "new hires"


def _by_channel(volume: pd.DataFrame, months: pd.DatetimeIndex, columns: tuple) -> list[dict]:
    """For each column, channel -> its monthly sums over ``months``."""
    where = np.searchsorted(months.to_numpy(), volume["month"].to_numpy(dtype="datetime64[ns]"))
    channel = volume["channel"].to_numpy().astype(str)
    names = sorted(set(channel))
    found = []
    for column in columns:
        values = volume[column].to_numpy(dtype=float)
        found.append(
            {
                name: np.bincount(where[channel == name], values[channel == name], len(months))
                for name in names
            }
        )
    return found


def _share(volume: pd.DataFrame, column: str, fallback: np.ndarray | None) -> np.ndarray:
    """Each channel's share of ``column`` within its month; in a month where it is all
    zero, the ``fallback`` shares, else equal shares."""
    months = volume["month"]
    values = volume[column].to_numpy(dtype=float)
    totals = volume.assign(v=values).groupby("month")["v"].transform("sum").to_numpy()
    if fallback is None:
        fallback = 1 / months.map(months.value_counts()).to_numpy(dtype=float)
    return np.where(totals > 0, values / np.where(totals > 0, totals, 1), fallback)


def _merit_factor(months: pd.DatetimeIndex, merit_month: int, merit: float) -> np.ndarray:
    """(1 + merit)^(merit months reached): from the merit month on, pay is higher."""
    reached = np.cumsum(months.month == merit_month)
    return (1 + merit) ** reached


def _period(months: pd.Series, freq: str) -> pd.Series:
    stamp = pd.to_datetime(months)
    if freq == "M":
        return stamp
    if freq == "Q":
        return stamp.dt.to_period("Q").dt.start_time
    return stamp.dt.to_period("Y").dt.start_time
