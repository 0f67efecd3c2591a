"""Journey: a director uploads the help desk's own export (a header no layout knows, handle
times in minutes, closed weekends), maps the creation date without uploading again, and
the plan is theirs: the Staffing page shows the measured handle times, the Budget is not
the sample's, and the organisation is marked as the sample's until one is chosen."""

import re

import pytest

from tests.e2e.conftest import CURRENT, METRIC
from tests.exports import expected_handle_seconds, write_own_export

pytestmark = pytest.mark.browser
SAMPLE_BUDGET = "4.76 M USD"


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    return write_own_export(tmp_path_factory.mktemp("own") / "helpdesk_export.csv")


def test_an_own_export_becomes_the_directors_plan(page, export, screenshot_dir):
    page.get_by_text("Tickets kept", exact=True).wait_for()
    page.get_by_text("Upload an export").click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(export)
    page.get_by_text("gave no tickets").wait_for(timeout=120_000)
    page.get_by_text("No column found for Created at").wait_for()
    page.screenshot(path=screenshot_dir / "own-export-mapping.png", full_page=True)

    # The mapping is offered and applied to the kept file: no second upload.
    page.get_by_test_id("stSelectbox").filter(has_text="Created at").click()
    page.get_by_role("option", name="Eingegangen am").click()
    page.get_by_role("button", name="Read the file again with these options").click()
    page.get_by_text("3. What the plan takes from your tickets").wait_for(timeout=120_000)
    assert page.get_by_text("helpdesk_export.csv").first.is_visible()
    assert page.get_by_text("Until you choose, the plan uses the sample company").is_visible()
    page.screenshot(path=screenshot_dir / "own-export-measured.png", full_page=True)

    # Staffing runs on the measured handle times, and says where they came from.
    expected = round(expected_handle_seconds(export)["phone"])
    page.get_by_role("link", name="Staffing & capacity").click()
    page.get_by_role("tab", name="phone").click(timeout=300_000)
    aht = page.locator(CURRENT).get_by_role("spinbutton", name="Handle time (seconds)")
    page.wait_for_function(
        """([selector, expected]) => [...document.querySelectorAll(selector)].some(
            e => e.offsetParent !== null && parseFloat(e.value) === expected)""",
        arg=['input[aria-label="Handle time (seconds)"]', expected],
    )
    assert expected in [float(v) for v in aht.evaluate_all("els => els.map(e => e.value)")]
    page.get_by_text(re.compile(rf"measured from your history: {expected:,} s")).wait_for()
    page.screenshot(path=screenshot_dir / "own-export-staffing.png", full_page=True)

    # The budget is this plan's, and the organisation is marked as the sample's.
    page.get_by_role("link", name="Budget").click()
    page.get_by_text(re.compile(r"^The plan costs")).wait_for(timeout=300_000)
    budget = page.locator(METRIC).filter(has_text="Budget, Jan–Dec 2027")
    value = budget.get_by_test_id("stMetricValue").inner_text()
    assert value != SAMPLE_BUDGET
    assert page.get_by_text("sample company's organisation").first.is_visible()
    page.get_by_text("Sized to your tickets instead").wait_for()
    page.screenshot(path=screenshot_dir / "own-export-budget.png", full_page=True)
