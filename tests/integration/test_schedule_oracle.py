"""The schedule solver against plain branch and bound (``tests/oracles/schedules.py``):
random weeks, and the dive a week falls back on when the exact search runs out of work on
round-the-clock weeks with a daytime peak. Each example solves the exact optimum, up to
seconds apiece, so these are not unit tests."""

import re

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from planner import schedules
from planner.scenario import ShiftPatterns
from planner.schedules import solve_week
from tests.oracles.schedules import HOURS, branch_and_bound_optimum


@settings(max_examples=15, deadline=None)
@given(
    peak=st.floats(3, 60),
    floor=st.floats(0.1, 0.6),
    weekend=st.floats(0.4, 1),
    lengths=st.lists(st.sampled_from([4.0, 6.0, 8.0]), min_size=1, max_size=3, unique=True),
    part_share=st.sampled_from([0.0, 0.3]),
)
def test_a_week_the_search_leaves_open_is_dived_covered_and_its_distance_is_honest(
    peak, floor, weekend, lengths, part_share
):
    # Round the clock with a daytime peak, the shape that defeats an exact search in time.
    # With the search given no work and HiGHS' branch and cut kept out (as on a big week),
    # the dive's schedule must cover every hour, and the distance its status admits must
    # hold against the optimum found by plain branch and bound: optimum >= paid x (1 - d).
    clock = np.arange(HOURS)
    day = peak * (floor + (1 - floor) * np.exp(-(((clock - 14) / 4.0) ** 2)))
    need = np.concatenate([np.tile(day, 5), np.tile(day * weekend, 2)])
    if max(lengths) < 6:
        lengths = [*lengths, 8.0]
    patterns = ShiftPatterns(
        lengths_hours=lengths,
        start_minutes=60,
        days_per_week=5,
        part_time_share=part_share,
        part_time_below_hours=6,
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(schedules.Spent, "BUDGET", 0)
        patch.setattr(schedules, "SMALL_PROGRAMME", 0)
        schedules._SOLVED.clear()
        found = solve_week(need, 60, patterns)
    assert (found.covered >= np.ceil(need - 1e-6) - 1e-9).all()
    optimum = branch_and_bound_optimum(need, lengths, 5, part_share, 6, False)
    assert found.paid_hours >= optimum - 1e-6
    if found.status != "optimal":
        admitted = float(re.search(r"within ([\d.]+)% of", found.status).group(1)) / 100
        assert optimum >= found.paid_hours * (1 - admitted) - found.paid_hours * 0.0005
    else:
        assert found.paid_hours == pytest.approx(optimum)


@settings(max_examples=30, deadline=None)
@given(
    day=st.lists(st.floats(0, 4.5), min_size=HOURS, max_size=HOURS),
    weekend=st.floats(0, 1),
    lengths=st.lists(st.sampled_from([3.0, 4.0, 6.0, 8.0]), min_size=1, max_size=3, unique=True),
    days=st.sampled_from([5, 7]),
    part_share=st.sampled_from([0.0, 0.3, 0.95]),
    by_day=st.booleans(),
)
def test_the_fewest_paid_hours_agree_with_branch_and_bound(
    day, weekend, lengths, days, part_share, by_day
):
    need = np.concatenate([np.tile(day, 5), np.tile(np.asarray(day) * weekend, 2)])
    need[need < 0.2] = 0
    assume(need.any())
    if max(lengths) < 6:
        lengths = [*lengths, 8.0]  # something full-time to schedule
    patterns = ShiftPatterns(
        lengths_hours=lengths,
        start_minutes=60,
        days_per_week=days,
        part_time_share=part_share,
        part_time_below_hours=6,
    )
    found = solve_week(need, 60, patterns, by_day=by_day, gap=0, time_limit=30)
    optimum = branch_and_bound_optimum(need, lengths, days, part_share, 6, by_day)
    assert found.paid_hours == pytest.approx(optimum, abs=1e-6)
    assert found.proven
