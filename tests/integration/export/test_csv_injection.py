"""Every CSV the app writes, opened by LibreOffice as a director's spreadsheet would: a
hostile corpus in every text field never becomes a formula cell, nor an extra row."""

import csv
import io
import zipfile

import openpyxl
import pandas as pd
import pytest

from planner import org
from planner.export.tables import csv_bundle, plan_tables, safe_csv
from planner.ingest import read_tickets
from planner.volume import aggregate

HOSTILE = [
    "=1+1",
    "Billing\r=1+1",
    "a\n=cmd|' /C calc'!A0",
    "+SUM(1,2)",
    "-2+3",
    "@A1",
    "\t=1",
    "x\r\n@y",
    '=HYPERLINK("http://evil.example","click")',
    "ok, fine",
    '"quoted"',
    "\r",
    "Ana-Maria",
]
# LibreOffice's CSV import: comma, double quotes, UTF-8, from line 1, ..., evaluate formulas
IMPORT = "CSV:44,34,76,1,,1033,false,true,true,false,false,-1,true"


@pytest.fixture
def open_in_calc(recalculate, tmp_path):
    """``open_in_calc(text) -> worksheet``: the CSV text imported by LibreOffice headless
    and saved as XLSX, read back with its formulas."""
    count = iter(range(10_000))

    def run(text: str):
        path = tmp_path / f"table{next(count)}.csv"
        path.write_text(text, encoding="utf-8", newline="")
        return openpyxl.load_workbook(recalculate(path, IMPORT)).active

    return run


def formulas(sheet) -> list[str]:
    return [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def test_the_import_does_run_formulas_so_the_check_means_something(open_in_calc):
    sheet = open_in_calc("a,b\n=1+1,2\nx\r=2+2,3\n")
    assert formulas(sheet) == ["A2", "A4"]  # and the bare CR made an extra row


def test_a_hostile_table_opens_as_text_row_for_row(open_in_calc):
    frame = pd.DataFrame(
        {
            "name": HOSTILE,
            "channel": pd.Categorical(HOSTILE),
            "=header": list(range(len(HOSTILE))),
            "value": [1.5] * len(HOSTILE),
        }
    )
    sheet = open_in_calc(safe_csv(frame))
    assert formulas(sheet) == []
    assert sheet.max_row == len(frame) + 1


def test_the_daily_history_of_a_crafted_upload_opens_as_text(open_in_calc, tmp_path):
    rows = [
        {"Ticket ID": i, "Created at": f"2026-0{1 + i % 3}-1{i % 9} 10:00",
         "Via": "Email", "Group": name}
        for i, name in enumerate(HOSTILE * 3)
    ]  # fmt: skip
    upload = tmp_path / "crafted.csv"
    pd.DataFrame(rows).to_csv(upload, index=False, quoting=csv.QUOTE_NONNUMERIC)
    history = aggregate(read_tickets(upload), "D", "UTC")
    queues = set(history.counts["queue"])
    assert "=1+1" in queues and "Billing =1+1" in queues  # kept, on one line each
    sheet = open_in_calc(safe_csv(history.counts))
    assert formulas(sheet) == []
    assert sheet.max_row == len(history.counts) + 1


def test_people_with_hostile_names_save_load_and_download_as_themselves(open_in_calc):
    people = pd.DataFrame(
        {
            "employee_id": [f"E{i}" for i in range(len(HOSTILE))],
            "name": HOSTILE,
            "title": HOSTILE,
            "manager_id": [""] + ["E0"] * (len(HOSTILE) - 1),
            "team": HOSTILE,
            "location": HOSTILE,
        }
    )
    read = org.read_people(people)
    stored = org.read_people(io.StringIO(org.to_csv(read)))  # as the store keeps it, and back
    assert stored["employee_id"].tolist() == read["employee_id"].tolist()
    assert not read["name"].str.contains("[\r\n]").any()
    sheet = open_in_calc(safe_csv(read))
    assert formulas(sheet) == []
    assert sheet.max_row == len(HOSTILE) + 1


def test_every_file_of_the_csv_bundle_opens_as_text(open_in_calc, sample_plan):
    result = sample_plan[0]
    with zipfile.ZipFile(io.BytesIO(csv_bundle(plan_tables(result)))) as archive:
        for name in archive.namelist():
            text = archive.read(name).decode()
            sheet = open_in_calc(text)
            assert formulas(sheet) == [], name
            assert sheet.max_row == len(pd.read_csv(io.StringIO(text))) + 1, name
