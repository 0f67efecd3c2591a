"""The forecasting candidates: seasonal naive, ETS, a regression with ARIMA errors, MSTL
and Theta. Each estimates its parameters once (``fit``, on the history before the first
backtest origin) and forecasts from any later point by filtering with them (``predict``).

Every candidate works on positions, not dates: a series whose closed weekdays were left out
(five open days a week) is as regular to them as a calendar; ``Context`` says how many
positions make a week (``season``) and a year (``year``).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from scipy import stats


@dataclass(frozen=True)
class Context:
    """What every candidate needs to know about the series."""

    freq: str
    season: int  # 1 when the history is too short for seasonality
    alpha: float
    index: pd.DatetimeIndex  # history and horizon, one position per period
    holidays: np.ndarray  # per position: holidays (and recurring events) as columns
    year: int = 365  # positions in a year (fewer when closed weekdays are left out)


Prediction = tuple[np.ndarray, np.ndarray, np.ndarray]


class Candidate(ABC):
    key = ""

    @abstractmethod
    def label(self, ctx: Context) -> str:
        """The method in words, as the backtest table shows it."""

    @abstractmethod
    def fit(self, y: np.ndarray, ctx: Context) -> None:
        """Estimate parameters on the training history (before the first origin)."""

    @abstractmethod
    def predict(self, y: np.ndarray, steps: int, ctx: Context) -> Prediction:
        """Forecast ``steps`` periods after ``y`` (the history up to an origin)."""


class SeasonalNaive(Candidate):
    """Each period repeats the same period one season earlier.

    Interval: sigma of the seasonal differences y_t - y_(t-m), widened as
    sigma * sqrt(k + 1) with k the number of whole seasons ahead (Hyndman & Athanasopoulos,
    Forecasting: Principles and Practice, 3rd ed., section 5.5).
    """

    key = "seasonal_naive"

    def label(self, ctx: Context) -> str:
        same = {
            "D": "same weekday last week",
            "B": "same weekday last week",
            "W": "same week last year",
            "M": "same month last year",
        }
        if ctx.season == 1:
            return "Naive (the last value repeated)"
        return f"Seasonal naive ({same[ctx.freq]})"

    def fit(self, y: np.ndarray, ctx: Context) -> None:
        """Nothing to estimate: the forecast is the history itself."""

    def predict(self, y: np.ndarray, steps: int, ctx: Context) -> Prediction:
        m = ctx.season
        last = y[-m:]
        mean = np.resize(last, steps)
        diffs = y[m:] - y[:-m]
        sigma = float(np.std(diffs, ddof=1)) if len(diffs) > 1 else 0.0
        k = np.arange(steps) // m
        half = stats.norm.ppf(1 - ctx.alpha / 2) * sigma * np.sqrt(k + 1)
        return mean, mean - half, mean + half


class ETS(Candidate):
    """ETS state space model (statsmodels ETSModel) with additive errors and additive
    seasonality; for weekly and monthly data no trend or a damped trend, chosen by AICc
    (Hyndman et al. 2008); daily data without trend (the regression and Theta carry it)."""

    key = "ets"

    def __init__(self) -> None:
        self.spec: dict = {}
        self.params: np.ndarray | None = None
        self.start = 0  # position the estimated initial states belong to

    def label(self, ctx: Context) -> str:
        trend = "damped trend" if self.spec.get("trend") else "no trend"
        season = f", seasonality every {ctx.season}" if ctx.season > 1 else ""
        return f"Exponential smoothing (ETS, {trend}{season})"

    def _model(self, y: np.ndarray, ctx: Context, spec: dict):
        from statsmodels.tsa.exponential_smoothing.ets import ETSModel

        seasonal = "add" if ctx.season > 1 else None
        return ETSModel(
            pd.Series(y, dtype=float),  # its prediction needs an index; positions do
            error="add",
            seasonal=seasonal,
            seasonal_periods=ctx.season if seasonal else None,
            **spec,
        )

    def fit(self, y: np.ndarray, ctx: Context) -> None:
        best = None
        self.start = max(0, len(y) - fit_window(ctx))
        specs = [{"trend": None}, {"trend": "add", "damped_trend": True}]
        if ctx.freq in ("D", "B"):  # daily trends are the regression's and Theta's: half the time
            specs = specs[:1]
        for spec in specs:
            result = self._model(y[self.start :], ctx, spec).fit(disp=False)
            if best is None or result.aicc < best[0]:
                best = (result.aicc, spec, result.params)
        _, self.spec, self.params = best

    def predict(self, y: np.ndarray, steps: int, ctx: Context) -> Prediction:
        # The initial level and seasonal states were estimated at ``start``: filtering from
        # anywhere else would run them out of phase with the weekdays.
        recent = y[self.start :]
        result = self._model(recent, ctx, self.spec).smooth(self.params)
        frame = result.get_prediction(start=len(recent), end=len(recent) + steps - 1)
        frame = frame.summary_frame(alpha=ctx.alpha)
        return frame["mean"].to_numpy(), frame["pi_lower"].to_numpy(), frame["pi_upper"].to_numpy()


class Regression(Candidate):
    """Regression with ARIMA errors: weekday (or seasonal Fourier) terms, public holidays,
    yearly Fourier terms when two years are known, and a linear trend; the errors follow an
    ARMA model (statsmodels SARIMAX) whose order, (1,0,0) or (1,0,1), is chosen by AIC.
    On the log of the counts when they are all positive: support volume grows by a share a
    year and its weekday and season effects are shares too, so on the log scale they add
    and the trend compounds (Hyndman & Athanasopoulos, FPP3, section 7.7 on log
    transformations; the mean is exp(mu + sigma^2 / 2), the bias-adjusted back-transform
    of section 5.6).

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
        self.log = False

    def label(self, ctx: Context) -> str:
        terms = ["weekday" if ctx.freq in ("D", "B") else "seasonal", "holiday"]
        if self.yearly:
            terms.append("yearly")
        p, d, q = self.order
        scale = ", log scale" if self.log else ""
        return f"Regression with ARIMA({p},{d},{q}) errors ({', '.join(terms)} terms, trend{scale})"

    def _design(self, ctx: Context, stop: int) -> np.ndarray:
        position = np.arange(stop)
        known = np.asarray(ctx.holidays, dtype=float)[:stop].reshape(stop, -1)
        columns = [np.ones((stop, 1)), position[:, None] / 365.0, known]
        if ctx.freq in ("D", "B") and ctx.season > 1:
            weekday = ctx.index[:stop].day_of_week.to_numpy()
            columns.append(np.stack([weekday == d for d in range(1, 7)], axis=1))
        elif ctx.season > 1:
            columns.append(_fourier(position, ctx.season, min(3, ctx.season // 2)))
        if self.yearly:
            columns.append(_fourier(position, ctx.year, 3))
        return np.hstack(columns).astype(float)

    def _errors(self, residuals: np.ndarray, order: tuple):
        from statsmodels.tsa.statespace.sarimax import SARIMAX

        return SARIMAX(residuals, order=order)

    def fit(self, y: np.ndarray, ctx: Context) -> None:
        residuals = self.coefficients(y, ctx)
        best = None
        for order in self.ORDERS:
            result = self._errors(residuals, order).fit(disp=False)
            if best is None or result.aic < best[0]:
                best = (result.aic, order, result.params)
        _, self.order, self.params = best

    def coefficients(self, y: np.ndarray, ctx: Context) -> np.ndarray:
        """Estimate the regression's terms by least squares on ``y`` (keeping the error
        model); returns the residuals (on the log scale when the counts allow it)."""
        self.yearly = ctx.freq in ("D", "B") and len(y) >= 2 * ctx.year
        self.log = bool(len(y)) and float(np.min(y)) > 0
        y = np.log(y) if self.log else y
        design = self._design(ctx, len(y))
        # Columns that never vary here (a holiday-free stretch) would make the fit singular.
        self.keep = (design.std(axis=0) > 0) | (np.arange(design.shape[1]) == 0)
        self.beta = np.linalg.lstsq(design[:, self.keep], y, rcond=None)[0]
        return y - design[:, self.keep] @ self.beta

    def predict(self, y: np.ndarray, steps: int, ctx: Context) -> Prediction:
        design = self._design(ctx, len(y) + steps)[:, self.keep]
        regression = design @ self.beta
        if self.log:
            y = np.log(np.clip(y, 0.5, None))  # a later zero (a closed stretch) stays finite
        result = self._errors(y - regression[: len(y)], self.order).filter(self.params)
        frame = result.get_forecast(steps).summary_frame(alpha=ctx.alpha)
        ahead = regression[len(y) :]
        mean = ahead + frame["mean"].to_numpy()
        lower = ahead + frame["mean_ci_lower"].to_numpy()
        upper = ahead + frame["mean_ci_upper"].to_numpy()
        if not self.log:
            return mean, lower, upper
        sd = (upper - mean) / stats.norm.ppf(1 - ctx.alpha / 2)
        return np.exp(mean + sd**2 / 2), np.exp(lower), np.exp(upper)


class MSTL(Candidate):
    """MSTL decomposition (Bandara, Hyndman & Bergmeir 2021) into weekly and, with two
    years of daily data, yearly seasonality. The weekly component is carried forward by its
    last cycle; the yearly one by its smooth annual shape (a year later is another weekday,
    so carrying last year's days would move weekday effects it absorbed onto the wrong
    days); the seasonally adjusted series by damped-trend ETS."""

    key = "mstl"

    def __init__(self) -> None:
        self.periods: tuple[int, ...] = ()
        self.seasonal: np.ndarray | None = None  # per position, over history and horizon
        self.adjusted = ETS()

    def label(self, ctx: Context) -> str:
        weekly = "weekly" if ctx.freq in ("D", "B") else f"every {ctx.season}"
        names = {ctx.season: weekly, ctx.year: "yearly"}
        parts = " + ".join(names.get(p, f"every {p}") for p in self.periods) or "no"
        return f"MSTL decomposition ({parts} seasonality) with exponential smoothing"

    def fit(self, y: np.ndarray, ctx: Context) -> None:
        from statsmodels.tsa.seasonal import MSTL

        periods = [p for p in (ctx.season, ctx.year) if p > 1 and len(y) >= 2 * p]
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
                    self.seasonal += _smooth_year(components[:, column], total, ctx.year)
        self.adjusted.fit(y - self.seasonal[: len(y)], replace(ctx, season=1))

    def predict(self, y: np.ndarray, steps: int, ctx: Context) -> Prediction:
        flat = replace(ctx, season=1)
        mean, lower, upper = self.adjusted.predict(y - self.seasonal[: len(y)], steps, flat)
        season = self.seasonal[len(y) : len(y) + steps]
        return mean + season, lower + season, upper + season


class Theta(Candidate):
    """The Theta method (Assimakopoulos & Nikolopoulos 2000) as in statsmodels ThetaModel:
    seasonally adjusted, simple exponential smoothing with half the linear trend; the
    interval is that of simple exponential smoothing."""

    key = "theta"

    def label(self, ctx: Context) -> str:
        return "Theta method" + (" (seasonally adjusted)" if ctx.season > 1 else "")

    def fit(self, y: np.ndarray, ctx: Context) -> None:
        """Theta's two parameters are re-estimated at each origin (cheap): statsmodels has
        no way to filter its model with fixed ones."""

    def predict(self, y: np.ndarray, steps: int, ctx: Context) -> Prediction:
        from statsmodels.tsa.forecasting.theta import ThetaModel

        y = y[-fit_window(ctx) :]
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
        alpha = float(result.params["alpha"])
        variance = self.sigma2(y, model, alpha) * (1 + alpha**2 * np.arange(steps))
        half = stats.norm.ppf(1 - ctx.alpha / 2) * np.sqrt(variance)
        return mean, mean - half, mean + half

    @staticmethod
    def sigma2(y: np.ndarray, model, alpha: float) -> float:
        """The variance of the SES one-step errors on the seasonally adjusted history, put
        back on the history's scale: one pass in numpy (statsmodels' ``sigma2`` fits an
        ARIMA(0,1,1) to the raw series twice per call, half of all forecasting time)."""
        adjusted, _ = model._deseasonalize_data()
        level = adjusted[0]
        errors = np.empty(len(adjusted) - 1)
        for t in range(1, len(adjusted)):
            errors[t - 1] = adjusted[t] - level
            level = alpha * adjusted[t] + (1 - alpha) * level
        scale = float(np.mean(y) / np.mean(adjusted)) if np.mean(adjusted) else 1.0
        return float(np.var(errors[len(errors) // 10 :])) * scale**2


CANDIDATES: dict[str, Callable[[], Candidate]] = {
    "seasonal_naive": SeasonalNaive,
    "ets": ETS,
    "sarimax": Regression,
    "mstl": MSTL,
    "theta": Theta,
}


def fit_window(ctx: Context) -> int:
    """Periods used to estimate smoothing parameters: a year of daily data (52 weeks) is
    plenty for weekly patterns, and fitting on all of three years triples the time."""
    return 52 * max(ctx.season, 7)


def _smooth_year(component: np.ndarray, total: int, period: float) -> np.ndarray:
    """A yearly seasonal component as its best fit by four annual Fourier pairs, over
    ``total`` positions (history and horizon); ``period`` is positions in a year."""
    terms = _fourier(np.arange(total), period, 4)
    beta = np.linalg.lstsq(terms[: len(component)], component, rcond=None)[0]
    return terms @ beta


def _fourier(position: np.ndarray, period: float, harmonics: int) -> np.ndarray:
    """sin and cos of 2 pi k t / period for k = 1..harmonics (Harvey 1990)."""
    angle = 2 * np.pi * position[:, None] * np.arange(1, harmonics + 1) / period
    return np.hstack([np.sin(angle), np.cos(angle)])
