"""The calendar of a contact series: which days are closed, which are public holidays, and
which values are one-off outliers rather than the pattern.

- **Closed weekdays** are structural zeros: a weekday whose recent values are all near zero
  (under ``CLOSED_SHARE`` of a typical open day) is closed. Models are fitted on open days
  only and forecast 0 for closed days and for the team's own closure dates.
- **Public holidays** of the chosen country: their effect is the median ratio of a past
  holiday to the same weekday around it; holidays are set to their typical value before
  fitting (so they do not bend the weekly pattern) and the forecast of a future holiday is
  its typical value times that ratio. A ratio near zero makes holidays closed days.
- **Outliers** are judged against the same weekday in the weeks around them (median of
  the four before and after), never against a flat median that would call every weekend
  unusual. A run of unusual days in one direction is a change of level, kept; days of the
  month that are unusual month after month (a billing run) are a recurring event, kept.
"""

from __future__ import annotations

import datetime as dt
import functools
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field

import holidays as holiday_calendars
import numpy as np
import pandas as pd

from planner.errors import PlannerError

CLOSED_SHARE = 0.05  # a weekday under 5% of a typical open day is closed
RECENT_WEEKS = 26  # closures are judged on the last half year of each weekday
OUTLIER_MADS = 6.0
NEIGHBOURS = 4  # same weekdays before and after that make a day's typical value
SHIFT_RUN = 3  # this many unusual open days in a row, one direction: a level shift
RECURRING_MONTHS = 3  # unusual on the same day of the month this often: an event


@dataclass(frozen=True)
class Calendar:
    """Per position of the history and the horizon (a daily calendar): ``open`` (False on
    closed weekdays, closure dates and holidays that are closed), ``holiday`` (1 on public
    holidays), the holiday ``factor`` and the recurring-event flags."""

    index: pd.DatetimeIndex
    open: np.ndarray
    holiday: np.ndarray
    factor: float = 1.0
    closed_weekdays: tuple[int, ...] = ()
    recurring: np.ndarray = field(default_factory=lambda: np.zeros(0))
    notes: tuple[str, ...] = ()


def regular(history: pd.Series) -> tuple[pd.Series, str, list[str]]:
    """A regular float series, its frequency letter (D, B, W or M) and notes on gaps.
    Missing periods are filled from their neighbours (and said)."""
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
    if letter is None or (letter == "D" and freq not in ("D", "1D")):
        raise PlannerError(
            f"The history's periods ({freq}) are not days, weeks or months; sum it by day "
            "first (hourly histories give the intraday shape, not the daily forecast)."
        )
    filled = y.asfreq(freq)
    notes: list[str] = []
    missing = int(filled.isna().sum())
    if missing:
        filled = filled.interpolate(limit_direction="both")
        notes.append(
            f"{missing} period(s) had no value and were filled from their neighbours; "
            "check that the history has no gaps."
        )
    return filled, letter, notes


def holiday_flags(index: pd.DatetimeIndex, country: str | None) -> np.ndarray:
    """Public holidays in each period (0/1 for days, a count for weeks and months) from
    the ``holidays`` package."""
    if not country or len(index) == 0:
        return np.zeros(len(index))
    if country not in holiday_calendars.list_supported_countries():
        raise PlannerError(
            f"'{country}' is not a country the holiday calendar knows; use a two-letter "
            "code such as US, GB or DE."
        )
    days = _holiday_days(country, index[0].year, index[-1].year + 1)
    if len(index) < 2 or (index[1] - index[0]) <= pd.Timedelta(days=1):
        return index.normalize().isin(days).astype(float)
    ends = index.append(pd.DatetimeIndex([index[-1] + (index[-1] - index[-2])]))
    return np.diff(np.searchsorted(days, ends)).astype(float)


def on_public_holiday(days: pd.DatetimeIndex, country: str) -> np.ndarray:
    """Whether each of ``days`` (midnights, any order) is a public holiday of ``country``
    (a two-letter code the ``holidays`` package knows)."""
    if len(days) == 0:
        return np.zeros(0, dtype=bool)
    if country not in holiday_calendars.list_supported_countries():
        raise PlannerError(
            f"'{country}' is not a country the holiday calendar knows; use a two-letter "
            "code such as US, GB or DE."
        )
    return days.isin(_holiday_days(country, days.min().year, days.max().year))


@functools.lru_cache(maxsize=32)
def _holiday_days(country: str, first: int, last: int) -> pd.DatetimeIndex:
    """The public holidays of ``country`` from year ``first`` to ``last`` (built once)."""
    calendar = holiday_calendars.country_holidays(country, years=range(first, last + 1))
    return pd.DatetimeIndex(sorted(calendar.keys()))


def country_of_zone(zone: str) -> str | None:
    """The country of an IANA time zone (Europe/Berlin -> DE), for its public holidays;
    None for zones of no one country (UTC)."""
    import pytz

    for country, zones in pytz.country_timezones.items():
        if zone in zones:
            return country.upper()
    return None


def same_weekday_typical(values: np.ndarray, weekday: np.ndarray, usable: np.ndarray) -> np.ndarray:
    """Each day's typical value: the median of the same weekday ``NEIGHBOURS`` weeks before
    and after it (leaving itself and unusable days out); the weekday's median where none is
    near."""
    n = len(values)
    masked = np.where(usable, values, np.nan)
    shifted = np.full((2 * NEIGHBOURS, n), np.nan)
    for row, k in enumerate(k for k in range(-NEIGHBOURS, NEIGHBOURS + 1) if k):
        lag = 7 * k
        if lag > 0 and lag < n:
            shifted[row, : n - lag] = masked[lag:]
        elif lag < 0 and -lag < n:
            shifted[row, -lag:] = masked[: n + lag]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a day with no usable neighbour
        typical = np.nanmedian(shifted, axis=0)
    for day in range(7):
        gap = np.isnan(typical) & (weekday == day)
        if gap.any():
            same = masked[(weekday == day) & ~np.isnan(masked)]
            typical[gap] = np.median(same) if len(same) else np.nanmedian(masked)
    return np.nan_to_num(typical)


def closed_weekdays(values: np.ndarray, weekday: np.ndarray) -> tuple[int, ...]:
    """Weekdays that are always near zero lately: over the last ``RECENT_WEEKS`` of each
    weekday, at least 90% of its values are under ``CLOSED_SHARE`` of the busiest
    weekday's median. Needs four weeks of history."""
    if len(values) < 28:
        return ()
    medians = {}
    recent = {}
    for day in range(7):
        seen = values[weekday == day][-RECENT_WEEKS:]
        recent[day] = seen
        medians[day] = float(np.median(seen)) if len(seen) else 0.0
    busiest = max(medians.values())
    if busiest <= 0:
        return ()
    return tuple(
        day
        for day in range(7)
        if len(recent[day]) >= 4 and np.mean(recent[day] < CLOSED_SHARE * busiest) >= 0.9
    )


def build(
    history: pd.Series,
    future: pd.DatetimeIndex,
    country: str | None,
    closures: Iterable[dt.date] = (),
) -> Calendar:
    """The calendar of a daily history and its horizon (see the module notes)."""
    index = history.index.append(future)
    weekday = index.day_of_week.to_numpy()
    values = history.to_numpy(dtype=float)
    n = len(values)
    holiday = holiday_flags(index, country)
    shut = (
        index.normalize().isin(pd.DatetimeIndex(list(closures)))
        if closures
        else np.zeros(len(index), dtype=bool)
    )
    closed = closed_weekdays(values[~shut[:n] & (holiday[:n] == 0)], weekday[:n][
        ~shut[:n] & (holiday[:n] == 0)
    ])  # fmt: skip
    is_open = ~np.isin(weekday, closed) & ~shut
    notes = []
    if closed:
        names = ", ".join(pd.Timestamp(2024, 1, 1 + d).day_name() for d in closed)
        notes.append(f"Closed on {names} (no contacts there lately): forecast as 0.")
    factor = _holiday_factor(values, weekday[:n], holiday[:n] > 0, is_open[:n])
    if factor is not None and factor < CLOSED_SHARE:
        is_open = is_open & (holiday == 0)
        notes.append("Public holidays are closed days (no contacts on past ones): forecast as 0.")
        factor = None
    elif factor is not None:
        notes.append(
            f"Public holidays bring {factor:.0%} of a usual day's contacts (the median of "
            f"{int((holiday[:n] > 0).sum())} past ones); future holidays are forecast so."
        )
    recurring = _recurring_days(values, index, is_open, holiday > 0, weekday)
    return Calendar(
        index, is_open, holiday, factor if factor is not None else 1.0, closed,
        recurring, tuple(notes),
    )  # fmt: skip


def _holiday_factor(
    values: np.ndarray, weekday: np.ndarray, holiday: np.ndarray, is_open: np.ndarray
) -> float | None:
    """Median ratio of a past holiday (on an open weekday) to its typical value."""
    usable = is_open & ~holiday
    found = holiday & is_open
    if found.sum() < 2:
        return None
    typical = same_weekday_typical(values, weekday, usable)
    ratios = values[found] / np.where(typical[found] > 0, typical[found], np.nan)
    ratios = ratios[np.isfinite(ratios)]
    return float(np.clip(np.median(ratios), 0.0, 3.0)) if len(ratios) else None


def _recurring_days(
    values: np.ndarray,
    index: pd.DatetimeIndex,
    is_open: np.ndarray,
    holiday: np.ndarray,
    weekday: np.ndarray,
) -> np.ndarray:
    """1 on days of the month that are unusual (against their weekday) in at least
    ``RECURRING_MONTHS`` months and most months seen: a billing run, a monthly report."""
    n = len(values)
    flags = _unusual(values, weekday[:n], is_open[:n] & ~holiday[:n])
    day_of_month = index.day.to_numpy()
    month = index.year.to_numpy() * 12 + index.month.to_numpy()
    months_seen = len(np.unique(month[:n]))
    recurring = np.zeros(len(index))
    for day in np.unique(day_of_month[:n][flags]):
        hit = len(np.unique(month[:n][flags & (day_of_month[:n] == day)]))
        if hit >= RECURRING_MONTHS and hit >= 0.5 * months_seen:
            recurring[day_of_month == day] = 1.0
    return recurring


def _unusual(values: np.ndarray, weekday: np.ndarray, usable: np.ndarray) -> np.ndarray:
    """Days far (``OUTLIER_MADS`` robust deviations) from their same-weekday typical value."""
    typical = same_weekday_typical(values, weekday, usable)
    residual = values - typical
    spread = (
        np.median(np.abs(residual[usable] - np.median(residual[usable]))) if usable.any() else 0
    )
    scale = max(1.4826 * spread, 1.0)
    return usable & (np.abs(residual) > OUTLIER_MADS * scale)


def repair(history: pd.Series, calendar: Calendar) -> tuple[np.ndarray, list[str]]:
    """The values models are fitted on: holidays at their typical value, and one-off
    outliers too; level shifts and recurring events are kept. Returns the values and
    notes on what was changed."""
    values = history.to_numpy(dtype=float).copy()
    n = len(values)
    weekday = history.index.day_of_week.to_numpy()
    holiday = calendar.holiday[:n] > 0
    usable = calendar.open[:n] & ~holiday
    typical = same_weekday_typical(values, weekday, usable)
    notes = []
    fill = holiday & calendar.open[:n]
    values[fill] = typical[fill]
    odd = _unusual(values, weekday, usable) & (calendar.recurring[:n] == 0)
    shifted = _runs(odd, np.sign(values - typical), usable)
    one_off = odd & ~shifted
    if one_off.any():
        dates = ", ".join(f"{d:%Y-%m-%d}" for d in history.index[one_off][:5])
        notes.append(
            f"{int(one_off.sum())} unusual day(s) against the same weekday around them (e.g. "
            f"{dates}) were set to their typical value before fitting, so a one-off spike "
            "does not become the baseline; add known events as demand adjustments instead."
        )
        values[one_off] = typical[one_off]
    if shifted.any():
        first = history.index[shifted][0]
        notes.append(
            f"Volume moved to a new level from about {first:%d %b %Y} ({int(shifted.sum())} "
            "days in a row away from the usual weekday values): kept as a change of level."
        )
    return values, notes


def _runs(odd: np.ndarray, sign: np.ndarray, usable: np.ndarray) -> np.ndarray:
    """Unusual days in runs of ``SHIFT_RUN`` or more consecutive open days with one sign."""
    positions = np.flatnonzero(usable)
    shifted = np.zeros(len(odd), dtype=bool)
    run: list[int] = []
    for position in positions:
        if odd[position] and (not run or sign[position] == sign[run[-1]]):
            run.append(position)
            continue
        if len(run) >= SHIFT_RUN:
            shifted[run] = True
        run = [position] if odd[position] else []
    if len(run) >= SHIFT_RUN:
        shifted[run] = True
    return shifted
