"""Volume forecast: how many contacts next year, how sure are we, and what changes it?"""

import pandas as pd
import streamlit as st

from planner import charts, demand
from planner.errors import ScenarioError
from planner.export.tables import safe_csv
from planner.forecast import intraday, periods_until
from planner.scenario import Scenario, mark_typed
from planner.volume import FREQ_LABELS
from planner_ui import figures, pipeline, say, sources, state
from planner_ui import forecast_widgets as widgets
from planner_ui.text import plain

ALL = "All channels"
MAX_HORIZON = {"D": 730, "W": 104, "M": 24}  # two years of periods


scenario = state.scenario()
loaded = state.history_or_sample()
daily = loaded.daily
st.title("Volume forecast")
sources.plan_notices(scenario, loaded, ("tickets",))
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
    list(pipeline.PERIOD_WORDS),
    index=list(pipeline.PERIOD_WORDS).index(settings.frequency),
    format_func=lambda f: FREQ_LABELS[f].capitalize(),
    help=type(settings).model_fields["frequency"].description,
)
label, unit = pipeline.PERIOD_WORDS[freq]
last_period = daily.last_period(None if freq == "D" else freq)
to_plan_end = periods_until(last_period, scenario.end_month, freq)
horizon = middle.number_input(
    f"Horizon ({unit})",
    min_value=1,
    max_value=max(MAX_HORIZON[freq], to_plan_end),
    value=to_plan_end,
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
    entered = widgets.method_inputs(settings)
scenario = state.apply_section("forecast", {"frequency": freq, **entered})
settings = scenario.forecast
level = settings.interval_level


# Kept by the forecast settings and the history's fingerprint: a what-if rerun never refits.
result = pipeline.forecast(scenario, daily, by, int(horizon))

st.header("2. How accurate was each method on our own past?")
names = list(result.parts)
pick = st.selectbox("Series shown", [ALL, *names], key="series-pick")
actual_table = daily.table(by, None if freq == "D" else freq)
shown_history = 365 if freq == "D" else 104 if freq == "W" else 36
if pick == ALL:
    actual = actual_table.sum(axis=1).tail(shown_history)
    figures.draw(
        charts.forecast_band(actual, result.total(), level=level, period_label=label),
        width="stretch",
    )
    st.dataframe(
        result.accuracy(),
        hide_index=True,
        width="stretch",
        column_config=widgets.accuracy_columns(
            level, series="Series", label="Chosen method", warnings="Notes"
        ),
    )
    st.info(
        "Each series has its own winner; pick one above to see its backtest. The total is "
        "the sum of the series, its band the sum of theirs (a cautious range)."
    )
else:
    part = result.parts[pick]
    fits = part.chosen_fits
    actual = actual_table[pick].tail(shown_history)
    if not fits.empty:  # reach back to the first backtest origin
        actual = actual_table[pick][
            actual_table.index >= min(fits["period"].min(), actual.index[0])
        ]
    figures.draw(
        charts.forecast_band(actual, part.frame(), fits, level=level, period_label=label),
        width="stretch",
    )
    say.info(part.explanation)
    for note in part.warnings:
        say.warning(note, icon=":material/warning:")
    figures.draw(charts.backtest_accuracy(part.backtest), width="stretch")
    st.dataframe(
        part.backtest.drop(columns="method"),
        hide_index=True,
        width="stretch",
        column_config=widgets.accuracy_columns(level, label="Method", chosen="Chosen"),
    )
if pick != ALL:
    say.caption(
        "The chosen method's accuracy by how far ahead it forecast (bias first), and how "
        f"often the actual value fell inside its {level}% range: the promise is {level}%."
    )
    st.dataframe(
        part.accuracy_by_horizon(),
        hide_index=True,
        column_config={
            "ahead": f"{'Open ' if part.freq == 'B' else ''}{unit} ahead",
            "bias": st.column_config.NumberColumn("Bias", format="percent"),
            "wape": st.column_config.NumberColumn("WAPE", format="percent"),
            "mase": st.column_config.NumberColumn("MASE", format="%.2f"),
            "coverage": st.column_config.NumberColumn(f"In the {level}% range", format="percent"),
            "points": "Periods tested",
        },
    )
    months = part.totals("M")
    months.index = months.index.strftime("%b %Y")
    say.caption(
        f"Monthly totals with their {level}% range, from simulated paths of the whole month "
        "(not the sum of each day's range):"
    )
    st.dataframe(months, column_config={c: st.column_config.NumberColumn(format="%,.0f")
                                        for c in ("mean", "lower", "upper")})  # fmt: skip
with st.expander("What the accuracy measures mean"):
    st.markdown(
        "- **MASE**: average error divided by the error of repeating last season's value "
        "in the history; below 1 beats that simple rule.\n"
        "- **WAPE**: total absolute error as a share of actual volume.\n"
        "- **Bias**: positive means the method forecast too many contacts.\n"
        f"- **Coverage**: share of actual values inside the {level}% interval; the "
        "chosen method's interval is then scaled to hold what it promises."
    )


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
    entered = widgets.adjustments_editor(scenario.demand, daily.channels)
    try:
        changed = Scenario.parse(
            scenario.model_dump() | {"demand": scenario.demand.model_dump() | entered}
        )
    except ScenarioError as exc:
        say.error(
            "These adjustments are not applied until fixed: " + " ".join(exc.problems),
            icon=":material/error:",
        )
    else:
        if changed != scenario:
            scenario = mark_typed(scenario, changed)
            state.set_scenario(scenario)
    adjusted = demand.apply(result, scenario.demand)
    for note in adjusted.notes:
        say.warning(note, icon=":material/warning:")
    shown = adjusted.total() if pick == ALL else adjusted.series(pick)
    recent = actual.tail(max(int(horizon), {"D": 56, "W": 26, "M": 12}[freq]))
    table, names = charts.band_table(recent, shown)
    st.vega_lite_chart(table, charts.forecast_band_spec(names, level, label), width="stretch")
    if not adjusted.effects.empty:
        st.vega_lite_chart(adjusted.effects, charts.demand_effects_spec(), width="stretch")
    plan = (scenario.start_month, scenario.end_month, scenario.period_label)
    say.info(adjusted.takeaway(None if pick == ALL else pick, level, plan))

    st.header("4. How does a day split into intervals?")
    if freq != "D":
        st.write("Intervals come from daily forecasts: choose daily periods in section 1.")
    else:
        minutes = st.segmented_control(
            "Interval (minutes)", [15, 30, 60], default=30, key="minutes"
        )
        minutes = minutes or 30
        channel = None if pick == ALL else pick.split(" / ")[0]
        split = intraday.split(
            shown[["mean", "lower", "upper"]].head(7),
            daily.intraday_shares(channel, minutes),
            1.0,
            level,
            pd.Timedelta(minutes=minutes),
        ).rename_axis("interval")
        st.vega_lite_chart(
            split.reset_index(), charts.intraday_volume_spec(minutes), width="stretch"
        )
        say.caption(
            f"The first week of the forecast, split by the weekday x {minutes}-minute shape "
            f"of {'all channels' if channel is None else channel} in the history "
            f"({scenario.time_zone}); each interval's range holds its own (Poisson) noise "
            "besides the day's. Staffing runs on these intervals."
        )

    st.header("5. Take it with you")
    left, right = st.columns(2)
    left.download_button(
        "Download the forecast (CSV)",
        lambda: safe_csv(adjusted.frame).encode(),
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
