"""``figures.draw`` hands Streamlit the spec ``st.altair_chart`` would make, with each table
named by its place in the chart (shared tables once), so the spec stays the same when only
the numbers move."""

import json
import re

import pandas as pd
import streamlit.elements.vega_charts as vega_charts

from planner import charts
from planner_ui import figures


class Page:
    """Stands in for ``st``: keeps what ``draw`` would show."""

    def vega_lite_chart(self, spec, **options):
        self.spec, self.options = spec, options


def drawn(chart) -> dict:
    page = Page()
    figures.draw(chart, page, width="stretch")
    assert page.options == {"width": "stretch"}
    return page.spec


def numbered(spec: dict) -> str:
    """The spec without its tables, each table's name replaced by its order of first use."""
    text = json.dumps({k: v for k, v in spec.items() if k != "datasets"}, sort_keys=True)
    names = re.findall(r'"name": "([0-9a-f]{32}|table-[0-9]+)"', text)
    for i, name in enumerate(dict.fromkeys(names)):
        text = text.replace(f'"{name}"', f'"D{i}"')
    return text


def months(shift: float) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "month": pd.date_range("2027-01-01", periods=3, freq="MS"),
            "available": [40.0, 39.0, 38.0],
            "recommended_available": [42.0 + shift, 41.0, 40.0],
            "required": [30.0, 31.0 + shift, 32.0],
            "required_lower": [25.0, 26.0, 27.0],
            "required_upper": [35.0, 36.0, 37.0],
        }
    )


def cliff() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "agents": [10, 11, 12],
            "service_level": [0.6, 0.8, 0.9],
            "asa_seconds": [40.0, 20.0, 10.0],
            "extra_cost_per_year": [0.0, 50_000.0, 100_000.0],
            "needed": [False, True, False],
        }
    )


def test_the_spec_is_the_one_streamlit_would_make():
    for build in (
        lambda: charts.capacity_vs_required(months(0.0), 80),
        lambda: charts.staffing_cliff(cliff(), "service_level", 0.8),
        lambda: charts.for_projector(charts.capacity_vs_required(months(0.0), 80)),
    ):
        theirs = vega_charts._convert_altair_to_vega_lite_spec(build())
        ours = drawn(build())
        assert numbered(ours) == numbered(theirs)
        assert all(isinstance(table, pd.DataFrame) for table in ours["datasets"].values())


def test_a_table_shared_by_layers_is_sent_once_and_new_numbers_keep_the_spec():
    spec = drawn(charts.staffing_cliff(cliff(), "service_level", 0.8))
    # the bars and their labels draw from one table; the target rule from its own
    assert list(spec["datasets"]) == ["table-0", "table-1"]
    before = drawn(charts.capacity_vs_required(months(0.0), 80))
    after = drawn(charts.capacity_vs_required(months(1.0), 80))
    assert json.dumps(before | {"datasets": None}) == json.dumps(after | {"datasets": None})
    assert not before["datasets"]["table-0"].equals(after["datasets"]["table-0"])
