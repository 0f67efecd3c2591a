"""Rolling-origin backtests at the horizons a plan uses, their scores, and the error paths
that give honest ranges.

Accuracy measures (Hyndman & Koehler, "Another look at measures of forecast accuracy", 2006;
shared/DOMAIN.md "Forecast accuracy"):

- MASE = mean|actual - forecast| / mean|y_t - y_(t-m)|, the denominator being the in-sample
  error of the seasonal naive method on the training data up to the origin; averaged over
  origins. Below 1 beats seasonal naive.
- WAPE = sum|actual - forecast| / sum(actual); bias = sum(forecast - actual) / sum(actual).
- coverage = share of actuals inside the prediction interval.

Windows: ``SHORT_WINDOW`` periods after each of several origins (the daily accuracy that
interval staffing needs), and, when the plan reaches further, one long window as far as
the history allows, scored on its monthly totals (what the budget needs).

Error paths (``ErrorModel``): the chosen method's relative errors r = actual / forecast - 1
over the backtest are described as a persistent level error (an AR(1) process, which a
random walk is the limit of) plus independent day-to-day noise, an AR(1)-plus-noise state
space model (Harvey, Forecasting, Structural Time Series Models and the Kalman Filter,
1989, ch. 2) fitted by the method of moments to the errors' autocovariances; totals of any
span then come from simulated paths, never from adding daily quantiles.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

FIT_COLUMNS = ["method", "origin", "period", "ahead", "mean", "lower", "upper", "actual"]
# ``scale`` (the origin's seasonal naive error, for MASE by lead) joins them once scored.
SHORT_WINDOW = {"D": 91, "B": 65, "W": 13, "M": 3}  # about a quarter
BUCKETS = {"D": (7, 28, 91), "B": (5, 20, 65), "W": (4, 13, 26), "M": (1, 3, 6)}
PATHS = 2000
SEED = 20261201


def origins(
    n: int, steps: int, count: int, season: int, freq: str, year: int = 0
) -> list[tuple[int, int]]:
    """(origin, window) pairs: ``count`` back-to-back short windows (a quarter or the
    horizon, whichever is shorter) ending at the history's end, and one long window
    reaching as far ahead as the plan when the history allows it. Every origin keeps at
    least half the history, three seasons and ten periods to train on, and two years
    (``year`` periods each) when the history has them and a quarter more: a yearly
    pattern needs two years, and a test that removes it would misjudge every method."""
    short_window = SHORT_WINDOW[freq]
    two_years = 2 * year if year and n >= 2 * year + short_window else 0
    minimum = max(3 * season, 10, n // 2, two_years)
    room = n - minimum
    if room < 1:
        return []
    short = max(1, min(steps, SHORT_WINDOW[freq], room // max(count, 1)))
    count = max(1, min(count, room // short))
    pairs = [(n - short * (count - i), short) for i in range(count)]
    long = min(steps, room)
    if steps > short and long > 2 * short:
        pairs.insert(0, (n - long, long))
    return pairs


def fit_rows(
    key: str, start: int, window: int, prediction: tuple, values: np.ndarray, index
) -> pd.DataFrame:
    """One backtest window's forecasts beside the actual values, one row per period."""
    mean, lower, upper = prediction
    stop = min(start + window, len(values))
    count = stop - start
    return pd.DataFrame(
        {
            "method": key,
            "origin": index[start],
            "period": index[start:stop],
            "ahead": np.arange(1, count + 1),
            "mean": np.asarray(mean, dtype=float)[:count],
            "lower": np.asarray(lower, dtype=float)[:count],
            "upper": np.asarray(upper, dtype=float)[:count],
            "actual": values[start:stop],
        }
    )


def naive_scale(y: np.ndarray, season: int) -> float:
    """In-sample mean absolute error of the seasonal naive method (the MASE denominator)."""
    if len(y) <= season:
        return np.nan
    scale = float(np.mean(np.abs(y[season:] - y[:-season])))
    return scale if scale > 0 else np.nan


def score(fits: pd.DataFrame, scale: dict, labels: dict, short: int) -> pd.DataFrame:
    """MASE, WAPE, bias and coverage per method over the short windows (leads up to
    ``short``), pooled over origins; and ``total_wape``: the error of the long window's
    monthly totals (NaN without one)."""
    rows = []
    for key, group in fits.groupby("method", sort=False):
        near = group[group["ahead"] <= short]
        error = near["mean"] - near["actual"]
        per_origin = near.assign(abs_error=error.abs()).groupby("origin")["abs_error"].mean()
        scaled = [per_origin[o] / scale[o] for o in per_origin.index if np.isfinite(scale[o])]
        actual = near["actual"].abs().sum()
        inside = (near["actual"] >= near["lower"]) & (near["actual"] <= near["upper"])
        rows.append(
            {
                "method": key,
                "label": labels.get(key, key),
                "mase": float(np.mean(scaled)) if scaled else np.nan,
                "wape": float(error.abs().sum() / actual) if actual else np.nan,
                "bias": float(error.sum() / actual) if actual else np.nan,
                "coverage": float(inside.mean()) if len(inside) else np.nan,
                "total_wape": _total_wape(group, short),
            }
        )
    columns = ["method", "label", "mase", "wape", "bias", "coverage", "total_wape"]
    return pd.DataFrame(rows, columns=columns)


def _total_wape(group: pd.DataFrame, short: int) -> float:
    """WAPE of whole-month totals in windows longer than ``short``, past the first quarter."""
    far = group[group["ahead"] > short]
    if far.empty:
        return np.nan
    month = far["period"].to_numpy().astype("datetime64[M]")
    months, code = np.unique(month, return_inverse=True)
    code = code.ravel()
    mean = np.bincount(code, far["mean"].to_numpy(float), len(months))
    actual = np.bincount(code, far["actual"].to_numpy(float), len(months))
    days = np.bincount(code, minlength=len(months))
    whole = days >= days.max() * 0.9  # whole months only
    if not whole.any() or actual[whole].sum() <= 0:
        return np.nan
    return float(np.abs(mean[whole] - actual[whole]).sum() / actual[whole].sum())


def rank(table: pd.DataFrame, needs_totals: bool) -> pd.Series:
    """Methods best first. The short-window MASE decides; when the plan reaches beyond the
    short windows and a long window was tested, each method's monthly-total error relative
    to seasonal naive's counts half."""
    mase = table["mase"] / table.loc[table["method"] == "seasonal_naive", "mase"].min()
    key = mase
    naive_total = table.loc[table["method"] == "seasonal_naive", "total_wape"].min()
    if needs_totals and np.isfinite(naive_total) and naive_total > 0:
        total = table["total_wape"] / naive_total
        key = 0.5 * mase + 0.5 * total.fillna(mase)
    order = np.lexsort((table["wape"].fillna(np.inf), key.fillna(np.inf).to_numpy()))
    return table["method"].iloc[order].reset_index(drop=True)


@dataclass(frozen=True)
class ErrorModel:
    """Relative forecast errors r = actual / forecast - 1 as a persistent level L plus day
    noise e: L_t = phi L_(t-1) + eta_t, stationary with variance ``sigma_level``^2 (phi = 1
    would be a random walk), e independent with ``sigma_day``; see the module notes."""

    phi: float
    sigma_level: float
    sigma_day: float
    bias: float = 0.0
    # Past the longest lead the backtest reached the level also drifts unforeseen: a random
    # walk of ``drift`` a period from period ``tested`` on (none when tested is 0).
    tested: int = 0
    drift: float = 0.0

    @classmethod
    def fit(cls, fits: pd.DataFrame, season: int) -> ErrorModel | None:
        """Method of moments from one method's backtest rows: the errors' autocovariance
        at lag 0 is sigma_level^2 + sigma_day^2 and at lag k >= 1 sigma_level^2 phi^k,
        pooled over the origins' windows; phi and sigma_level by least squares over the
        lags (a grid over phi), sigma_day from what lag 0 has left. None with too few
        errors to say."""
        usable = fits[fits["mean"] > 0]
        if len(usable) < 2 * max(season, 5):
            return None
        usable = usable.assign(r=(usable["actual"] / usable["mean"] - 1).clip(-1.0, 3.0))
        windows = [
            group.sort_values("ahead")["r"].to_numpy() for _, group in usable.groupby("origin")
        ]
        lags = max(1, min(60, max(len(w) for w in windows) - 1))
        gamma = np.zeros(lags + 1)
        for k in range(lags + 1):
            products = [w[k:] * w[: len(w) - k] for w in windows if len(w) > k]
            gamma[k] = float(np.mean(np.concatenate(products))) if products else 0.0
        ks = np.arange(1, lags + 1)
        best = (np.inf, 0.0, 0.0)
        for phi in np.linspace(0.0, 0.999, 200):
            curve = phi**ks
            denominator = float(curve @ curve)
            level = max(float(gamma[1:] @ curve) / denominator, 0.0) if denominator else 0.0
            level = min(level, gamma[0])
            sse = float(np.sum((gamma[1:] - level * curve) ** 2))
            if sse < best[0]:
                best = (sse, phi, level)
        _, phi, level = best
        return cls(
            phi=phi,
            sigma_level=float(np.sqrt(level)),
            sigma_day=float(np.sqrt(max(gamma[0] - level, 0.0))),
            bias=float(usable["r"].mean()),
        )

    def paths(self, mean: np.ndarray, count: int = PATHS, seed: int = SEED) -> np.ndarray:
        """``count`` simulated paths (rows) around ``mean`` (one column per period)."""
        rng = np.random.default_rng(seed)
        steps = len(mean)
        innovation = self.sigma_level * np.sqrt(1 - self.phi**2)
        level = np.empty((count, steps))
        current = self.sigma_level * rng.standard_normal(count)
        shocks = innovation * rng.standard_normal((count, steps))
        for t in range(steps):
            current = self.phi * current + shocks[:, t] if t else current
            level[:, t] = current
        noise = self.sigma_day * rng.standard_normal((count, steps))
        if self.tested and steps > self.tested:
            beyond = self.drift * rng.standard_normal((count, steps - self.tested))
            level[:, self.tested :] += np.cumsum(beyond, axis=1)
        return np.clip(mean[None, :] * (1 + level + noise), 0, None)


def band(paths: np.ndarray, level: int) -> tuple[np.ndarray, np.ndarray]:
    """Each period's lower and upper quantile over the paths."""
    alpha = (100 - level) / 200
    return np.quantile(paths, alpha, axis=0), np.quantile(paths, 1 - alpha, axis=0)


def cases(
    paths: np.ndarray, mean: np.ndarray, inside: np.ndarray, level: int
) -> tuple[np.ndarray, np.ndarray]:
    """The low and high case paths: the average of the simulated paths whose total over
    the ``inside`` periods (the plan) lies around its lower (upper) quantile, so the plan
    total of a case is that quantile and its months rise and fall together."""
    if not inside.any():
        return mean.copy(), mean.copy()
    totals = paths[:, inside].sum(axis=1)
    alpha = (100 - level) / 200
    found = []
    for q in (alpha, 1 - alpha):
        low, high = np.quantile(totals, [max(q - 0.05, 0.0), min(q + 0.05, 1.0)])
        near = (totals >= low) & (totals <= high)
        found.append(paths[near].mean(axis=0) if near.any() else mean.copy())
    return found[0], found[1]


def coverage_by_lead(fits: pd.DataFrame, freq: str) -> pd.DataFrame:
    """Bias, WAPE, MASE (when the rows carry their origin's ``scale``) and interval
    coverage of backtest rows by lead bucket."""
    if fits.empty:
        return pd.DataFrame(columns=["ahead", "bias", "wape", "mase", "coverage", "points"])
    edges = [0, *[b for b in BUCKETS[freq] if b < fits["ahead"].max()], int(fits["ahead"].max())]
    rows = []
    for low, high in itertools.pairwise(edges):
        part = fits[(fits["ahead"] > low) & (fits["ahead"] <= high)]
        total = part["actual"].sum()
        error = part["mean"] - part["actual"]
        inside = (part["actual"] >= part["lower"]) & (part["actual"] <= part["upper"])
        rows.append(
            {
                "ahead": f"{low + 1}-{high}",
                "bias": error.sum() / total if total else np.nan,
                "wape": error.abs().sum() / total if total else np.nan,
                "mase": float((error.abs() / part["scale"]).mean())
                if "scale" in part and len(part)
                else np.nan,
                "coverage": float(inside.mean()) if len(part) else np.nan,
                "points": len(part),
            }
        )
    return pd.DataFrame(rows)
