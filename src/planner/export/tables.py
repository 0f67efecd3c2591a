"""Tables as CSV that a spreadsheet opens as data, never as formulas.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
run as a formula by Excel and LibreOffice when the CSV is opened ("CSV injection"); such
text is written with a leading single quote, which spreadsheets show as text, and so is
every line of a cell that starts with one after a line break (CR or LF): a reader that
splits rows on a bare CR would otherwise find a formula there. Every text cell and header
is written in double quotes, so a line break stays inside its cell. Numbers (including
text that is a plain number such as ``-0.05``) are left as they are.
Source: OWASP ASVS 4.0.3, requirement 5.3.10 (1.2.10 in the draft), and OWASP "CSV
Injection".
"""

from __future__ import annotations

import csv
import io
import re
import zipfile

import pandas as pd

from planner.plan import PlanResult

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^[+-]?(\d[\d,]*(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?$")


AFTER_BREAK = re.compile(r"([\r\n])(?=[=+\-@\t\r])")


def neutralise(value):
    """``value``, with a quote before the text a spreadsheet would run: at its start, and
    after every line break that a trigger follows.

    >>> neutralise("=SUM(A1:A9)"), neutralise("-3.5"), neutralise("Billing")
    ("'=SUM(A1:A9)", '-3.5', 'Billing')
    """
    if not isinstance(value, str) or NUMBER.match(value):
        return value
    value = AFTER_BREAK.sub(r"\1'", value)
    return "'" + value if value.startswith(TRIGGERS) else value


def safe_csv(frame: pd.DataFrame, **options) -> str:
    """``frame`` as CSV text with every text cell (and header) neutralised and quoted.

    >>> print(safe_csv(pd.DataFrame({"queue": ["=1+1", "Billing"], "tickets": [3, 4]})))
    "queue","tickets"
    "'=1+1",3
    "Billing",4
    <BLANKLINE>
    """
    cleaned = frame.copy()
    for column in cleaned.columns:
        if cleaned[column].dtype == object or pd.api.types.is_string_dtype(cleaned[column]):
            cleaned[column] = cleaned[column].map(neutralise)
        elif isinstance(cleaned[column].dtype, pd.CategoricalDtype):
            cleaned[column] = cleaned[column].astype(object).map(neutralise)
    cleaned.columns = [neutralise(str(c)) for c in cleaned.columns]
    return cleaned.to_csv(
        index=options.pop("index", False), quoting=csv.QUOTE_NONNUMERIC, **options
    )


def plan_tables(
    result: PlanResult, register: pd.DataFrame | None = None
) -> dict[str, pd.DataFrame]:
    """Every table of a plan, by file name: the budget (by line and month, and long), the
    volumes it is measured against, FTE needed per channel and month, the capacity plan,
    the requisitions, the organisation's open roles and the assumption register."""
    budget = result.budget
    by_line = budget.by_line("M")
    by_line.columns = [c if isinstance(c, str) else f"{c:%Y-%m}" for c in by_line.columns]
    tables = {
        "budget_by_line.csv": by_line.reset_index(),
        "budget_lines.csv": budget.lines,
        "volume_by_channel.csv": budget.volume,
        "fte_by_channel.csv": result.requirements.fte("M"),
        "capacity_by_month.csv": result.capacity.months,
        "requisitions.csv": result.capacity.requisitions,
        "budget_range.csv": result.budget_range(),
    }
    if result.org is not None:
        tables["open_roles.csv"] = result.org.open_roles
        tables["roles_by_month.csv"] = result.org.months
    if register is not None:
        tables["assumption_register.csv"] = register
    return tables


def csv_bundle(tables: dict[str, pd.DataFrame]) -> bytes:
    """The tables as one zip of safe CSV files."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, frame in tables.items():
            archive.writestr(name, safe_csv(frame, date_format="%Y-%m-%d"))
    return buffer.getvalue()
