"""Ticket history: what did we receive, through which channels, and when?"""

import pandas as pd
import streamlit as st

from planner import charts
from planner.errors import IngestError
from planner.export.tables import safe_csv
from planner.ingest import read_tickets
from planner.presets import FIELD_LABELS, FIELDS, PRESETS
from planner.volume import aggregate
from planner_ui import state
from planner_ui.text import plain

scenario = state.scenario()
st.title("Ticket history")
st.write(
    "Every plan starts from what customers actually sent. Load a helpdesk export; "
    "Support Planner keeps only counts per day, channel and queue, never names or messages."
)

st.header("1. Which tickets are we planning from?")
source = st.radio(
    "Source",
    ["Sample data (Zendesk export, 3 years)", "Upload an export"],
    horizontal=True,
    help="The sample is a generated SaaS company; see sample_data/README.md.",
)
uploaded = None
if source == "Upload an export":
    uploaded = st.file_uploader(
        "Zendesk, Salesforce Service Cloud, Freshdesk, or any CSV / XLSX / Parquet "
        "with one row per ticket",
        type=["csv", "xlsx", "parquet", "gz"],
        key=state.uploader_key(),
    )

with st.expander("Reading options: preset, time zone, date order, column mapping"):
    left, middle, right = st.columns(3)
    preset_names = ["detect", *PRESETS]
    preset = left.selectbox(
        "Export layout",
        preset_names,
        format_func=lambda n: "Detect from headers" if n == "detect" else PRESETS[n].label,
    )
    zone = middle.text_input(
        "Time zone of times without offset",
        value=scenario.time_zone,
        help="Zendesk and Freshdesk CSV exports use the account's time zone and no offset.",
    )
    order = right.selectbox(
        "Date order",
        ["auto", "day_first", "month_first"],
        help="Chosen once for the whole file; 'auto' decides from dates like 13/03.",
    )
    loaded = state.history()
    headers = loaded.report.headers if loaded else []
    mapping: dict[str, str | None] = {}
    if loaded:
        st.caption("Column mapping (what each ticket field is read from). Change and re-read.")
        cols = st.columns(4)
        for i, field_name in enumerate(FIELDS):
            current = loaded.report.mapping.get(field_name)
            options = ["(not in file)", *headers]
            choice = cols[i % 4].selectbox(
                FIELD_LABELS[field_name],
                options,
                index=options.index(current) if current in options else 0,
                key=f"map-{field_name}",
            )
            if choice != current:
                mapping[field_name] = None if choice == "(not in file)" else choice
    reread = st.button("Re-read with these options", disabled=loaded is None)


def ingest(file, overrides: dict[str, str | None]) -> None:
    """Read and aggregate; column overrides apply only to the file they were chosen for."""
    progress = st.progress(0.0, "Starting")
    try:
        result = read_tickets(
            file,
            None if preset == "detect" else preset,
            mapping=overrides,
            source_time_zone=zone,
            date_order=order,
            progress=lambda fraction, message: progress.progress(fraction, message),
        )
        daily = aggregate(result, "D", scenario.time_zone)
    except IngestError as exc:
        progress.empty()
        st.error(str(exc))
        st.stop()
    progress.empty()
    state.set_history(state.LoadedHistory(result.report, daily))


if uploaded is not None:
    ingest(uploaded, {})
    state.clear_uploader()
    st.rerun()
elif reread and state.history().report.source != state.SAMPLE_TICKETS.name:
    st.info("Upload the file again to re-read it: uploads are not kept after reading.")
elif state.history() is None or reread:
    ingest(state.SAMPLE_TICKETS, mapping if reread else {})
    st.rerun()

loaded = state.history()
if loaded is None:
    st.stop()
report, daily = loaded.report, loaded.daily

st.header("2. What was understood")
st.write(
    f"**{plain(report.source)}**: {report.file_type}, read as "
    f"**{PRESETS[report.preset].label}**"
    + (f"; dates {plain(report.date_format)}" if report.date_format else "")
    + f"; times without offset taken as {plain(report.source_time_zone)}."
)
for problem in report.errors:
    st.error(f"{plain(problem.message)} Fix: {plain(problem.fix)}", icon=":material/error:")
for problem in report.warnings:
    st.warning(f"{plain(problem.message)} Fix: {plain(problem.fix)}", icon=":material/warning:")
if report.problems:
    with st.expander(f"All notes on the file ({len(report.problems)}), with rows"):
        st.dataframe(report.problems_table(), hide_index=True, width="stretch")
if not report.ok:
    st.stop()

first_day = report.first_created.tz_convert(scenario.time_zone)
last_day = report.last_created.tz_convert(scenario.time_zone)
days = (last_day.normalize() - first_day.normalize()).days + 1
k1, k2, k3, k4 = st.columns(4)
k1.metric("Tickets kept", f"{report.tickets:,}", help="After excluding the rows listed above.")
k2.metric("Rows read", f"{report.rows_read:,}")
k3.metric("From", f"{first_day:%d %b %Y}")
k4.metric("To", f"{last_day:%d %b %Y}", help=f"{days:,} days of history")
shares = pd.Series(report.tickets_by_channel, name="tickets")
share_cols = st.columns(max(len(shares), 1))
for col, (channel, count) in zip(share_cols, shares.items(), strict=False):
    col.metric(f"{channel}", f"{count / report.tickets:.0%}", help=f"{count:,} tickets")

st.header("3. How does volume move?")
grain = st.segmented_control(
    "Show per", ["Week", "Day"], default="Week" if days > 120 else "Day", key="grain"
)
by_channel = daily.by_channel()
shown = daily.by_channel("W") if grain == "Week" else by_channel
st.altair_chart(charts.volume_by_channel(shown, grain or "Week"), width="stretch")
window, recent, change = daily.recent_rate(28)
takeaway = f"Over the last {window} days you received {recent:,.0f} tickets a day"
if change is not None:
    takeaway += f", {change:+.0%} on the same weeks a year earlier"
st.info(takeaway + ".")
with st.expander("Daily counts by channel"):
    st.dataframe(by_channel.tail(90), width="stretch")

st.header("4. When do contacts arrive?")
channel_pick = st.selectbox(
    "Channel shown", ["all channels", *daily.channels], key="heatmap-channel"
)
profile = daily.profile
if channel_pick != "all channels":
    profile = profile[profile["channel"] == channel_pick]
st.altair_chart(charts.weekday_hour_heatmap(profile), width="stretch")
busiest = daily.busiest_hour(None if channel_pick == "all channels" else channel_pick)
st.info(
    f"The busiest hour is {charts.WEEKDAYS[busiest[0]]} "
    f"{busiest[1]:02d}:00-{busiest[1] + 1:02d}:00 "
    f"({scenario.time_zone}); staffing per interval follows this shape."
)

st.header("5. Take the history with you")
st.download_button(
    "Download daily history (CSV)",
    safe_csv(daily.counts),
    file_name="ticket_history_daily.csv",
    mime="text/csv",
)
