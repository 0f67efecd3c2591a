"""Forecasts of hourly (or 15- and 30-minute) histories: each day's total is forecast as a
daily series, then split by the weekday x interval shape of recent weeks, with ranges that
hold the noise of single intervals, not only the day's.

- The shape: per weekday and interval, the median over the last ``SHAPE_WEEKS`` open,
  non-holiday weeks of the interval's share of its day (medians, so one odd day does not
  bend it), normalised to sum to one.
- The range of an interval: its count is Poisson with overdispersion ``dispersion`` (the
  history's variance-to-mean ratio of interval counts around shape x day total, at least
  1) around the day's simulated value x share; quantiles of that mixture by simulation.
  A daily band split by shares alone covers far less than it promises, as the day's
  total hides most of the intervals' noise.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner.forecast.backtest import PATHS, SEED

SHAPE_WEEKS = 8


def is_intraday(index: pd.DatetimeIndex) -> bool:
    """Whether a history's periods are shorter than a day."""
    if len(index) < 3:
        return False
    step = pd.Series(index).diff().median()
    return step < pd.Timedelta(days=1)


def step_of(index: pd.DatetimeIndex) -> pd.Timedelta:
    return pd.Series(index).diff().median()


def shape(history: pd.Series, open_days: pd.DatetimeIndex) -> pd.DataFrame:
    """Share of a weekday's contacts in each interval (rows weekday 0-6, columns minutes
    after midnight), from the last ``SHAPE_WEEKS`` weeks of ``open_days``."""
    step = step_of(history.index)
    slots = int(pd.Timedelta(days=1) / step)
    frame = history.to_frame("count")
    frame["day"] = frame.index.normalize()
    frame["slot"] = ((frame.index - frame["day"]) / step).astype(int)
    frame = frame[frame["day"].isin(open_days)]
    recent = frame[frame["day"] >= frame["day"].max() - pd.Timedelta(weeks=SHAPE_WEEKS)]
    totals = recent.groupby("day")["count"].transform("sum")
    recent = recent.assign(share=recent["count"] / totals.where(totals > 0))
    recent = recent.assign(weekday=recent["day"].dt.day_of_week)
    table = recent.pivot_table(index="weekday", columns="slot", values="share", aggfunc="median")
    table = table.reindex(index=range(7), columns=range(slots)).fillna(0.0)
    sums = table.sum(axis=1)
    overall = table[sums > 0].mean() if (sums > 0).any() else pd.Series(1.0, table.columns)
    table[sums == 0] = overall.to_numpy()
    table = table.div(table.sum(axis=1), axis=0)
    table.columns = [int(c * step / pd.Timedelta(minutes=1)) for c in table.columns]
    return table


def dispersion(history: pd.Series, shares: pd.DataFrame) -> float:
    """Variance-to-mean ratio of interval counts around share x their day's total (at
    least 1: Poisson)."""
    day = history.index.normalize()
    totals = history.groupby(day).transform("sum").to_numpy()
    slot = ((history.index - day) / pd.Timedelta(minutes=1)).astype(int).to_numpy()
    share = shares.to_numpy()[history.index.day_of_week, np.searchsorted(shares.columns, slot)]
    expected = totals * share
    usable = expected > 1
    if not usable.any():
        return 1.0
    ratio = (history.to_numpy()[usable] - expected[usable]) ** 2 / expected[usable]
    return max(1.0, float(np.mean(ratio)))


def split(
    days: pd.DataFrame, shares: pd.DataFrame, ratio: float, level: int, step: pd.Timedelta
) -> pd.DataFrame:
    """Intervals of the forecast days (``days``: period, mean, lower, upper) with each
    interval's mean and its ``level``% range (day uncertainty, then interval noise)."""
    slots = shares.shape[1]
    index = pd.DatetimeIndex(days.index)
    weights = shares.to_numpy()[index.day_of_week]  # days x slots
    mean = days["mean"].to_numpy()[:, None] * weights
    # The day's own spread, as a normal approximation of its simulated range.
    z = 1.2815515655446004 if level == 80 else _z(level)
    day_sd = ((days["upper"] - days["lower"]).to_numpy() / (2 * z))[:, None] * weights
    rng = np.random.default_rng(SEED)
    draws = max(400, PATHS // 5)
    day_part = mean[None] + day_sd[None] * rng.standard_normal((draws, 1, 1))
    rate = np.clip(day_part, 0, None)
    if ratio > 1:  # negative binomial: Poisson with a gamma-mixed rate
        shape_k = rate / (ratio - 1)
        rate = rng.gamma(np.where(shape_k > 0, shape_k, 1e-9), ratio - 1)
    counts = rng.poisson(rate)
    alpha = (100 - level) / 200
    lower, upper = np.quantile(counts, [alpha, 1 - alpha], axis=0)
    starts = (index.to_numpy()[:, None] + np.arange(slots) * step.to_timedelta64()).ravel()
    return pd.DataFrame(
        {"mean": mean.ravel(), "lower": lower.ravel(), "upper": upper.ravel()},
        index=pd.DatetimeIndex(starts, name="period"),
    )


def spread(days: pd.DataFrame, shares: pd.DataFrame, step: pd.Timedelta) -> pd.DataFrame:
    """Each column of ``days`` (period, mean, lower, upper) split by the shares, without
    interval noise: the planning cases by interval."""
    index = pd.DatetimeIndex(days.index)
    weights = shares.to_numpy()[index.day_of_week]
    offsets = np.arange(shares.shape[1]) * step.to_timedelta64()
    starts = (index.to_numpy()[:, None] + offsets).ravel()
    return pd.DataFrame(
        {c: (days[c].to_numpy()[:, None] * weights).ravel() for c in ("mean", "lower", "upper")},
        index=pd.DatetimeIndex(starts, name="period"),
    )


def _z(level: int) -> float:
    from scipy import stats

    return float(stats.norm.ppf(1 - (100 - level) / 200))
