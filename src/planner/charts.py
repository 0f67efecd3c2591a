"""Altair chart builders shared by the pages and the exports; one colour per channel."""

from __future__ import annotations

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
            x=alt.X("period:T", title=period_label),
            y=alt.Y("tickets:Q", title="Tickets"),
            color=alt.Color("channel:N", title="Channel", scale=_channel_scale(channels)),
            tooltip=[
                alt.Tooltip("period:T", title=period_label),
                "channel:N",
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
            color=alt.Color("share:Q", title="Share", scale=alt.Scale(scheme="blues")),
            tooltip=[
                "day:N",
                "hour:O",
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


def forecast_band(
    actual: pd.Series,
    forecast: pd.DataFrame,
    fits: pd.DataFrame | None = None,
    *,
    level: int = 80,
    period_label: str = "Day",
) -> alt.LayerChart:
    """Actual volume, the backtest's forecasts, and the forecast with its interval band.

    ``forecast`` is indexed by period with mean, lower, upper and, when adjustments
    changed it, base_mean (drawn dashed as the forecast before adjustments). ``fits`` has
    period, origin and mean of the chosen method at each backtest origin.
    """
    band = forecast.reset_index()
    lines = [
        pd.DataFrame({"period": actual.index, "value": actual.to_numpy(), "line": "Actual"}),
        pd.DataFrame({"period": band["period"], "value": band["mean"], "line": "Forecast"}),
    ]
    if fits is not None and not fits.empty:
        lines.append(fits.assign(value=fits["mean"], line="Backtest forecast"))
    if "base_mean" in band and not np.allclose(band["base_mean"], band["mean"]):
        before = "Forecast before adjustments"
        lines.append(
            pd.DataFrame({"period": band["period"], "value": band["base_mean"], "line": before})
        )
    long = pd.concat(lines, ignore_index=True)
    long["origin"] = long["origin"].astype(str) if "origin" in long else ""
    shown = [name for name in LINES if name in set(long["line"])]
    x = alt.X("period:T", title=period_label)
    area = (
        alt.Chart(band)
        .mark_area(opacity=0.22, color=LINES["Forecast"][0])
        .encode(
            x=x,
            y=alt.Y("lower:Q", title="Contacts"),
            y2="upper:Q",
            tooltip=[
                alt.Tooltip("period:T", title=period_label),
                alt.Tooltip("mean:Q", title="Forecast", format=",.0f"),
                alt.Tooltip("lower:Q", title=f"Low (P{(100 - level) // 2})", format=",.0f"),
                alt.Tooltip("upper:Q", title=f"High (P{100 - (100 - level) // 2})", format=",.0f"),
            ],
        )
    )
    drawn = (
        alt.Chart(long)
        .mark_line(strokeWidth=1.4)
        .encode(
            x=x,
            y=alt.Y("value:Q", title="Contacts"),
            color=alt.Color(
                "line:N",
                title=None,
                scale=alt.Scale(domain=shown, range=[LINES[n][0] for n in shown]),
                legend=alt.Legend(orient="top"),
            ),
            strokeDash=alt.StrokeDash(
                "line:N",
                scale=alt.Scale(domain=shown, range=[LINES[n][1] for n in shown]),
                legend=None,
            ),
            detail="origin:N",
            tooltip=[
                alt.Tooltip("period:T", title=period_label),
                "line:N",
                alt.Tooltip("value:Q", title="Contacts", format=",.0f"),
            ],
        )
    )
    return alt.layer(area, drawn).properties(height=360).interactive(bind_y=False)


def backtest_accuracy(table: pd.DataFrame) -> alt.Chart:
    """MASE per method (lower is better); the chosen method stands out."""
    data = table.assign(
        result=np.where(table["chosen"], "Chosen", "Tried"), label=table["label"].str.slice(0, 60)
    )
    return (
        alt.Chart(data, height=alt.Step(26))
        .mark_bar()
        .encode(
            x=alt.X("mase:Q", title="MASE (below 1 beats last week's same weekday in sample)"),
            y=alt.Y("label:N", title=None, sort="x"),
            color=alt.Color(
                "result:N",
                title=None,
                scale=alt.Scale(domain=["Chosen", "Tried"], range=["#1f5fa8", "#aeb6bf"]),
                legend=None,
            ),
            tooltip=[
                "label:N",
                alt.Tooltip("mase:Q", format=".2f"),
                alt.Tooltip("wape:Q", format=".1%"),
                alt.Tooltip("bias:Q", format="+.1%"),
                alt.Tooltip("coverage:Q", format=".0%"),
            ],
        )
    )


def demand_effects(effects: pd.DataFrame) -> alt.Chart:
    """Contacts each adjustment adds (orange) or removes (green) over the horizon."""
    data = effects.assign(direction=np.where(effects["contacts"] >= 0, "adds", "removes"))
    return (
        alt.Chart(data, height=alt.Step(30))
        .mark_bar()
        .encode(
            x=alt.X("contacts:Q", title="Contacts over the horizon", axis=alt.Axis(format=",.0f")),
            y=alt.Y("adjustment:N", title=None, sort=None),
            color=alt.Color(
                "direction:N",
                scale=alt.Scale(domain=["adds", "removes"], range=["#e07b00", "#2a9d5b"]),
                legend=None,
            ),
            tooltip=["adjustment:N", alt.Tooltip("contacts:Q", format="+,.0f")],
        )
    )


def intraday_volume(split: pd.DataFrame, minutes: int) -> alt.Chart:
    """Forecast contacts per interval (mean, with the band) over a few days."""
    data = split.reset_index()
    base = alt.Chart(data).encode(x=alt.X("interval:T", title=f"Interval ({minutes} minutes)"))
    band = base.mark_area(opacity=0.2, color=LINES["Forecast"][0]).encode(
        y=alt.Y("lower:Q", title="Contacts per interval"), y2="upper:Q"
    )
    line = base.mark_line(color=LINES["Forecast"][0], strokeWidth=1.2).encode(
        y="mean:Q",
        tooltip=[
            alt.Tooltip("interval:T", format="%a %d %b %H:%M"),
            alt.Tooltip("mean:Q", format=",.1f"),
            alt.Tooltip("lower:Q", format=",.1f"),
            alt.Tooltip("upper:Q", format=",.1f"),
        ],
    )
    return alt.layer(band, line).properties(height=260)
