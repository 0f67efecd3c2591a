"""Where the plan's inputs came from, said on every page: the history's warnings, anything
still the sample company's, the organisation choice after an upload, and the sidebar's
summary. Pages call ``plan_notices`` at the top; the Ticket history page draws the choices."""

from __future__ import annotations

import datetime as dt
import hashlib

import streamlit as st

from planner import history_check, measure
from planner.budget import short_money
from planner.errors import PlannerError
from planner.org import Organisation, read_ladder, read_people
from planner.plan import PlanResult
from planner.scenario import Scenario, Source, setting_leaves
from planner_ui import pipeline, say, state
from planner_ui.text import plain

# Inputs that are facts about the company, not norms: a default there is still the sample's.
COMPANY_FACTS = {
    "costs.annual_recurring_revenue": "revenue (ARR)",
    "costs.customers": "customers",
}
ORG_CHOICES = {
    "template": "Keep the sample company's organisation as a template (edit it on the Org page)",
    "roster": "Upload our roster (and career ladder)",
    "headcount": "Plan from a starting headcount (no roster)",
}


def plan_notices(scenario: Scenario, loaded: state.LoadedHistory, uses: tuple[str, ...]) -> None:
    """At the top of a page that shows the plan: the history's warnings, the organisation
    still to choose, and the inputs ``uses`` names that are the sample company's."""
    for warning in history_check.check(loaded.daily, scenario.start_month):
        if warning.kind == "tiny" and not scenario.forecast.allow_short_history:
            continue  # the refusal itself is shown where the forecast stops the page
        say.warning(warning.text, icon=":material/history:")
    if scenario.organisation_unchosen and {"roster", "ladder"} & set(uses):
        st.warning(  # our words only: its Markdown is meant
            "The budget and headcount use the **sample company's organisation** (its people "
            "and their pay), not yours: your tickets are planned with someone else's team. "
            "Choose on the **Ticket history** page (section 4): keep it as a template, upload "
            "your roster, or plan from a starting headcount.",
            icon=":material/groups:",
        )
    sample = [name for name in uses if scenario.source_of(name).kind == "sample"]
    facts = [
        words
        for path, words in COMPANY_FACTS.items()
        if path.split(".")[-1] in uses and scenario.source_of(path).kind == "sample"
    ]
    if scenario.source_of("tickets").kind == "sample":
        if sample or facts:
            st.caption(":violet[Sample] Planning the generated sample company: its "
                       f"{', '.join(_words(sample) + facts)}.")  # fmt: skip
        return
    shown = [w for w in _words(sample) if w != "tickets"] + facts
    if shown:
        st.caption(  # the inputs' names are ours, not the user's: the colour tag is meant
            f":violet[Sample] Still the sample company's: {', '.join(shown)}. Replace them "
            "with yours on the Org page (people, ladder) and the Budget page (revenue, "
            "customers)."
        )


def _words(inputs: list[str]) -> list[str]:
    names = {"tickets": "tickets", "roster": "people and pay", "ladder": "career ladder",
             "channels": "channels"}  # fmt: skip
    return [names.get(i, i) for i in inputs]


def sidebar_lines(scenario: Scenario) -> list[str]:
    """Short lines for the sidebar: where the tickets, the organisation and the handle times
    came from, and how many settings are measured, typed or the sample's."""
    tickets = scenario.source_of("tickets")
    roster = scenario.source_of("roster")
    lines = [f"Tickets: {_short(tickets)}"]
    if roster.kind == "sample" and scenario.organisation_unchosen:
        lines.append("Organisation: :orange[sample company's; choose yours]")
    elif roster.kind == "sample":
        lines.append("Organisation: sample company's" + (" (template)" if roster.chosen else ""))
    else:
        lines.append(f"Organisation: {_short(roster)}")
    counts: dict[str, int] = {}
    for path in setting_leaves(scenario):
        kind = scenario.source_of(path).kind
        if kind != "default":
            counts[kind] = counts.get(kind, 0) + 1
    if counts:
        order = ("measured", "typed", "uploaded", "sample")
        lines.append(
            "Settings: "
            + ", ".join(f"{counts[k]} {k}" for k in order if counts.get(k))
            + ", the rest default"
        )
    return lines


def _short(source: Source) -> str:
    detail = source.detail.split(",")[0] if source.detail else ""
    kind = {"sample": "sample company's", "uploaded": "uploaded", "typed": "typed",
            "measured": "measured", "default": "default"}[source.kind]  # fmt: skip
    return f"{kind} · {plain(detail)}" if detail and source.kind != "sample" else kind


def measured_table(scenario: Scenario, measured: measure.Measurements) -> Scenario:
    """The table of what the history told, each row beside the default it replaced, with
    a box to keep the default instead; returns the scenario as chosen."""
    table = measured.table()
    shown_only = table[table["path"] == ""]
    table = table[table["path"] != ""].reset_index(drop=True)
    usable = {m.path: m for m in measured.usable()}
    same = {m.path for m in measured.rows if m.path and m.measured is not None and not m.usable}
    table["use"] = [
        path in same or (path in usable and _in_use(scenario, path))
        for path in table["path"].tolist()
    ]
    shown = table[["use", "what", "measured", "default", "note", "tickets"]]
    edited = st.data_editor(
        shown,
        hide_index=True,
        width="stretch",
        disabled=["what", "measured", "default", "tickets", "note"],
        column_config={
            "what": st.column_config.TextColumn("Input", width="small"),
            "measured": st.column_config.TextColumn("Measured from your tickets", width="medium"),
            "default": st.column_config.TextColumn("Default it replaces", width="small"),
            "tickets": st.column_config.NumberColumn("Tickets", format="%,d", width="small"),
            "note": st.column_config.TextColumn("Left out, or why not", width="medium"),
            "use": st.column_config.CheckboxColumn(
                "Plan with it", help="Untick to keep the default instead."
            ),
        },
        key="measured-" + hashlib.sha256(table.to_csv().encode()).hexdigest()[:10],
    )
    for row in shown_only.itertuples():
        st.caption(f"{row.what}: {plain(row.measured)} ({plain(row.note)}).")
    for path, wanted in zip(table["path"], edited["use"], strict=True):
        row = usable.get(path)
        if row is not None and bool(wanted) != _in_use(scenario, path):
            scenario = measure.choose(scenario, row, bool(wanted))
    return scenario


def _in_use(scenario: Scenario, path: str) -> bool:
    key = "channels" if path == "service.channels" else path
    return scenario.source_of(key).kind == "measured" and key in scenario.sources


def sized_alternative(
    scenario: Scenario, loaded: state.LoadedHistory, today, result: PlanResult
) -> None:
    """While uploaded tickets are planned with the sample company's people, what a team
    sized to those tickets would cost instead (a starting headcount of the first month's
    need, hired as demand grows, at the scenario's agent pay): the number the data
    implies, beside the sample's."""
    if not scenario.organisation_unchosen:
        return
    need = round(float(result.capacity.months["required"].iloc[0]), 1)
    workforce = scenario.workforce.model_copy(update={"starting_fte": need})
    try:
        sized = pipeline.plan_result(scenario.model_copy(update={"workforce": workforce}),
                                     loaded, today, bounds=())  # fmt: skip
    except PlannerError:
        return
    currency = scenario.currency
    say.info(
        f"Sized to your tickets instead (a starting headcount of {need:,.1f} gross FTE, the "
        f"first month's need, hired as demand needs, at an agent pay of "
        f"{scenario.costs.agent_base_pay:,.0f} {currency}), the plan would cost "
        f"{short_money(sized.budget.total, currency)} for {scenario.period_label}, against "
        f"{short_money(result.budget.total, currency)} with the sample company's people.",
        icon=":material/balance:",
    )


def organisation_choice(scenario: Scenario, loaded: state.LoadedHistory) -> None:
    """Who does the work in the plan: the sample organisation kept as a template, an
    uploaded roster, or a starting headcount. Until chosen, the plan uses the sample's
    and every page says so."""
    roster = scenario.source_of("roster")
    current = (
        "headcount"
        if scenario.workforce.starting_fte is not None
        else "roster"
        if roster.kind in ("uploaded", "typed")
        else "template"
        if roster.chosen
        else None
    )
    if current is None:
        say.warning(
            "Until you choose, the plan uses the sample company's 61 people and their pay.",
            icon=":material/groups:",
        )
    picked = st.radio(
        "Who does the work?",
        list(ORG_CHOICES),
        index=None if current is None else list(ORG_CHOICES).index(current),
        format_func=ORG_CHOICES.get,
        key="data-org-choice",
    )
    if picked == "template" and current != "template":
        state.set_scenario(_organisation_source(scenario, Source(
            kind="sample", detail=roster.detail, chosen=True), starting_fte=None))  # fmt: skip
        st.rerun()
    elif picked == "roster":
        _roster_upload()
    elif picked == "headcount":
        _headcount(scenario, loaded)


def _organisation_words(scenario: Scenario) -> str:
    """The organisation in the plan, in words."""
    if scenario.workforce.starting_fte is not None:
        return f"a starting headcount of {scenario.workforce.starting_fte:,.1f} agents"
    roster = scenario.source_of("roster")
    if roster.kind == "sample":
        return "the sample company's people"
    return f"the roster {roster.label}"


def _organisation_source(scenario: Scenario, source: Source, starting_fte) -> Scenario:
    workforce = scenario.workforce.model_copy(update={"starting_fte": starting_fte})
    changed = scenario.model_copy(update={"workforce": workforce})
    ladder = scenario.source_of("ladder")
    ladder_source = (
        ladder.model_copy(update={"chosen": True}) if ladder.kind == "sample" else ladder
    )
    return changed.with_sources({"roster": source, "ladder": ladder_source})


def _roster_upload() -> None:
    left, right = st.columns(2)
    people = left.file_uploader(
        "Roster (CSV: employee_id, title, manager_id, level, location, start_date, status, "
        "annual_base_pay)",
        type=["csv"],
        key="data-roster-file",
    )
    ladder = right.file_uploader(
        "Career ladder (optional CSV: track, level, title, location, band_min, band_mid, band_max)",
        type=["csv"],
        key="data-ladder-file",
    )
    if people is None and ladder is None:
        say.caption(f"In the plan now: {_organisation_words(state.scenario())}. A file read here "
                   "replaces it.")  # fmt: skip
        return
    seen = (getattr(people, "file_id", None), getattr(ladder, "file_id", None))
    if st.session_state.get("data-org-files") == seen:
        return
    current = pipeline.organisation()
    try:
        staff = read_people(people, people.name) if people else current.people
        levels = read_ladder(ladder, ladder.name) if ladder else current.ladder
        pipeline.set_organisation(Organisation(staff, levels))
    except PlannerError as exc:
        say.error(str(exc), icon=":material/error:")
        return
    st.session_state["data-org-files"] = seen
    scenario = state.scenario()
    workforce = scenario.workforce.model_copy(update={"starting_fte": None})
    sources = {}
    if people:
        sources["roster"] = Source(kind="uploaded", detail=f"{people.name}, {len(staff):,} rows")
    if ladder:
        sources["ladder"] = Source(kind="uploaded", detail=f"{ladder.name}, {len(levels):,} rows")
    state.set_scenario(scenario.model_copy(update={"workforce": workforce}).with_sources(sources))
    st.rerun()


def _headcount(scenario: Scenario, loaded: state.LoadedHistory) -> None:
    guess = measure.starting_headcount(loaded.daily, scenario)
    last = pipeline.plan_if_forecast(scenario, loaded, dt.date.today())
    need = None
    if last is not None:
        need = round(float(last.capacity.months["required"].iloc[0]), 1)
    current = scenario.workforce.starting_fte
    left, right = st.columns([1, 2])
    agents = left.number_input(
        "Agents today (FTE)",
        0.0,
        10_000.0,
        float(current if current is not None else need if need is not None else round(guess, 1)),
        step=1.0,
        key="data-headcount",
    )
    first = (
        f"The plan's first month needs {need:,.1f} gross FTE (by Erlang and the workload "
        "models, as the Staffing page shows); "
        if need is not None
        else ""
    )
    right.caption(
        f"{first}your last four weeks' workload alone is {guess:,.1f} FTE (handle time x "
        "contacts at the plan's occupancy and shrinkage; live channels need more for their "
        "answer times). New hires are priced at the agent pay on the Budget page; there are "
        "no leads or managers until you add a roster."
    )
    if current is None or agents != current:
        source = Source(kind="typed", detail=f"a starting headcount of {agents:,.1f} agents")
        state.set_scenario(_organisation_source(scenario, source, starting_fte=agents))
        st.rerun()
