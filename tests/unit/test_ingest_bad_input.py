"""Bad files and bad rows give clear errors or warnings naming rows, column and fix."""

import gzip
import io
import shutil
import tempfile
import zipfile
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from planner import tally
from planner.errors import IngestError
from planner.ingest import read_tickets
from planner.volume import aggregate
from tests.conftest import DATA, NOW


def problems_by_column(report):
    return {(p.severity, p.column, p.count): p for p in report.problems}


def test_bad_rows_are_reported_with_rows_and_excluded_or_blanked():
    result = read_tickets(DATA / "generic_bad_rows.csv", now=NOW)
    report = result.report
    assert report.preset == "generic"
    assert report.rows_read == 8
    # Row numbers are spreadsheet rows: the header is row 1.
    assert report.excluded == {
        "no ticket id": 1,
        "unreadable creation date": 1,
        "future creation date": 1,
        "repeated ticket id": 1,
    }
    found = problems_by_column(report)
    assert found[("error", "ticket_id", 1)].rows == [7]
    bad_date = next(p for p in report.errors if "not a date" in p.message)
    assert "'31/02/2024 10:00'" in bad_date.message and bad_date.rows == [5]
    assert bad_date.column == "created_at" and bad_date.fix
    assert "2099-01-01" in next(p.message for p in report.errors if "future" in p.message)
    duplicate = found[("warning", "ticket_id", 1)]
    assert duplicate.rows == [4] and "'T2'" in duplicate.message
    negative = next(p for p in report.warnings if "negative" in p.message)
    assert negative.rows == [3]
    not_number = next(p for p in report.warnings if "not numbers" in p.message)
    assert "'abc'" in not_number.message and not_number.rows == [8]
    solved = next(p for p in report.warnings if "solved before" in p.message)
    assert solved.rows == [8]
    # Whole rows left out come before values blanked, whichever scan found them.
    assert report.warnings.index(duplicate) < report.warnings.index(negative)
    tickets = result.tickets.set_index("ticket_id")
    assert list(tickets.index) == ["T1", "T2", "T5", "T6"]
    assert pd.isna(tickets.loc["T2", "handle_minutes"])  # first T2 row kept, negative blanked
    assert pd.isna(tickets.loc["T5", "solved_at"])
    assert tickets.loc["T6", "channel"] == "carrier_pigeon"
    assert tickets.loc["T6", "queue"] == "unassigned"


def test_errors_come_first_in_the_problem_table():
    table = read_tickets(DATA / "generic_bad_rows.csv", now=NOW).report.problems_table()
    severities = table["severity"].tolist()
    assert severities == sorted(severities, key=["error", "warning", "info"].index)
    assert table.loc[0, "rows"]


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("empty.csv", "is empty"),
        ("header_only.csv", "header row but no tickets"),
        ("not_a_table.png", "not a CSV, XLSX or Parquet file"),
    ],
)
def test_unreadable_files_raise_ingest_error_with_the_reason(name, words):
    with pytest.raises(IngestError, match=words) as caught:
        read_tickets(DATA / name, now=NOW)
    assert name in str(caught.value)


def test_missing_required_columns_are_an_error_naming_them():
    result = read_tickets(DATA / "missing_columns.csv", now=NOW)
    assert not result.report.ok
    [error] = result.report.errors
    assert "Ticket id" in error.column and "Created at" in error.column
    assert "Subject, Requester, Status" in error.message
    assert result.tickets.empty


def test_old_excel_and_zip_files_are_refused_with_the_fix(tmp_path):
    xls = tmp_path / "old.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64)
    with pytest.raises(IngestError, match=r"save it as \.xlsx"):
        read_tickets(xls)
    archive = tmp_path / "export.zip"
    import zipfile

    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("tickets.csv", "a,b\n1,2\n")
    with pytest.raises(IngestError, match="Unzip it"):
        read_tickets(archive)


def test_missing_path_and_unknown_time_zone_are_clear_errors(tmp_path):
    with pytest.raises(IngestError, match="does not exist"):
        read_tickets(tmp_path / "nope.csv")
    with pytest.raises(IngestError, match="not a time zone"):
        read_tickets(DATA / "zendesk.csv", source_time_zone="Mars/Olympus")


def test_a_mapping_to_a_column_that_is_not_there_is_refused():
    with pytest.raises(IngestError, match="'Nope' chosen for Ticket id is not in"):
        read_tickets(DATA / "zendesk.csv", mapping={"ticket_id": "Nope"})


def test_unrecognised_dates_are_an_error_not_a_crash():
    upload = io.BytesIO(b"id,created_at,channel\n1,yesterday,email\n2,last week,chat\n")
    result = read_tickets(upload, now=NOW)
    assert not result.report.ok
    assert "does not hold dates" in result.report.errors[0].message


def test_ambiguous_date_order_is_a_warning_and_can_be_forced():
    text = b"id,created_at,channel\n1,03/04/2024 10:00,email\n2,05/06/2024 11:00,chat\n"
    auto = read_tickets(io.BytesIO(text), now=NOW)
    assert any("day-first or month-first" in p.message for p in auto.report.warnings)
    forced = read_tickets(io.BytesIO(text), now=NOW, date_order="month_first")
    assert forced.tickets["created_at"].iloc[0] == pd.Timestamp("2024-03-04 10:00", tz="UTC")


def test_mixed_offsets_are_converted_to_utc():
    text = (
        b"id,created_at\n1,2024-03-04T10:00:00+01:00\n2,2024-03-04T10:00:00Z\n3,2024-03-04 10:00\n"
    )
    tickets = read_tickets(io.BytesIO(text), now=NOW, source_time_zone="Asia/Tokyo").tickets
    assert tickets["created_at"].dt.strftime("%H:%M").tolist() == ["01:00", "09:00", "10:00"]
    assert tickets["channel"].unique().tolist() == ["all"]


def test_dst_repeated_hour_is_read_as_standard_time_and_noted():
    # New York clocks went back at 02:00 EDT on 3 Nov 2024: 01:30 happened twice.
    text = b"id,created_at\n1,2024-11-03 01:30:00\n2,2024-11-03 12:00:00\n"
    result = read_tickets(io.BytesIO(text), now=NOW, source_time_zone="America/New_York")
    assert result.tickets["created_at"].iloc[0] == pd.Timestamp("2024-11-03 06:30", tz="UTC")
    assert any("DST change on 2024-11-03" in p.message for p in result.report.problems)


def test_excel_serial_dates_are_read():
    text = b"id,created_at\n1,45355.5\n"  # 45355 days after 1899-12-30 is 2024-03-04
    tickets = read_tickets(io.BytesIO(text), now=NOW).tickets
    assert tickets["created_at"].iloc[0] == pd.Timestamp("2024-03-04 12:00", tz="UTC")


def test_a_later_row_with_an_offset_keeps_its_offset():
    # The sample (first 5,000 rows) has no offsets, so the column is read as local time;
    # a row after it that carries +02:00 must still be read at its own offset.
    rows = [f"{i},2024-03-04 10:00:00" for i in range(1, 5002)]
    rows.append("9999,2024-03-04 10:00:00+02:00")
    text = ("id,created_at\n" + "\n".join(rows) + "\n").encode()
    tickets = read_tickets(io.BytesIO(text), now=NOW, source_time_zone="America/New_York").tickets
    by_id = tickets.set_index("ticket_id")["created_at"]
    assert by_id["1"] == pd.Timestamp("2024-03-04 15:00", tz="UTC")  # EST is UTC-5
    assert by_id["9999"] == pd.Timestamp("2024-03-04 08:00", tz="UTC")


def test_a_zone_name_or_stray_text_after_a_local_time_is_never_dropped():
    # DuckDB's naive cast ignores text after the time ("10:00:00 PM" reads as 10:00). A zone
    # name is honoured; anything else makes the cell unreadable, reported with its text.
    rows = [f"{i},2024-03-04 10:00:00" for i in range(1, 5002)]
    rows += [
        "9001,2024-03-04 10:00:00 UTC",
        "9002,2024-03-04 10:00:00 Europe/Berlin",
        "9003,2024-03-04 10:00:00 PM",
    ]
    text = ("id,created_at\n" + "\n".join(rows) + "\n").encode()
    result = read_tickets(io.BytesIO(text), now=NOW, source_time_zone="America/New_York")
    by_id = result.tickets.set_index("ticket_id")["created_at"]
    assert by_id["9001"] == pd.Timestamp("2024-03-04 10:00", tz="UTC")
    assert by_id["9002"] == pd.Timestamp("2024-03-04 09:00", tz="UTC")  # CET is UTC+1
    assert "9003" not in by_id.index
    unreadable = next(p for p in result.report.errors if "not a date" in p.message)
    assert unreadable.rows == [5005] and "'2024-03-04 10:00:00 PM'" in unreadable.message


def test_a_column_of_times_with_zone_names_is_read_in_those_zones():
    # Exports such as "2024-03-04 10:00:00 UTC" name the zone instead of giving an offset.
    # Hand-worked: Berlin is UTC+1 in March (CET) and UTC+2 in July (CEST); Etc/GMT+5 is
    # UTC-5 (POSIX sign); the source time zone (New York) must not be used for any of them.
    text = (
        b"id,created_at\n"
        b"1,2024-03-04 10:00:00 UTC\n"
        b"2,2024-03-04 10:00:00 Europe/Berlin\n"
        b"3,2024-07-01 10:00:00 Europe/Berlin\n"
        b"4,2024-03-04 10:00:00 Etc/GMT+5\n"
        b"5,2024-03-04 10:00:00 CEST\n"
    )
    result = read_tickets(io.BytesIO(text), now=NOW, source_time_zone="America/New_York")
    assert "zone names" in result.report.date_format
    by_id = result.tickets.set_index("ticket_id")["created_at"]
    assert by_id["1"] == pd.Timestamp("2024-03-04 10:00", tz="UTC")
    assert by_id["2"] == pd.Timestamp("2024-03-04 09:00", tz="UTC")
    assert by_id["3"] == pd.Timestamp("2024-07-01 08:00", tz="UTC")
    assert by_id["4"] == pd.Timestamp("2024-03-04 15:00", tz="UTC")
    # CEST is an abbreviation, not a zone DuckDB knows: reported with its row, never guessed.
    unreadable = next(p for p in result.report.errors if "not a date" in p.message)
    assert unreadable.rows == [6] and "'2024-03-04 10:00:00 CEST'" in unreadable.message
    assert "Europe/Berlin" in unreadable.fix


def test_skipped_dst_hour_is_noted():
    # New York clocks jumped from 02:00 to 03:00 on 10 March 2024: 02:30 never happened.
    text = b"id,created_at\n1,2024-03-10 02:30:00\n2,2024-03-10 03:30:00\n"
    result = read_tickets(io.BytesIO(text), now=NOW, source_time_zone="America/New_York")
    note = next(p for p in result.report.problems if "DST change on 2024-03-10" in p.message)
    assert note.count == 1 and "02:00 to 03:00" in note.message and "never happen" in note.message
    # Read as standard time (EST, UTC-5), as the repeated hour is.
    assert result.tickets["created_at"].iloc[0] == pd.Timestamp("2024-03-10 07:30", tz="UTC")


@pytest.mark.parametrize(
    ("ids", "repeats"),
    [
        (["7", "8", "7"], 1),  # numbers: counted with the bitmap
        (["012", "12", "13"], 0),  # equal as numbers, different ids
        (["A-1", "B-2", "A-1", "A-1"], 2),  # text ids: counted with hashes
    ],
)
def test_repeated_ids_are_found_whatever_their_form(ids, repeats):
    rows = "".join(f"{i},2024-03-04 10:0{n}:00\n" for n, i in enumerate(ids))
    result = read_tickets(io.BytesIO(("id,created_at\n" + rows).encode()), now=NOW)
    assert result.report.excluded.get("repeated ticket id", 0) == repeats
    assert result.report.tickets == len(ids) - repeats


def test_ragged_rows_are_read_by_the_tolerant_reader():
    text = b"id,created_at,channel\n1,2024-03-04 10:00,email\n2,2024-03-04 11:00\n"
    result = read_tickets(io.BytesIO(text), now=NOW)
    assert result.report.tickets == 2
    assert result.tickets["channel"].tolist() == ["email", "unknown"]


def test_a_time_zone_in_any_case_is_read_and_an_offset_is_refused_with_the_fix():
    read = read_tickets(DATA / "zendesk.csv", source_time_zone="europe/berlin")
    assert read.report.source_time_zone == "Europe/Berlin"
    with pytest.raises(IngestError, match="pick the city"):
        read_tickets(DATA / "zendesk.csv", source_time_zone="UTC+1")


def _ingest_dirs() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("planner-ingest-*")}


def test_a_gzip_bomb_is_stopped_while_it_unpacks_and_leaves_no_files(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_MAX_TABLE_MB", "1")
    rows = "".join(f"{i},2026-01-01 10:00,email\n" for i in range(120_000))  # ~3 MB
    bomb = tmp_path / "tickets.csv.gz"
    bomb.write_bytes(gzip.compress(("id,created_at,channel\n" + rows).encode()))
    assert bomb.stat().st_size < 1 << 20
    before = _ingest_dirs()
    with pytest.raises(
        IngestError, match=r"'tickets\.csv\.gz' unpacks to more than 1 MB"
    ) as caught:
        read_tickets(bomb)
    assert "PLANNER_MAX_TABLE_MB" in str(caught.value)
    assert _ingest_dirs() == before


def test_a_workbook_whose_sheets_unpack_past_the_limit_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANNER_MAX_TABLE_MB", "1")
    book = tmp_path / "tickets.xlsx"
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<c/>" * 600_000)  # 2.4 MB unpacked
    with pytest.raises(IngestError, match="unpacks to more than 1 MB"):
        read_tickets(book)


def test_a_csat_column_with_nan_and_inf_scores_only_the_real_scores(tmp_path):
    path = tmp_path / "csat.csv"
    path.write_text(
        "id,created_at,channel,csat\n1,2026-01-01 10:00,email,4\n2,2026-01-02 10:00,email,inf\n"
        "3,2026-01-03 10:00,email,NaN\n4,2026-01-04 10:00,email,2\n"
    )
    history = aggregate(read_tickets(path), "D", "UTC")
    email = history.handle_by_channel.set_index("channel").loc["email"]
    assert email["tickets"] == 4
    assert email["csat"] == pytest.approx(0.5)  # 4 is satisfied, 2 is not, NaN/inf no score


def test_an_impossible_utc_offset_is_refused_not_applied(tmp_path):
    path = tmp_path / "offsets.csv"
    path.write_text(
        "id,created_at,channel\n1,2026-01-05T10:00:00+23:59,email\n"
        "2,2026-01-05T10:00:00-99:00,email\n3,2026-01-05T10:00:00+14:00,email\n"
        "4,2026-01-05T10:00:00-12:00,email\n5,2026-01-05T10:00:00+05:30,email\n"
    )
    report = read_tickets(path).report
    assert report.tickets == 3
    problem = next(p for p in report.problems if "not a date" in p.message)
    assert problem.rows == [2, 3] and "-12:00 to +14:00" in problem.fix


def test_a_row_too_long_is_named_with_its_line_and_a_long_cell_is_read(tmp_path):
    rows = "".join(f"{i},2026-01-{1 + i % 28:02d} 10:00,email,ok\n" for i in range(50))
    fine = tmp_path / "long_cell.csv"
    fine.write_text("id,created_at,channel,notes\n" + rows + "99,2026-01-05 10:00,email,"
                    + "x" * 3_000_000 + "\n")  # fmt: skip
    assert read_tickets(fine).report.tickets == 51  # a 3 MB description does not stop it
    long = tmp_path / "long_line.csv"
    long.write_text("id,created_at,channel,notes\n" + rows + "99,2026-01-05 10:00,email,"
                    + "y" * 40_000_000 + "\n")  # fmt: skip
    with pytest.raises(IngestError, match=r"'long_line\.csv': line 52 is 40\.0 MB long"):
        read_tickets(long)


def test_utf32_is_read_as_utf32(tmp_path):
    path = tmp_path / "utf32.csv"
    rows = "".join(f"{i},2026-01-{1 + i % 28:02d} 10:00,email\n" for i in range(40))
    path.write_bytes(("id,created_at,channel\n" + rows).encode("utf-32"))
    report = read_tickets(path).report
    assert (report.tickets, report.encoding) == (40, "utf-32")


def test_a_long_workbook_says_how_far_it_has_read(tmp_path, monkeypatch):
    from planner import ingest

    monkeypatch.setattr(ingest, "SHEET_ROWS_A_STEP", 25)
    rows = pd.DataFrame(
        {"id": range(100), "created_at": pd.date_range("2026-01-01", periods=100, freq="h"),
         "channel": "email"}
    )  # fmt: skip
    book = tmp_path / "tickets.xlsx"
    rows.to_excel(book, index=False)
    said = []
    report = read_tickets(book, progress=lambda fraction, message: said.append(message)).report
    assert report.tickets == 100
    assert "Reading the workbook: 25 of about 101 rows" in said
    assert "Reading the workbook: 100 of about 101 rows" in said


def test_an_encoding_change_part_way_is_named_with_its_line(tmp_path):
    rows = "".join(f"{i},2026-01-{1 + i % 28:02d} 10:00,email,Billing\n" for i in range(40_000))
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        ("id,created_at,channel,group\n" + rows).encode()
        + "40001,2026-01-05 10:00,email,Caf\xe9\n".encode("cp1252")  # after the first 1 MB
    )
    with pytest.raises(IngestError, match=r"line 40,002 is not UTF-8 like the lines before"):
        read_tickets(path)


@pytest.mark.parametrize(
    "name", ["a b.csv", "q'uote.csv", "d$(rm).csv", "back\\slash.csv", "<b>export<\\b>.csv"]
)
def test_a_file_is_read_by_its_path_whatever_its_name(data, tmp_path, name):
    # DuckDB takes a backslash in a path for a separator: such a file was refused as
    # "file system operations are disabled" when read by path (the command line, a notebook)
    path = tmp_path / name
    shutil.copyfile(data / "zendesk.csv", path)
    result = read_tickets(path, source_time_zone="UTC")
    assert result.report.source == name
    plain = read_tickets(data / "zendesk.csv", source_time_zone="UTC")
    assert result.report.tickets == plain.report.tickets == 4


def test_running_out_of_memory_while_counting_is_a_clear_error(monkeypatch, data):
    def out_of_memory(*args):
        raise duckdb.OutOfMemoryException("could not allocate block of size 64.0 MiB")

    monkeypatch.setattr(tally, "tally", out_of_memory)
    monkeypatch.setenv("PLANNER_INGEST_MEMORY_MB", "200")
    with pytest.raises(IngestError, match=r"'zendesk\.csv' needs more memory .* \(200 MB\)"):
        read_tickets(data / "zendesk.csv", now=NOW)
