"""Journey: the Finance review in present mode on a 1920x1080 wall screen, every screen
in turn: the charts fill the height, nothing to edit, and each screen is screenshotted
(test-output/present-*.png) to be looked at."""

import pytest

from tests.e2e.conftest import CURRENT

pytestmark = pytest.mark.browser

SCREENS = {
    "Headline": "the plan in six numbers",
    "Volume": "How many contacts a month, and how sure?",
    "People": "How many people, against how many we will have?",
    "Budget": "What it costs, month by month",
    "Bridge": "What moved it against the sample base plan?",
    "Sensitivity": "Which assumptions matter most?",
    "Side by side": "Side by side",
    "Assumptions": "Every assumption, and why",
}
CHARTED = {"Volume", "People", "Budget", "Sensitivity"}


def test_every_present_screen_fills_a_wall_screen(browser, server, screenshot_dir):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.set_default_timeout(180_000)
    try:
        page.goto(server)
        page.get_by_text("Tickets kept", exact=True).wait_for()  # the app has drawn its page
        page.get_by_role("link", name="Finance review").click()
        page.get_by_text("the plan in six numbers").first.wait_for()
        page.get_by_text("Present", exact=True).click()
        for number, (screen, header) in enumerate(SCREENS.items(), start=1):
            if number > 1:
                page.get_by_role("button", name=f"{screen} →").click()
            page.locator(f"{CURRENT} h2").filter(has_text=header).wait_for()
            page.wait_for_function(
                "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
                " && !document.querySelector('[data-stale=\"true\"]')"
            )
            if screen == "Budget":  # the quarters under the chart
                page.locator(f"{CURRENT} [data-testid='stTable']").filter(
                    has_text="Q1 2027"
                ).first.wait_for()
            if screen in CHARTED:
                chart = page.locator('[data-testid="stVegaLiteChart"]').first
                chart.wait_for()
                box = chart.bounding_box()
                least = 0.35 if screen == "Budget" else 0.5  # the budget has its quarters
                assert box["height"] >= least * 1080, (screen, box)
                back = page.get_by_role("button", name="←").first.bounding_box()
                assert back["y"] + back["height"] <= 1080, (screen, back)  # all on one screen
            # the present-mode style hides the sidebar once it has been applied
            page.locator('[data-testid="stSidebar"]').wait_for(state="hidden", timeout=10_000)
            assert page.get_by_role("spinbutton").count() == 0, screen  # nothing to edit
            page.screenshot(path=screenshot_dir / f"present-{number}-{screen.lower()}.png")
        said = page.locator(f"{CURRENT} [data-testid='stAlert']").last.inner_text()
        assert "No assumption differs from the sample base plan." in said
    finally:
        context.close()
