"""Pieces of the Finance review page: the present-mode style, the stored scenarios to
compare (loaded and planned once), and the side-by-side table with differences marked."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from planner import plan, review
from planner.errors import PlannerError
from planner.scenario import Scenario
from planner_ui import pipeline, say, scenarios, state

PRESENT_CHART_HEIGHT = 600  # px: with the title and the takeaway, a 1080-pixel screen
# Constant CSS (no user text): large type, no sidebar or toolbar, for a projector.
PRESENT_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
[data-testid="stHeader"] {display: none;}
.stMainBlockContainer {padding-top: 1.5rem; max-width: 1500px;}
.stMainBlockContainer h1 {font-size: 3rem;}
.stMainBlockContainer h2 {font-size: 2.4rem;}
.stMainBlockContainer p, .stMainBlockContainer li {font-size: 1.35rem;}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * {
  font-size: 4.6rem !important; line-height: 1.2;
}
[data-testid="stMetric"] {padding: 1.2rem 0 2.2rem 0;}
[data-testid="stMetricLabel"] p {font-size: 1.8rem;}
[data-testid="stTable"] th, [data-testid="stTable"] td {font-size: 1.25rem;}
</style>
"""


def compared(today: dt.date) -> dict[str, plan.PlanResult]:
    """The plans of the stored scenarios chosen in the sidebar's "Compare with", each on
    its own saved history and organisation; one that cannot be planned is left out with
    the reason."""
    names = st.session_state.get(state.COMPARE_KEY, [])
    if not names:
        return {}
    saved = scenarios.connection()
    if saved is None:
        return {}
    results = {}
    for name in names:
        try:
            latest = saved.latest(name)
            stored = saved.load(name, latest)  # the store keeps what it read recently
            loaded = state.history_or_sample()
            if stored.history is not None and stored.report is not None:
                loaded = state.LoadedHistory(stored.report, stored.history)
            with st.spinner(f"Planning '{name}' (version {latest})"):
                results[f"{name} (v{latest})"] = pipeline.plan_result(
                    stored.scenario, loaded, today, stored.organisation or pipeline.organisation()
                )
        except PlannerError as exc:
            say.warning(f"'{name}' is left out of the comparison: {exc}")
    return results


def side_by_side(table: pd.DataFrame, currency: str):
    """The side-by-side table as text per row's unit, cells that differ from the first
    plan by more than 0.5% highlighted."""
    plans = [c for c in table.columns if c not in ("key", "measure")]
    shown = table[["measure"]].rename(columns={"measure": "Measure"})
    first = table[plans[0]]
    for name in plans:
        shown[name] = [
            review.format_measure(k, v, currency)
            for k, v in zip(table["key"], table[name], strict=True)
        ]
    moved = pd.DataFrame(False, index=table.index, columns=shown.columns)
    for name in plans[1:]:
        base = first.abs().where(first.abs() > 0, 1.0)
        moved[name] = ((table[name] - first).abs() / base) > 0.005
    return shown.style.apply(
        lambda _: moved.replace({True: "background-color: #fff3c4; font-weight: 600",
                                 False: ""}),
        axis=None,
    )  # fmt: skip


def register_view(register: pd.DataFrame, only_changes: bool) -> pd.DataFrame:
    shown = register[register["differs"]] if only_changes else register
    return shown.reset_index(drop=True)


REGISTER_COLUMNS = {
    "section": st.column_config.TextColumn("Section", width="small"),
    "setting": st.column_config.TextColumn("Assumption"),
    "value": st.column_config.TextColumn("Value"),
    "source": st.column_config.TextColumn("Where it comes from"),
    "base": st.column_config.TextColumn("Base"),
    "differs": st.column_config.CheckboxColumn("Differs", width="small"),
    "rationale": st.column_config.TextColumn("Why this value", width="large"),
    "path": st.column_config.TextColumn("Setting in the scenario file"),
}


def inputs_table(scenario: Scenario, register: pd.DataFrame, present: bool) -> None:
    """Where the plan's inputs came from (tickets, channels, roster, ladder: measured,
    uploaded, typed, or the sample company's) and how many settings came from where."""
    inputs = register[register["section"] == "inputs"][["assumption", "value"]]
    inputs = inputs.rename(columns={"assumption": "Input", "value": "Where it comes from"})
    if present:  # an HTML table takes the projector's type size
        st.table(inputs.set_index("Input"))
    else:
        st.dataframe(inputs, hide_index=True, width="stretch")
    kinds = register.loc[register["section"] != "inputs", "source"].str.split(":").str[0]
    counts = kinds.value_counts()
    say.caption(
        "Settings: "
        + ", ".join(f"{counts[k]} {k}" for k in counts.index if k)
        + ". Anything marked 'sample company' describes the generated sample, not you."
    )


def outside_hours(table: pd.DataFrame) -> None:
    """Live contacts that arrive while their channel is closed, as a share and a count."""
    closed = table[table["contacts"] >= 0.5]
    if closed.empty:
        return
    parts = [
        f"{row.channel}: {row.share:.1%} ({row.contacts:,.0f} of {row.of:,.0f}; open {row.hours})"
        for row in closed.itertuples()
    ]
    say.warning(
        "Contacts that arrive outside the hours of operation are not staffed: "
        + "; ".join(parts)
        + ". They are counted apart as unserved (not in cost per handled ticket); widen the "
        "hours, or choose 'Staff them at the next opening' for the channel on the Staffing "
        "page.",
        icon=":material/schedule:",
    )


def go_to(slide: str) -> None:
    """Show ``slide`` in present mode (a button's callback, before the page reruns)."""
    st.session_state["slide"] = slide


SAMPLE_BASE = "The sample base plan"
SAMPLE_LABEL = "the sample base plan"
BASE_KEY = "review-base"


def base_scenario(active_name: str, choose: bool) -> tuple[Scenario, str]:
    """The scenario the bridge and the register compare against, and how to call it: the
    sample base plan, or a saved scenario picked here (``choose``: show the picker; present
    mode keeps the last pick without it)."""
    saved = scenarios.connection() if choose or st.session_state.get(BASE_KEY) else None
    names = [] if saved is None else [n for n in saved.scenarios()["name"] if n != active_name]
    if choose and names:
        options = [SAMPLE_BASE, *names]
        current = st.session_state.get(BASE_KEY) or SAMPLE_BASE
        st.selectbox(
            "Compare the bridge and the assumptions against", options,
            index=options.index(current) if current in options else 0, key="review-base-pick",
            on_change=_keep_base,
        )  # fmt: skip
    picked = st.session_state.get(BASE_KEY)
    if saved is not None and picked in names:
        try:
            return saved.load(picked).scenario, f"'{picked}'"
        except PlannerError as exc:
            say.warning(f"'{picked}' cannot be read; the sample base plan is used: {exc}")
    return Scenario.from_json(state.SAMPLE_SCENARIO.read_text()), SAMPLE_LABEL


def _keep_base() -> None:
    """Remember the picked base beyond the picker (present mode does not draw it)."""
    st.session_state[BASE_KEY] = st.session_state["review-base-pick"]
