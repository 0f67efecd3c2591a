"""Contact-volume forecasts: statsmodels candidates chosen by an honest rolling-origin backtest.

``forecast(history, horizon)`` tries seasonal naive, ETS, a regression with ARIMA errors
(weekday, holiday and yearly terms), an MSTL decomposition, Theta and an equal-weight
combination of the best three; the lowest MASE over several past origins wins, and its
prediction interval is scaled so that it covers, over the backtest, the share of actual
values it promises: widened when it was too narrow, narrowed when it was too wide.

Honesty rule: no forecast is ever scored on data its parameters were estimated from. Each
model's parameters are estimated once, on the history before the earliest backtest origin;
every later origin, and the final forecast, re-runs the model's filter with those parameters
on the data up to that origin (cheap, and what keeps auto selection within seconds).

Accuracy measures (Hyndman & Koehler, "Another look at measures of forecast accuracy", 2006;
shared/DOMAIN.md "Forecast accuracy"):

- MASE = mean|actual - forecast| / mean|y_t - y_(t-m)|, the denominator being the in-sample
  error of the seasonal naive method on the training data up to the origin; averaged over
  origins. Below 1 beats seasonal naive.
- WAPE = sum|actual - forecast| / sum(actual).
- bias = sum(forecast - actual) / sum(actual): positive means over-forecast.
- coverage = share of actuals inside the prediction interval.
"""

from __future__ import annotations

import datetime as dt
import itertools
import warnings
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property

import holidays as holiday_calendars
import numpy as np
import pandas as pd
from scipy import stats

from planner.errors import PlannerError
from planner.history_check import require_enough
from planner.scenario import ForecastSettings
from planner.volume import PANDAS_FREQ, VolumeHistory

SEASON = {"D": 7, "B": 5, "W": 52, "M": 12}  # B: working days only (call centres)
YEAR = {"D": 365, "B": 260, "W": 52, "M": 12}
METHODS = ("seasonal_naive", "ets", "sarimax", "mstl", "theta", "combination")
MIN_POINTS = 10  # below this no method can be tested; the last value is repeated
COMBINED = 3  # the combination averages this many of the best candidates
OUTLIER_MADS = 6.0
MIN_SCALE = 0.25  # a calibrated interval keeps at least a quarter of the model's width
# How far a support team's volume can drift in a year that its history did not foresee
# (log scale, one standard deviation): a ±25% year is common (launches, churn, pricing).
DRIFT_PER_YEAR = 0.25
PERIOD_DAYS = {"D": 1.0, "B": 1.4, "W": 7.0, "M": 30.44}
FIT_COLUMNS = ["method", "origin", "period", "mean", "lower", "upper", "actual"]


@dataclass(frozen=True)
class Forecast:
    """A forecast with its interval, the method that made it and how wrong each was.

    ``method`` is the chosen model in words, ``key`` its name in METHODS. ``backtest`` has
    one row per candidate: method, label, mase, wape, bias, coverage, and
    ``chosen``. ``fits`` holds the backtest forecasts (origin, period, method, mean, lower,
    upper, actual) for drawing. ``interval_scale`` is the factor applied to the interval's
    half width after the backtest (1.0 when the interval covered as promised).
    """

    mean: pd.Series
    lower: pd.Series
    upper: pd.Series
    method: str
    key: str
    level: int
    backtest: pd.DataFrame
    fits: pd.DataFrame
    interval_scale: float = 1.0
    warnings: list[str] = field(default_factory=list)

    def frame(self) -> pd.DataFrame:
        """period, mean, lower, upper: the table a director downloads."""
        return pd.DataFrame(
            {"mean": self.mean, "lower": self.lower, "upper": self.upper}
        ).rename_axis("period")

    @property
    def chosen_fits(self) -> pd.DataFrame:
        """The backtest forecasts of the chosen method (what the chart draws)."""
        return self.fits[self.fits["method"] == self.key]

    def accuracy_by_horizon(self, bounds: tuple[int, ...] = (7, 28, 91, 182, 365)) -> pd.DataFrame:
        """Bias and WAPE of the chosen method's backtest by how far ahead it forecast
        (bias first, as shared/DOMAIN.md asks): one row per range of periods ahead that
        the backtest windows reach, e.g. "1-7", "8-28"."""
        fits = self.chosen_fits
        if fits.empty:
            return pd.DataFrame(columns=["ahead", "bias", "wape", "points"])
        ahead = fits.groupby("origin").cumcount().to_numpy() + 1
        edges = [0, *[b for b in bounds if b < ahead.max()], int(ahead.max())]
        rows = []
        for low, high in itertools.pairwise(edges):
            part = fits[(ahead > low) & (ahead <= high)]
            total = part["actual"].sum()
            error = part["mean"] - part["actual"]
            rows.append(
                {
                    "ahead": f"{low + 1}-{high}",
                    "bias": error.sum() / total if total else np.nan,
                    "wape": error.abs().sum() / total if total else np.nan,
                    "points": len(part),
                }
            )
        return pd.DataFrame(rows)

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
        text += f"), and its {self.level}% interval held {row['coverage']:.0%} of actual values."
        if self.interval_scale > 1.0:
            text += (
                f" The interval was widened by {self.interval_scale - 1:.0%} to cover as promised."
            )
        elif self.interval_scale < 1.0:
            text += (
                f" The interval was narrowed by {1 - self.interval_scale:.0%}: it held more "
                "actual values than promised."
            )
        return text


@dataclass(frozen=True)
class _Context:
    """What every candidate needs to know about the series."""

    freq: str
    season: int  # 1 when the history is too short for seasonality
    alpha: float
    index: pd.DatetimeIndex  # history and horizon, one position per period
    holidays: np.ndarray  # holiday count per position


Prediction = tuple[np.ndarray, np.ndarray, np.ndarray]


class _Candidate(ABC):
    key = ""

    @abstractmethod
    def label(self, ctx: _Context) -> str:
        """The method in words, as the backtest table shows it."""

    @abstractmethod
    def fit(self, y: np.ndarray, ctx: _Context) -> None:
        """Estimate parameters on the training history (before the first origin)."""

    @abstractmethod
    def predict(self, y: np.ndarray, steps: int, ctx: _Context) -> Prediction:
        """Forecast ``steps`` periods after ``y`` (the history up to an origin)."""


class _SeasonalNaive(_Candidate):
    """Each period repeats the same period one season earlier.

    Interval: sigma of the seasonal differences y_t - y_(t-m), widened as
    sigma * sqrt(k + 1) with k the number of whole seasons ahead (Hyndman & Athanasopoulos,
    Forecasting: Principles and Practice, 3rd ed., section 5.5).
    """

    key = "seasonal_naive"

    def label(self, ctx: _Context) -> str:
        same = {
            "D": "same weekday last week",
            "B": "same weekday last week",
            "W": "same week last year",
            "M": "same month last year",
        }
        if ctx.season == 1:
            return "Naive (the last value repeated)"
        return f"Seasonal naive ({same[ctx.freq]})"

    def fit(self, y: np.ndarray, ctx: _Context) -> None:
        """Nothing to estimate: the forecast is the history itself."""

    def predict(self, y: np.ndarray, steps: int, ctx: _Context) -> Prediction:
        m = ctx.season
        last = y[-m:]
        mean = np.resize(last, steps)
        diffs = y[m:] - y[:-m]
        sigma = float(np.std(diffs, ddof=1)) if len(diffs) > 1 else 0.0
        k = np.arange(steps) // m
        half = stats.norm.ppf(1 - ctx.alpha / 2) * sigma * np.sqrt(k + 1)
        return mean, mean - half, mean + half


class _ETS(_Candidate):
    """ETS state space model (statsmodels ETSModel) with additive errors and additive
    seasonality; no trend or a damped trend, chosen by AICc (Hyndman et al. 2008)."""

    key = "ets"

    def __init__(self) -> None:
        self.spec: dict = {}
        self.params: np.ndarray | None = None
        self.start = 0  # position the estimated initial states belong to

    def label(self, ctx: _Context) -> str:
        trend = "damped trend" if self.spec.get("trend") else "no trend"
        season = f", seasonality every {ctx.season}" if ctx.season > 1 else ""
        return f"Exponential smoothing (ETS, {trend}{season})"

    def _model(self, y: np.ndarray, ctx: _Context, spec: dict):
        from statsmodels.tsa.exponential_smoothing.ets import ETSModel

        seasonal = "add" if ctx.season > 1 else None
        return ETSModel(
            pd.Series(y, dtype=float),  # its prediction needs an index; positions do
            error="add",
            seasonal=seasonal,
            seasonal_periods=ctx.season if seasonal else None,
            **spec,
        )

    def fit(self, y: np.ndarray, ctx: _Context) -> None:
        best = None
        self.start = max(0, len(y) - _fit_window(ctx))
        for spec in ({"trend": None}, {"trend": "add", "damped_trend": True}):
            result = self._model(y[self.start :], ctx, spec).fit(disp=False)
            if best is None or result.aicc < best[0]:
                best = (result.aicc, spec, result.params)
        _, self.spec, self.params = best

    def predict(self, y: np.ndarray, steps: int, ctx: _Context) -> Prediction:
        # The initial level and seasonal states were estimated at ``start``: filtering from
        # anywhere else would run them out of phase with the weekdays.
        recent = y[self.start :]
        result = self._model(recent, ctx, self.spec).smooth(self.params)
        frame = result.get_prediction(start=len(recent), end=len(recent) + steps - 1)
        frame = frame.summary_frame(alpha=ctx.alpha)
        return frame["mean"].to_numpy(), frame["pi_lower"].to_numpy(), frame["pi_upper"].to_numpy()


class _Regression(_Candidate):
    """Regression with ARIMA errors: weekday (or seasonal Fourier) terms, public holidays,
    yearly Fourier terms when two years are known, and a linear trend; the errors follow an
    ARMA model (statsmodels SARIMAX) whose order, (1,0,0) or (1,0,1), is chosen by AIC.

    Estimated in two steps (regression by least squares, then the ARMA model on its
    residuals, as in Cochrane-Orcutt): a fraction of the cost of joint likelihood, which on
    three years of daily data takes seconds per fit and often fails to converge.
    """

    key = "sarimax"
    ORDERS = ((1, 0, 0), (1, 0, 1))

    def __init__(self) -> None:
        self.order = self.ORDERS[0]
        self.params: np.ndarray | None = None
        self.beta: np.ndarray | None = None
        self.keep: np.ndarray | None = None
        self.yearly = False

    def label(self, ctx: _Context) -> str:
        terms = ["weekday" if ctx.freq in ("D", "B") else "seasonal", "holiday"]
        if self.yearly:
            terms.append("yearly")
        p, d, q = self.order
        return f"Regression with ARIMA({p},{d},{q}) errors ({', '.join(terms)} terms, trend)"

    def _design(self, ctx: _Context, stop: int) -> np.ndarray:
        position = np.arange(stop)
        columns = [np.ones((stop, 1)), position[:, None] / 365.0, ctx.holidays[:stop, None]]
        if ctx.freq in ("D", "B") and ctx.season > 1:
            weekday = ctx.index[:stop].day_of_week.to_numpy()
            columns.append(np.stack([weekday == d for d in range(1, 7)], axis=1))
        elif ctx.season > 1:
            columns.append(_fourier(position, ctx.season, min(3, ctx.season // 2)))
        if self.yearly:
            columns.append(_fourier(position, 365.25 * SEASON[ctx.freq] / 7, 3))
        return np.hstack(columns).astype(float)

    def _errors(self, residuals: np.ndarray, order: tuple):
        from statsmodels.tsa.statespace.sarimax import SARIMAX

        return SARIMAX(residuals, order=order)

    def fit(self, y: np.ndarray, ctx: _Context) -> None:
        self.yearly = ctx.freq in ("D", "B") and len(y) >= 2 * YEAR[ctx.freq]
        design = self._design(ctx, len(y))
        # Columns that never vary here (a holiday-free stretch) would make the fit singular.
        self.keep = (design.std(axis=0) > 0) | (np.arange(design.shape[1]) == 0)
        self.beta = np.linalg.lstsq(design[:, self.keep], y, rcond=None)[0]
        residuals = y - design[:, self.keep] @ self.beta
        best = None
        for order in self.ORDERS:
            result = self._errors(residuals, order).fit(disp=False)
            if best is None or result.aic < best[0]:
                best = (result.aic, order, result.params)
        _, self.order, self.params = best

    def predict(self, y: np.ndarray, steps: int, ctx: _Context) -> Prediction:
        design = self._design(ctx, len(y) + steps)[:, self.keep]
        regression = design @ self.beta
        result = self._errors(y - regression[: len(y)], self.order).filter(self.params)
        frame = result.get_forecast(steps).summary_frame(alpha=ctx.alpha)
        ahead = regression[len(y) :]
        return (
            ahead + frame["mean"].to_numpy(),
            ahead + frame["mean_ci_lower"].to_numpy(),
            ahead + frame["mean_ci_upper"].to_numpy(),
        )


class _MSTL(_Candidate):
    """MSTL decomposition (Bandara, Hyndman & Bergmeir 2021) into weekly and, with two
    years of daily data, yearly seasonality. The weekly component is carried forward by its
    last cycle; the yearly one by its smooth annual shape (a year later is another weekday,
    so carrying last year's days would move weekday effects it absorbed onto the wrong
    days); the seasonally adjusted series by damped-trend ETS."""

    key = "mstl"

    def __init__(self) -> None:
        self.periods: tuple[int, ...] = ()
        self.seasonal: np.ndarray | None = None  # per position, over history and horizon
        self.adjusted = _ETS()

    def label(self, ctx: _Context) -> str:
        names = {7: "weekly", 5: "weekly", 365: "yearly", 260: "yearly", 52: "yearly", 12: "yearly"}
        parts = " + ".join(names.get(p, f"every {p}") for p in self.periods) or "no"
        return f"MSTL decomposition ({parts} seasonality) with exponential smoothing"

    def fit(self, y: np.ndarray, ctx: _Context) -> None:
        from statsmodels.tsa.seasonal import MSTL

        periods = [p for p in (ctx.season, YEAR[ctx.freq]) if p > 1 and len(y) >= 2 * p]
        self.periods = tuple(dict.fromkeys(periods))
        total = len(ctx.index)
        self.seasonal = np.zeros(total)
        if self.periods:
            result = MSTL(y.astype(float), periods=self.periods, iterate=1).fit()
            components = np.asarray(result.seasonal).reshape(len(y), -1)
            ahead = np.arange(total - len(y))
            for column, period in enumerate(self.periods):
                if period == ctx.season:
                    carried = components[-period:, column][ahead % period]
                    self.seasonal += np.concatenate([components[:, column], carried])
                else:
                    self.seasonal += _smooth_year(components[:, column], total, ctx.freq)
        self.adjusted.fit(y - self.seasonal[: len(y)], replace(ctx, season=1))

    def predict(self, y: np.ndarray, steps: int, ctx: _Context) -> Prediction:
        flat = replace(ctx, season=1)
        mean, lower, upper = self.adjusted.predict(y - self.seasonal[: len(y)], steps, flat)
        season = self.seasonal[len(y) : len(y) + steps]
        return mean + season, lower + season, upper + season


class _Theta(_Candidate):
    """The Theta method (Assimakopoulos & Nikolopoulos 2000) as in statsmodels ThetaModel:
    seasonally adjusted, simple exponential smoothing with half the linear trend; the
    interval is that of simple exponential smoothing."""

    key = "theta"

    def label(self, ctx: _Context) -> str:
        return "Theta method" + (" (seasonally adjusted)" if ctx.season > 1 else "")

    def fit(self, y: np.ndarray, ctx: _Context) -> None:
        """Theta's two parameters are re-estimated at each origin (cheap): statsmodels has
        no way to filter its model with fixed ones."""

    def predict(self, y: np.ndarray, steps: int, ctx: _Context) -> Prediction:
        from statsmodels.tsa.forecasting.theta import ThetaModel

        y = y[-_fit_window(ctx) :]
        positive = y.min() > 0
        model = ThetaModel(
            y.astype(float),
            period=ctx.season,
            deseasonalize=ctx.season > 1,
            use_test=False,
            method="multiplicative" if positive else "additive",
        )
        result = model.fit()
        mean = np.asarray(result.forecast(steps))
        # The SES variance of the h-step forecast, sigma^2 (1 + alpha^2 (h - 1)) (Hyndman &
        # Athanasopoulos, FPP3, table 8.8; Theta is SES with drift, Hyndman & Billah 2003).
        # statsmodels 0.15 uses 1 + (h - 1)(1 + (alpha - 1)^2), which for a small alpha
        # grows almost like a random walk: intervals 18 times too wide on daily data.
        variance = result.sigma2 * (1 + result.params["alpha"] ** 2 * np.arange(steps))
        half = stats.norm.ppf(1 - ctx.alpha / 2) * np.sqrt(variance)
        return mean, mean - half, mean + half


CANDIDATES: dict[str, Callable[[], _Candidate]] = {
    "seasonal_naive": _SeasonalNaive,
    "ets": _ETS,
    "sarimax": _Regression,
    "mstl": _MSTL,
    "theta": _Theta,
}


def forecast(
    history: pd.Series,
    horizon: int,
    *,
    level: int = 80,
    method: str = "auto",
    origins: int = 4,
    holiday_country: str | None = "US",
    progress: Callable[[float, str], None] | None = None,
) -> Forecast:
    """Forecast ``horizon`` periods after a regular series (daily, weekly or monthly).

    ``method`` is "auto" (lowest backtest MASE) or one of METHODS. ``level`` is the
    prediction interval in percent (80 gives P10-P90). ``origins`` is the number of
    rolling backtest origins, each followed by a window as long as the horizon (shortened
    when the history is short). Short or odd histories get a simpler method and a warning
    in ``Forecast.warnings``, never an exception; only unusable input raises PlannerError.
    """
    if method != "auto" and method not in METHODS:
        raise PlannerError(f"'{method}' is not a method; use auto or one of {', '.join(METHODS)}.")
    if horizon < 1:
        raise PlannerError("The horizon must be at least one period.")
    if not 50 <= level <= 99:
        raise PlannerError("The interval level must be between 50 and 99 percent.")
    report = progress or (lambda fraction, message: None)
    y, freq, notes = _clean(history)
    season = SEASON[freq] if len(y) >= 2 * SEASON[freq] else 1
    if season == 1 and len(y) >= MIN_POINTS:
        notes.append(
            f"The history has {len(y)} periods, less than two full seasonal cycles "
            f"({2 * SEASON[freq]}); seasonality is left out."
        )
    future = pd.date_range(y.index[-1], periods=horizon + 1, freq=y.index.freq)[1:]
    index = y.index.append(future)
    ctx = _Context(freq, season, 1 - level / 100, index, _holiday_counts(index, holiday_country))
    values = y.to_numpy(dtype=float)
    if len(values) < MIN_POINTS:
        notes.append(
            f"Only {len(values)} periods of history: too few to test any method, so the "
            "forecast repeats the last value. Load a longer history for a tested forecast."
        )
        untested = _untested(values, future, ctx, level, notes)
        return _widened(untested, values, freq, notes)

    starts, window = _origins(len(values), horizon, origins, season)
    if window < horizon:
        notes.append(
            f"The history allows backtest windows of {window} periods, shorter than the "
            f"{horizon}-period horizon: accuracy beyond {window} periods ahead is untested."
        )
    # Seasonal naive always runs: it is the yardstick of the explanation and the fallback
    # when a chosen method cannot be fitted.
    wanted = list(CANDIDATES) if method in ("auto", "combination") else [method]
    wanted = list(dict.fromkeys(["seasonal_naive", *wanted]))
    if season == 1:
        wanted = [k for k in wanted if k != "mstl"]
    fitted: dict[str, _Candidate] = {}
    rows: list[dict] = []
    for number, key in enumerate(wanted):
        report(number / (len(wanted) + 1), f"Testing {key.replace('_', ' ')}")
        candidate = CANDIDATES[key]()
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                candidate.fit(values[: starts[0]], ctx)
                for start in starts:
                    mean, lower, upper = candidate.predict(values[:start], window, ctx)
                    rows += _fit_rows(key, start, window, mean, lower, upper, values, index)
        except (ValueError, np.linalg.LinAlgError, IndexError) as exc:
            notes.append(f"{candidate.label(ctx)} could not be fitted to this history ({exc}).")
            rows = [r for r in rows if r["method"] != key]
            continue
        fitted[key] = candidate
    fits = pd.DataFrame(rows)
    scale = {index[s]: _naive_scale(values[:s], season) for s in starts}
    table = _score(fits, scale, {k: c.label(ctx) for k, c in fitted.items()})
    best = table.sort_values(["mase", "wape"], na_position="last")["method"][:COMBINED].tolist()
    if len(best) > 1 and method in ("auto", "combination"):
        members = [fitted[k] for k in best]
        combined = fits[fits["method"].isin(best)].groupby(["origin", "period"], as_index=False)
        mixed = combined.agg(
            mean=("mean", "mean"),
            lower=("lower", "mean"),
            upper=("upper", "mean"),
            actual=("actual", "first"),
        )
        mixed["method"] = "combination"
        fits = pd.concat([fits, mixed], ignore_index=True)
        label = "Average of " + _join([m.label(ctx) for m in members])
        table = _score(fits, scale, {**table.set_index("method")["label"], "combination": label})
    ranked = table.sort_values(["mase", "wape"], na_position="last")["method"]
    chosen = ranked.iloc[0] if method == "auto" else method
    if chosen not in set(table["method"]):
        chosen = "seasonal_naive"
    report(len(wanted) / (len(wanted) + 1), "Forecasting with the chosen method")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if chosen == "combination":
            parts = [fitted[k].predict(values, horizon, ctx) for k in best]
            mean, lower, upper = (np.mean([p[i] for p in parts], axis=0) for i in range(3))
        else:
            mean, lower, upper = fitted[chosen].predict(values, horizon, ctx)
    chosen_fits = fits[fits["method"] == chosen]
    scale = _calibration(chosen_fits, level)
    lower, upper = mean - scale * (mean - lower), mean + scale * (upper - mean)
    table["chosen"] = table["method"] == chosen
    label = table.set_index("method").loc[chosen, "label"]
    report(1.0, "Done")
    result = Forecast(
        *_bounded(mean, lower, upper, future),
        method=label,
        key=chosen,
        level=level,
        backtest=table,
        fits=fits,
        interval_scale=scale,
        warnings=notes,
    )
    return _widened(result, values, freq, notes)


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
    alpha = 1 - level / 100
    z = stats.norm.ppf(1 - alpha / 2)
    years = np.arange(1, len(mean) + 1) * PERIOD_DAYS[freq] / 365.25
    spread = np.sqrt(1 / max(tickets, 1.0) + DRIFT_PER_YEAR**2 * years)
    rate = tickets / max(periods, 1)
    low = stats.poisson.ppf(alpha / 2, np.clip(mean, 0, None) * np.exp(-z * spread))
    high = stats.poisson.ppf(1 - alpha / 2, np.maximum(mean, rate) * np.exp(z * spread))
    return np.nan_to_num(low), np.nan_to_num(high)


def _widened(result: Forecast, values: np.ndarray, freq: str, notes: list[str]) -> Forecast:
    """``result`` with its band at least ``honest_band`` wide when the history is short
    (under a year) or the forecast reaches further ahead than the history goes back;
    longer histories keep their backtest-calibrated band."""
    periods = len(values)
    year = YEAR.get(freq, 365)
    if periods >= year and len(result.mean) <= periods:
        return result
    floor_low, floor_high = honest_band(
        result.mean.to_numpy(), float(values.sum()), periods, freq, result.level
    )
    lower = np.minimum(result.lower.to_numpy(), floor_low)
    upper = np.maximum(result.upper.to_numpy(), floor_high)
    if np.array_equal(lower, result.lower.to_numpy()) and np.array_equal(
        upper, result.upper.to_numpy()
    ):
        return result
    notes.append(
        f"The history ({periods} periods, {values.sum():,.0f} tickets) is short for a "
        f"forecast {len(result.mean)} periods ahead: the range is widened to what so little "
        "data can say (sampling error of the level and its drift over the gap)."
    )
    return replace(
        result,
        lower=pd.Series(lower, result.lower.index, name="lower"),
        upper=pd.Series(upper, result.upper.index, name="upper"),
        warnings=notes,
    )


@dataclass(frozen=True)
class ForecastSet:
    """One forecast per series (channel, or channel / queue) and their total.

    The total of each of mean, lower and upper is the sum of the parts, so every table and
    export adds up. Summing the bounds assumes the parts' errors move together (a busy
    month is busy on every channel), which makes the total's band the cautious one.
    """

    by: str
    parts: dict[str, Forecast]

    @cached_property
    def long(self) -> pd.DataFrame:
        """series, period, mean, lower, upper for every part, sorted by series and period
        (built once: every what-if starts from it)."""
        return self.frame()

    def frame(self) -> pd.DataFrame:
        """series, period, mean, lower, upper for every part."""
        frames = [
            part.frame().reset_index().assign(series=name) for name, part in self.parts.items()
        ]
        return pd.concat(frames, ignore_index=True)[["series", "period", "mean", "lower", "upper"]]

    def total(self) -> pd.DataFrame:
        """period, mean, lower, upper: the sum of the parts."""
        return sum(part.frame() for part in self.parts.values())

    def accuracy(self) -> pd.DataFrame:
        """One row per series: the chosen method and its backtest accuracy."""
        rows = [
            part.backtest[part.backtest["chosen"]].assign(series=name, warnings=len(part.warnings))
            for name, part in self.parts.items()
        ]
        return pd.concat(rows, ignore_index=True)[
            ["series", "label", "mase", "wape", "bias", "coverage", "warnings"]
        ]


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
    (level, method, origins, holiday_country) go to ``forecast`` for each series.
    """
    table = history.table(by, freq)
    if table.empty or table.shape[1] == 0:
        raise PlannerError("The history has no tickets to forecast; load a ticket file first.")
    report = progress or (lambda fraction, message: None)
    parts = {}
    share = 1 / table.shape[1]
    for number, name in enumerate(table.columns):

        def step(fraction: float, message: str, number: int = number, name: str = name) -> None:
            report((number + fraction) * share, f"{name}: {message[0].lower()}{message[1:]}")

        parts[str(name)] = forecast(table[name], horizon, progress=step, **options)
    return ForecastSet(by, parts)


def forecast_with(
    history: VolumeHistory,
    horizon: int,
    settings: ForecastSettings,
    *,
    by: str = "channel",
    progress: Callable[[float, str], None] | None = None,
) -> ForecastSet:
    """``forecast_each`` with a scenario's forecast settings (periods, method, interval
    level, backtest origins, holiday calendar): what the page and the command line run.
    Raises ``HistoryTooShort`` for a history under 8 weeks unless the settings allow it."""
    require_enough(history, settings.allow_short_history)
    return forecast_each(
        history,
        horizon,
        by=by,
        freq=None if settings.frequency == "D" else settings.frequency,
        level=settings.interval_level,
        method=settings.method,
        origins=settings.backtest_origins,
        holiday_country=settings.holiday_country,
        progress=progress,
    )


def periods_until(last: pd.Timestamp, end: dt.date, freq: str) -> int:
    """Periods of ``freq`` (D, W or M) after the period starting ``last`` that start before
    ``end``: the horizon that reaches the end of a plan (at least one)."""
    starts = pd.date_range(last, pd.Timestamp(end) - pd.Timedelta(days=1), freq=PANDAS_FREQ[freq])
    return max(1, int((starts > last).sum()))


def _clean(history: pd.Series) -> tuple[pd.Series, str, list[str]]:
    """A regular float series, its frequency letter and notes on what was repaired."""
    if not isinstance(history.index, pd.DatetimeIndex) or len(history) == 0:
        raise PlannerError("The history must be a series of counts with dates as its index.")
    y = history.sort_index().astype(float)
    with pd.option_context("future.infer_freq_returns_offset", True):
        offset = pd.infer_freq(y.index) if len(y) >= 3 else None
    freq = offset.freqstr if offset is not None else None
    if freq is None:
        step = y.index.to_series().diff().median() if len(y) > 1 else pd.Timedelta(days=1)
        if step <= pd.Timedelta(days=1):
            freq = "D"
        elif step <= pd.Timedelta(days=7):
            freq = f"W-{y.index[0].day_name()[:3].upper()}"
        else:
            freq = "MS" if (y.index.day == 1).all() else "ME"
    letter = freq[0] if freq[0] in "DBW" else "M" if freq.startswith(("M", "BM")) else None
    if letter is None:
        raise PlannerError(
            f"The history's periods ({freq}) are not days, weeks or months; aggregate it first."
        )
    regular = y.asfreq(freq)
    notes: list[str] = []
    missing = int(regular.isna().sum())
    if missing:
        regular = regular.interpolate(limit_direction="both")
        notes.append(
            f"{missing} period(s) had no value and were filled from their neighbours; "
            "check that the history has no gaps."
        )
    m = SEASON[letter]
    if len(regular) >= 4 * m:
        window = 4 * m + 1
        typical = regular.rolling(window, center=True, min_periods=m).median()
        spread = (regular - typical).abs().rolling(window, center=True, min_periods=m).median()
        far = (regular - typical).abs() > OUTLIER_MADS * (spread * 1.4826).clip(lower=1.0)
        # A spike is short; many unusual periods in a row are a change of level instead.
        odd = far & (far.astype(float).rolling(m, center=True, min_periods=1).sum() <= 2)
        if odd.any():
            dates = ", ".join(f"{d:%Y-%m-%d}" for d in regular.index[odd][:5])
            notes.append(
                f"{int(odd.sum())} unusual period(s) (e.g. {dates}) were set to their "
                "typical value before fitting, so a one-off spike does not become the "
                "baseline; add known events as demand adjustments instead."
            )
            regular = regular.where(~odd, typical)
        recent, before = regular.iloc[-4 * m :].median(), regular.iloc[-8 * m : -4 * m].median()
        if len(regular) >= 8 * m and before > 0 and abs(recent / before - 1) > 0.5:
            notes.append(
                f"Volume changed by {recent / before - 1:+.0%} over the last {4 * m} periods; "
                "the backtest favours the methods that adapt quickest. If the change is "
                "permanent, consider starting the history after it."
            )
    return regular, letter, notes


def _origins(n: int, horizon: int, count: int, season: int) -> tuple[list[int], int]:
    """Backtest origins (positions where each test window starts) and the window length.

    Windows as long as the horizon, back to back before the end of the history, as long as
    the earliest origin keeps at least half the history, three seasons and ten periods to
    train on (a model trained on a few weeks says nothing about one trained on years).
    """
    minimum = max(3 * season, MIN_POINTS, n // 2)
    window = max(1, min(horizon, (n - minimum) // max(count, 1)))
    count = max(1, min(count, (n - minimum) // window))
    return [n - window * (count - i) for i in range(count)], window


def _fit_rows(
    key: str,
    start: int,
    window: int,
    mean: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    values: np.ndarray,
    index: pd.DatetimeIndex,
) -> list[dict]:
    stop = min(start + window, len(values))
    return [
        {
            "method": key,
            "origin": index[start],
            "period": index[t],
            "mean": float(mean[t - start]),
            "lower": float(lower[t - start]),
            "upper": float(upper[t - start]),
            "actual": float(values[t]),
        }
        for t in range(start, stop)
    ]


def _naive_scale(y: np.ndarray, season: int) -> float:
    """In-sample mean absolute error of the seasonal naive method (the MASE denominator)."""
    if len(y) <= season:
        return np.nan
    scale = float(np.mean(np.abs(y[season:] - y[:-season])))
    return scale if scale > 0 else np.nan


def _score(fits: pd.DataFrame, scale: dict, labels: dict) -> pd.DataFrame:
    """MASE, WAPE, bias and coverage per method, pooled over the backtest origins."""
    rows = []
    for key, group in fits.groupby("method", sort=False):
        error = group["mean"] - group["actual"]
        per_origin = group.assign(abs_error=error.abs()).groupby("origin")["abs_error"].mean()
        scaled = [per_origin[o] / scale[o] for o in per_origin.index if np.isfinite(scale[o])]
        mase = np.mean(scaled) if scaled else np.nan  # a perfectly repeating past has no scale
        actual = group["actual"].abs().sum()
        inside = (group["actual"] >= group["lower"]) & (group["actual"] <= group["upper"])
        rows.append(
            {
                "method": key,
                "label": labels.get(key, key),
                "mase": float(mase),
                "wape": float(error.abs().sum() / actual) if actual else np.nan,
                "bias": float(error.sum() / actual) if actual else np.nan,
                "coverage": float(inside.mean()),
            }
        )
    return pd.DataFrame(rows, columns=["method", "label", "mase", "wape", "bias", "coverage"])


def _calibration(fits: pd.DataFrame, level: int) -> float:
    """Factor on the interval's half width that makes the backtest cover ``level``% of
    actual values (the ``level`` quantile of |error| / half width, as in split conformal
    prediction, Vovk et al. 2005). Narrowing stops at MIN_SCALE: textbook intervals of
    seasonal naive and Theta grow without bound over long horizons, but a near-perfect
    backtest is no proof that the future is certain."""
    if fits.empty:
        return 1.0
    above = fits["actual"] > fits["mean"]
    half = np.where(above, fits["upper"] - fits["mean"], fits["mean"] - fits["lower"])
    miss = (fits["actual"] - fits["mean"]).abs().to_numpy()
    ratio = np.where(half > 0, miss / np.where(half > 0, half, 1.0), np.where(miss > 0, np.inf, 0))
    needed = float(np.quantile(ratio, level / 100))
    return max(MIN_SCALE, needed) if np.isfinite(needed) else 1.0


def _untested(
    values: np.ndarray, future: pd.DatetimeIndex, ctx: _Context, level: int, notes: list[str]
) -> Forecast:
    """Too short to test: the last value repeated, with the naive method's interval."""
    mean, lower, upper = _SeasonalNaive().predict(values, len(future), ctx)
    label = _SeasonalNaive().label(ctx)
    table = pd.DataFrame(
        [
            {
                "method": "seasonal_naive",
                "label": label,
                "mase": np.nan,
                "wape": np.nan,
                "bias": np.nan,
                "coverage": np.nan,
                "chosen": True,
            }
        ]
    )
    return Forecast(
        *_bounded(mean, lower, upper, future),
        method=label,
        key="seasonal_naive",
        level=level,
        backtest=table,
        fits=pd.DataFrame(columns=FIT_COLUMNS),
        warnings=notes,
    )


def _bounded(
    mean: np.ndarray, lower: np.ndarray, upper: np.ndarray, future: pd.DatetimeIndex
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """The forecast as series over the horizon; volume is never negative."""
    return tuple(
        pd.Series(np.clip(values, 0, None), future, name=name)
        for values, name in ((mean, "mean"), (lower, "lower"), (upper, "upper"))
    )


def _holiday_counts(index: pd.DatetimeIndex, country: str | None) -> np.ndarray:
    """Public holidays in each period (0/1 for days) from the ``holidays`` package."""
    if not country:
        return np.zeros(len(index))
    if country not in holiday_calendars.list_supported_countries():
        raise PlannerError(
            f"'{country}' is not a country the holiday calendar knows; use a two-letter "
            "code such as US, GB or DE."
        )
    calendar = holiday_calendars.country_holidays(
        country, years=range(index[0].year, index[-1].year + 2)
    )
    days = pd.DatetimeIndex(sorted(calendar.keys()))
    if len(index) > 1 and (index[1] - index[0]) <= pd.Timedelta(days=1):
        return index.normalize().isin(days).astype(float)
    ends = index.append(pd.DatetimeIndex([index[-1] + (index[-1] - index[-2])]))
    return np.diff(np.searchsorted(days, ends)).astype(float)


def _fit_window(ctx: _Context) -> int:
    """Periods used to estimate smoothing parameters: a year of daily data (52 weeks) is
    plenty for weekly patterns, and fitting on all of three years triples the time."""
    return 52 * max(ctx.season, 7)


def _smooth_year(component: np.ndarray, total: int, freq: str) -> np.ndarray:
    """A yearly seasonal component as its best fit by four annual Fourier pairs, over
    ``total`` positions (history and horizon)."""
    period = 365.25 * SEASON[freq] / 7
    terms = _fourier(np.arange(total), period, 4)
    beta = np.linalg.lstsq(terms[: len(component)], component, rcond=None)[0]
    return terms @ beta


def _fourier(position: np.ndarray, period: float, harmonics: int) -> np.ndarray:
    """sin and cos of 2 pi k t / period for k = 1..harmonics (Harvey 1990)."""
    angle = 2 * np.pi * position[:, None] * np.arange(1, harmonics + 1) / period
    return np.hstack([np.sin(angle), np.cos(angle)])


def _join(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
