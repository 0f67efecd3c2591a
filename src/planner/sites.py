"""Sites: who answers each interval of a queue when the team works from several places.

A site (``scenario.service.sites``) works its own hours in its own time zone and answers
the queues it serves (channels and tiers; all when it names none) in the languages it
names (all when it names none; a channel split by language is one queue per language,
``ServiceSettings.languages``). An interval of the plan (local time in the plan's zone)
is converted to each site's local time; the sites open then share the queue's contacts
by their weights w:

    share_s(t) = w_s x open_s(t) / sum over the sites serving the queue of w x open(t)

The sites answer one virtual queue: the agents an interval needs are worked out on all
its contacts (pooled, as a router spreading one queue over sites does) and each site
takes its share of them. With ``service.routing`` "cheapest" only the cheapest open
site (``handled_hour_cost``) takes an interval's contacts. A site with a holiday country
is closed on that country's public holidays (its own local date). An interval of the
queue's own hours that no site covers is served like a closed one (unserved, or at the
next opening, as the channel's settings ask). A vendor site takes its share of the
contacts out of the in-house queue (live work in the interval it arrives, deferred work
where it is worked, at the next opening) and bills them (``budget``); the in-house sites
share the agents the rest need, each grossed up by its own shrinkage when it has one.
Follow the sun is the week's coverage by site (``coverage``). A time the plan's zone
skips (the spring-forward hour) is read as the hour after; a time it repeats, as
standard time.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

import numpy as np
import pandas as pd

from planner.forecast.calendar import on_public_holiday
from planner.scenario import HoursOfOperation, Scenario, ServiceSettings, Site

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
OPENING = {"time_zone", "hours", "holiday_country"}  # what says when a site works
# when each site works at a channel's intervals, by the site's opening, the plan's zone
# and the intervals (a digest): a what-if that moves weights or prices reuses it
_OPEN: OrderedDict[tuple, np.ndarray] = OrderedDict()
_LOCK = threading.Lock()


def routed(
    sites: list[Site],
    queue: str,
    starts: np.ndarray,
    plan_zone: str,
    cost: np.ndarray | None = None,
    language: str | None = None,
) -> np.ndarray:
    """Each interval's share of ``queue``'s contacts (in ``language``, for a channel split
    by language) at each of ``sites`` (intervals x sites, 0 for a site that does not
    serve them); a row sums to 1 where a site serving them is open, else to 0. ``starts``:
    the intervals' local starts in ``plan_zone`` (naive). With ``cost`` (each site's cost
    of a handled hour, ``handled_hour_cost``), only the cheapest of the sites open take
    the contacts (sites as cheap share them by weight)."""
    weights = np.zeros((len(starts), len(sites)))
    if not len(starts):
        return weights
    instants = None
    when = hashlib.blake2b(np.ascontiguousarray(starts).view(np.uint8), digest_size=16).digest()
    for at, site in enumerate(sites):
        if not site.answers(queue, language):
            continue
        key = (site.model_dump_json(include=OPENING), plan_zone, when)
        with _LOCK:
            works = _OPEN.pop(key, None)
        if works is None:
            if instants is None:
                instants = _instants(starts, plan_zone)
            works = _works(site, instants, holidays=True)
        with _LOCK:
            _OPEN[key] = works
            while len(_OPEN) > 64:
                _OPEN.popitem(last=False)
        weights[:, at] = site.share * works
    if cost is not None:
        priced = np.where(weights > 0, cost[None, :], np.inf)
        cheapest = priced.min(axis=1, keepdims=True)
        weights = np.where(priced <= cheapest * (1 + 1e-9), weights, 0.0)
    total = weights.sum(axis=1, keepdims=True)
    return np.divide(weights, total, out=np.zeros_like(weights), where=total > 0)


def handled_hour_cost(scenario: Scenario, aht_seconds: float) -> np.ndarray:
    """What an hour of handled work costs at each site of the scenario, in the plan's
    currency, to rank them for cheapest routing:

    - a vendor site: its price per handled hour x its exchange rate, or its price per
      contact x rate x 3600 / AHT;
    - an in-house site: its pay per paid hour (``cost_per_hour`` x rate, else the
      scenario's agent pay / (paid hours a week x 52)) x loaded-cost factor / (1 - its
      shrinkage) / the occupancy target (an hour on queue is not all handling).

    A ranking, not the budget: the budget prices the people the plan hires and the bills
    the vendors send (``planner.budget``)."""
    costs, workforce = scenario.costs, scenario.workforce
    base_hour = costs.agent_base_pay / (workforce.hours_per_fte_per_week * 52)
    ranks = []
    for site in scenario.service.sites:
        if site.price_per_hour is not None:
            ranks.append(site.price_per_hour * site.exchange_rate)
        elif site.price_per_contact is not None:
            ranks.append(site.price_per_contact * site.exchange_rate * 3600 / aht_seconds)
        else:
            hour = (
                site.cost_per_hour * site.exchange_rate
                if site.cost_per_hour is not None
                else base_hour
            )
            ranks.append(
                hour * costs.loaded_cost_factor / (1 - shrinkage_at(site, scenario))
                / workforce.occupancy_target
            )  # fmt: skip
    return np.array(ranks, dtype=float)


def shrinkage_at(site: Site, scenario: Scenario) -> float:
    """The shrinkage on top of the shifts at an in-house ``site``: its own, else the
    plan's (``WorkforceSettings.scheduled_shrinkage``)."""
    if site.shrinkage is not None:
        return site.shrinkage
    return scenario.workforce.scheduled_shrinkage


def _instants(starts: np.ndarray, plan_zone: str) -> pd.DatetimeIndex:
    """Naive local starts in ``plan_zone`` as instants (see the module notes for the hours
    summer time skips or repeats)."""
    return pd.DatetimeIndex(starts).tz_localize(
        plan_zone, ambiguous=np.zeros(len(starts), dtype=bool), nonexistent="shift_forward"
    )


def _works(site: Site, instants: pd.DatetimeIndex, holidays: bool) -> np.ndarray:
    """Whether ``site`` works at each of ``instants``: in its hours, its local time, and
    (with ``holidays``) not on a public holiday of its country."""
    local = instants.tz_convert(site.time_zone)
    minute = (local.hour * 60 + local.minute).to_numpy()
    works = site.hours.covers(local.day_of_week.to_numpy(), minute)
    if holidays and site.holiday_country:
        day = local.tz_localize(None).normalize()
        works &= ~on_public_holiday(day, site.holiday_country.upper())
    return works


def coverage(sites: list[Site], plan_zone: str, week_of: pd.Timestamp) -> pd.DataFrame:
    """Follow the sun: site, weekday (0 = Monday), day, hour (the plan's local time) and
    open, for every hour of the week starting on the Monday of ``week_of`` (time zones
    move with summer time: the week chosen says which offsets hold), in the sites'
    regular hours (a public holiday a site closes on is left out of the picture)."""
    monday = pd.Timestamp(week_of).normalize() - pd.Timedelta(days=pd.Timestamp(week_of).weekday())
    instants = _instants(pd.date_range(monday, periods=7 * 24, freq="h").to_numpy(), plan_zone)
    rows = [
        pd.DataFrame(
            {
                "site": site.name,
                "weekday": np.arange(7 * 24) // 24,
                "hour": np.arange(7 * 24) % 24,
                "open": _works(site, instants, holidays=False),
            }
        )
        for site in sites
    ]
    columns = ["site", "weekday", "day", "hour", "open"]
    if not rows:
        return pd.DataFrame(columns=columns)
    table = pd.concat(rows, ignore_index=True)
    table["day"] = table["weekday"].map(dict(enumerate(DAYS)))
    return table[columns]


def uncovered_by_queue(service: ServiceSettings, plan_zone: str, week_of: object) -> dict:
    """Each queue the plan staffs (channels or their language queues, then tiers) ->
    ``uncovered_hours`` of its own hours in the week of ``week_of``."""
    found = {}
    for queue, settings in service.queues().items():
        channel, language = service.language_of(queue)
        found[queue] = uncovered_hours(
            service.sites, channel, language, settings.hours, plan_zone, week_of
        )
    return found


def uncovered_hours(
    sites: list[Site],
    queue: str,
    language: str | None,
    hours: HoursOfOperation,
    plan_zone: str,
    week_of: object,
) -> int:
    """Hours of the week starting on the Monday of ``week_of`` (a date) that are in
    ``queue``'s own ``hours`` (the plan's time) and that no site serving it (in
    ``language``, None for a queue not split by language) covers."""
    table = coverage([s for s in sites if s.answers(queue, language)], plan_zone, week_of)
    weekday = np.arange(7 * 24) // 24
    wanted = hours.covers(weekday, (np.arange(7 * 24) % 24) * 60)
    covered = np.zeros(7 * 24, dtype=bool)
    if len(table):
        covered = table.groupby(["weekday", "hour"])["open"].any().to_numpy()
    return int((wanted & ~covered).sum())
