"""Journey: open the app on the sample, upload an export, see the report and the chart."""

import pytest

from tests.conftest import DATA

pytestmark = pytest.mark.browser


def test_sample_opens_then_an_uploaded_export_is_reported_and_charted(page, screenshot_dir):
    page.get_by_text("Tickets kept", exact=True).wait_for()
    page.locator(
        '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg'
    ).first.wait_for()
    assert page.get_by_text("474,194").is_visible()
    page.screenshot(path=screenshot_dir / "ticket-history-sample.png")

    page.get_by_text("Upload an export").click()
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(
        DATA / "generic_bad_rows.csv"
    )
    page.get_by_text("generic_bad_rows.csv").first.wait_for()
    page.get_by_text("repeat a ticket id seen earlier").wait_for()
    assert page.get_by_text("not a date").first.is_visible()
    assert page.get_by_text("Tickets kept", exact=True).is_visible()
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for()
    page.screenshot(path=screenshot_dir / "ticket-history-upload.png")


def test_uploading_a_picture_gives_a_clear_message(page):
    page.get_by_text("Tickets kept", exact=True).wait_for()
    page.get_by_text("Upload an export").click()
    uploader = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
    picture = DATA / "not_a_table.png"
    renamed = picture.read_bytes()
    uploader.set_input_files(
        files=[{"name": "tickets.csv", "mimeType": "text/csv", "buffer": renamed}]
    )
    page.get_by_text("is not a CSV, XLSX or Parquet file").wait_for()
