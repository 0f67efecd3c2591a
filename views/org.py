"""Org & career ladder: who is on the team, how it is drawn, whether spans are healthy,
what the plan needs, how the ladder moves, and who could step up."""

import datetime as dt

import pandas as pd
import streamlit as st

from planner import charts, org
from planner.budget import short_money
from planner.errors import PlannerError
from planner.export.tables import safe_csv
from planner.scenario import Source
from planner_ui import figures, pipeline, say, sources, staffing_widgets, state
from planner_ui import org_widgets as widgets
from planner_ui.text import plain

scenario = state.scenario()
loaded = state.history_or_sample()
today = dt.date.today()
current = pipeline.organisation()

st.title("Org & career ladder")
sources.plan_notices(scenario, loaded, ("roster", "ladder"))
if scenario.workforce.starting_fte is not None:
    say.info(
        "The plan counts a starting headcount, not these people: they are shown to edit or "
        "replace. Uploading a roster here plans with it instead.",
        icon=":material/info:",
    )
st.write(
    "The support organisation as it is and as the plan needs it: people and open roles, "
    "the span of each lead and manager against the rules, the roles the growing (or "
    "shrinking) team calls for and when to open them, how promotions move the level mix and "
    "its cost, and who could step into each leadership role. Edits here flow into the "
    "capacity plan and the budget."
)

st.header("1. Who is on the team?")
up_people, up_ladder = st.columns(2)
people_file = up_people.file_uploader(
    "People (HRIS CSV: employee_id, name, title, level, manager_id, team, location, "
    "start_date, status, annual_base_pay)",
    type=["csv"],
)
ladder_file = up_ladder.file_uploader(
    "Career ladder (CSV: track, level, title, location, band_min, band_mid, band_max, "
    "typical_months_in_level, promotion_rate_per_year)",
    type=["csv"],
)
for upload, name in ((people_file, "people"), (ladder_file, "ladder")):
    if upload is None or st.session_state.get(f"{name}-file") == upload.file_id:
        continue
    try:
        if name == "people":
            changed = org.Organisation(org.read_people(upload, upload.name), current.ladder)
            rows = len(changed.people)
        else:
            changed = org.Organisation(current.people, org.read_ladder(upload, upload.name))
            rows = len(changed.ladder)
        source = Source(kind="uploaded", detail=f"{upload.name}, {rows:,} rows")
        pipeline.set_organisation(changed, **{"roster" if name == "people" else name: source})
    except PlannerError as exc:
        say.error(str(exc), icon=":material/error:")
    else:
        st.session_state[f"{name}-file"] = upload.file_id
        widgets.restart_editor(name)
        current = changed

edited = org.normalise_people(
    widgets.table_editor("people", current.people, widgets.PEOPLE_COLUMNS)
)
ladder = current.ladder
if ladder is None:
    ladder = org.normalise_ladder(pd.DataFrame(columns=list(org.LADDER_COLUMNS)))
found = org.validate(edited, ladder, scenario.org)
widgets.problems(found, "people")
if not found["severity"].eq("error").any():
    try:
        if not edited.equals(current.people):
            before = scenario.source_of("roster")
            started = f" (started from the {before.kind} one)" if before.kind != "typed" else ""
            edit = Source(kind="typed", detail=f"edited on the Org page{started}")
            pipeline.set_organisation(org.Organisation(edited, ladder), roster=edit)
            current = pipeline.organisation()
    except PlannerError as exc:
        say.error(f"{exc} The plan keeps the last roster without errors.", icon=":material/error:")
else:
    st.caption("The plan keeps using the last version without errors until these are fixed.")
counts = org.role_counts(edited)
tiles = st.columns(5)
for tile, (label, value) in zip(
    tiles,
    [
        ("People", int((edited["status"] == "filled").sum())),
        ("Open roles", int((edited["status"] != "filled").sum())),
        ("Agents", int(counts.loc["agent", "filled"])),
        ("Leads and managers", int(counts.loc[["lead", "manager", "director"], "filled"].sum())),
        ("Layers", len(org.layers(edited))),
    ],
    strict=True,
):
    tile.metric(label, value)

st.header("2. What does it look like?")
folded = widgets.collapsed_teams(edited)
st.graphviz_chart(
    org.chart.chart_dot(edited, scenario.org, folded),
    width="content" if org.chart.left_to_right(edited) else "stretch",
)
st.caption(
    "Each leader's card lists the people reporting to them. Dashed: open requisitions; "
    "dotted: to be hired; red header: a span outside the rules below."
)

st.header("3. Are spans healthy?")
scenario = state.apply_section("org", widgets.span_rules(scenario.org))
spans = org.spans(edited, scenario.org)
figures.draw(charts.span_distribution(spans), width="stretch")
say.info(org.span_takeaway(spans, org.layers(edited)))

st.header("4. What organisation does the plan need?")
result = pipeline.plan_or_stop(scenario, loaded, today, bounds=())
needed = result.org
if needed is None:
    say.info(
        f"The plan starts from a headcount of {scenario.workforce.starting_fte:,.1f} agents and "
        "no roster, so it has no leads, managers or ladder to plan. Upload your people above "
        "(or choose on the Ticket history page) to plan the organisation."
    )
    st.stop()
shape = needed.shape()
peak = needed.months.loc[needed.months["agents"].idxmax(), "month"]
left, right = st.columns(2)
left.graphviz_chart(org.chart.shape_dot(shape, "today", "Today (positions)"), width="stretch")
right.graphviz_chart(
    org.chart.shape_dot(shape, "needed", f"What the rules need in {peak:%B %Y}"), width="stretch"
)
figures.draw(
    charts.roles_by_month(needed.months, {r: org.ROLE_NAMES[r] for r in ("lead", "manager", "qa",
                                                                          "trainer")}),
    width="stretch",
)  # fmt: skip
st.info(plain(needed.takeaway()))
for note in needed.notes:
    st.caption(plain(note))
if not needed.open_roles.empty:
    st.dataframe(needed.open_roles, hide_index=True, width="stretch",
                 column_config=widgets.OPEN_ROLE_COLUMNS)  # fmt: skip
teams = result.site_teams()
if len(teams):
    st.subheader("Teams by site")
    st.dataframe(
        teams.drop(columns="month"), hide_index=True, column_config=staffing_widgets.SITE_COLUMNS
    )
    say.caption(
        f"The agents of {teams['month'].iloc[0]:%B %Y} split by the sites' gross FTE then; "
        "spans apply site by site (a lead coaches people in the same place), so several "
        "small sites can need more leads than one team of the same size."
    )

st.header("5. How will the career ladder move?")
ladder_edit = org.normalise_ladder(widgets.table_editor("ladder", ladder, widgets.LADDER_COLUMNS))
ladder_found = org.validate(edited, ladder_edit, scenario.org)
widgets.problems(ladder_found, "ladder")
if not ladder_found["severity"].eq("error").any() and not ladder_edit.equals(ladder):
    before = state.scenario().source_of("ladder")
    started = f" (started from the {before.kind} one)" if before.kind != "typed" else ""
    edit = Source(kind="typed", detail=f"edited on the Org page{started}")
    pipeline.set_organisation(org.Organisation(current.people, ladder_edit), ladder=edit)
    st.rerun()
projection = needed.projection
if projection is None:
    st.warning("Nobody on the roster is on the ladder's IC track: there is nothing to project.")
else:
    figures.draw(charts.ladder_mix(projection.levels), width="stretch")
    say.info(projection.takeaway(scenario.currency))
    st.dataframe(projection.summary(), hide_index=True, width="stretch",
                 column_config=widgets.LADDER_SUMMARY_COLUMNS)  # fmt: skip
    say.caption(
        f"Promotions out of a level are the seats it must backfill. The budget "
        f"{'includes' if scenario.org.budget_promotions else 'leaves out'} their cost "
        f"({short_money(projection.cost_effect.sum(), scenario.currency)} of base pay)."
    )

st.header("6. Who could step up?")
bench, candidates = org.succession(current.people, current.ladder, today)
st.dataframe(bench, hide_index=True, width="stretch", column_config=widgets.BENCH_COLUMNS)
say.info(org.bench_takeaway(bench))
with st.expander("Every candidate, with readiness (tenure / typical months in level)"):
    st.dataframe(candidates, hide_index=True, width="stretch",
                 column_config=widgets.CANDIDATE_COLUMNS)  # fmt: skip

st.header("7. Take it with you")
a, b, c = st.columns(3)
a.download_button("People (CSV)", safe_csv(current.people), "org_roster.csv", "text/csv")
if current.ladder is not None:
    b.download_button(
        "Ladder (CSV)",
        safe_csv(current.ladder),
        "career_ladder.csv",
        "text/csv",
    )
c.download_button(
    "Open roles (CSV)",
    safe_csv(needed.open_roles),
    "open_roles.csv",
    "text/csv",
)
