"""Altair charts drawn as Vega-Lite specs with their tables beside them.

``st.altair_chart`` checks every chart against the Vega-Lite JSON schema on each run (20-60
ms a chart, most of a what-if's server time on a page of charts). The charts in
``planner.charts`` are fixed code, checked by their tests, so ``draw`` converts them without
that check, and hands the tables over by name: the spec stays the same from one what-if to
the next, and the browser updates the data of the chart it has drawn instead of drawing it
anew.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

PARTS = ("layer", "hconcat", "vconcat", "concat")
# Altair's default theme, which st.altair_chart switches off while converting a chart
DEFAULT_VIEW = {"continuousWidth": 300, "continuousHeight": 300}


def draw(chart: alt.TopLevelMixin, where=st, **options) -> None:
    """Show ``chart`` as ``where.altair_chart(chart, **options)`` would. The chart is
    consumed: its tables are taken out of it."""
    tables: dict[str, pd.DataFrame] = {}
    _take_tables(chart, tables)
    spec = chart.to_dict(validate=False)
    view = spec.get("config", {}).get("view", {})
    for key, value in DEFAULT_VIEW.items():
        if view.get(key) == value:
            del view[key]
    if "view" in spec.get("config", {}) and not view:
        del spec["config"]["view"]
    if "config" in spec and not spec["config"]:
        del spec["config"]
    where.vega_lite_chart(spec=spec | {"datasets": tables}, **options)


def _take_tables(chart, tables: dict[str, pd.DataFrame]) -> None:
    """Replace each table of ``chart`` and its parts by a name (``table-0``, ``table-1``
    in the order met, the same on every run; a table shared by several parts is named
    once) and put the table in ``tables``."""
    data = getattr(chart, "data", alt.Undefined)
    if isinstance(data, pd.DataFrame):
        name = next((n for n, table in tables.items() if table is data), f"table-{len(tables)}")
        tables[name] = data
        chart.data = alt.NamedData(name=name)
    for part in PARTS:
        inner = getattr(chart, part, alt.Undefined)
        for each in () if inner is alt.Undefined else inner:
            _take_tables(each, tables)
    inner = getattr(chart, "spec", alt.Undefined)
    if isinstance(inner, alt.SchemaBase):  # a facet's chart
        _take_tables(inner, tables)
