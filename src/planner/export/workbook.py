"""The plan as an Excel workbook finance can audit: inputs are named cells on the
Assumptions sheet, and every derived number on the Demand, Staffing, Headcount and Budget
sheets is a live formula over them, so changing an assumption in Excel moves the totals.

What stays a value, labelled as such: the forecast contacts after the demand settings, the
agent hours that Erlang C/A and the workload model require (queueing has no spreadsheet
formula), the people and starters of each cohort as the capacity roll-forward counts them,
the seats of the other roles, the ladder's promotion cost and the new roles' pay. The
formulas are those of ``planner.budget`` and ``planner.staffing`` (see their docstrings):

- net FTE = agent hours / (hours per FTE a week x days / 7); gross = net / (1 - shrinkage),
  shrinkage = 1 - (1 - s1)(1 - s2)...
- pay factor(t) = (1 + merit)^(merit months reached by t) x (1 + pay adjustment)
- base pay = sum over cohorts of people x annual pay / 12 x pay factor; burden = pay x
  (loaded-cost factor - 1); hiring = starters x pay x replacement share x (1 + adjustment)
- tooling = seats x price; vendors = contacts x share x price per ticket (or x AHT / 3600
  x price per hour); AI = fee + deflected x price per resolution; overhead = a monthly sum
- cost per ticket = total / (contacts - unserved); share of ARR = total / months x 12 / average ARR,
  ARR(t) = ARR x (1 + growth x t / 12).

The workbook is written with ``strings_to_formulas`` off: user text (names, notes) is
always text. Formulas carry the computed value, so a viewer that does not recalculate
still shows the numbers (RELIABILITY.md, "Exports").
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from planner.budget import TOOL_NAMES, _merit_factor, _pay_label
from planner.capacity import Roster
from planner.compare import INPUT_RATIONALE, register
from planner.plan import PlanResult

FIRST = 2  # months start in column C
HEADER_ROW = 3  # zero-based: the row of month headers on every monthly sheet


@dataclass
class _Sheet:
    """A monthly sheet being written: its worksheet, the next free row, and where each
    named row landed."""

    sheet: object
    months: int
    row: int = HEADER_ROW + 1
    rows: dict[str, int] = field(default_factory=dict)

    def cell(self, key: str, month: int, absolute_row: bool = False) -> str:
        return xl_rowcol_to_cell(self.rows[key], FIRST + month, row_abs=absolute_row)

    def span(self, key: str, month: int) -> str:
        return f"{self.sheet.name}!{self.cell(key, month)}"


def workbook_bytes(result: PlanResult, roster: Roster | None = None) -> bytes:
    """The workbook of ``result`` (``roster``: the one the plan was built on, for the pay
    of the roles other than agents)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    _Writer(book, result, roster).write()
    book.close()
    return buffer.getvalue()


class _Writer:
    def __init__(self, book, result: PlanResult, roster: Roster | None):
        self.book, self.result, self.roster = book, result, roster
        self.scenario = result.scenario
        self.budget = result.budget
        self.months = pd.DatetimeIndex(result.capacity.months["month"])
        self.count = len(self.months)
        self.values: dict[str, float] = {}
        self._cached: dict[str, dict[str, np.ndarray]] = {}
        f = book.add_format
        self.fmt = {
            "title": f({"bold": True, "font_size": 14}),
            "note": f({"italic": True, "font_color": "#5b6b7f"}),
            "header": f({"bold": True, "bottom": 1, "bg_color": "#e8eef7",
                         "num_format": "mmm yyyy", "align": "right"}),
            "header_text": f({"bold": True, "bottom": 1, "bg_color": "#e8eef7"}),
            "input": f({"bg_color": "#fff3c4", "font_color": "#1f3a93",
                        "num_format": "#,##0.####"}),
            "value": f({"num_format": "#,##0.####"}),
            "money": f({"num_format": "#,##0"}),
            "money_total": f({"num_format": "#,##0", "bold": True, "top": 1}),
            "cents": f({"num_format": "#,##0.00"}),
            "count": f({"num_format": "#,##0"}),
            "count_total": f({"num_format": "#,##0", "bold": True, "top": 1}),
            "fte": f({"num_format": "#,##0.0"}),
            "fte_total": f({"num_format": "#,##0.0", "bold": True, "top": 1}),
            "factor": f({"num_format": "0.0000"}),
            "share": f({"num_format": "0.0%"}),
            "label_total": f({"bold": True, "top": 1}),
            "wrap": f({"text_wrap": True, "valign": "top"}),
        }  # fmt: skip

    # --- the sheets --------------------------------------------------------------------

    def write(self) -> None:
        self.assumptions = self.book.add_worksheet("Assumptions")
        self._assumptions()
        self.demand = self._monthly("Demand", "Contacts per channel and month")
        self._demand()
        self.staffing = self._monthly("Staffing", "FTE needed per channel and month")
        self._staffing()
        self.headcount = self._monthly("Headcount", "Agents by cohort and month")
        self._headcount()
        self.costs = self._monthly("Budget", "The budget by line and month")
        self._budget()

    def _assumptions(self) -> None:
        sheet, fmt = self.assumptions, self.fmt
        sheet.write_string(0, 0, f"Assumptions: {self.scenario.name}", fmt["title"])
        sheet.write_string(
            1, 0, "Yellow cells are inputs: change one and every sheet recalculates. Grey "
            "cells are values the planner derived (from the roster or the plan).", fmt["note"],
        )  # fmt: skip
        headings = ["Assumption", "Value", "Name in formulas", "Why", "Where it comes from"]
        for col, text in enumerate(headings):
            sheet.write_string(3, col, text, fmt["header_text"])
        sheet.set_column(0, 0, 42)
        sheet.set_column(1, 1, 16)
        sheet.set_column(2, 2, 26)
        sheet.set_column(3, 3, 80)
        sheet.set_column(4, 4, 60)
        sheet.freeze_panes(4, 1)
        costs, workforce = self.scenario.costs, self.scenario.workforce
        rationale = _rationales(self.scenario)
        row = 4

        def put(
            name: str, label: str, value, why: str, is_input: bool = True, path: str = ""
        ) -> None:
            """One named cell; ``path`` is the scenario setting it holds, whose source
            (measured, typed, default, sample...) is written beside it."""
            nonlocal row
            if isinstance(value, str) and value.startswith("="):
                sheet.write_formula(row, 1, value, fmt["input"], self.values.get(name, 0))
            else:
                sheet.write_number(row, 1, float(value), fmt["input" if is_input else "value"])
                self.values[name] = float(value)
            sheet.write_string(row, 0, label)
            sheet.write_string(row, 2, name)
            sheet.write_string(row, 3, why)
            origin = self.scenario.source_of(path).label if path else "derived by the planner"
            sheet.write_string(row, 4, origin)
            self.book.define_name(name, f"=Assumptions!$B${row + 1}")
            row += 1

        put(
            "LoadedCostFactor",
            "Loaded-cost factor",
            costs.loaded_cost_factor,
            rationale["costs.loaded_cost_factor"],
            path="costs.loaded_cost_factor",
        )
        put(
            "MeritIncrease",
            "Merit increase",
            costs.merit_increase_pct,
            rationale["costs.merit_increase_pct"],
            path="costs.merit_increase_pct",
        )
        put(
            "MeritMonth",
            "Merit month (1-12)",
            costs.merit_month,
            rationale["costs.merit_month"],
            path="costs.merit_month",
        )
        put(
            "PayAdjustment",
            "Pay adjustment on every base pay",
            costs.pay_adjustment_pct,
            rationale["costs.pay_adjustment_pct"],
            path="costs.pay_adjustment_pct",
        )
        put(
            "ReplacementShare",
            "Hiring and training cost, share of a year's pay",
            costs.replacement_cost_share,
            rationale["costs.replacement_cost_share"],
            path="costs.replacement_cost_share",
        )
        put(
            "AgentBasePay",
            "Agent base pay a year (no roster)",
            costs.agent_base_pay,
            rationale["costs.agent_base_pay"],
            path="costs.agent_base_pay",
        )
        put(
            "HirePay",
            "New hire base pay a year",
            self.budget.hire_pay,
            f"{rationale['costs.new_hire_base_pay']} Here: {self.budget.prices.source}."
            if costs.new_hire_base_pay is None
            else "Set in the scenario.",
            costs.new_hire_base_pay is not None,
            path="costs.new_hire_base_pay" if costs.new_hire_base_pay is not None else "",
        )
        other_pay = self._other_roles_annual_pay()
        if other_pay is not None:
            put(
                "OtherRolesAnnualPay",
                "Leads, managers and support roles: base pay a year",
                other_pay,
                "From the roster (their pay, else the new hire pay).",
                False,
            )
        put(
            "OverheadPerMonth",
            "Overhead a month",
            costs.overhead_per_month,
            rationale["costs.overhead_per_month"],
            path="costs.overhead_per_month",
        )
        put(
            "AIPlatformFee",
            "AI platform fee a month",
            costs.ai_platform_fee_per_month,
            rationale["costs.ai_platform_fee_per_month"],
            path="costs.ai_platform_fee_per_month",
        )
        put(
            "AIPricePerResolution",
            "AI price per automated resolution",
            costs.ai_price_per_resolution,
            rationale["costs.ai_price_per_resolution"],
            path="costs.ai_price_per_resolution",
        )
        put(
            "ARR",
            "Annual recurring revenue",
            costs.annual_recurring_revenue,
            rationale["costs.annual_recurring_revenue"],
            path="costs.annual_recurring_revenue",
        )
        put(
            "ARRGrowth",
            "ARR growth over a year",
            costs.arr_growth_pct,
            rationale["costs.arr_growth_pct"],
            path="costs.arr_growth_pct",
        )
        for tool, price in costs.tooling_per_seat_per_month.items():
            put(
                _name("Tool", tool),
                f"Tool a seat a month: {TOOL_NAMES.get(tool, tool)}",
                price,
                rationale["costs.tooling_per_seat_per_month"],
                path="costs.tooling_per_seat_per_month",
            )
        for i, vendor in enumerate(costs.vendors, start=1):
            put(
                f"Vendor{i}Share",
                f"Vendor {vendor.name}: share of {vendor.channel}",
                vendor.share,
                "Share of the channel's contacts the vendor handles.",
                path="costs.vendors",
            )
            per_ticket = vendor.price_per_ticket is not None
            put(
                f"Vendor{i}Price",
                f"Vendor {vendor.name}: price per {'ticket' if per_ticket else 'hour'}",
                vendor.price_per_ticket if per_ticket else vendor.price_per_hour,
                "The vendor's price.",
                path="costs.vendors",
            )
        for channel, service in self.scenario.service.channels.items():
            put(
                _name("AHT", channel),
                f"Handle time, {channel} (seconds)",
                service.aht_seconds,
                "Used by vendors priced per hour; staffing below is computed with it.",
                path=f"service.channels.{channel}.aht_seconds",
            )
        put(
            "HoursPerFTE",
            "Paid hours per FTE a week",
            workforce.hours_per_fte_per_week,
            rationale["workforce.hours_per_fte_per_week"],
            path="workforce.hours_per_fte_per_week",
        )
        parts = workforce.shrinkage.model_dump()
        for part, value in parts.items():
            put(
                _name("Shrink", part),
                f"Shrinkage: {part.replace('_', ' ')}",
                value,
                rationale[f"workforce.shrinkage.{part}"],
            )
        self.values["Shrinkage"] = workforce.scheduled_shrinkage
        counted = [p for p in parts if p != "breaks" or workforce.scheduled_shrinkage == (
            workforce.shrinkage.total)]  # fmt: skip
        put(
            "Shrinkage",
            "Shrinkage on top of the shifts",
            "=1-" + "*".join(f"(1-{_name('Shrink', p)})" for p in counted),
            "1 - (1 - s1)(1 - s2)... : the components combine multiplicatively"
            + ("." if len(counted) == len(parts) else "; breaks are in the shifts, left out."),
        )
        self.values["Months"] = self.count
        sheet.write_string(row + 1, 0, "Plan", fmt["header_text"])
        sheet.write_string(row + 2, 0, "Scenario")
        sheet.write_string(row + 2, 1, self.scenario.name)
        sheet.write_string(row + 3, 0, "First month")
        sheet.write_string(row + 3, 1, f"{self.months[0]:%B %Y}")
        sheet.write_string(row + 4, 0, "Currency")
        sheet.write_string(row + 4, 1, self.scenario.currency)
        sheet.write_string(row + 6, 0, "Where the plan's inputs come from", fmt["header_text"])
        for offset, name in enumerate(INPUT_RATIONALE, start=7):
            sheet.write_string(row + offset, 0, f"{name.capitalize()}: {INPUT_RATIONALE[name]}")
            sheet.write_string(row + offset, 4, self.scenario.source_of(name).label)

    def _monthly(self, title: str, subtitle: str) -> _Sheet:
        sheet = self.book.add_worksheet(title)
        sheet.write_string(0, 0, f"{subtitle}: {self.scenario.name}", self.fmt["title"])
        sheet.write_string(HEADER_ROW, 0, "", self.fmt["header_text"])
        sheet.write_string(HEADER_ROW, 1, "", self.fmt["header_text"])
        for i, month in enumerate(self.months):
            sheet.write_datetime(HEADER_ROW, FIRST + i, month.to_pydatetime(), self.fmt["header"])
        sheet.write_string(HEADER_ROW, FIRST + self.count, "Total", self.fmt["header_text"])
        sheet.set_column(0, 0, 48)
        sheet.set_column(1, 1, 14)
        sheet.set_column(FIRST, FIRST + self.count, 12)
        sheet.freeze_panes(HEADER_ROW + 1, FIRST)
        return _Sheet(sheet, self.count)

    def _demand(self) -> None:
        page = self.demand
        page.sheet.write_string(1, 0, "Contacts are the forecast after the demand settings "
                                "(growth, events, AI deflection): values from the planner.",
                                self.fmt["note"])  # fmt: skip
        volume = self.budget.volume
        for what, label in (("contacts", "Contacts"), ("deflected", "Answered by AI"),
                            ("unserved", "Unserved (closed, or the team short)")):  # fmt: skip
            table = self._by_channel(volume, what)
            keys = []
            for channel, values in table.items():
                key = f"{what}:{channel}"
                self._value_row(page, key, f"{label}: {channel}", values, "count")
                keys.append(key)
            self._sum_row(page, f"{what}:all", f"{label}: all channels", keys, "count_total")
            page.row += 1

    def _staffing(self) -> None:
        page = self.staffing
        page.sheet.write_string(1, 0, "Agent hours are what Erlang C/A (live channels) and the "
                                "workload model (email, forms) require, and how efficiently "
                                "the shifts cover them (the schedule solver): values. FTE "
                                "are formulas.", self.fmt["note"])  # fmt: skip
        bound = self.scenario.workforce.plan_to
        frame = self.result.requirements.fte("M")
        frame = frame[frame["period"].isin(self.months)]
        gross_keys = []
        for channel in frame["channel"].cat.categories:
            part = frame[frame["channel"] == channel].set_index("period").reindex(self.months)
            hours = part[f"agent_hours_{bound}"].fillna(0).to_numpy(float)
            days = part["days"].fillna(0).to_numpy(float)
            self._value_row(page, f"hours:{channel}", f"Agent hours: {channel}", hours, "fte")
            self._value_row(page, f"days:{channel}", f"Days: {channel}", days, "count")
            net = [
                f"=IF({page.cell(f'days:{channel}', m)}=0,0,{page.cell(f'hours:{channel}', m)}"
                f"/(HoursPerFTE*{page.cell(f'days:{channel}', m)}/7))"
                for m in range(self.count)
            ]
            paid = self.scenario.workforce.hours_per_fte_per_week * days / 7
            net_values = np.divide(hours, paid, out=np.zeros_like(hours), where=paid > 0)
            self._formula_row(page, f"net:{channel}", f"Net FTE: {channel}", net, net_values,
                              "fte", total=False)  # fmt: skip
            scheduled = part[f"scheduled_hours_{bound}"].fillna(0).to_numpy(float)
            fit = np.divide(hours, scheduled, out=np.ones_like(hours), where=scheduled > 0)
            self._value_row(page, f"fit:{channel}", f"Scheduling efficiency: {channel} "
                            "(interval / paid hours of the shifts)", fit, "share",
                            total=False)  # fmt: skip
            gross = [
                f"={page.cell(f'net:{channel}', m)}/{page.cell(f'fit:{channel}', m)}/(1-Shrinkage)"
                for m in range(self.count)
            ]
            gross_values = net_values / fit / (1 - self.values["Shrinkage"])
            self._formula_row(page, f"gross:{channel}", f"Gross FTE: {channel}", gross,
                              gross_values, "fte", total=False)  # fmt: skip
            gross_keys.append(f"gross:{channel}")
            page.row += 1
        self._sum_row(page, "gross:all", "Gross FTE needed: all channels", gross_keys,
                      "fte_total", total=False)  # fmt: skip

    def _headcount(self) -> None:
        page, fmt = self.headcount, self.fmt
        page.sheet.write_string(1, 0, "People and starters of each cohort are the capacity "
                                "roll-forward (attrition, classes, ramp): values. Column B is "
                                "each cohort's annual base pay (open requisitions at their "
                                "level and site).", fmt["note"])  # fmt: skip
        cohorts, people, starters = self.result.capacity.by_cohort(self.scenario.workforce)
        costs = self.scenario.costs
        labels = list(dict.fromkeys(_pay_label(c) for c in cohorts))
        order = sorted(range(len(cohorts)), key=lambda i: labels.index(_pay_label(cohorts[i])))
        self.cohort_rows: dict[str, tuple[int, int]] = {}
        self.starter_rows: dict[str, tuple[int, int]] = {}
        self.pay: dict[int, float] = {}
        for block, counts, rows_of in (("people", people, self.cohort_rows),
                                       ("starters", starters, self.starter_rows)):  # fmt: skip
            page.sheet.write_string(page.row, 0, "People on the payroll" if block == "people"
                                    else "Starters", fmt["label_total"])  # fmt: skip
            page.row += 1
            for i in order:
                cohort = cohorts[i]
                label = _pay_label(cohort)
                first, _ = rows_of.get(label, (page.row, page.row))
                rows_of[label] = (first, page.row)
                text = f"{cohort.source}: {cohort.note} from {cohort.start:%d %b %Y}".replace(
                    ": from", " from")  # fmt: skip
                key = f"{block}:{i}"
                self._value_row(page, key, text, counts[i], "fte")
                pay_cell = xl_rowcol_to_cell(page.rows[key], 1)
                if cohort.annual_base_pay is not None or (
                    cohort.source == "open requisition" and cohort.level
                ):
                    self.pay[i] = self.budget.prices.of(cohort, costs.agent_base_pay)
                    page.sheet.write_number(pay_cell, self.pay[i], fmt["value"])
                else:
                    name = "AgentBasePay" if cohort.source == "starting FTE" else "HirePay"
                    self.pay[i] = costs.agent_base_pay if name == "AgentBasePay" else (
                        self.budget.hire_pay)  # fmt: skip
                    page.sheet.write_formula(pay_cell, f"={name}", fmt["input"], self.pay[i])
            keys = [f"{block}:{i}" for i in order]
            self._sum_row(page, f"{block}:all", "Agents on the payroll" if block == "people"
                          else "Starters, all cohorts", keys, "fte_total")  # fmt: skip
            page.row += 1
        staff = self.budget.staff
        self._value_row(page, "other_seats", "Other roles (seats: leads, managers, support)",
                        staff["other_staff"].to_numpy(float), "fte")  # fmt: skip
        if self.result.org is not None and self.result.org.projection is not None:
            self._value_row(page, "promotions", "Promotions: base pay added a month (ladder "
                            "projection, before merit)", self.result.org.projection.cost_effect,
                            "money")  # fmt: skip
        if self.result.org is not None:
            self._value_row(page, "new_roles", "New leads, managers and support roles: base "
                            "pay a month (before merit)", self.result.org.extra_pay(),
                            "money")  # fmt: skip
        required = [f"={self.staffing.span('gross:all', m)}" for m in range(self.count)]
        self._formula_row(page, "required", "Gross FTE needed (Staffing)", required,
                          self._gross_values(), "fte", total=False)  # fmt: skip

    def _budget(self) -> None:
        page, fmt = self.costs, self.fmt
        page.sheet.write_string(1, 0, "Every amount is a formula over the Assumptions and the "
                                "other sheets.", fmt["note"])  # fmt: skip
        merit = _merit_factor(self.months, self.scenario.costs.merit_month,
                              self.scenario.costs.merit_increase_pct)  # fmt: skip
        factor = merit * (1 + self.scenario.costs.pay_adjustment_pct)
        head = xl_rowcol_to_cell(HEADER_ROW, FIRST, row_abs=True, col_abs=True)
        formulas = [
            f"=(1+MeritIncrease)^SUMPRODUCT(--(MONTH({head}:"
            f"{xl_rowcol_to_cell(HEADER_ROW, FIRST + m, row_abs=True)})=MeritMonth))"
            "*(1+PayAdjustment)"
            for m in range(self.count)
        ]
        self._formula_row(page, "factor", "Pay factor (merit rounds reached x adjustment)",
                          formulas, factor, "factor", total=False)  # fmt: skip
        page.row += 1
        lines = self.budget.lines
        amounts = {
            name: part.set_index("month")["amount"].reindex(self.months).to_numpy(float)
            for name, part in lines.groupby("line", sort=False)
        }
        agent_pay_keys, other_pay_keys, keys = [], [], []
        for name in self.budget.lines["line"].unique():
            build = self._line_formula(name, agent_pay_keys, other_pay_keys)
            key = f"line:{name}"
            formulas = [build(m) for m in range(self.count)]
            self._formula_row(page, key, name, formulas, amounts[name], "money")
            keys.append(key)
            if name.startswith("Base pay: "):
                others = "leads, managers" in name
                (other_pay_keys if others else agent_pay_keys).append(key)
            elif name == "Promotions along the ladder":
                agent_pay_keys.append(key)
        self._sum_row(page, "total", "Total", keys, "money_total")
        page.row += 1
        self._kpis(page)

    def _line_formula(self, name: str, agent_keys: list[str], other_keys: list[str]):
        page, hc = self.costs, self.headcount
        factor = lambda m: page.cell("factor", m)  # noqa: E731 - one formula fragment

        def rows_sum(block: dict, label: str, m: int) -> str:
            first, last = block[label]
            col = xl_col_to_name(FIRST + m)
            return (f"SUMPRODUCT(Headcount!{col}{first + 1}:{col}{last + 1},"
                    f"Headcount!$B${first + 1}:$B${last + 1})")  # fmt: skip

        if name == "Promotions along the ladder":
            return lambda m: f"={hc.span('promotions', m)}*{factor(m)}"
        if name == "Base pay: leads, managers and support roles":
            return lambda m: f"=OtherRolesAnnualPay/12*{factor(m)}"
        if name == "Base pay: new leads, managers and support roles":
            return lambda m: f"={hc.span('new_roles', m)}*{factor(m)}"
        if name.startswith("Base pay: "):
            label = name.removeprefix("Base pay: ")
            return lambda m: f"={rows_sum(self.cohort_rows, label, m)}/12*{factor(m)}"
        if name.startswith("Burden: "):
            keys = agent_keys if name == "Burden: agents (benefits, taxes)" else other_keys
            return lambda m: (
                "=(" + "+".join(page.cell(k, m) for k in keys) + ")*(LoadedCostFactor-1)"
            )
        if name == "Hiring and training":
            return lambda m: "=(" + "+".join(
                rows_sum(self.starter_rows, label, m) for label in self.starter_rows
            ) + ")*ReplacementShare*(1+PayAdjustment)"  # fmt: skip
        tools = {TOOL_NAMES.get(t, t.replace("_", " ").capitalize()): t
                 for t in self.scenario.costs.tooling_per_seat_per_month}  # fmt: skip
        match = re.fullmatch(r"(.+) seats(, other roles)?", name)
        if match and match.group(1) in tools:
            price = _name("Tool", tools[match.group(1)])
            seats = "other_seats" if match.group(2) else "people:all"
            return lambda m: f"={hc.span(seats, m)}*{price}"
        match = re.fullmatch(r"Vendor: (.+) \((.+)\)", name)
        if match:
            wanted = (match.group(1), match.group(2))
            vendors = enumerate(self.scenario.costs.vendors, start=1)
            i, vendor = next((i, v) for i, v in vendors if (v.name, v.channel) == wanted)
            contacts = f"contacts:{vendor.channel}"
            if vendor.price_per_ticket is not None:
                return lambda m: f"={self.demand.span(contacts, m)}*Vendor{i}Share*Vendor{i}Price"
            aht = _name("AHT", vendor.channel)
            return lambda m: (f"={self.demand.span(contacts, m)}*Vendor{i}Share*{aht}/3600"
                              f"*Vendor{i}Price")  # fmt: skip
        if name == "AI platform fee":
            return lambda m: "=AIPlatformFee"
        match = re.fullmatch(r"AI resolutions \((.+)\)", name)
        if match:
            key = f"deflected:{match.group(1)}"
            return lambda m: f"={self.demand.span(key, m)}*AIPricePerResolution"
        if name == "Overhead":
            return lambda m: "=OverheadPerMonth"
        raise ValueError(f"No formula for the budget line '{name}'")

    def _kpis(self, page: _Sheet) -> None:
        numbers = self.budget.unit_economics()
        total = xl_rowcol_to_cell(page.rows["total"], FIRST + self.count, row_abs=True,
                                  col_abs=True)  # fmt: skip
        where = self.demand.rows["contacts:all"], FIRST + self.count
        unserved = self.demand.rows["unserved:all"], FIRST + self.count
        contacts = (
            f"(Demand!{xl_rowcol_to_cell(*where, row_abs=True, col_abs=True)}"
            f"-Demand!{xl_rowcol_to_cell(*unserved, row_abs=True, col_abs=True)})"
        )
        arr = [f"=ARR*(1+ARRGrowth*{m}/12)" for m in range(self.count)]
        costs = self.scenario.costs
        arr_values = costs.annual_recurring_revenue * (
            1 + costs.arr_growth_pct * np.arange(self.count) / 12
        )
        self._formula_row(page, "arr", "ARR (grows over the year)", arr, arr_values, "money",
                          total=False)  # fmt: skip
        first = xl_rowcol_to_cell(page.rows["arr"], FIRST)
        last = xl_rowcol_to_cell(page.rows["arr"], FIRST + self.count - 1)
        period = self.scenario.period_label
        block = [
            (f"Budget, {period}", f"={total}", numbers["total"], "money_total"),
            (f"Contacts handled, {period}", f"={contacts}", numbers["handled"], "count"),
            ("Cost per ticket", f"={total}/{contacts}", numbers["cost_per_ticket"], "cents"),
            ("Share of ARR", f"={total}/{self.count}*12/AVERAGE({first}:{last})",
             numbers["pct_of_arr"], "share"),
        ]  # fmt: skip
        page.row += 1
        for label, formula, value, style in block:
            page.sheet.write_string(page.row, 0, label, self.fmt["label_total"])
            page.sheet.write_formula(page.row, FIRST, formula, self.fmt[style], value)
            page.rows[label] = page.row
            page.row += 1

    # --- rows ------------------------------------------------------------------------

    def _keep(self, page: _Sheet, key: str, values) -> None:
        """Remember a row's values: sum rows and later sheets write them as cached results."""
        self._cached.setdefault(page.sheet.name, {})[key] = np.asarray(values, dtype=float)

    def _value_row(
        self, page: _Sheet, key: str, label: str, values, style: str, total: bool = True
    ) -> None:
        self._keep(page, key, values)
        sheet = page.sheet
        sheet.write_string(page.row, 0, label)
        for m, value in enumerate(np.asarray(values, dtype=float)):
            sheet.write_number(page.row, FIRST + m, float(value), self.fmt[style])
        if total:
            self._total(page, style, float(np.sum(values)))
        page.rows[key] = page.row
        page.row += 1

    def _formula_row(self, page, key, label, formulas, values, style, total=True) -> None:
        self._keep(page, key, values)
        sheet = page.sheet
        sheet.write_string(page.row, 0, label)
        for m, (formula, value) in enumerate(zip(formulas, values, strict=True)):
            sheet.write_formula(page.row, FIRST + m, formula, self.fmt[style], float(value))
        if total:
            self._total(page, style, float(np.sum(values)))
        page.rows[key] = page.row
        page.row += 1

    def _sum_row(self, page, key, label, keys, style, total=True) -> None:
        formulas = [
            "=" + "+".join(page.cell(k, m) for k in keys) if keys else "=0"
            for m in range(self.count)
        ]
        values = self._sum_values(page, keys)
        self._keep(page, key, values)
        page.sheet.write_string(page.row, 0, label, self.fmt["label_total"])
        for m, (formula, value) in enumerate(zip(formulas, values, strict=True)):
            page.sheet.write_formula(page.row, FIRST + m, formula, self.fmt[style], float(value))
        if total:
            self._total(page, style, float(np.sum(values)))
        page.rows[key] = page.row
        page.row += 1

    def _total(self, page: _Sheet, style: str, value: float) -> None:
        first = xl_rowcol_to_cell(page.row, FIRST)
        last = xl_rowcol_to_cell(page.row, FIRST + self.count - 1)
        total_style = style if style.endswith("_total") else f"{style}_total"
        page.sheet.write_formula(
            page.row, FIRST + self.count, f"=SUM({first}:{last})",
            self.fmt.get(total_style, self.fmt[style]), value,
        )  # fmt: skip

    def _sum_values(self, page: _Sheet, keys: list[str]) -> np.ndarray:
        """The cached values of a sum row: read back from what was written."""
        return sum((self._cached[page.sheet.name][k] for k in keys), np.zeros(self.count))

    # --- values behind the rows ----------------------------------------------------------

    def _by_channel(self, volume: pd.DataFrame, column: str) -> dict[str, np.ndarray]:
        table = volume.pivot_table(index="month", columns="channel", values=column,
                                   aggfunc="sum").reindex(self.months).fillna(0.0)  # fmt: skip
        return {str(c): table[c].to_numpy(float) for c in table.columns}

    def _gross_values(self) -> np.ndarray:
        return self._cached["Staffing"]["gross:all"]

    def _other_roles_annual_pay(self) -> float | None:
        names = set(self.budget.lines["line"])
        if "Base pay: leads, managers and support roles" not in names or self.roster is None:
            return None
        others = self.roster.others
        pay = others["annual_base_pay"].fillna(self.budget.hire_pay)
        return float((pay * others["fte"]).sum())


def _name(prefix: str, text: str) -> str:
    """A defined name for ``text`` (letters, digits and underscores only)."""
    return prefix + "_" + re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_")


def _rationales(scenario) -> dict[str, str]:
    """Each setting's one-line rationale, by its path in the scenario."""
    table = register(scenario)
    return dict(zip(table["assumption"], table["rationale"], strict=True))
