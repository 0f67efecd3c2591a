"""Staffing & capacity: how many people each channel needs, how many we will have, and
when to hire."""

import datetime as dt

import pandas as pd
import streamlit as st

from planner import charts, sites, staffing
from planner.errors import PlannerError
from planner.export.tables import safe_csv
from planner.org import Organisation, read_people
from planner.scenario import Source
from planner_ui import figures, pipeline, say, sources, state
from planner_ui import staffing_widgets as widgets
from planner_ui.text import plain

scenario = state.scenario()
loaded = state.history_or_sample()
level = scenario.forecast.interval_level
tail = (100 - level) // 2
BOUNDS = {"mean": "Expected (P50)", "lower": f"Low (P{tail})", "upper": f"High (P{100 - tail})"}


st.title("Staffing & capacity")
sources.plan_notices(scenario, loaded, ("tickets", "roster"))
st.write(
    "How many agents each channel needs to keep its promise, interval by interval; what that "
    "takes in people each month, **net** (on queue) and **gross** (scheduled, after "
    "shrinkage); and whether attrition and the hiring plan leave enough. Demand is the "
    f"volume forecast with its what-ifs, from {scenario.start_month:%B %Y} for "
    f"{scenario.horizon_months} months."
)

st.header("1. What service do we promise?")
channels = sorted(set(loaded.daily.channels) | set(scenario.service.channels))
scenario = state.apply_section(
    "service", widgets.service_editor(scenario.service, channels, scenario.source_of)
)
with st.expander("Tiers above Tier 1: what escalates, and who works it"):
    st.caption(
        "Escalated contacts are the same tickets again: they add work (each tier is staffed "
        "as deferred work, with its own handle time and hours), not contacts."
    )
    scenario = state.apply_section("service", widgets.tiers_editor(scenario.service))
    widgets.source_caption("Tiers", scenario.source_of("service.tiers"))
with st.expander("Languages: channels whose agents must speak the customer's language"):
    st.caption(
        "A channel split by language is staffed as one queue per language: agents of one "
        "language do not answer another's contacts, so small languages need more agents per "
        "contact than one pooled queue. Sites can answer some languages only (Sites below)."
    )
    scenario = state.apply_section("service", widgets.languages_editor(scenario.service))
    widgets.source_caption("The split", scenario.source_of("service.languages"))
with st.expander("Sites: who answers when (follow the sun)"):
    st.caption(
        "Each site works its hours in its own time zone and answers the queues it serves; "
        "contacts go to the sites open at the time, by their weights. Hours of a queue that "
        "no site covers are served like closed ones. No site: the team works every queue's "
        "own hours, in the plan's time zone."
    )
    scenario = state.apply_section(
        "service", widgets.sites_editor(scenario.service, scenario.time_zone)
    )
    if scenario.service.sites:
        week_of = pd.Timestamp(scenario.start_month)
        week_of += pd.Timedelta(days=(7 - week_of.weekday()) % 7)  # the plan's first Monday
        figures.draw(
            charts.site_coverage(sites.coverage(scenario.service.sites, scenario.time_zone,
                                                week_of)),
            width="stretch",
        )  # fmt: skip
        gaps = sites.uncovered_by_queue(scenario.service, scenario.time_zone, week_of)
        say.caption(
            f"The week from Monday {week_of:%d %B %Y}, in {scenario.time_zone} time; "
            "'No site' marks every hour nobody works. Hours of a queue's own hours no site "
            "covers: "
            + "; ".join(f"{queue} {hours} hours" for queue, hours in gaps.items())
            + ". The weights share a queue's contacts only in the hours sites serving it "
            "are open together."
        )
    mix = st.empty()  # what the mix costs and serves, once the plan is built
with st.expander("Paid hours, occupancy for deferred work, shrinkage"):
    scenario = state.apply_section("workforce", widgets.workforce_inputs(scenario.workforce))
first = pipeline.plan_or_stop(scenario, loaded, dt.date.today(), bounds=())
required = first.requirements
headline = st.empty()  # what the promise takes, next to it; again below if shifts change it
widgets.peak_metrics(headline, required, level)
if scenario.service.sites:
    widgets.mix_metrics(mix, first)
for note in required.notes:
    say.warning(note, icon=":material/warning:")

st.header("2. How many agents does each interval need?")
left, right = st.columns(2)
queues = [q for q in scenario.service.queues() if q in required.per_channel]  # channels first
channel = left.selectbox("Queue (channel, language or tier)", queues, key="heatmap-channel")
bound = right.radio("Demand", list(BOUNDS), format_func=BOUNDS.get, horizontal=True)
week = required.typical_week(channel)
figures.draw(charts.required_agents_heatmap(week, bound), width="stretch")
peak = required.peak(channel, bound)
say.caption(
    f"Net agents on queue, averaged over the plan for each weekday and "
    f"{required.interval_minutes}-minute interval ({scenario.time_zone}). {channel} peaks on "
    f"{peak['day']} at {peak['time']} with {peak[f'agents_{bound}']:.1f} agents for "
    f"{peak[f'calls_{bound}']:.1f} contacts."
)

st.header("3. What is one more agent worth?")
settings = scenario.service.queues()[channel]
if settings.model == "deferred":
    st.write(f"{channel} is deferred work: it has no answer-time cliff. Pick a live channel.")
else:
    a, b = st.columns(2)
    days = list(dict.fromkeys(week["day"]))
    pick_day = a.selectbox("Weekday", days, index=days.index(peak["day"]), key="cliff-day")
    times = week.loc[week["day"] == pick_day, "time"].tolist()
    pick_time = b.selectbox(
        "Interval", times, index=times.index(peak["time"]) if peak["time"] in times else 0,
        key="cliff-time",
    )  # fmt: skip
    row = week[(week["day"] == pick_day) & (week["time"] == pick_time)].iloc[0]
    per_agent = pipeline.cost_per_agent_year(scenario)
    cliff = staffing.cliff(
        settings,
        float(row[f"calls_{bound}"]),
        required.interval_minutes,
        max_occupancy=scenario.service.max_occupancy,
        cost_per_agent_year=per_agent,
    )
    by_level = settings.service_level is not None
    figures.draw(
        charts.staffing_cliff(
            cliff,
            "service_level" if by_level else "asa_seconds",
            settings.service_level if by_level else settings.asa_seconds,
            settings.max_abandonment if settings.patience_seconds else None,
        ),
        width="stretch",
    )
    needed = cliff.loc[cliff["needed"]].iloc[0]
    promise = (
        f"answer {needed['service_level']:.0%} within {settings.answer_seconds:.0f} s"
        if by_level
        else f"answer in {needed['asa_seconds']:.0f} s on average"
    )
    if settings.patience_seconds:
        promise += (
            f" with {needed['abandonment']:.1%} hanging up (target at most "
            f"{settings.max_abandonment:.0%}; the orange line)"
        )
    say.info(
        f"{int(needed['agents'])} agents {promise} at {pick_day} {pick_time} "
        f"({row[f'calls_{bound}']:.1f} contacts). Each agent kept on queue at this time takes "
        f"one scheduled person: about {per_agent:,.0f} {scenario.currency} a year loaded "
        "(average agent pay x loaded-cost factor / (1 - shrinkage))."
    )
    st.dataframe(
        cliff.drop(columns="needed"),
        hide_index=True,
        column_config=widgets.CLIFF_COLUMNS | {"extra_cost_per_year": st.column_config.NumberColumn(
            f"Extra cost a year ({scenario.currency})", format="%,.0f")},
    )  # fmt: skip

st.header("4. How do shifts cover the week?")
st.write(
    "People work shifts, not intervals: the agents each interval needs are covered by the "
    "shift patterns below (an integer programme per channel and month, solved by HiGHS), "
    "and the paid hours of those shifts are what the FTE count."
)
scenario = state.apply_section("workforce", widgets.shift_inputs(scenario.workforce.shifts))
planned = pipeline.plan_or_stop(scenario, loaded, dt.date.today(), bounds=())
if planned.requirements is not required:
    widgets.peak_metrics(headline, planned.requirements, level)
    if scenario.service.sites:
        widgets.mix_metrics(mix, planned)
required = planned.requirements
loss = required.scheduling_loss(planned.budget.agent_month_cost)
solved = required.scheduling()
s1, s2, s3 = st.columns(3)
efficiency = loss["agent_hours"].sum() / loss["scheduled_hours"].sum()
s1.metric(
    "Scheduling efficiency",
    f"{efficiency:.1%}",
    help="Interval hours / paid hours of the shifts, over the plan (expected demand).",
)
s2.metric("Gross FTE the shifts add (average)", f"{loss['extra_gross_fte'].mean():.1f}")
s3.metric(
    f"Their cost, {scenario.period_label}",
    f"{loss['cost'].sum():,.0f} {scenario.currency}",
    help="Extra gross FTE-months x a loaded agent month (new-hire pay x loaded-cost factor "
    "/ 12 + tool seats).",
)
schedules = required.schedules[channel]
months_solved = list(schedules)
busiest = max(months_solved, key=lambda m: schedules[m].interval_hours)
shown_month = st.selectbox(
    f"Month to show ({channel}; the channel picked above)",
    months_solved,
    index=months_solved.index(busiest),
    format_func=lambda m: f"{m.astype('datetime64[D]').item():%B %Y}",
    key="schedule-month",
)
week_plan = schedules[shown_month]
figures.draw(charts.schedule_week(week_plan.week()), width="stretch")
st.caption(
    "Grey: agents on queue the month's average week needs; dark line: agents the shifts put "
    "on queue. Where the line stands above the grey, people are paid and the queue does "
    "not need them."
)
say.info(
    f"In {shown_month.astype('datetime64[D]').item():%B %Y}, {channel}'s typical week needs "
    f"{week_plan.interval_hours:,.0f} agent-hours on queue; the cheapest shifts "
    f"{'' if week_plan.proven else 'found '}pay "
    f"{week_plan.paid_hours:,.0f} hours ({week_plan.efficiency:.0%} efficient, "
    f"{week_plan.status}). Over the plan and every channel, shifts add "
    f"{loss['extra_gross_fte'].mean():.1f} gross FTE on average: "
    f"{loss['cost'].sum():,.0f} {scenario.currency}."
)
with st.expander("The shifts of that week, and efficiency by channel and month"):
    st.dataframe(week_plan.shifts, hide_index=True, column_config=widgets.SHIFT_COLUMNS)
    st.dataframe(solved, hide_index=True, column_config=widgets.SCHEDULING_COLUMNS)

st.header("5. How many people does that take each month?")
by_month = required.fte("M")
total = required.fte("M", by_channel=False)
figures.draw(charts.required_by_month(by_month, total, level), width="stretch")
say.info(required.takeaway(level))
by_site = required.site_summary()
if len(by_site):
    teams = planned.site_teams()
    st.dataframe(
        by_site.merge(teams.drop(columns="month"), on="site", how="left").fillna(0),
        hide_index=True,
        column_config=widgets.SITE_COLUMNS,
    )
    month = f"{teams['month'].iloc[0]:%B %Y}" if len(teams) else "the busiest month"
    say.caption(
        "Each site's share of the agents: the contacts routed to it, interval by interval, "
        "at the channel's scheduling efficiency and the site's shrinkage (a vendor site's "
        "people are the vendor's). Agents, leads and managers: the people on the payroll in "
        f"{month}, the month with the most, split by the sites' gross FTE then, with the "
        f"span rules applied site by site (1 lead to {scenario.org.agents_per_lead:g} "
        f"agents, 1 manager to {scenario.org.leads_per_manager:g} leads)."
    )
with st.expander("Net and gross FTE by channel and month"):
    st.dataframe(by_month, hide_index=True, column_config=widgets.FTE_COLUMNS)

st.header("6. Will we have them, and when must we hire?")
scenario = state.apply_section("workforce", widgets.supply_inputs(scenario.workforce))
upload = st.file_uploader(
    "Roster (CSV: employee_id, title, manager_id, start_date, status; edit it on the Org page)",
    type=["csv"],
)
if upload is not None and st.session_state.get("roster-file") != upload.file_id:
    try:
        people = read_people(upload, name=upload.name)
        source = Source(kind="uploaded", detail=f"{upload.name}, {len(people):,} rows")
        pipeline.set_organisation(
            Organisation(people, pipeline.organisation().ladder), roster=source
        )
    except PlannerError as exc:
        say.error(str(exc), icon=":material/error:")
    else:
        st.session_state["roster-file"] = upload.file_id
roster = pipeline.roster()
if scenario.workforce.starting_fte is None and roster is not None:
    st.caption(
        f"Supply from the roster: {roster.filled['fte'].sum():.1f} FTE of agents on "
        f"{len(roster.filled)} rows, {len(roster.open_requisitions)} open requisitions as "
        f"planned starters; not counted as agents: {plain(', '.join(roster.skipped_titles))}."
    )
st.write("Hiring classes already planned (add rows; dates are the first day of training):")
scenario = state.apply_section(
    "workforce", {"hiring_classes": widgets.hiring_editor(scenario.workforce)}
)
planned = pipeline.plan_or_stop(scenario, loaded, dt.date.today(), bounds=())
plan = planned.capacity
figures.draw(charts.capacity_vs_required(plan.months, level), width="stretch")
say.info(planned.capacity_takeaway())
for note in plan.notes:
    say.warning(note, icon=":material/warning:")
if not plan.requisitions.empty:
    st.dataframe(plan.requisitions, hide_index=True, column_config=widgets.REQUISITION_COLUMNS)
    st.button("Add these classes to the hiring plan", icon=":material/group_add:",
              on_click=widgets.add_recommended, args=(plan.requisitions,))  # fmt: skip
with st.expander("Supply, gap and surplus by month"):
    st.dataframe(
        plan.months.assign(surplus_cost=planned.budget.staff["surplus_cost"].to_numpy()),
        hide_index=True,
        column_config=widgets.CAPACITY_COLUMNS | {"surplus_cost": st.column_config.NumberColumn(
            f"Surplus cost ({scenario.currency})", format="%,.0f")},
    )  # fmt: skip

st.header("7. Take it with you")
a, b, c = st.columns(3)
a.download_button(
    "FTE by channel and month (CSV)",
    lambda: safe_csv(by_month).encode(),
    file_name="staffing_by_month.csv",
    mime="text/csv",
)
b.download_button(
    "Agents per interval (CSV)",
    lambda: safe_csv(required.intervals).encode(),
    file_name="staffing_intervals.csv",
    mime="text/csv",
)
c.download_button(
    "Capacity plan (CSV)",
    lambda: safe_csv(plan.months).encode(),
    file_name="capacity_plan.csv",
    mime="text/csv",
)
