"""AppTest: the Volume forecast page forecasts the sample, explains the winner, applies
what-ifs without refitting and refuses bad settings with a message."""

import datetime as dt
import re

import pytest

from planner.scenario import DemandEvent
from tests.app.conftest import SAMPLE, open_page


def open_forecast(horizon=28, scenario=None):
    return open_page("forecast", scenario, timeout=180, state_values={"horizon-D": horizon})


def takeaway(app) -> str:
    return next(i.value for i in app.info if "expect" in i.value)


def test_sample_is_forecast_per_channel_with_accuracy_and_a_takeaway():
    app = open_forecast()
    assert [h.value for h in app.header] == [
        "1. What are we forecasting?",
        "2. How accurate was each method on our own past?",
        "3. What will change?",
        "4. How does a day split into intervals?",
        "5. Take it with you",
    ]
    accuracy = app.dataframe[0].value
    assert list(accuracy["series"]) == ["chat", "email", "phone", "web_form"]
    assert (accuracy["mase"] < 1.5).all()
    assert takeaway(app).startswith("From 01 Nov 2026 to 28 Nov 2026 expect")
    assert not app.error
    assert len(app.get("vega_lite_chart")) == 3  # no adjustment: no effects chart


def test_changing_the_horizon_refits_and_a_series_shows_its_backtest():
    app = open_forecast()
    app.number_input(key="horizon-D").set_value(14).run()
    assert not app.exception
    assert "to 14 Nov 2026" in takeaway(app)
    app.selectbox(key="series-pick").set_value("phone").run()
    assert any("was the most accurate on this history" in i.value for i in app.info)
    backtest = app.dataframe[0].value
    assert backtest["chosen"].sum() == 1
    assert app.dataframe[1].value["ahead"].tolist() == ["1-7", "8-14"]
    assert "on phone" in takeaway(app)


def test_a_what_if_changes_the_takeaway_and_is_kept_in_the_scenario():
    app = open_forecast()
    before = takeaway(app)
    app.number_input(key="growth").set_value(20.0).run()
    assert not app.exception
    after = takeaway(app)
    assert after != before and "the adjustments change the forecast by +" in after
    assert app.session_state["scenario"].demand.growth_per_year == 0.2


def test_a_scenario_event_is_drawn_with_its_effect():
    scenario = SAMPLE.model_copy(deep=True)
    launch = DemandEvent(
        name="Spring launch", start=dt.date(2026, 11, 9), weeks=1, low_change=0.1, high_change=0.1
    )
    scenario.demand.events = [launch]
    app = open_forecast(scenario=scenario)
    assert "change the forecast by +" in takeaway(app)
    assert len(app.get("vega_lite_chart")) == 4  # the effects chart joins the other three


def test_weekly_periods_and_an_unknown_holiday_calendar():
    app = open_forecast()
    app.selectbox[0].set_value("W").run()
    assert not app.exception
    assert any("Intervals come from daily forecasts" in m.value for m in app.markdown)
    app.text_input[0].set_value("Atlantis").run()
    assert not app.exception
    assert any("holiday calendar" in e.value for e in app.error)


def test_first_contact_resolution_up_removes_repeat_contacts():
    # FCR 70% -> 76% with 10% repeats: contacts x (1 - 0.1 + 0.1 x 0.24 / 0.30) = x 0.98
    app = open_forecast()
    before = app.session_state["scenario"].demand
    assert (before.first_contact_resolution, before.fcr_change) == (0.70, 0.0)
    expected = float(re.search(r"expect ([\d,]+)", takeaway(app)).group(1).replace(",", ""))
    app.number_input(key="fcr-repeats").set_value(10.0).run()
    app.number_input(key="fcr-change").set_value(6.0).run()
    assert not app.exception and not app.error
    demand = app.session_state["scenario"].demand
    assert (demand.fcr_change, demand.repeat_share) == (0.06, 0.10)
    after = float(re.search(r"expect ([\d,]+)", takeaway(app)).group(1).replace(",", ""))
    assert after == pytest.approx(expected * 0.98, abs=1.0)
