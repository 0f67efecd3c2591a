"""CSV exports: text a spreadsheet would run as a formula is written as text."""

import io
import re

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
    assert safe_csv(pd.DataFrame({"=cmd": [1]})).splitlines()[0] == '"\'=cmd"'


def test_a_trigger_after_a_line_break_is_quoted_and_the_break_stays_in_its_cell():
    # A queue named "Billing\r=1+1": a reader splitting rows on the bare CR would find a
    # formula in the next row; every line that starts with a trigger gets its quote.
    assert neutralise("Billing\r=1+1") == "Billing\r'=1+1"
    assert neutralise("a\n@SUM(1)\r\n-2+x") == "a\n'@SUM(1)\r\n'-2+x"
    assert neutralise("=a\r\r+b") == "'=a\r'\r'+b"
    text = safe_csv(pd.DataFrame({"queue": ["Billing\r=1+1"], "n": [3]}))
    assert text == '"queue","n"\n"Billing\r\'=1+1",3\n'
    read = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert read["queue"].tolist() == ["Billing\r'=1+1"] and len(read) == 1


@given(st.text())
def test_no_text_cell_ever_starts_a_formula(text):
    cell = neutralise(text)
    if cell.startswith(TRIGGERS):  # only a plain number may keep its sign
        assert cell == text
        float(text.replace(",", "").removesuffix("%"))
    for line in re.split(r"[\r\n]", cell)[1:]:  # nor does any line after a break
        assert not line.startswith(TRIGGERS[:5]) or line == ""


def test_a_cell_reference_with_a_sign_is_quoted():
    assert [neutralise(t) for t in ("-e5", "+A1", "-", "-.5", "-1.")] == [
        "'-e5",
        "'+A1",
        "'-",
        "-.5",
        "-1.",
    ]
