"""Row-level checks on staged tickets; every problem names its rows, column and the fix.

Rows with no id, no readable creation date, a future or implausibly old date, merged tickets
and repeated ids are excluded from demand; bad optional values (negative handle times, solved
before created) are blanked and kept. Nothing is changed silently: each gets a Problem.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple
from zoneinfo import ZoneInfo

import duckdb

from planner import timestamps

EXAMPLES = 5
OLDEST_PLAUSIBLE = "1990-01-01"
NUMERIC_ID = "TRY_CAST(ticket_id AS BIGINT)"
BITMAP_IDS = 1_000_000_000  # at most 125 MB of bits for the duplicate-id bitmap


@dataclass(frozen=True)
class Problem:
    severity: str  # error | warning | info
    column: str
    rows: list[int]
    count: int
    message: str
    fix: str

    def as_row(self) -> dict:
        shown = ", ".join(f"{r:,}" for r in self.rows)
        if self.count > len(self.rows) and self.rows:
            shown += f" and {self.count - len(self.rows):,} more"
        return {
            "severity": self.severity,
            "column": self.column,
            "rows": shown,
            "count": self.count or None,
            "message": self.message,
            "fix": self.fix,
        }


@dataclass(frozen=True)
class RawCell:
    """Quote a column's original text in a problem (read back from the source file)."""

    header: str


RawReader = Callable[[str, list[int]], list[str]]


class _Check(NamedTuple):
    severity: str
    column: str
    where: str
    value: str | RawCell
    message: str
    fix: str
    excluded_as: str | None = None


@dataclass
class Outcome:
    problems: list[Problem] = field(default_factory=list)
    excluded: dict[str, int] = field(default_factory=dict)
    has_duplicates: bool = False
    event_log: bool = False
    kept_where: str = "true"


def _examples(
    con: duckdb.DuckDBPyConnection,
    where: str,
    value: str | RawCell,
    offset: int,
    read_raw: RawReader,
) -> tuple[list[int], list[str]]:
    shown = "NULL" if isinstance(value, RawCell) else value
    rows = con.execute(
        f"SELECT rowid, {shown} FROM staged WHERE {where} ORDER BY rowid LIMIT {EXAMPLES}"
    ).fetchall()
    rowids = [r[0] for r in rows]
    values = read_raw(value.header, rowids) if isinstance(value, RawCell) else [r[1] for r in rows]
    return [r + offset for r in rowids], [str(v) for v in values]


def check_staged(
    con: duckdb.DuckDBPyConnection,
    used: dict[str, str],
    now: dt.datetime,
    offset: int,
    zones: tuple[str, str],
    read_raw: RawReader,
    *,
    event_hint: bool = False,
) -> Outcome:
    """Run every check on the staged rows.

    ``offset`` turns DuckDB rowids into the row numbers a user sees, ``zones`` is (source
    zone, stored zone: the zone of the staged wall-clock times) and ``read_raw(column,
    rowids)`` gives back the original text of cells. ``event_hint``: the file has a column
    naming activities or status changes, so repeated ids are more likely events of one
    ticket than rows exported twice (see ``is_event_log``).
    """
    source_zone, stored_zone = zones
    out = Outcome()
    created, ticket_id = used["created_at"], used["ticket_id"]
    latest_local = now.astimezone(ZoneInfo(stored_zone)).replace(tzinfo=None) + dt.timedelta(days=1)
    latest = f"TIMESTAMP '{latest_local:%Y-%m-%d %H:%M:%S}'"
    oldest = f"TIMESTAMP '{OLDEST_PLAUSIBLE}'"
    pending: list[_Check] = []

    def add(*check) -> None:
        pending.append(_Check(*check))

    def flush(*extra: str) -> tuple:
        """Count every pending check in one scan, with any ``extra`` aggregates (returned);
        fetch examples only where rows failed."""
        filters = [f"count(*) FILTER (WHERE {check.where})" for check in pending]
        if not filters and not extra:
            return ()
        values = con.execute(f"SELECT {', '.join(filters + list(extra))} FROM staged").fetchall()[0]
        for check, count in zip(pending, values, strict=False):
            if not count:
                continue
            rows, examples = _examples(con, check.where, check.value, offset, read_raw)
            shown = ", ".join(repr(v) for v in examples[:3])
            text = check.message.format(n=count, shown=shown)
            out.problems.append(Problem(check.severity, check.column, rows, count, text, check.fix))
            if check.excluded_as:
                out.excluded[check.excluded_as] = count
        answers = values[len(pending) :]
        pending.clear()
        return answers

    add(
        "error",
        ticket_id,
        "ticket_id IS NULL",
        "''",
        "{n:,} row(s) have no ticket id and were left out.",
        "Fill the id or delete those rows in the export.",
        "no ticket id",
    )
    valid_id = "ticket_id IS NOT NULL"
    add(
        "error",
        created,
        f"{valid_id} AND created_local IS NULL",
        RawCell(created),
        "{n:,} row(s) have a creation date that is not a date (e.g. {shown}); left out.",
        "Fix those cells (24-hour times; an offset from -12:00 to +14:00 such as +01:00, or "
        "a zone name such as UTC or Europe/Berlin, may follow), or choose the other date "
        "order if day and month are swapped.",
        "unreadable creation date",
    )
    add(
        "error",
        created,
        f"{valid_id} AND created_local > {latest}",
        "strftime(created_local, '%Y-%m-%d %H:%M')",
        f"{{n:,}} ticket(s) are dated in the future (e.g. {{shown}}, {stored_zone} time); "
        "left out.",
        "Check the source time zone and the date order, or remove test tickets.",
        "future creation date",
    )
    add(
        "error",
        created,
        f"{valid_id} AND created_local < {oldest}",
        "strftime(created_local, '%Y-%m-%d')",
        "{n:,} ticket(s) are dated before 1990 (e.g. {shown}): not real ticket dates; left out.",
        "Check the date column (an Excel serial below 61 or an empty date set to 1900).",
        "date before 1990",
    )
    usable = f"{valid_id} AND created_local BETWEEN {oldest} AND {latest}"
    if "merged" in used:
        add(
            "info",
            used["merged"],
            f"{usable} AND merged",
            "ticket_id",
            "{n:,} merged or deleted ticket(s) (e.g. ids {shown}) are not demand; left out.",
            "Nothing to do: merged tickets are counted in the ticket they were merged into.",
            "merged or deleted",
        )
    kept = f"{usable} AND NOT merged"
    out.kept_where = kept
    low, high, numbers, rows, first, last = flush(
        f"min({NUMERIC_ID}) FILTER (WHERE {kept})",
        f"max({NUMERIC_ID}) FILTER (WHERE {kept})",
        f"count({NUMERIC_ID}) FILTER (WHERE {kept})",
        f"count(*) FILTER (WHERE {kept})",
        f"min(created_local) FILTER (WHERE {kept})",
        f"max(created_local) FILTER (WHERE {kept})",
    )
    numeric_range = (low, high) if rows and numbers == rows else None
    repeats_at = len(out.problems)
    for field_name, label in (
        ("handle_minutes", "handle time"),
        ("first_reply_minutes", "first reply time"),
    ):
        if field_name not in used:
            continue
        column = used[field_name]
        add(
            "warning",
            column,
            f"{kept} AND {field_name} < 0",
            field_name,
            f"{{n:,}} ticket(s) have a negative {label} (e.g. {{shown}} minutes); "
            "the value was blanked, the ticket kept.",
            "Check the time-tracking data; negative durations come from clock or merge errors.",
        )
        add(
            "warning",
            column,
            f"{kept} AND isnan({field_name})",
            RawCell(column),
            f"{{n:,}} {label} value(s) are not numbers (e.g. {{shown}}); blanked, tickets kept.",
            "Use plain numbers or HH:MM:SS in that column.",
        )
    if "solved_at" in used:
        column = used["solved_at"]
        add(
            "warning",
            column,
            f"{kept} AND solved_local < created_local",
            "strftime(solved_local, '%Y-%m-%d %H:%M')",
            "{n:,} ticket(s) were solved before they were created (e.g. {shown}); "
            "the solved time was blanked.",
            "Check that both columns use the same time zone.",
        )
        add(
            "warning",
            column,
            f"{kept} AND isinf(solved_local)",
            RawCell(column),
            "{n:,} solved time(s) are not dates (e.g. {shown}); blanked, tickets kept.",
            "Fix those cells or leave them empty for open tickets.",
        )
    # Times without an offset that a DST change repeats or skips are counted in the same
    # scan; files with offsets (stored in UTC) have no such doubt. So is whether any id may
    # repeat.
    hours = []
    if stored_zone == source_zone and first is not None:
        hours = timestamps.dst_hours(source_zone, first, last)
    stamp = "TIMESTAMP '{:%Y-%m-%d %H:%M:%S}'"
    *found, may_repeat = flush(
        *(
            f"count(*) FILTER (WHERE {kept} AND created_local >= {stamp.format(h.start)} "
            f"AND created_local < {stamp.format(h.end)})"
            for h in hours
        ),
        _repeats_sql(kept, numeric_range),
    )
    out.problems += [
        _dst_note(hour, count, created, source_zone)
        for hour, count in zip(hours, found, strict=True)
        if count
    ]
    if may_repeat and is_event_log(con, kept, event_hint):
        out.event_log = True
        rows, tickets = con.execute(
            f"SELECT count(*), count(DISTINCT ticket_id) FROM staged WHERE {kept}"
        ).fetchall()[0]
        out.problems.insert(repeats_at, _event_log_note(rows, tickets, ticket_id))
    elif may_repeat:
        con.execute(
            f"""CREATE TABLE duplicate_rows AS
            SELECT r FROM (
                SELECT rowid AS r, row_number() OVER (PARTITION BY ticket_id ORDER BY rowid) AS n
                FROM staged WHERE {kept} AND ticket_id IN (
                    SELECT ticket_id FROM staged WHERE {kept}
                    GROUP BY ticket_id HAVING count(*) > 1))
            WHERE n > 1"""
        )
        out.has_duplicates = True
        add(
            "warning",
            ticket_id,
            "rowid IN (SELECT r FROM duplicate_rows)",
            "ticket_id",
            "{n:,} row(s) repeat a ticket id seen earlier (e.g. {shown}); only the first "
            "row of each id was kept.",
            "Export without overlapping date ranges, or remove the repeated rows.",
            "repeated ticket id",
        )
        checked = len(out.problems)
        flush()
        repeated = out.problems[checked:]
        del out.problems[checked:]
        out.problems[repeats_at:repeats_at] = repeated  # rows first, as the first scan's
    return out


def is_event_log(con: duckdb.DuckDBPyConnection, kept: str, event_hint: bool) -> bool:
    """Whether repeated ids are the events of one ticket rather than rows exported twice.

    An event log (ITSM and process-mining exports) has a row per status change: its ids
    repeat, half a row more than one per ticket on average, and either a column names the
    activity (``event_hint``) or, for at least ten repeated ids, the times of most of them
    differ (an export of overlapping date ranges repeats a ticket with its time).
    """
    rows, tickets, repeated, varying = con.execute(
        f"""SELECT sum(n), count(*), count(*) FILTER (WHERE n > 1),
            count(*) FILTER (WHERE n > 1 AND first <> last)
        FROM (SELECT count(*) AS n, min(created_local) AS first, max(created_local) AS last
            FROM staged WHERE {kept} GROUP BY ticket_id)"""
    ).fetchall()[0]
    if not rows or rows < 1.5 * tickets:
        return False
    return event_hint or (repeated >= 10 and varying >= 0.5 * repeated)


def _repeats_sql(kept: str, numeric_range: tuple[int, int] | None) -> str:
    """An aggregate that is 0 only when every kept id is certainly distinct; otherwise the
    rows go to the exact search for repeated ids.

    When every id is a number, a bitmap over their range (one bit per possible id) counts
    distinct numbers: far faster and smaller than a hash table of ten million strings.
    Equal ids are equal numbers, so as many distinct numbers as rows proves that no id
    repeats ("012" and "12" would only send the rows to the exact search). Other ids use a
    distinct count of 64-bit hashes, which a collision can only make too small.
    """
    if numeric_range and numeric_range[1] - numeric_range[0] < BITMAP_IDS:
        low, high = numeric_range
        distinct = f"bit_count(bitstring_agg({NUMERIC_ID}, {low}, {high}) FILTER (WHERE {kept}))"
    else:
        distinct = f"count(DISTINCT hash(ticket_id)) FILTER (WHERE {kept})"
    return f"count(*) FILTER (WHERE {kept}) - {distinct}"


def _event_log_note(rows: int, tickets: int, column: str) -> Problem:
    return Problem(
        "info",
        column,
        [],
        rows,
        f"Read as an event log: {rows:,} rows are the events of {tickets:,} tickets "
        f"({rows / max(tickets, 1):.1f} a ticket, such as status changes). Each ticket is "
        "counted once, created at its first event, with the channel and queue of that event.",
        "Nothing to do. If every row is a ticket of its own, map a column that is unique per "
        "row as the ticket id.",
    )


def _dst_note(hour: timestamps.DstHour, count: int, column: str, zone: str) -> Problem:
    if hour.clocks_back:
        what = "happen twice (clocks went back)"
    else:
        what = "never happen (clocks went forward)"
    return Problem(
        "info",
        column,
        [],
        count,
        f"{count:,} ticket(s) have local times from {hour.start:%H:%M} to {hour.end:%H:%M}, "
        f"which {what} at the {zone} DST change on {hour.start.date()}; they were read as "
        "standard time and may be one hour off. Daily volumes are unaffected.",
        "Nothing to do, or export with UTC offsets to remove the doubt.",
    )
