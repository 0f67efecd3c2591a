"""An aggregated history (``python -m planner aggregate``) taken on the Ticket history page
instead of a ticket export: the plan gets the same counts, without the raw tickets."""

from streamlit.testing.v1 import AppTest

from planner.__main__ import main
from planner.ingest import read_tickets
from planner.volume import read_history
from planner_ui import state
from tests.app.conftest import SAMPLE, page
from tests.conftest import DATA

# The kept upload is read again with the page's button (AppTest cannot upload a file): the
# report of an export that gave no tickets stands for the upload's first read.
PENDING = read_tickets(DATA / "missing_columns.csv").report


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
    app.session_state[state.PENDING_KEY] = state.LoadedHistory(PENDING, None, path)
    app.session_state["data-source"] = "upload"
    run(app)
    next(b for b in app.button if b.label.startswith("Read the file again")).click()
    run(app)
    loaded = app.session_state[state.HISTORY_KEY]
    assert loaded.daily.fingerprint == history.fingerprint
    assert loaded.report.tickets == report.tickets == history.total_tickets
    assert loaded.report.aggregated
    run(app)  # the next look: a file of counts has no reading options
    assert not any(e.label.startswith("Reading options") for e in app.expander)
    assert any("Counts (written by python -m planner aggregate)" in m.value for m in app.markdown)
    assert app.session_state["scenario"].sources["tickets"].detail == (
        f"zendesk.csv, {report.tickets:,} tickets"
    )


def test_a_history_in_another_zone_is_refused_with_the_command_that_fixes_it(tmp_path):
    path = tmp_path / "kept.upload"
    assert main(["aggregate", str(DATA / "zendesk.csv"), "--out", str(path),
                 "--time-zone", "Asia/Tokyo"]) == 0  # fmt: skip
    app = page("data")
    app.session_state[state.PENDING_KEY] = state.LoadedHistory(PENDING, None, path)
    app.session_state["data-source"] = "upload"
    run(app)
    next(b for b in app.button if b.label.startswith("Read the file again")).click()
    run(app)
    assert any(
        "in Asia/Tokyo" in e.value and "--freq D --time-zone America/New" in e.value
        for e in app.error
    )
