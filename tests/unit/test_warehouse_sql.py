"""The warehouse's tally SQL: written once, translated to each database's dialect. DuckDB
runs the translation and must count exactly as ``tally.tally`` does; the SQL for
PostgreSQL, Snowflake, BigQuery and Redshift must parse in that dialect."""

from __future__ import annotations

import duckdb
import pytest
import sqlglot

from planner import tally, warehouse

STATUS = "CASE WHEN ticket_id IS NULL THEN 1 WHEN merged THEN 5 ELSE 0 END"
ROWS = """SELECT * FROM (VALUES
    ('1', TIMESTAMP '2024-03-04 09:01', TIMESTAMP '2024-03-04 10:00', 10.0, 3.0,
     'email', 'A', 'low', 'Good', 'Tier 1', 'en', false),
    ('2', TIMESTAMP '2024-03-04 09:14:59', TIMESTAMP '2024-03-04 08:00', 10.0, NULL,
     'email', 'A', 'low', 'Bad', NULL, 'de', false),
    ('3', TIMESTAMP '2024-03-04 23:59:59', NULL, 4.5, 1.0,
     'chat', NULL, 'high', NULL, 'Tier 2', NULL, false),
    ('3', TIMESTAMP '2024-03-05 00:00', NULL, -1.0, NULL,
     'chat', 'B', 'high', NULL, NULL, NULL, false),
    (NULL, TIMESTAMP '2024-03-05 00:20', NULL, 7.0, NULL,
     'chat', 'B', NULL, NULL, NULL, NULL, false),
    ('4', TIMESTAMP '2024-03-05 00:20', NULL, 7.0, NULL,
     'phone', 'B', NULL, NULL, NULL, NULL, true))
    t(ticket_id, created_local, solved_local, handle_minutes, first_reply_minutes,
      channel_raw, queue_raw, priority_raw, csat_raw, tier_raw, language_raw, merged)"""


def parts(con: duckdb.DuckDBPyConnection) -> dict[str, list]:
    return {
        name: con.execute(f"SELECT * EXCLUDE (idh) FROM {name} ORDER BY ALL").fetchall()
        if name == "tally_ids"
        else con.execute(f"SELECT * FROM {name} ORDER BY ALL").fetchall()
        for name in tally.PARTS
    }


def test_the_translated_tally_counts_what_the_file_tally_counts():
    con = duckdb.connect()
    con.execute(f"CREATE TABLE rows AS {ROWS}")
    tally.tally(con, "rows", STATUS)
    expected = parts(con)
    found = con.execute(warehouse.tally_sql("duckdb", "SELECT * FROM rows", STATUS)).df()
    con.register("fetched", found)
    con.execute(
        """CREATE OR REPLACE TABLE tally AS SELECT part::INTEGER AS part, status::INTEGER AS
            status, slot_day::TIMESTAMP + to_minutes(slot_q * 15) AS slot, * EXCLUDE
            (part, status, slot_day, slot_q, idh), idh FROM fetched"""
    )
    tally.define_views(con)
    assert parts(con) == expected
    assert con.execute("SELECT idh, n FROM tally_ids").fetchall() == [("3", 2)]


def test_keeping_the_earliest_of_a_repeated_id():
    con = duckdb.connect()
    con.execute(f"CREATE TABLE rows AS {ROWS}")
    sql = warehouse.tally_sql("duckdb", "SELECT * FROM rows", STATUS, deduplicate=True)
    handle = con.execute(
        f"SELECT handle_minutes, n FROM ({sql}) WHERE part = 27 AND status = 0 "
        "AND channel_raw = 'chat'"
    ).fetchall()
    assert handle == [(4.5, 1)]  # id 3's later row (-1 minutes) is left out


@pytest.mark.parametrize("dialect", ["postgres", "snowflake", "bigquery", "redshift"])
def test_the_tally_compiles_for_each_warehouse(dialect):
    staged = warehouse.staged_sql(
        {"ticket_id": "Id", "created_at": "Created at", "channel": "Via", "merged": "Tags",
         "handle_minutes": "Handle (sec)"},
        warehouse.P.PRESETS["zendesk"], '"tickets"', ["Tags"], True, "seconds",
    )  # fmt: skip
    sql = warehouse.tally_sql(dialect, staged, STATUS, deduplicate=True)
    parsed = sqlglot.parse_one(sql, read=dialect)
    assert parsed.find(sqlglot.exp.GroupingSets) is not None
    assert "GROUPING SETS" in sql and "ROW_NUMBER() OVER" in sql


def test_a_password_is_left_out_of_what_is_shown():
    url = "postgresql://planner:S3cret-pw@db.example.com:5432/support"
    assert "S3cret-pw" not in warehouse.shown_url(url)
    assert warehouse.scrubbed(f"failed for {url}: S3cret-pw", url).count("S3cret-pw") == 0
