"""The forecast's ranges checked by simulation: 600 draws of a known AR(1) process, each a
backtest and a fresh path (about 8 s, so it is not a unit test)."""

import numpy as np
import pandas as pd
import pytest

from planner.forecast.backtest import ErrorModel, band


def ar_errors(origins: int, steps: int, rng, phi: float = 0.7, sd: float = 0.06) -> np.ndarray:
    """Relative errors of a known AR(1) process (stationary from the first day)."""
    errors = np.empty((origins, steps))
    current = rng.standard_normal(origins) * sd / np.sqrt(1 - phi**2)
    for t in range(steps):
        current = phi * current + sd * rng.standard_normal(origins) if t else current
        errors[:, t] = current
    return errors


def test_simulated_totals_cover_what_they_promise_on_a_known_ar_process():
    # Each draw: a backtest of 12 windows of 28 days from a known AR(1) process gives the
    # error model; one fresh 28-day path of the same process must fall inside the 80%
    # range of the simulated 28-day totals. Over 600 draws: 80% within 3 points; each day's
    # own range likewise.
    rng = np.random.default_rng(20261201)
    steps, mean, hits, days = 28, np.full(28, 200.0), [], []
    for draw in range(600):
        errors = ar_errors(12, steps, rng)
        fits = pd.DataFrame(
            {
                "origin": np.repeat(np.arange(12), steps),
                "ahead": np.tile(np.arange(1, steps + 1), 12),
                "mean": 200.0,
                "actual": (200.0 * (1 + errors)).ravel(),
            }
        )
        paths = ErrorModel.fit(fits, 7).paths(mean, count=500, seed=draw)
        low, high = band(paths.sum(axis=1, keepdims=True), 80)
        fresh = 200.0 * (1 + ar_errors(1, steps, rng))[0]
        hits.append(low[0] <= fresh.sum() <= high[0])
        day_low, day_high = band(paths, 80)
        days.append(np.mean((fresh >= day_low) & (fresh <= day_high)))
    assert np.mean(hits) == pytest.approx(0.8, abs=0.03)
    assert np.mean(days) == pytest.approx(0.8, abs=0.03)
