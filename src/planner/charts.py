"""Altair chart builders shared by the pages and the exports; one colour per channel."""

from __future__ import annotations

import copy

import altair as alt
import numpy as np
import pandas as pd

CHANNEL_COLOURS = {
    "email": "#1f5fa8",
    "chat": "#e07b00",
    "phone": "#2a9d5b",
    "web_form": "#8e44ad",
    "social": "#c0392b",
    "api": "#7f8c8d",
    "all": "#34495e",
}
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
# Vega's default time labels name the year only on a tick that falls on 1 January, so a
# chart of several years can show months without any year. Past about 400 days in view,
# ticks fall on the first of every 1, 2, 3, 6 or 12 months (as many as fit) and say month
# and year; zoomed in, Vega's own ticks and labels come back.
_SPAN = "(domain('x')[1] - domain('x')[0])"
_LONG = f"{_SPAN} > 400 * 864e5"
# "Nov 2025" takes about 60 px in Streamlit's theme; Vega hides every other label that
# comes closer than that, so room is kept for one label every 75 px.
_MONTHS_PER_TICK = f"({_SPAN} / (30.44 * 864e5) / (width / 75))"
_STEP = " : ".join(f"{_MONTHS_PER_TICK} <= {s} ? {s}" for s in (1, 2, 3, 6)) + " : 12"
PERIOD_AXIS = alt.Axis(
    tickCount={"expr": f"{_LONG} ? {{interval: 'month', step: {_STEP}}} : ceil(width / 40)"},
    labelExpr=f"{_LONG} ? timeFormat(datum.value, '%b %Y') : datum.label",
)
# Monthly values: one tick per month (labels that do not fit are dropped), never a tick
# inside a month that would repeat its name.
MONTH_AXIS = alt.Axis(format="%b %Y", tickCount="month")


def _channel_scale(channels: list[str]) -> alt.Scale:
    palette = ["#16a085", "#d35400", "#2c3e50", "#b7950b", "#6c3483"]
    colours = [CHANNEL_COLOURS.get(c, palette[i % len(palette)]) for i, c in enumerate(channels)]
    return alt.Scale(domain=channels, range=colours)


def volume_by_channel(by_channel: pd.DataFrame, period_label: str = "Day") -> alt.Chart:
    """Lines of tickets per period, one per channel (wide input: periods x channels)."""
    long = by_channel.reset_index().melt("period", var_name="channel", value_name="tickets")
    channels = list(by_channel.columns)
    return (
        alt.Chart(long, height=320)
        .mark_line(strokeWidth=1.2)
        .encode(
            x=alt.X("period:T", title=period_label, axis=PERIOD_AXIS),
            y=alt.Y("tickets:Q", title="Tickets"),
            color=alt.Color("channel:N", title="Channel", scale=_channel_scale(channels)),
            tooltip=[
                alt.Tooltip("period:T", title=period_label),
                alt.Tooltip("channel:N"),
                alt.Tooltip("tickets:Q", format=","),
            ],
        )
        .interactive(bind_y=False)
    )


def weekday_hour_heatmap(profile: pd.DataFrame) -> alt.Chart:
    """Share of tickets by weekday x local hour (profile from VolumeHistory, summed)."""
    grid = profile.groupby(["weekday", "hour"], as_index=False)["tickets"].sum()
    grid["share"] = grid["tickets"] / grid["tickets"].sum()
    grid["day"] = grid["weekday"].map(dict(enumerate(WEEKDAYS)))
    return (
        alt.Chart(grid, height=260)
        .mark_rect()
        .encode(
            x=alt.X("hour:O", title="Hour of day (local)"),
            y=alt.Y("day:N", title=None, sort=WEEKDAYS),
            color=alt.Color(
                "share:Q",
                title="Share of the week",
                scale=alt.Scale(scheme="blues"),
                legend=alt.Legend(format=".1%"),
            ),
            tooltip=[
                alt.Tooltip("day:N"),
                alt.Tooltip("hour:O"),
                alt.Tooltip("tickets:Q", format=","),
                alt.Tooltip("share:Q", format=".2%"),
            ],
        )
    )


LINES = {
    "Actual": ("#5d6d7e", []),
    "Backtest forecast": ("#b9770e", [2, 2]),
    "Forecast before adjustments": ("#85929e", [6, 3]),
    "Forecast": ("#1f5fa8", []),
}


def band_table(actual: pd.Series, forecast: pd.DataFrame) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """The one wide table a forecast chart draws from, and the names of its lines.

    ``forecast`` is indexed by period with mean, lower, upper and, when adjustments changed
    it, base_mean (drawn dashed as the forecast before adjustments).
    """
    wide = pd.DataFrame(
        {
            "Actual": actual,
            "Forecast": forecast["mean"],
            "lower": forecast["lower"],
            "upper": forecast["upper"],
        }
    )
    names = ("Actual", "Forecast")
    if "base_mean" in forecast and not np.allclose(forecast["base_mean"], forecast["mean"]):
        wide["Forecast before adjustments"] = forecast["base_mean"]
        names += ("Forecast before adjustments",)
    return wide.rename_axis("period").reset_index(), names


def forecast_band(
    actual: pd.Series,
    forecast: pd.DataFrame,
    fits: pd.DataFrame | None = None,
    *,
    level: int = 80,
    period_label: str = "Day",
) -> alt.LayerChart:
    """Actual volume, the backtest's forecasts, and the forecast with its interval band.

    ``fits`` has period, origin and mean of the chosen method at each backtest origin.
    """
    wide, names = band_table(actual, forecast)
    with_fits = fits is not None and not fits.empty
    layers = _band_layers(names, level, period_label, with_fits)
    if with_fits:
        backtest = fits[["period", "origin", "mean"]].assign(
            line="Backtest forecast", origin=fits["origin"].astype(str)
        )
        layers.append(
            alt.Chart(backtest)
            .mark_line(strokeWidth=1.2)
            .encode(
                x=alt.X("period:T", title=period_label, axis=PERIOD_AXIS),
                y=alt.Y("mean:Q", title="Contacts"),
                color=_line_colour(names, with_fits),
                strokeDash=_line_dash(names, with_fits),
                detail=alt.Detail("origin:N"),
                tooltip=[
                    alt.Tooltip("period:T", title=period_label),
                    alt.Tooltip("line:N"),
                    alt.Tooltip("mean:Q", title="Contacts", format=",.0f"),
                ],
            )
        )
    return alt.layer(*layers, data=wide).properties(height=360).interactive(bind_y=False)


def forecast_band_spec(names: tuple[str, ...], level: int = 80, period_label: str = "Day") -> dict:
    """The Vega-Lite spec of ``forecast_band`` for a ``band_table`` (no backtest lines)."""
    return _without_data(
        lambda: (
            alt.layer(*_band_layers(names, level, period_label, False))
            .properties(height=360)
            .interactive(bind_y=False)
        ),
        ("band", names, level, period_label),
    )


def _without_data(build, key: tuple) -> dict:
    """A chart's Vega-Lite spec with no data in it, built once per ``key``.

    Charts redrawn on every what-if keystroke pass their data beside this spec: Altair
    takes 20-100 ms to build and check a chart, far more than the data itself.
    """
    return copy.deepcopy(_SPECS.get(key) or _SPECS.setdefault(key, _strip_data(build().to_dict())))


def _strip_data(spec: dict) -> dict:
    spec.pop("datasets", None)
    spec.pop("data", None)
    for layer in spec.get("layer", []):
        layer.pop("data", None)  # each layer draws from the data given with the spec
    return spec


_SPECS: dict[tuple, dict] = {}


def _line_colour(names: tuple[str, ...], with_fits: bool) -> alt.Color:
    shown = _lines_shown(names, with_fits)
    return alt.Color(
        "line:N",
        title=None,
        scale=alt.Scale(domain=shown, range=[LINES[n][0] for n in shown]),
        legend=alt.Legend(orient="top"),
    )


def _line_dash(names: tuple[str, ...], with_fits: bool) -> alt.StrokeDash:
    shown = _lines_shown(names, with_fits)
    return alt.StrokeDash(
        "line:N", scale=alt.Scale(domain=shown, range=[LINES[n][1] for n in shown]), legend=None
    )


def _lines_shown(names: tuple[str, ...], with_fits: bool) -> list[str]:
    """The lines a chart draws, in legend order."""
    return [n for n in LINES if n in names or (with_fits and n == "Backtest forecast")]


def _band_layers(
    names: tuple[str, ...], level: int, period_label: str, with_fits: bool
) -> list[alt.Chart]:
    """The band and the folded lines, drawing from a ``band_table`` given by the parent."""
    x = alt.X("period:T", title=period_label, axis=PERIOD_AXIS)
    area = (
        alt.Chart()
        .mark_area(opacity=0.22, color=LINES["Forecast"][0])
        .encode(
            x=x,
            y=alt.Y("lower:Q", title="Contacts"),
            y2=alt.Y2("upper:Q"),
            tooltip=[
                alt.Tooltip("period:T", title=period_label),
                alt.Tooltip("Forecast:Q", format=",.0f"),
                alt.Tooltip("lower:Q", title=f"Low (P{(100 - level) // 2})", format=",.0f"),
                alt.Tooltip("upper:Q", title=f"High (P{100 - (100 - level) // 2})", format=",.0f"),
            ],
        )
    )
    lines = (
        alt.Chart()
        .transform_fold(list(names), as_=["line", "value"])
        .transform_filter("isValid(datum.value)")
        .mark_line(strokeWidth=1.4)
        .encode(
            x=x,
            y=alt.Y("value:Q", title="Contacts"),
            color=_line_colour(names, with_fits),
            strokeDash=_line_dash(names, with_fits),
            tooltip=[
                alt.Tooltip("period:T", title=period_label),
                alt.Tooltip("line:N"),
                alt.Tooltip("value:Q", title="Contacts", format=",.0f"),
            ],
        )
    )
    return [area, lines]


def backtest_accuracy(table: pd.DataFrame) -> alt.Chart:
    """MASE per method (lower is better); the chosen method stands out."""
    data = table.assign(
        result=np.where(table["chosen"], "Chosen", "Tried"), label=table["label"].str.slice(0, 60)
    )
    return (
        alt.Chart(data, height=alt.Step(26))
        .mark_bar()
        .encode(
            x=alt.X("mase:Q", title="MASE"),
            y=alt.Y("label:N", title=None, sort="x", axis=alt.Axis(labelLimit=260)),
            color=alt.Color(
                "result:N",
                title=None,
                scale=alt.Scale(domain=["Chosen", "Tried"], range=["#1f5fa8", "#aeb6bf"]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("label:N"),
                alt.Tooltip("mase:Q", format=".2f"),
                alt.Tooltip("wape:Q", format=".1%"),
                alt.Tooltip("bias:Q", format="+.1%"),
                alt.Tooltip("coverage:Q", format=".0%"),
            ],
        )
    )


def demand_effects_spec() -> dict:
    """Spec of a bar chart of the contacts each adjustment adds (orange) or removes (green)
    over the horizon; its data is ``Demand.effects``."""
    return _without_data(
        lambda: (
            alt.Chart(height=alt.Step(30))
            .transform_calculate(direction="datum.contacts >= 0 ? 'adds' : 'removes'")
            .mark_bar()
            .encode(
                x=alt.X(
                    "contacts:Q", title="Contacts over the horizon", axis=alt.Axis(format=",.0f")
                ),
                y=alt.Y("adjustment:N", title=None, sort=None, axis=alt.Axis(labelLimit=320)),
                color=alt.Color(
                    "direction:N",
                    scale=alt.Scale(domain=["adds", "removes"], range=["#e07b00", "#2a9d5b"]),
                    legend=None,
                ),
                tooltip=[alt.Tooltip("adjustment:N"), alt.Tooltip("contacts:Q", format="+,.0f")],
            )
        ),
        ("effects",),
    )


def intraday_volume_spec(minutes: int) -> dict:
    """Spec of forecast contacts per interval (mean, with the band); its data is the
    ``forecast.intraday.split`` table with the interval as a column."""

    def build() -> alt.LayerChart:
        days = alt.Axis(format="%a %d %b", tickCount="day")  # not "November" on the 1st
        base = alt.Chart().encode(
            x=alt.X("interval:T", title=f"Interval ({minutes} minutes)", axis=days)
        )
        band = base.mark_area(opacity=0.2, color=LINES["Forecast"][0]).encode(
            y=alt.Y("lower:Q", title="Contacts per interval"), y2=alt.Y2("upper:Q")
        )
        line = base.mark_line(color=LINES["Forecast"][0], strokeWidth=1.2).encode(
            y=alt.Y("mean:Q"),
            tooltip=[
                alt.Tooltip("interval:T", format="%a %d %b %H:%M"),
                alt.Tooltip("mean:Q", format=",.1f"),
                alt.Tooltip("lower:Q", format=",.1f"),
                alt.Tooltip("upper:Q", format=",.1f"),
            ],
        )
        return alt.layer(band, line).properties(height=260)

    return _without_data(build, ("intraday", minutes))


def required_agents_heatmap(week: pd.DataFrame, bound: str = "mean") -> alt.Chart:
    """Net agents on queue by weekday x interval (``Requirements.typical_week``)."""
    return (
        alt.Chart(week, height=260)
        .mark_rect()
        .encode(
            x=alt.X("time:O", title="Interval start (local)", axis=alt.Axis(labelAngle=-90)),
            y=alt.Y("day:N", title=None, sort=WEEKDAYS),
            color=alt.Color(
                f"agents_{bound}:Q", title="Net agents", scale=alt.Scale(scheme="oranges")
            ),
            tooltip=[
                alt.Tooltip("day:N"),
                alt.Tooltip("time:O"),
                alt.Tooltip(f"calls_{bound}:Q", title="Contacts", format=",.1f"),
                alt.Tooltip(f"agents_{bound}:Q", title="Net agents (on queue)", format=".1f"),
            ],
        )
    )


def site_coverage(table: pd.DataFrame) -> alt.Chart:
    """Follow the sun: the hours of the week (the plan's time) each site works, one row a
    site, and a row "No site" for the hours nobody works (``sites.coverage``)."""
    hours = table.groupby(["weekday", "hour"])["open"].any().reset_index()
    nobody = hours[~hours["open"]].assign(site="No site")
    shown = pd.concat([table[table["open"]], nobody], ignore_index=True)
    shown = shown.assign(start=shown["weekday"] * 24 + shown["hour"])
    shown["end"] = shown["start"] + 1
    shown["when"] = (
        shown["weekday"].map(dict(enumerate(WEEKDAYS)))
        + " "
        + shown["hour"].map("{:02d}:00".format)
    )
    sites = [*dict.fromkeys(table["site"]), "No site"]
    colours = [SITE_COLOURS[at % len(SITE_COLOURS)] for at in range(len(sites) - 1)]
    colours.append(NOBODY_COLOUR)
    return (
        alt.Chart(shown, height=36 * len(sites) + 40)
        .mark_rect()
        .encode(
            x=alt.X(
                "start:Q",
                title="Hour of the week (the plan's time)",
                scale=alt.Scale(domain=[0, 168], nice=False),
                axis=alt.Axis(values=list(range(0, 169, 24)), labelExpr=_DAY_LABEL),
            ),
            x2="end:Q",
            y=alt.Y("site:N", title=None, sort=sites),
            color=alt.Color("site:N", legend=None, scale=alt.Scale(domain=sites, range=colours)),
            tooltip=[alt.Tooltip("site:N", title="Site"), alt.Tooltip("when:N", title="Hour")],
        )
    )


SITE_COLOURS = ["#1f5fa8", "#27ae60", "#8e44ad", "#d35400", "#16a085", "#7f8c8d", "#2c3e50"]
NOBODY_COLOUR = "#c0392b"
_DAY_LABEL = "['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun', ''][floor(datum.value / 24)]"
ABANDON_COLOUR = "#e67e22"


def staffing_cliff(
    table: pd.DataFrame, measure: str, target: float, max_abandonment: float | None = None
) -> alt.LayerChart:
    """Service level (``measure`` "service_level") or ASA ("asa_seconds") for each number
    of agents (``staffing.cliff``), the needed N in colour, with the target as a rule. With
    an ``abandonment`` column (Erlang A), the share hanging up as an orange line and its
    target ``max_abandonment`` as an orange rule (on the service level's axis, or its own
    beside the ASA's)."""
    level = measure == "service_level"
    title, fmt = ("Service level", ".0%") if level else ("ASA (seconds)", ",.0f")
    shown = table.replace([np.inf], np.nan)
    base = alt.Chart(shown).encode(x=alt.X("agents:O", title="Agents on queue (net)"))
    tips = [
        alt.Tooltip("agents:O"),
        alt.Tooltip("service_level:Q", format=".1%", title="Service level"),
        alt.Tooltip("asa_seconds:Q", format=",.0f", title="ASA (s)"),
        alt.Tooltip("extra_cost_per_year:Q", format=",.0f", title="Extra cost a year"),
    ]
    patience = "abandonment" in shown
    if patience:
        tips.insert(3, alt.Tooltip("abandonment:Q", format=".1%", title="Hang up"))
    bars = base.mark_bar().encode(
        y=alt.Y(f"{measure}:Q", title=title, axis=alt.Axis(format="%" if level else ",.0f")),
        color=alt.ColorValue(
            "#aeb6bf", condition={"test": "datum.needed", "value": CHANNEL_COLOURS["email"]}
        ),
        tooltip=tips,
    )
    labels = base.mark_text(dy=-8).encode(
        y=alt.Y(f"{measure}:Q"), text=alt.Text(f"{measure}:Q", format=fmt)
    )
    rule = (
        alt.Chart(pd.DataFrame({"target": [target]}))
        .mark_rule(color="#c0392b", strokeDash=[6, 3])
        .encode(y=alt.Y("target:Q"))
    )
    chart = alt.layer(bars, labels, rule)
    if patience:
        axis = alt.Axis(format="%", title="Hang up (orange)", orient="right")
        lost = base.mark_line(point=True, color=ABANDON_COLOUR).encode(
            y=alt.Y("abandonment:Q", axis=None if level else axis), tooltip=tips
        )
        layers = [lost]
        if max_abandonment is not None:
            layers.append(
                alt.Chart(pd.DataFrame({"abandonment": [max_abandonment]}))
                .mark_rule(color=ABANDON_COLOUR, strokeDash=[2, 2])
                .encode(y=alt.Y("abandonment:Q"))
            )
        extra = alt.layer(*layers)
        chart = alt.layer(chart, extra)
        if not level:
            chart = chart.resolve_scale(y="independent")
    return chart.properties(height=260)


def schedule_week(week: pd.DataFrame) -> alt.LayerChart:
    """Agents a typical week needs (grey area) against the agents its shifts put on
    queue (blue step line), per interval (``WeekSchedule.week()``): where the line rises
    above the area, people are paid and idle."""
    shown = week.assign(
        at=pd.Timestamp("2024-01-01") + pd.to_timedelta(week["weekday"], unit="D")
        + pd.to_timedelta(week["minute"], unit="m")
    )  # fmt: skip
    x = alt.X("at:T", title=None, axis=alt.Axis(format="%a %H:%M", labelAngle=0, tickCount=7))
    tips = [
        alt.Tooltip("day:N", title="Day"),
        alt.Tooltip("time:N", title="Interval"),
        alt.Tooltip("required:Q", format=",.1f", title="Agents needed"),
        alt.Tooltip("covered:Q", format=",.0f", title="On queue from the shifts"),
    ]
    need = (
        alt.Chart(shown)
        .mark_area(color="#d5d8dc", interpolate="step-after")
        .encode(x=x, y=alt.Y("required:Q", title="Agents on queue"), tooltip=tips)
    )
    covered = (
        alt.Chart(shown)
        .mark_line(color=CHANNEL_COLOURS["phone"], interpolate="step-after")
        .encode(x=x, y=alt.Y("covered:Q"), tooltip=tips)
    )
    return alt.layer(need, covered).properties(height=260)


def required_by_month(by_channel: pd.DataFrame, total: pd.DataFrame, level: int) -> alt.LayerChart:
    """Gross FTE needed per month: stacked by channel (expected), with the total's
    P10-P90 range as error bars (``Requirements.fte("M")`` per channel and in total)."""
    channels = list(dict.fromkeys(by_channel["channel"].astype(str)))
    stacked = (
        alt.Chart(by_channel.assign(channel=by_channel["channel"].astype(str)))
        .mark_bar()
        .encode(
            x=alt.X("yearmonth(period):O", title="Month", axis=alt.Axis(format="%b %Y")),
            y=alt.Y("gross_fte_mean:Q", title="Gross FTE needed (scheduled)"),
            color=alt.Color("channel:N", title="Channel", scale=_channel_scale(channels)),
            tooltip=[
                alt.Tooltip("yearmonth(period):O", title="Month"),
                alt.Tooltip("channel:N"),
                alt.Tooltip("net_fte_mean:Q", format=".1f", title="Net FTE (on queue)"),
                alt.Tooltip("gross_fte_mean:Q", format=".1f", title="Gross FTE"),
            ],
        )
    )
    band = (
        alt.Chart(total)
        .mark_errorbar(ticks=True, color="#34495e")
        .encode(
            x=alt.X("yearmonth(period):O", title="Month", axis=alt.Axis(format="%b %Y")),
            y=alt.Y("gross_fte_lower:Q", title="Gross FTE needed (scheduled)"),
            y2=alt.Y2("gross_fte_upper:Q"),
            tooltip=[
                alt.Tooltip("yearmonth(period):O", title="Month"),
                alt.Tooltip("gross_fte_lower:Q", format=".1f", title=f"Low ({level}% range)"),
                alt.Tooltip("gross_fte_mean:Q", format=".1f", title="Expected"),
                alt.Tooltip("gross_fte_upper:Q", format=".1f", title=f"High ({level}% range)"),
            ],
        )
    )
    return alt.layer(stacked, band).properties(height=300)


CAPACITY_LINES = {
    "Available (roster and planned hires)": ("#2a9d5b", []),
    "With recommended hires": ("#1f5fa8", [6, 3]),
    "Required (planned case)": ("#c0392b", []),
}


def capacity_vs_required(months: pd.DataFrame, level: int) -> alt.LayerChart:
    """Required gross FTE per month with its P10-P90 band, against the productive FTE
    available and with the recommended hires (``CapacityPlan.months``). When no hire is
    recommended that line would hide the available one under it, so it is left out."""
    fields = ["available", "recommended_available", "required"]
    columns = dict(zip(fields, CAPACITY_LINES, strict=True))
    if (months["recommended_available"] - months["available"]).abs().max() < 0.05:
        del columns["recommended_available"]
    names = list(columns.values())
    long = months.melt("month", list(columns), var_name="line", value_name="fte")
    long["line"] = long["line"].map(columns)
    band = (
        alt.Chart(months)
        .mark_area(opacity=0.18, color="#c0392b")
        .encode(
            x=alt.X("month:T", title="Month", axis=MONTH_AXIS),
            y=alt.Y("required_lower:Q", title="Gross FTE"),
            y2=alt.Y2("required_upper:Q"),
            tooltip=[
                alt.Tooltip("month:T", format="%B %Y"),
                alt.Tooltip("required_lower:Q", format=".1f", title=f"Low ({level}% range)"),
                alt.Tooltip("required_upper:Q", format=".1f", title=f"High ({level}% range)"),
            ],
        )
    )
    lines = (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X("month:T"),
            y=alt.Y("fte:Q"),
            color=alt.Color(
                "line:N",
                title=None,
                scale=alt.Scale(domain=names, range=[CAPACITY_LINES[n][0] for n in names]),
                legend=alt.Legend(orient="bottom", labelLimit=320),
            ),
            strokeDash=alt.StrokeDash(
                "line:N",
                scale=alt.Scale(domain=names, range=[CAPACITY_LINES[n][1] for n in names]),
                legend=None,
            ),
            tooltip=[
                alt.Tooltip("month:T", format="%B %Y"),
                alt.Tooltip("line:N"),
                alt.Tooltip("fte:Q", format=".1f", title="Gross FTE"),
            ],
        )
    )
    return alt.layer(band, lines).properties(height=320)


GROUP_COLOURS = {
    "Salaries": "#1f5fa8",
    "Hiring": "#e07b00",
    "Tooling": "#2a9d5b",
    "Vendors": "#8e44ad",
    "AI": "#c0392b",
    "Overhead": "#7f8c8d",
}


def budget_by_month(lines: pd.DataFrame, currency: str) -> alt.Chart:
    """Monthly budget stacked by group of lines (``Budget.lines``)."""
    groups = [g for g in GROUP_COLOURS if g in set(lines["group"])]
    monthly = lines.groupby(["month", "group"], as_index=False)["amount"].sum()
    return (
        alt.Chart(monthly, height=320)
        .mark_bar()
        .encode(
            x=alt.X("yearmonth(month):O", title="Month", axis=alt.Axis(format="%b %Y")),
            y=alt.Y("amount:Q", title=f"Cost ({currency})", axis=alt.Axis(format=",.0f")),
            color=alt.Color(
                "group:N",
                title="Line",
                sort=groups,
                scale=alt.Scale(domain=groups, range=[GROUP_COLOURS[g] for g in groups]),
            ),
            order=alt.Order("group_order:Q"),
            tooltip=[
                alt.Tooltip("yearmonth(month):O", title="Month"),
                alt.Tooltip("group:N"),
                alt.Tooltip("amount:Q", format=",.0f", title=currency),
            ],
        )
        .transform_calculate(
            group_order=" + ".join(
                f"(datum.group == '{g}' ? {i} : 0)" for i, g in enumerate(groups)
            )
        )
    )


def tornado(table: pd.DataFrame, base: float, currency: str) -> alt.LayerChart:
    """Annual cost when each assumption moves down and up (``sensitivity.tornado``), widest
    swing on top, around the base total."""
    long = table.melt(
        ["assumption", "swing"], ["cost_low", "cost_high"], var_name="move", value_name="cost"
    )
    long["move"] = long["move"].map(
        {"cost_low": "Assumption lower", "cost_high": "Assumption higher"}
    )
    long["base"] = base
    order = table.sort_values("swing", ascending=False)["assumption"].tolist()
    bars = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y("assumption:N", sort=order, title=None, axis=alt.Axis(labelLimit=320)),
            x=alt.X("base:Q", title=f"Annual cost ({currency})", axis=alt.Axis(format=",.0f"),
                    scale=alt.Scale(zero=False)),
            x2=alt.X2("cost:Q"),
            color=alt.Color(
                "move:N",
                title=None,
                scale=alt.Scale(
                    domain=["Assumption lower", "Assumption higher"],
                    range=["#2a9d5b", "#e07b00"],
                ),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[alt.Tooltip("assumption:N"), alt.Tooltip("move:N"),
                     alt.Tooltip("cost:Q", format=",.0f")],
        )
    )  # fmt: skip
    rule = (
        alt.Chart(pd.DataFrame({"base": [base]}))
        .mark_rule(color="#34495e")
        .encode(x=alt.X("base:Q"))
    )
    return alt.layer(bars, rule).properties(height=alt.Step(24))


def bridge(waterfall: pd.DataFrame, currency: str) -> alt.LayerChart:
    """Waterfall from one scenario's total to another's, drawn from ``story.bridge_steps``
    (step, start, change, end, kind: the first total, the steps that move the cost, the
    last total, in that order, and kept in it). The axis starts at zero, so a step's
    height is its true share of the total, and every bar carries its value (totals in
    full, steps signed)."""
    table = waterfall.copy()
    table["low"] = table[["start", "end"]].min(axis=1)
    table["high"] = table[["start", "end"]].max(axis=1)
    table["label"] = [
        f"{end:,.0f}" if kind == "total" else f"{change:+,.0f}"
        for kind, end, change in zip(table["kind"], table["end"], table["change"], strict=True)
    ]
    order = list(table["step"])
    x = alt.X("step:N", sort=order, title=None, axis=alt.Axis(labelAngle=-30, labelLimit=200))
    bars = (
        alt.Chart(table)
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y("low:Q", title=f"Annual cost ({currency})", axis=alt.Axis(format=",.0f"),
                    scale=alt.Scale(zero=True)),
            y2=alt.Y2("high:Q"),
            color=alt.Color(
                "kind:N",
                legend=None,
                scale=alt.Scale(domain=["total", "more", "less"],
                                range=["#1f5fa8", "#e07b00", "#2a9d5b"]),
            ),
            tooltip=["step:N", alt.Tooltip("change:Q", format="+,.0f", title=currency),
                     alt.Tooltip("end:Q", format=",.0f", title="Running total")],
        )
    )  # fmt: skip
    labels = (
        alt.Chart(table)
        .mark_text(baseline="bottom", dy=-4, fontSize=13, color="#1f2937")
        .encode(x=x, y=alt.Y("high:Q"), text=alt.Text("label:N"))
    )
    return alt.layer(bars, labels).properties(height=300)


SPAN_STATES = alt.Scale(
    domain=["Within the rule", "Below the rule", "Above the rule"],
    range=["#1f5fa8", "#e07b00", "#b42318"],
)
SPAN_BARS_UP_TO = 30  # leaders drawn one bar each; more are drawn as a histogram


def span_distribution(spans: pd.DataFrame) -> alt.LayerChart | alt.FacetChart:
    """The spans of leads, managers and directors against their rules; breaches in red.
    Up to ``SPAN_BARS_UP_TO`` leaders: one bar each (the people the rule counts) over the
    rule's minimum-maximum band. More: how many leaders of each role have each span."""
    table = spans[spans["role"].isin(["lead", "manager", "director"])].copy()
    table["state"] = table["breach"].map({"above": "Above the rule", "below": "Below the rule"})
    table["state"] = table["state"].fillna("Within the rule")
    if len(table) > SPAN_BARS_UP_TO:
        return _span_histogram(table)
    who = table["name"].where(table["name"] != "", table["employee_id"]) + " · " + table["title"]
    twice = who.duplicated(keep=False)
    table["who"] = who.where(~twice, who + " (" + table["employee_id"] + ")")
    y = alt.Y("who:N", title=None, sort=None, axis=alt.Axis(labelLimit=320))
    band = (
        alt.Chart(table)
        .mark_bar(color="#dfe6ee", height=14)
        .encode(y=y, x=alt.X("minimum:Q", title="Direct reports counted"), x2=alt.X2("maximum:Q"))
    )
    bars = (
        alt.Chart(table)
        .mark_bar(height=8)
        .encode(
            y=y,
            x=alt.X("counted:Q"),
            color=alt.Color(
                "state:N", title=None, scale=SPAN_STATES, legend=alt.Legend(orient="top")
            ),
            tooltip=[
                alt.Tooltip("who:N", title="Leader"),
                alt.Tooltip("counted:Q", title="Counted"),
                alt.Tooltip("direct_reports:Q", title="All direct reports"),
                alt.Tooltip("minimum:Q", title="Rule minimum"),
                alt.Tooltip("maximum:Q", title="Rule maximum"),
            ],
        )
    )
    return alt.layer(band, bars).properties(height=max(120, 30 * len(table)))


def _span_histogram(table: pd.DataFrame) -> alt.FacetChart:
    names = {"lead": "Team leads", "manager": "Managers", "director": "Directors"}
    table["leader"] = table["role"].map(names)
    counts = table.groupby(["leader", "counted", "state"]).size().rename("leaders").reset_index()
    return (
        alt.Chart(counts)
        .mark_bar(width={"band": 0.8})
        .encode(
            x=alt.X(
                "counted:O",
                title="Direct reports counted",
                sort="ascending",
                axis=alt.Axis(labelAngle=0),
            ),
            y=alt.Y("leaders:Q", title="Leaders", axis=alt.Axis(tickMinStep=1, format="d")),
            color=alt.Color(
                "state:N", title=None, scale=SPAN_STATES, legend=alt.Legend(orient="top")
            ),
            tooltip=[
                alt.Tooltip("leader:N", title="Role"),
                alt.Tooltip("counted:O", title="Span"),
                alt.Tooltip("leaders:Q", title="Leaders"),
                alt.Tooltip("state:N", title="Against the rule"),
            ],
        )
        .properties(height=160, width=260)
        .facet(
            column=alt.Column("leader:N", title=None, sort=list(names.values())),
        )
        .resolve_scale(x="independent", y="independent")
    )


def roles_by_month(months: pd.DataFrame, roles: dict[str, str]) -> alt.LayerChart:
    """Lines of the roles the span rules need by month (``<role>_needed``), dashed
    today's positions (``<role>_positions``)."""
    rows = []
    for role, name in roles.items():
        for kind, column in (("Needed", f"{role}_needed"), ("Today", f"{role}_positions")):
            rows.append(
                pd.DataFrame(
                    {"month": months["month"], "people": months[column], "role": name,
                     "kind": kind}
                )
            )  # fmt: skip
    long = pd.concat(rows, ignore_index=True)
    base = alt.Chart(long).encode(
        x=alt.X("month:T", title="Month", axis=MONTH_AXIS),
        y=alt.Y("people:Q", title="People"),
        color=alt.Color("role:N", title="Role"),
        tooltip=[
            alt.Tooltip("month:T"),
            alt.Tooltip("role:N"),
            alt.Tooltip("kind:N"),
            alt.Tooltip("people:Q", format=".0f"),
        ],
    )
    # Lines and dots are separate layers: a line with points gets dots in its legend, which
    # would hide which of the two lines is the dashed one.
    lines = base.mark_line(interpolate="step-after").encode(
        strokeDash=alt.StrokeDash(
            "kind:N",
            title=None,
            scale=alt.Scale(domain=["Needed", "Today"], range=[[1, 0], [5, 4]]),
            legend=alt.Legend(symbolStrokeColor="#555"),
        )
    )
    return alt.layer(lines, base.mark_point(filled=True, size=30)).properties(height=260)


def ladder_mix(levels: pd.DataFrame) -> alt.Chart:
    """Stacked areas of people per ladder level by month (the Markov projection)."""
    table = levels.assign(rung=levels["level"] + " · " + levels["title"])
    order = list(dict.fromkeys(table["rung"]))
    return (
        alt.Chart(table, height=280)
        .mark_area(opacity=0.85)
        .encode(
            x=alt.X("month:T", title="Month", axis=MONTH_AXIS),
            y=alt.Y("people:Q", title="Agents", stack=True),
            color=alt.Color("rung:N", title="Level", sort=order, scale=alt.Scale(scheme="blues")),
            order=alt.Order("level:N", sort="ascending"),
            tooltip=[
                alt.Tooltip("month:T"),
                alt.Tooltip("rung:N", title="Level"),
                alt.Tooltip("people:Q", format=".1f"),
                alt.Tooltip("promotions:Q", title="Promoted out", format=".2f"),
                alt.Tooltip("leavers:Q", format=".2f"),
                alt.Tooltip("hires:Q", format=".2f"),
            ],
        )
    )


def for_projector(chart):
    """``chart`` with type large enough to read on a wall (finance review's present mode)."""
    return (
        chart.configure_axis(labelFontSize=16, titleFontSize=18)
        .configure_legend(labelFontSize=16, titleFontSize=16, symbolSize=160)
        .configure_header(labelFontSize=16, titleFontSize=18)
    )
