"""The warehouse path against a real PostgreSQL with a million generated tickets: the tally
runs in the database and the history equals the file path's for the same rows; a password
in the URL never reaches a message, a report, a log line or a saved scenario."""

from __future__ import annotations

import datetime as dt
import logging

import pandas as pd
import psycopg
import pytest
import sqlalchemy as sa

from planner import store, warehouse
from planner.errors import IngestError
from planner.ingest import read_tickets
from planner.scenario import Scenario, Source
from planner.volume import HISTORY_PARTS, aggregate
from planner_ui import state
from tests.app.conftest import page

NOW = dt.datetime(2026, 11, 22, tzinfo=dt.UTC)
ZONE = "America/New_York"
ROWS = 1_000_000
PASSWORD = "S3cret-pw"
# What a page shows, as AppTest lists it.
SHOWN = ("markdown", "caption", "text", "error", "warning", "info", "success", "metric",
         "dataframe", "table", "json", "text_input")  # fmt: skip
# A Zendesk layout, typed as a warehouse holds it; every 997th row has no id, every 1,009th
# is in the future, every 211th is merged, every 101st has a negative handle time, every
# 499th was solved before it was created, and ids 5-24 repeat later with a later time.
TICKETS = f"""CREATE TABLE support.tickets AS SELECT
    CASE WHEN i % 997 = 0 THEN NULL WHEN i >= {ROWS} - 20 THEN (i - {ROWS} + 25)::BIGINT
        ELSE i END AS "Id",
    TIMESTAMP '2023-11-01' + make_interval(secs => (i::BIGINT * 94608000 / {ROWS})
        + CASE WHEN i % 1009 = 0 THEN 200000000 ELSE 0 END) AS "Created at",
    TIMESTAMP '2023-11-01' + make_interval(secs => (i::BIGINT * 94608000 / {ROWS})
        + CASE WHEN i % 499 = 0 THEN -3600 ELSE 5400 END) AS "Solved at",
    (ARRAY['Mail', 'Chat', 'Voice', 'Web form'])[1 + (i * 13) % 4] AS "Via",
    (ARRAY['Tier 1', 'Tier 2', 'Billing', ''])[1 + (i * 7) % 4] AS "Group",
    (ARRAY['Low', 'Normal', 'High', 'Urgent'])[1 + i % 4] AS "Priority",
    (ARRAY['Good', 'Bad', 'Offered', 'Unoffered'])[1 + i % 4] AS "Satisfaction Score",
    CASE WHEN i % 211 = 0 THEN 'vip closed_by_merge' ELSE 'vip' END AS "Tags",
    CASE WHEN i % 101 = 0 THEN -60 ELSE 120 + (i * 17) % 1200 END::DOUBLE PRECISION
        AS "Total time spent (sec)"
FROM generate_series(1, {ROWS}) AS t(i)"""


@pytest.fixture(scope="module")
def tickets(postgres_server, tmp_path_factory):
    """The table in PostgreSQL, the same rows as a CSV export (in the table's order), and
    the URL with a password (the test server trusts any)."""
    url = store.database_url(postgres_server)
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text("DROP SCHEMA IF EXISTS support CASCADE"))
        connection.execute(sa.text("CREATE SCHEMA support"))
        connection.execute(sa.text(TICKETS))
    engine.dispose()
    path = tmp_path_factory.mktemp("warehouse") / "tickets.csv"
    plain = postgres_server.replace("postgresql://", "postgresql://", 1)
    with psycopg.connect(plain) as connection, path.open("wb") as out:
        copy = "COPY support.tickets TO STDOUT WITH (FORMAT csv, HEADER)"
        with connection.cursor().copy(copy) as rows:
            for block in rows:
                out.write(block)
    with_password = url.replace("planner@", f"planner:{PASSWORD}@", 1)
    return with_password, path


def test_the_database_counts_what_the_file_path_counts(tickets, caplog):
    url, path = tickets
    with caplog.at_level(logging.DEBUG):
        result = warehouse.read_table(url, "support.tickets", source_time_zone=ZONE, now=NOW)
    from_file = read_tickets(path, source_time_zone=ZONE, now=NOW)
    assert result.report.rows_read == from_file.report.rows_read == ROWS
    assert result.report.tickets == from_file.report.tickets
    assert result.report.excluded == from_file.report.excluded
    assert result.report.tickets_by_channel == from_file.report.tickets_by_channel
    assert result.report.first_created == from_file.report.first_created
    kinds = [(p.severity, p.column, p.count) for p in result.report.problems]
    assert kinds == [(p.severity, p.column, p.count) for p in from_file.report.problems]
    for freq, zone in (("D", ZONE), ("15min", "Asia/Kolkata")):
        ours, theirs = aggregate(result, freq, zone), aggregate(from_file, freq, zone)
        assert ours.fingerprint == theirs.fingerprint
        for part in HISTORY_PARTS:
            if getattr(theirs, part) is None:
                assert getattr(ours, part) is None
            else:
                pd.testing.assert_frame_equal(getattr(ours, part), getattr(theirs, part))
    repeated = next(p for p in result.report.problems if p.column == "Id" and "repeat" in p.message)
    assert "earliest created" in repeated.message and "'10'" in repeated.message
    shown = result.report.to_json() + caplog.text
    assert PASSWORD not in shown
    assert "planner:***@" in result.report.source
    scenario = Scenario().with_sources(
        {"tickets": Source(kind="uploaded", detail=result.report.source)}
    )
    assert PASSWORD not in scenario.to_json()


def test_a_missing_table_or_a_text_time_is_a_clear_error_without_the_password(tickets):
    url, _ = tickets
    with pytest.raises(IngestError) as missing:
        warehouse.read_table(url, "support.no_such_table", now=NOW)
    assert "no_such_table" in str(missing.value) and PASSWORD not in str(missing.value)
    query = 'SELECT "Id", CAST("Created at" AS TEXT) AS "Created at", "Via" FROM support.tickets'
    with pytest.raises(IngestError) as text:
        warehouse.read_table(url, query, now=NOW)
    assert "not timestamps" in str(text.value) and "CAST(" in str(text.value)
    assert PASSWORD not in str(text.value)


def test_the_ticket_history_page_reads_a_table_and_never_shows_the_password(tickets):
    url, _ = tickets
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(sa.text(
            'CREATE TABLE IF NOT EXISTS support.recent AS SELECT * FROM support.tickets '
            'WHERE "Id" < 20000'
        ))  # fmt: skip
    engine.dispose()
    app = page("data", timeout=600)
    app.run()
    app.radio(key="data-source").set_value("database").run()
    app.text_input(key="data-db-url").input(url)
    app.text_input(key="data-db-table").input("support.recent").run()
    next(b for b in app.button if b.label == "Read from the database").click().run()
    assert not app.exception, app.exception
    loaded = app.session_state[state.HISTORY_KEY]
    assert loaded.path is None and loaded.daily.total_tickets == loaded.report.tickets > 19_000
    scenario = app.session_state["scenario"]
    assert scenario.sources["tickets"].detail.startswith("support.recent at postgresql")
    shown = " ".join(str(e.value) for kind in SHOWN for e in getattr(app, kind))
    assert PASSWORD not in shown and PASSWORD not in scenario.to_json()
    assert PASSWORD not in loaded.report.to_json()
