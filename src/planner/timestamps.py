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

from planner.sql import sql_text

# A zone name after a time: UTC, GMT, CET, PST or an IANA name such as Europe/Berlin or
# Etc/GMT+5. AM and PM are not zones: DuckDB's TIMESTAMPTZ refuses them, and they would make
# a 12-hour column look like one with zone names.
ZONE_NAME = r"\s+(?![AaPp][Mm]$)[A-Za-z][A-Za-z0-9_+-]*(?:/[A-Za-z0-9_+-]+)*"
ISO = re.compile(
    r"^\d{4}-\d{1,2}-\d{1,2}"
    rf"([ T]\d{{1,2}}:\d{{2}}(:\d{{2}}(\.\d+)?)?({ZONE_NAME})?)?"
    r"\s*(Z|[+-]\d{2}(:?\d{2})?)?$"
)
OFFSET = re.compile(rf"(Z|[+-]\d{{2}}(:?\d{{2}})?|\d{ZONE_NAME})$")
DAY_MONTH = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d{2}|\d{4})(?:[ T,]+(.*))?$")
SERIAL = re.compile(r"^\d{1,6}(\.\d+)?$")
QUARTER = dt.timedelta(minutes=15)
# Every character has its place in these layouts (LIKE's "_" is any one character), so a
# cell in one of them has no room for a UTC offset after its time.
NAIVE_SHAPES = ("____-__-__ __:__:__", "____-__-__T__:__:__", "____-__-__")
TIME_FORMATS = ("", " %H:%M", " %H:%M:%S", " %I:%M %p", " %I:%M:%S %p", " %H:%M:%S.%f")
# Date layouts beyond ISO, dd/mm and serials, tried with strptime when those do not fit:
# year first with slashes (process-mining logs: 2012/10/09 14:50:17) and month names
# (Jira: 01/Mar/24 9:15 AM; US reports: Mar 12, 2024 3:22 PM). English month names only.
NAMED_DATES = (
    "%Y/%m/%d", "%Y.%m.%d", "%d/%b/%y", "%d/%b/%Y", "%d-%b-%y", "%d-%b-%Y", "%d %b %Y",
    "%d %B %Y", "%b %d, %Y", "%B %d, %Y", "%b %d %Y", "%Y-%m-%d",
)  # fmt: skip
NAMED_SAMPLE = 200


@dataclass(frozen=True)
class DstHour:
    """Wall-clock times [start, end) that happen twice (clocks_back) or never."""

    start: dt.datetime
    end: dt.datetime
    clocks_back: bool


@dataclass(frozen=True)
class DateFormat:
    kind: str  # iso | day_first | month_first | excel_serial | named
    description: str
    formats: tuple[str, ...] = ()
    ambiguous: bool = False
    offsets: bool = False  # values carry a UTC offset, so the source time zone is not used


def detect(values: list[str], month_first_default: bool, order: str = "auto") -> DateFormat | None:
    """Pick one format for the whole column from a sample of its non-empty values.

    ``order`` forces "day_first" or "month_first" for dd/mm vs mm/dd layouts. Returns None
    when no known format fits most of the sample.

    Example:
    >>> detect(["03/04/2026 10:00", "13/04/2026 09:30"], month_first_default=True).kind
    'day_first'
    """
    values = [v.strip() for v in values if v and v.strip()]
    if not values:
        return None
    # The three layouts exclude each other, so one fitting over half the sample wins.
    layouts = (("iso", ISO), ("pattern", DAY_MONTH), ("serial", SERIAL))
    half = 0.5 * len(values)
    kind = next((k for k, p in layouts if sum(bool(p.match(v)) for v in values) >= half), None)
    if kind is None:
        return _named(values)
    if kind == "iso":
        with_offset = sum(bool(OFFSET.search(v)) for v in values if "T" in v or " " in v)
        note = "with UTC offsets or zone names" if with_offset else "local time, no offset"
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


def _named(values: list[str]) -> DateFormat | None:
    """The first of ``NAMED_DATES`` (with any of ``TIME_FORMATS``) that reads over half of
    the first values, or None."""
    shown = values[:NAMED_SAMPLE]

    def reads(text: str, date_part: str) -> bool:
        for time_part in TIME_FORMATS:
            try:
                dt.datetime.strptime(text, date_part + time_part)
            except ValueError:
                continue
            return True
        return False

    for date_part in NAMED_DATES:
        if sum(reads(v, date_part) for v in shown) >= 0.5 * len(shown):
            layout = date_part.replace("%Y", "YYYY").replace("%y", "YY").replace("%m", "MM")
            layout = layout.replace("%d", "DD").replace("%b", "Mon").replace("%B", "Month")
            return DateFormat(
                "named",
                f"{layout}, e.g. {values[0]}",
                tuple(date_part + t for t in TIME_FORMATS),
            )
    return None


# Offsets in use run from -12:00 to +14:00 (UTC-12 Baker Island, UTC+14 Line Islands);
# DuckDB would apply -99:00 or +23:59 and move the time by days without a word.
OFFSET_AFTER_TIME = r"\d:\d{2}(?::\d{2}(?:\.\d+)?)?\s*([+-])(\d{2}):?(\d{2})?\s*$"
OFFSET_MINUTES = (-12 * 60, 14 * 60)


def _impossible_offset(column_sql: str) -> str:
    """SQL: the value ends in a UTC offset no place uses (or minutes past 59)."""
    part = f"regexp_extract({column_sql}, '{OFFSET_AFTER_TIME}', ['sign', 'h', 'm'])"
    hours = f"TRY_CAST({part}.h AS INTEGER)"
    minutes = f"COALESCE(TRY_CAST(NULLIF({part}.m, '') AS INTEGER), 0)"
    signed = f"(CASE {part}.sign WHEN '-' THEN -1 ELSE 1 END) * ({hours} * 60 + {minutes})"
    low, high = OFFSET_MINUTES
    return (
        f"(regexp_matches({column_sql}, '{OFFSET_AFTER_TIME}') AND "
        f"({minutes} > 59 OR {signed} NOT BETWEEN {low} AND {high}))"
    )


def sql_expression(column_sql: str, fmt: DateFormat, source_zone: str, stored_zone: str) -> str:
    """DuckDB expression giving a naive TIMESTAMP: the wall-clock time in ``stored_zone``.

    Values without an offset are wall-clock times in ``source_zone`` (the session TimeZone
    while reading). Values with one go through TIMESTAMPTZ so the offset counts: the whole
    column when its sample carries offsets, otherwise any row whose last six characters
    hold + or -, or that ends in something other than a digit (Z, a zone name such as UTC
    or Europe/Berlin, AM/PM or stray text). DuckDB's naive cast would silently ignore all of
    those, reading "10:00:00 PM" as 10:00; TIMESTAMPTZ honours offsets and zone names and
    gives NULL for the rest, which the checks then report as unreadable. Parsing naive text
    directly is what keeps a million rows fast; the time zone arithmetic runs only where
    needed. Cells in a ``NAIVE_SHAPES`` layout skip the search: LIKE with fixed positions
    is about five times cheaper per row than the regular expression.
    """
    stored = sql_text(stored_zone)
    with_offset = (
        f"CASE WHEN {_impossible_offset(column_sql)} THEN NULL "
        f"ELSE timezone('{stored}', TRY_CAST({column_sql} AS TIMESTAMPTZ)) END"
    )
    if fmt.kind == "iso" and fmt.offsets:
        return with_offset
    if fmt.kind == "iso":
        naive = f"TRY_CAST({column_sql} AS TIMESTAMP)"
    elif fmt.kind == "excel_serial":
        micros = f"ROUND(TRY_CAST({column_sql} AS DOUBLE) * 86400000000)::BIGINT"
        naive = f"(TIMESTAMP '1899-12-30' + to_microseconds({micros}))"
    else:
        formats = ", ".join(f"'{f}'" for f in fmt.formats)
        naive = f"TRY_STRPTIME(TRIM({column_sql}), [{formats}])"
    if source_zone != stored_zone:
        naive = f"timezone('{stored}', timezone('{sql_text(source_zone)}', {naive}))"
    if fmt.kind != "iso":
        return naive
    plain = " OR ".join(f"{column_sql} LIKE '{shape}'" for shape in NAIVE_SHAPES)
    return (
        f"CASE WHEN {plain} THEN {naive} "
        f"WHEN regexp_matches(right({column_sql}, 6), '[+-]|[^0-9\\s]\\s*$') "
        f"THEN {with_offset} ELSE {naive} END"
    )


def stored_zone(created: DateFormat, source_zone: str) -> str:
    """The zone whose wall-clock times the staged table keeps: UTC when creation times
    carry offsets (so the instants stay exact), otherwise the source zone.

    >>> offsets, local = detect(["2024-03-04 09:00+01:00"], False), detect(["2024-03-04"], False)
    >>> stored_zone(offsets, "Europe/Berlin"), stored_zone(local, "Asia/Tokyo")
    ('UTC', 'Asia/Tokyo')
    """
    return "UTC" if created.offsets else source_zone


def dst_hours(zone: str, first: dt.datetime, last: dt.datetime) -> list[DstHour]:
    """The wall-clock hours in ``zone`` that a DST change repeats or skips, between the naive
    local times ``first`` and ``last``.

    At a change at instant M from UTC offset a to offset b, the wall clock jumps from M + a
    to M + b: the times between are repeated when b < a (clocks go back) and skipped when
    b > a. Offsets are compared a day apart; a day whose offset moved is searched by the
    hour, then by the quarter hour (no zone changes more than once a day).

    >>> march = dt.datetime(2024, 3, 1), dt.datetime(2024, 3, 31)
    >>> [(h.start.strftime("%d %H:%M"), h.end.strftime("%H:%M"), h.clocks_back)
    ...  for h in dst_hours("America/New_York", *march)]
    [('10 02:00', '03:00', False)]
    """
    tz = ZoneInfo(zone)
    day, hour = dt.timedelta(days=1), dt.timedelta(hours=1)
    start = (first - day).replace(minute=0, second=0, microsecond=0, tzinfo=dt.UTC)
    end = (last + day).replace(tzinfo=dt.UTC)
    if (end - start).days > 366 * 60:
        return []
    hours: list[DstHour] = []
    moment, previous = start, start.astimezone(tz).utcoffset()
    while moment < end:
        if (moment + day).astimezone(tz).utcoffset() != previous:
            while (offset := (moment + hour).astimezone(tz).utcoffset()) == previous:
                moment += hour
            moment += hour
            while (moment - QUARTER).astimezone(tz).utcoffset() == offset:
                moment -= QUARTER  # changes at half past (Lord Howe) sit inside the hour
            low, high = sorted(w.replace(tzinfo=None) for w in (moment + previous, moment + offset))
            hours.append(DstHour(low, high, offset < previous))
            previous = offset
        else:
            moment += day
    return [h for h in hours if h.end > first and h.start <= last]
