"""Staffing requirements: how many agents each channel needs, per interval and per period.

From the demand (daily contacts per channel with their P10/P50/P90 range), each day is split
into intervals by the channel's weekday x interval shape in the history, then (formulas and
sources in shared/DOMAIN.md):

- **Live channels** (``erlang``, phone): each interval on its own (the stationary independent
  period-by-period approximation; Green, Kolesar & Whitt 2007), the smallest whole number of
  agents meeting the service level (and the occupancy cap) by Erlang C, or by Erlang A when
  the channel has a patience (``planner.queueing.agents_for_target``).
- **Chat** (``concurrent``): the same with the *concurrent* handle time, session AHT divided
  by concurrency; the volume is never divided.
- **Deferred work** (``deferred``, email and web forms): contacts queue until the channel is
  open and must be answered within ``response_hours`` business hours, oldest first. Working
  in each open interval at the average workload of the last R business hours of arrivals
  (a trailing mean over R) answers every contact within R: by the end of interval t it has
  done all work that arrived up to t - R + 1. Net agents = that workload (Erlangs) /
  occupancy target. The days before the plan are taken to look like its first (and the
  contacts of its last night wait for its first morning), so no work is lost at the edges.
- **Hours of operation**: no agents outside them. Live contacts that arrive outside them are
  not staffed (a note says how many); deferred ones wait for the next opening.
- **From agents to FTE**: net (on-queue) FTE of a period = agent hours / paid hours per FTE in
  the period (hours per week x days / 7); for deferred work this is workload hours /
  (paid hours x occupancy target) as in DOMAIN.md, for live channels Erlang's agents already
  hold the idle time. Gross (scheduled) FTE = net / (1 - shrinkage); with sites, each
  in-house site's agent hours by its own shrinkage (``planner.sites``).

Each of ``lower``, ``mean`` and ``upper`` demand gives its own agents, so every figure comes
as a range.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from planner.demand import channel_of, frequency_of, harder_mix
from planner.errors import PlannerError
from planner.queueing import abandonment, agents_for_target, asa, occupancy, service_level
from planner.recent import digest
from planner.scenario import ChannelService, HoursOfOperation, Scenario, ServiceSettings
from planner.schedules import WeekSchedule, solve_week
from planner.sites import handled_hour_cost, routed, shrinkage_at
from planner.volume import VolumeHistory

BOUNDS = ("lower", "mean", "upper")
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
PERIODS = ("D", "W", "M")


@dataclass(frozen=True)
class Requirements:
    """Agents needed per channel and interval, and their sums as FTE per period.

    ``per_channel`` holds each channel's intervals as arrays (see ``intervals``).
    ``daily``: channel, day, and per bound ``calls_*``, ``workload_hours_*`` (contacts x AHT),
    ``agent_hours_*`` (agents x interval length) and ``scheduled_hours_*`` (agent hours /
    the channel's scheduling efficiency: the paid hours of shifts that cover them).
    ``schedules``: per channel, each month's typical week covered by shifts
    (``planner.schedules``), solved on the expected demand's agents; its efficiency scales
    the month's days at every bound.
    ``shrinkage`` is what comes on top of the scheduled hours.
    """

    per_channel: dict[str, dict[str, np.ndarray]]
    daily: pd.DataFrame
    interval_minutes: int
    hours_per_fte_per_week: float
    shrinkage: float
    notes: tuple[str, ...]
    site_shrinkage: dict[str, float] = field(default_factory=dict)
    schedules: dict[str, dict[np.datetime64, WeekSchedule]] = field(
        default_factory=dict, repr=False
    )
    made_from: dict[str, tuple] = field(default_factory=dict, repr=False)
    # (made of, days by channel, notes, each channel's days' digest)
    plan_days: tuple = field(default=(), repr=False)

    @property
    def channels(self) -> list[str]:
        return list(self.per_channel)

    @cached_property
    def intervals(self) -> pd.DataFrame:
        """channel, interval (local start), open, weekday, minute, and per bound (lower,
        mean, upper) ``calls_*``, ``agents_*`` (net agents on queue) and ``gross_agents_*``
        (scheduled: net / (1 - shrinkage))."""
        table = _stack(list(self.per_channel.values()), self.channels)
        for b in BOUNDS:
            table[f"gross_agents_{b}"] = table[f"agents_{b}"] / (1 - self.shrinkage)
        return table

    def fte(self, freq: str = "M", by_channel: bool = True) -> pd.DataFrame:
        """Net and gross FTE per period ``freq`` (D, W weeks from Monday, M), per channel or
        summed over channels.

        net FTE = agent hours / (hours per FTE per week x days in the period / 7) (on
        queue, as if shifts fitted the intervals exactly); gross FTE = scheduled hours (the
        paid hours of the shifts) / the same paid hours per FTE / (1 - shrinkage). Columns:
        [channel,] period, days, and per bound ``calls_*``, ``workload_hours_*``,
        ``agent_hours_*``, ``scheduled_hours_*``, ``net_fte_*``, ``gross_fte_*``.
        """
        if freq not in PERIODS:
            raise PlannerError(f"'{freq}' is not a period; use D, W or M.")
        if (freq, by_channel) not in self._fte:
            self._fte[freq, by_channel] = self._sum_fte(freq, by_channel)
        return self._fte[freq, by_channel].copy()

    @cached_property
    def _fte(self) -> dict:
        return {}

    def _sum_fte(self, freq: str, by_channel: bool) -> pd.DataFrame:
        daily = self.daily
        day = daily["day"].to_numpy().astype("datetime64[D]")
        period = _period_start(day, freq)
        codes = (
            daily["channel"].cat.codes.to_numpy().astype(np.int64)
            if by_channel
            else np.zeros(len(day), np.int64)
        )
        periods, at = np.unique(period, return_inverse=True)
        groups, row = np.unique(codes * len(periods) + at.ravel(), return_inverse=True)
        row = row.ravel()
        table = {}
        if by_channel:
            table["channel"] = pd.Categorical.from_codes(groups // len(periods), self.channels)
        table["period"] = periods[groups % len(periods)].astype("datetime64[ns]")
        days = day.astype(np.int64) - (day.min().astype(np.int64) if len(day) else 0)
        span = int(days.max()) + 1 if len(days) else 1
        distinct = np.unique(row * span + days)
        table["days"] = np.bincount(distinct // span, minlength=len(groups))
        paid = self.hours_per_fte_per_week * table["days"] / 7
        for what in ("calls", "workload_hours", "agent_hours", "scheduled_hours"):
            for b in BOUNDS:
                column = daily[f"{what}_{b}"].to_numpy(dtype=float)
                table[f"{what}_{b}"] = np.bincount(row, weights=column, minlength=len(groups))
        for b in BOUNDS:
            table[f"net_fte_{b}"] = table[f"agent_hours_{b}"] / paid
            scheduled = daily[f"scheduled_hours_{b}"].to_numpy(dtype=float)
            table[f"gross_fte_{b}"] = (
                np.bincount(row, weights=scheduled * self._grossed(b), minlength=len(groups)) / paid
            )
        return pd.DataFrame(table)

    def _grossed(self, bound: str) -> np.ndarray | float:
        """Each day's gross-up for shrinkage, 1 / (1 - shrinkage): the plan's, or (sites
        with a shrinkage of their own) the days' agent hours each grossed up by their site's
        shrinkage / their agent hours."""
        plain = 1 / (1 - self.shrinkage)
        if f"shrunk_hours_{bound}" not in self.daily:
            return plain
        shrunk = self.daily[f"shrunk_hours_{bound}"].to_numpy(dtype=float)
        agent = self.daily[f"agent_hours_{bound}"].to_numpy(dtype=float)
        return np.divide(shrunk, agent, out=np.full_like(agent, plain), where=agent > 0)

    def fte_by_site(self, freq: str = "M") -> pd.DataFrame:
        """Per site (``sites``) and period: agent hours on queue, scheduled hours (each
        channel's day at its own scheduling efficiency), net and gross FTE (in-house sites)
        and the contacts and handle hours a vendor site takes, for each bound; empty
        without sites."""
        if ("site", freq) not in self._fte:
            self._fte["site", freq] = self._sum_sites(freq)
        return self._fte["site", freq].copy()

    def _sum_sites(self, freq: str) -> pd.DataFrame:
        sites = sorted({c.split(":", 1)[1] for c in self.daily.columns
                        if c.startswith("site_agent_hours_mean:")})  # fmt: skip
        columns = ["site", "period"] + [
            f"{what}_{b}" for what in ("agent_hours", "scheduled_hours", "net_fte", "gross_fte",
                                       "contacts", "handle_hours")
            for b in BOUNDS
        ]  # fmt: skip
        if not sites:
            return pd.DataFrame(columns=columns)
        daily = self.daily
        day = daily["day"].to_numpy().astype("datetime64[D]")
        periods, at = np.unique(_period_start(day, freq), return_inverse=True)
        days = np.array([np.unique(day[at == i]).size for i in range(len(periods))])
        paid = self.hours_per_fte_per_week * days / 7
        rows = []
        for site in sites:
            table = {"site": site, "period": periods.astype("datetime64[ns]")}
            for b in BOUNDS:
                hours = daily[f"site_agent_hours_{b}:{site}"].to_numpy(float)
                agent = daily[f"agent_hours_{b}"].to_numpy(float)
                scheduled = daily[f"scheduled_hours_{b}"].to_numpy(float)
                fit = np.divide(scheduled, agent, out=np.ones_like(agent), where=agent > 0)
                table[f"agent_hours_{b}"] = np.bincount(at, hours, len(periods))
                table[f"scheduled_hours_{b}"] = np.bincount(at, hours * fit, len(periods))
                table[f"net_fte_{b}"] = table[f"agent_hours_{b}"] / paid
                table[f"gross_fte_{b}"] = (
                    table[f"scheduled_hours_{b}"]
                    / paid
                    / (1 - self.site_shrinkage.get(site, self.shrinkage))
                )
                for what in ("contacts", "handle_hours"):
                    taken = daily[f"site_{what}_{b}:{site}"].to_numpy(float)
                    table[f"{what}_{b}"] = np.bincount(at, taken, len(periods))
            rows.append(pd.DataFrame(table))
        return pd.concat(rows, ignore_index=True)[columns]

    def site_summary(self, bound: str = "mean") -> pd.DataFrame:
        """site, net and gross (average monthly FTE), peak (the month needing the most
        gross FTE) at demand ``bound``, from ``fte_by_site``; empty without sites."""
        months = self.fte_by_site("M")
        return months.groupby("site", as_index=False).agg(
            net=(f"net_fte_{bound}", "mean"),
            gross=(f"gross_fte_{bound}", "mean"),
            peak=(f"gross_fte_{bound}", "max"),
        )

    def takeaway(self, level: int = 80) -> str:
        """One sentence: the month needing the most people, its range, and its biggest
        channel."""
        months = self.fte("M", by_channel=False)
        peak = months.loc[months["gross_fte_mean"].idxmax()]
        channels = self.fte("M")
        in_peak = channels[channels["period"] == peak["period"]]
        top = in_peak.loc[in_peak["gross_fte_mean"].idxmax()]
        return (
            f"{peak['period']:%B %Y} needs the most people: {peak['gross_fte_mean']:.1f} gross "
            f"FTE scheduled ({peak['net_fte_mean']:.1f} net on queue), between "
            f"{peak['gross_fte_lower']:.1f} and {peak['gross_fte_upper']:.1f} in the {level}% "
            f"range of demand; {top['channel']} takes {top['gross_fte_mean']:.1f} of them."
        )

    def typical_week(self, channel: str) -> pd.DataFrame:
        """Average calls and agents per weekday x interval over the plan, for one channel:
        weekday, minute, time (text), open, aht_seconds, ``calls_*``, ``agents_*``."""
        if channel not in self.per_channel:
            raise PlannerError(f"There is no staffing for '{channel}'; pick one of the channels.")
        arrays = self.per_channel[channel]
        slots = 24 * 60 // self.interval_minutes
        cell, count = _week_cells(arrays, self.interval_minutes)
        seen = count > 0
        week = pd.DataFrame(
            {
                "weekday": np.arange(7 * slots)[seen] // slots,
                "minute": np.arange(7 * slots)[seen] % slots * self.interval_minutes,
            }
        )
        names = [f"{what}_{b}" for what in ("calls", "agents") for b in BOUNDS]
        for name in [*names, "open", "aht_seconds"]:
            total = np.bincount(cell, weights=arrays[name].astype(float), minlength=7 * slots)
            week[name] = total[seen] / count[seen]
        week["open"] = week["open"] > 0
        week["day"] = [WEEKDAY_NAMES[d] for d in week["weekday"]]
        week["time"] = [f"{m // 60:02d}:{m % 60:02d}" for m in week["minute"]]
        return week

    def unserved_by_month(self, bound: str = "mean") -> pd.DataFrame:
        """Live contacts arriving while their channel is closed, per month and channel:
        month, channel, outside_hours (none for deferred work, which waits for the next
        opening, unless it has none: then all of it; none for a channel whose settings staff
        them at the next opening). Worked out
        once per bound (every plan on this staffing asks for them)."""
        if bound not in self._unserved:
            self._unserved[bound] = self._unserved_by_month(bound)
        return self._unserved[bound]

    @cached_property
    def _unserved(self) -> dict[str, pd.DataFrame]:
        return {}

    def _unserved_by_month(self, bound: str) -> pd.DataFrame:
        rows = []
        for channel, arrays in self.per_channel.items():
            closed = ~arrays["open"]
            settings = self.made_from[channel][0][0] if channel in self.made_from else None
            if settings is not None and settings.model == "deferred" and arrays["open"].any():
                closed = np.zeros_like(closed)  # it waits for the next opening
            # intervals run day by day, so sum each day first and group the days by month
            slots = 24 * 60 // self.interval_minutes
            per_day = (arrays[f"calls_{bound}"] * closed).reshape(-1, slots).sum(axis=1)
            month = arrays["interval"][::slots].astype("datetime64[M]")
            months, at = np.unique(month, return_inverse=True)
            counted = np.bincount(at.ravel(), per_day, len(months))
            table = {"month": months.astype("datetime64[ns]"), "channel": channel}
            rows.append(pd.DataFrame(table | {"outside_hours": counted}))
        columns = ["month", "channel", "outside_hours"]
        return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame(columns=columns)

    def scheduling(self) -> pd.DataFrame:
        """channel, month, interval_hours and paid_hours (a typical week of the month),
        efficiency (interval / paid hours), status of the solve."""
        rows = [
            {
                "channel": channel,
                "month": pd.Timestamp(month),
                "interval_hours": week.interval_hours,
                "paid_hours": week.paid_hours,
                "efficiency": week.efficiency,
                "status": week.status,
            }
            for channel, weeks in self.schedules.items()
            for month, week in weeks.items()
        ]
        columns = ["channel", "month", "interval_hours", "paid_hours", "efficiency", "status"]
        return pd.DataFrame(rows, columns=columns)

    def scheduling_loss(self, agent_month_cost: float, bound: str = "mean") -> pd.DataFrame:
        """What shifts add to the interval hours each month, for demand ``bound``: month,
        agent_hours, scheduled_hours, efficiency (agent / scheduled hours), extra_gross_fte
        (gross FTE of the difference) and cost (extra_gross_fte x ``agent_month_cost``, a
        loaded agent month)."""
        months = self.fte("M", by_channel=False)
        paid = self.hours_per_fte_per_week * months["days"] / 7
        extra = (
            (months[f"scheduled_hours_{bound}"] - months[f"agent_hours_{bound}"])
            / paid
            / (1 - self.shrinkage)
        )
        return pd.DataFrame(
            {
                "month": months["period"],
                "agent_hours": months[f"agent_hours_{bound}"],
                "scheduled_hours": months[f"scheduled_hours_{bound}"],
                "efficiency": months[f"agent_hours_{bound}"]
                / months[f"scheduled_hours_{bound}"].where(lambda v: v > 0),
                "extra_gross_fte": extra,
                "cost": extra * agent_month_cost,
            }
        )

    def outside_hours(self) -> pd.DataFrame:
        """Live contacts that arrive while their channel is closed, over the plan: channel,
        hours (in words), contacts (expected), of (all the channel's contacts) and share.
        Nobody is staffed for them; they are shown, never silently dropped. Deferred work
        is left out: it waits for the next opening and is answered then."""
        rows = []
        for channel, arrays in self.per_channel.items():
            settings = self.made_from[channel][0][0] if channel in self.made_from else None
            if settings is None or settings.model == "deferred":
                continue
            calls = arrays["calls_mean"]
            closed = float(calls[~arrays["open"]].sum())
            total = float(calls.sum())
            rows.append(
                {
                    "channel": channel,
                    "hours": describe_hours(settings.hours),
                    "contacts": closed,
                    "of": total,
                    "share": closed / total if total else 0.0,
                }
            )
        return pd.DataFrame(rows, columns=["channel", "hours", "contacts", "of", "share"])

    def peak(self, channel: str, bound: str = "mean") -> pd.Series:
        """The typical-week interval needing the most agents (ties: the most calls)."""
        week = self.typical_week(channel)
        return week.sort_values([f"agents_{bound}", f"calls_{bound}"]).iloc[-1]


def requirements(
    demand: pd.DataFrame,
    history: VolumeHistory,
    scenario: Scenario,
    reuse: Requirements | None = None,
) -> Requirements:
    """Agents per channel and interval over the plan (``scenario.start_month`` to its end).

    ``demand`` is a demand or forecast frame (series, period, mean, lower, upper) with one
    series per channel or per "channel / queue" (summed to channels), in days, weeks or
    months (weeks and months are spread over their days by the weekday mix in ``history``).
    A channel split by language (``ServiceSettings.languages``) is staffed as one queue per
    language, its share of the channel's contacts each, with no pooling across them.
    ``history`` gives each channel's weekday x interval shape. ``reuse`` is staffing made
    before: a channel with the same days of demand, intraday shape and settings is taken
    from it as it is (the result is the same), so a change to one channel's demand or
    settings staffs that channel alone.
    """
    service, workforce = scenario.service, scenario.workforce
    minutes = service.interval_minutes
    made_of = ((scenario.start_month, scenario.end_month), digest(demand),
               history.fingerprint)  # fmt: skip
    if reuse is not None and reuse.plan_days and reuse.plan_days[0] == made_of:
        _, by_channel, notes, digests = reuse.plan_days
        notes = list(notes)
    else:
        days, notes = _plan_days(demand, history, scenario)
        by_channel = dict(tuple(days.groupby("channel", sort=True)))
        digests = {channel: digest(frame) for channel, frame in by_channel.items()}
    plan_days = (made_of, by_channel, tuple(notes), digests)
    by_channel, digests = _by_language(by_channel, digests, service)
    intervals, daily, staffed, made_from, schedules = [], [], [], {}, {}
    queues = service.queues()
    for channel, frame in by_channel.items():
        settings = queues.get(channel)
        if settings is None:
            notes.append(
                f"'{channel}' has no service target, so it is not staffed; add it in the "
                "service targets."
            )
            continue
        parent, language = service.language_of(channel)
        # what this channel's agents depend on (deferred work: the occupancy target;
        # live channels: the occupancy cap), of the sites: those that answer it, and the
        # names and shrinkage of all (the columns each day has)
        mix = tuple(d for d in scenario.demand.deflection if d.channel == parent)
        answering = [site.model_dump(include=ROUTED) for site in service.sites
                     if site.answers(parent, language)]  # fmt: skip
        layout = (tuple(site.name for site in service.sites),
                  any(site.shrinkage is not None for site in service.sites))  # fmt: skip
        if settings.model == "deferred":
            inputs = (settings, workforce.occupancy_target, minutes, mix)
        else:
            inputs = (settings, service.max_occupancy, minutes, mix)
        inputs += (workforce.shifts, digests[channel], history.profile_fingerprint, answering,
                   layout, scenario.time_zone, workforce.scheduled_shrinkage)  # fmt: skip
        if service.routing == "cheapest" and service.sites:
            inputs += (tuple(handled_hour_cost(scenario, settings.aht_seconds)),)
        if reuse is not None and reuse.made_from.get(channel, (None,))[0] == inputs:
            _, per_interval, per_day, note, weeks = reuse.made_from[channel]
        else:
            shares = history.intraday_shares(parent, minutes).to_numpy(dtype=float)
            per_interval, per_day, note = _channel(frame, shares, settings, scenario)
            weeks = _schedules(per_interval, per_day, minutes, settings, workforce)
        made_from[channel] = (inputs, per_interval, per_day, note, weeks)
        schedules[channel] = weeks
        intervals.append(per_interval)
        daily.append(per_day)
        staffed.append(channel)
        notes.extend(note)
    if not staffed:
        raise PlannerError(
            "No channel in the forecast has a service target; set targets for "
            + ", ".join(sorted(by_channel))
            + "."
        )
    return Requirements(
        per_channel=dict(zip(staffed, intervals, strict=True)),
        daily=_stack(daily, staffed),
        interval_minutes=minutes,
        hours_per_fte_per_week=workforce.hours_per_fte_per_week,
        shrinkage=workforce.scheduled_shrinkage,
        notes=tuple(notes),
        site_shrinkage={
            site.name: shrinkage_at(site, scenario) for site in service.sites if not site.vendor
        },
        schedules=schedules,
        made_from=made_from,
        plan_days=plan_days,
    )


# what of a site moves a channel's agents and each site's hours (its prices and pay move
# them only through cheapest routing, whose ranking is part of the inputs then)
ROUTED = {"name", "time_zone", "hours", "serves", "languages", "share", "holiday_country",
          "vendor", "shrinkage"}  # fmt: skip


def _by_language(
    by_channel: dict[str, pd.DataFrame], digests: dict[str, str], service: ServiceSettings
) -> tuple[dict[str, pd.DataFrame], dict[str, object]]:
    """The days of each queue staffing plans: a channel split by language
    (``ServiceSettings.languages``) becomes one queue per language, its days' demand x the
    language's share (``LanguageShare.queue``); the others stay as they are."""
    splits = service.split_shares()
    if not splits:
        return by_channel, digests
    frames, keys = {}, {}
    for channel, frame in by_channel.items():
        if channel not in splits:
            frames[channel], keys[channel] = frame, digests[channel]
            continue
        for share in splits[channel]:
            frames[share.queue] = frame.assign(
                channel=share.queue, **{b: frame[b].to_numpy(float) * share.share for b in BOUNDS}
            )
            keys[share.queue] = (digests[channel], share.share)
    return frames, keys


def _channel(
    frame: pd.DataFrame, shares: np.ndarray, settings: ChannelService, scenario: Scenario
) -> tuple[dict, dict, list[str]]:
    """One channel's intervals and days as columns of arrays, and its notes."""
    minutes = scenario.service.interval_minutes
    day = frame["day"].to_numpy(dtype="datetime64[ns]")
    weekday_of_day = pd.DatetimeIndex(day).day_of_week.to_numpy()
    weights = shares[weekday_of_day]  # days x intervals
    slots = shares.shape[1]
    calls = np.stack(
        [(frame[b].to_numpy(dtype=float)[:, None] * weights).ravel() for b in BOUNDS], 1
    )
    arrived = calls[:, 1].sum() or 1.0  # what the notes count against
    weekday = np.repeat(weekday_of_day, slots)
    minute = np.tile(np.arange(slots) * minutes, len(day))
    is_open = own_hours = settings.hours.covers(weekday, minute)
    name = frame["channel"].iloc[0]
    parent, language = scenario.service.language_of(name)
    start = day[:, None] + (np.arange(slots) * minutes).astype("timedelta64[m]")
    sites = scenario.service.sites
    cost = None
    if sites and scenario.service.routing == "cheapest":
        cost = handled_hour_cost(scenario, settings.aht_seconds)
    at_site = (
        routed(sites, parent, start.ravel(), scenario.time_zone, cost, language) if sites else None
    )
    uncovered = 0.0
    if at_site is not None:  # an interval no site covers is served like a closed one
        gap = is_open & (at_site.sum(axis=1) == 0)
        uncovered = calls[gap, 1].sum()
        is_open = is_open & ~gap
    moved = 0.0
    if settings.model != "deferred" and settings.outside_hours == "next_opening":
        moved = calls[~is_open, 1].sum()
        calls = _to_next_opening(calls, is_open, minutes)
    to_vendors = np.zeros((len(calls), len(sites), len(BOUNDS)))
    if at_site is not None and any(site.vendor for site in sites):
        calls, to_vendors = _vendor_sites(calls, at_site, is_open, sites, settings)
    aht_of_day = settings.aht_seconds * harder_mix(day, scenario.demand.deflection, parent)
    aht = np.repeat(aht_of_day, slots)
    agents = _agents(calls, aht, is_open, settings, scenario, minutes)
    notes = []
    if moved > 0.005 * arrived:
        notes.append(
            f"{moved / arrived:.1%} of {name} contacts ({moved:,.0f} over the plan) "
            f"arrive outside its hours ({describe_hours(settings.hours)}); they are staffed "
            "in the first hour after it opens, as the channel's settings ask."
        )
    closed = calls[~own_hours, 1].sum()
    if settings.model != "deferred" and closed > 0.005 * arrived:
        notes.append(
            f"{closed / arrived:.1%} of {frame['channel'].iloc[0]} contacts "
            f"({closed:,.0f} over the plan) arrive outside its hours "
            f"({describe_hours(settings.hours)}) and are not staffed: they are counted as "
            "unserved. Widen the hours, or staff them at the next opening (the channel's "
            "'Contacts while closed')."
        )
    if settings.model == "deferred" and own_hours.any() and not is_open.any():
        notes.append(
            f"No site that serves {name} is open in any of its hours: none of its "
            f"{arrived:,.0f} contacts over the plan is answered (they are counted as "
            "unserved). Let a site serve it, or widen a site's hours."
        )
    elif uncovered > 0.005 * arrived:
        notes.append(
            f"{uncovered / arrived:.1%} of {name} contacts ({uncovered:,.0f} over "
            "the plan) arrive in its hours while no site that serves it is open: they are "
            "served as if it were closed. Widen a site's hours, or let another site serve it."
        )
    per_interval = {
        "interval": start.ravel(),
        "open": is_open,
        "weekday": weekday,
        "minute": minute,
        "aht_seconds": aht,
    }
    per_day = {"day": day}
    in_house = np.zeros((len(calls), len(sites)))  # each in-house site's share of the agents
    if sites:
        in_house = at_site * ~np.array([site.vendor for site in sites])
        total = in_house.sum(axis=1, keepdims=True)
        in_house = np.divide(in_house, total, out=np.zeros_like(in_house), where=total > 0)
    for i, b in enumerate(BOUNDS):
        per_interval[f"calls_{b}"] = calls[:, i]
        per_interval[f"agents_{b}"] = agents[:, i]
        per_day[f"calls_{b}"] = calls[:, i].reshape(-1, slots).sum(axis=1)
        per_day[f"workload_hours_{b}"] = per_day[f"calls_{b}"] * aht_of_day / 3600
        per_day[f"agent_hours_{b}"] = agents[:, i].reshape(-1, slots).sum(axis=1) * minutes / 60
        shrunk = per_day[f"agent_hours_{b}"] / (1 - scenario.workforce.scheduled_shrinkage)
        for at, site in enumerate(sites):
            hours = (agents[:, i] * in_house[:, at]).reshape(-1, slots).sum(axis=1) * minutes / 60
            taken = to_vendors[:, at, i].reshape(-1, slots).sum(axis=1)
            per_day[f"site_agent_hours_{b}:{site.name}"] = hours
            per_day[f"site_contacts_{b}:{site.name}"] = taken
            per_day[f"site_handle_hours_{b}:{site.name}"] = taken * aht_of_day / 3600
            if not site.vendor:
                shrunk += hours * (
                    1 / (1 - shrinkage_at(site, scenario))
                    - 1 / (1 - scenario.workforce.scheduled_shrinkage)
                )
        if any(site.shrinkage is not None for site in sites):
            per_day[f"shrunk_hours_{b}"] = shrunk
    return per_interval, per_day, notes


def _vendor_sites(
    calls: np.ndarray, at_site: np.ndarray, is_open: np.ndarray, sites: list, settings
) -> tuple[np.ndarray, np.ndarray]:
    """The contacts the in-house team answers, and those each vendor site takes
    (intervals x sites x bounds): each vendor site its routed share of the contacts where
    they are answered (live work in its own interval, a closed interval's contacts being
    unserved; deferred work at the next opening, where it is worked)."""
    vendor = np.array([site.vendor for site in sites])
    if settings.model == "deferred":
        opened = np.flatnonzero(is_open)
        served = np.searchsorted(opened, np.arange(len(is_open)))
        served = opened[np.where(served == len(opened), 0, served)] if len(opened) else served
        route = at_site[np.minimum(served, len(at_site) - 1)]
    else:
        route = at_site * is_open[:, None]
    route = route * vendor
    taken = calls[:, None, :] * route[:, :, None]
    return calls * (1 - route.sum(axis=1))[:, None], taken


def _schedules(
    per_interval: dict, per_day: dict, minutes: int, settings: ChannelService, workforce
) -> dict[np.datetime64, WeekSchedule]:
    """Each month's typical week (its average expected agents per weekday and interval,
    over the days anyone works) covered by shifts; adds ``scheduled_hours_*`` to
    ``per_day``: a day's agent hours / its month's scheduling efficiency.

    A day nobody works (a public holiday, a closure, a site's day off) is left out of
    its weekday's average: its agent hours are already none, and the shifts are those of
    a working week, with that day off. Averaged in, it would make the typical week one
    that no week is (a Friday needing three quarters of the agents), which is both
    scheduled less efficiently than the weeks that are worked and a far harder
    programme (a round-the-clock line with one holiday in the month ran past the
    solver's time limit, 8-21% from the optimum)."""
    month = per_interval["interval"].astype("datetime64[M]")
    months = np.unique(month)
    slots = 24 * 60 // minutes
    agents = per_interval["agents_mean"]
    worked = np.repeat(agents.reshape(-1, slots).sum(axis=1) > 0, slots)

    def solve(first: np.datetime64) -> WeekSchedule:
        inside = (month == first) & worked
        part = {k: per_interval[k][inside] for k in ("weekday", "minute", "agents_mean")}
        return solve_week(
            _week_of(part, minutes, "agents_mean"),
            minutes,
            workforce.shifts,
            by_day=settings.model == "deferred",
        )

    with ThreadPoolExecutor(max_workers=min(len(months), os.cpu_count() or 1) or 1) as pool:
        weeks = dict(zip(months, pool.map(solve, months), strict=True))
    efficiency = np.array([weeks[m].efficiency for m in months])
    of_day = efficiency[np.searchsorted(months, per_day["day"].astype("datetime64[M]"))]
    for b in BOUNDS:
        per_day[f"scheduled_hours_{b}"] = per_day[f"agent_hours_{b}"] / of_day
    return weeks


def _week_cells(arrays: dict, minutes: int) -> tuple[np.ndarray, np.ndarray]:
    """Each interval's place in the week (weekday x intervals a day + interval of the day)
    and how many intervals of the plan fall on each place."""
    slots = 24 * 60 // minutes
    cell = arrays["weekday"] * slots + arrays["minute"] // minutes
    return cell, np.bincount(cell, minlength=7 * slots)


def _week_of(arrays: dict, minutes: int, name: str) -> np.ndarray:
    """The plan's average of column ``name`` for each interval of the week (Monday 00:00
    first; 0 where the plan has no such interval)."""
    cell, count = _week_cells(arrays, minutes)
    total = np.bincount(cell, weights=arrays[name].astype(float), minlength=len(count))
    return np.divide(total, count, out=np.zeros(len(count)), where=count > 0)


def _stack(parts: list[dict], channels: list[str]) -> pd.DataFrame:
    """One frame from per-channel columns, with the channel as a category."""
    lengths = [len(next(iter(part.values()))) for part in parts]
    codes = np.repeat(np.arange(len(channels)), lengths)
    columns = {"channel": pd.Categorical.from_codes(codes, channels)}
    for name in parts[0]:
        columns[name] = np.concatenate([part[name] for part in parts])
    return pd.DataFrame(columns)


def _period_start(day: np.ndarray, freq: str) -> np.ndarray:
    """The first day of each day's period: itself, its Monday, or the 1st of its month."""
    if freq == "W":
        return day - ((day.astype(np.int64) + 3) % 7)  # 1970-01-01 was a Thursday
    if freq == "M":
        return day.astype("datetime64[M]").astype("datetime64[D]")
    return day


def describe_hours(hours: HoursOfOperation) -> str:
    """'08:00-20:00, Mon-Fri' in words a planner reads.

    Example:
    >>> from planner.scenario import HoursOfOperation
    >>> describe_hours(HoursOfOperation(open_hour=8, close_hour=20, weekdays=[0, 1, 2, 3, 4]))
    '08:00-20:00, Mon-Fri'
    """
    days = sorted(hours.weekdays)
    if days == list(range(days[0], days[-1] + 1)) and len(days) > 2:
        named = f"{WEEKDAY_NAMES[days[0]]}-{WEEKDAY_NAMES[days[-1]]}"
    else:
        named = ", ".join(WEEKDAY_NAMES[d] for d in days)
    return f"{hours.open_hour:02d}:00-{hours.close_hour:02d}:00, {named}"


def cost_per_agent_year(base_pay: float, loaded_cost_factor: float, shrinkage: float) -> float:
    """What keeping one more agent on queue costs a year: one net agent takes 1 / (1 - s)
    scheduled people, each at base pay x loaded-cost factor (DOMAIN.md, Money: loaded cost
    is 1.3-1.6 x base pay).

    Example:
    >>> cost_per_agent_year(50_000, 1.35, 0.25)  # 50,000 x 1.35 / 0.75
    90000.0
    """
    return base_pay * loaded_cost_factor / (1 - shrinkage)


def cliff(
    settings: ChannelService,
    calls: float,
    interval_minutes: int,
    *,
    max_occupancy: float | None,
    cost_per_agent_year: float,
    around: int = 3,
) -> pd.DataFrame:
    """The staffing cliff of one interval: service level, ASA, occupancy (and abandonment
    with a patience) for the needed N agents and N - ``around`` .. N + ``around``. The
    service level is within the channel's answer time (20 s when it has an ASA target only).

    Near the target one agent is worth 5-15 service-level points (DOMAIN.md: 130 Erlangs,
    3 min, 20 s: 131 agents 19.8%, 137 agents 80.0%). ``extra_cost_per_year`` is what the
    agents above (or saved below) N cost a year: keeping one more agent on queue at this
    time takes one more scheduled person all year, at ``cost_per_agent_year``.
    """
    if settings.model == "deferred":
        raise PlannerError("Deferred work (email, web forms) has no answer-time cliff.")
    seconds = interval_minutes * 60
    aht = settings.aht_seconds / settings.concurrency
    needed = int(
        agents_for_target(
            calls,
            aht,
            seconds,
            service_level=settings.service_level,
            answer_seconds=settings.answer_seconds,
            asa_seconds=settings.asa_seconds,
            max_occupancy=max_occupancy,
            **_abandonment_targets(settings),
        )
    )
    agents = np.arange(max(needed - around, 1), needed + around + 1)
    patience = settings.patience_seconds
    answer = settings.answer_seconds if settings.answer_seconds is not None else 20.0
    short = settings.short_abandon_seconds
    table = pd.DataFrame(
        {
            "agents": agents,
            "service_level": service_level(agents, calls, aht, seconds, answer, patience, short),
            "asa_seconds": asa(agents, calls, aht, seconds, patience),
            "occupancy": occupancy(agents, calls, aht, seconds, patience),
        }
    )
    if patience is not None:
        table["abandonment"] = abandonment(agents, calls, aht, seconds, patience)
    table["gain_points"] = table["service_level"].diff() * 100
    table["extra_cost_per_year"] = (agents - needed) * cost_per_agent_year
    table["needed"] = agents == needed
    return table


def _plan_days(
    demand: pd.DataFrame, history: VolumeHistory, scenario: Scenario
) -> tuple[pd.DataFrame, list[str]]:
    """Daily demand per channel inside the plan: channel, day, lower, mean, upper."""
    missing = {"series", "period", *BOUNDS} - set(demand.columns)
    if missing:
        raise PlannerError(
            "The demand needs the columns series, period, mean, lower and upper; missing "
            + ", ".join(sorted(missing))
            + "."
        )
    channel = channel_of(demand)
    frame = pd.DataFrame(
        {
            "channel": channel.to_numpy(),
            "period": pd.to_datetime(demand["period"]).to_numpy(),
            **{b: demand[b].to_numpy(dtype=float) for b in BOUNDS},
        }
    )
    if channel.nunique() < demand["series"].nunique():  # queues: add up to their channels
        frame = frame.groupby(["channel", "period"], as_index=False)[list(BOUNDS)].sum()
    frame = _spread_to_days(frame, history)
    first, end = pd.Timestamp(scenario.start_month), pd.Timestamp(scenario.end_month)
    notes = []
    last_day = frame["day"].max()
    if frame["day"].min() > first or last_day < first:
        raise PlannerError(
            f"The forecast covers {frame['day'].min():%d %b %Y} to {last_day:%d %b %Y}, "
            f"not the plan's start ({first:%d %b %Y}); forecast up to the plan's end."
        )
    if last_day < end - pd.Timedelta(days=1):
        notes.append(
            f"The forecast ends on {last_day:%d %b %Y}, before the plan ends "
            f"({end - pd.Timedelta(days=1):%d %b %Y}); staffing stops there. Forecast "
            "further to plan the whole period."
        )
    inside = frame[(frame["day"] >= first) & (frame["day"] < end)]
    return inside.reset_index(drop=True), notes


def _spread_to_days(frame: pd.DataFrame, history: VolumeHistory) -> pd.DataFrame:
    """Days as they are; weeks and months spread over their days by the channel's weekday
    mix in the history (each day's share = its weekday's weight / the period's total)."""
    frequency = frequency_of(np.unique(frame["period"].to_numpy()))
    if frequency == "D":
        return frame.rename(columns={"period": "day"})
    monthly = frequency == "M"
    ends = (
        frame["period"] + pd.offsets.MonthBegin(1)
        if monthly
        else frame["period"] + pd.Timedelta(7, "D")
    )
    lengths = ((ends - frame["period"]).dt.days).to_numpy()
    rows = np.repeat(np.arange(len(frame)), lengths)
    offsets = np.arange(len(rows)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    days = frame["period"].to_numpy()[rows] + pd.to_timedelta(offsets, unit="D").to_numpy()
    weekday = pd.DatetimeIndex(days).day_of_week.to_numpy()
    profile = history.profile.groupby(["channel", "weekday"])["tickets"].sum()
    weight = np.ones(len(rows))
    for channel in frame["channel"].unique():
        mix = profile.get(channel)
        if mix is None or mix.sum() == 0:
            continue
        per_weekday = mix.reindex(range(7), fill_value=0).to_numpy(dtype=float)
        of_channel = frame["channel"].to_numpy()[rows] == channel
        weight[of_channel] = per_weekday[weekday[of_channel]]
    totals = np.bincount(rows, weights=weight, minlength=len(frame))
    share = np.divide(weight, totals[rows], out=1 / lengths[rows], where=totals[rows] > 0)
    spread = {"channel": frame["channel"].to_numpy()[rows], "day": days}
    for b in BOUNDS:
        spread[b] = frame[b].to_numpy(dtype=float)[rows] * share
    return pd.DataFrame(spread)


def _agents(
    calls: np.ndarray,
    aht: np.ndarray,
    is_open: np.ndarray,
    settings: ChannelService,
    scenario: Scenario,
    minutes: int,
) -> np.ndarray:
    """Net agents per interval (rows) and bound (columns), each interval at its own AHT
    (``aht``: seconds); zero while closed."""
    agents = np.zeros_like(calls)
    if not is_open.any():
        return agents
    if settings.model == "deferred":
        agents[is_open] = deferred_agents(
            calls * aht[:, None], is_open, settings, minutes, scenario.workforce.occupancy_target
        )
        return agents
    agents[is_open] = agents_for_target(
        calls[is_open],
        aht[is_open, None] / settings.concurrency,
        minutes * 60,
        service_level=settings.service_level,
        answer_seconds=settings.answer_seconds,
        asa_seconds=settings.asa_seconds,
        max_occupancy=scenario.service.max_occupancy,
        **_abandonment_targets(settings),
    )
    return agents


def _abandonment_targets(settings: ChannelService) -> dict:
    """With a patience: Erlang A with the channel's abandonment cap and its definition of
    the service level; without one, Erlang C."""
    if settings.patience_seconds is None:
        return {}
    return {
        "patience_seconds": settings.patience_seconds,
        "max_abandonment": settings.max_abandonment,
        "short_abandon_seconds": settings.short_abandon_seconds,
    }


def _to_next_opening(calls: np.ndarray, is_open: np.ndarray, minutes: int) -> np.ndarray:
    """Contacts of the closed intervals moved to the first hour of the next opening (spread
    evenly over its first 60 minutes of open intervals; the plan's last night goes to its
    first opening); open intervals keep their own."""
    opened = np.flatnonzero(is_open)
    if not len(opened) or is_open.all():
        return calls
    closed = np.flatnonzero(~is_open)
    waits_for = np.searchsorted(opened, closed)
    waits_for[waits_for == len(opened)] = 0
    width = max(1, 60 // minutes)
    moved = calls.copy()
    moved[closed] = 0.0
    for step in range(width):
        target = opened[np.minimum(waits_for + step, len(opened) - 1)]
        np.add.at(moved, target, calls[closed] / width)
    return moved


def deferred_agents(
    work_seconds: np.ndarray,
    is_open: np.ndarray,
    settings: ChannelService,
    minutes: int,
    occupancy_target: float,
) -> np.ndarray:
    """Agents for deferred work in the open intervals: the trailing mean of the workload
    (``work_seconds``: contacts x AHT arriving per interval) of the last ``response_hours``
    business hours, divided by the occupancy target."""
    opened = np.flatnonzero(is_open)
    waits_for = np.searchsorted(opened, np.arange(len(work_seconds)))  # the next opening
    waits_for[waits_for == len(opened)] = 0  # the plan's last night stands for the one before
    queued = np.stack(
        [
            np.bincount(waits_for, weights=work_seconds[:, i], minlength=len(opened))
            for i in range(work_seconds.shape[1])
        ],
        1,
    )
    work = queued / (minutes * 60)  # Erlangs arriving per interval
    window = min(max(1, round(settings.response_hours * 60 / minutes)), len(opened))
    padded = np.concatenate([work[:window], work])
    total = np.concatenate([np.zeros((1, work.shape[1])), np.cumsum(padded, axis=0)])
    trailing = (total[window + 1 :] - total[1 : len(opened) + 1]) / window
    return trailing / occupancy_target
