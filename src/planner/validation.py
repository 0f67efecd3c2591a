"""Row-level checks on staged tickets; every problem names its rows, column and the fix.

Rows with no id, no readable creation date, a future or implausibly old date, merged tickets
and repeated ids are excluded from demand; bad optional values (negative handle times, solved
before created) are blanked and kept. Nothing is changed silently: each gets a Problem.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol
from zoneinfo import ZoneInfo

import duckdb

from planner import tally, timestamps

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
    where: str  # the rows, over the ``staged`` view (for examples)
    value: str | RawCell
    message: str
    fix: str
    count: int
    excluded_as: str | None = None


@dataclass
class Outcome:
    problems: list[Problem] = field(default_factory=list)
    excluded: dict[str, int] = field(default_factory=dict)
    has_duplicates: bool = False
    event_log: bool = False
    rows: int = 0


def status_sql(now: dt.datetime, stored_zone: str) -> str:
    """Each staged row's status (``tally.STATUSES``): 0 kept, else why it is left out.

    A creation time more than a day after ``now`` (in the stored zone) is in the future;
    one before 1990 is not a real ticket date.
    """
    latest_local = now.astimezone(ZoneInfo(stored_zone)).replace(tzinfo=None) + dt.timedelta(days=1)
    return f"""CASE WHEN ticket_id IS NULL THEN 1 WHEN created_local IS NULL THEN 2
        WHEN created_local > TIMESTAMP '{latest_local:%Y-%m-%d %H:%M:%S}' THEN 3
        WHEN created_local < TIMESTAMP '{OLDEST_PLAUSIBLE}' THEN 4 WHEN merged THEN 5
        ELSE {tally.KEPT} END"""


def _sum(con: duckdb.DuckDBPyConnection, table: str, where: str) -> int:
    found = con.execute(f"SELECT sum(n)::BIGINT FROM {table} WHERE {where}").fetchall()[0][0]
    return found or 0


def check_tallies(
    con: duckdb.DuckDBPyConnection,
    used: dict[str, str],
    zones: tuple[str, str],
    source: Rows,
    *,
    event_hint: bool = False,
) -> Outcome:
    """Every check, counted from the tally of the staged rows (``tally.tally``); the rows
    are read again only to quote examples of the rows a check found, and to find which
    rows repeat an id when the tally says ids may repeat.

    ``zones`` is (source zone, stored zone: the zone of the staged wall-clock times) and
    ``source`` reads the rows again (``StagedRows`` for a file). ``event_hint``: the
    file has a column naming activities or status changes, so repeated ids are more likely
    events of one ticket than rows exported twice (see ``is_event_log``).
    """
    source_zone, stored_zone = zones
    out = Outcome()
    created, ticket_id = used["created_at"], used["ticket_id"]
    statuses = tally.counts(con)
    out.rows = sum(statuses.values())
    kept = f"status = {tally.KEPT}"
    left_out = [
        ("error", ticket_id, "''", "{n:,} row(s) have no ticket id and were left out.",
         "Fill the id or delete those rows in the export."),
        ("error", created, RawCell(created),
         "{n:,} row(s) have a creation date that is not a date (e.g. {shown}); left out.",
         "Fix those cells (24-hour times; an offset from -12:00 to +14:00 such as +01:00, or "
         "a zone name such as UTC or Europe/Berlin, may follow), or choose the other date "
         "order if day and month are swapped."),
        ("error", created, "strftime(created_local, '%Y-%m-%d %H:%M')",
         f"{{n:,}} ticket(s) are dated in the future (e.g. {{shown}}, {stored_zone} time); "
         "left out.",
         "Check the source time zone and the date order, or remove test tickets."),
        ("error", created, "strftime(created_local, '%Y-%m-%d')",
         "{n:,} ticket(s) are dated before 1990 (e.g. {shown}): not real ticket dates; left out.",
         "Check the date column (an Excel serial below 61 or an empty date set to 1900)."),
        ("info", used.get("merged", ""), "ticket_id",
         "{n:,} merged or deleted ticket(s) (e.g. ids {shown}) are not demand; left out.",
         "Nothing to do: merged tickets are counted in the ticket they were merged into."),
    ]  # fmt: skip
    checks = [
        _Check(severity, column, f"status = {status}", value, message, fix,
               statuses.get(status, 0), tally.STATUSES[status])
        for status, (severity, column, value, message, fix) in enumerate(left_out, start=1)
    ]  # fmt: skip
    repeats_at = len(checks)
    for field_name, label, table in (
        ("handle_minutes", "handle time", "tally_handle"),
        ("first_reply_minutes", "first reply time", "tally_reply"),
    ):
        if field_name not in used:
            continue
        column = used[field_name]
        checks.append(
            _Check(
                "warning", column, f"{kept} AND {field_name} < 0", field_name,
                f"{{n:,}} ticket(s) have a negative {label} (e.g. {{shown}} minutes); "
                "the value was blanked, the ticket kept.",
                "Check the time-tracking data; negative durations come from clock or merge "
                "errors.",
                _sum(con, table, f"{kept} AND {field_name} < 0"),
            )
        )  # fmt: skip
        checks.append(
            _Check(
                "warning", column, f"{kept} AND isnan({field_name})", RawCell(column),
                f"{{n:,}} {label} value(s) are not numbers (e.g. {{shown}}); blanked, "
                "tickets kept.",
                "Use plain numbers or HH:MM:SS in that column.",
                _sum(con, table, f"{kept} AND isnan({field_name})"),
            )
        )  # fmt: skip
    if "solved_at" in used:
        column = used["solved_at"]
        checks.append(
            _Check(
                "warning", column, f"{kept} AND solved_local < created_local",
                "strftime(solved_local, '%Y-%m-%d %H:%M')",
                "{n:,} ticket(s) were solved before they were created (e.g. {shown}); "
                "the solved time was blanked.",
                "Check that both columns use the same time zone.",
                _sum(con, "tally_values", f"{kept} AND flags & {tally.SOLVED_BEFORE_CREATED} > 0"),
            )
        )  # fmt: skip
        checks.append(
            _Check(
                "warning", column, f"{kept} AND isinf(solved_local)", RawCell(column),
                "{n:,} solved time(s) are not dates (e.g. {shown}); blanked, tickets kept.",
                "Fix those cells or leave them empty for open tickets.",
                _sum(con, "tally_values", f"{kept} AND flags & {tally.SOLVED_UNREADABLE} > 0"),
            )
        )  # fmt: skip
    may_repeat, first, last = con.execute(
        f"""SELECT (SELECT count(*) > 0 FROM tally_ids WHERE {kept}),
            (SELECT min(first_local) FROM tally_values WHERE {kept}),
            (SELECT max(last_local) FROM tally_values WHERE {kept})"""
    ).fetchall()[0]
    # Times without an offset that a DST change repeats or skips, from the quarter-hour
    # counts; files with offsets (stored in UTC) have no such doubt.
    hours = []
    if stored_zone == source_zone and first is not None:
        hours = timestamps.dst_hours(source_zone, first, last)
    stamp = "TIMESTAMP '{:%Y-%m-%d %H:%M:%S}'"
    dst = [
        (hour, _sum(con, "tally_slots", f"{kept} AND slot >= {stamp.format(hour.start)} "
                                        f"AND slot < {stamp.format(hour.end)}"))
        for hour in hours
    ]  # fmt: skip
    repeated: list[Problem] = []
    events = source.event_log(kept, event_hint) if may_repeat else None
    if events is not None:
        out.event_log = True
        repeated.append(_event_log_note(*events, ticket_id))
    elif may_repeat:
        out.has_duplicates = True
        where, kept_which, count = source.repeats(kept)
        checks.insert(
            repeats_at,
            _Check(
                "warning", ticket_id, where, "ticket_id",
                "{n:,} row(s) repeat a ticket id seen earlier (e.g. {shown}); only the "
                f"{kept_which} row of each id was kept.",
                "Export without overlapping date ranges, or remove the repeated rows.",
                count, "repeated ticket id",
            ),
        )  # fmt: skip
    failed = [check for check in checks if check.count]
    for check in failed:
        rows_found, examples = source.examples(check.where, check.value, check.count)
        shown = ", ".join(repr(v) for v in examples[:3])
        text = check.message.format(n=check.count, shown=shown)
        out.problems.append(
            Problem(check.severity, check.column, rows_found, check.count, text, check.fix)
        )
        if check.excluded_as:
            out.excluded[check.excluded_as] = check.count
    at = sum(1 for check in failed if checks.index(check) < repeats_at)
    out.problems[at:at] = repeated
    out.problems += [_dst_note(hour, count, created, source_zone) for hour, count in dst if count]
    return out


class Rows(Protocol):
    """The tallied rows, read again: examples of the rows a check found, and what repeated
    ids are."""

    def examples(
        self, where: str, value: str | RawCell, count: int
    ) -> tuple[list[int], list[str]]: ...

    def event_log(self, kept: str, event_hint: bool) -> tuple[int, int] | None: ...

    def repeats(self, kept: str) -> tuple[str, str, int]: ...


@dataclass
class StagedRows:
    """A file's rows through the ``staged`` view (rowid, staged columns, status): examples
    with the row numbers a user sees (``offset`` added to the rowid), original text from
    ``read_raw(column, rowids)``; repeated ids found in file order."""

    con: duckdb.DuckDBPyConnection
    offset: int
    read_raw: RawReader

    def examples(self, where: str, value: str | RawCell, count: int) -> tuple[list[int], list[str]]:
        """The first rows (at most ``EXAMPLES``) and their values: the rows come in file
        order, so the read stops at the last example it needs."""
        shown = "NULL" if isinstance(value, RawCell) else value
        found = self.con.execute(
            f"SELECT rowid, {shown} FROM staged WHERE {where} LIMIT {min(count, EXAMPLES)}"
        ).fetchall()
        found.sort()
        rowids = [r for r, _ in found]
        if isinstance(value, RawCell):
            values = self.read_raw(value.header, rowids)
        else:
            values = [v for _, v in found]
        return [r + self.offset for r in rowids], [str(v) for v in values]

    def event_log(self, kept: str, event_hint: bool) -> tuple[int, int] | None:
        """(rows, tickets) when repeated ids are an event log's (``is_event_log``)."""
        if not is_event_log(self.con, kept, event_hint):
            return None
        rows, tickets = self.con.execute(
            f"SELECT count(*), count(DISTINCT ticket_id) FROM staged WHERE {kept}"
        ).fetchall()[0]
        return rows, tickets

    def repeats(self, kept: str) -> tuple[str, str, int]:
        """The table ``duplicate_rows`` of the rows that repeat an earlier row's id; returns
        the condition naming them, which row of an id is kept, and how many repeat."""
        self.con.execute(
            f"""CREATE TABLE duplicate_rows AS
            SELECT r FROM (
                SELECT rowid AS r, row_number() OVER (PARTITION BY ticket_id ORDER BY rowid) AS n
                FROM staged WHERE {kept} AND ticket_id IN (
                    SELECT ticket_id FROM staged WHERE {kept}
                    GROUP BY ticket_id HAVING count(*) > 1))
            WHERE n > 1"""
        )
        count = self.con.execute("SELECT count(*) FROM duplicate_rows").fetchall()[0][0]
        return "rowid IN (SELECT r FROM duplicate_rows)", "first", count


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
