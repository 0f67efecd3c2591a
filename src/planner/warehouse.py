"""Ticket history from the team's warehouse: the checks and the tally run in the database, and
only counts come back.

``read_table(url, source)`` takes a SQLAlchemy URL (PostgreSQL, Snowflake, BigQuery,
Redshift, DuckDB) and a table name or a SELECT. Columns are mapped as in a file (the same
presets, mapping and report); the tally of ``planner.tally`` is written once, in DuckDB's
dialect, and translated by sqlglot to the database's (``tally_sql``), so the rows never
leave the warehouse: a few thousand counts do. ``volume.aggregate`` then makes the same
history as from a file of the same rows.

A warehouse column has a type, so times must be timestamps and durations numbers (cast
them in the query otherwise). A table has no row order: of rows repeating an id the
earliest created is kept, and the report quotes ids instead of row numbers. A password in
the URL is never shown: messages name the database without it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd
import sqlalchemy as sa
import sqlglot

from planner import columns as C
from planner import presets as P
from planner import tally, validation
from planner.errors import IngestError
from planner.ingest import (
    IngestReport,
    IngestResult,
    Progress,
    count_categories,
    resolve_mapping,
    summarise,
)
from planner.normalise import CATEGORIES, category_maps, merged_columns
from planner.scenario import canonical_zone
from planner.sql import ident, sql_text

SAMPLE_ROWS = 5_000
# SQLAlchemy dialect -> sqlglot dialect.
DIALECTS = {
    "postgresql": "postgres",
    "redshift": "redshift",
    "snowflake": "snowflake",
    "bigquery": "bigquery",
    "duckdb": "duckdb",
}
MERGE_FLAGS = ("true", "1", "yes", "y", "merged", "deleted")


def shown_url(url: str) -> str:
    """The URL without its password, for messages.

    >>> shown_url("postgresql://ana:S3cret@db.example.com/support")
    'postgresql://ana:***@db.example.com/support'
    """
    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "the database URL"


def tally_sql(dialect: str, staged: str, status: str, deduplicate: bool = False) -> str:
    """The tally of ``staged`` (a SELECT of the staging columns, DuckDB's dialect) in the
    SQL of ``dialect`` (sqlglot's name). The groups are those of ``tally.tally``; the
    quarter hour is a date and a quarter of the day (portable), and ids are kept as text,
    only those seen more than once. ``deduplicate`` keeps one row of a repeated kept id,
    the earliest created.

    >>> print(tally_sql("snowflake", "SELECT * FROM tickets", "0")[:62])
    SELECT GROUPING(slot_day, priority_raw, handle_minutes, first_
    """
    rows = f"SELECT *, {status} AS status FROM ({staged}) AS staged_rows"
    if deduplicate:
        rows = (
            "SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY CASE WHEN status = "
            f"{tally.KEPT} THEN ticket_id END ORDER BY created_local) AS copy FROM ({rows}) "
            f"AS numbered) AS first_copies WHERE status <> {tally.KEPT} OR copy = 1"
        )
    grouping = "GROUPING(slot_day, priority_raw, handle_minutes, first_reply_minutes, idh)"
    flags = f"CASE WHEN solved_local < created_local THEN {tally.SOLVED_BEFORE_CREATED} ELSE 0 END"
    quarter = (
        "CAST(EXTRACT(HOUR FROM created_local) * 4 "
        "+ FLOOR(EXTRACT(MINUTE FROM created_local) / 15) AS INTEGER)"
    )
    definition = f"""SELECT {grouping} AS part, status, slot_day, slot_q, {tally.RAWS}, flags,
            handle_minutes, first_reply_minutes, idh, COUNT(*) AS n,
            MIN(created_local) AS first_local, MAX(created_local) AS last_local
        FROM (SELECT status, CAST(created_local AS DATE) AS slot_day, {quarter} AS slot_q,
                created_local, {tally.RAWS}, {flags} AS flags, handle_minutes,
                first_reply_minutes, ticket_id AS idh
            FROM ({rows}) AS status_rows) AS tallied
        GROUP BY GROUPING SETS ((status, slot_day, slot_q, channel_raw, queue_raw),
            (status, {tally.RAWS}, flags),
            (status, channel_raw, queue_raw, handle_minutes),
            (status, channel_raw, queue_raw, first_reply_minutes),
            (status, idh))
        HAVING {grouping} <> {tally.PARTS["tally_ids"][0]} OR COUNT(*) > 1"""
    return sqlglot.transpile(definition, read="duckdb", write=dialect)[0]


def read_table(
    url: str,
    source: str,
    preset: str | None = None,
    *,
    mapping: dict[str, str | None] | None = None,
    source_time_zone: str = "UTC",
    handle_unit: str = "auto",
    now: dt.datetime | None = None,
    progress: Progress | None = None,
) -> IngestResult:
    """The report and tally of the tickets in ``source`` (a table, ``schema.table``, or a
    SELECT) of the database at ``url``; see the module's notes. Raises IngestError, with
    the password left out, when the database or the columns cannot be read."""
    report_progress = progress or (lambda fraction, message: None)
    try:
        source_time_zone = canonical_zone(source_time_zone)
    except ValueError as exc:
        raise IngestError(f"{exc}.") from None
    where = shown_url(url)
    try:
        engine = sa.create_engine(url)
    except (sa.exc.ArgumentError, ImportError) as exc:
        raise IngestError(scrubbed(f"{where} cannot be opened: {exc}", url)) from None
    dialect = DIALECTS.get(engine.dialect.name)
    if dialect is None:
        raise IngestError(
            f"{where}: a {engine.dialect.name} database cannot run the tally (it needs "
            f"GROUPING SETS); use one of {', '.join(DIALECTS)}."
        )
    table = _from_clause(source, dialect)
    try:
        report_progress(0.1, "Reading the columns and a sample")
        sample = _fetch(engine, f"SELECT * FROM {table} LIMIT {SAMPLE_ROWS}", dialect)
        headers = [str(h) for h in sample.columns]
        chosen = P.PRESETS[preset] if preset else P.detect_preset(headers)[0]
        used = resolve_mapping(chosen, headers, mapping or {}, source)
        report = IngestReport(
            source=f"{source} at {where}", file_type=f"{engine.dialect.name} table",
            preset=chosen.name, mapping=used, headers=headers,
            source_time_zone=source_time_zone,
        )  # fmt: skip
        missing = [f for f in P.REQUIRED_FIELDS if f not in used]
        if missing:
            raise IngestError(
                f"{source}: no column found for {', '.join(P.FIELD_LABELS[f] for f in missing)}"
                f". Its columns are: {', '.join(headers[:30])}. Choose them in the mapping."
            )
        text = (
            sample.astype(object)
            .where(sample.notna(), None)
            .map(lambda v: None if v is None else str(v))
        )
        stored = _check_types(sample, used, source_time_zone, source)
        _handle_unit(report, sample, text, handle_unit)
        merged = merged_columns(chosen, headers, used, mapping or {})
        staged = staged_sql(used, chosen, table, merged, stored != source_time_zone,
                         report.handle_unit)  # fmt: skip
        now = now or dt.datetime.now(dt.UTC)
        status = validation.status_sql(now, stored)
        report_progress(0.3, "Counting in the database")
        con = duckdb.connect()
        _load(con, engine, tally_sql(dialect, staged, status), dialect)
        rows = WarehouseRows(engine, dialect, staged, status, con)
        outcome = validation.check_tallies(con, used, (source_time_zone, stored), rows)
        if outcome.has_duplicates:
            report_progress(0.7, "Counting again without the repeated ids")
            _load(con, engine, tally_sql(dialect, staged, status, deduplicate=True), dialect)
    except sa.exc.SQLAlchemyError as exc:
        first = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0][:300]
        raise IngestError(scrubbed(f"{where} could not be read: {first}", url)) from None
    finally:
        engine.dispose()
    report.problems.extend(outcome.problems)
    report.excluded = outcome.excluded
    report.rows_read = outcome.rows
    count_categories(con, category_maps(used, text, False))
    summarise(con, report, stored)
    report_progress(1.0, f"Counted {report.tickets:,} tickets")
    return IngestResult(report, con, stored)


@dataclass
class WarehouseRows:
    """The rows in the database, asked again only for examples (the earliest created, by
    value: a table has no row numbers); repeated ids keep their earliest row."""

    engine: sa.Engine
    dialect: str
    staged: str
    status: str
    con: duckdb.DuckDBPyConnection

    def examples(
        self, where: str, value: str | validation.RawCell, count: int
    ) -> tuple[list[int], list[str]]:
        shown = "CAST(NULL AS VARCHAR)" if isinstance(value, validation.RawCell) else value
        query = (
            f"SELECT {shown} AS v FROM (SELECT *, {self.status} AS status FROM "
            f"({self.staged}) AS staged_rows) AS staged WHERE {where} "
            f"ORDER BY created_local, ticket_id LIMIT {min(count, validation.EXAMPLES)}"
        )
        found = _fetch(self.engine, query, self.dialect)
        return [], ["" if v is None else str(v) for v in found["v"]]

    def event_log(self, kept: str, event_hint: bool) -> tuple[int, int] | None:
        return None

    def repeats(self, kept: str) -> tuple[str, str, int]:
        ids, count = self.con.execute(
            f"SELECT list(idh ORDER BY idh)[1:{validation.EXAMPLES}], sum(n - 1)::BIGINT "
            f"FROM tally_ids WHERE {kept}"
        ).fetchall()[0]
        named = ", ".join(f"'{sql_text(i)}'" for i in ids)
        return f"{kept} AND ticket_id IN ({named})", "earliest created", count


def _from_clause(source: str, dialect: str) -> str:
    """A SELECT as a subquery; else a table name, each dotted part quoted."""
    text = source.strip().rstrip(";")
    if text.lower().startswith(("select ", "with ", "select\n", "with\n")):
        return f"({text}) AS source_rows"
    return ".".join(ident(part) for part in text.split("."))


def _fetch(engine: sa.Engine, query: str, dialect: str) -> pd.DataFrame:
    """Run ``query`` (DuckDB's dialect, translated) and return the rows."""
    translated = sqlglot.transpile(query, read="duckdb", write=dialect)[0]
    with engine.connect() as connection:
        result = connection.execute(sa.text(translated.replace(":", r"\:")))
        return pd.DataFrame(result.fetchall(), columns=list(result.keys()))


def _load(con: duckdb.DuckDBPyConnection, engine: sa.Engine, query: str, dialect: str) -> None:
    """The database's tally rows as the ``tally`` table ``planner.tally`` defines (quarter
    hours as timestamps again)."""
    with engine.connect() as connection:
        result = connection.execute(sa.text(query.replace(":", r"\:")))
        frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
    con.register("fetched", frame)
    raws = ", ".join(f"CAST({c}_raw AS VARCHAR) AS {c}_raw" for c in CATEGORIES)
    con.execute(
        f"""CREATE OR REPLACE TABLE tally AS SELECT CAST(part AS INTEGER) AS part,
            CAST(status AS INTEGER) AS status,
            CAST(slot_day AS TIMESTAMP) + to_minutes(CAST(slot_q AS BIGINT) * 15) AS slot,
            {raws}, CAST(flags AS INTEGER) AS flags,
            CAST(handle_minutes AS DOUBLE) AS handle_minutes,
            CAST(first_reply_minutes AS DOUBLE) AS first_reply_minutes,
            CAST(idh AS VARCHAR) AS idh, CAST(n AS BIGINT) AS n,
            CAST(first_local AS TIMESTAMP) AS first_local,
            CAST(last_local AS TIMESTAMP) AS last_local
        FROM fetched"""
    )
    con.unregister("fetched")
    tally.define_views(con)


def _check_types(sample: pd.DataFrame, used: dict[str, str], zone: str, source: str) -> str:
    """The stored zone (UTC when the creation times carry a zone, else ``zone``), after
    checking that times are timestamps and durations numbers."""
    for field_name in ("created_at", "solved_at"):
        column = used.get(field_name)
        if column is None:
            continue
        values = sample[column].dropna()
        if len(values) and not pd.api.types.is_datetime64_any_dtype(pd.Series(list(values))):
            raise IngestError(
                f"{source}: column '{column}' ({P.FIELD_LABELS[field_name]}) holds "
                f"{type(values.iloc[0]).__name__} values, not timestamps. Cast it in the "
                f"query, e.g. SELECT CAST({ident(column)} AS TIMESTAMP) AS {ident(column)}, ..."
            )
    for field_name in ("handle_minutes", "first_reply_minutes"):
        column = used.get(field_name)
        if column is None:
            continue
        values = pd.to_numeric(sample[column].dropna(), errors="coerce")
        if values.isna().any():
            raise IngestError(
                f"{source}: column '{column}' ({P.FIELD_LABELS[field_name]}) is not a number. "
                f"Cast it in the query, e.g. SELECT CAST({ident(column)} AS DOUBLE "
                f"PRECISION) AS {ident(column)}, ..."
            )
    created = sample[used["created_at"]].dropna()
    aware = len(created) and getattr(created.iloc[0], "tzinfo", None) is not None
    return "UTC" if aware else zone


def _handle_unit(report: IngestReport, sample: pd.DataFrame, text: pd.DataFrame, unit: str) -> None:
    if "handle_minutes" not in report.mapping:
        return
    header = report.mapping["handle_minutes"]
    found, how = C.duration_unit(header, text[header], unit, False)
    report.handle_unit = found
    report.problems.append(C.unit_note(header, found, how))


def staged_sql(
    used: dict[str, str],
    preset: P.Preset,
    table: str,
    merged_by: list[str],
    aware: bool,
    handle_unit: str,
) -> str:
    """The staging columns of ``table`` (DuckDB's dialect): ids and categories as text,
    times as naive timestamps (in UTC when the column carries a zone), durations in
    minutes, and whether a row is a merged or deleted ticket.

    >>> used = {"ticket_id": "Id", "created_at": "Created at"}
    >>> print(staged_sql(used, P.GENERIC, "tickets", [], False, "")[:63])
    SELECT NULLIF(TRIM(CAST("Id" AS VARCHAR)), '') AS ticket_id, "C
    """

    def text(field_name: str) -> str:
        if field_name not in used:
            return "CAST(NULL AS VARCHAR)"
        column = f"CAST({ident(used[field_name])} AS VARCHAR)"
        for marker in preset.empty_markers:
            column = f"NULLIF({column}, '{sql_text(marker)}')"
        return column

    def time(field_name: str) -> str:
        if field_name not in used:
            return "CAST(NULL AS TIMESTAMP)"
        column = ident(used[field_name])
        return f"({column} AT TIME ZONE 'UTC')" if aware else column

    def minutes(field_name: str, unit: str) -> str:
        if field_name not in used:
            return "CAST(NULL AS DOUBLE)"
        factor = {"seconds": 1 / 60, "hours": 60.0, "minutes": 1.0}[unit]
        return f"CAST({ident(used[field_name])} AS DOUBLE) * {factor!r}"

    reply_unit = P.duration_unit(used.get("first_reply_minutes", "")) or "minutes"
    merged = " OR ".join(_merged(c) for c in merged_by) or "FALSE"
    parts = [
        f"NULLIF(TRIM({text('ticket_id')}), '') AS ticket_id",
        f"{time('created_at')} AS created_local",
        f"{time('solved_at')} AS solved_local",
        f"{minutes('handle_minutes', handle_unit or 'minutes')} AS handle_minutes",
        f"{minutes('first_reply_minutes', reply_unit)} AS first_reply_minutes",
        *(f"{text(c)} AS {c}_raw" for c in CATEGORIES),
        f"({merged}) AS merged",
    ]
    return f"SELECT {', '.join(parts)} FROM {table}"


def _merged(column: str) -> str:
    """A merged or deleted ticket: a merge tag among space-separated tags, a flag, or a
    master record id (as ``normalise`` reads them from a file)."""
    key = P.header_key(column)
    value = f"LOWER(TRIM(CAST({ident(column)} AS VARCHAR)))"
    if key == "tags":
        tags = sorted({t for p in P.PRESETS.values() for t in p.merged_tags})
        spaced = f"(' ' || COALESCE({value}, '') || ' ')"
        return "(" + " OR ".join(f"{spaced} LIKE '% {sql_text(t)} %'" for t in tags) + ")"
    if key == "masterrecordid":
        return f"COALESCE({value}, '') <> ''"
    flags = ", ".join(f"'{f}'" for f in MERGE_FLAGS)
    return f"COALESCE({value} IN ({flags}), FALSE)"


def scrubbed(message: str, url: str) -> str:
    """``message`` with the URL's password, if any, replaced.

    >>> scrubbed("login failed: S3cret", "postgresql://ana:S3cret@db.example.com/support")
    'login failed: ***'
    """
    try:
        password = sa.engine.make_url(url).password
    except sa.exc.ArgumentError:
        return message.replace(url, "the database URL")
    return message.replace(str(password), "***") if password else message
