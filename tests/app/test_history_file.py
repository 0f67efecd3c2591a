"""An aggregated history (``python -m planner aggregate``) taken on the Ticket history page
instead of a ticket export: the plan gets the same counts, without the raw tickets."""

from streamlit.testing.v1 import AppTest

from planner.__main__ import main
from planner.volume import read_history
from planner_ui import state
from tests.app.conftest import SAMPLE, page
from tests.conftest import DATA


def run(app: AppTest) -> AppTest:
    app.run()
    assert not app.exception, app.exception
    return app


def test_an_aggregated_history_file_becomes_the_plans_history(tmp_path):
    path = tmp_path / "kept.upload"  # an upload is kept under a name of its own
    assert main(["aggregate", str(DATA / "zendesk.csv"), "--out", str(path),
                 "--time-zone", SAMPLE.time_zone]) == 0  # fmt: skip
    report, history = read_history(path)
    app = page("data")
    app.session_state[state.PENDING_KEY] = state.LoadedHistory(report, None, path)
    app.session_state["data-source"] = "upload"
    run(app)
    next(b for b in app.button if b.label.startswith("Read the file again")).click()
    run(app)
    loaded = app.session_state[state.HISTORY_KEY]
    assert loaded.daily.fingerprint == history.fingerprint
    assert loaded.report.tickets == report.tickets == history.total_tickets
    assert app.session_state["scenario"].sources["tickets"].detail == (
        f"zendesk.csv, {report.tickets:,} tickets"
    )


def test_a_history_in_another_zone_is_refused_with_the_command_that_fixes_it(tmp_path):
    path = tmp_path / "kept.upload"
    assert main(["aggregate", str(DATA / "zendesk.csv"), "--out", str(path),
                 "--time-zone", "Asia/Tokyo"]) == 0  # fmt: skip
    report, _ = read_history(path)
    app = page("data")
    app.session_state[state.PENDING_KEY] = state.LoadedHistory(report, None, path)
    app.session_state["data-source"] = "upload"
    run(app)
    next(b for b in app.button if b.label.startswith("Read the file again")).click()
    run(app)
    assert any(
        "in Asia/Tokyo" in e.value and "--freq D --time-zone America/New" in e.value
        for e in app.error
    )
