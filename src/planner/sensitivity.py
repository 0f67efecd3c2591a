"""What moves the budget: a bridge between two scenarios, a tornado of assumptions, and
goal-seeking what a budget buys. Every function builds its plans through a
``plan.Plans`` (one history, forecast, set of people and day), which keeps what they
share.

- **Bridge** (waterfall): starting from the base scenario, the other scenario's settings are
  brought in one driver at a time, in a fixed order (volume, handle time, site mix: the
  sites and the languages channels split into, which sites answer; escalation and
  first-contact resolution, service level, attrition, hiring timing, wage rates, tooling,
  deflection, then everything else); each step is the change in annual
  cost it makes. The steps telescope, so they add up to the difference between the two
  totals. Both scenarios use the same forecast (the base's), so a change of forecast
  settings is not part of the bridge.
- **Tornado**: each key assumption moved down and up by a share (10% by default) with
  everything else held; the annual cost, and the service level the base staffing would
  reach, at each end. Service level = the contact-weighted share answered within the
  answer time over the open intervals of the live channels with a service-level target,
  with the base plan's agents on queue scaled by the supply the moved plan has
  (available / required gross FTE, at most 1, per month).
- **Goal seek**: the highest service level (the same target on every live channel) whose
  budget fits an amount, bracketed from the plan's lowest target and bisected (cost never
  falls as the target rises); and the average agent headcount an amount affords at the
  plan's marginal cost per agent.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner import plan
from planner.errors import PlannerError, ScenarioError
from planner.plan import Plans
from planner.queueing import service_level
from planner.scenario import Scenario

GROWTH = ["growth_driver", "growth_per_year", "customers_now", "customers_in_a_year",
          "contacts_per_customer_change", "events"]  # fmt: skip
DRIVERS: list[tuple[str, list[str]]] = [
    ("Volume", [f"demand.{name}" for name in GROWTH]),
    ("Handle time", ["service.channels.*.aht_seconds"]),
    ("Site mix", ["service.languages", "service.sites"]),  # sites name the languages
    ("Escalation and resolution", ["service.tiers"]
     + [f"demand.{n}" for n in ("first_contact_resolution", "fcr_change", "repeat_share")]),
    ("Service level", ["service"]),
    ("Attrition", ["workforce.annual_attrition", "workforce.early_tenure_attrition"]),
    ("Hiring timing", [f"workforce.{n}" for n in ("hiring_classes", "recruiting_lead_days",
                       "training_weeks", "ramp_months", "ramp_start_productivity", "plan_to",
                       "starting_fte")]),
    ("Wage rates", [f"costs.{n}" for n in ("agent_base_pay", "new_hire_base_pay", "hire_location",
                    "pay_adjustment", "loaded_cost_factor", "merit_increase",
                    "merit_month", "replacement_cost_share")]),
    ("Tooling", ["costs.tooling_per_seat_per_month"]),
    ("Deflection", ["demand.deflection", "costs.ai_platform_fee_per_month",
                    "costs.ai_price_per_resolution"]),
]  # fmt: skip


def bridge(base: Scenario, other: Scenario, runner: Plans) -> pd.DataFrame:
    """step, start, change: the base total, one step per driver, the other total. With no
    roster in the runner (a plan from a starting headcount) a base without a starting
    headcount is taken to start from the other's, so both are planned on the same basis."""
    if runner.roster is None and base.workforce.starting_fte is None:
        workforce = base.workforce.model_copy(update={"starting_fte": other.workforce.starting_fte})
        base = base.model_copy(update={"workforce": workforce})
    current = base.model_dump(mode="json")
    target = other.model_dump(mode="json")
    totals = [runner.total(base)]
    names = []
    for name, paths in DRIVERS:
        for path in paths:
            _copy_path(target, current, path.split("."))
        totals.append(runner.total(Scenario.parse(current)))
        names.append(name)
    totals.append(runner.total(other))
    names.append("Other")
    rows = [{"step": base.name, "start": 0.0, "change": totals[0]}]
    for name, before, after in zip(names, totals[:-1], totals[1:], strict=True):
        rows.append({"step": name, "start": before, "change": after - before})
    label = other.name if other.name != base.name else f"{other.name} (changed)"
    rows.append({"step": label, "start": 0.0, "change": totals[-1]})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class Assumption:
    """A named change of the scenario by a factor (0.9 is 10% lower)."""

    name: str
    move: Callable[[dict, float], None]
    volume: bool = False


def key_assumptions(scenario: Scenario) -> list[Assumption]:
    """The assumptions the tornado moves, for this scenario's channels and settings."""
    found = [Assumption("Contact volume", lambda d, f: None, volume=True)]
    for name, channel in scenario.service.channels.items():
        found.append(
            Assumption(f"Handle time, {name}", _scale(f"service.channels.{name}.aht_seconds"))
        )
        if channel.service_level is not None:
            found.append(
                Assumption(
                    f"Service level, {name}",
                    _scale(f"service.channels.{name}.service_level", top=0.99),
                )
            )
        if channel.response_hours is not None:
            found.append(
                Assumption(
                    f"Response time, {name}", _scale(f"service.channels.{name}.response_hours")
                )
            )
        if channel.model == "concurrent":
            found.append(
                Assumption(
                    f"Concurrency, {name}", _scale(f"service.channels.{name}.concurrency", low=1.0)
                )
            )
    found += [
        Assumption("Shrinkage", _scale_all("workforce.shrinkage", top=0.95)),
        Assumption("Occupancy cap", _scale("service.max_occupancy", top=1.0)),
        Assumption("Occupancy target, deferred", _scale("workforce.occupancy_target", top=1.0)),
        Assumption("Annual attrition", _scale("workforce.annual_attrition")),
        Assumption("Early-tenure attrition", _scale("workforce.early_tenure_attrition")),
        Assumption("Paid hours per FTE", _scale("workforce.hours_per_fte_per_week")),
        Assumption("Pay", _pay),
        Assumption("Loaded-cost factor", _scale("costs.loaded_cost_factor", low=1.0)),
        Assumption("Merit increase", _scale("costs.merit_increase")),
        Assumption("Hiring and training cost", _scale("costs.replacement_cost_share")),
        Assumption("Tooling prices", _scale_all("costs.tooling_per_seat_per_month")),
        Assumption("Overhead", _scale("costs.overhead_per_month")),
    ]  # fmt: skip
    if scenario.demand.deflection:
        found.append(Assumption("AI deflection share", _scale_list("demand.deflection", "share")))
    if scenario.service.tiers:
        found.append(Assumption("Escalation rate", _scale_list("service.tiers", "share", top=1.0)))
    if any(site.vendor for site in scenario.service.sites):
        found.append(Assumption("Vendor sites' weight", _vendor_weight))
    return found


def tornado(
    scenario: Scenario, runner: Plans, amount: float = 0.10
) -> tuple[pd.DataFrame, float, float]:
    """Annual cost and service level with each key assumption ``amount`` lower and higher.
    Returns the table (assumption, cost_low, cost_high, sl_low, sl_high, swing, sl_swing;
    widest cost swing first), the base cost and the base service level."""
    if not 0 < amount < 1:
        raise PlannerError("Move assumptions by a share between 0 and 1, e.g. 0.10 for 10%.")
    base_plan = runner.build(scenario)
    base_cost = base_plan.budget.total
    base_level = _achieved_level(base_plan, base_plan)
    rows = []
    for assumption in key_assumptions(scenario):
        ends = []
        for factor in (1 - amount, 1 + amount):
            moved, volume = _moved(scenario, assumption, factor)
            result = runner.build(moved, volume)
            ends.append((result.budget.total, _achieved_level(base_plan, result)))
        (cost_low, sl_low), (cost_high, sl_high) = ends
        rows.append({"assumption": assumption.name, "cost_low": cost_low, "cost_high": cost_high,
                     "sl_low": sl_low, "sl_high": sl_high})  # fmt: skip
    table = pd.DataFrame(rows)
    table["swing"] = (table["cost_high"] - table["cost_low"]).abs()
    table["sl_swing"] = (table["sl_high"] - table["sl_low"]).abs()
    return table.sort_values("swing", ascending=False, ignore_index=True), base_cost, base_level


LOWEST_LEVEL, HIGHEST_LEVEL = 0.05, 0.99


def cost_at_service_level(scenario: Scenario, level: float, runner: Plans) -> float:
    """The plan's budget with ``level`` as the target of every live channel that has a
    service-level target (answer times kept). The people on the roster are paid whatever
    the target, so below the level they already reach this stays flat."""
    live = [n for n, c in scenario.service.channels.items() if c.service_level is not None]
    if not live:
        raise PlannerError("No live channel has a service-level target to trade for budget.")
    data = scenario.model_dump(mode="json")
    for name in live:
        data["service"]["channels"][name]["service_level"] = level
    return runner.total(Scenario.parse(data))


def service_level_for_budget(scenario: Scenario, budget: float, runner: Plans) -> float | None:
    """The highest service level (one target for every live channel with a service-level
    target, answer times kept) whose annual budget is at most ``budget``; None when even
    5% costs more (``cost_at_service_level`` says how much). The cost never falls as the
    target rises, so the answer is bracketed from the lowest target the plan has (a
    budget near the plan's own answers near it), with steps of 2 points doubling until
    the cost crosses the budget, then bisected to 0.1 point."""

    def fits(level: float) -> bool:
        return cost_at_service_level(scenario, level, runner) <= budget

    targets = [c.service_level for c in scenario.service.channels.values()
               if c.service_level is not None]  # fmt: skip
    start = min(max(min(targets, default=LOWEST_LEVEL), LOWEST_LEVEL), HIGHEST_LEVEL)
    step = 0.02
    if fits(start):
        low = start
        while True:
            high = min(low + step, HIGHEST_LEVEL)
            if not fits(high):
                break
            if high >= HIGHEST_LEVEL:
                return HIGHEST_LEVEL
            low, step = high, step * 2
    else:
        high = start
        while True:
            low = max(high - step, LOWEST_LEVEL)
            if fits(low):
                break
            if low <= LOWEST_LEVEL:
                return None
            high, step = low, step * 2
    while high - low > 0.001:
        middle = (low + high) / 2
        low, high = (middle, high) if fits(middle) else (low, middle)
    return low


def headcount_for_budget(result: plan.PlanResult, budget: float) -> float:
    """Average agents an annual ``budget`` affords: the plan's average agents plus the
    money above (or below) its total at the marginal cost of an agent-year (new-hire pay
    x loaded-cost factor + a year of every tool's seat)."""
    numbers = result.budget.unit_economics()
    per_agent = result.budget.agent_month_cost * len(result.budget.staff)
    return max(numbers.average_agents + (budget - numbers.total) / per_agent, 0.0)


def _achieved_level(base: plan.PlanResult, moved: plan.PlanResult) -> float:
    """Contact-weighted service level of the live channels with a service-level target:
    the base plan's agents (scaled by the moved plan's supply ratio per month) against the
    moved plan's contacts and handle times."""
    supply = moved.capacity.months
    ratio = np.minimum(
        supply["available"].to_numpy() / np.maximum(supply["required"].to_numpy(), 1e-9), 1.0
    )
    month_of = pd.DatetimeIndex(supply["month"]).to_numpy().astype("datetime64[M]")
    answered = offered = 0.0
    for name, settings in moved.scenario.service.channels.items():
        if settings.service_level is None or name not in base.requirements.per_channel:
            continue
        base_rows = base.requirements.per_channel[name]
        rows = moved.requirements.per_channel.get(name)
        if rows is None:
            continue
        is_open = base_rows["open"]
        month = base_rows["interval"].astype("datetime64[M]")[is_open]
        scale = ratio[np.clip(np.searchsorted(month_of, month), 0, len(ratio) - 1)]
        calls = rows["calls_mean"][is_open]
        agents = base_rows["agents_mean"][is_open] * scale
        level = service_level(
            agents, calls, settings.aht_seconds / settings.concurrency,
            base.requirements.interval_minutes * 60, settings.answer_seconds,
        )  # fmt: skip
        answered += float((level * calls).sum())
        offered += float(calls.sum())
    return answered / offered if offered else float("nan")


def _moved(scenario: Scenario, assumption: Assumption, factor: float) -> tuple[Scenario, float]:
    if assumption.volume:
        return scenario, factor
    data = scenario.model_dump(mode="json")
    assumption.move(data, factor)
    try:
        return Scenario.parse(data), 1.0
    except ScenarioError as exc:
        raise PlannerError(
            f"Moving '{assumption.name}' by {factor - 1:+.0%} gives an invalid plan: "
            + " ".join(exc.problems)
        ) from None


def _copy_path(source: dict, target: dict, parts: list[str]) -> None:
    """target[path] = source[path]; '*' walks every key both have."""
    head, rest = parts[0], parts[1:]
    if head == "*":
        for key in set(source) & set(target):
            _copy_path(source[key], target[key], rest)
        return
    if not rest:
        target[head] = copy.deepcopy(source[head])
        return
    if head in source and head in target:
        _copy_path(source[head], target[head], rest)


def _walk(data: dict, path: str) -> tuple[dict, str]:
    *parents, last = path.split(".")
    for part in parents:
        data = data[part]
    return data, last


def _scale(path: str, low: float | None = None, top: float | None = None):
    def move(data: dict, factor: float) -> None:
        parent, key = _walk(data, path)
        value = parent[key] * factor
        value = value if top is None else min(value, top)
        parent[key] = value if low is None else max(value, low)

    return move


def _scale_all(path: str, top: float | None = None):
    def move(data: dict, factor: float) -> None:
        parent, key = _walk(data, path)
        for name, value in parent[key].items():
            parent[key][name] = value * factor if top is None else min(value * factor, top)

    return move


def _scale_list(path: str, field_name: str, top: float = 0.95):
    def move(data: dict, factor: float) -> None:
        parent, key = _walk(data, path)
        for item in parent[key]:
            item[field_name] = min(item[field_name] * factor, top)

    return move


def _vendor_weight(data: dict, factor: float) -> None:
    """The vendor sites' routing weights x factor: more (or less) of the contacts they
    share with in-house sites go to them."""
    for site in data["service"]["sites"]:
        if site["vendor"]:
            site["share"] = min(site["share"] * factor, 100.0)


def _pay(data: dict, factor: float) -> None:
    costs = data["costs"]
    costs["pay_adjustment"] = (1 + costs["pay_adjustment"]) * factor - 1
