"""Budget: what the plan costs each month, per ticket and as a share of revenue; how sure,
what moved it, which assumptions matter, and whether AI deflection pays."""

import datetime as dt
import math

import streamlit as st

from planner import charts, deflection, sensitivity, story
from planner.budget import short_money
from planner.errors import PlannerError
from planner.export.tables import safe_csv
from planner.scenario import Scenario
from planner_ui import budget_widgets as widgets
from planner_ui import figures, pipeline, say, sources, state

scenario = state.scenario()
loaded = state.history_or_sample()
currency = scenario.currency
today = dt.date.today()
CASES = {"lower": "Low demand", "mean": "Expected", "upper": "High demand"}


st.title("Budget")
sources.plan_notices(
    scenario, loaded, ("tickets", "roster", "ladder", "annual_recurring_revenue", "customers")
)
st.write(
    "What the plan costs, month by month and line by line, from the staffing and hiring of "
    "the previous page and the cost model below; per ticket and as a share of revenue; with "
    "the range that the uncertainty of demand gives."
)

st.header("1. What does the team cost?")
people = pipeline.planned_organisation(scenario)
sites = [] if people is None else pipeline.sites(people)
scenario = state.apply_section("costs", widgets.cost_inputs(scenario.costs, currency, sites))
left, right = st.columns(2)
with left:
    st.caption("Tools, per seat (every agent and support role) a month")
    scenario = state.apply_section("costs", widgets.tooling_editor(scenario.costs, currency))
with right:
    st.caption("Vendors: a share of a channel's contacts, priced per ticket or per hour")
    channels = sorted(scenario.service.channels)
    scenario = state.apply_section(
        "costs", widgets.vendors_editor(scenario.costs, channels, currency)
    )

result = pipeline.plan_or_stop(scenario, loaded, today)
budget = result.budget
numbers = budget.unit_economics()
sources.sized_alternative(scenario, loaded, today, result)

st.header("2. What will the plan cost?")
a, b, c, d = st.columns(4)
a.metric(f"Budget, {scenario.period_label}", short_money(budget.total, currency))
b.metric(
    "Cost per ticket",
    f"{numbers.cost_per_ticket:,.2f} {currency}",
    help="Per handled ticket: contacts nobody is staffed for (outside the hours, or while "
    f"the team is short: {numbers.unserved:,.0f}) are left out.",
)
c.metric("Share of ARR", f"{numbers.share_of_arr:.1%}")
d.metric("Agents on payroll (average)", f"{numbers.average_agents:.1f}")
figures.draw(charts.budget_by_month(budget.lines, currency), width="stretch")
say.info(budget.takeaway())
ai_words = (
    f"{numbers.cost_per_resolved_contact:,.2f} {currency} per resolved contact counting "
    "those AI answers; "
    if scenario.demand.deflection
    else ""
)
say.caption(
    f"{numbers.agents_per_1000_customers:.1f} agents per 1,000 customers; {ai_words}"
    f"attrition costs {numbers.attrition_cost:,.0f} {currency} in backfill hiring and "
    "training (inside the hiring line when the leavers are replaced). Recommended and "
    f"planned hires are paid {budget.hire_pay:,.0f} {currency} a year ({budget.prices.source}); "
    "open requisitions at their level and site."
)
by_tier = budget.cost_by_tier()
if len(by_tier):
    widgets.cost_split(by_tier, "tier", "Tier", "Share of the cost", currency)
    say.caption(
        "Tier 1 is every channel's own work (vendors and AI included); each tier above it "
        "costs the people its escalations need, shared like the agents' pay."
    )
by_site = result.cost_by_site()
if len(by_site):
    widgets.cost_split(by_site, "site", "Site", "Share of the budget", currency)
    say.caption(
        "Each month's agent costs (pay, burden, hiring, seats) follow the sites' share of "
        "the gross FTE that month, weighted by what a hire costs there; hires are paid at "
        "their site's pay, the roster's people as the roster says; vendor sites are their "
        "bills, in the plan's currency."
    )
with st.expander("Every line by quarter, and cost per ticket by channel"):
    by_line = budget.by_line("Q")
    by_line.columns = [f"{p:%Y} Q{(p.month - 1) // 3 + 1}" if hasattr(p, "month") else p
                       for p in by_line.columns]  # fmt: skip
    st.dataframe(by_line, column_config={c: widgets.money(currency) for c in by_line.columns})
    st.dataframe(
        budget.cost_per_ticket_by_channel(),
        hide_index=True,
        column_config={
            "channel": "Channel",
            "contacts": st.column_config.NumberColumn("Contacts", format="%,.0f"),
            "cost": widgets.money(currency, label="Cost"),
            "cost_per_ticket": widgets.money(currency, 2, "Cost per ticket"),
        },
    )

st.header("3. How sure is it?")
span = result.budget_range()
low, high = span.set_index("case").loc[["lower", "upper"], "total"]
st.dataframe(
    span.assign(case=span["case"].map(CASES)),
    hide_index=True,
    column_config={
        "case": "Demand",
        "total": widgets.money(currency, label=f"Budget, {scenario.period_label}"),
        "cost_per_ticket": widgets.money(currency, 2, "Cost per ticket"),
        "contacts": st.column_config.NumberColumn(
            f"Contacts, {scenario.period_label}", format="%,.0f"
        ),
        "average_agents": st.column_config.NumberColumn("Average agents", format="%.1f"),
    },
)
paid = (
    "The starting headcount is paid whatever the demand"
    if scenario.workforce.starting_fte is not None
    else "The team on the roster is paid whatever the demand"
)
say.info(
    f"Between {low:,.0f} and {high:,.0f} {currency} for the {scenario.forecast.interval_level}% "
    f"range of the plan's total demand, each case with the hiring it needs. {paid}, so the "
    "low case saves less than the high case adds."
)

st.header("4. What moved it against the base plan?")
base = Scenario.from_json(state.SAMPLE_SCENARIO.read_text())
run = pipeline.plans(scenario, loaded, today)
if scenario.source_of("tickets").kind != "sample":
    st.write(
        "The base plan is the sample company's, planned on other tickets: a bridge between "
        "the two would mix two companies. Save this plan, then compare later versions with "
        "it on the Finance review page."
    )
elif base.same_settings(scenario):
    st.write("This is the base plan: change an assumption on any page to see the bridge.")
else:
    steps = sensitivity.bridge(base, scenario, run)
    figures.draw(charts.bridge(story.bridge_steps(steps), currency), width="stretch")
    say.info(story.bridge_takeaway(steps, currency))

st.header("5. Which assumptions matter most?")
amount = st.slider("Move each assumption by (%)", 5, 50, 10, step=5, key="tornado-amount")
if st.button("Run the tornado", icon=":material/tornado:"):
    with st.spinner("Rebuilding the plan with each assumption lower and higher"):
        st.session_state["tornado"] = (amount, sensitivity.tornado(scenario, run, amount / 100))
if "tornado" in st.session_state:
    moved_by, (table, base_cost, base_level) = st.session_state["tornado"]
    figures.draw(charts.tornado(table, base_cost, currency), width="stretch")
    say.info(story.tornado_takeaway(table, currency, moved_by / 100, base_level))
    with st.expander("The tornado as a table"):
        st.dataframe(table, hide_index=True)

st.header("6. What does a budget buy?")
planned = math.ceil(budget.total / 1_000) * 1_000.0
widgets.follow_the_plan("goal-budget", planned)
goal = st.number_input(
    f"Budget for {scenario.period_label} ({currency})", 0.0, 1e10, step=10_000.0,
    key="goal-budget", help="Starts at this plan's budget, rounded up, and follows the plan "
    "until you type another amount.",
)  # fmt: skip
left, right = st.columns(2)
asked = ("goal", scenario.model_dump_json(), goal)
if st.session_state.get("goal-answer", (None,))[0] != asked:
    left.button("What service level does it buy?", icon=":material/target:", key="goal-ask",
                on_click=widgets.ask, args=("goal-answer", asked))  # fmt: skip
else:
    answer = st.session_state["goal-answer"][1]
    if answer is None:
        with st.spinner("Trying service levels until the cost fits the budget"):
            try:
                level = sensitivity.service_level_for_budget(scenario, goal, run)
                floor = sensitivity.cost_at_service_level(scenario, sensitivity.LOWEST_LEVEL, run)
                answer = (level, floor, "")
            except PlannerError as exc:
                answer = (None, None, str(exc))
        st.session_state["goal-answer"] = (asked, answer)
    level, floor, problem = answer
    if problem:
        left.write(problem)
    else:
        left.metric("Service level it affords (every live channel)",
                    "none" if level is None else f"{level:.1%}")  # fmt: skip
        if level is None:
            left.caption(
                f"Even a {sensitivity.LOWEST_LEVEL:.0%} target costs {floor:,.0f} {currency} a "
                f"year, {floor - goal:,.0f} more than this budget; the agents it affords are "
                "on the right."
            )
right.metric("Average agents it affords", f"{sensitivity.headcount_for_budget(result, goal):.1f}")

st.header("7. Does AI deflection pay?")
if not scenario.demand.deflection:
    st.write("No AI deflection is planned: add one on the Volume forecast page (section 3).")
else:
    case = deflection.deflection_case(scenario, run)
    say.info(case.takeaway())
    st.dataframe(case.monthly, hide_index=True)

st.header("8. Take it with you")
left, right = st.columns(2)
left.download_button(
    "Budget lines by month (CSV)",
    lambda: safe_csv(budget.lines.drop(columns="kind")).encode(),
    file_name="budget_lines.csv",
    mime="text/csv",
)
right.download_button(
    "Totals by month and group (CSV)",
    lambda: safe_csv(budget.totals("M")).encode(),
    file_name="budget_by_month.csv",
    mime="text/csv",
)
