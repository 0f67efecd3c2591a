"""A bookmarked page opened first on a freshly started server shows the whole app."""

import pytest

from tests.e2e.conftest import start_server

pytestmark = pytest.mark.browser


@pytest.fixture
def fresh_server(tmp_path):
    with start_server(tmp_path) as url:
        yield url


def test_a_deep_link_opened_first_shows_the_navigation_and_the_scenario(
    browser, fresh_server, screenshot_dir
):
    context = browser.new_context(viewport={"width": 1400, "height": 1600})
    page = context.new_page()
    page.set_default_timeout(120_000)
    page.goto(fresh_server + "review")
    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Active scenario").wait_for()
    page.get_by_role("link", name="Ticket history").wait_for()
    assert sidebar.get_by_role("link", name="staffing", exact=True).count() == 0
    page.get_by_role("heading", name="Finance review").wait_for()
    page.screenshot(path=screenshot_dir / "deep-link-review.png")
    context.close()
