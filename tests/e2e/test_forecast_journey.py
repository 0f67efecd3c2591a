"""Journey: open the forecast, change the horizon, see chart and table follow, add growth."""

import re
import time

import pytest

from tests.e2e.conftest import CURRENT

pytestmark = pytest.mark.browser

CHART = '[data-testid="stVegaLiteChart"]'


def takeaway(page) -> str:
    return page.locator(CURRENT).get_by_text(re.compile(r"^From .* expect")).inner_text()


def test_forecast_horizon_and_what_if(page, screenshot_dir):
    page.get_by_role("link", name="Volume forecast").click()
    page.get_by_text(re.compile(r"^From 01 Nov 2026 to 31 Dec 2027 expect")).wait_for(
        timeout=180_000
    )
    page.locator(f"{CHART} canvas, {CHART} svg").first.wait_for()
    table = page.locator('[data-testid="stDataFrame"]').first
    table.wait_for()
    page.screenshot(path=screenshot_dir / "forecast-default.png")

    horizon = page.get_by_role("spinbutton", name="Horizon (days)")
    horizon.fill("30")
    horizon.press("Enter")
    page.get_by_text(re.compile(r"^From 01 Nov 2026 to 30 Nov 2026 expect")).wait_for(
        timeout=180_000
    )
    page.get_by_text("Forecast ready: 4 series, 30 days ahead").wait_for()
    assert page.locator(f"{CHART}").count() >= 3
    assert table.is_visible()

    before = takeaway(page)
    growth = page.get_by_role("spinbutton", name="Extra growth (% a year)")
    growth.fill("25")
    start = time.perf_counter()
    growth.press("Enter")
    page.get_by_text(re.compile(r"adjustments change the forecast by \+")).wait_for()
    print(
        f"what-if in the browser: {(time.perf_counter() - start) * 1000:.0f} ms to the new takeaway"
    )
    assert takeaway(page) != before
    page.screenshot(path=screenshot_dir / "forecast-what-if.png")
