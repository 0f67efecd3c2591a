"""The deck opens and has its slides, with the app's charts as pictures and text as text."""

import io
import zipfile

import pandas as pd
from pptx import Presentation

from planner import review
from planner.export.deck import deck_bytes
from planner.export.tables import csv_bundle, plan_tables
from planner.scenario import Vendor


def test_the_deck_has_every_slide(sample_plan):
    result, _, history, _ = sample_plan
    base = result.scenario.model_copy(
        update={"costs": result.scenario.costs.model_copy(update={"overhead_per_month": 0.0})}
    )
    steps = [{"step": "Base", "start": 0.0, "change": 100.0},
             {"step": "Volume", "start": 100.0, "change": 5.0},
             {"step": "Other", "start": 105.0, "change": 0.0},
             {"step": "Plan", "start": 0.0, "change": 105.0}]  # fmt: skip
    tornado = pd.DataFrame({"assumption": ["Pay", "Overhead"], "cost_low": [90.0, 99.0],
                            "cost_high": [110.0, 101.0], "sl_low": [0.8, 0.8],
                            "sl_high": [0.8, 0.8], "swing": [20.0, 2.0],
                            "sl_swing": [0.0, 0.0]})  # fmt: skip
    deck = Presentation(io.BytesIO(deck_bytes(
        result, history, bridge=pd.DataFrame(steps), base=base, base_name="the base plan",
        comparison=review.side_by_side({"Plan": result, "Other": result}),
        tornado=(tornado, 100.0, 0.8), version="version 3",
    )))  # fmt: skip
    titles = [_texts(slide)[0] for slide in deck.slides]
    assert titles == [
        result.scenario.name,
        f"The plan in six numbers, {result.scenario.period_label}",
        "How many contacts a month, and how sure?",
        "How many people, against how many we will have?",
        "What it costs, month by month",
        "What it costs, quarter by quarter",
        "What moved it against the base plan?",
        "Which assumptions matter most?",
        "What could make it wrong?",
        "What differs from the base plan?",
        "Side by side",
    ]
    pictures = [s for slide in deck.slides for s in slide.shapes if s.shape_type == 13]
    assert len(pictures) == 5  # volume, people, budget, bridge, tornado
    numbers = " ".join(_texts(deck.slides[1]))
    assert f"{result.budget.total / 1e6:,.2f} M {result.scenario.currency}" in numbers
    differs = deck.slides[9].shapes[-1].table
    assert [differs.cell(1, c).text for c in range(3)] == [
        "Overhead a month",
        f"{result.scenario.costs.overhead_per_month:,.0f} USD",
        "0 USD",
    ]  # in the pages' words, not costs.overhead_per_month
    quarters = deck.slides[5].shapes[-2].table
    assert quarters.cell(5, 0).text == "Total"
    total = float(quarters.cell(5, len(quarters.columns) - 1).text.replace(",", ""))
    assert total == round(result.budget.total)


def test_every_shape_lies_inside_its_slide_as_impress_lays_it_out(
    sample_plan, libreoffice, tmp_path
):
    """Long names, many differences and three plans side by side: LibreOffice Impress
    lays the deck out (tables grow where text wraps) and every shape stays on its slide."""
    result, _, history, _ = sample_plan
    long = "Manila overflow partner for the weekend and holiday chat queue " * 2
    costs = result.scenario.costs.model_copy(update={
        "vendors": [Vendor(name=long, channel="chat", share=0.2, price_per_hour=14.0)],
        "tooling_per_seat_per_month": {f"tool {i} {long}": 10.0 + i for i in range(6)},
        "overhead_per_month": 12_345.0, "loaded_cost_factor": 1.5, "merit_increase": 0.05,
    })  # fmt: skip
    workforce = result.scenario.workforce.model_copy(
        update={"annual_attrition": 0.4, "training_weeks": 8, "ramp_months": 5}
    )
    scenario = result.scenario.model_copy(
        update={"costs": costs, "workforce": workforce, "name": long}
    )
    changed = type(result)(**{**result.__dict__, "scenario": scenario})
    names = {f"{long} {i}": result for i in range(3)}
    path = tmp_path / "deck.pptx"
    path.write_bytes(deck_bytes(
        changed, history, base=result.scenario, base_name=f"'{long}'",
        comparison=review.side_by_side(names),
    ))  # fmt: skip
    [laid_out] = libreoffice([path], "pptx")
    deck = Presentation(laid_out)
    outside = []
    for number, slide in enumerate(deck.slides, start=1):
        for shape in slide.shapes:
            height = shape.height
            if shape.has_table:
                height = max(height, sum(row.height for row in shape.table.rows))
            if (shape.left < 0 or shape.top < 0 or shape.left + shape.width > deck.slide_width
                    or shape.top + height > deck.slide_height):  # fmt: skip
                outside.append((number, shape.name))
    assert len(deck.slides) >= 10
    assert not outside


def test_a_plan_without_others_or_a_base_still_makes_a_deck(sample_plan):
    result, _, history, _ = sample_plan
    hostile = result.scenario.model_copy(update={"name": "<b>=cmd|' /C calc'!A0</b>"})
    deck = Presentation(io.BytesIO(deck_bytes(
        type(result)(**{**result.__dict__, "scenario": hostile}), history
    )))  # fmt: skip
    titles = [_texts(slide)[0] for slide in deck.slides]
    assert titles[0] == "<b>=cmd|' /C calc'!A0</b>"  # text, as typed
    assert "Side by side" not in titles and "Which assumptions matter most?" not in titles
    assert _texts(deck.slides[6])[-1] == "This is the base plan: nothing has moved."
    assert "What differs from the defaults?" in titles


def _texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def test_every_table_of_the_plan_goes_into_the_csv_bundle(sample_plan):
    result, *_ = sample_plan
    register = review.register(result.scenario)
    bundle = zipfile.ZipFile(io.BytesIO(csv_bundle(plan_tables(result, register))))
    names = set(bundle.namelist())
    assert {"budget_by_line.csv", "budget_lines.csv", "fte_by_channel.csv", "capacity_by_month.csv",
            "open_roles.csv", "assumption_register.csv"} <= names  # fmt: skip
    lines = pd.read_csv(bundle.open("budget_lines.csv"))
    assert round(lines["amount"].sum(), 2) == round(result.budget.total, 2)
    wide = pd.read_csv(bundle.open("budget_by_line.csv"))
    assert round(wide["Total"].sum(), 2) == round(result.budget.total, 2)
