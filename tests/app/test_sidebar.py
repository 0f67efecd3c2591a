"""The sidebar's saved scenarios under AppTest: save, change and save again, a stale save,
restore, open, duplicate, rename and compare-with. (AppTest does not keep the sidebar of a
multipage app after its first run, so the sidebar is run on its own here.)"""

import pytest
from streamlit.testing.v1 import AppTest

from planner import store
from planner.scenario import Scenario, Source
from planner_ui import state
from tests.app.conftest import SAMPLE, shown


def sidebar_script():
    from planner_ui import scenarios

    scenarios.sidebar()


def button(app: AppTest, label: str):
    return next(b for b in app.button if b.label == label)


def text(app: AppTest, label: str):
    return next(t for t in app.text_input if t.label == label)


def captions(app: AppTest) -> list[str]:
    return [shown(c.value) for c in app.caption]


def run(app: AppTest) -> AppTest:
    app.run()
    assert not app.exception, app.exception
    return app


def save(app: AppTest, note: str, name: str | None = None) -> AppTest:
    text(app, "Note").input(note)
    if name is not None:
        text(app, "Scenario name").input(name)
    button(app, "Save a new version").click()
    return run(app)


@pytest.fixture
def app(scenario_store):
    app = AppTest.from_function(sidebar_script, default_timeout=300)
    run(app)
    app.text_input(key=state.AUTHOR_KEY).input("Ana")
    return run(app)


def growth(value: float) -> Scenario:
    return SAMPLE.model_copy(
        update={"demand": SAMPLE.demand.model_copy(update={"growth_per_year": value})}
    )


def test_save_change_and_save_again(app, scenario_store):
    assert ":orange[Not saved yet]" in captions(run(app))
    save(app, "first cut")
    assert "Saved: version 1" in captions(app)
    app.session_state["scenario"] = growth(0.2)
    assert ":orange[Changed since version 1: not saved]" in captions(run(app))
    save(app, "20% growth")
    assert "Saved: version 2" in captions(app)
    saved = store.connect(f"sqlite:///{scenario_store}")
    table = saved.versions(SAMPLE.name)
    assert table["note"].tolist() == ["20% growth", "first cut"]
    assert saved.load(SAMPLE.name, 1).scenario == SAMPLE
    assert saved.load(SAMPLE.name).scenario.demand.growth_per_year == 0.2
    assert saved.load(SAMPLE.name).history is not None  # planned on the sample history


def test_a_stale_save_warns_and_can_be_saved_on_top(app, scenario_store):
    save(app, "mine")
    elsewhere = store.connect(f"sqlite:///{scenario_store}")
    elsewhere.save(growth(0.5), parent=1, author="Bo", note="theirs")
    app.session_state["scenario"] = growth(0.1)
    save(run(app), "mine again")
    assert "saved as version 2 by Bo" in shown(app.warning[0].value)
    button(app, "Save mine as version 3").click()
    run(app)
    assert "Saved: version 3" in captions(app)
    assert elsewhere.load(SAMPLE.name, 2).scenario.demand.growth_per_year == 0.5
    assert elsewhere.load(SAMPLE.name, 3).scenario.demand.growth_per_year == 0.1


def test_restore_and_open_an_old_version(app, scenario_store):
    save(app, "base")
    app.session_state["scenario"] = growth(0.3)
    save(run(app), "30%")
    app.selectbox(key="version-pick").select(1)
    button(run(app), "Restore").click()
    run(app)
    assert "Saved: version 3" in captions(app)
    assert app.session_state["scenario"] == SAMPLE
    assert store.connect(f"sqlite:///{scenario_store}").load(SAMPLE.name).restored_from == 1
    app.selectbox(key="version-pick").select(2)
    button(run(app), "Open").click()
    run(app)
    assert "Saved: version 2" in captions(app)
    assert app.session_state["scenario"].demand.growth_per_year == 0.3


def test_duplicate_rename_and_compare_with(app, scenario_store):
    save(app, "base")
    app.text_input(key="new-name").input("Stretch")
    button(run(app), "Duplicate").click()
    run(app)
    assert app.session_state["scenario"].name == "Stretch"
    app.text_input(key="new-name").input("Stretch goal")
    button(run(app), "Rename").click()
    run(app)
    assert app.session_state["scenario"].name == "Stretch goal"
    assert "Saved: version 1" in captions(app)
    saved = store.connect(f"sqlite:///{scenario_store}")
    assert saved.scenarios()["name"].tolist() == [SAMPLE.name, "Stretch goal"]
    compare = next(m for m in app.multiselect if m.label == "Compare with")
    assert compare.options == [SAMPLE.name]
    compare.select(SAMPLE.name)
    run(app)
    assert app.session_state[state.COMPARE_KEY] == [SAMPLE.name]


def test_saving_without_a_name_says_what_to_fill_in(scenario_store):
    app = run(AppTest.from_function(sidebar_script, default_timeout=300))
    save(app, "no author")
    assert "Your name is empty" in app.error[0].value
    assert ":orange[Not saved yet]" in captions(app)


def test_an_unusable_store_turns_saving_off_and_keeps_the_app(monkeypatch, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("PLANNER_DB", str(blocker / "planner.db"))
    app = run(AppTest.from_function(sidebar_script, default_timeout=300))
    assert shown(app.error[0].value).startswith("Saving is off: Cannot create the folder")
    assert ":orange[Not saved yet]" in captions(app)
    assert not app.button  # nothing to save with


def test_the_sidebar_says_where_the_inputs_come_from(app):
    assert "Tickets: sample company's  \nOrganisation: sample company's" in " ".join(captions(app))
    uploaded = SAMPLE.with_sources(
        {
            "tickets": Source(kind="uploaded", detail="helpdesk.csv, 12,000 tickets"),
            "service.channels.phone.aht_seconds": Source(kind="measured", detail="541 s"),
        }
    )
    app.session_state["scenario"] = uploaded
    words = " ".join(captions(run(app)))
    assert "Tickets: uploaded · helpdesk.csv" in words
    assert "Organisation: :orange[sample company's; choose yours]" in words
    assert "Settings: 1 measured, 2 sample, the rest default" in words
