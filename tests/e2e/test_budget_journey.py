"""Journey: open the Budget, raise the burden on base pay, see the annual total follow."""

import re

import pytest

from tests.e2e.conftest import metric_value, wait_for_metric_above

pytestmark = pytest.mark.browser


def annual_total(page) -> float:
    return metric_value(page, "Budget, Jan–Dec 2027")


def test_raising_the_burden_raises_the_annual_budget(page, screenshot_dir):
    page.get_by_role("link", name="Budget").click()
    page.get_by_text("Budget, Jan–Dec 2027").first.wait_for(timeout=180_000)
    page.get_by_text(re.compile(r"^The plan costs")).wait_for()
    before = annual_total(page)
    page.screenshot(path=screenshot_dir / "budget-default.png", full_page=True)

    burden = page.get_by_role("spinbutton", name="Burden on base pay (%)")
    burden.fill("50")
    burden.press("Enter")
    wait_for_metric_above(page, "Budget, Jan–Dec 2027", before)
    assert annual_total(page) > before
    page.get_by_text("the biggest step is wage rates").wait_for(timeout=60_000)
    page.screenshot(path=screenshot_dir / "budget-burden.png", full_page=True)
