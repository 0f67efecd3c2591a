"""Is the ticket history enough to plan from? Warnings every page that shows the plan repeats.

- **tiny**: under ``MIN_DAYS`` (8 weeks) of history the weekly pattern cannot be told from
  noise; no forecast is made unless the user asks for one anyway
  (``ForecastSettings.allow_short_history``), and then its range is widened.
- **short**: under a year, the yearly pattern (a January peak, a summer dip) is unseen;
  the forecast treats every month alike.
- **stale**: the history ends more than ``STALE_DAYS`` before the plan starts; the forecast
  bridges the gap without data, so its range widens with it.

Each warning says what to upload instead. The widening itself is
``planner.forecast.honest_band``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from planner.errors import PlannerError
from planner.volume import VolumeHistory

MIN_DAYS = 56
YEAR_DAYS = 365
STALE_DAYS = 92


class HistoryTooShort(PlannerError):
    """The history is under ``MIN_DAYS`` and the user has not asked to forecast anyway."""


@dataclass(frozen=True)
class HistoryWarning:
    kind: str  # tiny | short | stale
    message: str
    remedy: str

    @property
    def text(self) -> str:
        return f"{self.message} {self.remedy}"


def span(history: VolumeHistory) -> tuple[pd.Timestamp, pd.Timestamp, int]:
    """First and last day of the history and the days it covers (both included)."""
    periods = history.counts["period"]
    first, last = pd.Timestamp(periods.min()).normalize(), pd.Timestamp(periods.max())
    if history.freq == "W":
        last += pd.Timedelta(days=6)
    elif history.freq == "M":
        last = last + pd.offsets.MonthEnd(0)
    return first, last.normalize(), (last.normalize() - first).days + 1


def check(history: VolumeHistory, start_month: dt.date) -> list[HistoryWarning]:
    """The warnings ``history`` earns for a plan starting ``start_month``, worst first."""
    if history.counts.empty:
        return []
    first, last, days = span(history)
    tickets = history.total_tickets
    covered = f"{_duration(days)} ({tickets:,} tickets, {first:%d %b %Y} to {last:%d %b %Y})"
    found = []
    if days < MIN_DAYS:
        found.append(
            HistoryWarning(
                "tiny",
                f"The history covers only {covered}: under 8 weeks cannot tell the weekly "
                "pattern from chance, so a forecast from it is a guess.",
                "Upload at least 8 weeks of tickets, ideally two years. To plan from it "
                "anyway, choose 'Forecast anyway': the range is then widened to show how "
                "little the data can say.",
            )
        )
    elif days < YEAR_DAYS:
        found.append(
            HistoryWarning(
                "short",
                f"The history covers {covered}: less than a year, so the yearly pattern "
                "(a January peak, a summer dip) is unseen and every month is forecast alike; "
                "the range is widened for it.",
                "Upload at least 12 months of tickets, ideally 24.",
            )
        )
    gap = (pd.Timestamp(start_month) - last).days - 1
    if gap > STALE_DAYS:
        found.append(
            HistoryWarning(
                "stale",
                f"The history ends on {last:%d %b %Y}, {_duration(gap)} before the plan starts "
                f"({start_month:%b %Y}): the forecast bridges that gap without data, so its "
                "range is wide.",
                "Upload tickets up to last month, or start the plan earlier.",
            )
        )
    return found


def require_enough(history: VolumeHistory, allow_short: bool) -> None:
    """Raise HistoryTooShort for a tiny history unless the user allowed it."""
    if allow_short or history.counts.empty or span(history)[2] >= MIN_DAYS:
        return
    last = span(history)[1]
    tiny = next(w for w in check(history, last.date()) if w.kind == "tiny")
    raise HistoryTooShort(tiny.text)


def _duration(days: int) -> str:
    if days < 60:
        return f"{days} day{'s' if days != 1 else ''}"
    if days < 730:
        return f"{days / 30.44:.0f} months"
    return f"{days / 365.25:.1f} years"
