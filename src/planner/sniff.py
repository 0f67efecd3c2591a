"""Recognise what a ticket file is before reading it: type, encoding, CSV dialect, date format.

Nothing here trusts the file name: the type comes from the first bytes. Text that is not UTF-8
is decoded in Python and rewritten as UTF-8, because DuckDB reads only UTF-8/16 and Latin-1
(a cp1252 "€" would fail there).
"""

from __future__ import annotations

import codecs
import csv
import gzip
import io
import os
import re
import shutil
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from charset_normalizer import from_bytes

from planner.errors import IngestError
from planner.presets import PRESETS, header_key, unit_free_key

HEAD_BYTES = 1 << 20
DELIMITERS = ",;\t|"
# Most a table may hold once unpacked (a .csv.gz, or an XLSX's sheets): as much as an
# upload may be (Streamlit's maxUploadSize, 1,024 MB). A 4 MB gzip can unpack to 4 GiB;
# counted while it unpacks and stopped at the limit. PLANNER_MAX_TABLE_MB sets another.
MAX_TABLE_MB = 1024


def max_table_bytes() -> int:
    """The unpacked-size limit in bytes (``PLANNER_MAX_TABLE_MB``, else ``MAX_TABLE_MB``)."""
    try:
        megabytes = float(os.environ.get("PLANNER_MAX_TABLE_MB", MAX_TABLE_MB))
    except ValueError:
        megabytes = MAX_TABLE_MB
    return int(max(megabytes, 1) * (1 << 20))


def _too_big(name: str, what: str) -> IngestError:
    limit = max_table_bytes() >> 20
    return IngestError(
        f"'{name}' {what} more than {limit:,} MB, the most a table may hold here (a small "
        "compressed file can unpack to gigabytes). Export a shorter date range, or split it; "
        f"an administrator can raise the limit with PLANNER_MAX_TABLE_MB (now {limit:,})."
    )


_MAGIC_GZIP = b"\x1f\x8b"
_MAGIC_ZIP = b"PK\x03\x04"
_MAGIC_PARQUET = b"PAR1"
_MAGIC_OLE2 = b"\xd0\xcf\x11\xe0"


@dataclass
class SourceFile:
    """A file prepared for DuckDB: ``path`` is UTF-8 CSV, XLSX or Parquet on local disk."""

    display_name: str
    path: Path
    kind: str
    encoding: str = "utf-8"
    delimiter: str = ","
    headers: list[str] = field(default_factory=list)
    decimal_comma: bool = False
    compressed: bool = False
    head_text: str = ""
    # Lines above the header (a report's title, blank lines) that reading skips.
    skip_lines: int = 0
    title: str = ""


def stage_source(
    source: str | Path | BinaryIO, workdir: Path, display_name: str | None = None
) -> SourceFile:
    """Copy or link ``source`` into ``workdir`` and recognise its type and encoding;
    ``display_name`` is how messages call the file (default: its own name)."""
    staged = workdir / "source.bin"
    if isinstance(source, str | Path):
        path = Path(source)
        name = display_name or path.name
        if not path.is_file():
            raise IngestError(f"'{path}' does not exist or is not a file. Check the path.")
        if "\\" in str(path.resolve()):
            # DuckDB reads a backslash in a path as a separator, so the file it may read
            # would not be the one it is given: a copy has the workdir's plain name
            shutil.copyfile(path, staged)
        else:
            staged.symlink_to(path.resolve())
    else:
        name = display_name or str(getattr(source, "name", "uploaded file"))
        with staged.open("wb") as out:
            if hasattr(source, "seek"):
                source.seek(0)
            shutil.copyfileobj(source, out)
    head = _head(staged)
    if not head:
        raise IngestError(f"'{name}' is empty (0 bytes). Export the tickets again.")
    compressed = head.startswith(_MAGIC_GZIP)
    if compressed:
        staged, head = _gunzip(staged, workdir, name)
    if head.startswith(_MAGIC_PARQUET):
        return SourceFile(name, staged, "parquet", compressed=compressed)
    if head.startswith(_MAGIC_ZIP):
        try:
            with zipfile.ZipFile(staged) as archive:
                infos = archive.infolist()
                names = [info.filename for info in infos]
        except zipfile.BadZipFile:
            raise IngestError(
                f"'{name}' starts like an Excel workbook but is damaged or cut short. "
                "Save it again from Excel as .xlsx (or export CSV) and upload that."
            ) from None
        if "xl/workbook.xml" not in names:
            raise IngestError(
                f"'{name}' is a ZIP archive, not an Excel workbook. "
                "Unzip it and upload the CSV or XLSX file inside."
            )
        if sum(info.file_size for info in infos) > max_table_bytes():
            raise _too_big(name, "unpacks to")
        return SourceFile(name, staged, "xlsx")
    if head.startswith(_MAGIC_OLE2):
        raise IngestError(
            f"'{name}' is an old Excel 97-2003 (.xls) file. "
            "Open it in Excel and save it as .xlsx or CSV."
        )
    return _prepare_text(name, staged, head, workdir, compressed)


def _head(path: Path) -> bytes:
    with path.open("rb") as handle:
        return handle.read(HEAD_BYTES)


def _gunzip(path: Path, workdir: Path, name: str) -> tuple[Path, bytes]:
    target = workdir / "decompressed.bin"
    limit, written = max_table_bytes(), 0
    try:
        with gzip.open(path, "rb") as source, target.open("wb") as out:
            while chunk := source.read(1 << 22):
                written += len(chunk)
                if written > limit:
                    raise _too_big(name, "unpacks to")
                out.write(chunk)
    except (OSError, EOFError) as exc:
        raise IngestError(f"'{name}' is a damaged gzip file ({exc}). Compress it again.") from None
    head = _head(target)
    if not head:
        raise IngestError(f"'{name}' contains an empty file. Export the tickets again.")
    return target, head


def _detect_encoding(name: str, head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # before UTF-16: FF FE
        return "utf-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    cut = head if len(head) < HEAD_BYTES else head[: head.rfind(b"\n") + 1]
    if b"\x00" in cut:
        raise IngestError(
            f"'{name}' is not a CSV, XLSX or Parquet file (it contains binary data). "
            "Upload the helpdesk's CSV or Excel export."
        )
    try:
        cut.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        return "utf-8"
    try:
        # Excel's "CSV" on Western Windows; strict decoding fails on its five unused bytes.
        cut.decode("cp1252")
    except UnicodeDecodeError:
        best = from_bytes(cut).best()
        if best is None:
            raise IngestError(
                f"'{name}' is not text in an encoding Support Planner recognises. "
                "Export it again as CSV UTF-8."
            ) from None
        return best.encoding
    return "cp1252"


def _prepare_text(
    name: str, path: Path, head: bytes, workdir: Path, compressed: bool
) -> SourceFile:
    encoding = _detect_encoding(name, head)
    if encoding not in ("utf-8", "utf-8-sig"):
        path = transcode(path, workdir / "utf8.csv", encoding)
        head = _head(path)
    text = head.decode("utf-8-sig", errors="replace")
    if re.match(r"\s*<(!doctype html|html|table|\?xml)", text[:200], re.IGNORECASE):
        raise IngestError(
            f"'{name}' is a web page or XML document, not a table of tickets (some helpdesks "
            "save reports as HTML with an Excel name). Open it in Excel and save it as .xlsx "
            "or CSV, or export CSV from the helpdesk."
        )
    if len(head) == HEAD_BYTES:  # the head ends mid-line: leave that line out
        text = text[: max(text.rfind("\n"), text.rfind("\r")) + 1]
    physical = LINE.findall(text)[:-1]  # each line with its ending, as CSV readers split
    numbered = [(i, line) for i, line in enumerate(physical) if line.strip()]
    if not numbered:
        raise IngestError(f"'{name}' has no rows. Export the tickets again.")
    delimiter = _sniff_delimiter([line.rstrip("\r\n") for _, line in numbered[:200]])
    records = _records(text, delimiter)
    at = find_header_row([cells for _, cells in records])
    skip = records[at][0]
    title = " / ".join(" ".join(c.strip() for c in cells if c.strip()) for _, cells in records[:at])
    rows = [cells for _, cells in records[at:]]
    headers = unique_headers(rows[0])
    lines = "".join(physical[skip:])
    if len(rows) < 2:
        raise IngestError(f"'{name}' has a header row but no tickets. Export a date range again.")
    decimal_comma = delimiter != "," and any(
        re.fullmatch(r"-?\d+,\d+", cell.strip()) for row in rows[1:] for cell in row
    )
    return SourceFile(
        name,
        path,
        "csv",
        encoding,
        delimiter,
        headers,
        decimal_comma,
        compressed=compressed,
        head_text=lines,
        skip_lines=skip,
        title=title[:200],
    )


LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


def _records(text: str, delimiter: str, limit: int = 200) -> list[tuple[int, list[str]]]:
    """The first ``limit`` non-blank records of the text, each with the physical line it
    starts on: a quoted cell may hold line breaks (a queue named "Billing\\r=1+1"), so
    records, not lines, are what a header and its rows are."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records, start = [], 0
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                records.append((start, cells))
                if len(records) >= limit:
                    break
            start = reader.line_num
    except csv.Error:  # a quote left open where the head ends
        pass
    return records or [(0, [])]


def transcode(path: Path, target: Path, encoding: str) -> Path:
    """Rewrite a text file as UTF-8 in streaming fashion (large files never sit in memory)."""
    with (
        path.open("r", encoding=encoding, errors="replace", newline="") as source,
        target.open("w", encoding="utf-8", newline="") as out,
    ):
        shutil.copyfileobj(source, out, 1 << 22)
    return target


def _sniff_delimiter(lines: list[str]) -> str:
    """The delimiter that splits most lines into the same number of cells (more than one):
    title lines above the header and commas inside text do not sway it. Ties go to
    Python's sniffer, then to the order of ``DELIMITERS``."""
    try:
        sniffed = csv.Sniffer().sniff("\n".join(lines[:50]), delimiters=DELIMITERS).delimiter
    except csv.Error:
        sniffed = ""

    def consistency(delimiter: str) -> tuple[int, bool]:
        widths = Counter(len(row) for row in csv.reader(lines, delimiter=delimiter))
        width, count = max(widths.items(), key=lambda item: (item[1], item[0]))
        return (count if width > 1 else 0, delimiter == sniffed)

    best = max(DELIMITERS, key=consistency)
    return best if consistency(best)[0] else sniffed or max(DELIMITERS, key=lines[0].count)


def find_header_row(rows: list[list[str]]) -> int:
    """Where the header is among a table's first rows (blank lines already left out).

    Exports from reports often start with a title, a date or a filter line before the
    header. The table's width is the number of cells most rows have (more than one). A
    header candidate is a row at least that wide, mostly filled, whose next rows (up to
    three) are at least half as wide (a sheet's empty last cells shorten a row): a title
    line is narrower, or is followed by one. Among candidates
    the row naming most known ticket fields ("Created at", "Case Number") wins, so a title
    with as many commas as the header has cells does not; without known names, the first.
    """
    widths = Counter(len(row) for row in rows if len(row) > 1)
    if not widths:
        return 0
    width = max(widths.items(), key=lambda item: (item[1], item[0]))[0]
    known = {header_key(h) for p in PRESETS.values() for names in p.headers.values() for h in names}
    best, best_score = None, -1
    for index, row in enumerate(rows):
        following = rows[index + 1 : index + 4]
        if (
            len(row) >= width
            and sum(bool(cell.strip()) for cell in row) * 2 >= width
            and all(len(after) >= max(2, (width + 1) // 2) for after in following)
        ):
            score = sum(header_key(cell) in known or unit_free_key(cell) in known for cell in row)
            if score > best_score:
                best, best_score = index, score
    return 0 if best is None else best


def unique_headers(raw: list[str]) -> list[str]:
    """Blank headers get a position name; repeated ones get ' (2)', ' (3)' (Freshdesk repeats)."""
    seen: dict[str, int] = {}
    headers = []
    for position, header in enumerate(raw, start=1):
        header = header.strip().lstrip("\ufeff") or f"column {position}"
        count = seen.get(header.lower(), 0) + 1
        seen[header.lower()] = count
        headers.append(header if count == 1 else f"{header} ({count})")
    return headers
