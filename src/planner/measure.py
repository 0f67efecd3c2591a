"""What a ticket history says about the plan's inputs, so an upload plans with its own numbers.

``measure(history, base)`` reads, per channel: the handle time (the mean, which Erlang needs,
with the median beside it; impossible values left out and counted), the open days and hours
of live channels (from the weekday x hour profile), the channel mix, and the weekly and
yearly pattern. Each row names the setting it fills, the default it replaces and how many
tickets it rests on. ``apply`` makes the measured values the scenario's, marked as measured,
except those the user typed and those asked to keep their default.

Rules, each stated where it is used:
- a handle time needs ``MIN_TICKETS`` tickets with one (zero, negative and above 8 hours are
  impossible for one contact: ``volume.MAX_HANDLE_MINUTES``);
- a weekday with less than ``CLOSED_DAY_SHARE`` of a channel's week is closed;
- a live channel's hours are the shortest window of whole hours holding ``HOURS_COVERAGE`` of
  its contacts on open days; deferred work (email, web forms) keeps its business hours,
  since customers writing at night does not mean the team works at night.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.scenario import (
    AHT_SECONDS,
    ChannelService,
    HoursOfOperation,
    LanguageShare,
    Scenario,
    Source,
    TierStep,
)
from planner.staffing import WEEKDAY_NAMES, describe_hours
from planner.volume import MAX_HANDLE_MINUTES, VolumeHistory

MIN_TICKETS = 30
MINOR_LANGUAGE = 0.05  # a language with less of a channel's tickets joins "Other"
MAX_LANGUAGES = 6  # the largest languages of a channel that get a queue of their own
MIN_PROFILE_TICKETS = 100
CLOSED_DAY_SHARE = 0.02
HOURS_COVERAGE = 0.995
LIVE_MODELS = ("erlang", "concurrent")
# A channel the scenario does not know yet is planned like its nearest default.
TEMPLATES = {"phone": "phone", "chat": "chat", "email": "email", "web_form": "web_form"}


@dataclass(frozen=True)
class Measurement:
    """One input the history can tell (``path`` is the setting it fills; empty for what
    is shown but not a setting, such as the yearly pattern)."""

    what: str
    path: str
    measured: object | None  # the value to plan with; None when the history cannot tell
    measured_text: str
    default: object | None
    default_text: str
    tickets: int
    note: str = ""

    @property
    def usable(self) -> bool:
        return bool(self.path) and self.measured is not None and self.measured != self.default

    @classmethod
    def unknown(
        cls, what: str, path: str, default: object, default_text: str, tickets: int, note: str
    ) -> Measurement:
        """What the history cannot tell (``note`` says why): the default stays."""
        return cls(what, path, None, "not measured", default, default_text, tickets, note)

    @classmethod
    def too_few(
        cls, what: str, path: str, default: object, default_text: str, tickets: int, verb: str
    ) -> Measurement:
        """``unknown`` because fewer than ``MIN_TICKETS`` tickets ``verb`` ("name a tier")."""
        note = f"only {tickets:,} tickets {verb} (at least {MIN_TICKETS} needed)"
        return cls.unknown(what, path, default, default_text, tickets, note)


@dataclass(frozen=True)
class Measurements:
    rows: tuple[Measurement, ...]

    def table(self) -> pd.DataFrame:
        """what, measured, default, tickets, note, path: one row per measurement."""
        return pd.DataFrame(
            [
                {
                    "what": m.what,
                    "measured": m.measured_text,
                    "default": m.default_text,
                    "tickets": m.tickets,
                    "note": m.note,
                    "path": m.path,
                }
                for m in self.rows
            ],
            columns=["what", "measured", "default", "tickets", "note", "path"],
        )

    def usable(self) -> list[Measurement]:
        """The measurements that would change a setting."""
        return [m for m in self.rows if m.usable]


def measure(history: VolumeHistory, base: Scenario) -> Measurements:
    """Everything ``history`` can tell about ``base``'s inputs (see the module notes)."""
    totals = history.counts.groupby("channel")["tickets"].sum().sort_values(ascending=False)
    rows = [_mix(totals, base)]
    channels = _channels(list(totals.index), base)
    for channel in totals.index:
        settings = channels[channel]
        rows.append(_handle_time(history, channel, settings))
        if settings.model in LIVE_MODELS:
            rows.append(_hours(history, channel, settings))
    rows.append(_escalation(history, base))
    rows.append(_languages(history, base, list(totals.index)))
    rows += [_weekly(history), _yearly(history)]
    return Measurements(tuple(rows))


def apply(base: Scenario, measurements: Measurements, keep_default: Iterable[str] = ()) -> Scenario:
    """``base`` with every usable measurement (not in ``keep_default`` and not typed by the
    user) as its value, marked as measured."""
    keep = set(keep_default)
    data = base.model_dump()
    sources: dict[str, Source] = {}
    for row in measurements.usable():
        if row.path in keep or base.source_of(row.path).kind == "typed":
            continue
        if row.path == "service.channels":
            data["service"]["channels"] = {
                name: settings.model_dump() for name, settings in row.measured.items()
            }
        elif not _set(data, row.path, row.measured):
            continue  # a channel the plan keeps out (its default kept)
        # The set of channels is an input of its own: its source must not claim the
        # settings of every channel below it.
        key = "channels" if row.path == "service.channels" else row.path
        sources[key] = Source(kind="measured", detail=_detail(row))
    if not sources:
        return base
    _on_known_channels(data)
    return Scenario.parse(data).with_sources(sources)


def _on_known_channels(data: dict) -> None:
    """Measured tiers escalate from the history's channels; one the plan keeps out (its
    default kept) is dropped from them, and a tier left with nothing to escalate from
    goes, with those above it. Languages of a channel the plan does not have go, and a
    site answers only languages some channel is still split into."""
    service = data["service"]
    service["languages"] = [s for s in service["languages"] if s["channel"] in service["channels"]]
    spoken = {s["language"] for s in service["languages"]}
    for site in service["sites"]:
        site["languages"] = [lang for lang in site["languages"] if lang in spoken]
    known = set(data["service"]["channels"])
    kept = []
    for tier in data["service"]["tiers"]:
        named = tier.get("escalates_from") or []
        sources = [name for name in named if name in known]
        if named and not sources:
            break
        kept.append(tier | {"escalates_from": sources})
        known.add(tier["name"])
    data["service"]["tiers"] = kept


def forget(scenario: Scenario) -> Scenario:
    """``scenario`` with every measured setting back at its default (what another history
    measured must not pass for a default of the next one); typed settings stay."""
    measured = [path for path, source in scenario.sources.items() if source.kind == "measured"]
    if not measured:
        return scenario
    defaults = Scenario().model_dump()
    current = scenario.model_dump()
    data = scenario.model_dump()
    if "channels" in measured:
        data["service"]["channels"] = defaults["service"]["channels"]
        for path, source in scenario.sources.items():
            if source.kind == "typed" and path.startswith("service.channels."):
                _set(data, path, _get(current, path))
    for path in measured:
        if path == "channels":
            continue
        default = _get(defaults, path)
        if default is None and path.startswith("service.channels."):
            channel = path.split(".")[2]
            template = TEMPLATES.get(channel, "email")
            default = _get(defaults, path.replace(f".{channel}.", f".{template}.", 1))
        if default is not None:
            _set(data, path, default)
    _on_known_channels(data)
    kept = {p: v for p, v in scenario.sources.items() if v.kind != "measured"}
    return Scenario.parse(data).model_copy(update={"sources": kept})


def _get(data: dict, path: str) -> object | None:
    for part in path.split("."):
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def choose(scenario: Scenario, row: Measurement, measured: bool) -> Scenario:
    """``scenario`` with ``row``'s setting at its measured value (marked measured) or back
    at the default it replaced (marked as it was before: default, or sample)."""
    if not row.usable:
        return scenario
    data = scenario.model_dump()
    value = row.measured if measured else row.default
    key = "channels" if row.path == "service.channels" else row.path
    if row.path == "service.channels":
        data["service"]["channels"] = {n: c.model_dump() for n, c in value.items()}
    elif not _set(data, row.path, value):
        return scenario
    _on_known_channels(data)
    chosen = Scenario.parse(data)
    sources = dict(chosen.sources)
    if measured:
        sources[key] = Source(kind="measured", detail=_detail(row))
    else:
        sources.pop(key, None)
    return chosen.model_copy(update={"sources": sources})


def _detail(row: Measurement) -> str:
    return f"{row.measured_text}, from {row.tickets:,} tickets"


def _set(data: dict, path: str, value: object) -> bool:
    """Put ``value`` at ``path`` in a scenario's data; False when its parent is missing."""
    *parents, leaf = path.split(".")
    for part in parents:
        if part not in data:
            return False
        data = data[part]
    if isinstance(value, list):
        value = [item.model_dump() if hasattr(item, "model_dump") else item for item in value]
    data[leaf] = value.model_dump() if hasattr(value, "model_dump") else value
    return True


def _channels(names: list[str], base: Scenario) -> dict[str, ChannelService]:
    """The service settings for the history's channels: the scenario's own where it has
    them, otherwise the default channel's nearest by name (deferred work for any other)."""
    defaults = Scenario().service.channels
    found = {}
    for name in names:
        if name in base.service.channels:
            found[name] = base.service.channels[name]
        else:
            found[name] = defaults[TEMPLATES.get(name, "email")]
    return found


def _mix(totals: pd.Series, base: Scenario) -> Measurement:
    """The channels the history has, with their shares: the channels the plan staffs."""
    total = max(int(totals.sum()), 1)
    shares = ", ".join(f"{name} {count / total:.0%}" for name, count in totals.items())
    channels = _channels(list(totals.index), base)
    planned = ", ".join(base.service.channels)
    extra = [n for n in totals.index if n not in base.service.channels]
    dropped = [n for n in base.service.channels if n not in totals.index]
    notes = []
    if extra:
        kinds = ", ".join(f"{n} as {channels[n].model} work" for n in extra)
        notes.append(f"new to the plan: {kinds} (set their targets on the Staffing page)")
    if dropped:
        notes.append(f"not in the history, so not planned: {', '.join(dropped)}")
    if list(totals.index) == ["all"]:
        notes.append(
            "the export has no channel column: every ticket is one channel, planned as "
            "deferred work; map the channel column to plan phone and chat by Erlang"
        )
    same = list(channels) == list(base.service.channels)
    return Measurement(
        "Channels and their mix",
        "service.channels",
        None if same else channels,
        shares,
        base.service.channels,
        planned,
        total,
        "; ".join(notes),
    )


def _handle_time(history: VolumeHistory, channel: str, settings: ChannelService) -> Measurement:
    """The mean handle time of the tickets that have a possible one (Erlang needs the
    mean), the median beside it, and what was left out."""
    path = f"service.channels.{channel}.aht_seconds"
    what = f"Handle time, {channel}"
    default = settings.aht_seconds
    default_text = f"{default:,.0f} s"
    stats = _handle_stats(history, channel)
    with_time, impossible, tickets = stats["with"], stats["impossible"], stats["tickets"]
    left_out = (
        f"; {impossible:,} impossible values left out (zero, negative or above "
        f"{MAX_HANDLE_MINUTES // 60} hours)"
        if impossible
        else ""
    )
    if with_time < MIN_TICKETS:
        reason = (
            "the export has no handle-time column"
            if with_time == 0 and impossible == 0
            else f"only {with_time:,} tickets have a handle time (at least {MIN_TICKETS} needed)"
        )
        return Measurement.unknown(what, path, default, default_text, 0, reason + left_out)
    mean = float(stats["mean"]) * 60
    median = float(stats["median"]) * 60
    lowest, highest = AHT_SECONDS
    share = with_time / max(tickets, 1)
    text = (
        f"{mean:,.0f} s = {mean / 60:,.1f} min (mean; median {median / 60:,.1f} min; "
        f"{share:.0%} of tickets have one)"
    )
    if not lowest <= mean <= highest:
        return Measurement(what, path, None, text, default, default_text, with_time,
                           f"outside the {lowest:.0f}-{highest:,.0f} s a plan accepts; the "
                           "default is kept" + left_out)  # fmt: skip
    return Measurement(what, path, round(mean), text, default, default_text, with_time,
                       left_out.removeprefix("; "))  # fmt: skip


ESCALATED_WORDS = ("escalat", "yes", "true")
NOT_ESCALATED_WORDS = ("no", "false", "none", "n")


def tier_level(label: object) -> int | None:
    """The tier a ticket's tier text names: its first number ("Tier 2", "L3", "T1"), 2 for
    an escalation flag ("escalated", "yes", "true"), 1 for "no"/"false"/"none"; None for
    text that names no tier.

    Example:
    >>> tier_level("Tier 2"), tier_level("L3 support"), tier_level("Billing")
    (2, 3, None)
    """
    text = str(label).strip().lower()
    digits = re.search(r"\d+", text)
    if digits:
        return max(int(digits.group()), 1)
    if text.startswith(ESCALATED_WORDS):
        return 2
    if text in NOT_ESCALATED_WORDS:
        return 1
    return None


def _escalation(history: VolumeHistory, base: Scenario) -> Measurement:
    """The tiers above Tier 1 and the share escalated to each, from the tier the export
    gives each ticket (the highest it reached): Tier 2's share = tickets at tier 2 or above
    / tickets with a known tier, over the channels that escalate any; tier k's = tickets at
    k or above / those at k - 1 or above, from tier k - 1. Delays, handle times and hours
    are the plan's own tiers' (by position), else the defaults: the export does not time
    an escalation."""
    what, path = "Escalation to tiers above Tier 1", "service.tiers"
    default = list(base.service.tiers)
    default_text = _tiers_text(default)
    table = history.tiers
    if table is None or table.empty:
        return Measurement.unknown(
            what, path, default, default_text, 0, "the export has no tier or escalation column"
        )
    level = table["tier"].map(tier_level)
    known = table[level.notna()].assign(level=level[level.notna()].astype(int))
    tickets = int(known["tickets"].sum())
    if tickets < MIN_TICKETS:
        return Measurement.too_few(what, path, default, default_text, tickets, "name a tier")
    by_channel = known.groupby(["channel", "level"])["tickets"].sum().unstack(fill_value=0)
    at_least = by_channel.loc[:, ::-1].cumsum(axis=1).loc[:, ::-1]  # tickets at level >= k
    top = int(by_channel.columns.max())
    escalating = [c for c in at_least.index if top >= 2 and at_least.loc[c, 2] > 0]
    if not escalating:
        return Measurement(what, path, [], "no escalations", default, default_text, tickets,
                           "every ticket with a tier stayed at Tier 1")  # fmt: skip
    steps = []
    for k in range(2, top + 1):
        if k == 2:
            share = at_least.loc[escalating, 2].sum() / at_least.loc[escalating, 1].sum()
            sources = sorted(escalating)
        else:
            share = at_least[k].sum() / at_least[k - 1].sum()
            sources = [steps[-1].name]
        if share <= 0:
            break
        kept = default[k - 2].model_dump() if len(default) >= k - 1 else {}
        steps.append(TierStep.model_validate(
            kept | {"name": f"Tier {k}", "escalates_from": sources, "share": round(share, 4)}
        ))  # fmt: skip
    per_channel = ", ".join(
        f"{c} {at_least.loc[c, 2] / at_least.loc[c, 1]:.1%}" for c in sorted(escalating)
    )
    note = f"escalated to Tier 2 by channel: {per_channel}"
    return Measurement(what, path, steps, _tiers_text(steps), default, default_text, tickets,
                       note)  # fmt: skip


def _languages(history: VolumeHistory, base: Scenario, channels: list[str]) -> Measurement:
    """Each channel's split by language, from the language the export gives each ticket
    (a locale such as "en-US" counts as its language, "en"): a language's share = its
    tickets / the channel's tickets with a language. A channel needs ``MIN_TICKETS`` of
    them, and is split only when its largest language has less than 1 - ``MINOR_LANGUAGE``
    of them; languages under ``MINOR_LANGUAGE`` each, or past the ``MAX_LANGUAGES`` largest,
    are one queue, "Other" (agents who answer them, with translation tools, are a choice
    the director makes: edit the split)."""
    what, path = "Languages (a queue each)", "service.languages"
    default = list(base.service.languages)
    default_text = _languages_text(default)
    table = history.languages
    if table is None or table.empty:
        return Measurement.unknown(
            what, path, default, default_text, 0, "the export has no language column"
        )
    table = table.assign(language=table["language"].map(language_name))
    table = table[table["channel"].isin(channels)]
    tickets = int(table["tickets"].sum())
    shares, notes = [], []
    for channel, rows in table.groupby("channel", sort=True):
        counts = rows.groupby("language")["tickets"].sum()  # in name order, so ties are too
        counts = counts.sort_values(ascending=False, kind="stable")
        total = int(counts.sum())
        if total < MIN_TICKETS:
            notes.append(f"{channel}: only {total:,} tickets name a language")
            continue
        share = counts / total
        if share.iloc[0] >= 1 - MINOR_LANGUAGE:
            notes.append(f"{channel}: {share.index[0]} {share.iloc[0]:.0%}, one queue")
            continue
        major = share[share >= MINOR_LANGUAGE].iloc[:MAX_LANGUAGES]
        split = dict(major.items())
        if len(major) < len(share):
            split["Other"] = split.get("Other", 0.0) + float(share.iloc[len(major) :].sum())
        split = {name: round(float(value), 4) for name, value in split.items()}
        largest = max(split, key=split.get)
        split[largest] = round(split[largest] + 1 - sum(split.values()), 4)  # rounding
        shares += [LanguageShare(channel=channel, language=name, share=value)
                   for name, value in split.items()]  # fmt: skip
    if tickets < MIN_TICKETS:
        return Measurement.too_few(what, path, default, default_text, tickets, "name a language")
    return Measurement(what, path, shares, _languages_text(shares), default, default_text,
                       tickets, "; ".join(notes))  # fmt: skip


LOCALE = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]{2,4})*$", re.IGNORECASE)


def language_name(text: object) -> str:
    """The language a ticket's language text names: a locale code's language, lower case
    ("en-US", "en_gb" -> "en"), else the text as written ("Spanish").

    Example:
    >>> language_name("es-MX"), language_name("pt_BR"), language_name("English")
    ('es', 'pt', 'English')
    """
    text = str(text).strip()
    found = LOCALE.match(text)
    return found.group(1).lower() if found else text


def _languages_text(shares: list[LanguageShare]) -> str:
    """'chat: en 70.0%, es 30.0%; phone: ...', or 'one queue per channel'."""
    if not shares:
        return "one queue per channel"
    by_channel: dict[str, list[str]] = {}
    for share in shares:
        by_channel.setdefault(share.channel, []).append(f"{share.language} {share.share:.1%}")
    return "; ".join(f"{channel}: {', '.join(parts)}" for channel, parts in by_channel.items())


def _tiers_text(tiers: list[TierStep]) -> str:
    """'Tier 2: 14.2% of phone, chat; Tier 3: 20.0% of Tier 2', or 'none'."""
    if not tiers:
        return "none"
    return "; ".join(
        f"{t.name}: {t.share:.1%} of {', '.join(t.escalates_from) or 'every channel'}"
        for t in tiers
    )


def _handle_stats(history: VolumeHistory, channel: str) -> dict:
    """tickets, with (a possible handle time), impossible, mean and median minutes."""
    if history.handle_by_channel is not None:
        rows = history.handle_by_channel[history.handle_by_channel["channel"] == channel]
        if not rows.empty:
            row = rows.iloc[0]
            return {
                "tickets": int(row["tickets"]),
                "with": int(row["with_handle_time"]),
                "impossible": int(row.get("impossible_handle_time", 0) or 0),
                "mean": row["mean_handle_minutes"],
                "median": row["median_handle_minutes"],
            }
    # Histories saved before per-channel statistics: a weighted mean of the queues, and
    # the median of the largest queue as the nearest figure.
    rows = history.handle_time[history.handle_time["channel"] == channel]
    counted = rows["with_handle_time"].fillna(0)
    weight = max(float(counted.sum()), 1.0)
    impossible = rows.get("impossible_handle_time", pd.Series(0, index=rows.index))
    return {
        "tickets": int(rows["tickets"].sum()),
        "with": int(counted.sum()),
        "impossible": int(impossible.fillna(0).sum()),
        "mean": float((rows["mean_handle_minutes"].fillna(0) * counted).sum() / weight),
        "median": float(rows.sort_values("with_handle_time")["median_handle_minutes"].iloc[-1])
        if len(rows)
        else np.nan,
    }


def open_days_and_hours(profile: pd.DataFrame) -> tuple[list[int], int, int, float]:
    """(open weekdays, opening hour, closing hour, share of contacts outside them) from a
    channel's weekday x hour profile (columns weekday, hour, tickets).

    A weekday is closed when it has less than ``CLOSED_DAY_SHARE`` of the week's contacts
    (stray tickets on a closed day: call-backs, tests). The hours are the shortest run of
    whole hours holding at least ``HOURS_COVERAGE`` of the open days' contacts (the
    earliest such run when several are as short); 22 hours or more become the whole day.
    """
    by_day = profile.groupby("weekday")["tickets"].sum().reindex(range(7), fill_value=0)
    total = float(by_day.sum())
    days = [int(d) for d in by_day.index if total and by_day[d] >= CLOSED_DAY_SHARE * total]
    on_open = profile[profile["weekday"].isin(days)]
    hours = on_open.groupby("hour")["tickets"].sum().reindex(range(24), fill_value=0)
    counts = hours.to_numpy(dtype=float)
    need = HOURS_COVERAGE * counts.sum()
    best = (0, 24)
    for length in range(1, 25):
        found = next(
            (s for s in range(0, 25 - length) if counts[s : s + length].sum() >= need), None
        )
        if found is not None:
            best = (found, found + length)
            break
    if best[1] - best[0] >= 22:
        best = (0, 24)
    inside = float(on_open[(on_open["hour"] >= best[0]) & (on_open["hour"] < best[1])]
                   ["tickets"].sum())  # fmt: skip
    outside = 1 - inside / total if total else 0.0
    return days, best[0], best[1], outside


def _hours(history: VolumeHistory, channel: str, settings: ChannelService) -> Measurement:
    path = f"service.channels.{channel}.hours"
    what = f"Open days and hours, {channel}"
    profile = history.profile[history.profile["channel"] == channel]
    tickets = int(profile["tickets"].sum())
    default_text = describe_hours(settings.hours)
    if tickets < MIN_PROFILE_TICKETS:
        return Measurement.unknown(
            what,
            path,
            settings.hours,
            default_text,
            tickets,
            f"only {tickets:,} tickets (at least {MIN_PROFILE_TICKETS} needed)",
        )
    days, opens, closes, outside = open_days_and_hours(profile)
    hours = HoursOfOperation(open_hour=opens, close_hour=closes, weekdays=days)
    closed = [WEEKDAY_NAMES[d] for d in range(7) if d not in days]
    note = (
        f"closed on {', '.join(closed)} (under {CLOSED_DAY_SHARE:.0%} of the week)"
        if closed
        else ""
    )
    if outside > 0:
        note += ("; " if note else "") + f"{outside:.1%} of contacts arrive outside these hours"
    return Measurement(what, path, hours, describe_hours(hours), settings.hours, default_text,
                       tickets, note)  # fmt: skip


def _weekly(history: VolumeHistory) -> Measurement:
    by_day = history.profile.groupby("weekday")["tickets"].sum().reindex(range(7), fill_value=0)
    total = max(int(by_day.sum()), 1)
    text = ", ".join(f"{WEEKDAY_NAMES[d]} {by_day[d] / total:.0%}" for d in range(7))
    return Measurement("Weekly pattern", "", None, text, None, "used by the forecast", total,
                       "each weekday's share of the week; the forecast and the intraday "
                       "staffing follow it")  # fmt: skip


def _yearly(history: VolumeHistory) -> Measurement:
    days = len(history.series())
    total = history.total_tickets
    if days >= 730:
        text = f"{days / 365.25:.1f} years of history: the yearly pattern is learnt"
        note = "the forecast repeats each season's level on top of the trend"
    elif days >= 365:
        text = f"{days / 365.25:.1f} years: one season seen once"
        note = "the yearly pattern rests on a single year; two years make it reliable"
    else:
        text = f"{days:,} days: too short for a yearly pattern"
        note = "the forecast assumes every month alike; upload at least a year, ideally two"
    return Measurement("Yearly pattern", "", None, text, None, "used by the forecast", total, note)


def starting_headcount(history: VolumeHistory, scenario: Scenario, days: int = 28) -> float:
    """A first guess at the people the recent volume keeps busy, to plan from when there
    is no roster: over the last ``days`` days of the history (DOMAIN.md, "From workload
    to people"),

        workload hours a week = sum over channels of contacts x AHT / 3600 x 7 / days
        net FTE = workload hours a week / (paid hours a week x occupancy target)
        gross FTE = net FTE / (1 - shrinkage)

    Live channels need more than their workload (Erlang's idle time), so this is a floor
    for them; channels the plan does not staff are left out.
    """
    table = history.table("channel")
    recent = table.tail(days).sum()
    span = max(min(days, len(table)), 1)
    channels = scenario.service.channels
    hours = sum(
        float(count) * channels[name].aht_seconds / 3600
        for name, count in recent.items()
        if name in channels
    )
    weekly = hours * 7 / span
    workforce = scenario.workforce
    net = weekly / (workforce.hours_per_fte_per_week * workforce.occupancy_target)
    return net / (1 - workforce.shrinkage.total)
