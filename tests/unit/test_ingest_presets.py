"""Each helpdesk layout is detected and read to the values worked out by hand from the file."""

import io

import pandas as pd
import pytest

from planner.ingest import read_tickets
from planner.presets import detect_preset
from tests.conftest import DATA, NOW


def read(name, **kwargs):
    return read_tickets(DATA / name, now=NOW, **kwargs)


def test_zendesk_export_is_detected_and_normalised():
    result = read("zendesk.csv", source_time_zone="America/New_York")
    report, tickets = result.report, result.tickets
    assert report.preset == "zendesk"
    assert report.rows_read == 5
    assert report.excluded == {"merged or deleted": 1}
    assert list(tickets["ticket_id"]) == ["000123", "000124", "000126", "000127"]
    # 09:15 in New York on 4 March 2024 (EST, UTC-5) is 14:15 UTC.
    assert tickets["created_at"].iloc[0] == pd.Timestamp("2024-03-04 14:15:00", tz="UTC")
    assert list(tickets["channel"]) == ["email", "phone", "chat", "chat"]
    # "Total time spent (sec)": 600 s = 10 min; 900 s = 15 min; 480 s = 8 min.
    assert tickets["handle_minutes"].tolist()[:3] == [10.0, 15.0, 8.0]
    assert tickets["csat"].tolist()[:2] == [1.0, 0.0]
    assert tickets["csat"].isna().tolist()[2:] == [True, True]
    assert tickets["first_reply_minutes"].iloc[0] == 35.0


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (["id", "created_at", "channel"], "generic"),
        (["Id", "Created at", "Group", "Priority"], "generic"),
        (["Id", "Created at", "Via", "Group"], "zendesk"),
        (["Id", "Created at", "Group", "Tags"], "zendesk"),
        (["CaseNumber", "CreatedDate", "Origin"], "salesforce"),
        (["Ticket ID", "Created time", "Source", "Time tracked"], "freshdesk"),
    ],
)
def test_a_vendor_is_named_only_when_its_own_headers_say_so(headers, expected):
    assert detect_preset(headers)[0].name == expected


def test_personal_columns_are_dropped_at_once():
    tickets = read("zendesk.csv").tickets
    assert set(tickets.columns) == {
        "ticket_id", "created_at", "channel", "queue", "priority",
        "solved_at", "handle_minutes", "first_reply_minutes", "csat", "tier", "language",
    }  # fmt: skip
    assert "ana@example.com" not in tickets.to_csv()


def test_zendesk_export_with_bom_is_read():
    plain, bom = read("zendesk.csv"), read("zendesk_bom.csv")
    assert bom.report.mapping == plain.report.mapping
    pd.testing.assert_frame_equal(bom.tickets, plain.tickets)


def test_salesforce_api_export_is_utc_and_drops_merged_and_deleted():
    result = read("salesforce_api.csv", source_time_zone="Europe/Berlin")
    assert result.report.preset == "salesforce"
    assert result.report.mapping["ticket_id"] == "CaseNumber"
    assert result.report.excluded == {"merged or deleted": 2}
    tickets = result.tickets
    assert tickets["created_at"].iloc[0] == pd.Timestamp("2024-03-04 14:15:00", tz="UTC")
    assert tickets["channel"].tolist() == ["phone", "email", "chat"]
    assert tickets["queue"].tolist() == ["Problem", "Question", "Billing"]


def test_salesforce_report_reads_month_first_dates():
    result = read("salesforce_report.csv", source_time_zone="America/Chicago")
    assert result.report.preset == "salesforce"
    assert result.report.date_format.startswith("month first")
    # 3/13/2024 3:30 PM in Chicago (CDT since 10 March, UTC-5) is 20:30 UTC.
    assert result.tickets["created_at"].iloc[2] == pd.Timestamp("2024-03-13 20:30", tz="UTC")


def test_freshdesk_durations_and_repeated_columns():
    result = read("freshdesk.csv")
    assert result.report.preset == "freshdesk"
    assert "Tags (2)" in result.report.headers
    tickets = result.tickets
    # 00:12:30 = 12.5 min; 01:02:03 = 62.05 min; first response 0.5 h = 30 min.
    assert tickets["handle_minutes"].iloc[0] == pytest.approx(12.5)
    assert tickets["handle_minutes"].iloc[3] == pytest.approx(62.05)
    assert tickets["first_reply_minutes"].iloc[0] == pytest.approx(30.0)
    assert tickets["channel"].tolist() == ["email", "phone", "web_form", "chat"]
    assert tickets["csat"].iloc[0] == 1.0 and tickets["csat"].iloc[1] == 0.0


def test_cp1252_semicolons_and_decimal_commas_with_a_mapping():
    mapping = {
        "ticket_id": "Ticket",
        "created_at": "Erstellt",
        "channel": "Kanal",
        "queue": "Warteschlange",
        "handle_minutes": "Bearbeitungszeit",
    }
    result = read("generic_cp1252_semicolon.csv", preset="generic", mapping=mapping)
    report = result.report
    assert report.encoding.lower().replace("_", "") in {"cp1252", "windows1252"}
    assert report.delimiter == ";"
    assert "Kosten €" in report.headers
    assert report.date_format.startswith("day first")
    tickets = result.tickets
    assert tickets["handle_minutes"].tolist() == [12.5, 7.25, 30.0]
    assert tickets["created_at"].iloc[2] == pd.Timestamp("2024-04-01 08:00", tz="UTC")
    assert tickets["channel"].tolist() == ["email", "phone", "chat"]


def test_upload_object_is_read_like_a_path():
    upload = io.BytesIO((DATA / "zendesk.csv").read_bytes())
    upload.name = "../../etc/export.csv"
    result = read_tickets(upload, now=NOW)
    assert result.report.source == "../../etc/export.csv"
    assert result.report.tickets == 4


@pytest.mark.parametrize("kind", ["xlsx", "parquet", "gzip"])
def test_xlsx_parquet_and_gzip_give_the_same_tickets(tmp_path, kind):
    frame = pd.read_csv(DATA / "zendesk.csv", dtype=str, keep_default_na=False)
    path = tmp_path / f"export.{kind}"
    if kind == "xlsx":
        frame.to_excel(path, index=False)
    elif kind == "parquet":
        frame.to_parquet(path, index=False)
    else:
        frame.to_csv(path, index=False, compression="gzip")
    result = read_tickets(path, now=NOW, source_time_zone="America/New_York")
    expected = read("zendesk.csv", source_time_zone="America/New_York").tickets
    assert result.report.preset == "zendesk"
    pd.testing.assert_frame_equal(result.tickets, expected)
