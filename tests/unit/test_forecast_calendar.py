"""The forecast's calendar: closed weekdays are zeros, holidays are an effect and not
outliers, recurring events stay, outliers are judged against their weekday, closures and
the country of the time zone count."""

import datetime as dt

import holidays
import numpy as np
import pandas as pd
import pytest

from planner.forecast import forecast, forecast_with
from planner.forecast.calendar import country_of_zone
from planner.scenario import ForecastSettings
from planner.volume import VolumeHistory

WEEK = np.array([120.0, 100, 95, 90, 85, 40, 30])


def daily(days: int, start: str = "2023-01-02", seed: int = 0, week=WEEK) -> pd.Series:
    rng = np.random.default_rng(seed)
    index = pd.date_range(start, periods=days, freq="D")
    values = week[index.day_of_week] * rng.gamma(400, 1 / 400, days)
    return pd.Series(np.round(values), index)


def test_a_closed_weekday_is_learned_and_forecast_as_zero():
    closed = daily(7 * 40, week=np.array([120.0, 100, 95, 90, 85, 0, 0]))
    result = forecast(closed, 28, holiday_country=None)
    weekend = result.mean.index.day_of_week >= 5
    assert (result.mean[weekend] == 0).all() and (result.upper[weekend] == 0).all()
    assert (result.mean[~weekend] > 60).all()
    assert any("Closed on Saturday, Sunday" in note for note in result.warnings)
    assert not any("unusual" in note for note in result.warnings)  # weekends are not outliers


def test_a_weekday_with_stray_contacts_is_still_closed():
    week = np.array([120.0, 100, 95, 90, 85, 0, 0])
    stray = daily(7 * 40, week=week)
    stray.iloc[5::35] = 2.0  # a stray ticket on one Saturday in five
    result = forecast(stray, 14, holiday_country=None)
    assert (result.mean[result.mean.index.day_of_week >= 5] == 0).all()


def test_holiday_dips_are_an_effect_of_their_own_not_outliers():
    # Two years, US holidays at a quarter of a usual day: every one is a dip, and none is
    # removed as an outlier; the next Christmas is forecast low, its neighbours are not.
    series = daily(7 * 104 + 5)
    us = holidays.country_holidays("US", years=range(2023, 2026))
    on_holiday = np.array([d.date() in us for d in series.index])
    series[on_holiday] = np.round(series[on_holiday] * 0.25)
    cut = series[series.index < "2024-12-20"]
    result = forecast(cut, 14, holiday_country="US")
    christmas = result.mean[pd.Timestamp("2024-12-25")]
    usual = result.mean[pd.Timestamp("2024-12-24")]  # Tuesday before, a usual day
    assert christmas == pytest.approx(0.25 * WEEK[2] * usual / WEEK[1], rel=0.3)
    assert any("Public holidays bring 25%" in note for note in result.warnings)
    assert not any("unusual day" in note for note in result.warnings)


def test_holidays_without_contacts_become_closed_days():
    series = daily(7 * 60)
    us = holidays.country_holidays("US", years=range(2023, 2025))
    series[[d.date() in us for d in series.index]] = 0.0
    result = forecast(series, 100, holiday_country="US")
    assert result.mean[pd.Timestamp("2024-05-27")] == 0  # Memorial Day
    assert any("holidays are closed days" in note for note in result.warnings)


def test_a_monthly_billing_run_is_a_recurring_event_not_an_outlier():
    series = daily(7 * 60)
    firsts = series.index.day == 1
    series[firsts] = series[firsts] * 4
    result = forecast(series, 35, holiday_country=None, method="sarimax")
    assert not any("unusual day" in note for note in result.warnings)
    first = result.mean[result.mean.index.day == 1].iloc[0]
    others = result.mean[result.mean.index.day != 1]
    same_weekday = others[others.index.day_of_week == result.mean[result.mean.index.day == 1]
                          .index[0].day_of_week].mean()  # fmt: skip
    assert first > 2 * same_weekday


def test_a_one_off_spike_is_judged_against_its_weekday():
    series = daily(7 * 40)
    series[pd.Timestamp("2023-06-07")] *= 6
    result = forecast(series, 14, holiday_country=None)
    assert any("1 unusual day(s)" in note and "2023-06-07" in note for note in result.warnings)


def test_team_closures_are_forecast_as_zero():
    series = daily(7 * 40)
    offsite = dt.date(2023, 10, 12)
    result = forecast(series, 14, holiday_country=None, closures=[offsite])
    assert result.mean[pd.Timestamp(offsite)] == 0
    assert result.mean[pd.Timestamp("2023-10-11")] > 0


def test_the_holiday_country_follows_the_time_zone():
    assert country_of_zone("Europe/Berlin") == "DE"
    assert country_of_zone("America/New_York") == "US"
    assert country_of_zone("UTC") is None
    # Berlin on German Unity Day (3 October), a Tuesday: closed in the history, so forecast 0.
    series = daily(7 * 60, start="2022-08-01")
    de = holidays.country_holidays("DE", years=range(2022, 2024))
    series[[d.date() in de for d in series.index]] = 0.0
    counts = pd.DataFrame({"period": series.index, "channel": "email", "queue": "all",
                           "tickets": series.to_numpy().astype(int)})  # fmt: skip
    history = VolumeHistory("D", "Europe/Berlin", counts, pd.DataFrame(), pd.DataFrame())
    made = forecast_with(history, 120, ForecastSettings()).parts["email"]
    assert made.mean[pd.Timestamp("2023-10-03")] == 0


def test_an_hourly_history_is_forecast_with_each_hours_own_noise():
    # Thirty weeks of hourly contacts, weekdays 08:00-18:00 with a lunch dip at 12:00;
    # the last two weeks held out: the intervals' 80% range must hold about 80% of them
    # (a daily band split by shares alone held 43% on real data), closed hours are 0.
    rng = np.random.default_rng(3)
    index = pd.date_range("2025-01-06", periods=24 * 7 * 30, freq="h")
    hour, weekday = index.hour.to_numpy(), index.day_of_week.to_numpy()
    rate = 40.0 * ((hour >= 8) & (hour < 18)) * np.where(hour == 12, 0.5, 1.0) * (weekday < 5)
    values = rng.poisson(rate * rng.gamma(50, 1 / 50, len(index))).astype(float)
    series = pd.Series(values, index)
    train, test = series.iloc[: -24 * 14], series.iloc[-24 * 14 :]
    result = forecast(train, 24 * 14, holiday_country=None)
    assert result.mean.index.equals(test.index)
    open_hours = (test.index.hour >= 8) & (test.index.hour < 18) & (test.index.day_of_week < 5)
    inside = (test >= result.lower) & (test <= result.upper)
    assert inside[open_hours].mean() == pytest.approx(0.8, abs=0.08)
    assert (result.upper[~open_hours] == 0).all()
    lunch = result.mean[result.mean.index.hour == 12].mean()
    morning = result.mean[result.mean.index.hour == 10].mean()
    assert lunch == pytest.approx(0.5 * morning, rel=0.25)
