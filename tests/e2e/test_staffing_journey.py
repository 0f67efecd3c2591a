"""Journeys on Staffing & capacity: raise the phone service level, or add a tier above
Tier 1, and see more people needed; add a site and see its coverage and its share of the
budget."""

import contextlib
import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.e2e.conftest import METRIC, metric_value, wait_for_metric_above

pytestmark = pytest.mark.browser
TIERS = "Tiers above Tier 1: what escalates, and who works it"
SITES = "Sites: who answers when (follow the sun)"


def peak_gross(page) -> float:
    return metric_value(page, "Peak gross FTE needed")


def test_raising_the_service_level_raises_required_fte(page, screenshot_dir):
    page.get_by_role("link", name="Staffing & capacity").click()
    page.get_by_text("Peak gross FTE needed").wait_for(timeout=180_000)
    page.get_by_text(re.compile(r"needs the most people")).wait_for()
    before = peak_gross(page)
    page.screenshot(path=screenshot_dir / "staffing-default.png", full_page=True)

    page.get_by_role("tab", name="phone").click()
    target = page.get_by_role("spinbutton", name="Service level target (%)").filter(visible=True)
    target.fill("95")
    target.press("Enter")
    wait_for_metric_above(page, "Peak gross FTE needed", before)
    after = peak_gross(page)
    assert after > before
    page.screenshot(path=screenshot_dir / "staffing-95.png", full_page=True)


def test_a_tier_added_in_its_editor_needs_more_people(page, screenshot_dir):
    page.get_by_role("link", name="Staffing & capacity").click()
    page.get_by_text(re.compile(r"needs the most people")).wait_for(timeout=180_000)
    before = peak_gross(page)
    _, editor = first_editor(page, TIERS)
    add_grid_row(page, editor, "Tier 2", TIERS)  # a tier with the defaults: 15% of every channel
    wait_for_metric_above(page, "Peak gross FTE needed", before, timeout=120_000)
    assert peak_gross(page) > before
    page.get_by_role("combobox", name=re.compile("^Queue")).click()
    expect(page.get_by_role("option", name="Tier 2")).to_be_visible()
    page.keyboard.press("Escape")
    page.screenshot(path=screenshot_dir / "staffing-tier-2.png", full_page=True)


def add_grid_row(page, editor, value: str, section: str) -> None:
    """Type ``value`` in the first cell of the data editor ``editor``'s trailing row (in
    the expander labelled ``section``): the grid adds a row there (the toolbar's "Add row"
    would add one more, blank). A rerun sometimes draws the expander closed again: it is
    opened as a person would, and a click it swallowed is made again (a blank row it may
    have added is left out by the editor)."""
    cell_editor = page.locator("textarea.gdg-input")
    for _ in range(3):
        expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=120_000)
        open_section(page, editor, section)
        editor.scroll_into_view_if_needed()
        box = editor.bounding_box()
        page.mouse.click(box["x"] + 60, box["y"] + box["height"] - 18)
        page.wait_for_timeout(300)
        if not cell_editor.is_visible():
            page.keyboard.press("Enter")
        with contextlib.suppress(PlaywrightTimeout):
            cell_editor.wait_for(timeout=10_000)
            break
    cell_editor.fill(value)
    page.keyboard.press("Enter")
    cell_editor.wait_for(state="detached")
    page.keyboard.press("Escape")


def first_editor(page, section: str):
    """Open the expander labelled ``section`` once the page is idle; its locator and its
    first table's (the editor: a table of results may follow it)."""
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=120_000)
    page.get_by_text(section).click()
    expander = page.get_by_test_id("stExpander").filter(has_text=section)
    editor = expander.get_by_test_id("stDataFrame").first
    expect(editor).to_be_visible()
    return expander, editor


def open_section(page, editor, section: str) -> None:
    """Open the expander labelled ``section`` unless ``editor`` in it shows already."""
    if not editor.is_visible():
        page.get_by_text(section).click()
    expect(editor).to_be_visible()


def test_a_site_added_shows_its_coverage_and_its_share_of_the_budget(page, screenshot_dir):
    page.get_by_role("link", name="Staffing & capacity").click()
    page.get_by_text(re.compile(r"needs the most people")).wait_for(timeout=180_000)
    expander, editor = first_editor(page, SITES)
    add_grid_row(page, editor, "Lisbon", SITES)  # in the plan's time zone, 08-20 on weekdays
    covered = page.get_by_text(re.compile(r"no site covers: phone 0 hours; chat 0"))
    expect(covered).to_have_count(1, timeout=120_000)
    expect(expander.get_by_test_id("stVegaLiteChart")).to_have_count(1)
    expect(page.get_by_text("Each site's share of the agents")).to_be_visible()
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=120_000)
    open_section(page, editor, SITES)
    page.screenshot(path=screenshot_dir / "staffing-site.png", full_page=True)
    expect(page.locator(METRIC).filter(has_text="Contacts served")).to_be_visible(timeout=120_000)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=120_000)
    budget = metric_value(page, "Budget, ")
    weight = expander.get_by_role("slider", name="Lisbon: weight")
    expect(weight).to_be_visible()
    weight.focus()
    for _ in range(10):  # Lisbon's weight 1.0 -> 2.0 (alone, it answers everything anyway)
        page.keyboard.press("ArrowRight")
    expect(weight).to_have_value("2", timeout=30_000)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=120_000)
    open_section(page, editor, SITES)
    assert metric_value(page, "Budget, ") == budget
    page.get_by_role("link", name="Budget").click()
    page.get_by_text(re.compile("follow the sites' share of the gross FTE")).wait_for(
        timeout=180_000
    )
    table = page.get_by_test_id("stDataFrame").filter(has_text="Share of the budget").last
    expect(table).to_be_visible()
    assert budget > 0
    page.screenshot(path=screenshot_dir / "budget-site.png", full_page=True)
