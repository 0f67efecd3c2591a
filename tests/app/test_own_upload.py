"""An own export under AppTest: the mapping fixes it without a second upload, the plan takes
its handle times and hours, the Staffing page shows them, and the Budget page says the
organisation is the sample's until one is chosen. (AppTest cannot drive a file upload; the
uploaded file is put where the app keeps an upload, and the browser journey uploads it.)"""

import pytest
from streamlit.testing.v1 import AppTest

from planner import store
from planner.ingest import read_tickets
from planner_ui import state
from tests.app.conftest import SAMPLE, metric, page
from tests.exports import expected_handle_seconds, write_own_export

SAMPLE_BUDGET = "4.76 M USD"  # the sample plan's budget on the same pages (the sample test)
CARRIED = ("scenario", "history", "measured", "organisation")


def run(app: AppTest) -> AppTest:
    app.run()
    assert not app.exception, app.exception
    return app


@pytest.fixture(scope="module")
def export(tmp_path_factory):
    return write_own_export(tmp_path_factory.mktemp("own") / "helpdesk_export.csv")


@pytest.fixture(scope="module")
def uploaded(export, tmp_path_factory):
    """The Ticket history page after the export was uploaded and 'Created at' mapped to
    'Eingegangen am' in the reading options (the export's own header for it)."""
    app = page("data", timeout=600)
    kept = export.with_name("kept.upload")
    kept.write_bytes(export.read_bytes())
    first = read_tickets(kept, source_time_zone=SAMPLE.time_zone, name=export.name)
    app.session_state[state.PENDING_KEY] = state.LoadedHistory(first.report, None, kept)
    app.session_state["data-source"] = "upload"
    run(app)
    assert any("gave no tickets" in e.value for e in app.error)
    assert any("No column found for Created at" in e.value for e in app.error)
    assert any("Created at is likely 'Eingegangen am'" in e.value for e in app.error)
    created = next(s for s in app.selectbox if s.label == "Created at")
    assert created.value == "Eingegangen am"  # the likely column, offered
    created.set_value("Eingegangen am").run()
    next(b for b in app.button if b.label.startswith("Read the file again")).click()
    app.store_url = store.database_url()  # the module's first test's store, where it saved
    return run(app)


def carried(app: AppTest, name: str) -> AppTest:
    """Another page opened in the same session."""
    other = page(name, timeout=600)
    for key in CARRIED:
        try:
            other.session_state[key] = app.session_state[key]
        except KeyError:
            continue
    return run(other)


def test_the_mapping_is_applied_without_a_second_upload(uploaded, export):
    assert not uploaded.error
    loaded = uploaded.session_state[state.HISTORY_KEY]
    assert loaded.report.mapping["created_at"] == "Eingegangen am"
    assert loaded.report.source == "helpdesk_export.csv"
    assert loaded.report.handle_unit == "minutes"
    assert [h.value for h in uploaded.header][2] == "3. What the plan takes from your tickets"


def test_the_choice_is_remembered_for_the_next_export_with_that_header(uploaded):
    headers = uploaded.session_state[state.HISTORY_KEY].report.headers
    choices = store.connect(uploaded.store_url).reading_for(headers)
    assert choices["mapping"] == {"created_at": "Eingegangen am"}


def test_the_plan_takes_the_measured_handle_times_and_hours(uploaded, export):
    planned = uploaded.session_state[state.SCENARIO_KEY]
    expected = expected_handle_seconds(export)  # pandas on the file: the oracle
    for channel in ("phone", "chat", "email"):
        aht = planned.service.channels[channel].aht_seconds
        assert aht == round(expected[channel]), channel
        assert planned.source_of(f"service.channels.{channel}.aht_seconds").kind == "measured"
    phone = planned.service.channels["phone"].hours
    assert (phone.open_hour, phone.close_hour, phone.weekdays) == (8, 18, [0, 1, 2, 3, 4])
    assert "web_form" not in planned.service.channels  # not in the export
    assert planned.source_of("tickets").kind == "uploaded"
    assert planned.organisation_unchosen


def test_the_staffing_page_shows_the_measured_handle_time(uploaded, export):
    app = carried(uploaded, "staffing")
    expected = round(expected_handle_seconds(export)["phone"])
    shown = next(n for n in app.number_input if n.key == "phone-aht")
    assert shown.value == expected
    shown_captions = [c.value.replace("\\", "") for c in app.caption]
    assert any(f"measured from your history: {expected:,} s" in c for c in shown_captions)
    assert any("sample company's organisation" in w.value for w in app.warning)
    # our own Markdown is drawn, not escaped (it read "**sample company's organisation**")
    assert any("**sample company's organisation**" in w.value for w in app.warning)
    assert any(c.value.startswith(":violet[Sample] Still") for c in app.caption)


def test_the_budget_is_not_the_samples_and_says_the_organisation_is(uploaded):
    app = carried(uploaded, "budget")
    assert metric(app, "Budget, Jan–Dec 2027") != SAMPLE_BUDGET
    assert any("sample company's organisation" in w.value for w in app.warning)
    assert any("Sized to your tickets instead" in i.value for i in app.info)


def test_choosing_the_template_ends_the_warning_but_not_the_mark(uploaded):
    app = carried(uploaded, "data")
    app.radio(key="data-org-choice").set_value("template").run()
    assert not app.exception
    chosen = app.session_state[state.SCENARIO_KEY]
    assert chosen.source_of("roster").chosen and not chosen.organisation_unchosen
    budget = carried(app, "budget")
    assert not any("sample company's organisation" in w.value for w in budget.warning)
    assert any("Still the sample company's" in c.value for c in budget.caption)


def test_planning_from_a_headcount_drops_the_sample_people(uploaded):
    app = carried(uploaded, "data")
    app.radio(key="data-org-choice").set_value("headcount").run()
    assert not app.exception
    planned = app.session_state[state.SCENARIO_KEY]
    assert planned.workforce.starting_fte is not None
    assert planned.source_of("roster").kind == "typed"
    budget = carried(app, "budget")
    assert not any("sample company's organisation" in w.value for w in budget.warning)
    assert not any("people and pay" in c.value for c in budget.caption)
