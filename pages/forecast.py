"""Volume forecast: how many contacts next year, how sure are we, and what changes it?"""

import pandas as pd
import streamlit as st

from planner import charts, demand
from planner.errors import PlannerError, ScenarioError
from planner.forecast import METHODS, ForecastSet, forecast_each, periods_until
from planner.scenario import Scenario
from planner.volume import FREQ_LABELS, split_by_interval
from planner_ui import cache, state
from planner_ui.text import plain

ALL = "All channels"
PERIOD_WORDS = {"D": ("Day", "days"), "W": ("Week", "weeks"), "M": ("Month", "months")}
METHOD_NAMES = {
    "auto": "Most accurate in the backtest",
    "seasonal_naive": "Seasonal naive",
    "ets": "Exponential smoothing (ETS)",
    "sarimax": "Regression with ARIMA errors",
    "mstl": "MSTL decomposition",
    "theta": "Theta",
    "combination": "Average of the best three",
}


scenario = state.scenario()
loaded = state.history_or_sample()
daily = loaded.daily
st.title("Volume forecast")
st.write(
    "How many contacts will arrive, per channel, until the end of the plan? Each channel is "
    "forecast by the method that was most accurate on its own past, with the range to plan "
    f"against. History: **{plain(loaded.report.source)}**, {daily.total_tickets:,} tickets."
)

st.header("1. What are we forecasting?")
settings = scenario.forecast
left, middle, right = st.columns(3)
freq = left.selectbox(
    "Periods",
    list(PERIOD_WORDS),
    index=list(PERIOD_WORDS).index(settings.frequency),
    format_func=lambda f: FREQ_LABELS[f].capitalize(),
    help=type(settings).model_fields["frequency"].description,
)
label, unit = PERIOD_WORDS[freq]
last_period = daily.table("channel", None if freq == "D" else freq).index[-1]
to_plan_end = periods_until(last_period, scenario.end_month, freq)
horizon = middle.number_input(
    f"Horizon ({unit})",
    min_value=1,
    max_value={"D": 730, "W": 104, "M": 24}[freq],
    value=min(to_plan_end, {"D": 730, "W": 104, "M": 24}[freq]),
    key=f"horizon-{freq}",
    help=f"Defaults to the end of the plan ({scenario.end_month:%d %b %Y}): {to_plan_end} {unit}.",
)
by = right.radio(
    "One forecast per",
    ["channel", "queue"],
    horizontal=True,
    help="Per queue forecasts every channel and queue pair; totals are their sum.",
)
with st.expander("Method, interval and backtest"):
    a, b, c, d = st.columns(4)
    method = a.selectbox(
        "Method",
        ["auto", *METHODS],
        index=["auto", *METHODS].index(settings.method),
        format_func=METHOD_NAMES.get,
        help=type(settings).model_fields["method"].description,
    )
    level = b.slider(
        "Interval (%)",
        50,
        99,
        settings.interval_level,
        step=5,
        help=type(settings).model_fields["interval_level"].description,
    )
    origins = c.slider(
        "Backtest origins",
        1,
        12,
        settings.backtest_origins,
        help=type(settings).model_fields["backtest_origins"].description,
    )
    country = d.text_input(
        "Holiday calendar (country code)",
        settings.holiday_country,
        help=type(settings).model_fields["holiday_country"].description,
    )
try:
    changed = Scenario.parse(
        scenario.model_dump()
        | {
            "forecast": {
                "frequency": freq,
                "method": method,
                "interval_level": level,
                "backtest_origins": origins,
                "holiday_country": country.strip().upper(),
            }
        }
    )
except ScenarioError as exc:
    st.error(" ".join(exc.problems), icon=":material/error:")
    st.stop()
if changed != scenario:
    scenario = changed
    state.set_scenario(scenario)
settings = scenario.forecast


def make_forecasts(progress) -> ForecastSet:
    return forecast_each(
        loaded.daily,
        int(horizon),
        by=by,
        freq=None if freq == "D" else freq,
        level=settings.interval_level,
        method=settings.method,
        origins=settings.backtest_origins,
        holiday_country=settings.holiday_country,
        progress=progress,
    )


# Keyed by the forecast settings and the history's fingerprint: a what-if rerun never refits.
key = ("forecast", settings.model_dump_json(), daily.fingerprint, by, int(horizon))
unit_count = f"{horizon} {unit} ahead"
result = cache.get(key)
if result is None:
    with st.status("Testing methods on each series' history", expanded=True) as status:
        bar = st.progress(0.0, "Starting")
        try:
            result = cache.cached(
                key, lambda: make_forecasts(lambda f, m: bar.progress(min(f, 1.0), m))
            )
        except PlannerError as exc:
            status.update(label="The forecast could not be made", state="error")
            st.error(str(exc))
            st.stop()
        bar.empty()
        status.update(
            label=f"Forecast ready: {len(result.parts)} series, {unit_count}",
            state="complete",
            expanded=False,
        )

st.header("2. How accurate was each method on our own past?")
names = list(result.parts)
pick = st.selectbox("Series shown", [ALL, *names], key="series-pick")
actual_table = daily.table(by, None if freq == "D" else freq)
shown_history = 365 if freq == "D" else 104 if freq == "W" else 36
if pick == ALL:
    actual = actual_table.sum(axis=1).tail(shown_history)
    st.altair_chart(
        charts.forecast_band(actual, result.total(), level=level, period_label=label),
        width="stretch",
    )
    st.dataframe(
        result.accuracy(),
        hide_index=True,
        width="stretch",
        column_config={
            "series": "Series",
            "label": "Chosen method",
            "mase": st.column_config.NumberColumn("MASE", format="%.2f"),
            "wape": st.column_config.NumberColumn("WAPE", format="percent"),
            "bias": st.column_config.NumberColumn("Bias", format="percent"),
            "coverage": st.column_config.NumberColumn(f"{level}% coverage", format="percent"),
            "warnings": "Notes",
        },
    )
    st.info(
        "Each series has its own winner; pick one above to see its backtest. The total is "
        "the sum of the series, its band the sum of theirs (a cautious range)."
    )
else:
    part = result.parts[pick]
    fits = part.fits[part.fits["method"] == part.key]
    actual = actual_table[pick].tail(shown_history)
    if not fits.empty:  # reach back to the first backtest origin
        actual = actual_table[pick][
            actual_table.index >= min(fits["period"].min(), actual.index[0])
        ]
    st.altair_chart(
        charts.forecast_band(actual, part.frame(), fits, level=level, period_label=label),
        width="stretch",
    )
    st.info(part.explanation)
    for note in part.warnings:
        st.warning(note, icon=":material/warning:")
    st.altair_chart(charts.backtest_accuracy(part.backtest), width="stretch")
    st.dataframe(
        part.backtest.drop(columns="method"),
        hide_index=True,
        width="stretch",
        column_config={
            "label": "Method",
            "mase": st.column_config.NumberColumn("MASE", format="%.2f"),
            "wape": st.column_config.NumberColumn("WAPE", format="percent"),
            "bias": st.column_config.NumberColumn("Bias", format="percent"),
            "coverage": st.column_config.NumberColumn(f"{level}% coverage", format="percent"),
            "chosen": "Chosen",
        },
    )
if pick != ALL:
    st.caption("The chosen method's accuracy by how far ahead it forecast (bias first).")
    st.dataframe(
        part.accuracy_by_horizon(),
        hide_index=True,
        column_config={
            "ahead": f"{unit.capitalize()} ahead",
            "bias": st.column_config.NumberColumn("Bias", format="percent"),
            "wape": st.column_config.NumberColumn("WAPE", format="percent"),
            "points": "Periods tested",
        },
    )
with st.expander("What the accuracy measures mean"):
    st.markdown(
        "- **MASE**: average error divided by the error of repeating last season's value "
        "in the history; below 1 beats that simple rule.\n"
        "- **WAPE**: total absolute error as a share of actual volume.\n"
        "- **Bias**: positive means the method forecast too many contacts.\n"
        f"- **Coverage**: share of actual values inside the {level}% interval; the "
        "chosen method's interval is then scaled to hold what it promises."
    )

PERCENT = {"format": "%.0f%%"}


def rows_of(table: pd.DataFrame) -> list[dict]:
    """Edited rows as plain values; rows left wholly blank are ignored."""
    kept = table.dropna(how="all")
    return [
        {k: (None if pd.isna(v) else v) for k, v in row.items()} for row in kept.to_dict("records")
    ]


def day(value) -> object:
    return None if value is None else pd.Timestamp(value).date()


def adjustments_editor(adjust, channels: list[str]) -> dict:
    """The what-if inputs; returns the demand settings as entered (validated by the caller)."""
    fields = type(adjust).model_fields
    g1, g2, g3, g4 = st.columns(4)
    driver = g1.radio(
        "Growth driver",
        ["trend", "customers"],
        index=["trend", "customers"].index(adjust.growth_driver),
        format_func={"trend": "% a year", "customers": "Customers"}.get,
        help=fields["growth_driver"].description,
    )
    entered: dict = {"growth_driver": driver}
    if driver == "trend":
        growth = g2.number_input(
            "Extra growth (% a year)",
            -90.0,
            500.0,
            adjust.growth_pct_per_year * 100,
            step=1.0,
            key="growth",
            help=fields["growth_pct_per_year"].description,
        )
        entered["growth_pct_per_year"] = growth / 100
    else:
        customers = adjust.customers_now or state.scenario().costs.customers
        entered["customers_now"] = g2.number_input(
            "Customers now", 1, None, customers, help=fields["customers_now"].description
        )
        entered["customers_in_a_year"] = g3.number_input(
            "Customers in a year",
            0,
            None,
            adjust.customers_in_a_year or customers,
            help=fields["customers_in_a_year"].description,
        )
        rate = g4.number_input(
            "Contacts per customer (% a year)",
            -90.0,
            500.0,
            adjust.contacts_per_customer_change_pct * 100,
            step=1.0,
            help=fields["contacts_per_customer_change_pct"].description,
        )
        entered["contacts_per_customer_change_pct"] = rate / 100
    st.caption("Launches and campaigns: % change in the low and high case (10 = +10%).")
    events = st.data_editor(
        pd.DataFrame(
            [
                e.model_dump()
                | {
                    "low_pct": e.low_pct * 100,
                    "high_pct": e.high_pct * 100,
                    "channels": ", ".join(e.channels),
                }
                for e in adjust.events
            ],
            columns=["name", "start", "weeks", "low_pct", "high_pct", "channels"],
        ).astype({"start": "datetime64[s]"}),
        num_rows="dynamic",
        key="events-editor",
        width="stretch",
        column_config={
            "name": st.column_config.TextColumn("Event", required=True),
            "start": st.column_config.DateColumn("Starts", required=True),
            "weeks": st.column_config.NumberColumn("Weeks", min_value=1, max_value=52, default=4),
            "low_pct": st.column_config.NumberColumn("Low case", default=10.0, **PERCENT),
            "high_pct": st.column_config.NumberColumn("High case", default=30.0, **PERCENT),
            "channels": st.column_config.TextColumn(
                "Channels", help=f"Comma-separated; empty means all ({', '.join(channels)})."
            ),
        },
    )
    st.caption("AI deflection: share of a channel's contacts answered without an agent.")
    deflections = st.data_editor(
        pd.DataFrame(
            [d.model_dump() | {"share": d.share * 100} for d in adjust.deflection],
            columns=["channel", "start", "share", "ramp_months"],
        ).astype({"start": "datetime64[s]"}),
        num_rows="dynamic",
        key="deflection-editor",
        width="stretch",
        column_config={
            "channel": st.column_config.SelectboxColumn("Channel", options=channels, required=True),
            "start": st.column_config.DateColumn("Go-live", required=True),
            "share": st.column_config.NumberColumn(
                "Share at full adoption", min_value=0.0, max_value=95.0, default=25.0, **PERCENT
            ),
            "ramp_months": st.column_config.NumberColumn(
                "Months to full adoption", min_value=0, max_value=24, default=3
            ),
        },
    )
    entered["events"] = [
        row
        | {
            "start": day(row["start"]),
            "low_pct": (row["low_pct"] or 0) / 100,
            "high_pct": (row["high_pct"] or 0) / 100,
            "channels": [c.strip() for c in (row["channels"] or "").split(",") if c.strip()],
        }
        for row in rows_of(events)
    ]
    entered["deflection"] = [
        row | {"start": day(row["start"]), "share": (row["share"] or 0) / 100}
        for row in rows_of(deflections)
    ]
    return entered


@st.fragment
def what_if() -> None:
    """Sections 3 to 5 rerun alone when an adjustment changes: no refit, no section 2."""
    st.header("3. What will change?")
    st.write(
        "The forecast continues the past. Add what the past cannot know: extra growth, "
        "launches and campaigns, and contacts an AI assistant will answer. The effect is "
        "drawn at once."
    )
    scenario = state.scenario()
    entered = adjustments_editor(scenario.demand, daily.channels)
    try:
        changed = Scenario.parse(
            scenario.model_dump() | {"demand": scenario.demand.model_dump() | entered}
        )
    except ScenarioError as exc:
        st.error(
            "These adjustments are not applied until fixed: " + " ".join(exc.problems),
            icon=":material/error:",
        )
    else:
        if changed != scenario:
            scenario = changed
            state.set_scenario(scenario)
    adjusted = demand.apply(result, scenario.demand)
    for note in adjusted.notes:
        st.warning(note, icon=":material/warning:")
    shown = adjusted.total() if pick == ALL else adjusted.series(pick)
    recent = actual.tail(max(int(horizon), {"D": 56, "W": 26, "M": 12}[freq]))
    table, names = charts.band_table(recent, shown)
    st.vega_lite_chart(table, charts.forecast_band_spec(names, level, label), width="stretch")
    if not adjusted.effects.empty:
        st.vega_lite_chart(adjusted.effects, charts.demand_effects_spec(), width="stretch")
    st.info(adjusted.takeaway(None if pick == ALL else pick, level))

    st.header("4. How does a day split into intervals?")
    if freq != "D":
        st.write("Intervals come from daily forecasts: choose daily periods in section 1.")
    else:
        minutes = st.segmented_control(
            "Interval (minutes)", [15, 30, 60], default=30, key="minutes"
        )
        minutes = minutes or 30
        channel = None if pick == ALL else pick.split(" / ")[0]
        split = split_by_interval(
            shown[["mean", "lower", "upper"]].head(7), daily.intraday_shares(channel, minutes)
        )
        st.vega_lite_chart(
            split.reset_index(), charts.intraday_volume_spec(minutes), width="stretch"
        )
        st.caption(
            f"The first week of the forecast, split by the weekday x {minutes}-minute shape "
            f"of {'all channels' if channel is None else channel} in the history "
            f"({scenario.time_zone}); staffing runs on these intervals."
        )

    st.header("5. Take it with you")
    left, right = st.columns(2)
    left.download_button(
        "Download the forecast (CSV)",
        lambda: adjusted.frame.to_csv(index=False).encode(),
        file_name=f"volume_forecast_{freq}_{horizon}.csv",
        mime="text/csv",
        help="Per series and period: mean, lower, upper, and the forecast before adjustments.",
    )
    right.download_button(
        "Download the scenario with these settings (JSON)",
        lambda: scenario.to_json().encode(),
        file_name="scenario.json",
        mime="application/json",
    )


what_if()
