"""The planning chain as pages need it: each stage cached under what it is computed from,
long stages with progress. Pages call these instead of repeating the cache and status code.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from planner import capacity, compare, org, plan, staffing
from planner.errors import PlannerError
from planner.forecast import ForecastSet, forecast_with, periods_until
from planner.history_check import HistoryTooShort
from planner.scenario import Scenario, Source
from planner.volume import VolumeHistory
from planner_ui import cache, say, state

ORG_KEY = "organisation"
LAST_PLAN_KEY = "last-plan"  # the plan the next one may build on


def forecast(
    scenario: Scenario, daily: VolumeHistory, by: str, horizon: int, unit: str
) -> ForecastSet:
    """The forecast for these settings, computed with a progress bar the first time; a
    what-if rerun never refits. Stops the page with the planner's message when it fails."""
    settings = scenario.forecast
    key = forecast_key(scenario, daily, by, horizon)
    result = cache.get(key)
    if result is not None:
        return result
    with st.status("Testing methods on each series' history", expanded=True) as status:
        bar = st.progress(0.0, "Starting")
        try:
            result = cache.cached(
                key,
                lambda: forecast_with(
                    daily,
                    int(horizon),
                    settings,
                    by=by,
                    plan=(scenario.start_month, scenario.end_month),
                    progress=lambda f, m: bar.progress(min(f, 1.0), m),
                ),
            )
        except PlannerError as exc:
            status.update(label="The forecast could not be made", state="error")
            stop_on(exc)
        bar.empty()
        status.update(
            label=f"Forecast ready: {len(result.parts)} series, {horizon} {unit} ahead",
            state="complete",
            expanded=False,
        )
    return result


def forecast_key(scenario: Scenario, daily: VolumeHistory, by: str, horizon: int) -> tuple:
    """What a forecast is computed from: its settings, the history's counts, the series
    and the horizon (the history's handle times and profile do not move it)."""
    plan = (scenario.start_month, scenario.end_month)
    return ("forecast", scenario.forecast.model_dump_json(), daily.fingerprint, daily.time_zone,
            plan, by, int(horizon))  # fmt: skip


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


def runner(
    scenario: Scenario,
    loaded: state.LoadedHistory,
    today: dt.date,
    people: org.Organisation | None = None,
) -> compare.Runner:
    """A plan runner on the forecast the scenario asks for; it keeps the staffing it has
    made, so cost changes, the tornado and goal seek reuse it. ``people``: the
    organisation to plan with (the one in use when None)."""
    key = runner_key(scenario, loaded, today, people)
    horizon = key[1][-1]
    unit = {"D": "days", "W": "weeks", "M": "months"}[scenario.forecast.frequency]
    forecast_set = forecast(scenario, loaded.daily, "channel", horizon, unit)
    current = people or planned_organisation(scenario)
    return cache.cached(
        key,
        lambda: compare.Runner(
            loaded.daily, forecast_set, current.roster if current else None, today, current
        ),
    )


def runner_key(
    scenario: Scenario,
    loaded: state.LoadedHistory,
    today: dt.date,
    people: org.Organisation | None = None,
) -> tuple:
    """What a runner is made from, by content: the forecast, the whole history (staffing
    reads its intraday profile) and the organisation planned with (none from a headcount)."""
    freq = scenario.forecast.frequency
    last = loaded.daily.table("channel", None if freq == "D" else freq).index[-1]
    horizon = periods_until(last, scenario.end_month, freq)
    current = people or planned_organisation(scenario)
    return (
        "runner",
        forecast_key(scenario, loaded.daily, "channel", horizon),
        loaded.daily.fingerprint,
        loaded.daily.profile_fingerprint,
        None if current is None else current.fingerprint,
        today,
    )


def plan_or_stop(
    scenario: Scenario, loaded: state.LoadedHistory, today: dt.date
) -> plan.PlanResult:
    """``plan_result``, or the reason it cannot be built shown as an error, ending the page."""
    try:
        return plan_result(scenario, loaded, today)
    except PlannerError as exc:
        stop_on(exc)


def plan_result(
    scenario: Scenario,
    loaded: state.LoadedHistory,
    today: dt.date,
    people: org.Organisation | None = None,
) -> plan.PlanResult:
    """Every stage of the plan at low, expected and high demand, built on the last plan
    (its demand and staffing are reused where their settings did not change). ``people``:
    the organisation to plan with (the one in use when None)."""
    run = runner(scenario, loaded, today, people)
    key = ("plan", scenario.model_dump_json(), runner_key(scenario, loaded, today, people))
    previous = st.session_state.get(LAST_PLAN_KEY)

    def compute() -> plan.PlanResult:
        return plan.build(
            scenario,
            loaded.daily,
            roster=run.roster,
            forecast=run.forecast,
            today=today,
            previous=previous,
            organisation=run.organisation,
        )

    result = cache.cached(key, compute)
    st.session_state[LAST_PLAN_KEY] = result
    return result
