"""CSV exports: text a spreadsheet would run as a formula is written as text."""

import io

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from planner.export.tables import TRIGGERS, neutralise, safe_csv


def test_formula_text_is_quoted_and_numbers_are_not():
    frame = pd.DataFrame(
        {"name": ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "@SUM(A1)", "-2+3", "Ana", "\tx"],
         "value": ["-0.05", "1,200", "-1e3", "12%", "abc", "+7"],
         "number": [-1.5, 2.0, 3.0, 4.0, 5.0, 6.0]}
    )  # fmt: skip
    read = pd.read_csv(io.StringIO(safe_csv(frame)), dtype=str, keep_default_na=False)
    assert read["name"].tolist() == [
        '\'=HYPERLINK("http://x","y")',
        "'+1+1",
        "'@SUM(A1)",
        "'-2+3",
        "Ana",
        "'\tx",
    ]
    assert read["value"].tolist() == ["-0.05", "1,200", "-1e3", "12%", "abc", "+7"]
    assert read["number"].tolist() == ["-1.5", "2.0", "3.0", "4.0", "5.0", "6.0"]


def test_a_formula_header_is_quoted_too():
    assert safe_csv(pd.DataFrame({"=cmd": [1]})).splitlines()[0] == "'=cmd"


@given(st.text())
def test_no_text_cell_ever_starts_a_formula(text):
    cell = neutralise(text)
    if cell.startswith(TRIGGERS):  # only a plain number may keep its sign
        assert cell == text
        float(text.replace(",", "").removesuffix("%"))


def test_a_cell_reference_with_a_sign_is_quoted():
    assert [neutralise(t) for t in ("-e5", "+A1", "-", "-.5", "-1.")] == [
        "'-e5",
        "'+A1",
        "'-",
        "-.5",
        "-1.",
    ]
