"""The plan as an Excel workbook finance can audit: inputs are named yellow cells on the
Assumptions sheet, and every number on the Demand, Staffing, Capacity, Headcount and
Budget sheets is a live formula over them, so changing an input in Excel moves the totals
as the app would (tests/integration/export/test_workbook_live.py changes each in turn, recalculates
with LibreOffice and compares with ``plan.build``).

What stays a value, grey and labelled: the forecast before growth (after events and AI
deflection), the agent hours per handle hour the app's queueing and workload models need
in each month, the shifts' fit (the schedule solver), the roster's people and pay, the new
roles' pay and the ladder projection's promotion cost. The formulas are those of the
planner (see each module's notes):

- growth factor of a month = the mean over its n days of (1 + g)^(d / 365), d the days
  since the forecast's first: (1 + g)^(d0 / 365) (r^n - 1) / (n (r - 1)), r = (1 + g)^(1/365)
  (``planner.demand``);
- escalations to a tier = its escalated share x the contacts (or escalations) it takes
  from x the app's escalations per escalated contact that month (the delay and
  first-contact resolution, a value; ``planner.tiers``);
- handle hours = contacts x (1 - vendor shares) x AHT / 3600; agent hours: deferred work
  handle x k x (occupancy target then / now); live channels by the square-root staffing
  law, agents = load / concurrency + beta sqrt(load) (Halfin and Whitt 1981; Borst,
  Mandelbaum and Reiman, "Dimensioning large call centers", Oper. Res. 52(1), 2004):
  hours = handle x (c + (k - c) sqrt(handle then / handle)), c = 1 / concurrency, k the
  app's agent hours per handle hour. Exact at the export; a check turns red when the
  handle hours move, because the app would re-solve its queueing and shift schedule;
- net FTE = agent hours / (hours per FTE a week x days / 7); gross = net / fit /
  (1 - shrinkage), shrinkage = 1 - (1 - s1)(1 - s2)...;
- the capacity roll-forward (``planner.capacity``): people(t) = people(t - 1) x (1 - e or
  m), m = 1 - (1 - a)^(1/12), e = max(1 - (1 - q)^(1/3), m) in a class's first three
  months; productive FTE = people x share of the month on the floor x (p0 + (1 - p0)
  min(k / N, 1)); one recommended class per month, starting N months and the training
  before it (the lead time after the plan's day at the earliest), sized ceil(gap / the
  people of one hire left when it first counts) as the app's greedy rule does;
- span roles (``planner.org``): leads = ceil(agents / span), managers = ceil(leads /
  span)..., support roles = agents / ratio rounded half up, new ones beyond those filled;
- pay factor(t) = (1 + merit)^(merit months reached by t) x (1 + pay adjustment); base pay =
  sum over cohorts of people x annual pay / 12 x pay factor, hires and open requisitions
  at the ladder's band for their level and site; burden = pay x (loaded-cost factor - 1);
  hiring = starters x pay x replacement share x (1 + adjustment);
- tooling = seats x price; vendors = contacts x share x price per ticket (or x AHT / 3600
  x price per hour); AI = fee + deflected x price per resolution; overhead = a monthly sum;
- sites (``planner.sites``): a vendor site bills MAX(contacts routed to it x its price, or
  their handle hours x its price an hour; its minimum) x its exchange rate, its contacts
  being all contacts x its share of them (a value: the app routes interval by interval);
  hires go to the in-house sites by their share of the gross FTE (a value), HirePay = sum
  of share x the site's hire pay (pay an hour x rate x HoursPerFTE x 52, else the ladder's
  band at its location), one new-hire pay line per site; a site's own shrinkage enters
  the gross FTE as a value row (the gross-up of each site's hours);
- cost per ticket = total / (contacts - unserved); share of ARR = total / months x 12 /
  average ARR, ARR(t) = ARR x (1 + growth x t / 12).

The workbook is written with ``strings_to_formulas`` off: user text (names, notes) is
always text. Formulas carry the computed value, so a viewer that does not recalculate
still shows the numbers (RELIABILITY.md, "Exports").
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from planner.budget import TOOL_NAMES, _merit_factor, _pay_label
from planner.capacity import (
    Cohort,
    Roster,
    _span,
    _supply,
    early_monthly_attrition,
    monthly_attrition,
)
from planner.demand import growth_factor
from planner.forecast import ForecastSet
from planner.org import DERIVED_ROLES, SPANS, SUPPORT_RATIOS, required_roles
from planner.plan import PlanResult
from planner.review import INPUT_RATIONALE, register
from planner.story import describe

FIRST = 2  # months start in column C
CAP_FIRST = 4  # on the Capacity sheet, in column E (B-D: start, on the floor, people)
HEADER_ROW = 3  # zero-based: the row of month headers on every monthly sheet
EXCEL_EPOCH = dt.date(1899, 12, 30)  # day 0 of spreadsheet dates
ROLE_WORDS = {
    "lead": "team lead",
    "manager": "manager",
    "director": "director",
    "qa": "QA analyst",
    "trainer": "trainer",
    "wfm": "WFM analyst",
    "knowledge": "knowledge manager",
}
# each derived role's rule in the scenario (org.SPANS: leaders; SUPPORT_RATIOS: support)
SPAN_RULES = {role: rule for role, _, rule in SPANS} | SUPPORT_RATIOS


@dataclass
class _Sheet:
    """A monthly sheet being written: its worksheet, the next free row, and where each
    named row landed."""

    sheet: object
    months: int
    row: int = HEADER_ROW + 1
    rows: dict[str, int] = field(default_factory=dict)
    first: int = FIRST

    def cell(self, key: str, month: int, absolute_row: bool = False) -> str:
        return xl_rowcol_to_cell(self.rows[key], self.first + month, row_abs=absolute_row)

    def cell_at(self, row: int, month: int) -> str:
        return xl_rowcol_to_cell(row, self.first + month)

    def head(self, month: int) -> str:
        """The month header of column ``month`` (row fixed)."""
        return xl_rowcol_to_cell(HEADER_ROW, self.first + month, row_abs=True)

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
        self.span, self.skip = _span(self.months, result.capacity.today)
        forecast = result.forecast  # a ForecastSet, or its frame (``demand.apply`` takes both)
        periods = (forecast.long if isinstance(forecast, ForecastSet) else forecast)["period"]
        self.forecast_start = pd.Timestamp(periods.min()).date()
        self.span_roles = (
            result.org is not None
            and self.scenario.org.budget_span_roles
            and self.scenario.workforce.starting_fte is None
        )
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
            "derived": f({"num_format": "#,##0.####", "italic": True}),
            "date_value": f({"num_format": "d mmm yyyy"}),
            "date_input": f({"num_format": "d mmm yyyy", "bg_color": "#fff3c4",
                             "font_color": "#1f3a93"}),
            "check": f({"bold": True}),
            "check_red": f({"bold": True, "bg_color": "#f8d0d0", "font_color": "#9c0006"}),
        }  # fmt: skip

    # --- the sheets --------------------------------------------------------------------

    def write(self) -> None:
        self.assumptions = self.book.add_worksheet("Assumptions")
        self._assumptions()
        self.demand = self._monthly("Demand", "Contacts per channel and month")
        self._demand()
        self.staffing = self._monthly("Staffing", "FTE needed per channel and month")
        self._staffing()
        self.capacity = self._monthly(
            "Capacity", "Agents and productive FTE by cohort", self.span, CAP_FIRST
        )
        self._capacity()
        self.headcount = self._monthly("Headcount", "Agents by cohort and month")
        self._headcount()
        self.costs = self._monthly("Budget", "The budget by line and month")
        self._budget()
        self._checks()

    def _assumptions(self) -> None:
        sheet, fmt = self.assumptions, self.fmt
        sheet.write_string(0, 0, f"Assumptions: {self.scenario.name}", fmt["title"])
        sheet.write_string(
            1, 0, "Yellow cells are inputs: change one and every sheet recalculates. Grey "
            "cells are values the app computed (from the roster, the ladder or the plan): "
            "re-export from the app to change them. The checks at the end turn red when an "
            "input moved away from what the app computed with.", fmt["note"],
        )  # fmt: skip
        headings = ["Assumption", "Value", "Name in formulas", "Why", "Where it comes from"]
        for col, text in enumerate(headings):
            sheet.write_string(3, col, text, fmt["header_text"])
        sheet.set_column(0, 0, 46)
        sheet.set_column(1, 1, 16)
        sheet.set_column(2, 2, 26)
        sheet.set_column(3, 3, 80)
        sheet.set_column(4, 4, 60)
        sheet.freeze_panes(4, 1)
        costs, workforce = self.scenario.costs, self.scenario.workforce
        rationale = _rationales(self.scenario)
        self.row = 4

        def put(name: str, label: str, value, why: str, kind: str = "input", path: str = ""):
            """One named cell: an ``input`` (yellow), a ``value`` the app computed, a
            ``formula`` over other cells or a ``date``; ``path`` is the scenario setting it
            holds, whose source (measured, typed, default, sample...) is written beside it."""
            row = self.row
            if kind == "formula":
                sheet.write_formula(row, 1, value, fmt["derived"], self.values.get(name, 0))
            else:
                style = {"input": "input", "value": "value", "money": "money",
                         "date": "date_value"}[kind]  # fmt: skip
                sheet.write_number(row, 1, float(value), fmt[style])
                self.values[name] = float(value)
            sheet.write_string(row, 0, label)
            sheet.write_string(row, 2, name)
            sheet.write_string(row, 3, why)
            if path:
                origin = self.scenario.source_of(path).label
            else:
                origin = "derived: a formula" if kind == "formula" else "computed by the app"
            sheet.write_string(row, 4, origin)
            self.book.define_name(name, f"=Assumptions!$B${row + 1}")
            self.row += 1

        def setting(name: str, label: str, path: str) -> None:
            """An input holding the scenario setting at ``path``."""
            section, field_name = path.split(".", 1)
            value = getattr(getattr(self.scenario, section), field_name)
            put(name, label, value, rationale.get(path, ""), path=path)

        def heading(text: str) -> None:
            self.row += 1
            sheet.write_string(self.row, 0, text, fmt["header_text"])
            self.row += 1

        heading("Demand")
        self.values["ForecastStart"] = _serial(self.forecast_start)
        put("ForecastStart", "First day of the forecast (growth counts from it)",
            _serial(self.forecast_start), "The day after the history ends.", "date")  # fmt: skip
        if self.scenario.demand.growth_driver == "trend":
            setting("GrowthPerYear", "Extra demand growth a year", "demand.growth_per_year")
        for channel, service in self.scenario.service.channels.items():
            put(
                _name("AHT", channel),
                f"Handle time, {channel} (seconds)",
                service.aht_seconds,
                "Handle hours = contacts x AHT / 3600; staffing scales with them.",
                path=f"service.channels.{channel}.aht_seconds",
            )
        for tier in self.scenario.service.tiers:
            sources = ", ".join(tier.escalates_from) or "every channel"
            put(
                _name("Escalated", tier.name),
                f"Escalated to {tier.name}, share of {sources}",
                tier.share,
                "Escalations = the share x the contacts they come from (Demand sheet).",
                path="service.tiers",
            )
            put(
                _name("AHT", tier.name),
                f"Handle time, {tier.name} (seconds)",
                tier.aht_seconds,
                "Handle hours = escalations x AHT / 3600; staffed as deferred work.",
                path="service.tiers",
            )
        for share in self.scenario.service.languages:
            put(
                _name("LanguageShare", share.queue),
                f"Share of {share.channel} in {share.language}",
                share.share,
                "A language's contacts = the share x its channel's; each language is staffed "
                "as its own queue (no pooling across languages).",
                path="service.languages",
            )
        heading("Staffing")
        setting("HoursPerFTE", "Paid hours per FTE a week", "workforce.hours_per_fte_per_week")
        setting(
            "OccupancyTarget",
            "Occupancy target, deferred work (email, forms)",
            "workforce.occupancy_target",
        )
        put(
            "MaxOccupancy",
            "Occupancy cap, live channels",
            self.scenario.service.max_occupancy,
            "Inside the app's queueing results (Staffing sheet): re-export after changing it.",
            "value",
            path="service.max_occupancy",
        )
        parts = workforce.shrinkage.model_dump()
        counted = [p for p in parts if p != "breaks" or workforce.scheduled_shrinkage == (
            workforce.shrinkage.total)]  # fmt: skip
        for part, value in parts.items():
            in_shifts = part not in counted
            put(
                _name("Shrink", part),
                f"Shrinkage: {part.replace('_', ' ')}",
                value,
                "Breaks are in the shift patterns (their break minutes): not counted here."
                if in_shifts
                else rationale[f"workforce.shrinkage.{part}"],
                "value" if in_shifts else "input",
                path=f"workforce.shrinkage.{part}",
            )
        self.values["Shrinkage"] = workforce.scheduled_shrinkage
        put(
            "Shrinkage",
            "Shrinkage on top of the shifts",
            "=1-" + "*".join(f"(1-{_name('Shrink', p)})" for p in counted),
            "1 - (1 - s1)(1 - s2)... : the components combine multiplicatively"
            + ("." if len(counted) == len(parts) else "; breaks are in the shifts, left out."),
            "formula",
        )
        heading("Capacity")
        setting("AnnualAttrition", "Attrition a year", "workforce.annual_attrition")
        setting(
            "EarlyAttrition", "Share of a class leaving in its first 90 days",
            "workforce.early_tenure_attrition",
        )  # fmt: skip
        setting("RecruitingLeadDays", "Days to fill a seat", "workforce.recruiting_lead_days")
        setting("TrainingWeeks", "Training weeks before the floor", "workforce.training_weeks")
        setting("RampMonths", "Months to full productivity", "workforce.ramp_months")
        setting(
            "RampStart", "Productivity in the first month on the floor",
            "workforce.ramp_start_productivity",
        )  # fmt: skip
        put("PlanDay", "The day the plan was made (the earliest day a requisition opens)",
            _serial(self.result.capacity.today), "Recommended classes start after it.",
            "date")  # fmt: skip
        self.values["MonthlyAttrition"] = monthly_attrition(workforce.annual_attrition)
        put("MonthlyAttrition", "Leavers a month, share of the people",
            "=IF(AnnualAttrition>=1,1,1-(1-AnnualAttrition)^(1/12))",
            "m = 1 - (1 - a)^(1/12) compounds to the yearly attrition.", "formula")  # fmt: skip
        self.values["EarlyRate"] = max(
            early_monthly_attrition(workforce.early_tenure_attrition),
            self.values["MonthlyAttrition"],
        )
        put("EarlyRate", "Leavers a month in a class's first three months",
            "=MAX(1-(1-EarlyAttrition)^(1/3),MonthlyAttrition)",
            "e = 1 - (1 - q)^(1/3), at least the usual monthly rate.", "formula")  # fmt: skip
        if self.span_roles:
            heading("Organisation")
            for role in DERIVED_ROLES:
                path = f"org.{SPAN_RULES[role]}"
                setting(_name("Span", role), describe(path, None, "")[0], path)
            for role in DERIVED_ROLES:
                put(
                    _name("RolePay", role),
                    f"Base pay a year of a new {ROLE_WORDS[role]}",
                    self.result.org.role_pay[role],
                    "The ladder's band midpoint for the role, else the roster's average.",
                    "money",
                )
        heading("Costs")
        setting("LoadedCostFactor", "Loaded-cost factor", "costs.loaded_cost_factor")
        setting("MeritIncrease", "Merit increase", "costs.merit_increase")
        setting("MeritMonth", "Merit month (1-12)", "costs.merit_month")
        setting("PayAdjustment", "Pay adjustment on every base pay", "costs.pay_adjustment")
        setting(
            "ReplacementShare", "Hiring and training cost, share of a year's pay",
            "costs.replacement_cost_share",
        )  # fmt: skip
        setting("AgentBasePay", "Agent base pay a year (no roster)", "costs.agent_base_pay")
        prices = self.budget.prices
        for (level, location), pay in prices.bands.items():
            where = f" · {location}" if location else ", every site"
            put(_band_name(level, location), f"Agent base pay a year, {level}{where}", pay,
                "The career ladder's band midpoint: prices open requisitions and hires at "
                "this level and site.", path="ladder")  # fmt: skip
        hire_band = _band_of(prices, prices.level, prices.site)
        if prices.site_pay:
            self.values["HirePay"] = prices.hire_pay
            mix = "+".join(f"{_name('SiteHireShare', n)}*{_name('SiteHirePay', n)}"
                           for n in prices.site_pay)  # fmt: skip
            put("HirePay", "New hire base pay a year (the sites' mix)", f"={mix}",
                "Hires go to the in-house sites by their share of the gross FTE, each at its "
                "site's pay (Sites, below).", "formula")  # fmt: skip
        elif costs.new_hire_base_pay is None and hire_band:
            self.values["HirePay"] = prices.hire_pay
            put("HirePay", "New hire base pay a year", f"={hire_band}",
                f"{rationale['costs.new_hire_base_pay']} Here: {prices.source}.",
                "formula")  # fmt: skip
        elif costs.new_hire_base_pay is None:
            put("HirePay", "New hire base pay a year", prices.hire_pay,
                f"{rationale['costs.new_hire_base_pay']} Here: {prices.source}.",
                "money")  # fmt: skip
        else:
            setting("HirePay", "New hire base pay a year", "costs.new_hire_base_pay")
        other_pay = self._other_roles_annual_pay()
        if other_pay is not None:
            put(
                "OtherRolesAnnualPay",
                "Leads, managers and support roles on the roster: base pay a year",
                other_pay,
                "From the roster (their pay, else the new hire pay).",
                "money",
            )
        setting("OverheadPerMonth", "Overhead a month", "costs.overhead_per_month")
        setting("AIPlatformFee", "AI platform fee a month", "costs.ai_platform_fee_per_month")
        setting(
            "AIPricePerResolution", "AI price per automated resolution",
            "costs.ai_price_per_resolution",
        )  # fmt: skip
        setting("ARR", "Annual recurring revenue", "costs.annual_recurring_revenue")
        setting("ARRGrowth", "ARR growth over a year", "costs.arr_growth")
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
                "Share of the channel's contacts the vendor handles (the rest is in-house).",
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
        self._site_inputs(put, heading)
        self.values["Months"] = self.count
        row = self.row
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
        self.row = row + 8 + len(INPUT_RATIONALE)

    def _monthly(
        self, title: str, subtitle: str, months: pd.DatetimeIndex | None = None, first: int = FIRST
    ) -> _Sheet:
        months = self.months if months is None else months
        sheet = self.book.add_worksheet(title)
        sheet.write_string(0, 0, f"{subtitle}: {self.scenario.name}", self.fmt["title"])
        for col in range(first):
            sheet.write_string(HEADER_ROW, col, "", self.fmt["header_text"])
        for i, month in enumerate(months):
            sheet.write_datetime(HEADER_ROW, first + i, month.to_pydatetime(), self.fmt["header"])
        sheet.write_string(HEADER_ROW, first + len(months), "Total", self.fmt["header_text"])
        sheet.set_column(0, 0, 48)
        sheet.set_column(1, first - 1, 13)
        sheet.set_column(first, first + len(months), 12)
        sheet.freeze_panes(HEADER_ROW + 1, first)
        return _Sheet(sheet, len(months), first=first)

    def _demand(self) -> None:
        page, fmt = self.demand, self.fmt
        page.sheet.write_string(1, 0, "'Before growth' rows are the forecast after events and AI "
                                "deflection (values from the app); contacts are those x the "
                                "growth factor, a formula over GrowthPerYear.",
                                fmt["note"])  # fmt: skip
        days = np.array([_days_in(m) for m in self.months], dtype=float)
        head = page.head
        self._formula_row(page, "days", "Days", [f"=EDATE({head(m)},1)-{head(m)}"
                          for m in range(self.count)], days, "count", total=False)  # fmt: skip
        growth = self._growth()
        if self.scenario.demand.growth_driver == "trend":
            formulas = [
                f"=IF(GrowthPerYear=0,1,(1+GrowthPerYear)^(({head(m)}-ForecastStart)/365)"
                f"*((1+GrowthPerYear)^({page.cell('days', m)}/365)-1)"
                f"/({page.cell('days', m)}*((1+GrowthPerYear)^(1/365)-1)))"
                for m in range(self.count)
            ]
            self._formula_row(page, "growth", "Growth factor: the month's mean of "
                              "(1 + g)^(days since ForecastStart / 365)", formulas, growth,
                              "factor", total=False)  # fmt: skip
        else:
            self._value_row(page, "growth", "Growth factor (customers driver, from the app)",
                            growth, "factor", total=False)  # fmt: skip
        page.row += 1
        volume = self.budget.volume
        tiers = {tier.name for tier in self.scenario.service.tiers}
        volume = volume[~volume["channel"].astype(str).isin(tiers)]
        for what, label in (("contacts", "Contacts"), ("deflected", "Answered by AI"),
                            ("outside_hours", "Unserved: outside opening hours")):  # fmt: skip
            table = self._by_channel(volume, what)
            for channel, values in table.items():
                self._value_row(page, f"{what}:base:{channel}",
                                f"{label} before growth: {channel}", values / growth,
                                "count")  # fmt: skip
            keys = []
            for channel, values in table.items():
                key = f"{what}:{channel}"
                formulas = [
                    f"={page.cell(f'{what}:base:{channel}', m)}*{page.cell('growth', m)}"
                    for m in range(self.count)
                ]
                self._formula_row(page, key, f"{label}: {channel}", formulas, values, "count")
                keys.append(key)
            self._sum_row(page, f"{what}:all", f"{label}: all channels", keys, "count_total")
            page.row += 1
        short = self._by_channel(volume, "short_staffed")
        keys = []
        for channel, values in short.items():
            key = f"short_staffed:{channel}"
            self._value_row(page, key, f"Unserved: the team short (from the app): {channel}",
                            values, "count")  # fmt: skip
            keys.append(key)
        self._sum_row(page, "short_staffed:all", "Unserved, the team short: all channels", keys,
                      "count_total")  # fmt: skip
        self._sum_row(page, "unserved:all", "Unserved: all", ["outside_hours:all",
                      "short_staffed:all"], "count_total")  # fmt: skip
        self._escalations(page)
        self._vendor_sites(page)

    def _site_inputs(self, put, heading) -> None:
        """Per site: its exchange rate; a vendor site's price and minimum; an in-house
        site's share of the hires (a value: the app's routing) and a hire's pay there (its
        pay an hour x rate x paid hours a year, else the ladder's band at its location)."""
        sites = self.scenario.service.sites
        if not sites:
            return
        heading("Sites")
        prices = self.budget.prices
        fields = type(sites[0]).model_fields
        for site in sites:
            currency = site.currency or self.scenario.currency
            rate = _name("SiteRate", site.name)
            if site.currency:
                put(rate, f"{site.name}: {self.scenario.currency} for one {currency}",
                    site.exchange_rate, fields["exchange_rate"].description,
                    path="service.sites")  # fmt: skip
            else:
                put(rate, f"{site.name}: priced in the plan's currency", 1.0,
                    "No currency of its own: no exchange.", "value")  # fmt: skip
            if site.vendor:
                per_contact = site.price_per_contact is not None
                put(_name("SitePrice", site.name),
                    f"{site.name}: price per {'contact' if per_contact else 'handled hour'} "
                    f"({currency})",
                    site.price_per_contact if per_contact else site.price_per_hour,
                    "The vendor site's price.", path="service.sites")  # fmt: skip
                put(_name("SiteMinimum", site.name), f"{site.name}: least billed a month "
                    f"({currency})", site.minimum_per_month,
                    fields["minimum_per_month"].description, path="service.sites")  # fmt: skip
                continue
            if site.name not in prices.site_pay:
                continue
            share = self.result.bases[self.scenario.workforce.plan_to].hire_sites[site.name]
            put(_name("SiteHireShare", site.name), f"{site.name}: share of the in-house gross "
                "FTE (its share of the hires)", share, "The app's routing of each interval, "
                "over the plan.", "value")  # fmt: skip
            pay_name = _name("SiteHirePay", site.name)
            self.values[pay_name] = prices.site_pay[site.name]
            band = _band_of(prices, prices.level, site.pay_location) if prices.level else ""
            if site.cost_per_hour is not None:
                hourly = _name("SitePayPerHour", site.name)
                put(hourly, f"{site.name}: base pay an hour ({currency})", site.cost_per_hour,
                    fields["cost_per_hour"].description, path="service.sites")  # fmt: skip
                put(pay_name, f"{site.name}: a hire's base pay a year",
                    f"={hourly}*{rate}*HoursPerFTE*52", "Pay an hour x rate x paid hours a "
                    "year.", "formula")  # fmt: skip
            elif band:
                put(pay_name, f"{site.name}: a hire's base pay a year", f"={band}",
                    "The ladder's entry band at the site's location.", "formula")  # fmt: skip
            else:
                put(pay_name, f"{site.name}: a hire's base pay a year",
                    prices.site_pay[site.name], "The plan's hire pay.", "money")  # fmt: skip

    def _vendor_sites(self, page: _Sheet) -> None:
        """Per vendor site: its share of all contacts (a value: the app's routing, interval
        by interval) and the contacts it takes (and their handle hours when it is paid by
        the hour), formulas over the contacts."""
        sites = [site for site in self.scenario.service.sites if site.vendor]
        if not sites:
            return
        page.row += 1
        bound = self.scenario.workforce.plan_to
        table = self.result.requirements.fte_by_site("M")
        everyone = self._cached["Demand"]["contacts:all"]
        for site in sites:
            rows = table[table["site"] == site.name].set_index("period").reindex(self.months)
            taken = rows[f"contacts_{bound}"].fillna(0).to_numpy(float)
            share = np.divide(taken, everyone, out=np.zeros(self.count), where=everyone > 0)
            self._value_row(page, f"site_share:{site.name}", f"Share of all contacts routed "
                            f"to {site.name} (app: by interval)", share, "share",
                            total=False)  # fmt: skip
            contacts = [
                f"={page.cell('contacts:all', m)}*{page.cell(f'site_share:{site.name}', m)}"
                for m in range(self.count)
            ]
            self._formula_row(page, f"site_contacts:{site.name}", f"Contacts to {site.name}",
                              contacts, taken, "count")  # fmt: skip
            if site.price_per_hour is None:
                continue
            hours = rows[f"handle_hours_{bound}"].fillna(0).to_numpy(float)
            per = np.divide(hours, taken, out=np.zeros(self.count), where=taken > 0)
            self._value_row(page, f"site_per:{site.name}", f"Handle hours per contact at "
                            f"{site.name} (app)", per, "factor", total=False)  # fmt: skip
            taken_at = lambda m, n=site.name: page.cell(f"site_contacts:{n}", m)  # noqa: E731
            per_at = lambda m, n=site.name: page.cell(f"site_per:{n}", m)  # noqa: E731
            handled = [f"={taken_at(m)}*{per_at(m)}" for m in range(self.count)]
            self._formula_row(page, f"site_hours:{site.name}", f"Handle hours at {site.name}",
                              handled, hours, "fte")  # fmt: skip

    def _escalations(self, page: _Sheet) -> None:
        """Per tier: the app's escalations per escalated share of their sources (what the
        delay and first-contact resolution leave, a value) and the escalations, a formula
        over the tier's share and the contacts (or escalations) they come from."""
        service = self.scenario.service
        if not service.tiers:
            return
        page.row += 1
        bound = self.scenario.workforce.plan_to
        fte = self.result.requirements.fte("M")
        fte = fte[fte["period"].isin(self.months)]
        for tier in service.tiers:
            sources = [
                f"contacts:{s}" if s in service.channels else f"escalations:{s}"
                for s in tier.escalates_from or list(service.channels)
            ]
            sources = [key for key in sources if key in page.rows]
            arriving = self._sum_values(page, sources) if sources else np.zeros(self.count)
            part = fte[fte["channel"] == tier.name].set_index("period").reindex(self.months)
            escalated = part[f"calls_{bound}"].fillna(0).to_numpy(float)  # no vendor takes a tier
            per_share = np.divide(escalated, tier.share * arriving, out=np.zeros(self.count),
                                  where=tier.share * arriving > 0)  # fmt: skip
            self._value_row(page, f"carried:{tier.name}", f"Escalations per escalated "
                            f"contact (from the app: delay, resolution): {tier.name}",
                            per_share, "factor", total=False)  # fmt: skip
            share = _name("Escalated", tier.name)
            formulas = [
                f"={share}*{page.cell(f'carried:{tier.name}', m)}*("
                + ("+".join(page.cell(key, m) for key in sources) or "0")
                + ")"
                for m in range(self.count)
            ]
            self._formula_row(page, f"escalations:{tier.name}", f"Escalations: {tier.name}",
                              formulas, escalated, "count")  # fmt: skip

    def _staffing(self) -> None:
        page = self.staffing
        page.sheet.write_string(1, 0, "Agent hours = handle hours x the hours Erlang C/A (live "
                                "channels) or the workload model (email, forms) needed per "
                                "handle hour, and the shifts' fit (the schedule solver): the "
                                "last two are values from the app. FTE are formulas.",
                                self.fmt["note"])  # fmt: skip
        bound = self.scenario.workforce.plan_to
        frame = self.result.requirements.fte("M")
        frame = frame[frame["period"].isin(self.months)]
        service_settings = self.scenario.service
        services = service_settings.queues()
        tiers = {tier.name for tier in service_settings.tiers}
        gross_keys = []
        for channel in frame["channel"].cat.categories:
            part = frame[frame["channel"] == channel].set_index("period").reindex(self.months)
            hours = part[f"agent_hours_{bound}"].fillna(0).to_numpy(float)
            days = part["days"].fillna(0).to_numpy(float)
            parent, language = service_settings.language_of(channel)
            vendors = [i for i, v in enumerate(self.scenario.costs.vendors, start=1)
                       if v.channel == parent]  # fmt: skip
            kept = max(1 - sum(self.scenario.costs.vendors[i - 1].share for i in vendors), 0.0)
            spoken, in_language = "", 1.0
            if language is not None:
                spoken = "*" + _name("LanguageShare", channel)
                in_language = self.values[_name("LanguageShare", channel)]
            arriving = f"escalations:{parent}" if parent in tiers else f"contacts:{parent}"
            contacts = self._cached["Demand"].get(arriving, np.zeros(self.count)) * in_language
            shares = "".join(f"-Vendor{i}Share" for i in vendors)
            in_house = [
                f"={self.demand.span(arriving, m)}*MAX(0,1{shares}){spoken}"
                if arriving in self.demand.rows
                else "=0"
                for m in range(self.count)
            ]
            self._formula_row(page, f"in_house:{channel}", f"In-house contacts: {channel}",
                              in_house, contacts * kept, "count")  # fmt: skip
            service = services.get(channel)
            aht = _name("AHT", parent) if service else "0"
            handle = contacts * kept * (service.aht_seconds if service else 0.0) / 3600
            self._formula_row(page, f"handle:{channel}", f"Handle hours: {channel}", [
                f"={page.cell(f'in_house:{channel}', m)}*{aht}/3600" for m in range(self.count)
            ], handle, "fte")  # fmt: skip
            per_hour = np.divide(hours, handle, out=np.zeros_like(hours), where=handle > 0)
            deferred = service is not None and service.model == "deferred"
            what = "workload model" if deferred else "queueing, service target, occupancy cap"
            self._value_row(page, f"per_hour:{channel}", f"Agent hours per handle hour: "
                            f"{channel} (app: {what}, interval peaks)", per_hour, "factor",
                            total=False)  # fmt: skip
            handle_now = lambda m, c=channel: page.cell(f"handle:{c}", m)  # noqa: E731
            factor = lambda m, c=channel: page.cell(f"per_hour:{c}", m)  # noqa: E731
            if deferred:
                occupancy = self.scenario.workforce.occupancy_target
                scaled = [f"={handle_now(m)}*{factor(m)}*{occupancy!r}/OccupancyTarget"
                          for m in range(self.count)]  # fmt: skip
            else:
                self._value_row(page, f"handle0:{channel}", f"Handle hours the app staffed: "
                                f"{channel}", handle, "fte")  # fmt: skip
                busy = 1 / (service.concurrency if service else 1.0)
                scaled = [
                    f"={handle_now(m)}*({busy!r}+({factor(m)}-{busy!r})"
                    f"*SQRT({page.cell(f'handle0:{channel}', m)}/{handle_now(m)}))"
                    for m in range(self.count)
                ]
            agent_hours = [
                f"=IF({handle_now(m)}>0,{scaled[m][1:]},0)" if handle[m] > 0 else f"={hours[m]!r}"
                for m in range(self.count)
            ]
            self._formula_row(page, f"hours:{channel}", f"Agent hours: {channel}", agent_hours,
                              hours, "fte")  # fmt: skip
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
            app_gross = part[f"gross_fte_{bound}"].fillna(0).to_numpy(float)
            if f"shrunk_hours_{bound}" in self.result.requirements.daily:
                sited = np.divide(app_gross, gross_values, out=np.ones(self.count),
                                  where=gross_values > 0)  # fmt: skip
                self._value_row(page, f"sited:{channel}", f"Gross-up for the sites' own "
                                f"shrinkage: {channel} (app: each site's hours by its "
                                "shrinkage)", sited, "factor", total=False)  # fmt: skip
                gross = [f"{g}*{page.cell(f'sited:{channel}', m)}" for m, g in enumerate(gross)]
                gross_values = gross_values * sited
            self._formula_row(page, f"gross:{channel}", f"Gross FTE: {channel}", gross,
                              gross_values, "fte", total=False)  # fmt: skip
            gross_keys.append(f"gross:{channel}")
            page.row += 1
        self._sum_row(page, "gross:all", "Gross FTE needed: all channels", gross_keys,
                      "fte_total", total=False)  # fmt: skip

    def _capacity(self) -> None:
        """The roll-forward of ``planner.capacity`` as formulas: each cohort's people and
        productive FTE by month, and one recommended class per month sized to the gap left
        by the cohorts and the classes before it (the app's greedy rule)."""
        page, fmt, sheet = self.capacity, self.fmt, self.capacity.sheet
        sheet.write_string(1, 0, "people(t) = people(t-1) x (1 - leavers a month); productive "
                           "FTE = people x share of the month on the floor x ramp. A class for "
                           "month t starts RampMonths and TrainingWeeks before it (RecruitingLead"
                           "Days after PlanDay at the earliest) and is sized to the gap at full "
                           "productivity: all formulas over the Assumptions.",
                           fmt["note"])  # fmt: skip
        for col, text in enumerate(("", "Starts", "On the floor", "People")):
            sheet.write_string(HEADER_ROW, col, text, fmt["header_text"])
        sheet.set_column(1, 2, 13, fmt["date_value"])
        workforce = self.scenario.workforce
        head = page.head
        self._formula_row(page, "end", "Month ends", [f"=EDATE({head(m)},1)"
                          for m in range(page.months)], [_serial(m + pd.offsets.MonthBegin(1))
                          for m in self.span], "date_value", total=False)  # fmt: skip
        self._formula_row(page, "days", "Days", [f"={page.cell('end', m)}-{head(m)}"
                          for m in range(page.months)], [_days_in(m) for m in self.span],
                          "count", total=False)  # fmt: skip
        required = np.concatenate([np.zeros(self.skip), self._gross_values()])
        self._formula_row(page, "required", "Gross FTE needed (Staffing)", [
            "=0" if m < self.skip else f"={self.staffing.span('gross:all', m - self.skip)}"
            for m in range(page.months)], required, "fte", total=False)  # fmt: skip
        page.row += 1
        base = list(self.result.capacity.cohorts)
        rolled = _supply(base, self.span, workforce)

        def block(title: str) -> None:
            sheet.write_string(page.row, 0, title, fmt["label_total"])
            page.row += 1

        block("People on the payroll: roster, open requisitions, planned classes")
        self.base_rows = []
        for i, cohort in enumerate(base):
            row = page.row
            on_floor = cohort.start + dt.timedelta(weeks=workforce.training_weeks)
            _cohort_cells(
                sheet,
                fmt,
                row,
                cohort.start,
                cohort.people,
                (cohort.people, cohort.start, on_floor),
                typed=cohort.source == "hiring plan",  # the scenario's own classes: inputs
            )
            self._formula_row(page, f"people:{i}", _cohort_text(cohort), [
                _people(page, m, row, f"$D${row + 1}") for m in range(page.months)
            ], rolled["cohort_people"][i], "fte", total=False)  # fmt: skip
            self.base_rows.append(row)
        block("Productive FTE of those cohorts")
        for i, row in enumerate(self.base_rows):
            self._formula_row(page, f"available:{i}", _cohort_text(base[i]), [
                f"={page.cell(f'people:{i}', m)}*{_productive(page, m, row)}"
                for m in range(page.months)
            ], rolled["cohort_available"][i], "fte", total=False)  # fmt: skip
        self._sum_row(
            page,
            "base_people",
            "People: roster, requisitions and planned classes",
            [f"people:{i}" for i in range(len(base))],
            "fte_total",
            total=False,
        )
        self._sum_row(page, "base_available", "Productive FTE: roster, requisitions and planned "
                      "classes", [f"available:{i}" for i in range(len(base))], "fte_total",
                      total=False)  # fmt: skip
        page.row += 1
        self._recommended(page, required, rolled["available"])

    def _recommended(self, page: _Sheet, required: np.ndarray, base_available: np.ndarray):
        """One class per plan month (zero people when nothing is short), as ``capacity``'s
        greedy rule sizes them; values computed the same way for a viewer that does not
        recalculate."""
        sheet, fmt, workforce = page.sheet, self.fmt, self.scenario.workforce
        today = self.result.capacity.today
        lead = dt.timedelta(days=workforce.recruiting_lead_days)
        training = dt.timedelta(weeks=workforce.training_weeks)
        slots = range(self.skip, page.months)
        count = len(slots)
        first_slot = page.row + 1  # zero-based row of the first class; its title above
        starts, sizes, gaps, per_person = [], [], [], []
        at_full = np.zeros(page.months)
        for col in slots:
            month = self.span[col]
            on_floor = (month - pd.DateOffset(months=workforce.ramp_months)).date()
            start = on_floor - training
            if start - lead < today:
                start = today + lead
            one = _supply([Cohort(start, 1.0, "recommended")], self.span, workforce)
            present, delivers = one["cohort_people"][0], one["cohort_available"][0]
            full = np.where(delivers > 0, present, 0.0)
            later = full[col:][full[col:] > 0]
            ready = later[0] if len(later) else 0.0
            gap = required[col] - base_available[col] - at_full[col]
            size = 0 if gap <= 1e-9 or ready <= 0 else math.ceil(gap / ready - 1e-9)
            at_full += size * full
            starts.append(start)
            sizes.append(size)
            gaps.append(gap)
            per_person.append((present, delivers, full, ready))
        sheet.write_string(page.row, 0, "Recommended classes: people", fmt["label_total"])
        page.row += 1
        self.slot_rows = []
        # each block: a title, a row per class, a blank row
        blocks = {name: first_slot + (count + 2) * k for k, name in
                  enumerate(("people", "delivers", "full", "ready"), start=1)}  # fmt: skip
        for j, col in enumerate(slots):
            row = page.row
            month = self.span[col]
            target = page.head(col)
            start = (
                f"=IF(EDATE({target},-RampMonths)-7*TrainingWeeks-RecruitingLeadDays<PlanDay,"
                f"PlanDay+RecruitingLeadDays,EDATE({target},-RampMonths)-7*TrainingWeeks)"
            )
            ready = xl_rowcol_to_cell(blocks["ready"] + j, page.first + page.months - 1)
            gap = xl_rowcol_to_cell(blocks["ready"] + j, 3)
            size = f"=IF(OR({gap}<=1E-9,{ready}<=0),0,CEILING({gap}/{ready}-1E-9,1))"
            on_floor = starts[j] + dt.timedelta(weeks=workforce.training_weeks)
            _cohort_cells(sheet, fmt, row, start, size, (sizes[j], starts[j], on_floor))
            person = blocks["people"] + j + 1
            self._formula_row(page, f"class:{j}", f"Class for {month:%b %Y}", [
                f"=$D${row + 1}*{xl_col_to_name(page.first + m)}{person}"
                for m in range(page.months)
            ], sizes[j] * per_person[j][0], "fte", total=False)  # fmt: skip
            self.slot_rows.append(row)
        page.row += 1
        for name, title in (("people", "Per person of a class: on the payroll"),
                            ("delivers", "Per person: productive FTE"),
                            ("full", "Per person: counted at full once on the floor"),
                            ("ready", "Per person, from the month it is for: first month "
                             "counted at full (column D: the gap it closes, FTE)")):  # fmt: skip
            sheet.write_string(page.row, 0, title, fmt["label_total"])
            page.row += 1
            assert page.row == blocks[name]
            for j, col in enumerate(slots):
                row, slot = page.row, self.slot_rows[j] + 1
                label = f"Class for {self.span[col]:%b %Y}"
                present, delivers, full, ready = per_person[j]
                if name == "people":
                    formulas = [_people(page, m, row, "1", slot - 1) for m in range(page.months)]
                    values = present
                elif name == "delivers":
                    formulas = [f"={xl_rowcol_to_cell(blocks['people'] + j, page.first + m)}"
                                f"*{_productive(page, m, slot - 1)}"
                                for m in range(page.months)]  # fmt: skip
                    values = delivers
                elif name == "full":
                    formulas = [f"=IF({xl_rowcol_to_cell(blocks['delivers'] + j, page.first + m)}"
                                f">0,{xl_rowcol_to_cell(blocks['people'] + j, page.first + m)},0)"
                                for m in range(page.months)]  # fmt: skip
                    values = full
                else:
                    formulas, values = [], []
                    for m in range(page.months):
                        here = xl_rowcol_to_cell(blocks["full"] + j, page.first + m)
                        before = xl_rowcol_to_cell(row, page.first + m - 1)
                        formulas.append("=0" if m < col else f"={here}" if m == col
                                        else f"=IF({before}>0,{before},{here})")  # fmt: skip
                    values = _running_first(full, col)
                    gap = f"={page.cell('required', col)}-{page.cell('base_available', col)}"
                    if j:
                        sizes_range = f"$D${first_slot + 1}:$D${first_slot + j}"
                        full_range = (
                            f"{xl_col_to_name(page.first + col)}{blocks['full'] + 1}:"
                            f"{xl_col_to_name(page.first + col)}{blocks['full'] + j}"
                        )
                        gap += f"-SUMPRODUCT({sizes_range},{full_range})"
                    sheet.write_formula(row, 3, gap, fmt["fte"], gaps[j])
                self._formula_row(page, f"per_person_{name}:{j}", label, formulas, values, "factor",
                                  total=False)  # fmt: skip
            page.row += 1
        size_range = f"$D${first_slot + 1}:$D${first_slot + count}"

        def weighted(name: str) -> list[str]:
            col = lambda m: xl_col_to_name(page.first + m)  # noqa: E731
            return [f"=SUMPRODUCT({size_range},{col(m)}{blocks[name] + 1}:{col(m)}"
                    f"{blocks[name] + count})" for m in range(page.months)]  # fmt: skip

        hired = sum(s * p[1] for s, p in zip(sizes, per_person, strict=True))
        self._formula_row(
            page,
            "recommended_available",
            "Productive FTE of the recommended classes",
            weighted("delivers"),
            hired,
            "fte",
            total=False,
        )
        available = base_available + hired
        self._formula_row(page, "with_classes", "Productive FTE with the recommended classes", [
            f"={page.cell('base_available', m)}+{page.cell('recommended_available', m)}"
            for m in range(page.months)], available, "fte_total", total=False)  # fmt: skip
        self._formula_row(page, "gap_after", "Gap after the classes (FTE short; negative: "
                          "surplus)", [f"={page.cell('required', m)}-"
                          f"{page.cell('with_classes', m)}" for m in range(page.months)],
                          required - available, "fte", total=False)  # fmt: skip
        self.slot_starts, self.slot_sizes = starts, sizes
        self.slot_people = [s * p[0] for s, p in zip(sizes, per_person, strict=True)]

    def _headcount(self) -> None:
        page, fmt = self.headcount, self.fmt
        page.sheet.write_string(1, 0, "People and starters of each cohort come from the Capacity "
                                "sheet (formulas). Column B is each cohort's annual base pay "
                                "(the roster's; open requisitions at their level and site; new "
                                "hires at HirePay).", fmt["note"])  # fmt: skip
        base = list(self.result.capacity.cohorts)
        recommended = [
            Cohort(start, float(size), "recommended", f"for {self.span[col]:%b %Y}")
            for start, size, col in zip(self.slot_starts, self.slot_sizes,
                                        range(self.skip, len(self.span)), strict=True)
        ]  # fmt: skip
        cohorts = base + recommended
        rows = self.base_rows + self.slot_rows
        people = [self._cached["Capacity"][f"people:{i}"] for i in range(len(base))]
        people += self.slot_people
        costs = self.scenario.costs
        labels = list(dict.fromkeys(_pay_label(c) for c in cohorts))
        order = sorted(range(len(cohorts)), key=lambda i: labels.index(_pay_label(cohorts[i])))
        self.cohort_rows: dict[str, tuple[int, int]] = {}
        self.starter_rows: dict[str, tuple[int, int]] = {}
        months = self.span[self.skip :].to_numpy().astype("datetime64[M]")
        for block, rows_of in (("people", self.cohort_rows), ("starters", self.starter_rows)):
            page.sheet.write_string(page.row, 0, "People on the payroll" if block == "people"
                                    else "Starters", fmt["label_total"])  # fmt: skip
            page.row += 1
            for i in order:
                cohort, source = cohorts[i], rows[i] + 1
                label = _pay_label(cohort)
                first, _ = rows_of.get(label, (page.row, page.row))
                rows_of[label] = (first, page.row)
                key = f"{block}:{i}"
                if block == "people":
                    formulas = [f"=Capacity!{self.capacity.cell_at(rows[i], self.skip + m)}"
                                for m in range(self.count)]  # fmt: skip
                    values = people[i][self.skip :]
                else:
                    formulas = [
                        f"=IF((YEAR({page.head(m)})-YEAR(Capacity!$B${source}))*12+MONTH("
                        f"{page.head(m)})-MONTH(Capacity!$B${source})=0,Capacity!$D${source},0)"
                        for m in range(self.count)
                    ]
                    began = np.datetime64(cohort.start, "M")
                    values = np.where(months == began, cohort.people, 0.0)
                self._formula_row(page, key, _cohort_text(cohort), formulas, values, "fte")
                pay_cell = xl_rowcol_to_cell(page.rows[key], 1)
                if cohort.annual_base_pay is not None or (
                    cohort.source == "open requisition" and cohort.level
                ):
                    pay = self.budget.prices.of(cohort, costs.agent_base_pay)
                    band = cohort.annual_base_pay is None and _band_of(
                        self.budget.prices, cohort.level, cohort.location
                    )
                    if band:
                        page.sheet.write_formula(pay_cell, f"={band}", fmt["derived"], pay)
                    else:
                        page.sheet.write_number(pay_cell, pay, fmt["value"])
                else:
                    name = "AgentBasePay" if cohort.source == "starting FTE" else "HirePay"
                    pay = costs.agent_base_pay if name == "AgentBasePay" else self.budget.hire_pay
                    page.sheet.write_formula(pay_cell, f"={name}", fmt["derived"], pay)
            keys = [f"{block}:{i}" for i in order]
            self._sum_row(page, f"{block}:all", "Agents on the payroll" if block == "people"
                          else "Starters, all cohorts", keys, "fte_total")  # fmt: skip
            page.row += 1
        self.pay_labels = labels
        staff = self.budget.staff
        org = self.result.org
        if self.span_roles:
            others = float(self.roster.others["fte"].sum()) if self.roster is not None else 0.0
            self._value_row(page, "roster_seats", "Leads, managers and support roles on the "
                            "roster (seats)", np.full(self.count, others), "fte",
                            total=False)  # fmt: skip
            agents = self._cached["Headcount"]["people:all"]
            need = required_roles(agents, self.scenario.org)
            extra_keys = []
            for role in DERIVED_ROLES:
                below = {"lead": "people:all", "manager": "needed:lead",
                         "director": "needed:manager"}.get(role, "people:all")  # fmt: skip
                rule = _name("Span", role)
                if role in ("lead", "manager", "director"):
                    formulas = [f"=CEILING(ROUND({page.cell(below, m)}/{rule},9),1)"
                                for m in range(self.count)]  # fmt: skip
                else:
                    formulas = [f"=FLOOR(ROUND({page.cell(below, m)}/{rule},9)+0.5,1)"
                                for m in range(self.count)]  # fmt: skip
                self._formula_row(page, f"needed:{role}", f"{ROLE_WORDS[role].capitalize()}s "
                                  "the span rules need", formulas, need[role], "fte",
                                  total=False)  # fmt: skip
                filled = float(org.months[f"{role}_filled"].iloc[0])
                self._formula_row(page, f"extra:{role}", f"  beyond the {filled:g} filled today",
                                  [f"=MAX({page.cell(f'needed:{role}', m)}-{filled!r},0)"
                                   for m in range(self.count)],
                                  np.maximum(need[role] - filled, 0), "fte",
                                  total=False)  # fmt: skip
                extra_keys.append(f"extra:{role}")
            self._formula_row(page, "new_roles", "New leads, managers and support roles: base "
                              "pay a month (before merit)", [
                                  "=(" + "+".join(f"{page.cell(f'extra:{r}', m)}*"
                                                  f"{_name('RolePay', r)}" for r in DERIVED_ROLES)
                                  + ")/12" for m in range(self.count)],
                              org.extra_pay(), "money")  # fmt: skip
            self._sum_row(page, "other_seats", "Other roles (seats: leads, managers, support)",
                          ["roster_seats", *extra_keys], "fte_total", total=False)  # fmt: skip
        else:
            self._value_row(page, "other_seats", "Other roles (seats: leads, managers, support)",
                            staff["other_staff"].to_numpy(float), "fte")  # fmt: skip
        if org is not None and org.projection is not None:
            self._value_row(page, "promotions", "Promotions: base pay added a month (ladder "
                            "projection, before merit; from the app)", org.projection.cost_effect,
                            "money")  # fmt: skip

    def _budget(self) -> None:
        page, fmt = self.costs, self.fmt
        page.sheet.write_string(1, 0, "Every amount is a formula over the Assumptions and the "
                                "other sheets.", fmt["note"])  # fmt: skip
        merit = _merit_factor(self.months, self.scenario.costs.merit_month,
                              self.scenario.costs.merit_increase)  # fmt: skip
        factor = merit * (1 + self.scenario.costs.pay_adjustment)
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
        for name in self._line_names():
            build = self._line_formula(name, agent_pay_keys, other_pay_keys)
            key = f"line:{name}"
            formulas = [build(m) for m in range(self.count)]
            values = amounts.get(name, np.zeros(self.count))
            self._formula_row(page, key, name, formulas, values, "money")
            keys.append(key)
            if name.startswith("Base pay: "):
                others = "leads, managers" in name
                (other_pay_keys if others else agent_pay_keys).append(key)
            elif name == "Promotions along the ladder":
                agent_pay_keys.append(key)
        self._sum_row(page, "total", "Total", keys, "money_total")
        page.row += 1
        self._kpis(page)

    def _line_names(self) -> list[str]:
        """The app's budget lines, and the lines a change in the workbook can call for
        that the app's plan did not need (new hires, new leads and support roles)."""
        names = list(self.budget.lines["line"].unique())
        hires = [f"Base pay: new hires · {site}" for site in self.budget.prices.site_pay]
        wanted = (hires or ["Base pay: new hires"]) + (
            ["Base pay: new leads, managers and support roles"] if self.span_roles else []
        )
        for name in wanted:
            if name not in names:
                last_pay = max(i for i, n in enumerate(names) if n.startswith("Base pay: "))
                names.insert(last_pay + 1, name)
        return names

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
        match = re.fullmatch(r"Base pay: new hires · (.+)", name)
        if match:
            part = (f"{_name('SiteHireShare', match.group(1))}"
                    f"*{_name('SiteHirePay', match.group(1))}/HirePay")  # fmt: skip
            return lambda m: (f"={rows_sum(self.cohort_rows, 'new hires', m)}/12*{factor(m)}"
                              f"*{part}")  # fmt: skip
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
        match = re.fullmatch(r"Vendor site: (.+)", name)
        if match:
            site = match.group(1)
            price, least = _name("SitePrice", site), _name("SiteMinimum", site)
            key = f"site_hours:{site}" if f"site_hours:{site}" in self.demand.rows else (
                f"site_contacts:{site}")  # fmt: skip
            return lambda m: (f"=MAX({self.demand.span(key, m)}*{price},{least})"
                              f"*{_name('SiteRate', site)}")  # fmt: skip
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
            1 + costs.arr_growth * np.arange(self.count) / 12
        )
        self._formula_row(page, "arr", "ARR (grows over the year)", arr, arr_values, "money",
                          total=False)  # fmt: skip
        first = xl_rowcol_to_cell(page.rows["arr"], FIRST)
        last = xl_rowcol_to_cell(page.rows["arr"], FIRST + self.count - 1)
        period = self.scenario.period_label
        block = [
            (f"Budget, {period}", f"={total}", numbers.total, "money_total"),
            (f"Contacts handled, {period}", f"={contacts}", numbers.handled, "count"),
            ("Cost per ticket", f"={total}/{contacts}", numbers.cost_per_ticket, "cents"),
            ("Share of ARR", f"={total}/{self.count}*12/AVERAGE({first}:{last})",
             numbers.share_of_arr, "share"),
        ]  # fmt: skip
        page.row += 1
        for label, formula, value, style in block:
            page.sheet.write_string(page.row, 0, label, self.fmt["label_total"])
            page.sheet.write_formula(page.row, FIRST, formula, self.fmt[style], value)
            page.rows[label] = page.row
            page.row += 1

    def _checks(self) -> None:
        """Where the app computed a value from an input with math the workbook does not
        redo (queueing, the ladder projection, the short months' unserved contacts): the
        input then and now, and a status that turns red once they differ."""
        sheet, fmt = self.assumptions, self.fmt
        row = self.row + 1
        sheet.write_string(row, 0, "Checks: what the app computed with, and the inputs now",
                           fmt["header_text"])  # fmt: skip
        for col, text in enumerate(("Computed with", "Now", "", "Status"), start=1):
            sheet.write_string(row, col, text, fmt["header_text"])
        row += 1
        checks: list[tuple[str, float, str, str]] = []
        exact = "Re-export for the exact queueing and shift schedule"
        staffing = self.staffing
        for key in staffing.rows:
            if key.startswith("handle:"):
                channel = key.removeprefix("handle:")
                first, last = staffing.cell(key, 0), staffing.cell(key, self.count - 1)
                checks.append((f"Staffing of {channel}: queueing and shifts computed for these "
                               "handle hours", float(self._cached["Staffing"][key].sum()),
                               f"=SUM(Staffing!{first}:{last})", exact))  # fmt: skip
        checks.append(
            (
                "Shifts of deferred work computed at this occupancy target",
                self.scenario.workforce.occupancy_target,
                "=OccupancyTarget",
                exact,
            )
        )
        people = self.headcount
        first, last = people.cell("people:all", 0), people.cell("people:all", self.count - 1)
        agents = f"Headcount!{first}:{last}"
        if "promotions" in people.rows:
            checks.append(("Promotions: projected for this many agents on average",
                           float(self._cached["Headcount"]["people:all"].mean()),
                           f"=AVERAGE({agents})",
                           "Re-export: the ladder projection counted other agents"))  # fmt: skip
        bands = [_band_name(*key) for key in self.budget.prices.bands]
        if "promotions" in people.rows and bands:
            checks.append(("Promotions: priced at these agent pays (the bands' sum)",
                           sum(self.budget.prices.bands.values()), "=" + "+".join(bands),
                           "Re-export: the promotions were priced at other bands"))  # fmt: skip
        short = self._cached["Capacity"]["gap_after"][self.skip :]
        gaps = (
            f"Capacity!{self.capacity.cell('gap_after', self.skip)}:"
            f"{self.capacity.cell('gap_after', len(self.span) - 1)}"
        )
        checks.append(
            (
                "Unserved contacts: FTE short after the classes, summed over months",
                float(np.clip(short, 0, None).sum()),
                f'=SUMIF({gaps},">0")',
                "Re-export: the unserved contacts were counted for other gaps",
            )
        )
        for label, then, now, warning in checks:
            sheet.write_string(row, 0, label)
            sheet.write_number(row, 1, then, fmt["value"])
            sheet.write_formula(row, 2, now, fmt["value"], then)
            sheet.write_formula(row, 4, f'=IF(ABS(C{row + 1}-B{row + 1})<=1E-6*MAX(1,ABS(B'
                                f'{row + 1})),"OK","{warning}")', fmt["check"], "OK")  # fmt: skip
            row += 1
        sheet.conditional_format(
            row - len(checks),
            4,
            row - 1,
            4,
            {"type": "cell", "criteria": "!=", "value": '"OK"', "format": fmt["check_red"]},
        )

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
            sheet.write_number(page.row, page.first + m, float(value), self.fmt[style])
        if total:
            self._total(page, style, float(np.sum(values)))
        page.rows[key] = page.row
        page.row += 1

    def _formula_row(self, page, key, label, formulas, values, style, total=True) -> None:
        self._keep(page, key, values)
        sheet = page.sheet
        sheet.write_string(page.row, 0, label)
        for m, (formula, value) in enumerate(zip(formulas, values, strict=True)):
            sheet.write_formula(page.row, page.first + m, formula, self.fmt[style], float(value))
        if total:
            self._total(page, style, float(np.sum(values)))
        page.rows[key] = page.row
        page.row += 1

    def _sum_row(self, page, key, label, keys, style, total=True) -> None:
        rows = [page.rows[k] for k in keys]
        if len(rows) > 2 and rows == list(range(rows[0], rows[0] + len(rows))):
            formulas = [f"=SUM({page.cell(keys[0], m)}:{page.cell(keys[-1], m)})"
                        for m in range(page.months)]  # fmt: skip
        else:
            formulas = [
                "=" + "+".join(page.cell(k, m) for k in keys) if keys else "=0"
                for m in range(page.months)
            ]
        values = self._sum_values(page, keys)
        self._keep(page, key, values)
        page.sheet.write_string(page.row, 0, label, self.fmt["label_total"])
        for m, (formula, value) in enumerate(zip(formulas, values, strict=True)):
            page.sheet.write_formula(
                page.row, page.first + m, formula, self.fmt[style], float(value)
            )
        if total:
            self._total(page, style, float(np.sum(values)))
        page.rows[key] = page.row
        page.row += 1

    def _total(self, page: _Sheet, style: str, value: float) -> None:
        first = xl_rowcol_to_cell(page.row, page.first)
        last = xl_rowcol_to_cell(page.row, page.first + page.months - 1)
        total_style = style if style.endswith("_total") else f"{style}_total"
        page.sheet.write_formula(
            page.row, page.first + page.months, f"=SUM({first}:{last})",
            self.fmt.get(total_style, self.fmt[style]), value,
        )  # fmt: skip

    def _sum_values(self, page: _Sheet, keys: list[str]) -> np.ndarray:
        """The cached values of a sum row: read back from what was written."""
        return sum((self._cached[page.sheet.name][k] for k in keys), np.zeros(page.months))

    # --- values behind the rows ----------------------------------------------------------

    def _by_channel(self, volume: pd.DataFrame, column: str) -> dict[str, np.ndarray]:
        table = volume.pivot_table(index="month", columns="channel", values=column,
                                   aggfunc="sum").reindex(self.months).fillna(0.0)  # fmt: skip
        return {str(c): table[c].to_numpy(float) for c in table.columns}

    def _growth(self) -> np.ndarray:
        """The app's growth factor of each plan month: the mean over its days of
        ``demand.growth_factor`` since the forecast's first day."""
        start = np.datetime64(self.forecast_start, "D")
        factors = []
        for month in self.months:
            days = np.arange(np.datetime64(month, "M"), np.datetime64(month, "M") + 1,
                             dtype="datetime64[D]")  # fmt: skip
            ahead = (days - start).astype(float)
            factors.append(growth_factor(ahead, self.scenario.demand).mean())
        return np.array(factors)

    def _gross_values(self) -> np.ndarray:
        return self._cached["Staffing"]["gross:all"]

    def _other_roles_annual_pay(self) -> float | None:
        names = set(self.budget.lines["line"])
        if "Base pay: leads, managers and support roles" not in names or self.roster is None:
            return None
        others = self.roster.others
        pay = others["annual_base_pay"].fillna(self.budget.hire_pay)
        return float((pay * others["fte"]).sum())


def _serial(day) -> float:
    """A date as a spreadsheet's day number."""
    return float((pd.Timestamp(day).date() - EXCEL_EPOCH).days)


def _days_in(month) -> int:
    return pd.Timestamp(month).days_in_month


def _months_between(later: str, earlier: str) -> str:
    """Whole calendar months from ``earlier`` to ``later`` (cells holding dates)."""
    return f"((YEAR({later})-YEAR({earlier}))*12+MONTH({later})-MONTH({earlier}))"


def _people(page: _Sheet, m: int, row: int, size: str, start_row: int | None = None) -> str:
    """The people in column ``m`` of ``row``, a cohort starting on the date in column B of
    ``start_row`` (``row`` when None): ``size`` in its first month, then last month's people
    less the leavers (EarlyRate in the first three months, MonthlyAttrition after);
    everyone in the sheet's first month when it started before."""
    start_row = row if start_row is None else start_row
    tenure = _months_between(page.head(m), f"$B{start_row + 1}")
    if m == 0:
        return f"=IF({tenure}<0,0,{size})"
    before = xl_rowcol_to_cell(row, page.first + m - 1)
    return (f"=IF({tenure}<0,0,IF({tenure}=0,{size},{before}*(1-IF({tenure}<=3,EarlyRate,"
            "MonthlyAttrition))))")  # fmt: skip


def _productive(page: _Sheet, m: int, row: int) -> str:
    """The share of column ``m`` that one person of the cohort in ``row`` delivers: the
    share of the month's days on the floor x the ramp, p0 + (1 - p0) min(k / N, 1)."""
    head, end, days = page.head(m), page.cell("end", m, True), page.cell("days", m, True)
    on_floor = f"$C{row + 1}"
    k = _months_between(head, on_floor)
    return (f"MAX(0,MIN({days},{end}-MAX({on_floor},{head})))/{days}*IF(RampMonths=0,1,"
            f"RampStart+(1-RampStart)*MIN(MAX({k},0)/RampMonths,1))")  # fmt: skip


def _running_first(full: np.ndarray, col: int) -> np.ndarray:
    """From column ``col`` on, the first positive value of ``full`` (0 until there is one)."""
    out = np.zeros(len(full))
    found = 0.0
    for m in range(col, len(full)):
        found = found if found > 0 else full[m]
        out[m] = found
    return out


def _cohort_text(cohort: Cohort) -> str:
    text = f"{cohort.source}: {cohort.note} from {cohort.start:%d %b %Y}"
    return text.replace(": from", " from")


def _cohort_cells(
    sheet, fmt: dict, row: int, start, size, values: tuple, typed: bool = False
) -> None:
    """Columns B-D of a cohort row: its start, its day on the floor and its people, each a
    value or a formula; ``values`` (people, start, on the floor) are their computed values.
    ``typed``: the start and the people are inputs (a planned hiring class)."""
    if isinstance(start, str):
        sheet.write_formula(row, 1, start, fmt["date_value"], _serial(values[1]))
    else:
        sheet.write_number(row, 1, _serial(start), fmt["date_input" if typed else "date_value"])
    sheet.write_formula(row, 2, f"=B{row + 1}+7*TrainingWeeks", fmt["date_value"],
                        _serial(values[2]))  # fmt: skip
    if isinstance(size, str):
        sheet.write_formula(row, 3, size, fmt["count"], values[0])
    else:
        sheet.write_number(row, 3, size, fmt["input" if typed else "fte"])


def _band_name(level: str, location: str) -> str:
    return _name("Pay", f"{level}_{location or 'any'}")


def _band_of(prices, level: str, location: str) -> str:
    """The name of the ladder band that prices a hire at ``level`` in ``location``
    (``HirePrices.band``), or '' when no band does."""
    key = prices.band(level, location)
    return "" if key is None else _band_name(*key)


def _name(prefix: str, text: str) -> str:
    """A defined name for ``text`` (letters, digits and underscores only)."""
    return prefix + "_" + re.sub(r"[^A-Za-z0-9]+", "_", text).strip("_")


def _rationales(scenario) -> dict[str, str]:
    """Each setting's one-line rationale, by its path in the scenario."""
    table = register(scenario)
    return dict(zip(table["assumption"], table["rationale"], strict=True))
