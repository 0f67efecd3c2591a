"""One pass over ticket rows: the small tables every check, report and history comes from.

``tally`` reads the rows once and keeps only counts, so its memory depends on how many
distinct keys the rows have, never on how many rows there are:

- ``tally_slots``: tickets per quarter hour (stored local time) x raw channel x raw queue;
- ``tally_values``: tickets per combination of raw category texts and solved-time flags,
  with the first and last creation time;
- ``tally_handle`` and ``tally_reply``: tickets per raw channel x raw queue x handle time
  (first reply time), the exact distribution that means, medians and percentiles need;
- ``tally_ids``: the hashed ticket ids that occur more than once (to find them, the pass
  groups every id: the only part of it that grows with the tickets, which DuckDB spills to
  disk past its memory limit).

Every table has ``status``: 0 for a kept row, else the reason it was left out (``STATUSES``).
One GROUPING SETS aggregate fills them all, so the source is scanned once.
"""

from __future__ import annotations

import duckdb

from planner.normalise import CATEGORIES

KEPT = 0
# Why a row is not demand, in the order the checks are reported.
STATUSES = {
    1: "no ticket id",
    2: "unreadable creation date",
    3: "future creation date",
    4: "date before 1990",
    5: "merged or deleted",
}
SOLVED_BEFORE_CREATED, SOLVED_UNREADABLE = 1, 2
RAWS = ", ".join(f"{c}_raw" for c in CATEGORIES)
# Two staged rows, for the examples: an email kept, a chat without an id.
EXAMPLE_ROWS = f"""CREATE TABLE rows AS SELECT * FROM (VALUES
    ('1', TIMESTAMP '2024-03-04 09:01', NULL::TIMESTAMP, 10.0, NULL::DOUBLE, 'email', 'A',
     NULL, NULL, NULL, NULL, false),
    (NULL, TIMESTAMP '2024-03-04 09:20', NULL, 4.0, NULL, 'chat', 'A',
     NULL, NULL, NULL, NULL, false))
    t(ticket_id, created_local, solved_local, handle_minutes, first_reply_minutes, {RAWS},
      merged)"""
# grouping() of (slot, priority_raw, handle_minutes, first_reply_minutes, idh): 1 where the
# set leaves the column out.
PARTS = {
    "tally_slots": (0b01111, "status, slot, channel_raw, queue_raw, n"),
    "tally_values": (0b10111, f"status, {RAWS}, flags, n, first_local, last_local"),
    "tally_handle": (0b11011, "status, channel_raw, queue_raw, handle_minutes, n"),
    "tally_reply": (0b11101, "status, channel_raw, queue_raw, first_reply_minutes, n"),
    "tally_ids": (0b11110, "status, idh, n"),
}


def tally(con: duckdb.DuckDBPyConnection, rows: str, status: str) -> None:
    """Count ``rows`` (a FROM clause with the staging columns: ticket_id, created_local,
    solved_local, handle_minutes, first_reply_minutes, the raw categories) into the tally
    tables, replacing any earlier ones; ``status`` is the SQL of each row's status.

    >>> con = duckdb.connect()
    >>> _ = con.execute(EXAMPLE_ROWS)
    >>> tally(con, "rows", "CASE WHEN ticket_id IS NULL THEN 1 ELSE 0 END")
    >>> con.execute("SELECT strftime(slot, '%H:%M'), channel_raw, n FROM tally_slots "
    ...             "ORDER BY ALL").fetchall()
    [('09:00', 'email', 1), ('09:15', 'chat', 1)]
    """
    con.execute("SET preserve_insertion_order = false")  # counts have no order to keep
    try:
        _count(con, rows, status)
    except duckdb.OutOfMemoryException:
        # Every thread keeps hash tables of its own within the memory limit: one thread
        # spills instead (a hundred million ids take about 85 s this way on 320 MB).
        threads = con.execute("SELECT current_setting('threads')").fetchall()[0][0]
        if threads <= 1:
            raise
        con.execute("SET threads = 1")
        try:
            _count(con, rows, status)
        finally:
            con.execute(f"SET threads = {threads}")
    finally:
        con.execute("RESET preserve_insertion_order")  # examples are quoted in file order
    define_views(con)


def _count(con: duckdb.DuckDBPyConnection, rows: str, status: str) -> None:
    con.execute(
        f"""CREATE OR REPLACE TABLE tally AS SELECT
            grouping(slot, priority_raw, handle_minutes, first_reply_minutes, idh) AS part,
            status, slot, {RAWS}, flags, handle_minutes, first_reply_minutes, idh,
            count(*) AS n, min(created_local) AS first_local, max(created_local) AS last_local
        FROM (SELECT {status} AS status,
                time_bucket(INTERVAL 15 MINUTE, created_local) AS slot, created_local, {RAWS},
                COALESCE(solved_local < created_local, false)::INTEGER * {SOLVED_BEFORE_CREATED}
                    + COALESCE(isinf(solved_local), false)::INTEGER * {SOLVED_UNREADABLE}
                    AS flags,
                handle_minutes, first_reply_minutes, hash(ticket_id) AS idh
            FROM {rows})
        GROUP BY GROUPING SETS ((status, slot, channel_raw, queue_raw),
            (status, {RAWS}, flags),
            (status, channel_raw, queue_raw, handle_minutes),
            (status, channel_raw, queue_raw, first_reply_minutes),
            (status, idh))
        HAVING grouping(slot, priority_raw, handle_minutes, first_reply_minutes, idh)
            <> {PARTS["tally_ids"][0]} OR count(*) > 1"""
    )


def define_views(con: duckdb.DuckDBPyConnection) -> None:
    """The views ``PARTS`` names over the table ``tally`` (filled by ``tally`` or, from a
    database, by ``planner.warehouse``).

    >>> con = duckdb.connect()
    >>> _ = con.execute(EXAMPLE_ROWS)
    >>> tally(con, "rows", "0")
    >>> _ = con.execute("DROP VIEW tally_values")
    >>> define_views(con)
    >>> con.execute("SELECT sum(n) FROM tally_values").fetchall()
    [(2,)]
    """
    for name, (part, columns) in PARTS.items():
        con.execute(
            f"CREATE OR REPLACE VIEW {name} AS SELECT {columns} FROM tally WHERE part = {part}"
        )


def counts(con: duckdb.DuckDBPyConnection) -> dict[int, int]:
    """Rows per status.

    >>> con = duckdb.connect()
    >>> _ = con.execute(EXAMPLE_ROWS)
    >>> tally(con, "rows", "CASE WHEN ticket_id IS NULL THEN 1 ELSE 0 END")
    >>> counts(con)
    {0: 1, 1: 1}
    """
    rows = con.execute("SELECT status, sum(n)::BIGINT FROM tally_values GROUP BY status")
    return dict(rows.fetchall())
