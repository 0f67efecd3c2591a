"""Charts show every line a reader is told about, and no line hidden under another."""

import re

import numpy as np
import pandas as pd
import vl_convert

from planner import charts


def months(recommended_extra: float) -> pd.DataFrame:
    month = pd.date_range("2027-01-01", periods=3, freq="MS")
    available = [40.0, 39.0, 38.0]
    return pd.DataFrame(
        {
            "month": month,
            "available": available,
            "recommended_available": [a + recommended_extra for a in available],
            "required": [30.0, 31.0, 32.0],
            "required_lower": [25.0, 26.0, 27.0],
            "required_upper": [35.0, 36.0, 37.0],
        }
    )


def drawn_lines(chart) -> set[str]:
    return set(chart.layer[1].data["line"])


def test_the_recommended_line_is_drawn_only_when_it_differs_from_the_available_one():
    assert drawn_lines(charts.capacity_vs_required(months(0.0), 80)) == {
        "Available (roster and planned hires)",
        "Required (planned case)",
    }
    assert drawn_lines(charts.capacity_vs_required(months(2.0), 80)) == set(charts.CAPACITY_LINES)


def axis_labels(days: int, width: int = 1_000) -> list[str]:
    period = pd.date_range("2023-11-01", periods=days, freq="D", name="period")
    frame = pd.DataFrame({"email": np.arange(days), "chat": np.arange(days)}, index=period)
    chart = charts.volume_by_channel(frame).properties(width=width)
    svg = vl_convert.vegalite_to_svg(chart.to_json())
    return re.findall(r">([A-Z][a-z]+(?: \d{1,2})?(?: \d{4})?|\d{4})</text>", svg)


def test_a_chart_of_several_years_names_the_year_on_every_tick():
    # 1 Nov 2023 + 1,100 days is 36.1 months; 1,000 px hold 13.3 labels of 75 px, so a tick
    # every third month (2.7 would be needed), on the first of Jan, Apr, Jul and Oct. Vega's
    # default would say "November", "March" and name a year only on 1 January.
    labels = [label for label in axis_labels(1_100) if label not in {"Day", "Tickets", "Channel"}]
    quarters = [f"{m} {y}" for y in (2024, 2025, 2026) for m in ("Jan", "Apr", "Jul", "Oct")]
    assert labels == quarters
    # Two months in view: the default labels (month names, then days) come back.
    assert "November" in axis_labels(60)


def test_the_roles_legend_draws_the_needed_and_today_lines_not_dots():
    month = pd.date_range("2027-01-01", periods=3, freq="MS")
    months = pd.DataFrame({"month": month, "lead_needed": [4, 5, 4], "lead_positions": 6})
    chart = charts.roles_by_month(months, {"lead": "Team leads"})
    spec = chart.to_dict()
    dashed = [layer for layer in spec["layer"] if "strokeDash" in layer["encoding"]]
    # A line mark with points would put a dot in the legend, hiding which line is dashed.
    assert [layer["mark"] for layer in dashed] == [{"type": "line", "interpolate": "step-after"}]
    svg = vl_convert.vegalite_to_svg(chart.to_json())
    assert ">Needed</text>" in svg and ">Today</text>" in svg


def test_a_wide_monthly_chart_names_each_month_once():
    # At projector width Vega put two ticks inside January, both labelled "Jan 2027".
    chart = charts.capacity_vs_required(months(0.0), 80).properties(width=1400)
    svg = vl_convert.vegalite_to_svg(chart.to_json())
    assert re.findall(r">([A-Z][a-z]{2} \d{4})</text>", svg) == ["Jan 2027", "Feb 2027", "Mar 2027"]
