"""Ticket history: what did we receive, through which channels, and when? An upload becomes
the plan's own: its handle times, hours and channels are measured, and the organisation is
chosen."""

import hashlib

import pandas as pd
import streamlit as st

from planner import charts, measure
from planner.columns import UNIT_CHOICES
from planner.errors import IngestError
from planner.export.tables import safe_csv
from planner.presets import FIELD_LABELS, FIELDS, PRESETS, REQUIRED_FIELDS
from planner.scenario import Scenario, Source
from planner.volume import FREQ_LABELS
from planner_ui import figures, pipeline, say, scenarios, sources, state
from planner_ui.text import plain

SOURCES = {"sample": "Sample data (Zendesk export, 3 years)", "upload": "Upload an export",
           "database": "Connect to a database"}  # fmt: skip
ORDERS = {"auto": "Decide from the dates", "day_first": "Day first (31/12)",
          "month_first": "Month first (12/31)"}  # fmt: skip
MEASURED_KEY = "measured"

scenario = state.scenario()
st.title("Ticket history")
st.write(
    "Every plan starts from what customers actually sent. Load a helpdesk export; "
    "Support Planner keeps only counts per day, channel and queue, never names or messages."
)


def ingest(path, options: state.ReadOptions, name: str | None = None, remember: bool = False):
    """Read ``path`` with ``options``; a file that gives tickets becomes the history (an
    upload also measures the plan's inputs), one that does not is kept as pending with its
    report, and the plan keeps the last history that worked."""
    progress = st.progress(0.0, "Starting")
    try:
        report, daily = state.read_file(
            path, options, scenario.time_zone, name,
            lambda fraction, message: progress.progress(fraction, message),
        )  # fmt: skip
        if daily is not None and (daily.freq != "D" or daily.time_zone != scenario.time_zone):
            progress.empty()
            say.error(
                f"'{name}' holds counts per {FREQ_LABELS[daily.freq]} in "
                f"{daily.time_zone}; the plan needs them per day in {scenario.time_zone}. "
                "Write it again with: python -m planner aggregate FILE --freq D "
                f"--time-zone {scenario.time_zone}",
                icon=":material/error:",
            )
            st.stop()
    except IngestError as exc:
        progress.empty()
        say.error(str(exc), icon=":material/error:")
        st.stop()
    progress.empty()
    take(report, daily, path, options, remember)


def take(report, daily, path, options: state.ReadOptions, remember: bool = False) -> None:
    """The counts read from a file or a database become the history (and measure the plan's
    inputs) when there are tickets; else they wait as pending with their report."""
    loaded = state.LoadedHistory(report, daily, path, options)
    if daily is None:
        state.set_pending(loaded)
        return
    state.set_pending(None)
    state.set_history(loaded)
    saved = scenarios.connection()
    if remember and saved is not None:
        saved.remember_reading(report.headers, options.as_dict())
    if path == state.SAMPLE_TICKETS:
        return
    base = measure.forget(state.scenario())  # the last upload's measures are not defaults
    planned = measure.measure(daily, base)
    st.session_state[MEASURED_KEY] = planned
    uploaded = Source(kind="uploaded", detail=f"{report.source}, {report.tickets:,} tickets")
    state.set_scenario(measure.apply(base, planned).with_sources({"tickets": uploaded}))


def read_upload(path, name: str) -> None:
    """Read an upload; when an export with the same header was read with chosen options
    before, read it again with those."""
    ingest(path, state.ReadOptions(), name)
    saved = scenarios.connection()
    headers = (state.pending() or state.history()).report.headers
    choices = None if saved is None else saved.reading_for(headers)
    if choices is not None and state.ReadOptions.of(choices) != state.ReadOptions():
        ingest(path, state.ReadOptions.of(choices), name)
        st.toast("Read with the options chosen for this header before", icon=":material/history:")


st.header("1. Which tickets are we planning from?")
loaded, waiting = state.history(), state.pending()
shown_file = waiting or loaded
on_sample = loaded is None or loaded.is_sample
source = st.radio(
    "Source", list(SOURCES), index=0 if on_sample else 1, format_func=SOURCES.get,
    horizontal=True, help="The sample is a generated SaaS company; see sample_data/README.md.",
    key="data-source",
)  # fmt: skip
if source == "sample" and not on_sample:
    st.toast("Back to the sample company: its base plan and organisation", icon=":material/undo:")
    state.set_pending(None)
    state.set_scenario(Scenario.from_json(state.SAMPLE_SCENARIO.read_text()))
    st.session_state.pop(MEASURED_KEY, None)
    st.session_state.pop(pipeline.ORG_KEY, None)
    state.set_history(state.sample_history(state.SAMPLE_TICKETS, state.scenario().time_zone))
    st.rerun()
if source == "upload":
    uploaded = st.file_uploader(
        "Zendesk, Salesforce Service Cloud, Freshdesk, ServiceNow, Jira Service Management, "
        "or any CSV / XLSX / Parquet with one row per ticket (or an event log)",
        type=["csv", "xlsx", "parquet", "gz"],
        key=state.uploader_key(),
    )
    if uploaded is not None:
        path = state.keep_upload(uploaded.getvalue())
        name = uploaded.name
        state.clear_uploader(uploaded)
        del uploaded
        read_upload(path, name)
        st.rerun()
elif source == "database":
    say.caption(
        "The checks and the counting run in the database; only counts per quarter hour, "
        "channel and queue come back. The address is used for this read only: it is never "
        "saved, logged or shown with its password."
    )
    url_column, table_column = st.columns([3, 2])
    url = url_column.text_input(
        "Database URL (SQLAlchemy)", type="password", key="data-db-url",
        placeholder="postgresql://user:password@host:5432/support",
        help="PostgreSQL, Snowflake, BigQuery, Redshift or DuckDB, as SQLAlchemy writes them.",
    )  # fmt: skip
    table = table_column.text_input(
        "Table or SELECT", key="data-db-table", placeholder="support.tickets",
        help="A table (schema.table) or a query; times must be timestamps, durations numbers.",
    )  # fmt: skip
    clicked = st.button("Read from the database", type="primary")
    if clicked and not (url and table):
        say.warning("Enter the database URL and a table or SELECT first.", icon=":material/info:")
    elif clicked:
        progress = st.progress(0.0, "Connecting")
        try:
            report, daily = state.read_database(
                url, table, scenario.time_zone,
                lambda fraction, message: progress.progress(fraction, message),
            )  # fmt: skip
        except IngestError as exc:
            progress.empty()
            say.error(str(exc), icon=":material/error:")
            st.stop()
        progress.empty()
        del st.session_state["data-db-url"]  # used for this read only
        take(report, daily, None, state.ReadOptions())
        st.rerun()
elif loaded is None:  # a new session: the sample, read once per server
    state.set_history(state.sample_history(state.SAMPLE_TICKETS, state.scenario().time_zone))
    st.rerun()

if shown_file is not None and shown_file.path is not None and not shown_file.report.aggregated:
    report, options = shown_file.report, shown_file.options
    form = hashlib.sha256(f"{shown_file.path}{report.headers}".encode()).hexdigest()[:10]
    with st.expander(
        "Reading options: layout, column mapping, date order, time zone, handle-time unit",
        expanded=not report.ok,
    ):
        left, middle, right, last = st.columns(4)
        presets = ["detect", *PRESETS]
        preset = left.selectbox(
            "Export layout", presets, index=presets.index(options.preset or "detect"),
            format_func=lambda n: "Detect from the headers" if n == "detect" else PRESETS[n].label,
            key=f"data-preset-{form}", help=f"Read now as {PRESETS[report.preset].label}.",
        )  # fmt: skip
        zone = middle.text_input(
            "Time zone of times without offset", value=options.zone or scenario.time_zone,
            help="Zendesk and Freshdesk CSV exports use the account's time zone and no offset.",
            key=f"data-zone-{form}",
        )  # fmt: skip
        order = right.selectbox(
            "Date order", list(ORDERS), index=list(ORDERS).index(options.date_order),
            format_func=ORDERS.get, key=f"data-order-{form}",
            help="Chosen once for the whole file; 'decide' uses dates like 13/03.",
        )  # fmt: skip
        unit = last.selectbox(
            "Handle-time unit", UNIT_CHOICES, index=UNIT_CHOICES.index(options.handle_unit),
            format_func=lambda u: "From the header or the values" if u == "auto" else u,
            key=f"data-unit-{form}",
            help="Numeric handle times; HH:MM:SS cells are read as durations.",
        )  # fmt: skip
        say.caption(
            "Column mapping: which column each ticket field is read from. Suggested: "
            + (
                ", ".join(f"'{c}' for {FIELD_LABELS[f].lower()}"
                          for f, cols in report.suggestions.items() for c in cols)
                or "nothing"
            )
            + "."
        )  # fmt: skip
        headers = report.headers
        mapping: dict[str, str | None] = {}
        columns = st.columns(4)
        for i, field_name in enumerate(FIELDS):
            current = report.mapping.get(field_name)
            if current is None and field_name in REQUIRED_FIELDS:  # offer the likely column
                current = (report.suggestions.get(field_name) or [None])[0]
            choices = ["(not in file)", *headers]
            choice = columns[i % 4].selectbox(
                FIELD_LABELS[field_name], choices,
                index=choices.index(current) if current in choices else 0,
                key=f"data-map-{field_name}-{form}",
            )  # fmt: skip
            mapping[field_name] = None if choice == "(not in file)" else choice
        chosen = state.ReadOptions(
            None if preset == "detect" else preset,
            {f: c for f, c in mapping.items() if c != report.mapping.get(f)},
            "" if zone == scenario.time_zone else zone,
            order,
            unit,
        )
        if st.button("Read the file again with these options", type="primary", key="data-reread"):
            kept = dict(options.mapping) | chosen.mapping
            again = state.ReadOptions(chosen.preset, kept, chosen.zone, order, unit)
            ingest(shown_file.path, again, report.source, remember=not shown_file.is_sample)
        if not shown_file.is_sample:
            st.caption(
                "The file is kept for this session, so it is read again without a new upload; "
                "your choices are remembered for the next export with the same header."
            )

loaded, waiting = state.history(), state.pending()  # a click above may have read again
if waiting is not None:
    st.header("2. What was understood")
    st.error(
        f"'{plain(waiting.report.source)}' gave no tickets. The plan keeps using "
        f"{'the sample' if loaded is None or loaded.is_sample else plain(loaded.report.source)}"
        " until it does.",
        icon=":material/error:",
    )
    for problem in waiting.report.errors:
        st.error(f"{plain(problem.message)} Fix: {plain(problem.fix)}", icon=":material/error:")
    st.stop()

loaded = state.history()
if loaded is None:
    st.stop()
report, daily = loaded.report, loaded.daily

st.header("2. What was understood")
counted = "Counts (written by python -m planner aggregate) of " if report.aggregated else ""
st.write(
    f"{counted}**{plain(report.source)}**: {report.file_type}, read as "
    f"**{PRESETS[report.preset].label}**"
    + (f"; dates {plain(report.date_format)}" if report.date_format else "")
    + f"; times without offset taken as {plain(report.source_time_zone)}"
    + (f"; handle times in {report.handle_unit}" if report.handle_unit else "")
    + (f"; header on line {report.header_row}" if report.header_row > 1 else "")
    + (" (an event log: one ticket per case)." if report.event_log else ".")
)
for problem in report.errors:
    st.error(f"{plain(problem.message)} Fix: {plain(problem.fix)}", icon=":material/error:")
for problem in report.warnings:
    st.warning(f"{plain(problem.message)} Fix: {plain(problem.fix)}", icon=":material/warning:")
if report.problems:
    with st.expander(f"All notes on the file ({len(report.problems)}), with rows"):
        st.dataframe(report.problems_table(), hide_index=True, width="stretch")

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
sources.plan_notices(state.scenario(), loaded, ())

own = not (
    loaded.is_sample or (loaded.path is None and scenario.source_of("tickets").kind == "sample")
)
if own:
    st.header("3. What the plan takes from your tickets")
    st.write(
        "Where your history can tell, it replaces the defaults: handle times (the mean, "
        "which Erlang needs; the median beside it), when live channels are open, and which "
        "channels there are. Untick a row to keep the default instead."
    )
    planned = st.session_state.get(MEASURED_KEY)
    current = state.scenario()
    if planned is None:  # a saved version: what was measured when it was loaded
        kept = {p: s for p, s in current.sources.items() if s.kind == "measured"}
        st.dataframe(
            pd.DataFrame({"input": list(kept), "measured": [s.detail for s in kept.values()]}),
            hide_index=True,
            width="stretch",
        )
    else:
        chosen_scenario = sources.measured_table(current, planned)
        if chosen_scenario is not current:
            state.set_scenario(chosen_scenario)
            st.rerun()

    st.header("4. Who does the work?")
    st.write(
        "The plan needs people to pay and to count against demand. Your tickets came without "
        "them: choose whose organisation the plan uses."
    )
    sources.organisation_choice(state.scenario(), loaded)

base = 5 if own else 3
st.header(f"{base}. How does volume move?")
grain = st.segmented_control(
    "Show per", ["Week", "Day"], default="Week" if days > 120 else "Day", key="grain"
)
by_channel = daily.by_channel()
shown = daily.by_channel("W") if grain == "Week" else by_channel
figures.draw(charts.volume_by_channel(shown, grain or "Week"), width="stretch")
window, recent, change = daily.recent_rate(28)
takeaway = f"Over the last {window} days you received {recent:,.0f} tickets a day"
if change is not None:
    takeaway += f", {change:+.0%} on the same weeks a year earlier"
say.info(takeaway + ".")
with st.expander("Daily counts by channel"):
    st.dataframe(by_channel.tail(90), width="stretch")

st.header(f"{base + 1}. When do contacts arrive?")
channel_pick = st.selectbox(
    "Channel shown", ["all channels", *daily.channels], key="heatmap-channel"
)
profile = daily.profile
if channel_pick != "all channels":
    profile = profile[profile["channel"] == channel_pick]
figures.draw(charts.weekday_hour_heatmap(profile), width="stretch")
busiest = daily.busiest_hour(None if channel_pick == "all channels" else channel_pick)
say.info(
    f"The busiest hour is {charts.WEEKDAYS[busiest[0]]} "
    f"{busiest[1]:02d}:00-{busiest[1] + 1:02d}:00 "
    f"({scenario.time_zone}); staffing per interval follows this shape."
)

st.header(f"{base + 2}. Take the history with you")
st.download_button(
    "Download daily history (CSV)",
    safe_csv(daily.counts),
    file_name="ticket_history_daily.csv",
    mime="text/csv",
)
