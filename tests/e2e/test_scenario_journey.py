"""Journey: save a plan, change it, save it as another scenario, compare the two on the
Finance review page, and download the workbook and the slides, which open."""

import re

import openpyxl
import pytest
from pptx import Presentation

from tests.e2e.conftest import after_rerun

pytestmark = pytest.mark.browser


def sidebar_save(page, note: str, name: str | None = None) -> None:
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_role("button", name="Save").first.click()
    body = page.get_by_test_id("stPopoverBody")
    if name is not None:
        body.get_by_role("textbox", name="Scenario name").fill(name)
    body.get_by_role("textbox", name="Note").fill(note)
    body.get_by_role("button", name="Save a new version").click()


def test_save_change_save_compare_and_export(page, screenshot_dir, tmp_path):
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Not saved yet").wait_for(timeout=120_000)
    sidebar.get_by_label("Your name").fill("Ana")
    after_rerun(page, lambda: sidebar.get_by_label("Your name").press("Enter"))
    sidebar_save(page, "first cut")
    sidebar.get_by_text("Saved: version 1").wait_for(timeout=60_000)
    page.keyboard.press("Escape")

    page.get_by_role("link", name="Budget").click()
    page.get_by_text(re.compile(r"^The plan costs")).wait_for(timeout=180_000)
    overhead = page.get_by_role("spinbutton", name=re.compile(r"^Overhead a month"))
    overhead.fill("30000")
    overhead.press("Enter")
    sidebar.get_by_text("Changed since version 1: not saved").wait_for(timeout=60_000)
    sidebar_save(page, "more overhead", name="Higher overhead")
    sidebar.get_by_text("Saved: version 1").wait_for(timeout=60_000)
    page.keyboard.press("Escape")
    assert sidebar.get_by_text("Higher overhead").first.is_visible()

    compare = sidebar.get_by_role("combobox", name=re.compile("Compare with"))
    compare.click()
    page.get_by_role("option", name="FY2027 base plan").click()
    page.keyboard.press("Escape")
    page.get_by_role("link", name="Finance review").click()
    page.get_by_text("Every assumption, and why").wait_for(timeout=240_000)
    against = r"^Against Higher overhead \(on screen\): FY2027 base plan \(v1\) costs 264,000"
    page.get_by_text(re.compile(against)).wait_for(timeout=60_000)
    page.screenshot(path=screenshot_dir / "review-compare.png", full_page=True)

    with page.expect_download(timeout=120_000) as caught:
        page.get_by_role("button", name=re.compile("Excel workbook")).click()
    workbook = tmp_path / caught.value.suggested_filename
    caught.value.save_as(workbook)
    assert workbook.name == "Higher_overhead.xlsx"
    book = openpyxl.load_workbook(workbook)
    assert book.sheetnames == [
        "Assumptions", "Demand", "Staffing", "Capacity", "Headcount", "Budget"
    ]  # fmt: skip
    with page.expect_download(timeout=120_000) as caught:
        page.get_by_role("button", name=re.compile("Slides")).click()
    deck = tmp_path / caught.value.suggested_filename
    caught.value.save_as(deck)
    titles = [slide.shapes[0].text_frame.text for slide in Presentation(deck).slides]
    assert titles[0] == "Higher overhead" and "Side by side" in titles
