"""Charts show every line a reader is told about, and no line hidden under another."""

import pandas as pd

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
