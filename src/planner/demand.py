"""What-if demand: growth, dated events and AI deflection applied to a forecast.

Every adjustment is a factor on each period's volume, applied alike to the mean and to the
bounds of the prediction interval (an event's low and high cases go to the lower and upper
bound), so the range planned against moves with the what-if. Factors are worked out per day
and averaged over the days of a period, so weekly and monthly forecasts take the part of an
event or a ramp that falls in each period.

- Growth, trend driver: f(t) = (1 + g)^(d / 365), d the days since the forecast's first
  period and g the extra growth a year.
- Growth, customers driver: volume = customers x contacts per customer, relative to the
  forecast's start: f(t) = C(t) / C0 x (1 + c)^(d / 365), with customers growing linearly
  from C0 now to C1 a year later, C(t) = C0 + (C1 - C0) d / 365, and c the yearly change in
  contacts per customer (the usual driver-based volume model, e.g. Reynolds, "The Complete
  Guide to Workforce Management", ch. 4).
- Event: during its weeks, mean x (1 + (low + high) / 2), lower x (1 + low),
  upper x (1 + high).
- Deflection of a channel: f(t) = 1 - share x adoption(t), adoption rising linearly from 0
  at go-live to 1 after ``ramp_months`` months.

The statistical forecast already continues the history's trend; growth here is for what the
history cannot know. Adjustments multiply in the order growth, events, deflection, and the
effect table credits each with the change it makes at its turn.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from planner.errors import PlannerError
from planner.forecast import ForecastSet
from planner.scenario import Deflection, DemandSettings

BOUNDS = ("mean", "lower", "upper")
DAYS_PER_YEAR = 365.0


@dataclass(frozen=True)
class Demand:
    """Adjusted volume per series and period, the unadjusted forecast beside it, and the
    effect of each adjustment.

    ``frame`` has series, period, mean, lower, upper, base_mean, base_lower, base_upper,
    deflected_mean, deflected_lower, deflected_upper (contacts AI self-service answers) and
    recontact_mean, recontact_lower, recontact_upper (of those, the ones that come back,
    included in the volume of the channel they come back to).
    ``effects`` has one row per adjustment: adjustment, kind, contacts (change in mean
    volume over the horizon, negative when contacts are removed).
    """

    frame: pd.DataFrame
    effects: pd.DataFrame
    notes: list[str] = field(default_factory=list)

    def total(self) -> pd.DataFrame:
        """period x (mean, lower, upper, base_mean, ...): the sum over series."""
        return self.frame.drop(columns="series").groupby("period").sum()

    def series(self, name: str) -> pd.DataFrame:
        """One series' rows, indexed by period."""
        rows = self.frame[self.frame["series"] == name]
        if rows.empty:
            raise PlannerError(f"There is no series '{name}' in this demand.")
        return rows.drop(columns="series").set_index("period")

    def takeaway(
        self,
        series: str | None = None,
        level: int = 80,
        plan: tuple[dt.date, dt.date, str] | None = None,
    ) -> str:
        """One sentence: the contacts expected over the horizon, their range and the change
        the adjustments make (for one series, or all of them). With ``plan`` (first day,
        day after the last, its name), the plan's own contacts are named too, so the
        forecast's total and the plan's are never mistaken for each other."""
        rows = self.frame if series is None else self.frame[self.frame["series"] == series]
        first, last = rows["period"].min(), rows["period"].max()
        mean, lower, upper = (rows[b].sum() for b in BOUNDS)
        base = rows["base_mean"].sum()
        text = (
            f"From {first:%d %b %Y} to {last:%d %b %Y} expect {mean:,.0f} contacts"
            f"{'' if series is None else ' on ' + series}: {lower:,.0f} in the low case and "
            f"{upper:,.0f} in the high case ({level}% interval of every period)"
        )
        if plan is not None:
            start, end, label = plan
            periods = pd.to_datetime(rows["period"])
            inside = rows[(periods >= pd.Timestamp(start)) & (periods < pd.Timestamp(end))]
            if len(inside) < len(rows):
                text += f"; {inside['mean'].sum():,.0f} of them in the plan ({label})"
        if base and abs(mean / base - 1) >= 0.0005:
            text += f"; the adjustments change the forecast by {mean / base - 1:+.1%}"
        return text + "."

    def plan_contacts(self, start: dt.date, end: dt.date) -> float:
        """Expected contacts from ``start`` to the day before ``end`` (the plan's months)."""
        periods = pd.to_datetime(self.frame["period"])
        inside = (periods >= pd.Timestamp(start)) & (periods < pd.Timestamp(end))
        return float(self.frame.loc[inside, "mean"].sum())

    @property
    def change(self) -> float:
        """Relative change of total mean volume against the forecast."""
        base = self.frame["base_mean"].sum()
        return float(self.frame["mean"].sum() / base - 1) if base else 0.0


def apply(forecasts: ForecastSet | pd.DataFrame, settings: DemandSettings) -> Demand:
    """Apply the scenario's demand settings to a forecast.

    Deflected contacts are kept per row (``deflected_*``); the share that comes back is
    added to its channel in the same period, spread like that channel's volume.

    ``forecasts`` is a ForecastSet or its ``frame()``: series, period, mean, lower, upper.
    A series named "chat / Billing" belongs to the channel "chat" for events and
    deflection that name channels. Rows keep the order they are given in.
    """
    frame = forecasts.long if isinstance(forecasts, ForecastSet) else forecasts
    missing = {"series", "period", *BOUNDS} - set(frame.columns)
    if missing:
        raise PlannerError(
            f"The forecast table lacks the column(s) {', '.join(sorted(missing))}; pass a "
            "ForecastSet or its frame()."
        )
    periods = pd.DatetimeIndex(sorted(frame["period"].unique()))
    if periods.empty:
        return Demand(_with_base(frame), _effects_table([]))
    days, owner = _days_of(periods)
    channel = channel_of(frame)
    where = periods.get_indexer(frame["period"])
    values = {b: frame[b].to_numpy(dtype=float) for b in BOUNDS}
    deflected = {b: np.zeros(len(frame)) for b in BOUNDS}
    returned = {b: np.zeros(len(frame)) for b in BOUNDS}
    effects: list[dict] = []
    notes: list[str] = []

    def step(name: str, kind: str, factors: dict[str, np.ndarray], rows: np.ndarray) -> None:
        before = values["mean"].sum()
        for bound in BOUNDS:
            changed = np.where(rows, values[bound] * factors[bound][where], values[bound])
            if kind == "deflection":
                deflected[bound] += values[bound] - changed
            values[bound] = changed
        effects.append(
            {"adjustment": name, "kind": kind, "contacts": values["mean"].sum() - before}
        )

    everyone = np.ones(len(frame), dtype=bool)
    days_ahead = (days - days[0]).astype(float)
    growth = _per_period(growth_factor(days_ahead, settings), owner, len(periods))
    if not np.allclose(growth, 1.0):
        step(_growth_name(settings), "growth", dict.fromkeys(BOUNDS, growth), everyone)
    for event in settings.events:
        inside = (days >= np.datetime64(event.start)) & (
            days < np.datetime64(event.start + dt.timedelta(weeks=event.weeks))
        )
        share = _per_period(inside.astype(float), owner, len(periods))
        middle = (event.low_change + event.high_change) / 2
        factors = {
            "mean": 1 + middle * share,
            "lower": 1 + event.low_change * share,
            "upper": 1 + event.high_change * share,
        }
        rows = channel.isin(event.channels).to_numpy() if event.channels else everyone
        _note_unknown(event.channels, channel, f"The event '{event.name}'", notes)
        step(event.name, "event", factors, rows)
    for deflection in settings.deflection:
        removed = deflection.share * _adoption(days, deflection.start, deflection.ramp_months)
        factor = _per_period(1 - removed, owner, len(periods))
        rows = (channel == deflection.channel).to_numpy()
        _note_unknown([deflection.channel], channel, "AI deflection", notes)
        name = f"AI deflection of {deflection.share:.0%} of {deflection.channel}"
        before = {b: deflected[b].copy() for b in BOUNDS}
        step(name, "deflection", dict.fromkeys(BOUNDS, factor), rows)
        if deflection.recontact_share > 0:
            back = deflection.recontact_channel or deflection.channel
            _note_unknown([back], channel, "The re-contacts", notes)
            target = (channel == back).to_numpy()
            added = {}
            for bound in BOUNDS:
                removed = deflected[bound] - before[bound]
                per_period = np.bincount(where, removed, len(periods)) * deflection.recontact_share
                weight = np.where(target, values[bound], 0.0)
                total = np.bincount(where, weight, len(periods))
                count = np.bincount(where, target.astype(float), len(periods))
                share = np.where(
                    total[where] > 0,
                    weight / np.where(total[where] > 0, total[where], 1),
                    target / np.maximum(count[where], 1),
                )
                returned[bound] += per_period[where] * share
                added[bound] = values[bound] + per_period[where] * share
            before_mean = values["mean"].sum()
            values.update(added)
            effects.append(
                {
                    "adjustment": f"Re-contacts: {deflection.recontact_share:.0%} come back "
                    f"to {back}",
                    "kind": "recontact",
                    "contacts": values["mean"].sum() - before_mean,
                }
            )
    unresolved = unresolved_change(settings)
    if unresolved != 1.0 and settings.repeat_share > 0:
        factor = 1 - settings.repeat_share + settings.repeat_share * unresolved
        step(f"First-contact resolution {settings.fcr_change * 100:+.0f} points: repeat "
             "contacts", "fcr", dict.fromkeys(BOUNDS, np.full(len(periods), factor)),
             everyone)  # fmt: skip
    adjusted = frame.assign(**values)
    return Demand(_with_base(adjusted, frame, deflected, returned), _effects_table(effects), notes)


def unresolved_change(settings: DemandSettings) -> float:
    """How the unresolved contacts scale when first-contact resolution rises by
    ``fcr_change`` points: k = (1 - FCR - change) / (1 - FCR). Repeat contacts (a share r
    of the contacts) become r x k of them, so every channel's contacts x (1 - r + r x k);
    escalations from Tier 1 x k (``tiers``). 1.0 with no change.

    Example:
    >>> round(unresolved_change(DemandSettings(first_contact_resolution=0.7, fcr_change=0.05)), 4)
    0.8333
    """
    if settings.fcr_change == 0:
        return 1.0
    unresolved = 1 - settings.first_contact_resolution
    return max(unresolved - settings.fcr_change, 0.0) / unresolved


def frequency_of(periods: np.ndarray) -> str:
    """D, W or M from the smallest step between sorted ``periods`` (days when there is
    one period).

    Example:
    >>> frequency_of(np.array(["2027-01-04", "2027-01-11"], dtype="datetime64[D]"))
    'W'
    """
    if len(periods) < 2:
        return "D"
    step = np.diff(periods).min()
    if step <= np.timedelta64(1, "D"):
        return "D"
    return "W" if step <= np.timedelta64(7, "D") else "M"


def channel_of(frame: pd.DataFrame) -> pd.Series:
    """The channel of each row: the frame's ``channel`` column (a ForecastSet's tables
    carry it), else the series name split once per name ("chat / Billing" -> "chat")."""
    if "channel" in frame:
        return frame["channel"].astype(object)
    codes, names = pd.factorize(frame["series"])
    channels = np.array([str(name).split(" / ")[0] for name in names], dtype=object)
    return pd.Series(channels[codes], index=frame.index)


def growth_factor(days_ahead: np.ndarray, settings: DemandSettings) -> np.ndarray:
    """The growth factor of each day ``days_ahead`` days after the forecast's first (the
    module notes give both drivers' formulas).

    Example:
    >>> growth_factor(np.array([0, 365]), DemandSettings(growth_per_year=0.10)).tolist()
    [1.0, 1.1]
    """
    years = days_ahead / DAYS_PER_YEAR
    if settings.growth_driver == "trend":
        return (1 + settings.growth_per_year) ** years
    now, later = settings.customers_now, settings.customers_in_a_year
    customers = np.clip(now + (later - now) * years, 0, None)
    return customers / now * (1 + settings.contacts_per_customer_change) ** years


def _growth_name(settings: DemandSettings) -> str:
    if settings.growth_driver == "trend":
        return f"Growth of {settings.growth_per_year:+.0%} a year"
    return (
        f"Customers {settings.customers_now:,} to {settings.customers_in_a_year:,} in a year, "
        f"contacts per customer {settings.contacts_per_customer_change:+.0%} a year"
    )


def harder_mix(days: np.ndarray, deflections: list[Deflection], channel: str) -> np.ndarray:
    """The handle-time factor of ``channel`` on each of ``days``: the contacts an assistant
    leaves are the harder ones, so AHT(day) = AHT x prod over the channel's deflections of
    (1 + aht_uplift x adoption(day)); adoption is 0 before go-live and ramps linearly
    to 1 over ``ramp_months`` (the same adoption that removes the contacts).

    Example:
    >>> bot = Deflection(channel="chat", start=dt.date(2027, 1, 16), ramp_months=0, aht_uplift=0.2)
    >>> days = np.array(["2027-01-15", "2027-01-16"], dtype="datetime64[D]")
    >>> harder_mix(days, [bot], "chat").round(3).tolist()  # from go-live, 20% longer
    [1.0, 1.2]
    """
    factor = np.ones(len(days))
    for deflection in deflections:
        if deflection.channel == channel and deflection.aht_uplift:
            adoption = _adoption(days, deflection.start, deflection.ramp_months)
            factor *= 1 + deflection.aht_uplift * adoption
    return factor


def _adoption(days: np.ndarray, start: dt.date, ramp_months: int) -> np.ndarray:
    """0 before go-live, then a linear ramp to 1 over ``ramp_months`` calendar months."""
    go_live = np.datetime64(start)
    full = np.datetime64((pd.Timestamp(start) + pd.DateOffset(months=ramp_months)).date())
    if full == go_live:
        return (days >= go_live).astype(float)
    ramp = (days - go_live) / (full - go_live)
    return np.clip(ramp, 0.0, 1.0) * (days >= go_live)


def _days_of(periods: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
    """Every day the periods cover, and the position of the period each day belongs to.

    A period runs to the next period's start; the last one is as long as the one before
    it (a month for monthly periods), a single day when there is only one.
    """
    step = None
    if len(periods) > 2:
        with pd.option_context("future.infer_freq_returns_offset", True):
            step = pd.infer_freq(periods)
    if step is None:
        step = periods[-1] - periods[-2] if len(periods) > 1 else pd.Timedelta(days=1)
    last_end = periods[-1] + step
    ends = periods[1:].append(pd.DatetimeIndex([last_end]))
    lengths = np.maximum((ends - periods).days.to_numpy(), 1)
    owner = np.repeat(np.arange(len(periods)), lengths)
    offsets = np.arange(len(owner)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    days = periods.normalize().to_numpy()[owner] + offsets.astype("timedelta64[D]")
    return days.astype("datetime64[D]"), owner


def _per_period(daily: np.ndarray, owner: np.ndarray, count: int) -> np.ndarray:
    """The mean of a daily factor over each period's days."""
    return np.bincount(owner, weights=daily, minlength=count) / np.bincount(owner, minlength=count)


def _note_unknown(named: list[str], channel: pd.Series, what: str, notes: list[str]) -> None:
    unknown = sorted(set(named) - set(channel))
    if unknown:
        known = ", ".join(sorted(set(channel)))
        notes.append(
            f"{what} names {', '.join(unknown)}, which the forecast does not have "
            f"(it has {known}); it changes nothing there. Check the channel name."
        )


def _with_base(
    adjusted: pd.DataFrame,
    base: pd.DataFrame | None = None,
    deflected: dict[str, np.ndarray] | None = None,
    returned: dict[str, np.ndarray] | None = None,
) -> pd.DataFrame:
    base = adjusted if base is None else base
    extra = {f"base_{b}": base[b].to_numpy(dtype=float) for b in BOUNDS}
    for b in BOUNDS:
        extra[f"deflected_{b}"] = deflected[b] if deflected else np.zeros(len(adjusted))
        extra[f"recontact_{b}"] = returned[b] if returned else np.zeros(len(adjusted))
    return adjusted[["series", "period", *BOUNDS]].assign(**extra)


def _effects_table(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["adjustment", "kind", "contacts"])
