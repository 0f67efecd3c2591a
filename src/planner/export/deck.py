"""The plan as a PowerPoint deck for the finance review, about ten slides a CFO would keep:
title, the plan in six numbers, volume by month with its range, people needed against
planned, the budget by month and by quarter, the bridge against the base, the
sensitivity (tornado), the risks, the assumptions that differ from the base (in the
pages' words), and other scenarios side by side when there are any. The story (figures,
sentences, words) comes from ``planner.story``, as on the pages.

Charts are the app's own Altair charts (``planner.charts``) rendered to PNG by vl-convert,
so the deck shows what the browser showed. Text is placed as text (python-pptx escapes
it), never as markup. Tables are cut to the rows and characters that fit a slide.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import vl_convert
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from planner import charts, story
from planner.plan import PlanResult
from planner.review import format_measure
from planner.scenario import Scenario
from planner.volume import VolumeHistory

WIDE, HIGH = Inches(13.333), Inches(7.5)
INK = RGBColor(0x1F, 0x29, 0x37)
MUTED = RGBColor(0x5B, 0x6B, 0x7F)
ACCENT = RGBColor(0x1F, 0x5F, 0xA8)
ROWS_PER_SLIDE = 10
ROW_HEIGHT = 0.42  # inches: one line of 14 pt text with the cell's margins


def deck_bytes(
    result: PlanResult,
    history: VolumeHistory,
    *,
    bridge: pd.DataFrame | None = None,
    base: Scenario | None = None,
    base_name: str = "the base plan",
    comparison: pd.DataFrame | None = None,
    tornado: tuple[pd.DataFrame, float, float] | None = None,
    version: str = "",
) -> bytes:
    """The deck of ``result``. ``bridge``: ``sensitivity.bridge`` steps against the base (None
    when the plan is the base); ``base``: the scenario the assumptions are compared with
    (the defaults when None); ``comparison``: ``review.side_by_side`` (None without other
    scenarios); ``tornado``: ``sensitivity.tornado``'s result (table, base cost, base service
    level; no sensitivity slide without it)."""
    scenario = result.scenario
    budget = result.budget
    currency = scenario.currency
    level = scenario.forecast.interval_level
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDE, HIGH
    blank = deck.slide_layouts[6]

    slide = deck.slides.add_slide(blank)
    _text(slide, scenario.name, Inches(0.8), Inches(2.4), Inches(11.5), Inches(1.2), 40, True)
    _text(
        slide,
        f"Support plan: {scenario.horizon_months} months from {scenario.start_month:%B %Y}",
        Inches(0.8), Inches(3.6), Inches(11.5), Inches(0.6), 22, colour=MUTED,
    )  # fmt: skip
    _text(slide, f"{version}{' · ' if version else ''}{dt.date.today():%d %B %Y}",
          Inches(0.8), Inches(4.3), Inches(11.5), Inches(0.5), 16, colour=MUTED)  # fmt: skip

    slide = _titled(deck, blank, f"The plan in six numbers, {scenario.period_label}")
    for i, figure in enumerate(story.headline(result)):
        left = Inches(0.8 + (i % 3) * 4.0)
        top = Inches(1.6 + (i // 3) * 2.2)
        _text(slide, figure.label, left, top, Inches(3.8), Inches(0.5), 18, colour=MUTED)
        _text(slide, figure.text, left, top + Inches(0.5), Inches(3.8), Inches(1.0), 36, True)
    _takeaway(slide, budget.takeaway())

    actual, ahead = story.volume_by_month(history, result.forecast)
    band = charts.forecast_band(actual, ahead, level=level, period_label="Month")
    plan = (scenario.start_month, scenario.end_month, scenario.period_label)
    _chart_slide(deck, blank, "How many contacts a month, and how sure?", band,
                 result.demand.takeaway(None, level, plan))  # fmt: skip
    _chart_slide(
        deck, blank, "How many people, against how many we will have?",
        charts.capacity_vs_required(result.capacity.months, level),
        result.capacity_takeaway(),
    )  # fmt: skip
    _chart_slide(
        deck,
        blank,
        "What it costs, month by month",
        charts.budget_by_month(budget.lines, currency),
        story.budget_range(result),
    )

    quarters = story.budget_by_quarter(result)
    slide = _titled(deck, blank, "What it costs, quarter by quarter")
    columns = [c for c in quarters.columns if c != "quarter"]
    rows = [[q, *(f"{v:,.0f}" for v in values)]
            for q, values in zip(quarters["quarter"], quarters[columns].to_numpy(),
                                 strict=True)]  # fmt: skip
    rows.append(["Total", *(f"{quarters[c].sum():,.0f}" for c in columns)])
    width = min(1.9, 10.6 / len(columns))
    _table(slide, ["", *(f"{c} ({currency})" for c in columns)], rows,
           [1.5] + [width] * len(columns))  # fmt: skip
    _takeaway(slide, story.quarter_takeaway(quarters, currency))

    title = f"What moved it against {base_name}?"
    if bridge is None:
        slide = _titled(deck, blank, title)
        _takeaway(slide, "This is the base plan: nothing has moved.")
    else:
        _chart_slide(deck, blank, title, charts.bridge(story.bridge_steps(bridge), currency),
                     story.bridge_takeaway(bridge, currency))  # fmt: skip

    if tornado is not None:
        table, base_cost, base_level = tornado
        moving = table[table["swing"] > 0]
        _chart_slide(deck, blank, "Which assumptions matter most?",
                     charts.tornado(moving.head(12), base_cost, currency),
                     story.tornado_takeaway(table, currency, 0.10, base_level))  # fmt: skip

    slide = _titled(deck, blank, "What could make it wrong?")
    _bullets(slide, story.risks(result))

    against = base if base is not None else Scenario()
    against_name = base_name if base is not None else "the defaults"
    table = story.assumptions(scenario, against)
    changed = table[table["differs"]]
    if changed.empty:
        slide = _titled(deck, blank, f"What differs from {against_name}?")
        _takeaway(slide, f"No assumption differs from {against_name}.")
    chunks = [changed.iloc[i : i + ROWS_PER_SLIDE]
              for i in range(0, len(changed), ROWS_PER_SLIDE)]  # fmt: skip
    for number, chunk in enumerate(chunks, start=1):
        count = f" ({number} of {len(chunks)})" if len(chunks) > 1 else ""
        slide = _titled(deck, blank, f"What differs from {against_name}?{count}")
        rows = [[_short(r.setting, 44), _short(r.value, 30), _short(r.base, 30),
                 _short(r.source, 34)] for r in chunk.itertuples()]  # fmt: skip
        _table(slide, ["Assumption", "This plan", against_name.capitalize(), "Source"], rows,
               [4.6, 2.6, 2.6, 2.3])  # fmt: skip

    if comparison is not None:
        plans = [c for c in comparison.columns if c not in ("key", "measure")]
        rows = [[_short(m, 46), *(format_measure(k, comparison.loc[i, p], currency)
                                  for p in plans)]
                for i, (k, m) in enumerate(zip(comparison["key"], comparison["measure"],
                                               strict=True))][:12]  # fmt: skip
        slide = _titled(deck, blank, "Side by side")
        _table(slide, ["", *(_short(p, 24) for p in plans)], rows,
               [5.0] + [7.0 / len(plans)] * len(plans), 13)  # fmt: skip

    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()


def chart_png(chart, width: int = 900, height: int = 360) -> bytes:
    """An Altair chart as a PNG in projector type sizes, at twice the pixels."""
    sized = charts.for_projector(chart.properties(width=width, height=height))
    return vl_convert.vegalite_to_png(sized.to_json(), scale=2)


def _titled(deck, layout, title: str):
    slide = deck.slides.add_slide(layout)
    _text(slide, title, Inches(0.6), Inches(0.3), Inches(12.1), Inches(0.8), 28, True)
    return slide


def _chart_slide(deck, layout, title: str, chart, takeaway: str) -> None:
    slide = _titled(deck, layout, title)
    picture = io.BytesIO(chart_png(chart))
    shape = slide.shapes.add_picture(picture, Inches(0.6), Inches(1.2), height=Inches(4.9))
    if shape.width > Inches(12.1):  # a wide legend: fit the width instead
        shape.height = int(shape.height * Inches(12.1) / shape.width)
        shape.width = Inches(12.1)
    _takeaway(slide, takeaway)


def _takeaway(slide, text: str) -> None:
    """The slide's one-sentence reading under its chart, smaller type when it is long so
    that it stays on the slide (about 150 characters a line at 12 pt)."""
    size = 16 if len(text) <= 200 else 14 if len(text) <= 320 else 12
    _text(slide, text, Inches(0.6), Inches(6.2), Inches(12.1), Inches(1.2), size, colour=ACCENT)


def _text(slide, text, left, top, width, height, size, bold=False, colour=INK) -> None:
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    run = frame.paragraphs[0].add_run()
    run.text = str(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = colour


def _bullets(slide, lines: list[str]) -> None:
    box = slide.shapes.add_textbox(Inches(0.6), Inches(1.4), Inches(12.1), Inches(5.6))
    frame = box.text_frame
    frame.word_wrap = True
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = f"• {line}"
        run.font.size = Pt(20)
        run.font.color.rgb = INK
        paragraph.space_after = Pt(14)


def _table(slide, header: list[str], rows: list[list[str]], widths: list[float], size=14):
    shape = slide.shapes.add_table(
        len(rows) + 1, len(header), Inches(0.6), Inches(1.3), Inches(sum(widths)),
        Inches(ROW_HEIGHT * (len(rows) + 1)),
    )  # fmt: skip
    table = shape.table
    for col, width in enumerate(widths):
        table.columns[col].width = Emu(int(Inches(width)))
    for r, values in enumerate([header, *rows]):
        for c, value in enumerate(values):
            cell = table.cell(r, c)
            cell.text = str(value)
            for paragraph in cell.text_frame.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(size)
                    run.font.bold = r == 0


def _short(text: str, limit: int = 40) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
