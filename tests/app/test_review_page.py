"""The Finance review page under AppTest: every section in reading mode, one screen in
present mode, and a saved scenario side by side with differences."""

import pandas as pd

from planner import store
from planner_ui import review_widgets, state
from tests.app.conftest import SAMPLE, metric, open_page


def test_reading_mode_shows_every_section_and_the_register():
    app = open_page("review")
    headers = [h.value for h in app.header]
    assert headers[0] == f"{SAMPLE.name}: the plan in six numbers"
    assert "Which assumptions matter most?" in headers
    assert "Every assumption, and why" in headers
    assert metric(app, "Budget, Jan–Dec 2027").endswith("M USD")
    assert "Choose up to two saved scenarios" in app.markdown[-1].value or any(
        "Compare with" in m.value for m in app.markdown
    )
    register = app.dataframe[-1].value
    assert {"setting", "value", "rationale", "base", "differs"} <= set(register.columns)
    assert "Burden on base pay" in register["setting"].tolist()  # the pages' words
    assert not register["differs"].any()  # the sample is the base


def test_present_mode_shows_one_screen_and_moves_on():
    app = open_page("review")
    app.toggle(key="present").set_value(True).run()
    assert not app.exception
    assert [h.value for h in app.header] == [f"{SAMPLE.name}: the plan in six numbers"]
    assert not app.title  # no page title, no editing: one idea per screen
    next(b for b in app.button if b.label == "Volume →").click().run()
    assert [h.value for h in app.header] == ["How many contacts a month, and how sure?"]
    app.session_state["slide"] = "Assumptions"
    app.run()
    assert [h.value for h in app.header] == ["Every assumption, and why"]
    assert app.info[0].value == "No assumption differs from the sample base plan."
    assert not app.dataframe  # present mode shows what differs, nothing to edit or scroll


def test_present_mode_lists_what_differs_in_the_pages_words():
    dearer = SAMPLE.model_copy(
        update={"costs": SAMPLE.costs.model_copy(update={"loaded_cost_factor": 1.4})}
    )
    app = open_page("review", state_values={state.SCENARIO_KEY: dearer, "present": True,
                                            "slide": "Assumptions"})  # fmt: skip
    assert not app.exception
    said = app.info[0].value
    assert said.startswith("1 of ") and said.endswith(
        " assumptions differ from the sample base plan."
    )
    shown = app.table[-1].value
    assert shown.index.tolist() == ["Burden on base pay"]
    assert shown.iloc[0].tolist() == ["40%", "35%"]


def test_a_saved_scenario_side_by_side(scenario_store):
    saved = store.connect(f"sqlite:///{scenario_store}")
    dearer = SAMPLE.model_copy(
        update={"name": "Dearer", "costs": SAMPLE.costs.model_copy(update={"agent_base_pay": 70_000,
                "pay_adjustment": 0.1})}
    )  # fmt: skip
    saved.save(dearer, parent=None, author="Ana")
    app = open_page("review", state_values={state.COMPARE_KEY: ["Dearer"]})
    table = next(d.value for d in app.dataframe if "Measure" in d.value.columns)
    assert list(table.columns) == ["Measure", f"{SAMPLE.name} (on screen)", "Dearer (v1)"]
    takeaway = next(i.value for i in app.info if i.value.startswith("Against")).replace("\\", "")
    assert "Dearer (v1) costs" in takeaway and "USD more (+" in takeaway


def test_cells_away_from_the_plan_on_screen_are_highlighted():
    table = pd.DataFrame(
        {"key": ["budget", "share_of_arr", "contacts"],
         "measure": ["Annual budget", "Share of ARR", "Contacts"],
         "Mine": [1_000_000.0, 0.05, 1000.0], "Other": [1_002_000.0, 0.06, 1000.0]}
    )  # fmt: skip
    styled = review_widgets.side_by_side(table, "USD")
    shown = styled.data
    assert shown["Other"].tolist() == ["1,002,000 USD", "6.0%", "1,000"]
    marks = styled._compute().ctx  # (row, column) -> css of the highlighted cells
    assert {cell for cell, css in marks.items() if css} == {(1, 2)}  # 0.2% is not; 20% is


def test_the_bridge_can_be_against_a_saved_scenario(scenario_store):
    saved = store.connect(f"sqlite:///{scenario_store}")
    leaner = SAMPLE.model_copy(
        update={
            "name": "Leaner",
            "costs": SAMPLE.costs.model_copy(update={"overhead_per_month": 0.0}),
        }
    )
    saved.save(leaner, parent=None, author="Ana")
    app = open_page("review")
    app.selectbox(key="review-base-pick").select("Leaner").run()
    assert not app.exception
    headers = [h.value for h in app.header]
    assert "What moved it against 'Leaner'?" in headers
    register = app.dataframe[-1].value
    assert register.loc[register["differs"], "setting"].tolist() == ["Overhead a month"]


def test_the_sensitivity_runs_when_asked_and_opens_the_review_at_once():
    app = open_page("review")
    assert not any("swings the annual cost most" in i.value for i in app.info)
    app.button(key="review-run").click().run()
    assert not app.exception
    assert any("swings the annual cost most" in i.value for i in app.info)
