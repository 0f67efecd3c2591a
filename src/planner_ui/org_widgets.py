"""Widgets of the Org & career ladder page: the people and ladder editors (which keep the
user's edits across reruns and page changes), the span rules, and the problems list."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from planner import org
from planner.scenario import OrgSettings

PEOPLE_COLUMNS = {
    "employee_id": st.column_config.TextColumn("Id", required=True, width="small"),
    "name": st.column_config.TextColumn("Name"),
    "title": st.column_config.TextColumn("Title", required=True),
    "level": st.column_config.TextColumn("Level", width="small", help="A level of the ladder."),
    "manager_id": st.column_config.TextColumn(
        "Manager id", width="small", help="The Id of their manager; empty for the top."
    ),
    "team": st.column_config.TextColumn("Team"),
    "location": st.column_config.TextColumn("Location", width="small"),
    "start_date": st.column_config.DateColumn("Start", format="YYYY-MM-DD"),
    "status": st.column_config.SelectboxColumn(
        "Status", options=list(org.STATUSES), default="filled", required=True
    ),
    "annual_base_pay": st.column_config.NumberColumn("Pay a year", min_value=0, format="%.0f"),
}
LADDER_COLUMNS = {
    "track": st.column_config.SelectboxColumn("Track", options=["IC", "M"], required=True),
    "level": st.column_config.TextColumn("Level", required=True, width="small"),
    "title": st.column_config.TextColumn("Title"),
    "location": st.column_config.TextColumn("Location", width="small"),
    "band_min": st.column_config.NumberColumn("Band min", format="%.0f"),
    "band_mid": st.column_config.NumberColumn("Band mid", format="%.0f"),
    "band_max": st.column_config.NumberColumn("Band max", format="%.0f"),
    "typical_months_in_level": st.column_config.NumberColumn("Months in level", format="%.0f"),
    "promotion_rate_per_year": st.column_config.NumberColumn(
        "Promoted a year", format="%.2f", help="Share of the level promoted a year: 0.2 = 20%."
    ),
    "expectations": st.column_config.TextColumn("Expectations"),
}
PROBLEM_COLUMNS = {
    "severity": st.column_config.TextColumn("", width="small"),
    "table": None,
    "row": st.column_config.NumberColumn("Row", width="small"),
    "employee_id": st.column_config.TextColumn("Id", width="small"),
    "column": st.column_config.TextColumn("Column", width="small"),
    "message": st.column_config.TextColumn("What to fix", width="large"),
}

LADDER_SUMMARY_COLUMNS = {
    "level": "Level",
    "title": "Title",
    "now": st.column_config.NumberColumn("Now", format="%.1f"),
    "end": st.column_config.NumberColumn("At the end", format="%.1f"),
    "promotions": st.column_config.NumberColumn("Promoted out (backfills)", format="%.1f"),
    "leavers": st.column_config.NumberColumn("Leavers", format="%.1f"),
    "hires": st.column_config.NumberColumn("Hires", format="%.1f"),
}
BENCH_COLUMNS = {
    "employee_id": st.column_config.TextColumn("Id", width="small"),
    "name": "Holder",
    "title": "Role",
    "team": "Team",
    "candidates": st.column_config.NumberColumn("Candidates", width="small"),
    "ready_now": st.column_config.NumberColumn("Ready now", width="small"),
    "within_a_year": st.column_config.NumberColumn("Within a year", width="small"),
    "bench": st.column_config.TextColumn("Bench", width="small"),
    "successors": st.column_config.TextColumn("Best successors", width="large"),
}
CANDIDATE_COLUMNS = {
    "holder_id": "For",
    "employee_id": "Id",
    "name": "Name",
    "title": "Title",
    "level": "Level",
    "team": "Team",
    "same_team": st.column_config.CheckboxColumn("Same team"),
    "tenure_months": st.column_config.NumberColumn("Months here", format="%.0f"),
    "readiness": st.column_config.ProgressColumn("Readiness", min_value=0, max_value=2,
                                                 format="%.2f"),
    "ready": "Ready",
}  # fmt: skip
OPEN_ROLE_COLUMNS = {
    "role": None,
    "title": "Role",
    "people": st.column_config.NumberColumn("People", width="small"),
    "needed_from": st.column_config.DateColumn("Needed from"),
    "open_by": st.column_config.DateColumn("Open by"),
    "late": st.column_config.CheckboxColumn("Late"),
    "reason": st.column_config.TextColumn("Why", width="large"),
}


def table_editor(name: str, current: pd.DataFrame, columns: dict) -> pd.DataFrame:
    """An editable table that starts from ``current`` (what the plan uses) whenever the
    editor is new (first visit, after an upload, back from another page) and otherwise
    keeps the user's edits; returns the table as edited."""
    generation = st.session_state.get(f"{name}-generation", 0)
    key = f"{name}-editor-{generation}"
    if key not in st.session_state:
        st.session_state[f"{name}-base"] = _for_editor(current)
    return st.data_editor(
        st.session_state[f"{name}-base"],
        column_config=columns,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        key=key,
    )


def restart_editor(name: str) -> None:
    """Start the editor afresh from the table in use (after an upload)."""
    st.session_state[f"{name}-generation"] = st.session_state.get(f"{name}-generation", 0) + 1


def collapsed_teams(people: pd.DataFrame) -> list[str]:
    """The teams the user chose to draw as counts. Every team starts collapsed in an
    organisation above ``org.chart.COLLAPSE_ABOVE`` people, and the choice starts afresh when a
    roster is uploaded."""
    every = org.chart.teams(people)
    return st.multiselect(
        "Collapse these teams to counts",
        every,
        default=every if len(people) > org.chart.COLLAPSE_ABOVE else [],
        key=f"org-collapse-{st.session_state.get('people-generation', 0)}",
    )


def _for_editor(frame: pd.DataFrame) -> pd.DataFrame:
    shown = frame.copy()
    if "start_date" in shown:
        shown["start_date"] = pd.to_datetime(shown["start_date"])
    return shown


def problems(found: pd.DataFrame, table: str) -> None:
    """The problems of one table, errors first, or a line saying there are none."""
    mine = found[found["table"] == table]
    if mine.empty:
        st.success("No problems found.", icon=":material/check_circle:")
        return
    errors = int((mine["severity"] == "error").sum())
    warnings = len(mine) - errors
    text = f"{errors} error{'s' if errors != 1 else ''}, {warnings} warning" + (
        "s" if warnings != 1 else ""
    )
    (st.error if errors else st.warning)(text, icon=":material/report:")
    st.dataframe(
        mine.assign(severity=mine["severity"].map({"error": "⛔", "warning": "⚠️"})),
        column_config=PROBLEM_COLUMNS,
        hide_index=True,
        width="stretch",
        height=min(36 * (len(mine) + 1) + 2, 420),
    )


def span_rules(rules: OrgSettings) -> dict:
    """The span rules and support-role ratios, as entered."""
    fields = OrgSettings.model_fields
    entered = {}
    for column, (name, words) in zip(
        st.columns(3),
        [
            ("agents_per_lead", "Agents per team lead"),
            ("leads_per_manager", "Team leads per manager"),
            ("managers_per_director", "Managers per director"),
        ],
        strict=True,
    ):
        with column:
            st.markdown(f"**{words}**")
            a, b, c = st.columns(3)
            for widget, end, label in ((a, "_min", "Min"), (b, "", "Rule"), (c, "_max", "Max")):
                entered[name + end] = widget.number_input(
                    label,
                    1.0,
                    60.0,
                    float(getattr(rules, name + end)),
                    step=1.0,
                    key=f"span-{name}{end}",
                    help=fields[name + end].description,
                )
    with st.popover("Support roles by ratio, and what the budget includes"):
        for name, label in (
            ("agents_per_qa_analyst", "Agents per QA analyst"),
            ("agents_per_trainer", "Agents per trainer"),
            ("agents_per_wfm_analyst", "Agents per WFM analyst"),
            ("agents_per_knowledge_manager", "Agents per knowledge manager"),
        ):
            entered[name] = st.number_input(
                label, 5.0, 500.0, float(getattr(rules, name)), step=5.0,
                help=fields[name].description,
            )  # fmt: skip
        for name, label in (
            ("budget_span_roles", "Budget the new roles the rules need"),
            ("budget_promotions", "Budget the promotions of the ladder projection"),
        ):
            entered[name] = st.checkbox(label, getattr(rules, name), help=fields[name].description)
    return entered
