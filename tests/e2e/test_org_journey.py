"""Journey: add a person in the roster editor and see the org chart redraw with them."""

import pytest

pytestmark = pytest.mark.browser

CHART = '[data-testid="stGraphVizChart"] svg'


def open_org(page):
    page.get_by_role("link", name="Org & career ladder").click()
    page.get_by_text("Take it with you").wait_for(timeout=240_000)
    page.locator(CHART).first.wait_for(timeout=60_000)


def test_a_person_added_in_the_editor_appears_in_the_chart(page, screenshot_dir):
    open_org(page)
    assert "Zed Newcomer" not in page.locator(CHART).first.inner_html()
    editor = page.get_by_test_id("stDataFrame").first
    editor.hover()
    editor.get_by_role("button", name="Add row").click()
    box = editor.bounding_box()  # the new row is the last: select its first cell
    page.mouse.click(box["x"] + 60, box["y"] + box["height"] - 18)
    for value in ("E999", "Zed Newcomer", "QA Analyst", "L3", "E001"):
        page.keyboard.press("Enter")  # open the cell's editor
        page.wait_for_timeout(300)  # the grid drops keys sent faster than it draws
        page.keyboard.type(value, delay=30)
        page.keyboard.press("Tab")  # keep it and move right
        page.wait_for_timeout(300)
    page.keyboard.press("Escape")
    page.wait_for_function(
        """selector => {
            const svg = document.querySelector(selector);
            return svg && svg.innerHTML.includes('Zed Newcomer');
        }""",
        arg=CHART,
        timeout=90_000,
    )
    assert "QA Analyst" in page.locator(CHART).first.inner_html()
    page.screenshot(path=screenshot_dir / "org-added-person.png", full_page=True)
