"""What the finance review reads besides the money: every assumption with its source and
rationale (the register), and plans side by side."""

from __future__ import annotations

import json

import pandas as pd

from planner import plan
from planner.scenario import Scenario, setting_leaves

INPUT_RATIONALE = {
    "tickets": "The ticket history every forecast starts from.",
    "channels": "The channels the plan staffs.",
    "roster": "The people on the payroll: who is paid, and who the capacity plan counts.",
    "ladder": "Levels, pay bands and promotion paths.",
}
REGISTER_COLUMNS = ["section", "assumption", "value", "source", "rationale", "base", "differs"]


def register(scenario: Scenario, base: Scenario | None = None) -> pd.DataFrame:
    """Every assumption of ``scenario``: section, assumption (its path, e.g.
    ``service.channels.phone.aht_seconds``), value, source (measured, uploaded, typed,
    default or sample, with its detail) and rationale (as text), base (the base
    scenario's value) and differs (whether it is not the base's). The ticket history,
    roster and ladder come first (section ``inputs``), their value being where they came
    from. Lists such as hiring classes or events are one row each, their value as JSON."""
    rows = [
        {
            "section": "inputs",
            "assumption": name,
            "value": scenario.source_of(name).label,
            "source": scenario.source_of(name).kind,
            "rationale": INPUT_RATIONALE[name],
            "base": "" if base is None else base.source_of(name).label,
            "differs": base is not None and scenario.source_of(name) != base.source_of(name),
        }
        for name in INPUT_RATIONALE
    ]
    mine = setting_leaves(scenario)
    theirs = {} if base is None else setting_leaves(base)
    for path, (value, rationale) in mine.items():
        if path in ("name", "schema_version"):
            continue
        other = theirs.get(path, (None, ""))[0] if base is not None else None
        rows.append(
            {
                "section": path.split(".")[0] if "." in path else "plan",
                "assumption": path,
                "value": _as_text(value),
                "source": scenario.source_of(path).label,
                "rationale": rationale,
                "base": "" if base is None else _as_text(other),
                "differs": base is not None and other != value,
            }
        )
    for path, (other, rationale) in theirs.items():
        if path not in mine:  # e.g. a channel the base plans and this scenario does not
            rows.append(
                {
                    "section": path.split(".")[0],
                    "assumption": path,
                    "value": "",
                    "source": "",
                    "rationale": rationale,
                    "base": _as_text(other),
                    "differs": True,
                }
            )
    return pd.DataFrame(rows, columns=REGISTER_COLUMNS)


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.0f}" if value.is_integer() else f"{value:,.4g}"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    if isinstance(value, list | dict):
        return json.dumps(value, sort_keys=True)
    return str(value)


MEASURES = {
    "contacts": "Contacts over the plan (expected)",
    "unserved": "Of them unserved (closed, or the team short)",
    "peak_fte": "Peak gross FTE needed",
    "average_agents": "Agents on payroll (average)",
    "budget": "Budget over the plan",
    "cost_per_ticket": "Cost per handled ticket",
    "share_of_arr": "Share of ARR",
    "months_short": "Months short of staff after hiring",
}


def format_measure(key: str, value: float, currency: str) -> str:
    """A ``side_by_side`` value as shown: money with the currency, shares as %, FTE to a
    tenth, counts whole."""
    if pd.isna(value):
        return "–"
    if key == "budget":
        return f"{value:,.0f} {currency}"
    if key == "cost_per_ticket":
        return f"{value:,.2f} {currency}"
    if key == "share_of_arr" or key.startswith("sl_"):
        return f"{value:.1%}"
    if key in ("peak_fte", "average_agents"):
        return f"{value:,.1f}"
    return f"{value:,.0f}"


def side_by_side(results: dict[str, plan.PlanResult]) -> pd.DataFrame:
    """One row per measure (``MEASURES``, then each live channel's service-level target),
    one column per plan, in the order given; ``measure`` names the row, ``key`` keys it."""
    rows: dict[str, dict[str, float]] = {}
    labels: dict[str, str] = dict(MEASURES)
    for name, result in results.items():
        numbers = result.budget.unit_economics()
        months = result.capacity.months
        values = {
            "contacts": numbers.contacts,
            "unserved": numbers.unserved,
            "peak_fte": float(months["required"].max()),
            "average_agents": numbers.average_agents,
            "budget": numbers.total,
            "cost_per_ticket": numbers.cost_per_ticket,
            "share_of_arr": numbers.share_of_arr,
            "months_short": float((months["gap_after"] > 0.5).sum()),
        }
        for channel, settings in result.scenario.service.channels.items():
            if settings.service_level is not None:
                key = f"sl_{channel}"
                labels[key] = (
                    f"Service level target, {channel} (share answered in "
                    f"{settings.answer_seconds:g} s)"
                )
                values[key] = settings.service_level
        for key, value in values.items():
            rows.setdefault(key, {})[name] = value
    table = pd.DataFrame.from_dict(rows, orient="index")[list(results)]
    table.insert(0, "measure", [labels[k] for k in table.index])
    return table.rename_axis("key").reset_index()


def side_by_side_takeaway(table: pd.DataFrame, currency: str) -> str:
    """One sentence: how much more or less each plan after the first costs than the first,
    and what it does to cost per ticket."""
    rows = table.set_index("key")
    plans = [c for c in table.columns if c not in ("key", "measure")]
    first = plans[0]
    parts = []
    for name in plans[1:]:
        change = rows.loc["budget", name] - rows.loc["budget", first]
        per_ticket = rows.loc["cost_per_ticket", name] - rows.loc["cost_per_ticket", first]
        parts.append(
            f"{name} costs {abs(change):,.0f} {currency} {'more' if change > 0 else 'less'} "
            f"({change / rows.loc['budget', first]:+.1%}; {per_ticket:+,.2f} a ticket)"
        )
    return f"Against {first}: " + "; ".join(parts) + "." if parts else ""
