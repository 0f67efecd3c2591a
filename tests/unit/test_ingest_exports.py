"""The exports technical support has: ServiceNow, Jira Service Management, event logs,
reports with title lines, handle-time columns under many names and units. Expected values
are read off the files in tests/data by hand."""

import csv
import io

import openpyxl
import pandas as pd
import pytest

from planner.errors import IngestError
from planner.ingest import read_tickets
from planner.presets import detect_preset
from planner.sniff import find_header_row
from tests.conftest import DATA, NOW


def read(source, **kwargs):
    return read_tickets(source, now=NOW, **kwargs)


def notes(report, severity="info"):
    return [p.message for p in report.problems if p.severity == severity]


def test_servicenow_incident_event_log_is_one_ticket_per_number():
    result = read(DATA / "servicenow_incidents.csv")
    report, tickets = result.report, result.tickets
    assert report.preset == "servicenow"
    assert report.event_log
    assert report.rows_read == 7 and report.tickets == 3
    assert not report.warnings  # no "repeated ids", no "not a date" for the "?" cells
    assert any("event log: 7 rows are the events of 3 tickets" in n for n in notes(report))
    assert tickets["ticket_id"].tolist() == ["INC0000045", "INC0000047", "INC0000048"]
    # Day-first dates: 29/2/2016 01:16 is 29 February (UTC as the source zone here).
    assert tickets["created_at"].iloc[0] == pd.Timestamp("2016-02-29 01:16", tz="UTC")
    assert tickets["channel"].tolist() == ["phone", "email", "web_form"]  # "Self service"
    # The queue of the first event that names one: INC0000048's first group is "?".
    assert tickets["queue"].tolist() == ["Group 56", "Group 70", "Group 70"]
    assert tickets["priority"].tolist() == ["3 - moderate", "3 - moderate", "2 - high"]
    # Solved: the last resolved time of the ticket's events; "?" is empty.
    assert tickets["solved_at"].iloc[0] == pd.Timestamp("2016-02-29 11:29", tz="UTC")
    assert pd.isna(tickets["solved_at"].iloc[1])


def test_process_mining_log_is_recognised_with_its_columns_likely_meaning():
    result = read(DATA / "helpdesk_event_log.csv")
    report = result.report
    assert report.preset == "generic"
    assert report.mapping == {"ticket_id": "CaseID", "created_at": "CompleteTimestamp"}
    assert any("likely meaning" in n and "'CaseID'" in n for n in notes(report))
    assert report.event_log and report.tickets == 3
    assert report.date_format.startswith("YYYY/MM/DD")
    created = result.tickets["created_at"].tolist()
    assert created == [
        pd.Timestamp("2012-10-09 14:50:17", tz="UTC"),
        pd.Timestamp("2012-10-10 09:10:00", tz="UTC"),
        pd.Timestamp("2012-10-11 16:20:00", tz="UTC"),
    ]


@pytest.mark.parametrize(
    ("headers", "ticket_id", "created_at"),
    [
        (["SR Number", "Change Date+Time", "Status", "Sub Status"], "SR Number",
         "Change Date+Time"),
        (["Incident ID", "DateStamp", "IncidentActivity_Type"], "Incident ID", "DateStamp"),
        (["case:concept:name", "time:timestamp", "concept:name"], "case:concept:name",
         "time:timestamp"),
    ],
)  # fmt: skip
def test_event_log_columns_are_offered_with_their_likely_meaning(headers, ticket_id, created_at):
    _, mapping = detect_preset(headers)
    assert mapping["ticket_id"] == ticket_id and mapping["created_at"] == created_at


def test_two_exports_of_overlapping_ranges_are_repeats_not_an_event_log():
    rows = [f"T{i},2024-03-04 09:{i:02d}:00,phone" for i in range(30)]
    text = "id,created_at,channel\n" + "\n".join(rows + rows[:20])
    report = read(io.BytesIO(text.encode())).report
    assert not report.event_log
    assert report.excluded == {"repeated ticket id": 20}


def test_jira_service_management_export_with_month_names():
    result = read(DATA / "jira_service_management.csv")
    report, tickets = result.report, result.tickets
    assert report.preset == "jira"
    assert report.date_format.startswith("DD/Mon/YY")
    assert tickets["ticket_id"].tolist() == ["HELP-101", "HELP-102", "HELP-103"]
    assert tickets["created_at"].iloc[1] == pd.Timestamp("2024-03-13 15:30", tz="UTC")
    assert tickets["channel"].tolist() == ["web_form", "email", "web_form"]  # portal, email
    assert tickets["queue"].iloc[0] == "Get IT help"
    # "Time Spent" has no unit in its name; 1,800 and 2,700 are seconds: 30 and 45 minutes.
    assert report.handle_unit == "seconds"
    assert tickets["handle_minutes"].tolist()[:2] == [30.0, 45.0]


@pytest.mark.parametrize(
    ("header", "cells", "unit", "minutes"),
    [
        ("Handle time (min)", ["7.5", "12"], "minutes", [7.5, 12.0]),
        ("Handle time (sec)", ["450", "720"], "seconds", [7.5, 12.0]),
        ("AHT", ["450", "720"], "seconds", [7.5, 12.0]),
        ("AHT", ["7.5", "12"], "minutes", [7.5, 12.0]),
        ("Talk time", ["0:07:30", "0:12:00"], "minutes", [7.5, 12.0]),
        ("Duration", ["450", "720"], "seconds", [7.5, 12.0]),
        ("Handle time [h]", ["0.125", "0.2"], "hours", [7.5, 12.0]),
    ],
)
def test_handle_time_headers_are_recognised_with_their_units(header, cells, unit, minutes):
    text = f"id,created,channel,{header}\n1,2024-03-04 09:00,phone,{cells[0]}\n"
    text += f"2,2024-03-04 09:05,phone,{cells[1]}\n"
    result = read(io.BytesIO(text.encode()))
    assert result.report.mapping["handle_minutes"] == header
    assert result.report.handle_unit == unit
    assert result.tickets["handle_minutes"].tolist() == pytest.approx(minutes)


def test_the_handle_unit_can_be_chosen():
    result = read(DATA / "generic_aht_seconds.csv", handle_unit="minutes")
    assert result.tickets["handle_minutes"].tolist() == [245.0, 310.0, 600.0]
    assert any("as chosen in the reading options" in n for n in notes(result.report))


def test_an_unmapped_duration_column_is_offered_with_a_note():
    report = read(DATA / "generic_unmapped_duration.csv").report
    assert "handle_minutes" not in report.mapping
    assert report.suggestions == {"handle_minutes": ["Work minutes"]}
    assert any("'Work minutes' looks like a duration" in n for n in notes(report))
    mapped = read(
        DATA / "generic_unmapped_duration.csv", mapping={"handle_minutes": "Work minutes"}
    )
    assert mapped.tickets["handle_minutes"].tolist() == [4.5, 6.0, 11.0]


def test_a_report_with_title_lines_finds_its_header_and_says_which_line():
    result = read(DATA / "report_with_title.csv")
    report = result.report
    assert report.header_row == 4
    assert report.preset == "salesforce" and report.tickets == 3
    assert any("header is on line 4" in n for n in notes(report))
    assert result.tickets["handle_minutes"].tolist() == [7.5, 12.0, 4.0]


def test_row_numbers_in_the_report_count_the_title_lines():
    text = "Ticket report\n\nid,created_at\nT1,2024-03-04 09:00\n,2024-03-04 10:00\n"
    report = read(io.BytesIO(text.encode())).report
    missing = next(p for p in report.problems if "no ticket id" in p.message)
    assert missing.rows == [5]  # the file's fifth line


def _csv_rows(lines: list[str]) -> list[list[str]]:
    return [next(csv.reader([line])) for line in lines]


HEADER = "Case Number,Date/Time Opened,Case Origin,Priority"
DATA_ROWS = ["00001001,3/4/2024 9:15 AM,Phone,High", "00001002,3/4/2024 10:30 AM,Email,Low"]


@pytest.mark.parametrize(
    "titles",
    [
        [],
        ["Case report"],
        ["Case report", "Generated 2024-03-20"],
        ["Case report", "Filtered by: Owner", "Generated 2024-03-20", "Confidential", "Page 1"],
        ['Cases, by origin, "EMEA, APAC"', "Total: 2,000"],
    ],
)
def test_the_header_row_is_found_below_any_title_lines(titles):
    rows = _csv_rows([*titles, HEADER, *DATA_ROWS])
    assert find_header_row(rows) == len(titles)


def test_blank_lines_above_the_header_are_skipped_in_the_file():
    text = "\n\nCase report\n\n" + "\n".join([HEADER, *DATA_ROWS]) + "\n"
    result = read(io.BytesIO(text.encode()))
    assert result.report.header_row == 5
    assert result.tickets["ticket_id"].tolist() == ["00001001", "00001002"]


def test_a_workbook_with_title_rows_finds_its_header(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Tickets by week"])
    sheet.append([])
    sheet.append(["Ticket ID", "Created", "Channel", "Handle time (min)"])
    sheet.append(["1", "2024-03-04 09:00:00", "Phone", 7])
    sheet.append(["2", "2024-03-04 10:00:00", "Email", None])
    path = tmp_path / "tickets.xlsx"
    book.save(path)
    result = read(path)
    assert result.report.header_row == 3
    assert result.tickets["channel"].tolist() == ["phone", "email"]
    assert result.tickets["handle_minutes"].iloc[0] == 7.0


def test_a_damaged_workbook_gets_a_clear_message():
    with pytest.raises(IngestError, match="damaged or cut short"):
        read(DATA / "broken.xlsx")


def test_a_text_file_named_xlsx_is_read_as_csv_and_says_so():
    report = read(DATA / "not_a_workbook.xlsx").report
    assert report.tickets == 1
    assert any("named like an Excel workbook but holds text" in n for n in notes(report))


def test_a_web_page_named_xls_is_refused_with_what_to_do():
    page = b"<html><body><table><tr><td>id</td></tr></table></body></html>"
    with pytest.raises(IngestError, match="web page"):
        read(io.BytesIO(page))


def test_iso_dates_with_twelve_hour_times_are_read_in_the_afternoon():
    text = b"id,created_at\n1,2024-03-04 10:00:00 PM\n2,2024-03-04 11:30:00 am\n"
    created = read(io.BytesIO(text)).tickets.set_index("ticket_id")["created_at"]
    assert created["1"] == pd.Timestamp("2024-03-04 22:00", tz="UTC")
    assert created["2"] == pd.Timestamp("2024-03-04 11:30", tz="UTC")


def test_german_headers_with_umlauts_are_understood():
    text = (
        "Ticket-Nr;Erstellt am;Kanal;Priorität;Bearbeitungszeit (min);Gelöst am\n"
        "A-1;13.03.2024 09:15;Telefon;Hoch;12,5;13.03.2024 10:00\n"
        "A-2;14.03.2024 10:00;Webformular;Normal;7,25;\n"
    )
    result = read(io.BytesIO(text.encode("utf-8")))
    assert result.report.mapping == {
        "ticket_id": "Ticket-Nr", "created_at": "Erstellt am", "channel": "Kanal",
        "priority": "Priorität", "handle_minutes": "Bearbeitungszeit (min)",
        "solved_at": "Gelöst am",
    }  # fmt: skip
    assert result.tickets["channel"].tolist() == ["phone", "web_form"]
    assert result.tickets["handle_minutes"].tolist() == [12.5, 7.25]


def test_a_missing_creation_time_names_the_columns_of_dates():
    text = "Ref;Geändert;Eingegangen am;Kanal\nX1;2024-03-05 10:00;2024-03-04 09:00;Telefon\n"
    text += "X2;2024-03-05 11:00;2024-03-04 09:30;Telefon\n"
    report = read(io.BytesIO(text.encode())).report
    assert report.suggestions["created_at"] == ["Geändert", "Eingegangen am"]
    assert report.suggestions["ticket_id"] == ["Ref"]
    assert any("Created at is likely 'Geändert' (or 'Eingegangen am')" in e.message
               for e in report.errors)  # fmt: skip
