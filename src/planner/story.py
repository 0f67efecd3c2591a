"""The finance story, told once: the headline figures, the volume by month with its range,
the bridge and its takeaway, the tornado's reading, the risks and the assumption register
in the director's words ("Burden on base pay 40%", not ``costs.loaded_cost_factor 1.4``).
The Budget and Finance review pages, present mode and the slides all draw from here.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.budget import short_money
from planner.forecast import ForecastSet
from planner.plan import PlanResult
from planner.review import register
from planner.scenario import Scenario
from planner.volume import VolumeHistory

BOUND_WORDS = {"lower": "the low case", "mean": "expected", "upper": "the high case"}
DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class Figure:
    """One headline figure: its label, its value and the value as shown."""

    label: str
    value: float
    text: str


def headline(result: PlanResult) -> list[Figure]:
    """The plan in six figures: budget, cost per ticket, share of ARR, contacts, peak gross
    FTE needed and agents on the payroll on average."""
    numbers = result.budget.unit_economics()
    currency, period = result.scenario.currency, result.scenario.period_label
    peak = float(result.capacity.months["required"].max())
    return [
        Figure(f"Budget, {period}", numbers.total, short_money(numbers.total, currency)),
        Figure("Cost per ticket", numbers.cost_per_ticket,
               f"{numbers.cost_per_ticket:,.2f} {currency}"),
        Figure("Share of ARR", numbers.share_of_arr, f"{numbers.share_of_arr:.1%}"),
        Figure(f"Contacts, {period}", numbers.contacts, f"{numbers.contacts:,.0f}"),
        Figure("Peak gross FTE needed", peak, f"{peak:,.1f}"),
        Figure("Agents on payroll (average)", numbers.average_agents,
               f"{numbers.average_agents:,.1f}"),
    ]  # fmt: skip


def budget_range(result: PlanResult) -> str:
    """'4.87 M USD expected; between 4.71 M and 5.02 M for the 80% range of demand.'"""
    currency = result.scenario.currency
    span = result.budget_range().set_index("case")
    level = result.scenario.forecast.interval_level
    return (
        f"{short_money(result.budget.total, currency)} expected; between "
        f"{short_money(span.loc['lower', 'total'], currency)} and "
        f"{short_money(span.loc['upper', 'total'], currency)} for the {level}% range of demand."
    )


def budget_by_quarter(result: PlanResult) -> pd.DataFrame:
    """quarter ('Q1 2027'), one column per group of lines, total: the budget by quarter."""
    lines = result.budget.lines
    quarter = pd.PeriodIndex(pd.to_datetime(lines["month"]), freq="Q")
    table = lines.assign(quarter=[f"Q{q.quarter} {q.year}" for q in quarter]).pivot_table(
        index="quarter", columns="group", values="amount", aggfunc="sum", sort=False
    )
    table["Total"] = table.sum(axis=1)
    return table.reset_index()


def quarter_takeaway(quarters: pd.DataFrame, currency: str) -> str:
    """'Q3 2027 costs most: 1,413,168 USD (26% of the plan); Q1 2027 least: ...' for
    ``budget_by_quarter``."""
    total = quarters.set_index("quarter")["Total"]
    if len(total) < 2:
        return f"{total.index[0]} costs {total.iloc[0]:,.0f} {currency}."
    high, low = total.idxmax(), total.idxmin()
    return (
        f"{high} costs most: {total[high]:,.0f} {currency} ({total[high] / total.sum():.0%} of "
        f"the plan); {low} least: {total[low]:,.0f} {currency}."
    )


def volume_by_month(
    history: VolumeHistory, forecast: ForecastSet, months: int = 24
) -> tuple[pd.Series, pd.DataFrame]:
    """Contacts by month: the history's last ``months`` whole months, and the forecast's
    months (mean, lower, upper; the range of each month's total, ``ForecastSet.totals``).
    The month the history ends in is shown once, as a forecast month holding the contacts
    already counted plus the forecast of its remaining days."""
    daily = history.table("channel", None).sum(axis=1)
    ahead = forecast.totals("M")
    actual = daily.groupby(daily.index.to_period("M")).sum()
    actual.index = actual.index.to_timestamp()
    last = daily.index.max()
    if last + pd.Timedelta(days=1) != (last + pd.offsets.MonthBegin(1)).normalize():
        counted = actual.iloc[-1]
        actual = actual.iloc[:-1]
        if len(ahead) and ahead.index[0] == actual.index[-1] + pd.offsets.MonthBegin(1):
            ahead.iloc[0] = ahead.iloc[0] + counted
    return actual.tail(months).rename("contacts"), ahead


def bridge_steps(steps: pd.DataFrame) -> pd.DataFrame:
    """``sensitivity.bridge`` as a waterfall draws it: the first total, the steps that move
    the cost by at least 0.5, the last total, in that order; start and end of each bar
    (totals from zero) and kind (total, more, less)."""
    table = steps.reset_index(drop=True).copy()
    totals = np.zeros(len(table), dtype=bool)
    totals[[0, -1]] = True
    keep = totals | (table["change"].abs() >= 0.5).to_numpy()
    table, totals = table[keep].reset_index(drop=True), totals[keep]
    table["end"] = table["start"] + table["change"]
    table["kind"] = np.where(totals, "total", np.where(table["change"] >= 0, "more", "less"))
    table["order"] = np.arange(len(table))
    return table


def bridge_takeaway(steps: pd.DataFrame, currency: str) -> str:
    """'From A to B USD (+x%); the biggest step is volume: +N.'"""
    first, last = steps["change"].iloc[0], steps["change"].iloc[-1]
    moved = steps.iloc[1:-1]
    change = f" ({last / first - 1:+.1%})" if first else ""
    text = f"From {first:,.0f} to {last:,.0f} {currency}{change}"
    if moved.empty or moved["change"].abs().max() < 0.5:
        return text + "."
    biggest = moved.loc[moved["change"].abs().idxmax()]
    return f"{text}; the biggest step is {biggest['step'].lower()}: {biggest['change']:+,.0f}."


def tornado_takeaway(
    table: pd.DataFrame, currency: str, moved_by: float = 0.10, base_level: float | None = None
) -> str:
    """What the tornado says: the assumption that swings the annual cost most and, with
    the base service level, the one that moves the service level most."""
    top = table.iloc[0]
    text = (
        f"Moving each assumption {moved_by:.0%} either way, {top['assumption'].lower()} swings "
        f"the annual cost most: {top['swing']:,.0f} {currency}."
    )
    if base_level is not None and "sl_swing" in table and table["sl_swing"].max() > 0:
        most = table.loc[table["sl_swing"].idxmax(), "assumption"].lower()
        text += f" With today's staffing the service level is {base_level:.1%}; {most} moves "
        text += "it most."
    return text


def risks(result: PlanResult) -> list[str]:
    """What could make the plan wrong, in sentences, most serious first: months the team
    stays short, unserved contacts, late classes, over-staffing, a wide demand range."""
    found = []
    months = result.capacity.months
    currency = result.scenario.currency
    short = months[months["gap_after"] > 0.5]
    if len(short):
        found.append(
            f"Short of staff in {len(short)} month(s) even with the recommended hires "
            f"(worst {short['gap_after'].max():.1f} FTE, {short.iloc[0]['month']:%B %Y} first)."
        )
    numbers = result.budget.unit_economics()
    if numbers.unserved >= max(1.0, 0.005 * numbers.contacts):
        found.append(
            f"{numbers.unserved:,.0f} contacts ({numbers.unserved / numbers.contacts:.1%}) go "
            "unserved; serving them would add about "
            f"{short_money(numbers.unserved_cost, currency)}."
        )
    late = result.capacity.requisitions
    if len(late) and late["late"].any():
        found.append(
            f"{int(late['late'].sum())} hiring class(es) cannot be ready in time: open the "
            "requisitions now, or bridge with overtime and vendors."
        )
    surplus = float(result.budget.staff["surplus"].mean())
    if surplus >= 0.5:
        found.append(
            f"Over-staffed by {surplus:.1f} FTE on average "
            f"({short_money(result.budget.surplus_cost, currency)}): attrition or moves absorb it."
        )
    span = result.budget_range().set_index("case")
    width = (span.loc["upper", "total"] - span.loc["lower", "total"]) / result.budget.total
    level = result.scenario.forecast.interval_level
    found.append(
        f"Demand: the {level}% range of contacts moves the budget by {width:.1%} "
        f"({short_money(span.loc['lower', 'total'], currency)} to "
        f"{short_money(span.loc['upper', 'total'], currency)})."
    )
    return found


def assumptions(scenario: Scenario, base: Scenario | None = None) -> pd.DataFrame:
    """The assumption register in the director's words: section, setting (as the pages
    name it), value and base (as the pages show them: percentages, seconds, money), differs,
    source, rationale and path (the setting in the scenario)."""
    table = register(scenario, base)
    mine = scenario.model_dump(mode="json")
    theirs = None if base is None else base.model_dump(mode="json")
    rows = []
    for row in table.itertuples(index=False):
        path = row.assumption
        if row.section == "inputs":
            label, value, before = path.capitalize(), row.value, row.base
        else:
            label, value = describe(path, _at(mine, path), scenario.currency)
            before = "" if theirs is None else describe(path, _at(theirs, path), base.currency)[1]
        rows.append({"section": SECTION_WORDS.get(row.section, row.section.capitalize()),
                     "setting": label, "value": value, "base": before,
                     "differs": bool(row.differs), "source": row.source,
                     "rationale": row.rationale, "path": path})  # fmt: skip
    return pd.DataFrame(rows)


def differences(scenario: Scenario, base: Scenario, base_name: str) -> list[str]:
    """Each setting that differs from the base as a sentence ('Burden on base pay: 40%
    (35% in the base plan)'); 'No assumption differs from <base>.' when none does."""
    table = assumptions(scenario, base)
    changed = table[table["differs"]]
    if changed.empty:
        return [f"No assumption differs from {base_name}."]
    return [
        f"{r.setting}: {r.value or 'none'} ({r.base or 'none'} in {base_name})"
        for r in changed.itertuples()
    ]


SECTION_WORDS = {
    "inputs": "Inputs",
    "plan": "The plan",
    "forecast": "Forecast",
    "demand": "Demand",
    "service": "Service",
    "workforce": "Workforce",
    "org": "Organisation",
    "costs": "Costs",
}


def describe(path: str, value, currency: str) -> tuple[str, str]:
    """A setting as the pages show it: its label and its value in words and units."""
    parts = path.split(".")
    if parts[0] == "service" and parts[1] == "channels" and len(parts) > 3:
        label, text = _describe_channel(parts[3:], value)
        return f"{parts[2].replace('_', ' ').capitalize()}: {label}", text
    if path in WORDS:
        label, kind = WORDS[path]
        return label, _as_words(value, kind, currency)
    if parts[0] == "workforce" and parts[1] == "shrinkage":
        return f"Shrinkage: {parts[2].replace('_', ' ')}", _as_words(value, "pct", currency)
    if parts[0] == "workforce" and parts[1] == "shifts":
        label, kind = SHIFT_WORDS.get(parts[2], (parts[2].replace("_", " ").capitalize(), ""))
        return f"Shifts: {label}", _as_words(value, kind, currency)
    return parts[-1].replace("_", " ").capitalize(), _as_words(value, "", currency)


def _describe_channel(parts: list[str], value) -> tuple[str, str]:
    name = ".".join(parts)
    if name in ("hours.open_hour", "hours.close_hour"):
        return ("opens" if name.endswith("open_hour") else "closes"), _as_words(value, "hour", "")
    if name == "hours.weekdays":
        return "open days", _days(value)
    label, kind = CHANNEL_WORDS.get(name, (name.replace("_", " "), ""))
    return label, _as_words(value, kind, "")


WORDS = {
    "start_month": ("First month", "month"),
    "horizon_months": ("Months planned", "int"),
    "currency": ("Currency", ""),
    "time_zone": ("Time zone", ""),
    "forecast.frequency": ("Forecast by", "frequency"),
    "forecast.method": ("Forecast method", ""),
    "forecast.interval_level": ("Range shown", "level"),
    "forecast.backtest_origins": ("Backtest origins", "int"),
    "forecast.holiday_country": ("Holidays of", ""),
    "forecast.closures": ("Closures", "count:closure"),
    "forecast.allow_short_history": ("Forecast a short history anyway", "yes"),
    "demand.growth_driver": ("Growth driver", ""),
    "demand.growth_per_year": ("Extra growth a year", "pct"),
    "demand.customers_now": ("Customers now", "int"),
    "demand.customers_in_a_year": ("Customers in a year", "int"),
    "demand.contacts_per_customer_change": ("Contacts per customer, change a year", "pct"),
    "demand.events": ("Events", "events"),
    "demand.deflection": ("AI deflection", "deflection"),
    "service.max_occupancy": ("Occupancy cap, live channels", "pct"),
    "service.interval_minutes": ("Staffing interval", "minutes"),
    "workforce.hours_per_fte_per_week": ("Paid hours a week", "hours"),
    "workforce.occupancy_target": ("Occupancy target, email and forms", "pct"),
    "workforce.annual_attrition": ("Attrition a year", "pct"),
    "workforce.early_tenure_attrition": ("A class leaving in its first 90 days", "pct"),
    "workforce.recruiting_lead_days": ("Days to fill a seat", "days"),
    "workforce.training_weeks": ("Training", "weeks"),
    "workforce.ramp_months": ("Months to full productivity", "months"),
    "workforce.ramp_start_productivity": ("Productivity in the first month", "pct"),
    "workforce.starting_fte": ("Starting FTE (no roster)", "fte"),
    "workforce.hiring_classes": ("Planned hiring classes", "classes"),
    "workforce.plan_to": ("Hire for", "bound"),
    "org.agents_per_lead": ("Agents per team lead", "number"),
    "org.agents_per_lead_min": ("Agents per team lead, fewest", "number"),
    "org.agents_per_lead_max": ("Agents per team lead, most", "number"),
    "org.leads_per_manager": ("Team leads per manager", "number"),
    "org.leads_per_manager_min": ("Team leads per manager, fewest", "number"),
    "org.leads_per_manager_max": ("Team leads per manager, most", "number"),
    "org.managers_per_director": ("Managers per director", "number"),
    "org.managers_per_director_min": ("Managers per director, fewest", "number"),
    "org.managers_per_director_max": ("Managers per director, most", "number"),
    "org.agents_per_qa_analyst": ("Agents per QA analyst", "number"),
    "org.agents_per_trainer": ("Agents per trainer", "number"),
    "org.agents_per_wfm_analyst": ("Agents per WFM analyst", "number"),
    "org.agents_per_knowledge_manager": ("Agents per knowledge manager", "number"),
    "org.budget_span_roles": ("Budget new leads and support roles", "yes"),
    "org.budget_promotions": ("Budget promotions", "yes"),
    "costs.loaded_cost_factor": ("Burden on base pay", "burden"),
    "costs.merit_increase": ("Merit increase", "pct"),
    "costs.merit_month": ("Merit month", "month_number"),
    "costs.replacement_cost_share": ("Hiring and training, share of a year's pay", "pct"),
    "costs.tooling_per_seat_per_month": ("Tools, a seat a month", "tools"),
    "costs.agent_base_pay": ("Agent base pay a year (no roster)", "money"),
    "costs.pay_adjustment": ("Pay change on top of the roster", "pct"),
    "costs.new_hire_base_pay": ("New hire base pay a year", "hire_pay"),
    "costs.hire_location": ("Where hires sit", "site"),
    "costs.vendors": ("Vendors", "vendors"),
    "costs.overhead_per_month": ("Overhead a month", "money"),
    "costs.annual_recurring_revenue": ("Annual recurring revenue", "money"),
    "costs.arr_growth": ("ARR growth over the year", "pct"),
    "costs.customers": ("Paying customers", "int"),
    "costs.ai_platform_fee_per_month": ("AI platform fee a month", "money"),
    "costs.ai_price_per_resolution": ("AI price per automated resolution", "cents"),
}
CHANNEL_WORDS = {
    "model": ("model", "model"),
    "aht_seconds": ("handle time", "seconds"),
    "service_level": ("service level", "pct"),
    "answer_seconds": ("answered within", "seconds"),
    "asa_seconds": ("average speed of answer", "seconds"),
    "response_hours": ("response within", "hours"),
    "concurrency": ("chats at once", "number"),
    "patience_seconds": ("caller patience", "seconds"),
    "max_abandonment": ("abandonment at most", "pct"),
    "short_abandon_seconds": ("abandons not counted under", "seconds"),
    "outside_hours": ("contacts while closed", ""),
}
SHIFT_WORDS = {
    "model": ("model", ""),
    "lengths_hours": ("lengths", "hour_list"),
    "start_minutes": ("starts every", "minutes"),
    "part_time_share": ("part-time at most", "pct"),
    "part_time_below_hours": ("part-time below", "hours"),
    "days_per_week": ("days a week", "int"),
    "break_minutes": ("break", "minutes"),
}
MODEL_WORDS = {
    "erlang": "Erlang (calls)",
    "concurrent": "Erlang with concurrency (chat)",
    "deferred": "workload (email, forms)",
}


def _as_words(value, kind: str, currency: str) -> str:
    """``value`` as the pages show a setting of this ``kind``."""
    if value is None or value == "":
        return {"hire_pay": "from the ladder", "site": "where most agents sit"}.get(kind, "none")
    if kind == "pct":
        return _pct(value)
    if kind == "level":
        return f"{value:g}%"
    if kind == "burden":
        return _pct(value - 1)
    if kind in ("money", "hire_pay"):
        return f"{value:,.0f} {currency}"
    if kind == "cents":
        return f"{value:,.2f} {currency}"
    if kind in ("seconds", "minutes", "hours", "days", "weeks", "months"):
        unit = {"seconds": "s", "minutes": "min", "hours": "h"}.get(kind, kind)
        return f"{value:g} {unit}" if kind in ("seconds", "minutes", "hours") else (
            f"{value:g} {unit if value != 1 else unit[:-1]}")  # fmt: skip
    if kind == "hour":
        return f"{int(value):02d}:00"
    if kind == "month":
        return f"{dt.date.fromisoformat(str(value)):%B %Y}"
    if kind == "month_number":
        return calendar.month_name[int(value)]
    if kind == "frequency":
        return {"D": "day", "W": "week", "M": "month"}.get(value, str(value))
    if kind == "bound":
        return BOUND_WORDS.get(value, str(value))
    if kind == "model":
        return MODEL_WORDS.get(value, str(value))
    if kind == "yes":
        return "yes" if value else "no"
    if kind in ("int", "fte", "number"):
        return f"{value:,.0f}" if kind == "int" else f"{value:,.4g}"
    if kind == "hour_list":
        return ", ".join(f"{v:g} h" for v in value)
    if kind == "tools":
        return ", ".join(f"{name.replace('_', ' ')} {price:,.0f} {currency}"
                         for name, price in value.items()) or "none"  # fmt: skip
    if kind == "vendors":
        return "; ".join(_vendor(v, currency) for v in value) or "none"
    if kind == "deflection":
        return "; ".join(
            f"{_pct(d['share'])} of {d['channel']} from "
            f"{dt.date.fromisoformat(d['start']):%d %b %Y}"
            for d in value
        ) or "none"  # fmt: skip
    if kind == "events":
        return "; ".join(f"{e.get('name') or 'event'} from {e['start']}" for e in value) or "none"
    if kind.startswith("count:"):
        word = kind.removeprefix("count:")
        return f"{len(value)} {word}{'s' if len(value) != 1 else ''}" if value else "none"
    if kind == "classes":
        return "; ".join(f"{c['people']:g} from {c['start']}" for c in value) or "none"
    if isinstance(value, list | dict):
        return json.dumps(value)
    return str(value)


def _pct(value: float) -> str:
    return f"{value * 100:.3g}%"


def _days(value: list[int]) -> str:
    days = sorted(value)
    if len(days) > 2 and days == list(range(days[0], days[-1] + 1)):
        return f"{DAY_NAMES[days[0]]}-{DAY_NAMES[days[-1]]}"
    return ", ".join(DAY_NAMES[d] for d in days) or "none"


def _vendor(vendor: dict, currency: str) -> str:
    price = (f"{vendor['price_per_ticket']:,.2f} {currency} a ticket"
             if vendor.get("price_per_ticket") is not None
             else f"{vendor['price_per_hour']:,.2f} {currency} an hour")  # fmt: skip
    return f"{vendor['name']}: {_pct(vendor['share'])} of {vendor['channel']} at {price}"


def _at(data: dict, path: str):
    """The value at a dotted ``path`` of a scenario's JSON, None where it is missing."""
    for part in path.split("."):
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data
