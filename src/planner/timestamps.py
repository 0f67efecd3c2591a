"""Recognise how a column writes its dates, once per file, and parse it in DuckDB.

Rules (shared/RELIABILITY.md): day-first or month-first is chosen once per file (a "13/03"
forces day-first), never per row; values with an offset keep it; values without one are
local time in the source time zone; Excel serial numbers count days from 1899-12-30.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

ISO = re.compile(
    r"^\d{4}-\d{1,2}-\d{1,2}([ T]\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?\s*(Z|[+-]\d{2}(:?\d{2})?)?$"
)
OFFSET = re.compile(r"(Z|[+-]\d{2}(:?\d{2})?)$")
DAY_MONTH = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d{2}|\d{4})(?:[ T,]+(.*))?$")
SERIAL = re.compile(r"^\d{1,6}(\.\d+)?$")
TIME_FORMATS = ("", " %H:%M", " %H:%M:%S", " %I:%M %p", " %I:%M:%S %p", " %H:%M:%S.%f")


@dataclass(frozen=True)
class DateFormat:
    kind: str  # iso | day_first | month_first | excel_serial
    description: str
    formats: tuple[str, ...] = ()
    ambiguous: bool = False
    offsets: bool = False  # values carry a UTC offset, so the source time zone is not used


def detect(values: list[str], month_first_default: bool, order: str = "auto") -> DateFormat | None:
    """Pick one format for the whole column from a sample of its non-empty values.

    ``order`` forces "day_first" or "month_first" for dd/mm vs mm/dd layouts. Returns None
    when no known format fits most of the sample.
    """
    values = [v.strip() for v in values if v and v.strip()]
    if not values:
        return None
    fits = {
        "iso": sum(bool(ISO.match(v)) for v in values),
        "pattern": sum(bool(DAY_MONTH.match(v)) for v in values),
        "serial": sum(bool(SERIAL.match(v)) for v in values),
    }
    kind, hits = max(fits.items(), key=lambda item: item[1])
    if hits < 0.5 * len(values):
        return None
    if kind == "iso":
        with_offset = sum(bool(OFFSET.search(v)) for v in values if "T" in v or " " in v)
        note = "with UTC offsets" if with_offset else "local time, no offset"
        return DateFormat(
            "iso", f"ISO 8601 (YYYY-MM-DD hh:mm:ss), {note}", offsets=bool(with_offset)
        )
    if kind == "serial":
        return DateFormat("excel_serial", "Excel serial day numbers (days since 1899-12-30)")
    parts = [m.groups() for m in map(DAY_MONTH.match, values) if m]
    first_big = any(int(p[0]) > 12 for p in parts)
    second_big = any(int(p[2]) > 12 for p in parts)
    if order == "auto":
        if first_big and not second_big:
            order = "day_first"
        elif second_big and not first_big:
            order = "month_first"
        else:
            order = "month_first" if month_first_default else "day_first"
    separator = parts[0][1]
    year = "%Y" if len(parts[0][3]) == 4 else "%y"
    date_part = (
        f"%d{separator}%m{separator}{year}"
        if order == "day_first"
        else f"%m{separator}%d{separator}{year}"
    )
    formats = tuple(date_part + t for t in TIME_FORMATS)
    label = "day first (DD/MM)" if order == "day_first" else "month first (MM/DD)"
    return DateFormat(order, f"{label}, e.g. {values[0]}", formats, not (first_big or second_big))


def sql_expression(column_sql: str, fmt: DateFormat) -> str:
    """DuckDB expression giving a TIMESTAMPTZ; naive values use the session time zone."""
    if fmt.kind == "iso":
        return f"TRY_CAST({column_sql} AS TIMESTAMPTZ)"
    if fmt.kind == "excel_serial":
        micros = f"ROUND(TRY_CAST({column_sql} AS DOUBLE) * 86400000000)::BIGINT"
        return f"(TIMESTAMP '1899-12-30' + to_microseconds({micros}))::TIMESTAMPTZ"
    formats = ", ".join(f"'{f}'" for f in fmt.formats)
    return f"TRY_STRPTIME(TRIM({column_sql}), [{formats}])::TIMESTAMPTZ"


def dst_changes(zone: str, first: dt.datetime, last: dt.datetime) -> list[tuple[dt.datetime, bool]]:
    """UTC instants in [first, last] where ``zone`` changes its offset; True when clocks go back.

    Found by scanning hourly offsets: zones move by whole or half hours, so an hourly step
    cannot miss a change.
    """
    tz = ZoneInfo(zone)
    changes: list[tuple[dt.datetime, bool]] = []
    utc = dt.UTC
    step = dt.timedelta(hours=1)
    start = first.astimezone(utc).replace(minute=0, second=0, microsecond=0) - step
    end = last.astimezone(utc)
    if (end - start).days > 366 * 60:
        return changes
    previous = start.astimezone(tz).utcoffset()
    moment = start + step
    while moment <= end:
        offset = moment.astimezone(tz).utcoffset()
        if offset != previous:
            changes.append((moment, offset < previous))
            previous = offset
        moment += step
    return changes
