"""The organisation the plan needs: leads, managers, directors and support roles for the
agents of the capacity plan, and what that adds beyond today's positions.

For agents A(t) in a month, leads = ceil(A / agents per lead), managers = ceil(leads /
leads per manager), directors = ceil(managers / managers per director) (a span is a cap:
rounded up); each support role = A / its ratio rounded half up (a ratio is a norm: 42
agents at 1:40 keep one trainer). QA analysts, trainers, WFM analysts and knowledge managers
go by ratio to agents (ICMI; Call Centre Helper). What that needs beyond today's positions
becomes dated open roles (open by = needed month - days to fill a seat).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from planner.capacity import CapacityPlan
from planner.org.ladder import LadderProjection, project_track
from planner.org.people import DERIVED_ROLES, ROLE_NAMES, Organisation
from planner.scenario import OrgSettings, Scenario

SUPPORT_RATIOS = {
    "qa": "agents_per_qa_analyst",
    "trainer": "agents_per_trainer",
    "wfm": "agents_per_wfm_analyst",
    "knowledge": "agents_per_knowledge_manager",
}


DEFAULT_TITLES = {
    "director": "Director of Support",
    "manager": "Support Manager",
    "lead": "Team Lead",
    "qa": "QA Analyst",
    "trainer": "Trainer",
    "wfm": "WFM Analyst",
    "knowledge": "Knowledge Manager",
}


def required_roles(agents: np.ndarray | float, rules: OrgSettings) -> dict[str, np.ndarray]:
    """The roles the span rules call for with ``agents`` agents (headcount, per month):
    leads = ceil(agents / agents per lead), managers = ceil(leads / leads per manager),
    directors = ceil(managers / managers per director), each support role = agents / its
    ratio rounded half up; none for no agents. 47 agents at 1:10 need 5 leads.

    Example:
    >>> rules = OrgSettings(agents_per_lead=10, leads_per_manager=7, managers_per_director=7)
    >>> {role: int(n[0]) for role, n in required_roles(120, rules).items()}["lead"]  # 120 / 10
    12
    """
    agents = np.atleast_1d(np.asarray(agents, dtype=float))

    def over(count: np.ndarray, ratio: float) -> np.ndarray:
        return np.ceil(np.round(count / ratio, 9))  # 40.0000001 / 10 is still 4

    need = {"lead": over(agents, rules.agents_per_lead)}
    need["manager"] = over(need["lead"], rules.leads_per_manager)
    need["director"] = over(need["manager"], rules.managers_per_director)
    for role, field in SUPPORT_RATIOS.items():
        need[role] = np.floor(np.round(agents / getattr(rules, field), 9) + 0.5)
    return need


def site_teams(agents: int, shares: dict[str, float], rules: OrgSettings) -> pd.DataFrame:
    """``agents`` (whole people) split over the in-house sites by ``shares`` (largest
    remainder: whole people adding up to ``agents``), with the span rules applied site by
    site (a lead coaches people in the same place): site, agents, leads and managers by
    ``required_roles``. 24 agents over two equal sites are 12 each, needing 2 leads each at
    1:10 (4 in all, where 24 in one place would need 3).

    Example:
    >>> rules = OrgSettings(agents_per_lead=10)
    >>> site_teams(24, {"Austin": 0.5, "Lisbon": 0.5}, rules)[["site", "agents", "leads"]]
         site  agents  leads
    0  Austin      12      2
    1  Lisbon      12      2
    """
    names = list(shares)
    weights = np.array([shares[name] for name in names], dtype=float)
    exact = agents * weights / weights.sum() if weights.sum() > 0 else np.zeros(len(names))
    whole = np.floor(np.round(exact, 9))
    left = int(agents - whole.sum())
    whole[np.argsort(-(exact - whole), kind="stable")[:left]] += 1
    need = required_roles(whole, rules)
    return pd.DataFrame(
        {
            "site": names,
            "agents": whole.astype(int),
            "leads": need["lead"].astype(int),
            "managers": need["manager"].astype(int),
        }
    )


@dataclass(frozen=True)
class OrgPlan:
    """The organisation the capacity plan needs, month by month.

    ``months``: month, agents (headcount with trainees and recommended hires) and per
    derived role ``<role>_needed``, with today's ``<role>_positions`` and ``<role>_filled``.
    ``open_roles``: role, title, people, needed_from, open_by, late, reason.
    ``role_pay``: role -> annual base pay a new one is priced at.
    ``projection``: the IC track's ladder projection (None without a ladder).
    """

    months: pd.DataFrame
    open_roles: pd.DataFrame
    role_pay: dict[str, float]
    projection: LadderProjection | None
    notes: tuple[str, ...]

    def extra_roles(self) -> pd.DataFrame:
        """Per month and derived role, the people needed beyond those filled today."""
        return pd.DataFrame(
            self.extra_counts, columns=list(DERIVED_ROLES),
            index=pd.DatetimeIndex(self.months["month"]),
        )  # fmt: skip

    @cached_property
    def extra_counts(self) -> np.ndarray:
        """``extra_roles`` as an array (months x ``DERIVED_ROLES``; read-only)."""
        counts = np.stack([np.maximum(self.months[f"{role}_needed"].to_numpy(float)
                                    - self.months[f"{role}_filled"].to_numpy(float), 0.0)
                         for role in DERIVED_ROLES], axis=1)  # fmt: skip
        counts.flags.writeable = False
        return counts

    def extra_pay(self) -> np.ndarray:
        """Monthly base pay of ``extra_roles`` at ``role_pay``."""
        pay = np.array([self.role_pay.get(role, np.nan) for role in DERIVED_ROLES])
        return np.nansum(self.extra_counts * pay, axis=1) / 12

    def shape(self, month: pd.Timestamp | None = None) -> pd.DataFrame:
        """Per role: today's positions and what the rules need in ``month`` (the month
        with the most agents when None)."""
        months = self.months
        row = (
            months.loc[months["agents"].idxmax()]
            if month is None
            else (months.loc[months["month"] == month].iloc[0])
        )
        table = pd.DataFrame(
            {
                "role": ["agent", *DERIVED_ROLES],
                "today": [months["agent_positions"].iat[0]]
                + [months[f"{r}_positions"].iat[0] for r in DERIVED_ROLES],
                "needed": [row["agents"]] + [row[f"{r}_needed"] for r in DERIVED_ROLES],
            }
        )
        table["name"] = table["role"].map(ROLE_NAMES)
        table["difference"] = table["needed"] - table["today"]
        return table

    def takeaway(self) -> str:
        peak = self.months.loc[self.months["agents"].idxmax()]
        leads = int(peak["lead_needed"])
        text = (
            f"At the peak, {peak['month']:%B %Y}, {peak['agents']:.0f} agents need {leads} "
            f"team lead{'s' if leads != 1 else ''} and {int(peak['manager_needed'])} "
            f"manager{'s' if peak['manager_needed'] != 1 else ''} by the span rules"
        )
        if self.open_roles.empty:
            return text + "; today's positions cover them."
        first = self.open_roles.iloc[0]
        total = int(self.open_roles["people"].sum())
        late = " (already late)" if first["late"] else ""
        return (
            f"{text}: open {total} role{'s' if total != 1 else ''}, the first "
            f"({first['title']}) by {first['open_by']:%d %B %Y}{late}."
        )


def plan_org(
    capacity_plan: CapacityPlan,
    scenario: Scenario,
    organisation: Organisation,
    today: dt.date | None = None,
) -> OrgPlan:
    """The derived organisation for the capacity plan's agent headcount (roster, open
    requisitions, planned and recommended classes, after attrition), its open roles, the
    pay of new roles, and the ladder projection of the agents."""
    cohorts, people_by_cohort, _ = capacity_plan.by_cohort(scenario.workforce)
    agents = people_by_cohort.sum(axis=0) if len(cohorts) else np.zeros(len(capacity_plan.months))
    months = pd.DatetimeIndex(capacity_plan.months["month"])
    need = required_roles(agents, scenario.org)
    standing = organisation.standing
    positions, filled = standing.counts["positions"].to_dict(), standing.counts["filled"].to_dict()
    table = {"month": months, "agents": agents}
    table["agent_positions"] = np.full(len(months), positions["agent"])
    for role in DERIVED_ROLES:
        table[f"{role}_needed"] = need[role] if agents.any() else np.zeros(len(months))
        table[f"{role}_positions"] = np.full(len(months), positions[role])
        table[f"{role}_filled"] = np.full(len(months), filled[role])
    frame = pd.DataFrame(table)
    today = today or capacity_plan.today
    lead_days = scenario.workforce.recruiting_lead_days
    titles = standing.titles
    rows, notes = [], []
    for role in DERIVED_ROLES:
        have = positions[role]
        opened = 0
        needs = table[f"{role}_needed"]
        for at in np.flatnonzero(needs > have).tolist():
            month, needed, agents_then = months[at], needs[at], agents[at]
            short = int(needed) - have - opened
            if short <= 0:
                continue
            opened += short
            open_by = (month - pd.Timedelta(days=lead_days)).date()
            rows.append(
                {
                    "role": role,
                    "title": titles.get(role, DEFAULT_TITLES[role]),
                    "people": short,
                    "needed_from": month.date(),
                    "open_by": open_by,
                    "late": open_by < today,
                    "reason": _reason(role, needed, agents_then, scenario.org),
                }
            )
        peak = int(needs.max())
        if have > peak and role in ("lead", "manager", "director"):
            notes.append(
                f"{ROLE_NAMES[role]}: {have} positions today, the span rules need {peak} at "
                "the plan's peak; the extra ones are kept (and paid) as they are."
            )
    open_roles = pd.DataFrame(
        rows, columns=["role", "title", "people", "needed_from", "open_by", "late", "reason"]
    ).sort_values(["open_by", "role"], kind="stable", ignore_index=True)
    role_pay = {}
    for name in DERIVED_ROLES:
        role_pay[name] = standing.known_pay.get(name, scenario.costs.agent_base_pay)
        if name not in standing.known_pay:
            notes.append(
                f"No {DEFAULT_TITLES[name]} on the roster or the ladder: a new one is priced "
                f"at the agent base pay ({role_pay[name]:,.0f})."
            )
    projection = project_track(
        standing.agents, months, scenario.workforce.annual_attrition, total=agents
    )
    return OrgPlan(frame, open_roles, role_pay, projection, tuple(notes))


def _reason(role: str, needed: float, agents: float, rules: OrgSettings) -> str:
    if role == "lead":
        return f"{agents:.0f} agents at 1:{rules.agents_per_lead:g} need {needed:.0f} leads"
    if role == "manager":
        return f"team leads at {rules.leads_per_manager:g} per manager need {needed:.0f}"
    if role == "director":
        return f"managers at {rules.managers_per_director:g} per director need {needed:.0f}"
    ratio = getattr(rules, SUPPORT_RATIOS[role])
    return f"{agents:.0f} agents at 1:{ratio:g} need {needed:.0f}"
