"""AppTest: the Org & career ladder page draws the sample organisation, flags its spans,
follows span-rule changes into the derived organisation, names the rows with errors and
keeps user text as text."""

from planner import org
from tests.app.conftest import metric, open_page

HEADERS = [
    "1. Who is on the team?",
    "2. What does it look like?",
    "3. Are spans healthy?",
    "4. What organisation does the plan need?",
    "5. How will the career ladder move?",
    "6. Who could step up?",
    "7. Take it with you",
]


def test_sample_organisation_is_drawn_checked_and_projected():
    app = open_page("org")
    assert [h.value for h in app.header] == HEADERS
    assert not app.error
    assert metric(app, "People") == "57" and metric(app, "Open roles") == "4"
    assert any(w.value == "0 errors, 3 warnings" for w in app.warning)
    infos = [i.value for i in app.info]
    assert any(v.startswith("3 of 10 leaders are outside the span rules") for v in infos)
    assert any(v.startswith("At the peak") for v in infos)
    assert any("promotions open as many seats to backfill" in v for v in infos)
    assert any("leadership roles have two or more people ready now" in v for v in infos)
    charts = app.get("graphviz_chart")
    assert len(charts) == 3  # the org chart and the two shapes
    assert "Gus Nguyen" in charts[0].proto.spec and "Span 2: below the minimum 3" in (
        charts[0].proto.spec
    )


def test_a_smaller_span_rule_needs_more_leads():
    app = open_page("org")
    before = app.session_state["organisation"]
    app.number_input(key="span-agents_per_lead").set_value(7.0).run()
    assert not app.exception
    assert app.session_state["scenario"].org.agents_per_lead == 7
    assert app.session_state["organisation"] is before
    takeaway = next(i.value for i in app.info if i.value.startswith("At the peak"))
    assert "need 7 team leads" in takeaway


def test_markup_in_a_name_stays_text_and_errors_name_the_row():
    app = open_page("org")
    current = app.session_state["organisation"]
    people = current.people.copy()
    people.loc[3, "name"] = "<img src=x onerror=alert(1)>"
    people.loc[4, "manager_id"] = "NOBODY"
    app.session_state["organisation"] = org.Organisation(people, current.ladder)
    app.session_state["people-generation"] = 1  # the editor starts from the new table
    app.run()
    assert not app.exception
    assert any(e.value.startswith("1 error") for e in app.error)
    problems = next(d.value for d in app.dataframe if "message" in d.value.columns)
    row = problems[problems["employee_id"] == "E005"].iloc[0]
    assert row["row"] == 5 and "NOBODY is not in the table" in row["message"]
    spec = app.get("graphviz_chart")[0].proto.spec
    assert "<img" not in spec and "&lt;img src=x onerror=alert(1)&gt;" in spec


def test_teams_are_counted_site_by_site():
    from planner import sample
    from planner.scenario import Scenario

    data = sample.load_shipped()[0].model_dump(mode="json")
    every_day = [0, 1, 2, 3, 4, 5, 6]
    data["service"]["sites"] = [
        {"name": "Austin", "time_zone": "America/Chicago",
         "hours": {"open_hour": 7, "close_hour": 19, "weekdays": every_day}},
        {"name": "Lisbon", "time_zone": "Europe/Lisbon",
         "hours": {"open_hour": 9, "close_hour": 18, "weekdays": [0, 1, 2, 3, 4]}},
    ]  # fmt: skip
    app = open_page("org", Scenario.parse(data))
    assert not app.exception and not app.error
    assert "Teams by site" in [s.value for s in app.subheader]
    teams = next(d.value for d in app.dataframe if "leads" in d.value.columns)
    assert teams["site"].tolist() == ["Austin", "Lisbon"] and (teams["leads"] >= 1).all()
