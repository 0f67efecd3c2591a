"""The Excel workbook: its formulas, recalculated by LibreOffice, give the app's budget to
the cent; changing an input moves the totals; user text stays text."""

import io

import openpyxl
import pytest

from planner.export.workbook import workbook_bytes


def lines_of(path) -> dict[str, float]:
    """Budget sheet: line label -> its Total column (values as last calculated)."""
    sheet = openpyxl.load_workbook(path, data_only=True)["Budget"]
    total_column = max(c.column for c in sheet[4] if c.value == "Total")
    return {
        row[0].value: row[total_column - 1].value
        for row in sheet.iter_rows(min_row=5)
        if row[0].value is not None
    } | {
        row[0].value.split(",")[0]: row[2].value
        for row in sheet.iter_rows(min_row=5)
        if str(row[0].value).startswith(
            ("Budget, ", "Cost per ticket", "Share of ARR", "Contacts handled, ")
        )
    }


def without_cached_values(data: bytes, path, change=None):
    """The workbook saved by openpyxl (which keeps formulas and drops their cached results),
    with ``change(name, cell)`` applied to the Assumptions inputs."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    if change is not None:
        for row in book["Assumptions"].iter_rows(min_row=5):
            if row[2].value:
                change(row[2].value, row[1])
    book.save(path)
    return path


@pytest.fixture(scope="module")
def workbook(sample_plan):
    result, roster, *_ = sample_plan
    return workbook_bytes(result, roster)


def test_recalculated_budget_matches_the_app_to_the_cent(
    sample_plan, workbook, recalculate, tmp_path
):
    result, *_ = sample_plan
    fresh = recalculate(without_cached_values(workbook, tmp_path / "plan.xlsx"))
    found = lines_of(fresh)
    expected = result.budget.lines.groupby("line", sort=False)["amount"].sum()
    for line, amount in expected.items():
        assert found[line] == pytest.approx(amount, abs=0.005), line
    numbers = result.budget.unit_economics()
    assert round(found["Total"], 2) == round(result.budget.total, 2)
    assert round(found["Budget"], 2) == round(numbers.total, 2)
    assert round(found["Contacts handled"], 2) == round(numbers.handled, 2)
    assert round(found["Cost per ticket"], 2) == round(numbers.cost_per_ticket, 2)
    assert found["Share of ARR"] == pytest.approx(numbers.share_of_arr, abs=1e-9)
    book = openpyxl.load_workbook(fresh, data_only=True)
    statuses = [
        r[4].value
        for r in book["Assumptions"].iter_rows(min_row=5)
        if r[4].value == "OK" or str(r[4].value).startswith("Re-")
    ]
    assert statuses and set(statuses) == {"OK"}, "nothing changed: every check is OK"
    sizes = {}  # the first row of each class (later blocks repeat the label per person)
    for row in book["Capacity"].iter_rows(min_row=5):
        if str(row[0].value).startswith("Class for "):
            sizes.setdefault(row[0].value.removeprefix("Class for "), row[3].value)
    wanted = {f"{r.for_month:%b %Y}": r.people for r in result.capacity.requisitions.itertuples()}
    assert {k: v for k, v in sizes.items() if v} == wanted, "the app's recommended classes"


def test_the_staffing_formulas_give_the_plans_required_fte(
    sample_plan, workbook, recalculate, tmp_path
):
    result, *_ = sample_plan
    fresh = recalculate(without_cached_values(workbook, tmp_path / "plan.xlsx"))
    sheet = openpyxl.load_workbook(fresh, data_only=True)["Capacity"]
    row = next(r for r in sheet.iter_rows(min_row=5) if r[0].value == "Gross FTE needed (Staffing)")
    months = len(result.capacity.months)
    planned = [round(c.value, 6) for c in row[4:] if c.value is not None][-months:]
    assert planned == [round(v, 6) for v in result.capacity.months["required"]]


def test_changing_an_input_in_the_workbook_moves_the_totals(
    sample_plan, workbook, recalculate, tmp_path
):
    result, *_ = sample_plan

    def change(name, cell):
        if name == "OverheadPerMonth":
            cell.value += 1_000
        if name == "LoadedCostFactor":
            cell.value = 1.45

    fresh = recalculate(without_cached_values(workbook, tmp_path / "changed.xlsx", change))
    found = lines_of(fresh)
    months = len(result.capacity.months)
    assert found["Overhead"] == pytest.approx(
        result.scenario.costs.overhead_per_month * months + 12_000
    )
    lines = result.budget.lines.groupby("line")["amount"].sum()
    burden_before = lines["Burden: agents (benefits, taxes)"]
    assert found["Burden: agents (benefits, taxes)"] == pytest.approx(
        burden_before / (result.scenario.costs.loaded_cost_factor - 1) * 0.45
    )
    assert found["Total"] > result.budget.total + 12_000


def test_the_workbook_shows_numbers_without_recalculating(sample_plan, workbook):
    result, *_ = sample_plan
    found = lines_of(io.BytesIO(workbook))  # the cached results written with each formula
    assert round(found["Total"], 2) == round(result.budget.total, 2)


def test_inputs_are_named_and_formulas_refer_to_them(workbook):
    book = openpyxl.load_workbook(io.BytesIO(workbook))
    names = set(book.defined_names)
    assert {"LoadedCostFactor", "MeritIncrease", "HirePay", "OverheadPerMonth", "Shrinkage",
            "HoursPerFTE", "Tool_helpdesk"} <= names  # fmt: skip
    budget = book["Budget"]
    formulas = [c.value for row in budget.iter_rows(min_row=5) for c in row
                if isinstance(c.value, str) and c.value.startswith("=")]  # fmt: skip
    assert any("LoadedCostFactor" in f for f in formulas)
    assert any("Headcount!" in f for f in formulas)
    assert book.sheetnames == [
        "Assumptions", "Demand", "Staffing", "Capacity", "Headcount", "Budget"
    ]  # fmt: skip
    assert budget.freeze_panes == "C5"


def test_user_text_never_becomes_a_formula(sample_plan):
    result, roster, *_ = sample_plan
    hostile = result.scenario.model_copy(update={"name": '=HYPERLINK("http://x","click")'})
    data = workbook_bytes(type(result)(**{**result.__dict__, "scenario": hostile}), roster)
    book = openpyxl.load_workbook(io.BytesIO(data))
    title = book["Budget"]["A1"]
    assert title.data_type == "s" and title.value.endswith('=HYPERLINK("http://x","click")')
    assert book["Assumptions"]["A1"].data_type == "s"
