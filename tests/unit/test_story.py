"""The finance story's words and sentences, checked against hand-written expectations."""

import pandas as pd
import pytest

from planner import story
from planner.scenario import Scenario


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        ("costs.loaded_cost_factor", 1.4, ("Burden on base pay", "40%")),
        ("service.channels.phone.aht_seconds", 420, ("Phone: handle time", "420 s")),
        ("service.channels.web_form.response_hours", 24, ("Web form: response within", "24 h")),
        ("service.channels.chat.hours.weekdays", [0, 1, 2, 3, 4], ("Chat: open days", "Mon-Fri")),
        ("service.channels.chat.hours.weekdays", [0, 2, 5], ("Chat: open days", "Mon, Wed, Sat")),
        ("service.channels.chat.hours.open_hour", 8, ("Chat: opens", "08:00")),
        ("service.channels.phone.model", "erlang", ("Phone: model", "Erlang (calls)")),
        ("workforce.shrinkage.paid_time_off", 0.1, ("Shrinkage: paid time off", "10%")),
        ("workforce.training_weeks", 6, ("Training", "6 weeks")),
        ("workforce.ramp_months", 1, ("Months to full productivity", "1 month")),
        ("workforce.plan_to", "upper", ("Hire for", "the high case")),
        ("costs.merit_month", 4, ("Merit month", "April")),
        ("costs.new_hire_base_pay", None, ("New hire base pay a year", "from the ladder")),
        ("costs.overhead_per_month", 8000.0, ("Overhead a month", "8,000 EUR")),
        ("costs.ai_price_per_resolution", 0.99, ("AI price per automated resolution",
                                                 "0.99 EUR")),
        ("costs.tooling_per_seat_per_month", {"helpdesk": 115.0, "knowledge_base": 15.0},
         ("Tools, a seat a month", "helpdesk 115 EUR, knowledge base 15 EUR")),
        ("costs.vendors", [{"name": "BPO", "channel": "chat", "share": 0.15,
                            "price_per_ticket": None, "price_per_hour": 14.0}],
         ("Vendors", "BPO: 15% of chat at 14.00 EUR an hour")),
        ("start_month", "2027-01-01", ("First month", "January 2027")),
        ("forecast.interval_level", 80, ("Range shown", "80%")),
    ],
)  # fmt: skip
def test_settings_are_described_as_the_pages_show_them(path, value, expected):
    assert story.describe(path, value, "EUR") == expected


def test_differences_name_each_changed_setting_against_the_base():
    base = Scenario()
    changed = base.model_copy(
        update={"costs": base.costs.model_copy(update={"loaded_cost_factor": 1.4})}
    )
    assert story.differences(changed, base, "the base plan") == [
        "Burden on base pay: 40% (35% in the base plan)"
    ]
    assert story.differences(base, base, "the base plan") == [
        "No assumption differs from the base plan."
    ]
    table = story.assumptions(changed, base)
    assert not table["setting"].str.contains(r"\.|_").any()  # no internal names
    assert table.loc[table["differs"], "path"].tolist() == ["costs.loaded_cost_factor"]


def steps() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "step": ["Base", "Volume", "Service level", "Wage rates", "Other", "Plan"],
            "start": [0.0, 1000.0, 1060.0, 1060.0, 1040.0, 0.0],
            "change": [1000.0, 60.0, 0.2, -20.0, 0.0, 1040.0],
        }
    )


def test_the_bridge_runs_base_steps_total_in_order_from_zero():
    table = story.bridge_steps(steps())
    assert table["step"].tolist() == ["Base", "Volume", "Wage rates", "Plan"]
    assert table["kind"].tolist() == ["total", "more", "less", "total"]
    assert table["end"].tolist() == [1000.0, 1060.0, 1040.0, 1040.0]
    assert table["order"].tolist() == [0, 1, 2, 3]


def test_the_bridge_takeaway_names_the_biggest_step():
    assert story.bridge_takeaway(steps(), "USD") == (
        "From 1,000 to 1,040 USD (+4.0%); the biggest step is volume: +60."
    )


def test_the_tornado_takeaway_names_what_swings_cost_and_service_most():
    table = pd.DataFrame(
        {"assumption": ["Pay", "Handle time, phone"], "swing": [120_000.0, 80_000.0],
         "sl_swing": [0.0, 0.05]}
    )  # fmt: skip
    assert story.tornado_takeaway(table, "USD", 0.10, 0.825) == (
        "Moving each assumption 10% either way, pay swings the annual cost most: 120,000 USD. "
        "With today's staffing the service level is 82.5%; handle time, phone moves it most."
    )


def test_the_quarter_takeaway_names_the_dearest_and_cheapest_quarter():
    quarters = pd.DataFrame(
        {"quarter": ["Q1 2027", "Q2 2027", "Q3 2027", "Q4 2027"],
         "Total": [100.0, 120.0, 150.0, 130.0]}
    )  # fmt: skip
    assert story.quarter_takeaway(quarters, "USD") == (
        "Q3 2027 costs most: 150 USD (30% of the plan); Q1 2027 least: 100 USD."
    )


class _History:
    def __init__(self, daily: pd.Series):
        self.daily = daily

    def table(self, by: str, freq: str | None) -> pd.DataFrame:
        return self.daily.to_frame("email")


class _Forecast:
    def __init__(self, monthly: pd.DataFrame):
        self.monthly = monthly

    def totals(self, freq: str) -> pd.DataFrame:
        return self.monthly.copy()


def test_the_month_the_history_ends_in_is_counted_once_with_its_forecast():
    days = pd.date_range("2026-01-01", "2026-02-14")
    history = _History(pd.Series(10.0, index=days))
    ahead = pd.DataFrame(
        {"mean": [140.0, 300.0], "lower": [120.0, 250.0], "upper": [160.0, 350.0]},
        index=pd.DatetimeIndex(["2026-02-01", "2026-03-01"], name="period"),
    )
    actual, forecast = story.volume_by_month(history, _Forecast(ahead))
    assert actual.to_dict() == {pd.Timestamp("2026-01-01"): 310.0}
    assert forecast.loc["2026-02-01"].tolist() == [280.0, 260.0, 300.0]  # 140 counted + rest
    assert forecast.loc["2026-03-01"].tolist() == [300.0, 250.0, 350.0]
