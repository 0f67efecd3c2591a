"""Journey: open Staffing & capacity, raise the phone service level, see more people needed."""

import re

import pytest

pytestmark = pytest.mark.browser


def peak_gross(page) -> float:
    metric = page.get_by_test_id("stMetric").filter(has_text="Peak gross FTE needed")
    return float(metric.get_by_test_id("stMetricValue").inner_text())


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
    page.wait_for_function(
        """before => {
            const m = [...document.querySelectorAll('[data-testid="stMetric"]')]
                .find(e => e.innerText.includes('Peak gross FTE needed'));
            return m && parseFloat(m.querySelector('[data-testid="stMetricValue"]').innerText)
                > before;
        }""",
        arg=before,
        timeout=60_000,
    )
    after = peak_gross(page)
    assert after > before
    page.screenshot(path=screenshot_dir / "staffing-95.png", full_page=True)
