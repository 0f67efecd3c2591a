"""Forecaster: candidates on series of known structure, hand-checked accuracy measures,
intervals, odd histories, and accuracy on real call-centre data."""

import numpy as np
import pandas as pd
import pytest

from planner.errors import PlannerError
from planner.forecast import Forecast, forecast, forecast_each
from planner.forecast.backtest import coverage_by_lead, score
from planner.forecast.models import Context, Theta
from planner.volume import VolumeHistory
from tests.conftest import SHARED_DATA

WEEK = np.array([120.0, 100, 95, 90, 85, 40, 30])


def weekly(days: int, start: str = "2024-01-01", noise: float = 0.0, seed: int = 0) -> pd.Series:
    rng = np.random.default_rng(seed)
    values = np.resize(WEEK, days) + rng.normal(0, noise, days)
    return pd.Series(values, pd.date_range(start, periods=days, freq="D"))


@pytest.mark.parametrize("method", ["seasonal_naive", "ets", "sarimax", "mstl", "theta"])
def test_a_pure_weekly_pattern_is_forecast_almost_exactly(method):
    history = weekly(7 * 30)
    result = forecast(history, 14, method=method, holiday_country=None)
    expected = np.resize(WEEK, 7 * 32)[-14:]
    assert result.key == method
    assert np.abs(result.mean.to_numpy() - expected).max() < 0.03 * WEEK.mean()
    assert (result.lower <= result.mean).all() and (result.mean <= result.upper).all()


@pytest.mark.parametrize("method", ["ets", "mstl"])
def test_long_histories_keep_the_weekdays_in_phase(method):
    # Over two years (not a whole number of weeks): parameters are estimated on the last
    # 52 weeks and yearly seasonality joins in, yet every weekday must stay on its day.
    history = weekly(7 * 110 + 3, noise=2.0)
    result = forecast(history, 28, method=method, holiday_country=None)
    expected = np.resize(WEEK, 7 * 115)[7 * 110 + 3 : 7 * 110 + 31]
    assert np.abs(result.mean.to_numpy() - expected).max() < 0.06 * WEEK.mean()


def test_accuracy_measures_match_a_hand_calculation():
    # Two origins of two periods each; seasonal-naive scale (MASE denominator) 2 and 4.
    origin_a, origin_b = pd.Timestamp("2024-01-05"), pd.Timestamp("2024-01-07")
    fits = pd.DataFrame(
        {
            "method": ["m"] * 4,
            "origin": [origin_a, origin_a, origin_b, origin_b],
            "period": pd.date_range("2024-01-05", periods=4, freq="D"),
            "ahead": [1, 2, 1, 2],
            "mean": [10.0, 12.0, 9.0, 11.0],
            "lower": [8.0, 11.0, 5.0, 10.0],
            "upper": [12.0, 13.0, 12.0, 13.0],
            "actual": [11.0, 10.0, 13.0, 11.0],
        }
    )
    row = score(fits, {origin_a: 2.0, origin_b: 4.0}, {"m": "M"}, short=2).iloc[0]
    # Errors (forecast - actual): -1, +2, -4, 0. Origin A: MAE 1.5 / 2 = 0.75;
    # origin B: MAE 2 / 4 = 0.5; MASE = mean(0.75, 0.5) = 0.625.
    assert row["mase"] == pytest.approx(0.625)
    assert row["wape"] == pytest.approx(7 / 45)  # |errors| 7 over actual 45
    assert row["bias"] == pytest.approx(-3 / 45)  # under-forecast by 3
    assert row["coverage"] == pytest.approx(0.5)  # 11 in [8,12], 11 in [10,13]; 10, 13 out
    assert np.isnan(row["total_wape"])  # no window longer than the short one


def test_accuracy_by_horizon_is_worked_out_per_range_ahead():
    # Two origins of ten days; actual 10 everywhere; forecasts 11 for the first week ahead
    # and 13 after it at origin 0, 9 everywhere at origin 1; the range is 9.5-12.5.
    fits = pd.DataFrame(
        {
            "method": "ets",
            "origin": [0] * 10 + [1] * 10,
            "period": range(20),
            "ahead": list(range(1, 11)) * 2,
            "mean": [11.0] * 7 + [13.0] * 3 + [9.0] * 10,
            "lower": 9.5,
            "upper": 12.5,
            "actual": 10.0,
            "scale": 2.0,
        }
    )
    table = coverage_by_lead(fits, "D")
    assert table["ahead"].tolist() == ["1-7", "8-10"]
    # 1-7 ahead: errors +1 x 7 and -1 x 7 over 140 -> bias 0, WAPE 0.1; all covered.
    assert table.loc[0, ["bias", "wape", "coverage"]].tolist() == pytest.approx([0.0, 0.1, 1.0])
    # 8-10 ahead: errors +3 x 3, -1 x 3 over 60 -> bias 6/60, WAPE 12/60; all covered.
    assert table.loc[1, ["bias", "wape"]].tolist() == pytest.approx([6 / 60, 12 / 60])
    # MASE by lead: mean |error| / scale 2: 1-7 ahead 14 x 1 / 14 / 2 = 0.5; 8-10 12 / 6 / 2 = 1.
    assert table["mase"].tolist() == pytest.approx([0.5, 1.0])
    assert table["points"].tolist() == [14, 6]
    empty = pd.Series(dtype=float)
    result = Forecast(empty, empty, empty, "ETS", "ets", 80, pd.DataFrame(), fits)
    pd.testing.assert_frame_equal(result.accuracy_by_horizon(), table)


def test_auto_selection_reports_every_candidate_and_explains_the_winner():
    result = forecast(weekly(7 * 60, noise=6, seed=3), 28)
    table = result.backtest
    assert set(table["method"]) >= {"seasonal_naive", "ets", "sarimax", "theta", "combination"}
    assert table["chosen"].sum() == 1
    assert table.loc[table["chosen"], "mase"].item() == pytest.approx(table["mase"].min())
    assert "most accurate" in result.explanation
    assert result.method == table.loc[table["chosen"], "label"].item()  # the model in words
    assert set(result.fits["method"]) == set(table["method"])


def test_a_months_range_is_narrower_than_its_summed_daily_ranges_and_still_covers():
    history = weekly(7 * 80, noise=6, seed=12)
    result = forecast(history, 60, method="ets", holiday_country=None)
    months = result.totals("M")
    summed = result.frame().groupby(result.mean.index.to_period("M")).sum()
    first = months.iloc[0]
    assert (first["upper"] - first["lower"]) < (
        summed["upper"].iloc[0] - summed["lower"].iloc[0]
    ) * 0.6
    assert first["lower"] < first["mean"] < first["upper"]
    assert months["mean"].sum() == pytest.approx(result.mean.sum())


def test_the_planning_cases_total_the_plans_quantiles():
    history = weekly(7 * 80, noise=6, seed=13)
    result = forecast(history, 56, method="ets", holiday_country=None)
    cases = result.cases()
    total = cases.sum()
    assert total["lower"] < total["mean"] < total["upper"]
    # Each case is a path: it is not each day's own quantile (which would add up wider).
    daily = result.frame().sum()
    assert daily["lower"] < total["lower"] and total["upper"] < daily["upper"]


def test_theta_interval_follows_the_exponential_smoothing_variance():
    # FPP3 table 8.8, ETS(A,N,N): var_h = sigma^2 (1 + alpha^2 (h - 1)), sigma^2 the
    # variance of the one-step errors of simple exponential smoothing with Theta's alpha on
    # the seasonally adjusted history (recomputed here from the textbook recursion).
    from statsmodels.tsa.forecasting.theta import ThetaModel

    y = weekly(7 * 40, noise=5, seed=8).to_numpy()
    model = ThetaModel(y, period=7, use_test=False, method="multiplicative")
    alpha = model.fit().params["alpha"]
    adjusted = model._deseasonalize_data()[0]
    level, errors = adjusted[0], []
    for value in adjusted[1:]:
        errors.append(value - level)
        level = alpha * value + (1 - alpha) * level
    errors = np.array(errors)[len(errors) // 10 :]
    sigma = np.std(errors) * y.mean() / adjusted.mean()
    index = pd.date_range("2024-01-01", periods=len(y) + 10)
    ctx = Context("D", 7, 0.2, index, np.zeros((len(index), 1)))
    mean, _, upper = Theta().predict(y, 10, ctx)
    z = 1.2815515655446004  # standard normal quantile 0.9
    assert upper[0] - mean[0] == pytest.approx(z * sigma)
    assert upper[9] - mean[9] == pytest.approx(z * sigma * np.sqrt(1 + 9 * alpha**2))


@pytest.mark.parametrize(
    ("history", "words"),
    [
        (weekly(5), "too few to test"),
        (weekly(10), "less than two full seasonal cycles"),
        (weekly(7 * 20).drop(pd.date_range("2024-02-01", periods=3)), "filled from their"),
        (weekly(7 * 20).where(lambda s: s.index != "2024-03-06", 5000.0), "unusual day"),
        (pd.concat([weekly(7 * 40), weekly(21, "2024-10-07") * 3]), "moved to a new level"),
    ],
    ids=["five days", "ten days", "gap", "outlier", "level shift"],
)
def test_odd_histories_get_a_forecast_and_a_plain_warning(history, words):
    result = forecast(history, 14, holiday_country=None)
    assert len(result.mean) == 14 and result.mean.notna().all()
    assert any(words in note for note in result.warnings), result.warnings


def test_zeros_and_weekly_or_monthly_series_work():
    zeros = weekly(7 * 20).where(lambda s: s.index.day_of_week < 5, 0.0)
    assert forecast(zeros, 14, holiday_country=None).mean.min() >= 0
    mondays = pd.date_range("2022-01-03", periods=150, freq="W-MON")
    weeks = pd.Series(np.arange(150) + 100.0, mondays)
    assert forecast(weeks, 8).mean.index.freqstr == "W-MON"
    firsts = pd.date_range("2022-01-01", periods=40, freq="MS")
    months = pd.Series(np.arange(40) * 5 + 500.0, firsts)
    assert forecast(months, 12).mean.index[0] == pd.Timestamp("2025-05-01")


def test_unusable_requests_are_refused_clearly():
    with pytest.raises(PlannerError, match="not a method"):
        forecast(weekly(70), 7, method="crystal_ball")
    with pytest.raises(PlannerError, match="horizon"):
        forecast(weekly(70), 0)
    with pytest.raises(PlannerError, match="dates as its index"):
        forecast(pd.Series([1.0, 2.0]), 3)
    with pytest.raises(PlannerError, match="holiday calendar"):
        forecast(weekly(70), 7, holiday_country="Atlantis")


def test_bank_call_volume_auto_is_no_worse_than_seasonal_naive():
    # ../shared/data/bank-calls-5min: 164 consecutive working days of a North American
    # bank's calls (Weinberg, Brown & Stroud 2007). Daily totals; the last 20 days held out.
    calls = pd.read_csv(SHARED_DATA / "bank-calls-5min" / "calls.csv")
    daily = calls.groupby("day")["calls"].sum().to_numpy(dtype=float)
    series = pd.Series(daily, pd.bdate_range("2003-03-03", periods=len(daily)))
    train, test = series.iloc[:-20], series.iloc[-20:].to_numpy()
    scale = np.mean(np.abs(train.to_numpy()[5:] - train.to_numpy()[:-5]))
    auto = forecast(train, 20, holiday_country=None)
    naive = forecast(train, 20, method="seasonal_naive", holiday_country=None)
    auto_mase = np.mean(np.abs(auto.mean.to_numpy() - test)) / scale
    naive_mase = np.mean(np.abs(naive.mean.to_numpy() - test)) / scale
    print(f"bank calls: auto {auto.method} MASE {auto_mase:.3f}, seasonal naive {naive_mase:.3f}")
    assert auto_mase <= naive_mase


def history_of(parts: dict[tuple[str, str], pd.Series]) -> VolumeHistory:
    counts = pd.concat(
        [
            pd.DataFrame(
                {"period": s.index, "channel": c, "queue": q, "tickets": s.round().astype(int)}
            )
            for (c, q), s in parts.items()
        ],
        ignore_index=True,
    )
    return VolumeHistory("D", "UTC", counts, pd.DataFrame(), pd.DataFrame())


def test_each_channel_is_forecast_and_the_total_is_the_sum_of_the_parts():
    history = history_of(
        {
            ("email", "Billing"): weekly(140, noise=3.0, seed=1),
            ("email", "Tech"): weekly(140, noise=3.0, seed=2) / 2,
            ("chat", "Billing"): weekly(140, noise=3.0, seed=3) * 2,
        }
    )
    steps = []
    channels = forecast_each(
        history, 14, holiday_country=None, progress=lambda f, m: steps.append(f)
    )
    assert list(channels.parts) == ["chat", "email"]
    total = channels.total()
    for column in ("mean", "lower", "upper"):
        parts = sum(p.frame()[column] for p in channels.parts.values())
        pd.testing.assert_series_equal(total[column], parts)
    assert steps == sorted(steps) and steps[-1] == pytest.approx(1.0)
    assert set(channels.accuracy()["series"]) == {"chat", "email"}
    long = channels.frame()
    assert len(long) == 2 * 14 and list(long.columns) == [
        "series", "channel", "queue", "period", "mean", "lower", "upper",
    ]  # fmt: skip
    planning = channels.long
    assert list(planning.columns) == list(long.columns)
    assert (planning["lower"] <= planning["mean"]).all()

    queues = forecast_each(history, 14, by="queue", method="seasonal_naive")
    assert list(queues.parts) == ["chat / Billing", "email / Billing", "email / Tech"]
    # Seasonal naive repeats last week: the email parts add up to the email channel's week.
    email = queues.parts["email / Billing"].mean + queues.parts["email / Tech"].mean
    last_week = history.by_channel()["email"].iloc[-7:].to_numpy()
    assert email.iloc[:7].to_numpy() == pytest.approx(last_week)


def test_weekly_forecasts_use_whole_weeks_and_an_empty_history_is_refused():
    history = history_of({("email", "Billing"): weekly(7 * 60 + 3)})
    weeks = forecast_each(history, 8, freq="W", holiday_country=None)
    assert weeks.parts["email"].mean.index.freqstr == "W-MON"
    assert weeks.parts["email"].mean.iloc[0] == pytest.approx(WEEK.sum(), rel=0.02)
    empty = VolumeHistory("D", "UTC", history.counts.iloc[:0], pd.DataFrame(), pd.DataFrame())
    with pytest.raises(PlannerError, match="no tickets"):
        forecast_each(empty, 7)
