"""Journey: open Staffing & capacity, raise the phone service level, see more people needed."""

import re

import pytest

from tests.e2e.conftest import metric_value, wait_for_metric_above

pytestmark = pytest.mark.browser


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
