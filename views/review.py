"""Finance review: the plan as finance sees it — headline figures, volume with its range,
people needed against planned, the budget by month, what moved it, what it is sensitive
to, other scenarios side by side, and every assumption. Present mode shows one idea per
screen in large type, with editing hidden."""

import datetime as dt

import streamlit as st

from planner import charts, review, sensitivity, story
from planner.export import PPTX, XLSX, file_stem
from planner.export.deck import deck_bytes
from planner.export.tables import csv_bundle, plan_tables, safe_csv
from planner.export.workbook import workbook_bytes
from planner_ui import figures, pipeline, say, sources, state
from planner_ui import review_widgets as widgets
from planner_ui.text import plain

ALL_INPUTS = ("tickets", "roster", "ladder", "annual_recurring_revenue", "customers")
SLIDES = ["Headline", "Volume", "People", "Budget", "Bridge", "Sensitivity", "Side by side",
          "Assumptions"]  # fmt: skip

scenario = state.scenario()
loaded = state.history_or_sample()
currency = scenario.currency
level = scenario.forecast.interval_level
today = dt.date.today()

present = st.toggle("Present", key="present", help="Large type, one idea per screen, no editing.")
if present:
    st.markdown(widgets.PRESENT_CSS, unsafe_allow_html=True)
    slide = st.segmented_control(
        "Screen", SLIDES, default=SLIDES[0], key="slide", label_visibility="collapsed"
    )
    shown = [slide or SLIDES[0]]
else:
    st.title("Finance review")
    st.write(
        f"**{plain(scenario.name)}**, {scenario.horizon_months} months from "
        f"{scenario.start_month:%B %Y}: the figures finance asks for, what moved them, what "
        "they are sensitive to, other scenarios beside it, and every assumption behind it. "
        "Switch on Present to show it on a wall, one screen at a time."
    )
    shown = SLIDES


def chart(built, height: int = widgets.PRESENT_CHART_HEIGHT) -> None:
    """``built`` at the width of the page; in present mode ``height`` pixels tall (what a
    1080-pixel screen leaves beside the screen's title, takeaway and buttons)."""
    if present:  # Streamlit's chart theme would override the projector's type sizes
        sized = built.properties(height=height)
        figures.draw(charts.for_projector(sized), width="stretch", theme=None)
    else:
        figures.draw(built, width="stretch")


sources.plan_notices(scenario, loaded, ALL_INPUTS)
result = pipeline.plan_or_stop(scenario, loaded, today)
budget = result.budget
run = pipeline.plans(scenario, loaded, today)
sources.sized_alternative(scenario, loaded, today, result)
others = widgets.compared(today)
base, base_label = widgets.base_scenario(scenario.name, choose=not present)

if "Headline" in shown:
    st.header(f"{plain(scenario.name)}: the plan in six numbers")
    numbers = story.headline(result)
    for row in (numbers[:3], numbers[3:]):
        for tile, figure in zip(st.columns(3), row, strict=True):
            tile.metric(figure.label, figure.text)
    say.info(budget.takeaway())

if "Volume" in shown:
    st.header("How many contacts a month, and how sure?")
    actual, ahead = story.volume_by_month(loaded.daily, result.forecast)
    chart(charts.forecast_band(actual, ahead, level=level, period_label="Month"))
    plan = (scenario.start_month, scenario.end_month, scenario.period_label)
    say.info(result.demand.takeaway(None, level, plan))

if "People" in shown:
    st.header("How many people, against how many we will have?")
    chart(charts.capacity_vs_required(result.capacity.months, level))
    say.info(result.capacity_takeaway())
    if not present:  # a hint for the Staffing page, not for the wall
        widgets.outside_hours(result.requirements.outside_hours())

if "Budget" in shown:
    st.header("What it costs, month by month")
    chart(charts.budget_by_month(budget.lines, currency), widgets.PRESENT_CHART_HEIGHT - 200)
    say.info(story.budget_range(result))
    quarters = story.budget_by_quarter(result)
    quarters = quarters.rename(columns={"quarter": "Quarter"}).set_index("Quarter")
    st.table(quarters.rename_axis(columns=None).style.format("{:,.0f}"))

is_base = base.same_settings(scenario)
# The sample base plan on this plan's tickets would mix two companies: no bridge to it.
other_company = (
    base_label == widgets.SAMPLE_LABEL and scenario.source_of("tickets").kind != "sample"
)
steps = None if is_base or other_company else sensitivity.bridge(base, scenario, run)
comparison = (
    review.side_by_side({f"{scenario.name} (on screen)": result, **others}) if others else None
)
register = review.register(scenario, base)
in_words = story.assumptions(scenario, base)

if "Bridge" in shown:
    st.header(f"What moved it against {plain(base_label)}?")
    if other_company:
        st.write(
            "The sample base plan was made for the sample company's tickets, not these: a "
            "bridge would mix two companies. Pick a saved version of this plan above."
        )
    elif steps is None:
        say.info(f"The plan has the same settings as {base_label}: nothing has moved.")
    else:
        chart(charts.bridge(story.bridge_steps(steps), currency))
        say.info(story.bridge_takeaway(steps, currency))

tornado_key = ("tornado", scenario.model_dump_json())
tornado = st.session_state.get("review-tornado", (None, None))
tornado = tornado[1] if tornado[0] == tornado_key else None  # never another plan's
if "Sensitivity" in shown:
    st.header("Which assumptions matter most?")
    # It rebuilds the plan about 44 times: in reading mode only when asked, so the rest of
    # the review opens at once; the present screen asks by being shown.
    asked = present or st.button(
        "Move each assumption 10% either way", icon=":material/tornado:", key="review-run"
    )
    if tornado is None and asked:
        with st.spinner("Rebuilding the plan with each assumption 10% lower and higher"):
            tornado = sensitivity.tornado(scenario, run, 0.10)
        st.session_state["review-tornado"] = (tornado_key, tornado)
    if tornado is not None:
        table, base_cost, _ = tornado
        moving = table[table["swing"] > 0]
        chart(charts.tornado(moving, base_cost, currency))
        if len(moving) < len(table):
            say.caption(
                f"{len(table) - len(moving)} assumptions that do not move the cost are left out."
            )
        say.info(story.tornado_takeaway(table, currency, 0.10))

if "Side by side" in shown:
    st.header("Side by side")
    if comparison is None:
        st.write(
            "Choose up to two saved scenarios in the sidebar's **Compare with** to see them "
            "here beside this one (save this one first to compare it later)."
        )
    else:
        styled = widgets.side_by_side(comparison, currency)
        if present:  # an HTML table takes the projector's type size; the grid does not
            st.table(styled.hide(axis="index"))
        else:
            st.dataframe(
                styled, hide_index=True, width="stretch",
                column_config={"Measure": st.column_config.TextColumn(width="large")},
            )  # fmt: skip
        st.info(plain(review.side_by_side_takeaway(comparison, currency)))
        st.caption("Highlighted: more than 0.5% away from the plan on screen.")

if "Assumptions" in shown:
    st.header("Every assumption, and why")
    widgets.inputs_table(scenario, register, present)
    changed = in_words[in_words["differs"]]
    if changed.empty:
        say.info(f"No assumption differs from {base_label}.")
    else:
        say.info(f"{len(changed)} of {len(in_words)} assumptions differ from {base_label}.")
    if present:
        if not changed.empty:
            differing = changed[["setting", "value", "base"]].rename(
                columns={"setting": "Assumption", "value": "This plan", "base": base_label}
            )
            st.table(differing.set_index("Assumption"))
    else:
        only = not changed.empty and st.toggle("Only those that differ", key="register-only")
        st.dataframe(
            widgets.register_view(in_words, only), hide_index=True, width="stretch",
            column_config=widgets.REGISTER_COLUMNS,
        )  # fmt: skip
        st.download_button(
            "Assumption register (CSV)",
            safe_csv(in_words),
            "assumption_register.csv",
            "text/csv",
        )

if not present:
    st.header("Take it with you")
    origin = state.origin()
    version = f"version {origin.version}" if origin and origin.matches(scenario) else "not saved"
    stem = file_stem(scenario.name)
    roster = pipeline.roster()
    first, second, third = st.columns(3)
    first.download_button(
        "Excel workbook (live formulas)", lambda: workbook_bytes(result, roster),
        f"{stem}.xlsx", XLSX, on_click="ignore", icon=":material/table_chart:",
    )  # fmt: skip
    second.download_button(
        "Slides (PowerPoint)",
        lambda: deck_bytes(result, loaded.daily, bridge=steps, base=base, base_name=base_label,
                           comparison=comparison, version=version,
                           tornado=tornado),
        f"{stem}.pptx", PPTX, on_click="ignore", icon=":material/slideshow:",
    )  # fmt: skip
    third.download_button(
        "Every table (CSV, zip)", lambda: csv_bundle(plan_tables(result, register)),
        f"{stem}_tables.zip", "application/zip", on_click="ignore", icon=":material/folder_zip:",
    )  # fmt: skip
    st.caption(
        "The workbook's yellow cells are the inputs; Demand, Staffing, Capacity, Headcount "
        "and Budget are formulas over them, so finance can change an assumption in Excel and "
        "see the totals move (its checks turn red where the app must recompute). The slides "
        "are the story above, for the review deck."
    )

if present:
    position = SLIDES.index(shown[0])
    back, _, forward = st.columns([1, 4, 1])
    if position > 0:
        back.button(f"← {SLIDES[position - 1]}", width="stretch", on_click=widgets.go_to,
                    args=(SLIDES[position - 1],))  # fmt: skip
    if position < len(SLIDES) - 1:
        forward.button(f"{SLIDES[position + 1]} →", width="stretch", on_click=widgets.go_to,
                       args=(SLIDES[position + 1],))  # fmt: skip
