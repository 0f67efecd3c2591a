"""The deck opens and has its slides, with the app's charts as pictures and text as text."""

import io
import zipfile

import pandas as pd
from pptx import Presentation

from planner import compare
from planner.export.deck import deck_bytes
from planner.export.tables import csv_bundle, plan_tables


def test_the_deck_has_every_slide(sample_plan):
    result, _, history, _ = sample_plan
    base = result.scenario.model_copy(
        update={"costs": result.scenario.costs.model_copy(update={"overhead_per_month": 0.0})}
    )
    steps = [{"step": "Base", "start": 0.0, "change": 100.0},
             {"step": "Volume", "start": 100.0, "change": 5.0},
             {"step": "Other", "start": 105.0, "change": 0.0},
             {"step": "Plan", "start": 0.0, "change": 105.0}]  # fmt: skip
    deck = Presentation(io.BytesIO(deck_bytes(
        result, history, bridge=pd.DataFrame(steps), base_name="the base plan",
        comparison=compare.side_by_side({"Plan": result, "Other": result}),
        register=compare.register(result.scenario, base), version="version 3",
    )))  # fmt: skip
    titles = [_texts(slide)[0] for slide in deck.slides]
    assert titles[:8] == [
        result.scenario.name,
        f"The plan in six numbers, {result.scenario.period_label}",
        "How many contacts, and how sure?",
        "How many people, against how many we will have?",
        "What it costs, month by month",
        "What moved it against the base plan?",
        "Side by side",
        titles[7],
    ]
    assert titles[7].startswith("Assumption register (1 of ")
    pictures = [s for slide in deck.slides for s in slide.shapes if s.shape_type == 13]
    assert len(pictures) == 4  # forecast, headcount, budget, bridge
    numbers = " ".join(_texts(deck.slides[1]))
    assert f"{result.budget.total:,.0f} {result.scenario.currency}" in numbers
    first_register = deck.slides[7].shapes[-1].table
    assert first_register.cell(1, 0).text == "costs.overhead_per_month"  # what differs first


def test_a_plan_without_others_or_a_base_still_makes_a_deck(sample_plan):
    result, _, history, _ = sample_plan
    hostile = result.scenario.model_copy(update={"name": "<b>=cmd|' /C calc'!A0</b>"})
    deck = Presentation(io.BytesIO(deck_bytes(
        type(result)(**{**result.__dict__, "scenario": hostile}), history
    )))  # fmt: skip
    titles = [_texts(slide)[0] for slide in deck.slides]
    assert titles[0] == "<b>=cmd|' /C calc'!A0</b>"  # text, as typed
    assert "Side by side" not in titles
    assert _texts(deck.slides[5])[-1] == "This is the base plan: nothing has moved."


def _texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def test_every_table_of_the_plan_goes_into_the_csv_bundle(sample_plan):
    result, *_ = sample_plan
    register = compare.register(result.scenario)
    bundle = zipfile.ZipFile(io.BytesIO(csv_bundle(plan_tables(result, register))))
    names = set(bundle.namelist())
    assert {"budget_by_line.csv", "budget_lines.csv", "fte_by_channel.csv", "capacity_by_month.csv",
            "open_roles.csv", "assumption_register.csv"} <= names  # fmt: skip
    lines = pd.read_csv(bundle.open("budget_lines.csv"))
    assert round(lines["amount"].sum(), 2) == round(result.budget.total, 2)
    wide = pd.read_csv(bundle.open("budget_by_line.csv"))
    assert round(wide["Total"].sum(), 2) == round(result.budget.total, 2)
