"""Arbitrary JSON in any setting: a clear message, or a plan that builds, saves, loads back
as itself and exports, never an exception or a scenario saved that cannot be opened."""

import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner import store
from planner.errors import PlannerError, ScenarioError, StoreError
from planner.export.tables import csv_bundle, plan_tables
from planner.export.workbook import workbook_bytes
from planner.scenario import Scenario, setting_leaves
from tests.unit import small_plan
from tests.unit.small_plan import scenario

BASE = scenario()  # two channels, a starting headcount: plans in seconds
PATHS = sorted(setting_leaves(BASE))
EDGES = st.sampled_from(
    [0, -1, 1e308, -1e308, 10**30, 2**63, 0.5, "", "12", "utc", "2262-01-01", "9999-12-31",
     "1900-01-01", True, False, None, [], {}, "=1+1", "a\r=b", "x" * 500]
)  # fmt: skip
JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=3),
    max_leaves=6,
)  # fmt: skip

PLAUSIBLE = st.floats(-2, 200) | st.integers(-2, 500)  # near the ranges, so plans get built


def with_value(path: str, value) -> dict:
    data = json.loads(BASE.to_json())
    *parents, leaf = path.split(".")
    where = data
    for key in parents:
        where = where[key]
    where[leaf] = value
    return data


@pytest.fixture(scope="module")
def runner():
    return small_plan.plans()


@settings(
    max_examples=int(os.environ.get("HOSTILE_EXAMPLES", "120")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(path=st.sampled_from(PATHS), value=EDGES | JSON | PLAUSIBLE)
def test_any_value_in_any_setting_is_refused_clearly_or_planned_end_to_end(
    path, value, runner, tmp_path_factory
):
    try:
        scenario = Scenario.parse(with_value(path, value))
    except ScenarioError as refused:
        assert refused.problems and all(p.strip() for p in refused.problems)
        return
    try:
        result = runner.build(scenario)
    except PlannerError as refused:  # a plan that cannot be made says why, in words
        assert str(refused).strip()
        return
    folder = tmp_path_factory.mktemp("store")
    kept = store.connect(f"sqlite:///{folder / 'plans.db'}")
    try:
        version = kept.save(scenario, parent=None, author="Ana")
    except StoreError as refused:
        assert str(refused).strip()
        return
    assert kept.load(scenario.name, version).scenario == scenario
    assert workbook_bytes(result)[:2] == b"PK"
    assert csv_bundle(plan_tables(result))[:2] == b"PK"
