"""Capacity: how many agents the team will have each month, and when to hire to close a gap.

Supply is rolled forward month by month (shared/DOMAIN.md, "Headcount roll-forward"; the
form NICE and Genesys capacity plans use):

    people(t) = people(t - 1) - leavers(t - 1) + starters(t)

Everyone is kept in *cohorts* that share a start date: each person on the roster, each
planned hiring class, each open requisition. For a cohort in month t:

- **Attrition.** Annual attrition a becomes a monthly rate m = 1 - (1 - a)^(1/12). New hires
  leave faster: a share q of a class leaves in its first 90 days, a monthly rate
  e = 1 - (1 - q)^(1/3) in its first three months (the larger of e and m). Leavers of month
  t = people(t) x rate(tenure month); they are gone from month t + 1.
- **Training.** Nobody handles contacts until ``training_weeks`` after the start date; the
  first month on the floor counts the share of its days on or after that date.
- **Ramp.** In the k-th month on the floor (k = 0 first) an agent delivers
  p(k) = p0 + (1 - p0) x min(k / ramp_months, 1) of a tenured agent (p0 about 53% in month
  one, DOMAIN.md), 100% from month ``ramp_months``.
- **Available FTE** = people x share of the month on the floor x p(k) x FTE per person. It
  is compared with the *gross* FTE required (scheduled people, shrinkage included), because
  the people counted here also take leave, training and breaks.

Recommended requisitions close the remaining gap month by month: for the first month t
short of the requirement, a class is timed to be fully ramped in month t (on the floor
``ramp_months`` before, started ``training_weeks`` before that, requisition opened
``recruiting_lead_days`` before the start) and sized to the smallest whole number of people
that covers the gap at full productivity after attrition. When that opening date has passed,
the class starts as soon as it can and is marked late.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from planner.errors import PlannerError
from planner.scenario import Scenario, WorkforceSettings

EARLY_MONTHS = 3  # "the first 90 days"
SURPLUS_WORTH_NAMING = 0.5  # FTE on average: less is rounding, not over-staffing


def monthly_attrition(annual: float) -> float:
    """m = 1 - (1 - a)^(1/12): the monthly rate that compounds to the annual attrition a
    (DOMAIN.md). Attrition of 100% or more a year leaves everyone within the year: m = 1.

    Example:
    >>> round(monthly_attrition(0.30), 4)  # 1 - 0.7^(1/12)
    0.0293
    """
    if annual >= 1:
        return 1.0
    return 1 - (1 - annual) ** (1 / 12)


def early_monthly_attrition(first_90_days: float) -> float:
    """e = 1 - (1 - q)^(1/3): the monthly rate at which a share q of a class leaves within
    its first three months.

    Example:
    >>> round(early_monthly_attrition(0.10), 4)  # 1 - 0.9^(1/3)
    0.0345
    """
    return 1 - (1 - first_90_days) ** (1 / EARLY_MONTHS)


def ramp(months_on_floor, workforce: WorkforceSettings) -> np.ndarray:
    """p(k) = p0 + (1 - p0) min(k / N, 1): productivity in the k-th month on the floor.

    Example:
    >>> from planner.scenario import WorkforceSettings
    >>> workforce = WorkforceSettings(ramp_months=3, ramp_start_productivity=0.53)
    >>> ramp(np.arange(4), workforce).round(3).tolist()  # 53% in the first month, then linear
    [0.53, 0.687, 0.843, 1.0]
    """
    k = np.asarray(months_on_floor, dtype=float)
    if workforce.ramp_months == 0:
        return np.ones_like(k)
    start = workforce.ramp_start_productivity
    return start + (1 - start) * np.minimum(k / workforce.ramp_months, 1.0)


@dataclass(frozen=True)
class Cohort:
    """People who started on one day: ``source`` is roster, starting FTE, open requisition,
    hiring plan or recommended."""

    start: dt.date
    people: float
    source: str
    note: str = ""
    annual_base_pay: float | None = None  # None: priced by the budget (``budget.HirePrices``)
    level: str = ""
    location: str = ""


@dataclass(frozen=True)
class Roster:
    """The agents counted from an org roster, how they were told apart, and the other
    (filled) roles: leads, managers, QA, trainers... that the budget pays for.

    ``agents`` and ``others`` have employee_id, title, level, location, start_date, open,
    fte and annual_base_pay.
    """

    agents: pd.DataFrame
    rows: int
    skipped_titles: tuple[str, ...]
    others: pd.DataFrame

    @cached_property
    def filled(self) -> pd.DataFrame:
        return self.agents[~self.agents["open"]]

    @cached_property
    def open_requisitions(self) -> pd.DataFrame:
        return self.agents[self.agents["open"]]

    def mean_base_pay(self) -> float | None:
        pay = self.filled["annual_base_pay"].dropna()
        return float(pay.mean()) if len(pay) else None

    def entry_base_pay(self) -> float | None:
        """Average pay of the agents at the lowest level on the roster: what a new hire
        is paid."""
        return self._entry_pay

    @cached_property
    def _entry_pay(self) -> float | None:
        filled = self.filled.dropna(subset=["annual_base_pay"])
        if filled.empty:
            return None
        entry = filled[filled["level"] == filled["level"].min()]
        return float(entry["annual_base_pay"].mean())

    @cached_property
    def average_pay(self) -> dict[tuple[str, str], float]:
        """The filled agents' average annual base pay by (level, location)."""
        paid = self.filled.dropna(subset=["annual_base_pay"])
        means = paid.groupby(["level", "location"])["annual_base_pay"].mean()
        return {(str(level), str(location)): float(pay) for (level, location), pay in means.items()}

    @cached_property
    def main_site(self) -> str:
        """The location with the most filled agent FTE ("" without any)."""
        counts = self.filled.groupby("location")["fte"].sum()
        return str(counts.idxmax()) if len(counts) else ""

    def cohorts(self, earliest_start: dt.date) -> list[Cohort]:
        """Filled agents as roster cohorts (grouped by start date, level and location);
        open requisitions as starters on their date, or on ``earliest_start`` when they
        have none or it passed."""
        cohorts = list(self._filled_cohorts)
        wanted = self.open_requisitions
        for start, fte, title, pay, level, location in zip(
            wanted["start_date"], wanted["fte"], wanted["title"], wanted["annual_base_pay"],
            wanted["level"], wanted["location"], strict=True,
        ):  # fmt: skip
            start = earliest_start if start is None or start < earliest_start else start
            paid = None if pd.isna(pay) else float(pay)
            cohorts.append(
                Cohort(start, float(fte), "open requisition", title, paid, level, location)
            )
        return cohorts

    @cached_property
    def _filled_cohorts(self) -> tuple[Cohort, ...]:
        filled = self.filled
        fte = filled["fte"].to_numpy(dtype=float)
        pay = filled["annual_base_pay"].to_numpy(dtype=float)
        priced = np.where(np.isnan(pay), 0.0, fte)
        keys = list(zip(filled["start_date"], filled["level"], filled["location"], strict=True))
        groups: dict[tuple, list[float]] = {}
        for key, people, paid, weight in zip(keys, fte, np.nan_to_num(pay) * fte, priced,
                                             strict=True):  # fmt: skip
            total = groups.setdefault(key, [0.0, 0.0, 0.0])
            total[0] += people
            total[1] += paid
            total[2] += weight
        cohorts = [
            Cohort(
                start,
                people,
                "roster",
                " · ".join(v for v in (level, location) if v),
                paid / weight if weight > 0 else None,
                level,
                location,
            )
            for (start, level, location), (people, paid, weight) in sorted(groups.items())
        ]
        return tuple(cohorts)


@dataclass(frozen=True)
class CapacityPlan:
    """Supply against requirement per month, and the requisitions that close the gap.

    ``months``: month, required (gross FTE at the planned bound) and ``required_lower`` /
    ``required_upper``, people (headcount of agents, trainees included), in_training,
    starters, leavers, available (productive gross FTE from the roster and planned hires),
    gap (required - available; positive = short), recommended_available (with the
    recommended classes), gap_after and surplus (available with them beyond the
    requirement: people the plan pays for and the demand does not need).
    ``requisitions``: open_by, start, on_floor, people, for_month, late.
    """

    months: pd.DataFrame
    requisitions: pd.DataFrame
    cohorts: tuple[Cohort, ...]
    notes: tuple[str, ...]
    plan_to: str
    today: dt.date

    recommended: tuple[Cohort, ...]  # the requisitions as cohorts
    _rolled: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def by_cohort(
        self, workforce: WorkforceSettings, with_recommended: bool = True
    ) -> tuple[list[Cohort], np.ndarray, np.ndarray]:
        """Every cohort with its people and its starters per month (cohorts x months),
        as the roll-forward counts them (worked out once per workforce settings; the
        arrays are read-only)."""
        key = (workforce.model_dump_json(), with_recommended)
        if key not in self._rolled:
            cohorts = list(self.cohorts) + (list(self.recommended) if with_recommended else [])
            span, skip = _span(pd.DatetimeIndex(self.months["month"]), self.today)
            rows = _supply(cohorts, span, workforce)
            people, starters = rows["cohort_people"][:, skip:], rows["cohort_starters"][:, skip:]
            people.flags.writeable = starters.flags.writeable = False
            self._rolled[key] = (tuple(cohorts), people, starters)
        cohorts, people, starters = self._rolled[key]
        return list(cohorts), people, starters

    def _surplus_words(self, cost: float | None, currency: str) -> str:
        """'Over-staffed by X FTE on average (Y USD over the plan): ...' or '' when the
        average surplus is under ``SURPLUS_WORTH_NAMING``."""
        months = self.months
        over = months.loc[months["surplus"] > 0]
        mean = float(months["surplus"].mean())
        if over.empty or mean < SURPLUS_WORTH_NAMING:
            return ""
        peak = over.loc[over["surplus"].idxmax()]
        money = f" ({cost:,.0f} {currency} over the plan)" if cost is not None else ""
        return (
            f"Over-staffed by {mean:.1f} FTE on average{money}: {len(over)} of {len(months)} "
            f"months over, most in {peak['month']:%B %Y} ({peak['surplus']:.1f} FTE)."
        )

    def takeaway(
        self, training_weeks: int, lead_days: int, surplus_cost: float | None = None,
        currency: str = "",
    ) -> str:  # fmt: skip
        """One sentence: the worst month, and what to open by when; or, with no gap, how
        far the team is over-staffed (``surplus_cost``: what the surplus costs over the
        plan, from the budget)."""
        months = self.months
        worst = months.loc[months["gap"].idxmax()]
        label = {"lower": "the low case", "mean": "the expected", "upper": "the high case"}
        surplus = self._surplus_words(surplus_cost, currency)
        if worst["gap"] <= 0:
            least = months.loc[(months["available"] - months["required"]).idxmin()]
            tightest = (
                f"the tightest month is {least['month']:%B %Y}: {least['required']:.1f} gross "
                f"FTE needed, {least['available']:.1f} available."
            )
            if surplus:
                return f"{surplus} {label[self.plan_to].capitalize()} demand never needs "\
                       f"them; {tightest}"  # fmt: skip
            return (
                f"The team meets {label[self.plan_to]} requirement every month with under "
                f"{SURPLUS_WORTH_NAMING} FTE to spare; {tightest}"
            )
        text = (
            f"You need {worst['required']:.1f} gross FTE in {worst['month']:%B %Y} "
            f"({label[self.plan_to]} demand); you will have {worst['available']:.1f}."
        )
        if surplus:
            text += f" In other months: {surplus[0].lower()}{surplus[1:]}"
        if self.requisitions.empty:
            return text + " No class can start in time within the plan."
        first = self.requisitions.iloc[0]
        total = int(self.requisitions["people"].sum())
        late = " (already late: open now)" if first["late"] else ""
        return (
            f"{text} Open {int(first['people'])} requisition"
            f"{'s' if first['people'] != 1 else ''} by {first['open_by']:%d %B %Y}{late}, "
            f"given {lead_days} days to hire and {training_weeks} weeks to train; "
            f"{total} hire{'s' if total != 1 else ''} in {len(self.requisitions)} "
            f"class{'es' if len(self.requisitions) != 1 else ''} close the gap."
        )


def supply(
    cohorts: list[Cohort], months: pd.DatetimeIndex, workforce: WorkforceSettings
) -> pd.DataFrame:
    """Month-by-month supply of the cohorts: people, in_training, starters, leavers and
    available (productive FTE), one row per month (see the module notes). Cohorts that
    started before the first month are counted in full there: a roster lists the people
    who are still on the team."""
    sums = {k: v for k, v in _supply(cohorts, months, workforce).items() if v.ndim == 1}
    return pd.DataFrame({"month": months, **sums})


def _supply(
    cohorts: list[Cohort], months: pd.DatetimeIndex, workforce: WorkforceSettings
) -> dict[str, np.ndarray]:
    begin = np.array([c.start for c in cohorts], dtype="datetime64[D]")
    size = np.array([c.people for c in cohorts], dtype=float)
    month = months.to_numpy().astype("datetime64[M]")
    month_start, month_end = month.astype("datetime64[D]"), (month + 1).astype("datetime64[D]")
    days = (month_end - month_start).astype(float)
    tenure = (month[None, :] - begin.astype("datetime64[M]")[:, None]).astype(int)
    normal, early = (
        monthly_attrition(workforce.annual_attrition),
        early_monthly_attrition(workforce.early_tenure_attrition),
    )
    rate = np.where(tenure < EARLY_MONTHS, max(early, normal), normal)
    rate = np.where(tenure >= 0, rate, 0.0)
    # people(t) = size x prod over earlier months since joining of (1 - rate)
    kept = np.cumprod(np.concatenate([np.ones((len(size), 1)), 1 - rate[:, :-1]], 1), 1)
    people = np.where(tenure >= 0, size[:, None] * kept, 0.0)
    on_floor_day = begin + np.timedelta64(7 * workforce.training_weeks, "D")
    on_days = np.clip(
        (month_end[None, :] - np.maximum(on_floor_day[:, None], month_start[None, :])).astype(
            float
        ),
        0,
        days[None, :],
    )
    floor_share = on_days / days[None, :]
    on_floor_months = (month[None, :] - on_floor_day.astype("datetime64[M]")[:, None]).astype(int)
    productivity = ramp(np.maximum(on_floor_months, 0), workforce)
    available = people * floor_share * productivity
    training = people * (1 - floor_share) * (tenure >= 0)
    starters = np.where(tenure == 0, size[:, None], 0.0)
    leavers = people * rate
    return {
        "cohort_people": people,
        "cohort_available": available,
        "cohort_starters": starters,
        "people": people.sum(axis=0),
        "in_training": training.sum(axis=0),
        "starters": starters.sum(axis=0),
        "leavers": leavers.sum(axis=0),
        "available": available.sum(axis=0),
    }


def plan_capacity(
    required: pd.DataFrame,
    scenario: Scenario,
    roster: Roster | None = None,
    *,
    today: dt.date | None = None,
) -> CapacityPlan:
    """Supply against the gross FTE required per month, and requisitions to close the gap.

    ``required`` has month (or period) and ``gross_fte_lower/mean/upper`` per month, as
    ``Requirements.fte("M", by_channel=False)`` returns. Supply comes from
    ``workforce.starting_fte`` when it is set, else from the roster's agents; the roster's
    open requisitions and ``workforce.hiring_classes`` are planned starters. ``today`` (the
    plan's first day when not given) is the earliest day a requisition can be opened.
    """
    workforce = scenario.workforce
    months = pd.DatetimeIndex(pd.to_datetime(required["period"]), name="month")
    if len(months) == 0:
        raise PlannerError("There is no requirement to plan capacity for.")
    first_day = months[0].date()
    today = today or first_day
    earliest_start = today + dt.timedelta(days=workforce.recruiting_lead_days)
    notes = []
    if workforce.starting_fte is not None:
        cohorts = [Cohort(dt.date(1900, 1, 1), workforce.starting_fte, "starting FTE")]
    elif roster is not None:
        cohorts = roster.cohorts(earliest_start)
        if roster.filled.empty:
            notes.append("The roster has no filled agent rows; supply starts at zero.")
    else:
        raise PlannerError(
            "Load a roster or set the starting FTE (workforce settings) to plan capacity."
        )
    cohorts += [
        Cohort(c.start, float(c.people), "hiring plan", c.note) for c in workforce.hiring_classes
    ]
    cohorts = [c for c in cohorts if c.people > 0]
    if not cohorts:
        cohorts = [Cohort(first_day, 0.0, "starting FTE")]
    span, skip = _span(months, today)
    base = {k: v[skip:] for k, v in _supply(cohorts, span, workforce).items() if v.ndim == 1}
    need = {b: required[f"gross_fte_{b}"].to_numpy(dtype=float) for b in ("lower", "mean", "upper")}
    target = need[workforce.plan_to]
    requisitions, hired_people, hired_fte = _recommend(
        target, base["available"], span, skip, workforce, today
    )
    if len(requisitions) and requisitions[-1]["late"]:
        notes.append(
            "Some classes cannot be ready in time: the gap stays open until they ramp up. "
            "Shorter hiring or training, or overtime and vendors, bridge it."
        )
    months_table = pd.DataFrame(
        {
            "month": months,
            **base,
            "required": target,
            "required_lower": need["lower"],
            "required_upper": need["upper"],
            "gap": target - base["available"],
            "recommended_available": base["available"] + hired_fte,
            "gap_after": target - base["available"] - hired_fte,
            "surplus": np.maximum(base["available"] + hired_fte - target, 0.0),
            "recommended_people": base["people"] + hired_people,
        }
    )
    table = pd.DataFrame(
        requisitions,
        columns=["open_by", "start", "on_floor", "people", "for_month", "late"],
    )
    recommended = tuple(
        Cohort(r["start"], float(r["people"]), "recommended", f"for {r['for_month']:%b %Y}")
        for r in requisitions
    )
    return CapacityPlan(
        months_table, table, tuple(cohorts), tuple(notes), workforce.plan_to, today, recommended
    )


def _span(months: pd.DatetimeIndex, today: dt.date) -> tuple[pd.DatetimeIndex, int]:
    """Months from today's (when earlier) to the plan's last, and how many come before the
    plan: attrition runs from today."""
    plan = months.to_numpy().astype("datetime64[M]")
    first = min(np.datetime64(today, "M"), plan[0])
    span = np.arange(first, plan[-1] + 1).astype("datetime64[ns]")
    return pd.DatetimeIndex(span, name="month"), len(span) - len(months)


def _recommend(
    target: np.ndarray,
    available: np.ndarray,
    span: pd.DatetimeIndex,
    skip: int,
    workforce: WorkforceSettings,
    today: dt.date,
) -> tuple[list[dict], np.ndarray, np.ndarray]:
    """Greedy classes, first short month first (months are ``span`` after its first
    ``skip``). Returns the classes, their people per month and their productive FTE."""
    months = span[skip:]
    people = np.zeros(len(months))
    productive = np.zeros(len(months))
    at_full = np.zeros(len(months))  # the classes' FTE as if already ramped
    classes = []
    lead = dt.timedelta(days=workforce.recruiting_lead_days)
    training = dt.timedelta(weeks=workforce.training_weeks)
    for t, month in enumerate(months):
        gap = target[t] - available[t] - at_full[t]
        if gap <= 1e-9:
            continue
        on_floor = (month - pd.DateOffset(months=workforce.ramp_months)).date()
        start = on_floor - training
        open_by, late = start - lead, start - lead < today
        if late:
            open_by, start = today, today + lead
            on_floor = start + training
        one = _supply([Cohort(start, 1.0, "recommended")], span, workforce)
        present, delivers = one["people"][skip:], one["available"][skip:]
        full = np.where(delivers > 0, present, 0.0)  # on the floor, counted at 100%
        ready = np.flatnonzero(full[t:] > 0)
        if not len(ready):
            break  # cannot start within the plan
        size = math.ceil(gap / full[t + ready[0]] - 1e-9)
        at_full += size * full
        people += size * present
        productive += size * delivers
        classes.append(
            {
                "open_by": open_by,
                "start": start,
                "on_floor": on_floor,
                "people": size,
                "for_month": month.date(),
                "late": late,
            }
        )
    return classes, people, productive
