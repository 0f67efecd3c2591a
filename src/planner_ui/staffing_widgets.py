"""Widgets of the Staffing & capacity page: service targets per channel, the workforce
assumptions and the hiring plan. Each returns what was entered in the scenario's own units
(shares, seconds); validation stays with ``Scenario.parse``. Percentages show as 80 for 80%.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from planner.budget import short_money
from planner.plan import PlanResult
from planner.scenario import (
    ChannelService,
    HoursOfOperation,
    LanguageShare,
    Scenario,
    ServiceSettings,
    ShiftPatterns,
    Site,
    Source,
    TierStep,
    WorkforceSettings,
)
from planner.staffing import WEEKDAY_NAMES, Requirements
from planner_ui import say, state
from planner_ui.budget_widgets import cost_split
from planner_ui.editors import settle, steady_editor
from planner_ui.forecast_widgets import day, names_in, rows_of
from planner_ui.text import plain

MODELS = {
    "erlang": "Live: Erlang (phone)",
    "concurrent": "Live with concurrency (chat)",
    "deferred": "Deferred: answer within business hours (email, forms)",
}


def service_editor(
    service: ServiceSettings, channels: list[str], source_of: Callable[[str], Source]
) -> dict:
    """One tab a channel with its targets; returns the service settings as entered.
    ``source_of(path)`` says where a setting came from (measured handle times say so)."""
    entered = {}
    tabs = st.tabs(channels)
    for tab, channel in zip(tabs, channels, strict=True):
        current = service.channels.get(channel)
        with tab:
            entered[channel] = _channel_inputs(channel, current)
            if current is not None:
                _sources_caption(channel, source_of)
    left, right = st.columns(2)
    occupancy_cap = left.number_input(
        "Occupancy cap, live channels (%)",
        30.0,
        100.0,
        service.max_occupancy * 100,
        step=1.0,
        help=ServiceSettings.model_fields["max_occupancy"].description,
    )
    minutes = right.segmented_control(
        "Interval (minutes)",
        [15, 30, 60],
        default=service.interval_minutes,
        key="staffing-minutes",
        help=ServiceSettings.model_fields["interval_minutes"].description,
    )
    return {
        "channels": entered,
        "max_occupancy": occupancy_cap / 100,
        "interval_minutes": minutes or service.interval_minutes,
    }


WEEKDAYS, EVERY_DAY = [0, 1, 2, 3, 4], [0, 1, 2, 3, 4, 5, 6]


def tiers_editor(service: ServiceSettings) -> dict:
    """The tiers above Tier 1 as an editable table (shares and hours as people say them);
    returns ``{"tiers": [...]}`` as entered (blank cells take the defaults)."""
    fields = TierStep.model_fields
    hours = fields["hours"].default_factory()  # a new tier's hours
    table = pd.DataFrame(
        [
            {
                "name": tier.name,
                "escalates_from": ", ".join(tier.escalates_from),
                "share": tier.share * 100,
                "delay_hours": tier.delay_hours,
                "aht_seconds": tier.aht_seconds,
                "response_hours": tier.response_hours,
            }
            | _hours_cells(tier.hours)
            for tier in service.tiers
        ],
        columns=["name", "escalates_from", "share", "delay_hours", "aht_seconds",
                 "response_hours", "open_hour", "close_hour", "weekends"],
    )  # fmt: skip
    edited = steady_editor(
        "tiers-editor",
        table,
        service,
        {"tiers"},
        num_rows="dynamic",
        width="stretch",
        column_config={
            "name": st.column_config.TextColumn("Tier", help=fields["name"].description),
            "escalates_from": st.column_config.TextColumn(
                "Escalates from (channels or a tier; empty = every channel)",
                help=fields["escalates_from"].description,
            ),
            "share": st.column_config.NumberColumn(
                "Escalated (%)",
                min_value=0.0,
                max_value=100.0,
                format="%.1f",
                default=fields["share"].default * 100,
                help=fields["share"].description,
            ),
            "delay_hours": st.column_config.NumberColumn(
                "Delay (hours)",
                min_value=0.0,
                default=fields["delay_hours"].default,
                help=fields["delay_hours"].description,
            ),
            "aht_seconds": st.column_config.NumberColumn(
                "Handle time (seconds)",
                min_value=10.0,
                default=fields["aht_seconds"].default,
                help=fields["aht_seconds"].description,
            ),
            "response_hours": st.column_config.NumberColumn(
                "Answer within (business hours)",
                min_value=1.0,
                default=fields["response_hours"].default,
                help=fields["response_hours"].description,
            ),
            "open_hour": st.column_config.NumberColumn(
                "Opens", min_value=0, max_value=23, default=hours.open_hour
            ),
            "close_hour": st.column_config.NumberColumn(
                "Closes", min_value=1, max_value=24, default=hours.close_hour
            ),
            "weekends": st.column_config.CheckboxColumn(
                "Weekends too", default=sorted(hours.weekdays) == EVERY_DAY
            ),
        },
    )
    tiers = []
    for row in rows_of(edited):
        tier = {"name": (row["name"] or "").strip(), "hours": _hours_entered(row)}
        if row["escalates_from"]:
            tier["escalates_from"] = names_in(row["escalates_from"])
        if row["share"] is not None:
            tier["share"] = row["share"] / 100
        tiers.append(tier | _filled(row, ("delay_hours", "aht_seconds", "response_hours")))
    settle("tiers-editor", service, {"tiers"}, {"tiers": tiers})
    return {"tiers": tiers}


def languages_editor(service: ServiceSettings) -> dict:
    """The channels split by language as an editable table (channel, language, share in
    %); returns ``{"languages": [...]}`` as entered."""
    fields = LanguageShare.model_fields
    table = pd.DataFrame(
        [
            {"channel": share.channel, "language": share.language, "share": share.share * 100}
            for share in service.languages
        ],
        columns=["channel", "language", "share"],
    )
    edited = steady_editor(
        "languages-editor",
        table,
        service,
        {"languages"},
        num_rows="dynamic",
        width="stretch",
        column_config={
            "channel": st.column_config.SelectboxColumn(
                "Channel", options=list(service.channels), help=fields["channel"].description
            ),
            "language": st.column_config.TextColumn(
                "Language", help=fields["language"].description
            ),
            "share": st.column_config.NumberColumn(
                "Share of the channel (%)",
                min_value=0.1,
                max_value=100.0,
                format="%.1f",
                help=fields["share"].description,
            ),
        },
    )
    languages, partial = [], 0
    for row in rows_of(edited):
        if not row["channel"] or not (row["language"] or "").strip() or row["share"] is None:
            partial += 1  # a row being filled in: it counts once it is whole
            continue
        languages.append(
            {"channel": row["channel"], "language": row["language"].strip(),
             "share": row["share"] / 100}
        )  # fmt: skip
    if partial:
        st.caption("A row without its channel, language and share is left out until it has them.")
    settle("languages-editor", service, {"languages"}, {"languages": languages})
    return {"languages": languages}


def _hours_cells(hours: HoursOfOperation) -> dict:
    """Hours of operation as an editor's cells: opens, closes, weekends too."""
    return {
        "open_hour": hours.open_hour,
        "close_hour": hours.close_hour,
        "weekends": sorted(hours.weekdays) == EVERY_DAY,
    }


def _hours_entered(row: dict) -> dict:
    """The hours of operation an editor's row holds (``_hours_cells``); blank cells take
    the defaults."""
    hours = {"weekdays": EVERY_DAY if row["weekends"] else WEEKDAYS}
    return hours | {
        name: int(value) for name, value in _filled(row, ("open_hour", "close_hour")).items()
    }


def _filled(row: dict, names: tuple[str, ...]) -> dict:
    """The cells ``names`` of an editor's row that are not blank."""
    return {name: row[name] for name in names if row[name] is not None}


def sites_editor(service: ServiceSettings, zone: str) -> dict:
    """The sites as an editable table (a new row works in the plan's time zone ``zone``)
    and their mix (``site_mix``); returns ``{"sites": [...], "routing": ...}`` as entered
    (blank cells take the defaults)."""
    fields = Site.model_fields
    table = pd.DataFrame(
        [
            {
                "name": site.name,
                "time_zone": site.time_zone,
            }
            | _hours_cells(site.hours)
            | {
                "serves": ", ".join(site.serves),
                "languages": ", ".join(site.languages),
                "holiday_country": site.holiday_country,
                "vendor": site.vendor,
                "currency": site.currency,
                "exchange_rate": site.exchange_rate,
                "price_per_contact": site.price_per_contact,
                "price_per_hour": site.price_per_hour,
                "minimum_per_month": site.minimum_per_month,
                "cost_per_hour": site.cost_per_hour,
                "location": site.location,
                "shrinkage": None if site.shrinkage is None else site.shrinkage * 100,
            }
            for site in service.sites
        ],
        columns=["name", "time_zone", "open_hour", "close_hour", "weekends", "serves",
                 "languages", "holiday_country", "vendor", "currency", "exchange_rate",
                 "price_per_contact", "price_per_hour", "minimum_per_month", "cost_per_hour",
                 "location", "shrinkage"],
    )  # fmt: skip
    edited = steady_editor(
        "sites-editor",
        table,
        service,
        {"sites"},
        num_rows="dynamic",
        width="stretch",
        column_config={
            "name": st.column_config.TextColumn("Site", help=fields["name"].description),
            "time_zone": st.column_config.TextColumn(
                "Time zone", default=zone, help=fields["time_zone"].description
            ),
            "open_hour": st.column_config.NumberColumn(
                "Opens (local)", min_value=0, max_value=23, default=8
            ),
            "close_hour": st.column_config.NumberColumn(
                "Closes (local)", min_value=1, max_value=24, default=20
            ),
            "weekends": st.column_config.CheckboxColumn("Weekends too", default=False),
            "serves": st.column_config.TextColumn(
                "Serves (channels or tiers; empty = all)", help=fields["serves"].description
            ),
            "languages": st.column_config.TextColumn(
                "Languages (empty = all)", help=fields["languages"].description
            ),
            "holiday_country": st.column_config.TextColumn(
                "Closed on holidays of", max_chars=2, help=fields["holiday_country"].description
            ),
            "vendor": st.column_config.CheckboxColumn(
                "Vendor", default=False, help=fields["vendor"].description
            ),
            "currency": st.column_config.TextColumn(
                "Currency", max_chars=3, help=fields["currency"].description
            ),
            "exchange_rate": st.column_config.NumberColumn(
                "Rate to the plan's currency",
                min_value=0.0001,
                default=1.0,
                format="%.4f",
                help=fields["exchange_rate"].description,
            ),
            "price_per_contact": st.column_config.NumberColumn(
                "Price per contact", min_value=0.0, help=fields["price_per_contact"].description
            ),
            "price_per_hour": st.column_config.NumberColumn(
                "Price per handled hour", min_value=0.0, help=fields["price_per_hour"].description
            ),
            "minimum_per_month": st.column_config.NumberColumn(
                "Minimum a month", min_value=0.0, help=fields["minimum_per_month"].description
            ),
            "cost_per_hour": st.column_config.NumberColumn(
                "Pay an hour (in-house)", min_value=0.0, help=fields["cost_per_hour"].description
            ),
            "location": st.column_config.TextColumn(
                "Paid as location (in-house)", help=fields["location"].description
            ),
            "shrinkage": st.column_config.NumberColumn(
                "Shrinkage % (in-house)",
                min_value=0.0,
                max_value=89.0,
                help=fields["shrinkage"].description,
            ),
        },
    )
    sites, unnamed = [], 0
    for row in rows_of(edited):
        if not (row["name"] or "").strip():  # a row just added: its other cells are defaults
            unnamed += 1
            continue
        site = {
            "name": row["name"].strip(),
            "time_zone": row["time_zone"] or zone,
            "hours": _hours_entered(row),
            "holiday_country": (row["holiday_country"] or "").strip().upper(),
            "vendor": bool(row["vendor"]),
            "currency": (row["currency"] or "").strip().upper(),
        }
        if row["serves"]:
            site["serves"] = names_in(row["serves"])
        if row["languages"]:
            site["languages"] = names_in(row["languages"])
        if (row["location"] or "").strip():
            site["location"] = row["location"].strip()
        if row["shrinkage"] is not None:
            site["shrinkage"] = row["shrinkage"] / 100
        priced = ("exchange_rate", "price_per_contact", "price_per_hour", "minimum_per_month",
                  "cost_per_hour")  # fmt: skip
        sites.append(site | _filled(row, priced))
    if unnamed:
        st.caption("A row without a site name is left out until it has one.")
    was = {site.name: site.share for site in service.sites}
    weights, routing = site_mix([s["name"] for s in sites], was, service.routing)
    sites = [site | {"share": weights[site["name"]]} for site in sites]
    settle("sites-editor", service, {"sites"}, {"sites": sites})
    return {"sites": sites, "routing": routing}


def site_mix(names: list[str], was: dict[str, float], routing: str) -> tuple[dict, str]:
    """How contacts are shared between the sites ``names``: cheapest first, or a slider per
    site for its weight (``Site.share``; ``was`` the weights kept, 1 for a new site) while
    sites are open together."""
    fields = Site.model_fields
    routing = st.radio(
        "Route contacts",
        ["share", "cheapest"],
        index=["share", "cheapest"].index(routing),
        format_func={"share": "by the weights below", "cheapest": "to the cheapest site open"}.get,
        horizontal=True,
        key="site-routing",
        help=ServiceSettings.model_fields["routing"].description,
    )
    weights = {}
    columns = st.columns(min(len(names), 4) or 1)
    for at, name in enumerate(names):
        share = was.get(name, 1.0)
        weights[name] = columns[at % len(columns)].slider(
            f"{name}: weight",
            min_value=0.1,
            max_value=max(10.0, share),
            value=share,
            step=0.1,
            key=f"site-weight-{name}",
            help=fields["share"].description,
            disabled=routing == "cheapest",
        )
    return weights, routing


def source_caption(what: str, source: Source) -> None:
    """Where a setting shown in a table comes from, when it is not a plain default (a split
    measured from the tickets, typed, the sample's)."""
    if source.kind != "default":
        st.caption(f"{what}: {plain(source.label)}.")


def _sources_caption(channel: str, source_of: Callable[[str], Source]) -> None:
    """Where this channel's handle time and hours come from, when not a plain default."""
    parts = []
    own = source_of("tickets").kind == "uploaded"
    for what, path in (("Handle time", "aht_seconds"), ("Hours", "hours")):
        source = source_of(f"service.channels.{channel}.{path}")
        if source.kind != "default":
            parts.append(f"{what}: {plain(source.label)}")
        elif own and path == "aht_seconds":
            parts.append(
                f"{what}: :orange[the default, not measured from your tickets] (see the "
                "Ticket history page for why)"
            )
    if parts:
        st.caption(" · ".join(parts))


def _channel_inputs(channel: str, current: ChannelService | None) -> dict:
    fields = ChannelService.model_fields
    model_default = current.model if current else "deferred"
    a, b, c, d = st.columns(4)
    model = a.selectbox(
        "How it is answered",
        list(MODELS),
        index=list(MODELS).index(model_default),
        format_func=MODELS.get,
        key=f"{channel}-model",
        help=fields["model"].description,
    )
    aht = b.number_input(
        "Handle time (seconds)",
        10.0,
        14_400.0,
        float(current.aht_seconds if current else 600),
        step=10.0,
        key=f"{channel}-aht",
        help=fields["aht_seconds"].description,
    )
    values: dict = {"model": model, "aht_seconds": aht}
    e, f, g, _ = st.columns(4)
    if model == "deferred":
        values["response_hours"] = c.number_input(
            "Answer within (business hours)",
            0.5,
            240.0,
            float(current.response_hours or 24) if current else 24.0,
            step=1.0,
            key=f"{channel}-response",
            help=fields["response_hours"].description,
        )
        return values | {"hours": _hours_inputs(channel, current, e, f)}
    kinds = {"sl": "Service level", "asa": "Average speed of answer"}
    kind = c.selectbox(
        "Target",
        list(kinds),
        index=1 if current and current.service_level is None else 0,
        format_func=kinds.get,
        key=f"{channel}-target",
    )
    if model == "concurrent":
        values["concurrency"] = d.number_input(
            "Concurrent chats per agent",
            1.0,
            5.0,
            float(current.concurrency if current else 2.0),
            step=0.5,
            key=f"{channel}-concurrency",
            help=fields["concurrency"].description,
        )
    if kind == "sl":
        level = e.number_input(
            "Service level target (%)",
            1.0,
            99.0,
            (current.service_level or 0.8) * 100 if current else 80.0,
            step=1.0,
            key=f"{channel}-sl",
            help=fields["service_level"].description,
        )
        values["service_level"] = level / 100
        values["answer_seconds"] = f.number_input(
            "Answered within (seconds)",
            1.0,
            3_600.0,
            float(current.answer_seconds or 20) if current else 20.0,
            step=5.0,
            key=f"{channel}-answer",
            help=fields["answer_seconds"].description,
        )
    else:
        values["asa_seconds"] = e.number_input(
            "ASA target (seconds)",
            1.0,
            3_600.0,
            float(current.asa_seconds or 30) if current else 30.0,
            step=5.0,
            key=f"{channel}-asa",
            help=fields["asa_seconds"].description,
        )
    patience = g.number_input(
        "Mean patience (s; 0 = Erlang C)",
        0.0,
        3_600.0,
        float(current.patience_seconds or 0) if current else 0.0,
        step=10.0,
        key=f"{channel}-patience",
        help=fields["patience_seconds"].description,
    )
    values["patience_seconds"] = patience or None
    if patience:
        values |= _abandonment_inputs(channel, current, kind == "sl", values)
    i, j, k, _ = st.columns(4)
    values["outside_hours"] = k.selectbox(
        "Contacts while closed",
        list(OUTSIDE_HOURS),
        index=list(OUTSIDE_HOURS).index(current.outside_hours if current else "unserved"),
        format_func=OUTSIDE_HOURS.get,
        key=f"{channel}-outside",
        help=fields["outside_hours"].description,
    )
    return values | {"hours": _hours_inputs(channel, current, i, j)}


OUTSIDE_HOURS = {
    "unserved": "Unserved (counted apart)",
    "next_opening": "Staff them at the next opening",
}


SL_COUNTS = {
    "strict": "Hang-ups count as missed",
    "short": "Leave out quick hang-ups",
}


def _abandonment_inputs(
    channel: str, current: ChannelService | None, has_level: bool, values: dict
) -> dict:
    """With a patience (Erlang A): the abandonment target and how the service level counts
    contacts that hang up, stated in words beside the target."""
    fields = ChannelService.model_fields
    a, b, c, _ = st.columns(4)
    cap = a.number_input(
        "Abandonment target (% of offered, at most)",
        0.5,
        50.0,
        (current.max_abandonment if current else 0.05) * 100,
        step=0.5,
        key=f"{channel}-abandon",
        help=fields["max_abandonment"].description,
    )
    entered: dict = {"max_abandonment": cap / 100, "short_abandon_seconds": None}
    if not has_level:
        return entered
    short_now = current.short_abandon_seconds if current else None
    counts = b.selectbox(
        "Service level counts",
        list(SL_COUNTS),
        index=1 if short_now else 0,
        format_func=SL_COUNTS.get,
        key=f"{channel}-sl-counts",
        help=fields["short_abandon_seconds"].description,
    )
    if counts == "short":
        entered["short_abandon_seconds"] = c.number_input(
            "Quick hang-up: within (seconds)",
            1.0,
            120.0,
            float(short_now or 5),
            step=1.0,
            key=f"{channel}-short",
        )
    say.caption(
        service_level_definition(
            values["service_level"], values["answer_seconds"], entered["short_abandon_seconds"]
        )
    )
    return entered


def service_level_definition(level: float, answer: float, short: float | None) -> str:
    """The service level target in words, with how hang-ups count."""
    target = f"Service level {level:.0%} = answered within {answer:g} s ÷ "
    if short is None:
        return target + "all offered contacts (a caller who hangs up counts as missed)."
    return target + f"offered contacts, leaving out those who hang up within {short:g} s."


def _hours_inputs(channel: str, current: ChannelService | None, left, right) -> dict:
    hours = current.hours if current else None
    opening, closing = left.slider(
        "Open hours (local)",
        0,
        24,
        (hours.open_hour, hours.close_hour) if hours else (8, 20),
        key=f"{channel}-hours",
        help=ChannelService.model_fields["hours"].description + " No agents outside them.",
    )
    days = right.multiselect(
        "Open days",
        list(range(7)),
        default=hours.weekdays if hours else [0, 1, 2, 3, 4],
        format_func=lambda i: WEEKDAY_NAMES[i],
        key=f"{channel}-days",
    )
    return {"open_hour": opening, "close_hour": closing, "weekdays": sorted(days)}


SHIFT_LENGTHS = (2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 11.0, 12.0)


def shift_inputs(shifts: ShiftPatterns) -> dict:
    """The shift patterns people can work; returns workforce settings (``shifts``)."""
    fields = ShiftPatterns.model_fields
    a, b, c = st.columns([2, 1, 1])
    options = sorted(set(SHIFT_LENGTHS) | set(shifts.lengths_hours))
    lengths = a.multiselect(
        "Shift lengths (hours, paid)", options, default=shifts.lengths_hours,
        format_func=lambda h: f"{h:g} h", key="shift-lengths",
        help=fields["lengths_hours"].description,
    )  # fmt: skip
    start = b.selectbox(
        "Shifts start every", [15, 30, 60], index=[15, 30, 60].index(shifts.start_minutes),
        format_func=lambda m: f"{m} minutes", key="shift-start",
        help=fields["start_minutes"].description,
    )  # fmt: skip
    days = c.number_input(
        "Days a week", 1, 7, shifts.days_per_week, key="shift-days",
        help=fields["days_per_week"].description,
    )  # fmt: skip
    d, e, f, g = st.columns(4)
    share = d.number_input(
        "Part-time, at most (% of paid hours)", 0.0, 95.0, shifts.part_time_share * 100,
        step=5.0, key="shift-part-time", help=fields["part_time_share"].description,
    )  # fmt: skip
    below = e.number_input(
        "Part-time below (hours)", 1.0, 12.0, shifts.part_time_below_hours, step=0.5,
        key="shift-part-time-below", help=fields["part_time_below_hours"].description,
    )  # fmt: skip
    pause = f.number_input(
        "Scheduled break (minutes, 0 = in shrinkage)", 0, 120, shifts.break_minutes, step=15,
        key="shift-break", help=fields["break_minutes"].description,
    )  # fmt: skip
    perfect = g.toggle(
        "Perfect scheduling", shifts.model == "perfect", key="shift-perfect",
        help=fields["model"].description,
    )  # fmt: skip
    return {
        "shifts": {
            "model": "perfect" if perfect else "shifts",
            "lengths_hours": lengths or shifts.lengths_hours,
            "start_minutes": start,
            "days_per_week": days,
            "part_time_share": share / 100,
            "part_time_below_hours": below,
            "break_minutes": pause,
        }
    }


def workforce_inputs(workforce: WorkforceSettings) -> dict:
    """Shrinkage, hours and occupancy for deferred work; returns workforce settings."""
    fields = WorkforceSettings.model_fields
    a, b, c = st.columns(3)
    hours = a.number_input(
        "Paid hours per FTE a week",
        1.0,
        80.0,
        workforce.hours_per_fte_per_week,
        step=1.0,
        help=fields["hours_per_fte_per_week"].description,
    )
    occupancy_target = b.number_input(
        "Occupancy target, deferred work (%)",
        30.0,
        100.0,
        workforce.occupancy_target * 100,
        step=1.0,
        help=fields["occupancy_target"].description,
    )
    shrinkage = workforce.shrinkage
    with c.popover(f"Shrinkage: {shrinkage.total:.1%} in total"):
        st.caption("Components combine multiplicatively: s = 1 - Π(1 - sᵢ).")
        parts = {
            name: st.number_input(
                f"{name.replace('_', ' ').capitalize()} (%)",
                0.0,
                95.0,
                value * 100,
                step=0.5,
                key=f"shrinkage-{name}",
                help=type(shrinkage).model_fields[name].description,
            )
            / 100
            for name, value in shrinkage.model_dump().items()
        }
    return {
        "hours_per_fte_per_week": hours,
        "occupancy_target": occupancy_target / 100,
        "shrinkage": parts,
    }


def supply_inputs(workforce: WorkforceSettings) -> dict:
    """Attrition, hiring lead time, training and ramp, and the case to hire for."""
    fields = WorkforceSettings.model_fields
    a, b, c, d = st.columns(4)
    entered = {
        "annual_attrition": a.number_input(
            "Annual attrition (%)",
            0.0,
            150.0,
            workforce.annual_attrition * 100,
            step=1.0,
            help=fields["annual_attrition"].description,
        )
        / 100,
        "early_tenure_attrition": b.number_input(
            "Leave in first 90 days (%)",
            0.0,
            90.0,
            workforce.early_tenure_attrition * 100,
            step=1.0,
            help=fields["early_tenure_attrition"].description,
        )
        / 100,
        "recruiting_lead_days": c.number_input(
            "Days to fill a seat",
            0,
            365,
            workforce.recruiting_lead_days,
            help=fields["recruiting_lead_days"].description,
        ),
        "training_weeks": d.number_input(
            "Training weeks",
            0,
            52,
            workforce.training_weeks,
            help=fields["training_weeks"].description,
        ),
    }
    e, f, g, h = st.columns(4)
    entered["ramp_months"] = e.number_input(
        "Months to full productivity",
        0,
        24,
        workforce.ramp_months,
        help=fields["ramp_months"].description,
    )
    entered["ramp_start_productivity"] = (
        f.number_input(
            "Productivity in month one (%)",
            1.0,
            100.0,
            workforce.ramp_start_productivity * 100,
            step=1.0,
            help=fields["ramp_start_productivity"].description,
        )
        / 100
    )
    entered["plan_to"] = g.radio(
        "Hire for",
        ["lower", "mean", "upper"],
        index=["lower", "mean", "upper"].index(workforce.plan_to),
        format_func={"lower": "Low case", "mean": "Expected", "upper": "High case"}.get,
        horizontal=True,
        help=fields["plan_to"].description,
    )
    starting = h.number_input(
        "Starting FTE (0 = count the roster)",
        0.0,
        10_000.0,
        float(workforce.starting_fte or 0),
        step=1.0,
        help=fields["starting_fte"].description,
    )
    entered["starting_fte"] = starting or None
    return entered


def hiring_editor(workforce: WorkforceSettings) -> list[dict]:
    """The planned hiring classes as an editable table."""
    table = pd.DataFrame(
        [c.model_dump() for c in workforce.hiring_classes], columns=["start", "people", "note"]
    )
    table["start"] = pd.to_datetime(table["start"])
    edited = steady_editor(
        "hiring-editor",
        table,
        workforce,
        {"hiring_classes"},
        num_rows="dynamic",
        width="stretch",
        column_config={
            "start": st.column_config.DateColumn("First day", format="YYYY-MM-DD"),
            "people": st.column_config.NumberColumn("People", min_value=1, step=1),
            "note": st.column_config.TextColumn("What for"),
        },
    )
    classes = [
        {
            "start": day(row["start"]),
            "people": row["people"],
            "note": row["note"] or "",
        }
        for row in rows_of(edited)
    ]
    settle("hiring-editor", workforce, {"hiring_classes"}, {"hiring_classes": classes})
    return classes


def _number(label: str, fmt: str) -> st.column_config.NumberColumn:
    return st.column_config.NumberColumn(label, format=fmt)


CLIFF_COLUMNS = {
    "agents": "Agents (net)",
    "service_level": _number("Service level", "percent"),
    "asa_seconds": _number("ASA (s)", "%.0f"),
    "occupancy": _number("Occupancy", "percent"),
    "abandonment": _number("Abandon", "percent"),
    "gain_points": _number("SL points from this agent", "%.1f"),
}
FTE_COLUMNS = {
    "period": st.column_config.DateColumn("Month", format="MMM YYYY"),
    "days": None,
} | {
    f"{what}_{b}": _number(f"{label} ({b})", fmt)
    for what, label, fmt in [
        ("calls", "Contacts", "%,.0f"),
        ("workload_hours", "Handle hours", "%,.0f"),
        ("agent_hours", "Agent hours on queue", "%,.0f"),
        ("net_fte", "Net FTE", "%.1f"),
        ("gross_fte", "Gross FTE", "%.1f"),
    ]
    for b in ("lower", "mean", "upper")
}
REQUISITION_COLUMNS = {
    "open_by": st.column_config.DateColumn("Open requisition by"),
    "start": st.column_config.DateColumn("Class starts"),
    "on_floor": st.column_config.DateColumn("On the floor"),
    "people": "People",
    "for_month": st.column_config.DateColumn("Needed in", format="MMM YYYY"),
    "late": st.column_config.CheckboxColumn("Late"),
}
CAPACITY_COLUMNS = {
    "month": st.column_config.DateColumn("Month", format="MMM YYYY"),
    "people": _number("Agents (people)", "%.1f"),
    "in_training": _number("In training", "%.1f"),
    "starters": _number("Starters", "%.0f"),
    "leavers": _number("Leavers", "%.1f"),
    "available": _number("Available gross FTE", "%.1f"),
    "required": _number("Required gross FTE", "%.1f"),
    "required_lower": _number("Required, low", "%.1f"),
    "required_upper": _number("Required, high", "%.1f"),
    "gap": _number("Gap (short +)", "%+.1f"),
    "recommended_available": _number("With recommended hires", "%.1f"),
    "gap_after": _number("Gap after them", "%+.1f"),
    "surplus": _number("Surplus FTE", "%.1f"),
    "recommended_people": _number("People with them", "%.1f"),
}


SITE_COLUMNS = {
    "site": "Site",
    "net": _number("Net FTE (average)", "%.1f"),
    "gross": _number("Gross FTE (average)", "%.1f"),
    "peak": _number("Gross FTE (peak month)", "%.1f"),
    "agents": _number("Agents (month with the most)", "%d"),
    "leads": _number("Team leads", "%d"),
    "managers": _number("Managers", "%d"),
}
MIX_KEY = "site-mix-figures"


def mix_metrics(where, result: PlanResult) -> None:
    """What the sites' mix costs and serves, as tiles in ``where`` (an ``st.empty``): the
    budget over the plan, the share of contacts served, and the cost by site; each tile
    with its change since the mix before (kept in the session)."""
    numbers = result.budget.unit_economics()
    served = numbers.handled / numbers.contacts if numbers.contacts else float("nan")
    now = (numbers.total, served)
    was, last = st.session_state.get(MIX_KEY, (now, now))
    if last != now:
        was = last
    st.session_state[MIX_KEY] = (was, now)
    currency = result.scenario.currency
    box = where.container()
    m1, m2 = box.columns(2)
    m1.metric(
        f"Budget, {result.scenario.period_label}",
        short_money(numbers.total, currency),
        delta=short_money(numbers.total - was[0], currency) if was != now else None,
        delta_color="inverse",
        help="The whole budget of this plan (Budget page), with the sites as set above.",
    )
    m2.metric(
        "Contacts served",
        f"{served:.1%}",
        delta=f"{(served - was[1]) * 100:+.1f} pts" if was != now else None,
        help="Contacts answered, of all the plan receives: hours no site covers, and months "
        "the team is short, leave some unserved.",
    )
    with box:
        cost_split(result.cost_by_site(), "site", "Site", "Share of the budget", currency)


def peak_metrics(where, required: Requirements, level: int) -> None:
    """The month needing the most people, as three tiles in ``where`` (an ``st.empty``,
    replaced when drawn again): peak gross FTE, net FTE on queue then, and the gross range
    at the forecast's interval ``level``."""
    total = required.fte("M", by_channel=False)
    top = total.loc[total["gross_fte_mean"].idxmax()]
    m1, m2, m3 = where.container().columns(3)
    m1.metric(
        "Peak gross FTE needed", f"{top['gross_fte_mean']:.1f}",
        help=f"Scheduled people in the busiest month, {top['period']:%B %Y}.",
    )  # fmt: skip
    m2.metric("Net FTE on queue at the peak", f"{top['net_fte_mean']:.1f}")
    m3.metric(
        f"Gross FTE range ({level}%)", f"{top['gross_fte_lower']:.1f}-{top['gross_fte_upper']:.1f}"
    )


def add_recommended(requisitions: pd.DataFrame) -> None:
    """Append the recommended classes to the scenario's hiring plan."""
    current = state.scenario()
    classes = [c.model_dump() for c in current.workforce.hiring_classes] + [
        {
            "start": row["start"],
            "people": int(row["people"]),
            "note": f"Recommended for {row['for_month']:%B %Y}",
        }
        for row in requisitions.to_dict("records")
    ]
    state.set_scenario(
        Scenario.parse(
            current.model_dump()
            | {"workforce": current.workforce.model_dump() | {"hiring_classes": classes}}
        )
    )
    st.session_state.pop("hiring-editor", None)


SHIFT_COLUMNS = {
    "days": "Days",
    "start": "Start",
    "hours": _number("Hours", "%.1f"),
    "people": _number("People", "%.0f"),
    "paid_hours": _number("Paid hours a week", "%,.1f"),
}
SCHEDULING_COLUMNS = {
    "channel": "Channel",
    "month": st.column_config.DateColumn("Month", format="MMM YYYY"),
    "interval_hours": _number("Agent-hours a week (on queue)", "%,.1f"),
    "paid_hours": _number("Paid hours a week", "%,.1f"),
    "efficiency": st.column_config.NumberColumn("Efficiency", format="percent"),
    "status": "Solver",
}
