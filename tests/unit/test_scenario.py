"""The scenario: sensible defaults with rationales, strict validation, JSON round-trip."""

import datetime as dt
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.errors import ScenarioError
from planner.scenario import CONTROL, Scenario, Shrinkage


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


VERSION_1 = {  # a save from before fractions lost their "_pct": every renamed setting
    "schema_version": 1,
    "name": "Old plan",
    "demand": {
        "growth_pct_per_year": 0.2,
        "contacts_per_customer_change_pct": -0.05,
        "events": [{"name": "Launch", "start": "2027-03-01", "low_pct": 0.1, "high_pct": 0.3}],
        "deflection": [{"channel": "chat", "start": "2027-02-01", "aht_uplift_pct": 0.15}],
    },
    "costs": {"merit_increase_pct": 0.04, "pay_adjustment_pct": 0.02, "arr_growth_pct": 0.3},
    "sources": {"demand.growth_pct_per_year": {"kind": "typed"}},
}


def test_a_save_from_before_the_fractions_were_renamed_opens_with_the_same_values():
    old = Scenario.from_json(json.dumps(VERSION_1))
    assert old.schema_version == 2
    assert (old.demand.growth_per_year, old.demand.contacts_per_customer_change) == (0.2, -0.05)
    event = old.demand.events[0]
    assert (event.low_change, event.high_change) == (0.1, 0.3)
    assert old.demand.deflection[0].aht_uplift == 0.15
    assert (old.costs.merit_increase, old.costs.pay_adjustment, old.costs.arr_growth) == (
        0.04, 0.02, 0.3)  # fmt: skip
    assert old.source_of("demand.growth_per_year").kind == "typed"
    # written back, it uses the new names only, and opens as itself
    text = old.to_json()
    assert "_pct" not in text and Scenario.from_json(text) == old


def test_an_old_name_beside_its_new_one_is_refused_not_guessed():
    with pytest.raises(ScenarioError, match=r"growth pct per year: 0\.2 is not a setting"):
        Scenario.parse({"demand": {"growth_pct_per_year": 0.2, "growth_per_year": 0.1}})


@given(
    horizon=st.integers(1, 60),
    attrition=st.floats(0, 1.5),
    occupancy=st.floats(0.31, 1.0),
    name=st.text(min_size=1, max_size=40),
)
def test_any_valid_scenario_survives_a_json_round_trip(horizon, attrition, occupancy, name):
    if CONTROL.search(name) and not CONTROL.sub(" ", name).strip():
        with pytest.raises(ScenarioError, match="Name: '' must not be empty"):
            Scenario.parse({"name": name})  # control characters alone are no name
        return
    scenario = Scenario.parse(
        {
            "name": name,
            "start_month": "2027-01-01",
            "horizon_months": horizon,
            "workforce": {"annual_attrition": attrition, "occupancy_target": occupancy},
        }
    )
    assert Scenario.from_json(scenario.to_json()) == scenario


def test_every_number_is_finite_a_number_and_in_its_range_all_in_one_message():
    with pytest.raises(ScenarioError) as caught:
        Scenario.parse(
            {
                "costs": {
                    "agent_base_pay": float("inf"),
                    "overhead_per_month": "12",
                    "customers": True,
                    "annual_recurring_revenue": 1e308,
                    "tooling_per_seat_per_month": {"helpdesk": -5},
                },
                "workforce": {"hours_per_fte_per_week": True, "starting_fte": 1e9},
                "service": {"channels": {"phone": {"model": "erlang", "aht_seconds": 300,
                            "service_level": 0.8, "answer_seconds": 20,
                            "patience_seconds": float("inf")}}},
            }
        )  # fmt: skip
    problems = caught.value.problems
    assert "Costs › agent base pay: Input should be a finite number." in problems
    assert "Costs › overhead per month: '12' must be a number." in problems
    assert "Costs › customers: True must be a whole number." in problems
    assert "Costs › annual recurring revenue: 1e+308 must be at most 1e+16." in problems
    assert "Costs › tooling per seat per month › helpdesk: -5 must be at least 0.0." in problems
    assert "Workforce › hours per fte per week: True must be a number." in problems
    assert "Workforce › starting fte: 1000000000.0 must be at most 100000.0." in problems
    assert any("patience seconds" in p and "finite" in p for p in problems)


def test_dates_names_and_time_zones_are_checked_at_the_boundary():
    assert Scenario.parse({"time_zone": "europe/berlin"}).time_zone == "Europe/Berlin"
    assert Scenario.parse({"time_zone": "utc"}).time_zone == "UTC"
    with pytest.raises(ScenarioError) as caught:
        Scenario.parse(
            {
                "time_zone": "UTC+1",
                "start_month": "2262-01-01",
                "costs": {
                    "tooling_per_seat_per_month": {"Help desk": 1, "helpdesk": 2},
                    "overhead_per_month": -5,
                },
            }
        )
    problems = " ".join(caught.value.problems)
    assert "'UTC+1' is not a time zone name" in problems and "pick the city" in problems
    assert "the date 2262-01-01 is outside 2000-2100" in problems
    assert "tool names 'Help desk' and 'helpdesk' are the same name" in problems
    assert any("overhead per month" in p for p in caught.value.problems), "one message, all"
    with pytest.raises(ScenarioError, match="nearest: Europe/Berlin"):
        Scenario.parse({"time_zone": "Europe/Berln"})
    two = [{"name": "BPO", "channel": "chat", "share": 0.1, "price_per_ticket": 1}] * 2
    with pytest.raises(ScenarioError, match="vendor names 'BPO \\(chat\\)' and 'BPO"):
        Scenario.parse({"costs": {"vendors": two}})
    chat = {"model": "concurrent", "aht_seconds": 600, "service_level": 0.8, "answer_seconds": 60}
    with pytest.raises(ScenarioError, match="channel names 'Chat' and 'chat'"):
        Scenario.parse({"service": {"channels": {"Chat": chat, "chat": chat}}})


def test_names_are_kept_on_one_line():
    scenario = Scenario.parse({"name": "Plan\r=1+1", "costs": {"tooling_per_seat_per_month":
                                                               {"help\ndesk": 5}}})  # fmt: skip
    assert scenario.name == "Plan =1+1"
    assert list(scenario.costs.tooling_per_seat_per_month) == ["help desk"]


def test_a_scenario_nested_thousands_deep_is_refused_in_words():
    with pytest.raises(ScenarioError, match="nests lists or objects thousands deep"):
        Scenario.from_json("[" * 100_000 + "]" * 100_000)
