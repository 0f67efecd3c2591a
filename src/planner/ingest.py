"""Read a helpdesk ticket export into normalised tickets and a report a director can act on.

``read_tickets(source)`` accepts a path or an uploaded file object (CSV, XLSX, Parquet, or any
of them gzipped). DuckDB reads and normalises the file once, into counts (``planner.tally``):
every check, the report and every history come from them, so memory stays flat at any size.
The rows are read again only to quote examples of bad ones, to leave out repeated ids, or
when ``IngestResult.tickets`` asks for them. Personal data (names, e-mails, subjects, bodies)
is never read past the header: only the mapped columns are selected.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil
import tempfile
import weakref
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import BinaryIO

import duckdb
import openpyxl
import pandas as pd

from planner import columns as C
from planner import presets as P
from planner import tally, timestamps, validation
from planner.errors import IngestError
from planner.normalise import CATEGORIES, category_maps, merged_columns, staging_select
from planner.scenario import canonical_zone
from planner.sniff import SourceFile, find_header_row, stage_source, unique_headers
from planner.sql import ident, sql_text
from planner.validation import Outcome, Problem, RawReader

SAMPLE_ROWS = 5_000
# DuckDB's share of memory; the rest of a read (Python, pandas, the libraries) is about 200 MB.
# PLANNER_INGEST_MEMORY_MB sets another.
MEMORY_LIMIT_MB = 320


def memory_limit_mb() -> int:
    """DuckDB's memory limit for a read (``PLANNER_INGEST_MEMORY_MB``, else the default)."""
    try:
        return max(int(os.environ.get("PLANNER_INGEST_MEMORY_MB", MEMORY_LIMIT_MB)), 64)
    except ValueError:
        return MEMORY_LIMIT_MB


Progress = Callable[[float, str], None]


@dataclass
class IngestReport:
    """What was understood from a file: every count, choice and problem, errors first."""

    source: str
    file_type: str
    preset: str
    mapping: dict[str, str]
    headers: list[str]
    source_time_zone: str
    encoding: str = ""
    delimiter: str = ""
    date_format: str = ""
    rows_read: int = 0
    tickets: int = 0
    excluded: dict[str, int] = field(default_factory=dict)
    first_created: pd.Timestamp | None = None
    last_created: pd.Timestamp | None = None
    tickets_by_channel: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    header_row: int = 1
    handle_unit: str = ""
    event_log: bool = False
    # Unmapped columns that look like a field (e.g. handle_minutes) -> their headers.
    suggestions: dict[str, list[str]] = field(default_factory=dict)
    # Read from a file of counts (``volume.write_history``), not of tickets.
    aggregated: bool = False

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when tickets were read; row-level errors only exclude those rows."""
        return self.tickets > 0

    def to_json(self) -> str:
        data = asdict(self)
        for key in ("first_created", "last_created"):
            data[key] = None if data[key] is None else data[key].isoformat()
        return json.dumps(data)

    @classmethod
    def from_json(cls, text: str) -> IngestReport:
        data = json.loads(text)
        for key in ("first_created", "last_created"):
            data[key] = None if data[key] is None else pd.Timestamp(data[key])
        data["problems"] = [Problem(**p) for p in data["problems"]]
        return cls(**data)

    def problems_table(self) -> pd.DataFrame:
        rank = {"error": 0, "warning": 1, "info": 2}
        rows = [p.as_row() for p in sorted(self.problems, key=lambda p: rank[p.severity])]
        return pd.DataFrame(rows, columns=["severity", "column", "rows", "count", "message", "fix"])


@dataclass
class IngestResult:
    """The report, and the tally of the rows (``planner.tally``) that histories come from.

    The connection holds the small tally tables, the category maps (``map_<field>``) and
    two views that read the source again when asked: ``kept_tickets`` (the kept rows with
    raw category text, naive wall-clock times in ``stored_zone``) and ``tickets`` (the
    public columns, times in UTC). The source stays readable until ``close()`` (or until
    the result is garbage collected).
    """

    report: IngestReport
    connection: duckdb.DuckDBPyConnection
    stored_zone: str = "UTC"
    workdir: Path | None = None
    _release: weakref.finalize = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._release = weakref.finalize(self, _release, self.connection, self.workdir)

    def close(self) -> None:
        """Close the connection and remove the staged copy of the source."""
        self._release()

    @property
    def relation(self) -> duckdb.DuckDBPyRelation:
        return self.connection.table("tickets")

    @cached_property
    def tickets(self) -> pd.DataFrame:
        """The kept tickets, read again from the source (a large file takes as long as its
        first read); a database's stay there (only counts were read)."""
        try:
            relation = self.relation
        except duckdb.CatalogException:
            raise IngestError(
                f"The tickets of {self.report.source} stay in the database: only their "
                "counts were read."
            ) from None
        frame = relation.order("created_at, ticket_id").df()
        for column in ("created_at", "solved_at"):
            frame[column] = frame[column].dt.tz_convert("UTC")
        return frame


def _release(connection: duckdb.DuckDBPyConnection, workdir: Path | None) -> None:
    connection.close()
    if workdir is not None:
        shutil.rmtree(workdir, ignore_errors=True)


def read_tickets(
    source: str | Path | BinaryIO,
    preset: str | None = None,
    *,
    mapping: dict[str, str | None] | None = None,
    source_time_zone: str = "UTC",
    date_order: str = "auto",
    handle_unit: str = "auto",
    now: dt.datetime | None = None,
    progress: Progress | None = None,
    name: str | None = None,
) -> IngestResult:
    """Read a ticket export; raise IngestError only when the file cannot be read at all.

    Parameters
    ----------
    source : path or binary file object (a Streamlit upload). Its name is only displayed.
    preset : a key of ``presets.PRESETS`` ("zendesk", "salesforce", "freshdesk",
        "servicenow", "jira", "generic"); None detects it from the headers.
    mapping : field -> column overrides of the preset; None or "" unmaps a field.
    source_time_zone : IANA zone of timestamps that carry no UTC offset (Zendesk CSV exports
        use the account's zone). Ambiguous and skipped DST hours read as standard time.
    date_order : "auto", "day_first" or "month_first", chosen once for the whole file.
    handle_unit : "auto" (the header's unit, else judged from the values), "seconds",
        "minutes" or "hours": the unit of numeric handle times.
    now : the reference for "future" dates (default: the current time).
    name : how the report and messages call the file (default: its own name), e.g. the
        name an upload had on the user's computer.
    """
    report_progress = progress or (lambda fraction, message: None)
    try:
        source_time_zone = canonical_zone(source_time_zone)
    except ValueError as exc:
        raise IngestError(f"{exc}.") from None
    workdir = Path(tempfile.mkdtemp(prefix="planner-ingest-"))
    con = None
    try:
        report_progress(0.05, "Recognising the file")
        src = stage_source(source, workdir, name)
        con = _connect(workdir, source_time_zone, src.path.resolve())
        from_sql, headers = _source(con, src, report_progress)
        chosen = P.PRESETS[preset] if preset else P.detect_preset(headers)[0]
        used = resolve_mapping(chosen, headers, mapping or {}, src.display_name)
        report = IngestReport(
            source=src.display_name,
            file_type=src.kind + (" (gzip)" if src.compressed else ""),
            preset=chosen.name,
            mapping=used,
            headers=headers,
            source_time_zone=source_time_zone,
            encoding=src.encoding if src.kind == "csv" else "",
            delimiter=src.delimiter if src.kind == "csv" else "",
            header_row=src.skip_lines + 1,
        )
        if src.skip_lines:
            report.problems.append(C.header_row_note(src.skip_lines + 1, src.title))
        if src.kind == "csv" and src.display_name.lower().endswith((".xlsx", ".xls", ".xlsm")):
            report.problems.append(C.text_named_workbook_note(src.display_name, src.delimiter))
        report_progress(0.15, "Reading a sample to learn the date and number formats")
        sample = _sample(con, src, from_sql, headers)
        missing = [f for f in P.REQUIRED_FIELDS if f not in used]
        if missing:
            report.suggestions = C.required_candidates(missing, headers, sample, used)
            report.problems.append(
                _missing_columns_problem(missing, chosen, headers, report.suggestions)
            )
            return _empty_result(con, report, workdir)
        if chosen.empty_markers:
            sample = sample.replace(list(chosen.empty_markers), None)
        _understand(report, chosen, sample, src, handle_unit)
        formats = _date_formats(sample, used, chosen, date_order, report)
        if "created_at" not in formats:
            return _empty_result(con, report, workdir)
        report.date_format = formats["created_at"].description
        report_progress(0.25, "Reading and normalising every row")
        stored = timestamps.stored_zone(formats["created_at"], source_time_zone)
        merged = merged_columns(chosen, headers, used, mapping or {})
        units = {"handle_minutes": report.handle_unit} if report.handle_unit else {}
        select = staging_select(
            used, formats, src, merged, (source_time_zone, stored), units, chosen.empty_markers
        )
        now = now or dt.datetime.now(dt.UTC)
        status = validation.status_sql(now, stored)
        from_sql = _tally_source(con, src, from_sql, select, status)
        report_progress(0.75, "Checking dates, duplicates and handle times")
        offset = src.skip_lines + (2 if src.kind in ("csv", "xlsx") else 1)
        rows = validation.StagedRows(con, offset, _raw_reader(con, from_sql))
        outcome = validation.check_tallies(
            con, used, (source_time_zone, stored), rows, event_hint=C.has_event_columns(headers)
        )
        report.event_log = outcome.event_log
        report.problems.extend(outcome.problems)
        report.excluded = outcome.excluded
        report.rows_read = outcome.rows
        _create_views(con, category_maps(used, sample, src.decimal_comma), outcome, stored)
        con.execute("SET lock_configuration = true")
        summarise(con, report, stored)
        report_progress(1.0, f"Read {report.tickets:,} tickets")
        return IngestResult(report, con, stored, workdir)
    except BaseException:
        if con is not None:
            con.close()
        shutil.rmtree(workdir, ignore_errors=True)
        raise


def _connect(workdir: Path, source_time_zone: str, source: Path) -> duckdb.DuckDBPyConnection:
    """A private DuckDB that reads only ``workdir`` and the source file (RELIABILITY.md: DuckDB
    could otherwise read any file the process can); naive times parse in the source zone.
    Past ``MEMORY_LIMIT_MB`` the tally of ids spills to ``workdir``."""
    con = duckdb.connect()
    try:
        con.execute(f"SET TimeZone = '{sql_text(source_time_zone)}'")
    except duckdb.Error:
        raise IngestError(
            f"'{source_time_zone}' is not a time zone name; use one like 'Europe/Berlin'."
        ) from None
    con.execute("ATTACH ':memory:' AS work (COMPRESS)")
    con.execute("USE work")
    con.execute(f"SET memory_limit = '{memory_limit_mb()}MB'")
    con.execute(f"SET temp_directory = '{sql_text(str((workdir / 'spill').resolve()))}'")
    con.execute(f"SET allowed_directories = ['{sql_text(str(workdir.resolve()))}/']")
    con.execute(f"SET allowed_paths = ['{sql_text(str(source))}']")
    con.execute("SET enable_external_access = false")
    return con


def map_join(field_name: str, rows: str, alias: str) -> str:
    """Join the category map of ``field_name`` (its ``value`` as ``alias.value``) to the
    raw text column of ``rows``; a blank (NULL) raw value has its own map row."""
    return (
        f"LEFT JOIN map_{field_name} {alias} "
        f"ON {rows}.{field_name}_raw IS NOT DISTINCT FROM {alias}.raw"
    )


def _sql_path(src: SourceFile) -> str:
    return sql_text(str(src.path.parent.resolve() / src.path.name))


def _source(
    con: duckdb.DuckDBPyConnection, src: SourceFile, progress: Progress
) -> tuple[str, list[str]]:
    """The FROM clause that reads every column as text, and the file's (unique) headers
    (a workbook's rows are read here, with ``progress``)."""
    path = _sql_path(src)
    if src.kind == "parquet":
        try:
            headers = [
                r[0] for r in con.sql(f"DESCRIBE SELECT * FROM read_parquet('{path}')").fetchall()
            ]
        except duckdb.Error as exc:
            raise IngestError(_read_failure(src.display_name, exc)) from None
        casts = ", ".join(f"{ident(h)}::VARCHAR AS {ident(h)}" for h in headers)
        return f"(SELECT {casts} FROM read_parquet('{path}'))", headers
    if src.kind == "xlsx":
        try:
            frame = _read_sheet(src.path, progress)
        except Exception as exc:
            raise IngestError(
                f"'{src.display_name}' could not be opened as an Excel workbook ({exc}). "
                "Save it again from Excel as .xlsx, or export CSV."
            ) from None
        frame = frame.dropna(how="all")
        rows = [_filled_cells(row) for row in frame.head(200).itertuples(index=False)]
        at = find_header_row(rows)
        if frame.empty or len(frame) <= at + 1:
            raise IngestError(f"'{src.display_name}' has no rows on its first sheet.")
        src.skip_lines = int(frame.index[at])
        src.title = " / ".join(" ".join(row) for row in rows[:at])[:200]
        header = ["" if pd.isna(c) else str(c) for c in frame.iloc[at]]
        frame = frame.iloc[at + 1 :].reset_index(drop=True)
        frame.columns = unique_headers(header)
        con.register("xlsx_source", frame)
        return "xlsx_source", list(frame.columns)
    return _csv_reader(path, src, tolerant=False), src.headers


SHEET_ROWS_A_STEP = 20_000


def _read_sheet(path: Path, progress: Progress) -> pd.DataFrame:
    """The first sheet as text, as ``pandas.read_excel(dtype=str, header=None)`` gives it
    (whole numbers without ".0", dates as "YYYY-MM-DD hh:mm:ss", empty cells missing),
    read row by row so a long sheet reports how far it is (a million rows take minutes)."""
    with Path(path).open("rb") as handle:  # a handle: the staged file's name ends in .bin
        return _sheet_rows(openpyxl.load_workbook(handle, read_only=True, data_only=True),
                           progress)  # fmt: skip


def _sheet_rows(book, progress: Progress) -> pd.DataFrame:
    try:
        sheet = book.worksheets[0]
        total = max(sheet.max_row or 0, 1)
        rows = []
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append([_cell_text(v) for v in row])
            if number % SHEET_ROWS_A_STEP == 0:
                progress(0.05 + 0.1 * min(number / total, 1.0),
                         f"Reading the workbook: {number:,} of about {total:,} rows")  # fmt: skip
    finally:
        book.close()
    width = max((len(r) for r in rows), default=0)
    return pd.DataFrame([r + [None] * (width - len(r)) for r in rows], dtype=object)


def _cell_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return str(pd.Timestamp(value)) if not isinstance(value, dt.time) else str(value)
    return str(value)


def _filled_cells(row: tuple) -> list[str]:
    """A sheet row's cells as text up to its last filled one (empty cells as "")."""
    cells = ["" if pd.isna(c) else str(c) for c in row]
    while cells and not cells[-1].strip():
        cells.pop()
    return cells


def _understand(
    report: IngestReport, preset: P.Preset, sample: pd.DataFrame, src: SourceFile, unit: str
) -> None:
    """The handle times' unit, unmapped duration-like columns and the generic layout's
    guesses, each as a note in the report."""
    used = report.mapping
    if unit not in C.UNIT_CHOICES:
        raise IngestError(f"'{unit}' is not a unit of time; use one of {C.UNIT_CHOICES}.")
    guessed = C.guessed_note(preset, used)
    if guessed is not None:
        report.problems.append(guessed)
    if "handle_minutes" in used:
        header = used["handle_minutes"]
        found, how = C.duration_unit(header, sample[header], unit, src.decimal_comma)
        report.handle_unit = found
        report.problems.append(C.unit_note(header, found, how))
        return
    candidates = C.duration_candidates(report.headers, sample, used, src.decimal_comma)
    if candidates:
        report.suggestions["handle_minutes"] = candidates
        report.problems.append(C.suggestion_note(candidates[0], sample))


MAX_LINE_BYTES = 32 << 20  # a row with a long description is fine; a 100 MB line is not
# DuckDB's default buffer is 16 lines of the longest: 512 MB, which reads on one thread.
# (With a buffer of less than twice the longest line, DuckDB no longer catches a longer
# one, and the tolerant reader would drop it.)
BUFFER_BYTES = 2 * MAX_LINE_BYTES
LINE_TOO_LONG = re.compile(r"Maximum line size of \d+ bytes exceeded\. Actual Size:\s*(\d+)")


def _csv_reader(path: str, src: SourceFile, *, tolerant: bool) -> str:
    """``read_csv`` of every column as text. The strict reader is markedly faster; the
    tolerant one (ragged rows padded, stray quotes accepted) is the fallback."""
    columns = ", ".join(f"'{sql_text(h)}': 'VARCHAR'" for h in src.headers)
    options = (
        f"header = true, auto_detect = false, columns = {{{columns}}}, "
        f"delim = '{sql_text(src.delimiter)}', quote = '\"', escape = '\"', "
        f"skip = {src.skip_lines}, max_line_size = {MAX_LINE_BYTES}, buffer_size = {BUFFER_BYTES}"
    )
    if tolerant:
        options += ", null_padding = true, strict_mode = false"
    return f"read_csv('{path}', {options})"


def _tally_source(
    con: duckdb.DuckDBPyConnection, src: SourceFile, from_sql: str, select: str, status: str
) -> str:
    """Tally every row (``planner.tally``: the one read of the whole file) and define the
    view ``staged`` (rowid, the staged columns, status) that reads it again when examples are
    wanted; returns the FROM clause that worked (rows in file order, so the report can quote
    cells from it)."""
    attempts = [from_sql]
    if src.kind == "csv":
        attempts.append(_csv_reader(_sql_path(src), src, tolerant=True))
    if _rows_about(con, src) > ONE_THREAD_ROWS:
        con.execute("SET threads = 1")
    for attempt in attempts:
        try:
            tally.tally(con, f"(SELECT {select} FROM {attempt})", status)
        except duckdb.OutOfMemoryException:
            raise IngestError(
                f"'{src.display_name}' needs more memory to count than a read may use "
                f"({memory_limit_mb():,} MB): its tickets have unusually many distinct "
                "channels, queues or handle times. Export fewer columns or a shorter date "
                "range; an administrator can raise the limit with PLANNER_INGEST_MEMORY_MB."
            ) from None
        except duckdb.Error as exc:
            failure = exc
            if LINE_TOO_LONG.search(str(exc)):
                break  # a tolerant reader would drop that row without a word
            continue
        con.execute(
            f"""CREATE VIEW staged AS SELECT *, {status} AS status
            FROM (SELECT row_number() OVER () - 1 AS rowid, {select} FROM {attempt})"""
        )
        return attempt
    raise IngestError(_read_failure(src.display_name, failure)) from None


# Above about this many rows, each thread's table of ids outgrows its share of the memory
# limit (10M rows count on two threads in 573 MB, 100M need one): count on one thread.
ONE_THREAD_ROWS = 30_000_000


def _rows_about(con: duckdb.DuckDBPyConnection, src: SourceFile) -> int:
    """How many rows the file has, roughly: a Parquet file says; a CSV file is its size over
    the mean length of the lines read so far; a workbook is small."""
    if src.kind == "parquet":
        found = con.execute(
            f"SELECT sum(num_rows) FROM parquet_file_metadata('{_sql_path(src)}')"
        ).fetchall()[0][0]
        return int(found or 0)
    if src.kind == "csv" and src.head_text:
        lines = max(src.head_text.count("\n"), 1)
        return int(src.path.stat().st_size / (len(src.head_text.encode()) / lines))
    return 0


def _sample(
    con: duckdb.DuckDBPyConnection, src: SourceFile, from_sql: str, headers: list[str]
) -> pd.DataFrame:
    """The first rows as text, to learn date and number formats; CSV uses the head already
    in memory rather than starting a parallel scan of the file. pandas' C parser is fast
    but stops at a quoted cell cut off by the end of the head; the Python one then reads
    around it."""
    if src.kind != "csv":
        return con.sql(f"SELECT * FROM {from_sql} LIMIT {SAMPLE_ROWS}").df()
    options = {
        "sep": src.delimiter,
        "names": headers,
        "header": 0,
        "dtype": str,
        "keep_default_na": False,
        "nrows": SAMPLE_ROWS,
        "on_bad_lines": "skip",
    }
    try:
        return pd.read_csv(io.StringIO(src.head_text), engine="c", **options)
    except pd.errors.ParserError:
        return pd.read_csv(io.StringIO(src.head_text), engine="python", **options)


def resolve_mapping(
    preset: P.Preset, headers: list[str], overrides: dict[str, str | None], name: str
) -> dict[str, str]:
    mapping = P.match_columns(preset, headers)
    for field_name, column in overrides.items():
        if field_name not in P.FIELDS:
            raise IngestError(f"'{field_name}' is not a ticket field; use one of {P.FIELDS}.")
        if not column:
            mapping.pop(field_name, None)
        elif column not in headers:
            raise IngestError(
                f"Column '{column}' chosen for {P.FIELD_LABELS[field_name]} is not in '{name}'. "
                f"Its columns are: {', '.join(headers[:30])}."
            )
        else:
            mapping[field_name] = column
    return mapping


def _missing_columns_problem(
    missing: list[str], preset: P.Preset, headers: list[str], likely: dict[str, list[str]]
) -> Problem:
    wanted = "; ".join(f"{P.FIELD_LABELS[f]} (e.g. '{preset.headers[f][0]}')" for f in missing)
    hints = "".join(
        f" {P.FIELD_LABELS[f]} is likely '{likely[f][0]}'"
        + (f" (or {', '.join(repr(c) for c in likely[f][1:3])})" if len(likely[f]) > 1 else "")
        + "."
        for f in missing
        if f in likely
    )
    return Problem(
        "error",
        ", ".join(P.FIELD_LABELS[f] for f in missing),
        [],
        0,
        f"No column found for {wanted}. The file's columns are: {', '.join(headers[:30])}." + hints,
        "Choose the matching column in the mapping, or pick the export's preset.",
    )


def _date_formats(
    sample: pd.DataFrame,
    used: dict[str, str],
    preset: P.Preset,
    order: str,
    report: IngestReport,
) -> dict[str, timestamps.DateFormat]:
    formats = {}
    for field_name in ("created_at", "solved_at"):
        if field_name not in used:
            continue
        column = used[field_name]
        values = sample[column].dropna().astype(str).tolist()
        fmt = timestamps.detect(values, preset.month_first_dates, order)
        if fmt is None:
            severity = "error" if field_name == "created_at" else "warning"
            shown = ", ".join(repr(v) for v in values[:3]) or "only empty cells"
            report.problems.append(
                Problem(
                    severity,
                    column,
                    [],
                    len(values),
                    f"Column '{column}' does not hold dates Support Planner recognises "
                    f"(first values: {shown}).",
                    "Map the column that holds the ticket's creation time, or export dates "
                    "as YYYY-MM-DD hh:mm:ss.",
                )
            )
            continue
        if fmt.ambiguous and field_name == "created_at" and order == "auto":
            report.problems.append(
                Problem(
                    "warning",
                    column,
                    [],
                    0,
                    f"Every date in the sample could be day-first or month-first; "
                    f"read as {fmt.description}.",
                    "If that is wrong, choose the other date order above the report.",
                )
            )
        formats[field_name] = fmt
    return formats


def _raw_reader(con: duckdb.DuckDBPyConnection, from_sql: str) -> RawReader:
    """Original text of a few cells by staging rowid: a read of the source up to the last of
    them, done only when a check found rows to quote. Row order is the file's: DuckDB
    preserves insertion order."""

    def read(column: str, rowids: list[int]) -> list[str]:
        if not rowids:
            return []
        wanted = ", ".join(str(r) for r in rowids)
        rows = con.execute(
            f"SELECT r, v FROM (SELECT row_number() OVER () - 1 AS r, {ident(column)} AS v "
            f"FROM {from_sql}) WHERE r IN ({wanted}) LIMIT {len(set(rowids))}"
        ).fetchall()
        found = {r: "" if v is None else v for r, v in rows}
        return [found.get(r, "") for r in rowids]

    return read


def _create_views(
    con: duckdb.DuckDBPyConnection,
    maps: dict[str, str],
    outcome: Outcome,
    stored: str,
) -> None:
    """The tally of the tickets (the rows again without repeated ids, or an event log's
    tickets: the checks were counted on the rows as read); ``kept_tickets``, the kept rows
    with impossible optional values blanked; ``count_categories``; and the public
    ``tickets`` view with times in UTC."""
    kept = f"status = {tally.KEPT}"
    raws = ", ".join(f"{c}_raw" for c in CATEGORIES)
    rows = f"staged WHERE {kept}"
    if outcome.event_log:
        # One ticket per id: created at its first event; each category from the first event
        # (in time, then file order) that has one; the last solved time; the largest handle
        # and first reply times.
        firsts = ", ".join(
            f"arg_min({c}_raw, (created_local, rowid)) FILTER (WHERE {c}_raw IS NOT NULL) "
            f"AS {c}_raw"
            for c in CATEGORIES
        )
        con.execute(
            f"""CREATE TABLE event_tickets AS SELECT ticket_id,
                min(created_local) AS created_local, {firsts},
                max(solved_local) FILTER (WHERE NOT isinf(solved_local)) AS solved_local,
                max(handle_minutes) FILTER (WHERE NOT isnan(handle_minutes)) AS handle_minutes,
                max(first_reply_minutes) FILTER (WHERE NOT isnan(first_reply_minutes))
                    AS first_reply_minutes
            FROM {rows} GROUP BY ticket_id"""
        )
        rows = "event_tickets"
        tally.tally(con, "event_tickets", str(tally.KEPT))
    elif outcome.has_duplicates:
        rows += " AND rowid NOT IN (SELECT r FROM duplicate_rows)"
        tally.tally(con, f"(SELECT * FROM {rows})", "status")
    con.execute(
        f"""CREATE VIEW kept_tickets AS SELECT
            ticket_id, created_local, {raws},
            CASE WHEN solved_local >= created_local AND NOT isinf(solved_local)
                THEN solved_local END AS solved_local,
            CASE WHEN handle_minutes >= 0 AND NOT isnan(handle_minutes)
                THEN handle_minutes END AS handle_minutes,
            CASE WHEN first_reply_minutes >= 0 AND NOT isnan(first_reply_minutes)
                THEN first_reply_minutes END AS first_reply_minutes
        FROM {rows}"""
    )
    count_categories(con, maps)
    zone = sql_text(stored)
    joins = " ".join(map_join(c, "k", f"map_{c}") for c in CATEGORIES)
    con.execute(
        f"""CREATE VIEW tickets AS SELECT
            ticket_id, timezone('{zone}', created_local) AS created_at,
            map_channel.value AS channel, map_queue.value AS queue,
            map_priority.value AS priority, timezone('{zone}', solved_local) AS solved_at,
            handle_minutes, first_reply_minutes, map_csat.value AS csat, map_tier.value AS tier,
            map_language.value AS language
        FROM kept_tickets k {joins}"""
    )


def count_categories(con: duckdb.DuckDBPyConnection, maps: dict[str, str]) -> None:
    """``raw_values``: the kept tickets' count and first and last creation time per
    combination of raw category texts, from the tally; and the category maps
    (``map_<field>``: one row per distinct raw value, with the value ``maps`` gives it)."""
    raws = ", ".join(f"{c}_raw" for c in CATEGORIES)
    con.execute(
        f"""CREATE TABLE raw_values AS SELECT {raws}, sum(n)::BIGINT AS n,
            min(first_local) AS first_local, max(last_local) AS last_local
        FROM tally_values WHERE status = {tally.KEPT} GROUP BY ALL"""
    )
    for name in CATEGORIES:
        con.execute(
            f"CREATE TABLE map_{name} AS SELECT raw, {maps[name]} AS value "
            f"FROM (SELECT DISTINCT {name}_raw AS raw FROM raw_values)"
        )


def summarise(con: duckdb.DuckDBPyConnection, report: IngestReport, stored: str) -> None:
    """Counts and dates for the report, from the small ``raw_values`` table."""
    by_channel = con.execute(
        f"""SELECT m.value, sum(n)::BIGINT AS n FROM raw_values g
        {map_join("channel", "g", "m")}
        GROUP BY ALL ORDER BY n DESC, m.value"""
    )
    report.tickets_by_channel = dict(by_channel.fetchall())
    report.tickets = sum(report.tickets_by_channel.values())
    zone = sql_text(stored)
    first, last = con.execute(
        f"SELECT epoch_us(timezone('{zone}', min(first_local))), "
        f"epoch_us(timezone('{zone}', max(last_local))) FROM raw_values"
    ).fetchall()[0]
    if first is not None:
        report.first_created = pd.Timestamp(first, unit="us", tz="UTC")
        report.last_created = pd.Timestamp(last, unit="us", tz="UTC")


def _empty_result(
    con: duckdb.DuckDBPyConnection, report: IngestReport, workdir: Path
) -> IngestResult:
    """No rows could be read: the same tables and views, empty, so every caller works."""
    raws = ", ".join(f"{c}_raw VARCHAR" for c in CATEGORIES)
    con.execute(
        "CREATE TABLE no_rows (ticket_id VARCHAR, created_local TIMESTAMP, solved_local TIMESTAMP,"
        f" handle_minutes DOUBLE, first_reply_minutes DOUBLE, {raws}, merged BOOLEAN)"
    )
    con.execute(
        "CREATE VIEW staged AS SELECT row_number() OVER () - 1 AS rowid, *, "
        f"{tally.KEPT} AS status FROM no_rows"
    )
    tally.tally(con, "no_rows", str(tally.KEPT))
    maps = category_maps({}, pd.DataFrame(), False)
    _create_views(con, maps, Outcome(), "UTC")
    return IngestResult(report, con, "UTC", workdir)


def _read_failure(name: str, exc: Exception) -> str:
    """What went wrong reading the file, in words: a line too long, an encoding that
    changes part-way, else DuckDB's first line."""
    long = LINE_TOO_LONG.search(str(exc))
    line = re.search(r"Line: (\d+)", str(exc))
    where = f"line {int(line.group(1)):,}" if line else "a line"
    if long:
        return (
            f"'{name}': {where} is {int(long.group(1)) / 1e6:,.1f} MB long, more than the "
            f"{MAX_LINE_BYTES >> 20} MB a row may have (a cell holding a whole email thread or "
            "an attachment). Export without the long text columns (descriptions, comments), "
            "or remove that row."
        )
    if "Invalid unicode" in str(exc):
        return (
            f"'{name}': {where} is not UTF-8 like the lines before it: the file changes "
            "encoding part-way (a letter such as 'é' saved as Windows-1252 in a UTF-8 "
            "export, often rows pasted in from another file). Export it again as CSV "
            "UTF-8, or open it in Excel and save it as 'CSV UTF-8'."
        )
    detail = str(exc).split("\n")[0][:300]
    return (
        f"'{name}' could not be read as a table: {detail}. "
        "Check that every row has the same columns as the header, or export again."
    )
