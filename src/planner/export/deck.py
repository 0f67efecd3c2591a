"""The plan as a PowerPoint deck for the finance review: title, headline figures, the
forecast, people needed against planned, the budget by month, the bridge against the base,
scenarios side by side, and the assumption register.

Charts are the app's own Altair charts (``planner.charts``) rendered to PNG by vl-convert,
so the deck shows what the browser showed. Text is placed as text (python-pptx escapes
it), never as markup.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import vl_convert
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from planner import charts
from planner.budget import short_money
from planner.compare import format_measure
from planner.plan import PlanResult
from planner.volume import VolumeHistory

WIDE, HIGH = Inches(13.333), Inches(7.5)
INK = RGBColor(0x1F, 0x29, 0x37)
MUTED = RGBColor(0x5B, 0x6B, 0x7F)
ACCENT = RGBColor(0x1F, 0x5F, 0xA8)
ROWS_PER_SLIDE = 14


def deck_bytes(
    result: PlanResult,
    history: VolumeHistory,
    *,
    bridge: pd.DataFrame | None = None,
    base_name: str = "the base plan",
    comparison: pd.DataFrame | None = None,
    register: pd.DataFrame | None = None,
    version: str = "",
) -> bytes:
    """The deck of ``result``. ``bridge``: ``compare.bridge`` steps against the base (None
    when the plan is the base); ``comparison``: ``compare.side_by_side`` (None without
    other scenarios); ``register``: ``compare.register`` against the base."""
    scenario = result.scenario
    budget = result.budget
    numbers = budget.unit_economics()
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

    period = scenario.period_label
    slide = _titled(deck, blank, f"The plan in six numbers, {period}")
    tiles = [
        (f"Budget, {period}", short_money(budget.total, currency)),
        ("Cost per ticket", f"{numbers.cost_per_ticket:,.2f} {currency}"),
        ("Share of ARR", f"{numbers.pct_of_arr:.1%}"),
        (f"Contacts, {period}", f"{numbers.contacts:,.0f}"),
        ("Peak gross FTE needed", f"{result.capacity.months['required'].max():,.1f}"),
        ("Agents on payroll (average)", f"{numbers.average_agents:,.1f}"),
    ]
    for i, (label, value) in enumerate(tiles):
        left = Inches(0.8 + (i % 3) * 4.0)
        top = Inches(1.6 + (i // 3) * 2.2)
        _text(slide, label, left, top, Inches(3.8), Inches(0.5), 18, colour=MUTED)
        _text(slide, value, left, top + Inches(0.5), Inches(3.8), Inches(1.0), 36, True)
    _takeaway(slide, budget.takeaway())

    freq = scenario.forecast.frequency
    actual = history.table("channel", None if freq == "D" else freq).sum(axis=1)
    label = {"D": "Day", "W": "Week", "M": "Month"}[freq]
    shown = {"D": 365, "W": 104, "M": 36}[freq]
    band = charts.forecast_band(actual.tail(shown), result.forecast.total(), level=level,
                                period_label=label)  # fmt: skip
    _chart_slide(deck, blank, "How many contacts, and how sure?", band,
                 result.demand.takeaway(None, level))  # fmt: skip
    _chart_slide(
        deck, blank, "How many people, against how many we will have?",
        charts.capacity_vs_required(result.capacity.months, level),
        result.capacity_takeaway(),
    )  # fmt: skip
    _chart_slide(deck, blank, "What it costs, month by month",
                 charts.budget_by_month(budget.lines, currency), budget.takeaway())  # fmt: skip

    if bridge is None:
        slide = _titled(deck, blank, f"What moved it against {base_name}?")
        _takeaway(slide, "This is the base plan: nothing has moved.")
    else:
        moved = bridge.iloc[1:-1]
        biggest = moved.loc[moved["change"].abs().idxmax()]
        _chart_slide(
            deck, blank, f"What moved it against {base_name}?", charts.bridge(bridge, currency),
            f"From {bridge['change'].iloc[0]:,.0f} to {bridge['change'].iloc[-1]:,.0f} "
            f"{currency}; the biggest step is {biggest['step'].lower()}: "
            f"{biggest['change']:+,.0f}.",
        )  # fmt: skip

    if comparison is not None:
        plans = [c for c in comparison.columns if c not in ("key", "measure")]
        rows = [[m, *(format_measure(k, comparison.loc[i, p], currency) for p in plans)]
                for i, (k, m) in enumerate(zip(comparison["key"], comparison["measure"],
                                               strict=True))]  # fmt: skip
        slide = _titled(deck, blank, "Side by side")
        _table(slide, ["", *plans], rows, [5.2] + [6.6 / len(plans)] * len(plans))

    if register is not None:
        table = register.sort_values("differs", ascending=False, kind="stable")
        table = table[(table["value"] != "") | table["differs"]]
        chunks = [table.iloc[i : i + ROWS_PER_SLIDE] for i in range(0, len(table), ROWS_PER_SLIDE)]
        for number, chunk in enumerate(chunks, start=1):
            slide = _titled(deck, blank, f"Assumption register ({number} of {len(chunks)})")
            rows = [
                [r.assumption, _short(r.value), _short(r.source, 40),
                 _short(r.base) if r.differs else "same", _short(r.rationale, 70)]
                for r in chunk.itertuples()
            ]  # fmt: skip
            _table(slide, ["Assumption", "Value", "Source", "Base", "Why"], rows,
                   [3.2, 1.8, 2.0, 1.4, 3.4], 11)  # fmt: skip

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
    shape = slide.shapes.add_picture(picture, Inches(0.6), Inches(1.25), height=Inches(4.9))
    if shape.width > Inches(12.1):  # a wide legend: fit the width instead
        shape.height = int(shape.height * Inches(12.1) / shape.width)
        shape.width = Inches(12.1)
    _takeaway(slide, takeaway)


def _takeaway(slide, text: str) -> None:
    _text(slide, text, Inches(0.6), Inches(6.35), Inches(12.1), Inches(0.9), 16, colour=ACCENT)


def _text(slide, text, left, top, width, height, size, bold=False, colour=INK) -> None:
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    run = frame.paragraphs[0].add_run()
    run.text = str(text)
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.color.rgb = colour


def _table(slide, header: list[str], rows: list[list[str]], widths: list[float], size=14):
    shape = slide.shapes.add_table(
        len(rows) + 1, len(header), Inches(0.6), Inches(1.3), Inches(sum(widths)),
        Inches(0.4 * (len(rows) + 1)),
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
