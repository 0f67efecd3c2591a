"""The scenario: sensible defaults with rationales, strict validation, JSON round-trip."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.errors import ScenarioError
from planner.scenario import Scenario, Shrinkage


def test_default_scenario_is_complete_and_round_trips():
    scenario = Scenario(start_month=dt.date(2027, 1, 15))
    assert scenario.start_month == dt.date(2027, 1, 1)
    assert set(scenario.service.channels) == {"phone", "chat", "email", "web_form"}
    assert Scenario.from_json(scenario.to_json()) == scenario


def test_every_default_has_a_one_line_rationale():
    def walk(model_cls):
        for name, info in model_cls.model_fields.items():
            if name == "schema_version":
                continue
            assert info.description, f"{model_cls.__name__}.{name} has no rationale"
            assert "\n" not in info.description
            annotation = info.annotation
            if isinstance(annotation, type) and hasattr(annotation, "model_fields"):
                walk(annotation)

    walk(Scenario)


def test_shrinkage_components_combine_multiplicatively():
    # s = 1 - (1-0.10)(1-0.03)(1-0.06)(1-0.03)(1-0.05) = 1 - 0.7561987... (hand-worked)
    assert Shrinkage().total == pytest.approx(1 - 0.9 * 0.97 * 0.94 * 0.97 * 0.95)
    assert Shrinkage().total == pytest.approx(0.2438, abs=1e-4)


def test_errors_name_the_setting_value_and_fix():
    with pytest.raises(ScenarioError) as caught:
        Scenario.parse(
            {
                "workforce": {"shrinkage": {"sickness": 1.2}, "occupancy_target": "x"},
                "horizon_month": 3,
                "time_zone": "Mars/Base",
                "service": {"channels": {"phone": {"model": "erlang", "aht_seconds": 300}}},
            }
        )
    problems = caught.value.problems
    assert "Workforce › shrinkage › sickness: 1.2 must be at most 0.95." in problems
    assert "Workforce › occupancy target: 'x' must be a number." in problems
    assert any("Horizon month" in p and "not a setting" in p for p in problems)
    assert any("'Mars/Base' is not a time zone name" in p for p in problems)
    assert any("needs a service level with an answer time, or an ASA" in p for p in problems)


def test_list_rows_are_counted_from_one():
    with pytest.raises(ScenarioError) as caught:
        Scenario.parse({"demand": {"events": [{"name": "Launch", "start": None}]}})
    assert caught.value.problems == [
        "Demand › events › row 1 › start: must be a date written YYYY-MM-DD."
    ]


def test_invalid_json_is_a_scenario_error():
    with pytest.raises(ScenarioError, match="not valid JSON"):
        Scenario.from_json("{oops")


def test_older_files_without_new_settings_still_load():
    assert Scenario.parse({"name": "Old plan"}).forecast.interval_level == 80


@given(
    horizon=st.integers(1, 60),
    attrition=st.floats(0, 1.5),
    occupancy=st.floats(0.31, 1.0),
    name=st.text(min_size=1, max_size=40),
)
def test_any_valid_scenario_survives_a_json_round_trip(horizon, attrition, occupancy, name):
    scenario = Scenario.parse(
        {
            "name": name,
            "start_month": "2027-01-01",
            "horizon_months": horizon,
            "workforce": {"annual_attrition": attrition, "occupancy_target": occupancy},
        }
    )
    assert Scenario.from_json(scenario.to_json()) == scenario
