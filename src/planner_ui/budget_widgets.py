"""Widgets of the Budget page: the cost model as inputs and editable tables. Each returns
what was entered in the scenario's own units (shares, amounts a year or a month);
validation stays with ``Scenario.parse``. Percentages show as 35 for 35%.
"""

from __future__ import annotations

import calendar

import pandas as pd
import streamlit as st

from planner.scenario import CostSettings
from planner_ui.editors import settle, steady_editor
from planner_ui.forecast_widgets import rows_of

FIELDS = CostSettings.model_fields


def _percent(column, label: str, value: float, name: str, low=0.0, high=300.0) -> float:
    return (
        column.number_input(
            label, low, high, value * 100, step=0.5, help=FIELDS[name].description, key=name
        )
        / 100
    )


def cost_inputs(costs: CostSettings, currency: str, sites: list[str]) -> dict:
    """Pay, burden, merit, hiring cost, the hiring site (one of ``sites``, the roster's and
    the ladder's locations), overhead, AI prices, revenue and customers."""
    a, b, c, d = st.columns(4)
    entered = {
        "loaded_cost_factor": 1
        + _percent(a, "Burden on base pay (%)", costs.loaded_cost_factor - 1,
                   "loaded_cost_factor", 0.0, 200.0),
        "pay_adjustment": _percent(b, "Pay change on top of the roster (%)",
                                       costs.pay_adjustment, "pay_adjustment", -50.0),
        "merit_increase": _percent(c, "Merit increase (%)", costs.merit_increase,
                                       "merit_increase", 0.0, 50.0),
        "merit_month": d.selectbox(
            "Merit month", list(range(1, 13)), index=costs.merit_month - 1,
            format_func=lambda m: calendar.month_name[m], help=FIELDS["merit_month"].description,
        ),
    }  # fmt: skip
    e, f, g, h = st.columns(4)
    entered["replacement_cost_share"] = _percent(
        e, "Hiring and training, per hire (% of pay)", costs.replacement_cost_share,
        "replacement_cost_share", 0.0, 200.0,
    )  # fmt: skip
    new_hire = f.number_input(
        f"New-hire pay a year ({currency}, 0 = from the ladder or roster)", 0.0, 1e7,
        float(costs.new_hire_base_pay or 0), step=1_000.0,
        help=FIELDS["new_hire_base_pay"].description,
    )  # fmt: skip
    entered["new_hire_base_pay"] = new_hire or None
    entered["agent_base_pay"] = g.number_input(
        f"Agent pay without a roster ({currency})", 0.0, 1e7, costs.agent_base_pay,
        step=1_000.0, help=FIELDS["agent_base_pay"].description,
    )  # fmt: skip
    entered["overhead_per_month"] = h.number_input(
        f"Overhead a month ({currency})", 0.0, 1e8, costs.overhead_per_month, step=500.0,
        help=FIELDS["overhead_per_month"].description,
    )  # fmt: skip
    if sites:
        choices = (
            ["", *sites]
            if costs.hire_location in ("", *sites)
            else ["", *sites, costs.hire_location]
        )
        entered["hire_location"] = e.selectbox(
            "Where new hires sit", choices, index=choices.index(costs.hire_location),
            format_func=lambda site: site or "Site with most agents",
            help=FIELDS["hire_location"].description, key="hire_location",
        )  # fmt: skip
    i, j, k, m = st.columns(4)
    entered["annual_recurring_revenue"] = i.number_input(
        f"ARR ({currency})", 0.0, 1e12, costs.annual_recurring_revenue, step=1e6,
        help=FIELDS["annual_recurring_revenue"].description,
    )  # fmt: skip
    entered["arr_growth"] = _percent(
        j, "ARR growth over the year (%)", costs.arr_growth, "arr_growth", -100.0
    )
    entered["customers"] = k.number_input(
        "Customers", 0, 10_000_000, costs.customers, help=FIELDS["customers"].description
    )
    entered["ai_price_per_resolution"] = m.number_input(
        f"AI price per resolution ({currency})", 0.0, 1_000.0, costs.ai_price_per_resolution,
        step=0.05, help=FIELDS["ai_price_per_resolution"].description,
    )  # fmt: skip
    entered["ai_platform_fee_per_month"] = st.number_input(
        f"AI platform fee a month ({currency})", 0.0, 1e7, costs.ai_platform_fee_per_month,
        step=100.0, help=FIELDS["ai_platform_fee_per_month"].description,
    )  # fmt: skip
    return entered


def tooling_editor(costs: CostSettings, currency: str) -> dict:
    table = pd.DataFrame(list(costs.tooling_per_seat_per_month.items()), columns=["tool", "price"])
    edited = steady_editor(
        "tooling-editor",
        table,
        costs,
        {"tooling_per_seat_per_month"},
        num_rows="dynamic",
        column_config={
            "tool": st.column_config.TextColumn("Tool"),
            "price": st.column_config.NumberColumn(
                f"Per seat a month ({currency})", min_value=0.0, format="%.2f"
            ),
        },
    )
    entered = {
        "tooling_per_seat_per_month": {
            str(row["tool"]): row["price"] or 0.0 for row in rows_of(edited) if row["tool"]
        }
    }
    settle("tooling-editor", costs, {"tooling_per_seat_per_month"}, entered)
    return entered


def vendors_editor(costs: CostSettings, channels: list[str], currency: str) -> dict:
    table = pd.DataFrame(
        [v.model_dump() for v in costs.vendors],
        columns=["name", "channel", "share", "price_per_ticket", "price_per_hour"],
    )
    table["share"] = table["share"] * 100
    edited = steady_editor(
        "vendors-editor",
        table,
        costs,
        {"vendors"},
        num_rows="dynamic",
        width="stretch",
        column_config={
            "name": st.column_config.TextColumn("Vendor"),
            "channel": st.column_config.SelectboxColumn("Channel", options=channels),
            "share": st.column_config.NumberColumn("Share of the channel (%)", min_value=0,
                                                   max_value=100),
            "price_per_ticket": st.column_config.NumberColumn(f"Per ticket ({currency})"),
            "price_per_hour": st.column_config.NumberColumn(f"Per hour ({currency})"),
        },
    )  # fmt: skip
    entered = {"vendors": [row | {"share": (row["share"] or 0) / 100} for row in rows_of(edited)]}
    settle("vendors-editor", costs, {"vendors"}, entered)
    return entered


def money(
    currency: str, digits: int = 0, label: str | None = None
) -> st.column_config.NumberColumn:
    return st.column_config.NumberColumn(label, format=f"%,.{digits}f {currency}")


def cost_split(table: pd.DataFrame, key: str, label: str, share: str, currency: str) -> None:
    """A split of the budget (``Budget.cost_by_tier``, ``PlanResult.cost_by_site``): its
    ``key`` column as ``label``, the average gross FTE, the cost and its ``share``."""
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            key: label,
            "gross_fte": st.column_config.NumberColumn("Gross FTE (average)", format="%.1f"),
            "cost": money(currency, label="Cost"),
            "share": st.column_config.NumberColumn(share, format="percent"),
        },
    )


def follow_the_plan(key: str, planned: float) -> None:
    """Keep the number input ``key`` on ``planned`` (the plan's figure) while the user has
    not typed another: a what-if elsewhere moves it; a typed amount stays. The widget is
    then drawn without a value of its own (its state holds it)."""
    followed = f"{key}-followed"
    if key not in st.session_state or st.session_state[key] == st.session_state.get(followed):
        st.session_state[key] = planned
    st.session_state[followed] = planned


def ask(key: str, question: tuple) -> None:
    """Mark ``question`` as asked under ``key`` (a button's callback): the page answers it
    on this run and keeps the answer while the question stays the same."""
    st.session_state[key] = (question, None)
