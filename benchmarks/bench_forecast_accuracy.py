"""Forecast accuracy against the simple baselines a finance analyst could make.

For each series: rolling origins (the last ``--origins`` windows of ``--horizon`` days, back
to back), MASE of the 28-day forecast (scale: the in-sample mean absolute error of the
weekly seasonal naive method up to each origin, Hyndman & Koehler 2006) and the share of
actual days inside the 80% interval, for Support Planner's ``forecast`` (auto), seasonal
naive and statsmodels' Holt-Winters (additive trend and weekly season). The bar (issue 18):
never worse than the better baseline; the goal: 10% better. Printed with wall and CPU time.

Series: the shared bank calls (164 working days, weekends closed, as a daily calendar), and
synthetic contact-centre series with the traits real ones have: closed weekends, public
holidays, a level shift, a launch spike, missing days, a yearly peak, and an hourly series
with closed nights and weekends and a lunch dip (there the seasonal naive method repeats
the same hour last week, Holt-Winters has a weekly season of 168 hours, and MASE and
coverage are per hour).

    python benchmarks/bench_forecast_accuracy.py [--origins 4] [--horizon 28]
"""

from __future__ import annotations

import argparse
import time
import warnings
from pathlib import Path

import holidays
import numpy as np
import pandas as pd

from planner.forecast import forecast

ROOT = Path(__file__).resolve().parents[1]
BANK = ROOT.parent / "shared" / "data" / "bank-calls-5min" / "calls.csv"
WEEK = np.array([1.25, 1.15, 1.08, 1.02, 0.95, 0.45, 0.30])


def bank_calls() -> pd.Series:
    """Daily calls on a calendar: weekdays from the data, Saturdays and Sundays 0."""
    calls = pd.read_csv(BANK).groupby("day")["calls"].sum()
    day = calls.index.to_numpy() - 1
    dates = pd.Timestamp("2003-03-03") + pd.to_timedelta((day // 5) * 7 + day % 5, unit="D")
    series = pd.Series(calls.to_numpy(dtype=float), dates)
    return series.asfreq("D", fill_value=0.0)


def synthetic(kind: str, seed: int = 0) -> pd.Series:
    """Three years of daily contacts around 400 a weekday with one trait each."""
    rng = np.random.default_rng(seed)
    days = pd.date_range("2023-01-02", "2025-12-31", freq="D")
    t = np.arange(len(days)) / 365.25
    weekday = WEEK[days.day_of_week]
    rate = 400 * (1 + 0.15 * t) * weekday
    rate *= 1 + 0.12 * np.cos(2 * np.pi * (days.day_of_year.to_numpy() - 15) / 365.25)
    public = holidays.country_holidays("US", years=range(2023, 2026))
    on_holiday = np.array([d.date() in public for d in days])
    if kind == "closed_weekends":
        rate = np.where(days.day_of_week >= 5, 0.0, rate)
    if kind in ("holidays", "closed_weekends"):
        rate = np.where(on_holiday, rate * 0.25, rate)
    if kind == "level_shift":
        rate = np.where(days >= pd.Timestamp("2025-05-01"), rate * 1.45, rate)
    if kind == "launch_spike":
        since = (days - pd.Timestamp("2025-09-15")).days.to_numpy()
        rate = rate * (1 + np.where((since >= 0) & (since < 21), 1.2 * np.exp(-since / 6), 0))
    values = rng.poisson(rate * rng.gamma(200, 1 / 200, len(days))).astype(float)
    series = pd.Series(values, days)
    if kind == "missing_days":
        gaps = rng.choice(len(days) - 60, 25, replace=False)
        series = series.drop(series.index[gaps])
    return series


def hourly(seed: int = 0) -> pd.Series:
    """Thirty weeks of hourly contacts: weekdays 08:00-18:00, half at the 12:00 lunch hour."""
    rng = np.random.default_rng(seed)
    index = pd.date_range("2025-01-06", periods=24 * 7 * 30, freq="h")
    hour, weekday = index.hour.to_numpy(), index.day_of_week.to_numpy()
    rate = 40.0 * ((hour >= 8) & (hour < 18)) * np.where(hour == 12, 0.5, 1.0) * (weekday < 5)
    return pd.Series(rng.poisson(rate * rng.gamma(50, 1 / 50, len(index))).astype(float), index)


def seasonal_naive(train: pd.Series, steps: int, season: int) -> np.ndarray:
    return np.resize(train.to_numpy()[-season:], steps)


def holt_winters(train: pd.Series, steps: int, season: int) -> np.ndarray:
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = ExponentialSmoothing(
            train.to_numpy(), trend="add", seasonal="add", seasonal_periods=season
        ).fit()
    return np.asarray(fit.forecast(steps))


def evaluate(name: str, series: pd.Series, origins: int, horizon: int, country) -> dict:
    step = pd.Series(series.index).diff().median()
    per_day = int(pd.Timedelta(days=1) / step)
    season, horizon = 7 * per_day, horizon * per_day
    regular = series.asfreq(step)
    values = regular.to_numpy()
    scores = {"auto": [], "naive": [], "hw": []}
    inside, points = 0, 0
    wall, cpu = time.perf_counter(), time.process_time()
    method = ""
    for k in range(origins, 0, -1):
        cut = len(regular) - k * horizon
        train = series[series.index < regular.index[cut]]
        actual = values[cut : cut + horizon]
        known = ~np.isnan(actual)
        filled = train.asfreq(step).interpolate()
        history = filled.to_numpy()
        scale = np.mean(np.abs(history[season:] - history[:-season]))
        made = forecast(train, horizon, holiday_country=country)
        method = made.method
        for key, mean in (
            ("auto", made.mean.to_numpy()),
            ("naive", seasonal_naive(filled, horizon, season)),
            ("hw", holt_winters(filled, horizon, season)),
        ):
            scores[key].append(np.mean(np.abs(mean - actual)[known]) / scale)
        low, high = made.lower.to_numpy()[known], made.upper.to_numpy()[known]
        inside += int(((actual[known] >= low) & (actual[known] <= high)).sum())
        points += int(known.sum())
    row = {k: float(np.mean(v)) for k, v in scores.items()}
    row |= {
        "series": name,
        "coverage": inside / points,
        "method": method,
        "wall": time.perf_counter() - wall,
        "cpu": time.process_time() - cpu,
    }
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--origins", type=int, default=4)
    parser.add_argument("--horizon", type=int, default=28)
    args = parser.parse_args()
    cases = [("bank calls (weekends closed)", bank_calls(), None)]
    for kind in ("closed_weekends", "holidays", "level_shift", "launch_spike", "missing_days"):
        cases.append((f"synthetic: {kind.replace('_', ' ')}", synthetic(kind, seed=1), "US"))
    cases.append(("synthetic: hourly, lunch dip", hourly(seed=1), None))
    print(f"MASE at {args.horizon} days over {args.origins} rolling origins; 80% coverage")
    print(f"{'series':34} {'auto':>6} {'naive':>6} {'HW':>6} {'vs best':>8} {'cover':>6}  "
          "wall/CPU s  chosen")  # fmt: skip
    for name, series, country in cases:
        row = evaluate(name, series, args.origins, args.horizon, country)
        best = min(row["naive"], row["hw"])
        print(
            f"{name:34} {row['auto']:6.3f} {row['naive']:6.3f} {row['hw']:6.3f} "
            f"{row['auto'] / best - 1:+7.1%} {row['coverage']:6.1%}  "
            f"{row['wall']:4.1f}/{row['cpu']:4.1f}  {row['method']}"
        )


if __name__ == "__main__":
    main()
