"""AppTest: the app opens on the sample; the Ticket history page reports and charts it."""

from streamlit.testing.v1 import AppTest

from tests.conftest import DATA, ROOT

APP = str(ROOT / "app.py")
PAGE = str(ROOT / "views" / "data.py")


def run(path, timeout=120):
    app = AppTest.from_file(path, default_timeout=timeout)
    app.run()
    assert not app.exception, app.exception
    return app


def test_app_opens_on_the_sample_with_the_scenario_in_the_sidebar():
    app = run(APP)
    assert "FY2027 base plan" in app.sidebar.markdown[0].value
    assert app.title[0].value == "Ticket history"


def test_every_new_session_starts_from_the_sample_read_once():
    first, second = run(PAGE), run(PAGE)  # two browser sessions of one server
    assert second.session_state["history"] is first.session_state["history"]


def test_sample_report_kpis_and_takeaways():
    app = run(PAGE)
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Tickets kept"] == "474,194"
    assert metrics["From"] == "01 Nov 2023" and metrics["To"] == "31 Oct 2026"
    assert set(metrics) >= {"email", "chat", "phone", "web_form"}
    assert any("Over the last 28 days" in i.value and "tickets a day" in i.value for i in app.info)
    assert any("busiest hour" in i.value for i in app.info)
    assert [h.value for h in app.header][:2] == [
        "1. Which tickets are we planning from?",
        "2. What was understood",
    ]
    assert not app.error


def test_heatmap_for_one_channel():
    app = run(PAGE)
    app.selectbox(key="heatmap-channel").set_value("phone").run()
    assert not app.exception
    assert any("busiest hour" in i.value for i in app.info)


def test_remapping_created_at_to_a_non_date_column_shows_the_error():
    app = run(PAGE)
    next(s for s in app.selectbox if s.label == "Created at").set_value("Subject").run()
    next(b for b in app.button if b.label.startswith("Read the file again")).click().run()
    assert not app.exception
    assert any("does not hold dates" in e.value for e in app.error)
    assert not app.metric


def test_zendesk_file_with_a_merged_ticket_shows_its_note(monkeypatch):
    monkeypatch.setattr("planner_ui.state.SAMPLE_TICKETS", DATA / "zendesk.csv")
    app = run(PAGE)
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Tickets kept"] == "4"
    assert any("All notes on the file" in e.label for e in app.expander)
