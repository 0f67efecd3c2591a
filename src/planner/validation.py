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

import duckdb

from planner import timestamps

EXAMPLES = 5
OLDEST_PLAUSIBLE = "1990-01-01"


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
            "count": self.count,
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
    source_time_zone: str,
    formats: dict[str, timestamps.DateFormat],
    read_raw: RawReader,
) -> Outcome:
    """Run every check; ``offset`` turns DuckDB rowids into the row numbers a user sees and
    ``read_raw(column, rowids)`` gives back the original text of those cells."""
    out = Outcome()
    created, ticket_id = used["created_at"], used["ticket_id"]
    latest = (now + dt.timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S")

    pending: list[_Check] = []

    def add(*check) -> None:
        pending.append(_Check(*check))

    def flush():
        """Count every pending check in one scan; fetch examples only where rows failed."""
        if not pending:
            return
        filters = ", ".join(f"count(*) FILTER (WHERE {check.where})" for check in pending)
        counts = con.execute(f"SELECT {filters} FROM staged").fetchall()[0]
        for check, count in zip(pending, counts, strict=True):
            if not count:
                continue
            rows, values = _examples(con, check.where, check.value, offset, read_raw)
            shown = ", ".join(repr(v) for v in values[:3])
            text = check.message.format(n=count, shown=shown)
            out.problems.append(Problem(check.severity, check.column, rows, count, text, check.fix))
            if check.excluded_as:
                out.excluded[check.excluded_as] = count
        pending.clear()

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
        f"{valid_id} AND created_at IS NULL",
        RawCell(created),
        "{n:,} row(s) have a creation date that is not a date (e.g. {shown}); left out.",
        "Fix those cells, or choose the other date order if day and month are swapped.",
        "unreadable creation date",
    )
    add(
        "error",
        created,
        f"{valid_id} AND created_at > TIMESTAMPTZ '{latest}+00'",
        "strftime(created_at, '%Y-%m-%d %H:%M')",
        "{n:,} ticket(s) are dated in the future (e.g. {shown} UTC); left out.",
        "Check the source time zone and the date order, or remove test tickets.",
        "future creation date",
    )
    add(
        "error",
        created,
        f"{valid_id} AND created_at < TIMESTAMPTZ '{OLDEST_PLAUSIBLE} 00:00:00+00'",
        "strftime(created_at, '%Y-%m-%d')",
        "{n:,} ticket(s) are dated before 1990 (e.g. {shown}): not real ticket dates; left out.",
        "Check the date column (an Excel serial below 61 or an empty date set to 1900).",
        "date before 1990",
    )
    usable = (
        f"{valid_id} AND created_at IS NOT NULL "
        f"AND created_at BETWEEN TIMESTAMPTZ '{OLDEST_PLAUSIBLE} 00:00:00+00' "
        f"AND TIMESTAMPTZ '{latest}+00'"
    )
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
    flush()
    # A 64-bit hash halves the cost of the distinct count; a collision only makes the exact
    # GROUP BY below run and find nothing, so the result stays exact.
    dup_count = con.execute(
        f"SELECT count(*) - count(DISTINCT hash(ticket_id)) FROM staged WHERE {kept}"
    ).fetchall()[0][0]
    if dup_count:
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
            f"{kept} AND {field_name}_bad",
            RawCell(column),
            f"{{n:,}} {label} value(s) are not numbers (e.g. {{shown}}); blanked, tickets kept.",
            "Use plain numbers or HH:MM:SS in that column.",
        )
    if "solved_at" in used:
        column = used["solved_at"]
        add(
            "warning",
            column,
            f"{kept} AND solved_at < created_at",
            "strftime(solved_at, '%Y-%m-%d %H:%M')",
            "{n:,} ticket(s) were solved before they were created (e.g. {shown}); "
            "the solved time was blanked.",
            "Check that both columns use the same time zone.",
        )
        add(
            "warning",
            column,
            f"{kept} AND solved_bad",
            RawCell(column),
            "{n:,} solved time(s) are not dates (e.g. {shown}); blanked, tickets kept.",
            "Fix those cells or leave them empty for open tickets.",
        )
    flush()
    if not formats["created_at"].offsets:
        out.problems.extend(_dst_notes(con, kept, used["created_at"], source_time_zone))
    return out


def _dst_notes(con: duckdb.DuckDBPyConnection, kept: str, column: str, zone: str) -> list[Problem]:
    first, last = con.execute(
        f"SELECT min(created_at)::VARCHAR, max(created_at)::VARCHAR FROM staged WHERE {kept}"
    ).fetchall()[0]
    if first is None:
        return []
    changes = timestamps.dst_changes(
        zone, dt.datetime.fromisoformat(first), dt.datetime.fromisoformat(last)
    )
    notes = []
    for moment, clocks_back in changes:
        stamp = moment.strftime("%Y-%m-%d %H:%M:%S")
        count = con.execute(
            f"SELECT count(*) FROM staged WHERE {kept} AND created_at >= TIMESTAMPTZ '{stamp}+00' "
            f"AND created_at < TIMESTAMPTZ '{stamp}+00' + INTERVAL 1 HOUR"
        ).fetchall()[0][0]
        if not count:
            continue
        what = "repeats an hour (clocks went back)" if clocks_back else "skips an hour"
        local_day = moment.astimezone(timestamps.ZoneInfo(zone)).date()
        notes.append(
            Problem(
                "info",
                column,
                [],
                count,
                f"{count:,} ticket(s) fall in the hour around the {zone} DST change on "
                f"{local_day}, which {what}; times without an offset there were read as "
                "standard time and may be one hour off. Daily volumes are unaffected.",
                "Nothing to do, or export with UTC offsets to remove the doubt.",
            )
        )
    return notes


def tickets_view_sql(outcome: Outcome) -> str:
    """The normalised tickets: usable rows only, with impossible optional values blanked."""
    skip = " AND rowid NOT IN (SELECT r FROM duplicate_rows)" if outcome.has_duplicates else ""
    return f"""CREATE VIEW tickets AS SELECT
        ticket_id, created_at, channel, queue, priority,
        CASE WHEN solved_at >= created_at THEN solved_at END AS solved_at,
        CASE WHEN handle_minutes >= 0 THEN handle_minutes END AS handle_minutes,
        CASE WHEN first_reply_minutes >= 0 THEN first_reply_minutes END AS first_reply_minutes,
        csat, tier
    FROM staged
    WHERE {outcome.kept_where}{skip}"""
