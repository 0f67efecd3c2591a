"""Contact-volume forecasts: statsmodels candidates chosen by an honest rolling-origin
backtest at the horizons the plan uses, on the days the channel is open.

``forecast(history, horizon)`` learns the series' calendar first (``calendar``: closed
weekdays forecast as 0, public holidays as their measured effect, outliers judged against
the same weekday), then tries seasonal naive, ETS, a regression with ARIMA errors, MSTL,
Theta and an equal-weight combination of the best three on the open days (``models``), and
picks the most accurate over the backtest windows the plan needs (``backtest``). Its range
comes from simulated error paths fitted to the winner's backtest errors, so the range of a
day, a month or the plan year each holds what it promises; the low and high planning cases
are paths whose plan-year totals are those quantiles.

Honesty rule: no forecast is ever scored on data its parameters were estimated from. Each
model's parameters are estimated once, on the history before the earliest backtest origin;
every later origin, and the final forecast, re-runs the model's filter with those parameters
on the data up to that origin.
"""

from __future__ import annotations

import copy
import datetime as dt
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
import pandas as pd
from scipy import stats
from threadpoolctl import threadpool_limits

from planner.errors import PlannerError
from planner.forecast import backtest, calendar, intraday
from planner.forecast.models import CANDIDATES, Candidate, Context, Regression, SeasonalNaive
from planner.history_check import require_enough
from planner.recent import digest
from planner.scenario import ForecastSettings
from planner.volume import PANDAS_FREQ, VolumeHistory

SEASON = {"D": 7, "B": 5, "W": 52, "M": 12}
YEAR = {"D": 365, "B": 260, "W": 52, "M": 12}
METHODS = ("seasonal_naive", "ets", "sarimax", "mstl", "theta", "combination")
MIN_POINTS = 10  # below this no method can be tested; the last value is repeated
COMBINED = 3  # the combination averages this many of the best candidates
MIN_SCALE = 0.25  # a calibrated model interval keeps at least a quarter of its width
# How far a support team's volume can drift in a year that its history did not foresee
# (log scale, one standard deviation): a ±25% year is common (launches, churn, pricing).
DRIFT_PER_YEAR = 0.25
PERIOD_DAYS = {"D": 1.0, "B": 1.4, "W": 7.0, "M": 30.44}

__all__ = [
    "METHODS",
    "Forecast",
    "ForecastSet",
    "forecast",
    "forecast_each",
    "forecast_with",
    "honest_band",
    "periods_until",
]


@dataclass(frozen=True)
class Forecast:
    """A forecast with its range, the method that made it and how wrong each was.

    ``mean``, ``lower``, ``upper``: each period's expected value and its ``level``% range.
    ``low_case`` / ``high_case``: whole paths for planning, whose total over the plan is
    the lower / upper quantile of the plan's total (months rise and fall together).
    ``method`` is the chosen model in words, ``key`` its name in METHODS. ``backtest`` has
    one row per candidate: method, label, mase, wape, bias, coverage, total_wape, chosen.
    ``fits`` holds the backtest forecasts (origin, period, ahead, method, mean, lower,
    upper, actual). ``freq`` is the period letter the backtest leads count in.
    """

    mean: pd.Series
    lower: pd.Series
    upper: pd.Series
    method: str
    key: str
    level: int
    backtest: pd.DataFrame
    fits: pd.DataFrame
    low_case: pd.Series | None = None
    high_case: pd.Series | None = None
    freq: str = "D"
    interval_scale: float = 1.0
    warnings: list[str] = field(default_factory=list)
    errors: backtest.ErrorModel | None = None

    def totals(self, freq: str = "M") -> pd.DataFrame:
        """period (start), mean, lower, upper: the forecast summed by week ("W") or month
        ("M"), each total's range from simulated error paths (the joint distribution of
        its days), never the sum of daily quantiles. Without error paths (too short a
        backtest) the daily ranges are summed: the cautious reading."""
        mean = self.mean.to_numpy()
        groups = self.mean.index.to_period("W-SUN" if freq == "W" else "M")
        codes, labels = pd.factorize(groups)
        if self.errors is None:
            frame = self.frame().groupby(codes).sum()
        else:
            # Paths step only where the channel is open (mean above 0), as they were fitted.
            active = mean > 0
            paths = np.zeros((backtest.PATHS, len(mean)))
            paths[:, active] = self.errors.paths(mean[active])
            summed = np.stack([paths[:, codes == k].sum(axis=1) for k in range(len(labels))], 1)
            low, high = backtest.band(summed, self.level)
            frame = pd.DataFrame({"mean": np.bincount(codes, mean), "lower": low, "upper": high})
        frame.index = pd.DatetimeIndex([p.start_time for p in labels], name="period")
        return frame

    def frame(self) -> pd.DataFrame:
        """period, mean, lower, upper: each period's range, the table a director downloads."""
        return pd.DataFrame(
            {"mean": self.mean, "lower": self.lower, "upper": self.upper}
        ).rename_axis("period")

    def cases(self) -> pd.DataFrame:
        """period, mean, lower, upper where lower and upper are the low and high planning
        cases (see the class notes): what staffing and the budget are built on."""
        low = self.low_case if self.low_case is not None else self.lower
        high = self.high_case if self.high_case is not None else self.upper
        return pd.DataFrame({"mean": self.mean, "lower": low, "upper": high}).rename_axis("period")

    @property
    def chosen_fits(self) -> pd.DataFrame:
        """The backtest forecasts of the chosen method (what the chart draws)."""
        return self.fits[self.fits["method"] == self.key]

    def accuracy_by_horizon(self) -> pd.DataFrame:
        """Bias, WAPE and coverage of the chosen method's backtest by how far ahead it
        forecast (bias first, as shared/DOMAIN.md asks), in buckets such as "1-7"."""
        return backtest.coverage_by_lead(self.chosen_fits, self.freq)

    @property
    def explanation(self) -> str:
        """One sentence on why this method won."""
        row = self.backtest.set_index("method").loc[self.key]
        naive = self.backtest.set_index("method")["mase"].get("seasonal_naive", np.nan)
        text = (
            f"{self.method} was the most accurate on this history: over the backtest its "
            f"forecasts were off by {row['wape']:.1%} of volume (MASE {row['mase']:.2f}"
        )
        if self.key != "seasonal_naive" and np.isfinite(naive):
            text += f" against {naive:.2f} for seasonal naive"
        text += ")"
        if np.isfinite(row.get("total_wape", np.nan)):
            text += f"; its monthly totals further ahead were off by {row['total_wape']:.1%}"
        return text + f". The {self.level}% range comes from its own backtest errors."


def forecast(
    history: pd.Series,
    horizon: int,
    *,
    level: int = 80,
    method: str = "auto",
    origins: int = 4,
    holiday_country: str | None = "US",
    closures: Iterable[dt.date] = (),
    plan: tuple[dt.date, dt.date] | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> Forecast:
    """Forecast ``horizon`` periods after a regular series (daily, weekly or monthly).

    ``method`` is "auto" (the best over the backtest) or one of METHODS. ``level`` is the
    range in percent (80 gives P10-P90). ``origins`` is the number of short backtest
    windows. ``closures``: dates the team is closed (forecast 0). ``plan``: the plan's
    first day and the day after its last; selection weighs the horizons it needs and the
    planning cases are defined on its total (the whole horizon when None). Short or odd
    histories get a simpler method and a warning in ``Forecast.warnings``, never an
    exception; only unusable input raises PlannerError.
    """
    # One BLAS thread: the models' matrices are small, and on two cores the threads only
    # contend (measured: 1.0 s a 3-year series with one thread, 1.3-1.8 s with two).
    with threadpool_limits(1):
        return _forecast(history, horizon, level, method, origins, holiday_country, closures,
                         plan, progress)  # fmt: skip


def _forecast(history, horizon, level, method, origins, holiday_country, closures, plan,
              progress) -> Forecast:  # fmt: skip
    if method != "auto" and method not in METHODS:
        raise PlannerError(f"'{method}' is not a method; use auto or one of {', '.join(METHODS)}.")
    if horizon < 1:
        raise PlannerError("The horizon must be at least one period.")
    if not 50 <= level <= 99:
        raise PlannerError("The interval level must be between 50 and 99 percent.")
    report = progress or (lambda fraction, message: None)
    if isinstance(history.index, pd.DatetimeIndex) and intraday.is_intraday(history.index):
        return _intraday(history, horizon, level, method, origins, holiday_country, closures,
                         plan, report)  # fmt: skip
    y, letter, notes = calendar.regular(history)
    future = pd.date_range(y.index[-1], periods=horizon + 1, freq=y.index.freq)[1:]
    index = y.index.append(future)
    n = len(y)
    if letter == "D":
        days = calendar.build(y, future, holiday_country, closures)
        values, repaired = calendar.repair(y, days)
        notes += [*days.notes, *repaired]
        is_open, holiday, factor = days.open, days.holiday, days.factor
        open_weekdays = 7 - len(days.closed_weekdays)
        recurring = days.recurring
    else:
        values = y.to_numpy(dtype=float)
        is_open = np.ones(len(index), dtype=bool)
        holiday, factor = calendar.holiday_flags(index, holiday_country), 1.0
        open_weekdays = 7
        recurring = np.zeros(len(index))
    compressed = letter == "D" and open_weekdays < 7
    freq = "B" if compressed else letter
    y_open = values[is_open[:n]]
    open_index = index[is_open]
    season = open_weekdays if letter == "D" else SEASON[letter]
    year = round(365.25 * open_weekdays / 7) if letter == "D" else YEAR[letter]
    if len(y_open) < 2 * season:
        if len(y_open) >= MIN_POINTS:
            notes.append(
                f"The history has {len(y_open)} open periods, less than two full seasonal "
                f"cycles ({2 * season}); seasonality is left out."
            )
        season = 1
    known = np.column_stack([holiday[is_open], recurring[is_open]])  # regression terms
    ctx = Context(freq, season, 1 - level / 100, open_index, known, year)
    steps = int(is_open[n:].sum())
    in_plan = _plan_mask(future, plan)
    if steps == 0:
        zeros = np.zeros(horizon)
        return _assembled(zeros, zeros, zeros, zeros, zeros, future, level, freq, notes,
                          "Closed", "seasonal_naive", _empty_table(), _empty_fits())  # fmt: skip
    pairs = backtest.origins(len(y_open), steps, origins, season, freq, year)
    if len(y_open) < MIN_POINTS or not pairs:
        notes.append(
            f"Only {len(y_open)} periods of history: too few to test any method, so the "
            "forecast repeats the last value. Load a longer history for a tested forecast."
        )
        mean, lower, upper = SeasonalNaive().predict(y_open, steps, ctx)
        full = _expand((mean, lower, upper, mean, mean), is_open[n:], holiday[n:], factor)
        result = _assembled(*full, future, level, freq, notes, SeasonalNaive().label(ctx),
                            "seasonal_naive", _untested_table(ctx), _empty_fits())  # fmt: skip
        return _widened(result, y_open, letter, notes, steps, year)

    short = min(p[1] for p in pairs)
    wanted = list(CANDIDATES) if method in ("auto", "combination") else [method]
    wanted = list(dict.fromkeys(["seasonal_naive", *wanted]))
    if season == 1:
        wanted = [k for k in wanted if k != "mstl"]
    fitted: dict[str, Candidate] = {}
    rows: list[pd.DataFrame] = []
    for number, key in enumerate(wanted):
        report(number / (len(wanted) + 1), f"Testing {key.replace('_', ' ')}")
        candidate = CANDIDATES[key]()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                candidate.fit(y_open[: min(p[0] for p in pairs)], ctx)
                for start, window in pairs:
                    prediction = candidate.predict(y_open[:start], window, ctx)
                    rows.append(
                        backtest.fit_rows(key, start, window, prediction, y_open, open_index)
                    )
        except (ValueError, np.linalg.LinAlgError, IndexError) as exc:
            notes.append(f"{candidate.label(ctx)} could not be fitted to this history ({exc}).")
            rows = [r for r in rows if r["method"].iloc[0] != key]
            continue
        fitted[key] = candidate
    fits = pd.concat(rows, ignore_index=True) if rows else _empty_fits()
    scale = {open_index[s]: backtest.naive_scale(y_open[:s], max(season, 1)) for s, _ in pairs}
    fits["scale"] = fits["origin"].map(scale).astype(float)
    labels = {k: c.label(ctx) for k, c in fitted.items()}
    table = backtest.score(fits, scale, labels, short)
    plan_reach = _reach(is_open[n:], in_plan)
    needs_totals = plan_reach > short
    ranked = backtest.rank(table, needs_totals)
    best = [k for k in ranked if k in fitted][:COMBINED]
    if len(best) > 1 and method in ("auto", "combination"):
        mixed = fits[fits["method"].isin(best)].groupby(["origin", "period"], as_index=False)
        mixed = mixed.agg(
            ahead=("ahead", "first"), mean=("mean", "mean"), lower=("lower", "mean"),
            upper=("upper", "mean"), actual=("actual", "first"), scale=("scale", "first"),
        )  # fmt: skip
        mixed["method"] = "combination"
        fits = pd.concat([fits, mixed[[*backtest.FIT_COLUMNS, "scale"]]], ignore_index=True)
        labels["combination"] = "Average of " + _join([labels[k] for k in best])
        table = backtest.score(fits, scale, labels, short)
        ranked = backtest.rank(table, needs_totals)
    chosen = ranked.iloc[0] if method == "auto" else method
    if chosen not in set(table["method"]):
        chosen = "seasonal_naive"
    if steps > max(p[1] for p in pairs):
        notes.append(
            f"The backtest reaches {max(p[1] for p in pairs)} periods ahead, the forecast "
            f"{steps}: further ahead is untested, so the range there widens as an unforeseen "
            f"drift of {DRIFT_PER_YEAR:.0%} a year would make it."
        )
    report(len(wanted) / (len(wanted) + 1), "Forecasting with the chosen method")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        members = best if chosen == "combination" else [chosen]
        parts = [_refitted(fitted[k], y_open, ctx).predict(y_open, steps, ctx) for k in members]
        mean, lower, upper = (np.mean([p[i] for p in parts], axis=0) for i in range(3))
    chosen_fits = fits[fits["method"] == chosen]
    errors = backtest.ErrorModel.fit(chosen_fits, max(season, 1))
    if errors is not None:  # beyond the tested leads the level drifts as DRIFT_PER_YEAR says
        errors = replace(
            errors, tested=int(chosen_fits["ahead"].max()), drift=DRIFT_PER_YEAR / np.sqrt(year)
        )
    interval_scale = 1.0
    mean = np.clip(mean, 0, None)
    open_plan = in_plan[is_open[n:]]
    if errors is not None:
        paths = errors.paths(mean)
        lower, upper = backtest.band(paths, level)
        low_case, high_case = backtest.cases(paths, mean, open_plan, level)
    else:
        interval_scale = _calibration(chosen_fits, level)
        lower = mean - interval_scale * (mean - lower)
        upper = mean + interval_scale * (upper - mean)
        low_case, high_case = lower, upper
    if errors is not None:
        # The backtest's ranges of the winner become the ranges it now promises (its error
        # paths' quantiles at each lead), so the coverage shown is the promise's own.
        fits = _with_final_ranges(fits, chosen, errors, level)
        table = backtest.score(fits, scale, labels, short)
    table["chosen"] = table["method"] == chosen
    label = table.set_index("method").loc[chosen, "label"]
    report(1.0, "Done")
    full = _expand((mean, lower, upper, low_case, high_case), is_open[n:], holiday[n:], factor)
    result = _assembled(*full, future, level, freq, notes, label, chosen, table, fits,
                        interval_scale, errors)  # fmt: skip
    return _widened(result, y_open, letter, notes, steps, year)


def _intraday(history, horizon, level, method, origins, country, closures, plan, report):
    """An hourly (or 15- or 30-minute) history: days forecast as a daily series, split by
    the recent weekday x interval shape with each interval's own noise (``intraday``)."""
    step = intraday.step_of(history.index)
    regular = history.sort_index().astype(float).asfreq(step, fill_value=0.0)
    per_day = int(pd.Timedelta(days=1) / step)
    days = regular.resample("D").sum()
    if (regular.index[-1] - regular.index[-1].normalize()) / step < per_day - 1:
        days = days.iloc[:-1]  # a day still under way is forecast, not learned from
    daily = forecast(
        days, horizon // per_day + 2, level=level, method=method, origins=origins,
        holiday_country=country, closures=closures, plan=plan, progress=report,
    )  # fmt: skip
    shares = intraday.shape(regular, days.index[days > 0])
    ratio = intraday.dispersion(regular, shares)
    band = intraday.split(daily.frame(), shares, ratio, level, step)
    cases = intraday.spread(daily.cases(), shares, step)
    after = band.index > regular.index[-1]
    band, cases = band[after].iloc[:horizon], cases[after].iloc[:horizon]
    notes = [
        *daily.warnings,
        f"Forecast by day, then split by the last {intraday.SHAPE_WEEKS} weeks' weekday x "
        f"{int(step / pd.Timedelta(minutes=1))}-minute shape; each interval's range holds "
        f"its own noise (variance {ratio:.1f} times its mean).",
    ]
    return Forecast(
        band["mean"], band["lower"], band["upper"], method=daily.method, key=daily.key,
        level=level, backtest=daily.backtest, fits=daily.fits,
        low_case=cases["lower"], high_case=cases["upper"], freq="D", warnings=notes,
    )  # fmt: skip


def _with_final_ranges(
    fits: pd.DataFrame, key: str, errors: backtest.ErrorModel, level: int
) -> pd.DataFrame:
    """``fits`` with the rows of ``key`` given the ranges its error paths give at each lead."""
    rows = (fits["method"] == key).to_numpy()
    ahead = fits.loc[rows, "ahead"].to_numpy(dtype=int) - 1
    low, high = backtest.band(errors.paths(np.ones(int(ahead.max()) + 1), count=1000), level)
    fits = fits.copy()
    mean = fits.loc[rows, "mean"].to_numpy(dtype=float)
    fits.loc[rows, "lower"] = mean * low[ahead]
    fits.loc[rows, "upper"] = mean * high[ahead]
    return fits


def _refitted(candidate: Candidate, values: np.ndarray, ctx: Context) -> Candidate:
    """The regression's terms estimated again on the whole history for the forecast itself
    (the backtest scored coefficients from before its first origin, and a trend or a
    yearly shape is worth every day); its error model and the smoothing methods' weights
    are kept, filtered on the whole history anyway."""
    if not isinstance(candidate, Regression):
        return candidate
    fresh = copy.copy(candidate)
    try:
        fresh.coefficients(values, ctx)
    except (ValueError, np.linalg.LinAlgError):
        return candidate
    return fresh


def _plan_mask(future: pd.DatetimeIndex, plan: tuple[dt.date, dt.date] | None) -> np.ndarray:
    """Horizon periods inside the plan (all when no plan is given)."""
    if plan is None:
        return np.ones(len(future), dtype=bool)
    start, end = (pd.Timestamp(d) for d in plan)
    inside = (future >= start) & (future < end)
    return inside if inside.any() else np.ones(len(future), dtype=bool)


def _reach(open_future: np.ndarray, in_plan: np.ndarray) -> int:
    """How many open periods ahead the plan's last period is."""
    positions = np.flatnonzero(in_plan & open_future)
    return int(open_future[: positions[-1] + 1].sum()) if len(positions) else 0


def _expand(
    arrays: tuple, open_future: np.ndarray, holiday: np.ndarray, factor: float
) -> list[np.ndarray]:
    """Open-period values onto the whole horizon: 0 on closed days, holidays scaled by
    their measured effect."""
    scale = np.where(holiday[open_future] > 0, factor, 1.0)
    expanded = []
    for values in arrays:
        full = np.zeros(len(open_future))
        full[open_future] = np.clip(np.asarray(values, dtype=float), 0, None) * scale
        expanded.append(full)
    return expanded


def _assembled(
    mean, lower, upper, low_case, high_case, future, level, freq, notes, label, key, table,
    fits, interval_scale=1.0, errors=None,
) -> Forecast:  # fmt: skip
    def series(values, name):
        return pd.Series(np.clip(values, 0, None), future, name=name)

    return Forecast(
        series(mean, "mean"),
        series(np.minimum(lower, mean), "lower"),
        series(np.maximum(upper, mean), "upper"),
        method=label,
        key=key,
        level=level,
        backtest=table,
        fits=fits,
        low_case=series(low_case, "lower"),
        high_case=series(high_case, "upper"),
        freq=freq,
        interval_scale=interval_scale,
        warnings=notes,
        errors=errors,
    )


def _empty_table() -> pd.DataFrame:
    columns = ["method", "label", "mase", "wape", "bias", "coverage", "total_wape", "chosen"]
    row = {c: np.nan for c in columns} | {"method": "seasonal_naive", "label": "Closed",
                                          "chosen": True}  # fmt: skip
    return pd.DataFrame([row], columns=columns)


def _untested_table(ctx: Context) -> pd.DataFrame:
    table = _empty_table()
    table["label"] = SeasonalNaive().label(ctx)
    return table


def _empty_fits() -> pd.DataFrame:
    return pd.DataFrame(columns=backtest.FIT_COLUMNS)


def _calibration(fits: pd.DataFrame, level: int) -> float:
    """Factor on a model interval's half width that makes the backtest cover ``level``%
    of actual values (the ``level`` quantile of |error| / half width, as in split
    conformal prediction, Vovk et al. 2005); used when too few errors exist for error
    paths. Narrowing stops at MIN_SCALE."""
    if fits.empty:
        return 1.0
    above = fits["actual"] > fits["mean"]
    half = np.where(above, fits["upper"] - fits["mean"], fits["mean"] - fits["lower"])
    miss = (fits["actual"] - fits["mean"]).abs().to_numpy()
    ratio = np.where(half > 0, miss / np.where(half > 0, half, 1.0), np.where(miss > 0, np.inf, 0))
    needed = float(np.quantile(ratio, level / 100))
    return max(MIN_SCALE, needed) if np.isfinite(needed) else 1.0


def honest_band(
    mean: np.ndarray, tickets: float, periods: int, freq: str, level: int
) -> tuple[np.ndarray, np.ndarray]:
    """The narrowest band a history of ``periods`` periods and ``tickets`` tickets can
    honestly give around ``mean`` (h = 1, 2, ... periods after its end).

    The level is uncertain for two reasons: it was estimated from few tickets (the log of
    a Poisson total has variance 1/S) and it drifts unforeseen while the forecast reaches
    ahead (a random walk in the log level, ``DRIFT_PER_YEAR`` per square-root year; the
    naive method's interval widens with the square root of h in the same way, Hyndman &
    Athanasopoulos, Forecasting: Principles and Practice, 3rd ed., section 5.5). So
    s(h) = sqrt(1/S + drift^2 x h_years), and each period's count is Poisson around
    mean x exp(±z s(h)), z the normal quantile of the level:

        lower = Poisson quantile (1 - level) / 2 of mean x exp(-z s)
        upper = Poisson quantile (1 + level) / 2 of max(mean, S / n) x exp(+z s)

    The upper bound uses at least the history's average rate, so a forecast of zero from
    a sparse history still has room above it.
    """
    z, spread, rate = _level_spread(mean, tickets, periods, freq, level)
    alpha = 1 - level / 100
    low = stats.poisson.ppf(alpha / 2, np.clip(mean, 0, None) * np.exp(-z * spread))
    high = stats.poisson.ppf(1 - alpha / 2, np.maximum(mean, rate) * np.exp(z * spread))
    return np.nan_to_num(low), np.nan_to_num(high)


def _level_spread(mean, tickets: float, periods: int, freq: str, level: int) -> tuple:
    z = stats.norm.ppf(1 - (1 - level / 100) / 2)
    years = np.arange(1, len(mean) + 1) * PERIOD_DAYS[freq] / 365.25
    spread = np.sqrt(1 / max(tickets, 1.0) + DRIFT_PER_YEAR**2 * years)
    return z, spread, tickets / max(periods, 1)


def _widened(
    result: Forecast, values: np.ndarray, freq: str, notes: list[str], steps: int, year: int
) -> Forecast:
    """``result`` with its range at least ``honest_band`` wide (and its planning cases at
    least the level part of it apart) when the history is short (under a ``year`` of open
    periods) or the forecast reaches further ahead (``steps`` open periods) than the history
    goes back; longer histories keep the range their backtest errors give. ``freq`` is the
    calendar's period (days for a daily history, whether or not some days are closed)."""
    periods = len(values)
    if periods >= year and steps <= periods:
        return result
    mean = result.mean.to_numpy()
    floor_low, floor_high = honest_band(mean, float(values.sum()), periods, freq, result.level)
    z, spread, _ = _level_spread(mean, float(values.sum()), periods, freq, result.level)
    closed = result.upper.to_numpy() == 0  # closed days stay zeros
    lower = np.minimum(result.lower.to_numpy(), floor_low)
    upper = np.where(closed, 0.0, np.maximum(result.upper.to_numpy(), floor_high))
    low_case = np.minimum(result.low_case.to_numpy(), mean * np.exp(-z * spread))
    high_case = np.maximum(result.high_case.to_numpy(), mean * np.exp(z * spread))
    notes.append(
        f"The history ({periods} periods, {values.sum():,.0f} tickets) is short for a "
        f"forecast {len(mean)} periods ahead: the range is widened to what so little data "
        "can say (sampling error of the level and its drift over the gap)."
    )
    index = result.mean.index
    return replace(
        result,
        lower=pd.Series(lower, index, name="lower"),
        upper=pd.Series(upper, index, name="upper"),
        low_case=pd.Series(low_case, index, name="lower"),
        high_case=pd.Series(high_case, index, name="upper"),
        warnings=notes,
    )


@dataclass(frozen=True)
class ForecastSet:
    """One forecast per series (channel, or channel / queue) and their total.

    ``long`` (what demand, staffing and the budget start from) carries each series'
    planning cases as lower and upper; ``frame`` and ``total`` carry each period's range
    (for charts). A total's range is the sum of the parts' ranges, which assumes the parts
    move together (a busy month is busy on every channel): the cautious reading.
    """

    by: str
    parts: dict[str, Forecast]

    @cached_property
    def long(self) -> pd.DataFrame:
        """series, channel, queue, period, mean, lower, upper (the planning cases) for every
        part, sorted by series and period (built once: every what-if starts from it)."""
        frames = [
            part.cases().reset_index().assign(series=name) for name, part in self.parts.items()
        ]
        return _with_channel(pd.concat(frames, ignore_index=True))

    @cached_property
    def fingerprint(self) -> str:
        """The content digest of ``long`` (what a plan on this forecast is keyed by)."""
        return digest(self.long)

    def frame(self) -> pd.DataFrame:
        """series, channel, queue, period, mean, lower, upper (each period's range)."""
        frames = [
            part.frame().reset_index().assign(series=name) for name, part in self.parts.items()
        ]
        return _with_channel(pd.concat(frames, ignore_index=True))

    def total(self) -> pd.DataFrame:
        """period, mean, lower, upper: the sum of the parts."""
        return sum(part.frame() for part in self.parts.values())

    def totals(self, freq: str = "M") -> pd.DataFrame:
        """period, mean, lower, upper by week ("W") or month ("M"): the sum of the parts'
        ``Forecast.totals`` (each part's range from its error paths; summing the ranges of
        the parts assumes they move together, the cautious reading)."""
        frames = [part.totals(freq) for part in self.parts.values()]
        return sum(frames[1:], frames[0]).fillna(0.0) if len(frames) > 1 else frames[0]

    def accuracy(self) -> pd.DataFrame:
        """One row per series: the chosen method and its backtest accuracy."""
        rows = [
            part.backtest[part.backtest["chosen"]].assign(series=name, warnings=len(part.warnings))
            for name, part in self.parts.items()
        ]
        return pd.concat(rows, ignore_index=True)[
            ["series", "label", "mase", "wape", "bias", "coverage", "total_wape", "warnings"]
        ]


def _with_channel(frame: pd.DataFrame) -> pd.DataFrame:
    """The series name split once into its channel and queue columns."""
    names = pd.Series(frame["series"].unique())
    split = names.str.split(" / ", n=1, expand=True)
    channel = dict(zip(names, split[0], strict=True))
    queue = dict(zip(names, split[1] if split.shape[1] > 1 else [None] * len(names),
                     strict=True))  # fmt: skip
    frame["channel"] = frame["series"].map(channel)
    frame["queue"] = frame["series"].map(queue)
    return frame[["series", "channel", "queue", "period", "mean", "lower", "upper"]]


def forecast_each(
    history: VolumeHistory,
    horizon: int,
    *,
    by: str = "channel",
    freq: str | None = None,
    progress: Callable[[float, str], None] | None = None,
    **options,
) -> ForecastSet:
    """Forecast every channel (or channel / queue) of a history; see ``forecast``.

    ``freq`` ("W" or "M") sums the history into whole weeks or months first; ``options``
    (level, method, origins, holiday_country, closures, plan) go to ``forecast``.
    """
    table = history.table(by, freq)
    if table.empty or table.shape[1] == 0:
        raise PlannerError("The history has no tickets to forecast; load a ticket file first.")
    report = progress or (lambda fraction, message: None)
    parts = {}
    share = 1 / table.shape[1]
    for number, name in enumerate(table.columns):

        def step(fraction: float, message: str, number: int = number, name=name) -> None:
            report((number + fraction) * share, f"{name}: {message[0].lower()}{message[1:]}")

        parts[str(name)] = forecast(table[name], horizon, progress=step, **options)
    return ForecastSet(by, parts)


def forecast_with(
    history: VolumeHistory,
    horizon: int,
    settings: ForecastSettings,
    *,
    by: str = "channel",
    plan: tuple[dt.date, dt.date] | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> ForecastSet:
    """``forecast_each`` with a scenario's forecast settings (periods, method, interval
    level, backtest origins, holiday calendar: the settings' country, else the history's
    time zone's; closures): what the page and the command line run. ``plan``: the plan's
    first day and the day after its last. Raises ``HistoryTooShort`` for a history under
    8 weeks unless the settings allow it."""
    require_enough(history, settings.allow_short_history)
    return forecast_each(
        history,
        horizon,
        by=by,
        freq=None if settings.frequency == "D" else settings.frequency,
        level=settings.interval_level,
        method=settings.method,
        origins=settings.backtest_origins,
        holiday_country=holiday_country(settings, history),
        closures=settings.closures,
        plan=plan,
        progress=progress,
    )


def holiday_country(settings: ForecastSettings, history: VolumeHistory) -> str | None:
    """The country whose public holidays count: the settings' own, else the one of the
    history's time zone (none for UTC)."""
    return settings.holiday_country or calendar.country_of_zone(history.time_zone)


def periods_until(last: pd.Timestamp, end: dt.date, freq: str) -> int:
    """Periods of ``freq`` (D, W or M) after the period starting ``last`` that start before
    ``end``: the horizon that reaches the end of a plan (at least one)."""
    starts = pd.date_range(last, pd.Timestamp(end) - pd.Timedelta(days=1), freq=PANDAS_FREQ[freq])
    return max(1, int((starts > last).sum()))


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
