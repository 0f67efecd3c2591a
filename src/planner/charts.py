"""Altair chart builders shared by the pages and the exports; one colour per channel."""

from __future__ import annotations

import altair as alt
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
