"""The planning chain as pages need it: each stage cached under what it is computed from,
long stages with progress. Pages call these instead of repeating the cache and status code.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from planner import capacity, org, plan, staffing
from planner.errors import PlannerError
from planner.forecast import ForecastSet
from planner.history_check import HistoryTooShort
from planner.plan import Plans, Runner, horizon_for
from planner.scenario import Scenario, Source
from planner.volume import VolumeHistory
from planner_ui import say, state

ORG_KEY = "organisation"
PERIOD_WORDS = {"D": ("Day", "days"), "W": ("Week", "weeks"), "M": ("Month", "months")}


@st.cache_resource
def runner() -> Runner:
    """The one runner every browser session shares: forecasts and plans kept by content
    (DESIGN.md's "keyed by the scenario's JSON and the history's fingerprint"), bounded."""
    return Runner()


def forecast(scenario: Scenario, daily: VolumeHistory, by: str, horizon: int) -> ForecastSet:
    """The forecast for these settings, computed with a progress bar the first time; a
    what-if rerun never refits. Stops the page with the planner's message when it fails."""
    run = runner()
    if run.has_forecast(scenario, daily, by, horizon):
        return run.forecast(scenario, daily, by, horizon)
    unit = PERIOD_WORDS[scenario.forecast.frequency][1]
    with st.status("Testing methods on each series' history", expanded=True) as status:
        bar = st.progress(0.0, "Starting")
        try:
            result = run.forecast(
                scenario, daily, by, horizon, progress=lambda f, m: bar.progress(min(f, 1.0), m)
            )
        except PlannerError as exc:  # open, so the reason (and "Forecast anyway") shows
            bar.empty()
            status.update(label="The forecast could not be made", state="error", expanded=True)
            stop_on(exc)
        bar.empty()
        status.update(
            label=f"Forecast ready: {len(result.parts)} series, {horizon} {unit} ahead",
            state="complete",
            expanded=False,
        )
    return result


def stop_on(exc: PlannerError) -> None:
    """Show why the plan cannot be made and stop the page; a history too short to forecast
    offers to forecast it anyway (the range is then widened)."""
    say.error(str(exc), icon=":material/error:")
    if isinstance(exc, HistoryTooShort) and st.button(
        "Forecast anyway", icon=":material/warning:", key="forecast-anyway"
    ):
        state.apply_section("forecast", {"allow_short_history": True})
        st.rerun()
    st.stop()


def organisation() -> org.Organisation:
    """The people and the ladder in use: the last valid edit or upload, else the sample's."""
    if ORG_KEY not in st.session_state:
        st.session_state[ORG_KEY] = org.load(
            state.SAMPLE_DIR / "org_roster.csv", state.SAMPLE_DIR / "career_ladder.csv"
        )
    return st.session_state[ORG_KEY]


def set_organisation(value: org.Organisation, **sources: Source) -> None:
    """Use ``value`` from now on; its roster is read first, so a roster the capacity plan
    cannot use raises PlannerError and the one in use stays. ``sources`` (``roster=``,
    ``ladder=``) say where the people or the ladder now come from; a roster also ends a
    plan from a starting headcount."""
    value.roster  # noqa: B018 - read now: raises before anything changes
    st.session_state[ORG_KEY] = value
    if sources:
        current = state.scenario()
        changed = current.with_sources(sources)
        if "roster" in sources:
            workforce = changed.workforce.model_copy(update={"starting_fte": None})
            changed = changed.model_copy(update={"workforce": workforce})
        state.set_scenario(changed)


def roster() -> capacity.Roster:
    """The agents the capacity plan counts, read from the organisation's people."""
    return organisation().roster


def sites(organisation: org.Organisation) -> list[str]:
    """The locations of the people and the ladder, sorted (where hires can sit)."""
    found = set(organisation.people["location"].dropna().astype(str))
    if organisation.ladder is not None:
        found |= set(organisation.ladder["location"].dropna().astype(str))
    return sorted(found - {""})


def planned_organisation(scenario: Scenario) -> org.Organisation | None:
    """The organisation the plan counts: none when it starts from a headcount instead of a
    roster (no sample people, pay or ladder leak into it then)."""
    return None if scenario.workforce.starting_fte is not None else organisation()


def cost_per_agent_year(scenario: Scenario) -> float:
    """One more agent on queue all year, priced from the roster's average agent pay (the
    scenario's agent pay without a roster)."""
    planned = planned_organisation(scenario)
    current = planned.roster if planned is not None else None
    pay = current.mean_base_pay() if current is not None else None
    return staffing.cost_per_agent_year(
        pay or scenario.costs.agent_base_pay,
        scenario.costs.loaded_cost_factor,
        scenario.workforce.shrinkage.total,
    )


def plans(
    scenario: Scenario,
    loaded: state.LoadedHistory,
    today: dt.date,
    people: org.Organisation | None = None,
) -> Plans:
    """Plans on the forecast the scenario asks for (made with progress the first time) and
    ``people`` (the organisation planned with when None): what the bridge, the tornado and
    goal seek build on, sharing what they have in common."""
    daily = loaded.daily
    forecast_set = forecast(scenario, daily, "channel", horizon_for(scenario, daily))
    current = people or planned_organisation(scenario)
    return runner().plans(daily, forecast_set, organisation=current, today=today)


def plan_or_stop(
    scenario: Scenario,
    loaded: state.LoadedHistory,
    today: dt.date,
    bounds: tuple[str, ...] = plan.BOUNDS,
) -> plan.PlanResult:
    """``plan_result``, or the reason it cannot be built shown as an error, ending the page."""
    try:
        return plan_result(scenario, loaded, today, bounds=bounds)
    except PlannerError as exc:
        stop_on(exc)


def plan_result(
    scenario: Scenario,
    loaded: state.LoadedHistory,
    today: dt.date,
    people: org.Organisation | None = None,
    bounds: tuple[str, ...] = plan.BOUNDS,
) -> plan.PlanResult:
    """Every stage of the plan, budgeted at the demand it hires for and at ``bounds`` (low,
    expected and high demand by default; () for a page that shows one plan; what it shares with
    the plans before it reused). ``people``: the organisation to plan with (the one in use
    when None)."""
    return plans(scenario, loaded, today, people).build(scenario, bounds=bounds)


def plan_if_forecast(
    scenario: Scenario, loaded: state.LoadedHistory, today: dt.date
) -> plan.PlanResult | None:
    """The plan (budgeted at the demand it hires for) when its forecast is made already
    (None when it is not, or the plan cannot be built): what a page outside the chain may
    quote without starting a forecast."""
    if not runner().has_forecast(scenario, loaded.daily):
        return None
    try:
        return plan_result(scenario, loaded, today, bounds=())
    except PlannerError:
        return None
