"""Shift schedules against covering problems solved by hand, and their invariants."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.errors import PlannerError
from planner.scenario import ShiftPatterns
from planner.schedules import solve_week
from tests.oracles.schedules import HOURS


def every_day(day: list[float]) -> np.ndarray:
    """The same hourly requirement on each of the seven days."""
    return np.tile(np.asarray(day, dtype=float), 7)


def hours(*spans: tuple[int, int, float]) -> list[float]:
    """A day of hourly requirements: (from hour, to hour, agents) spans."""
    day = [0.0] * HOURS
    for start, end, agents in spans:
        for h in range(start, end):
            day[h] += agents
    return day


def shifts(lengths, days=7, part_time=0.95, below=1.0, **extra) -> ShiftPatterns:
    """Hourly starts; no shift is part-time unless ``below`` says so."""
    return ShiftPatterns(lengths_hours=lengths, start_minutes=60, days_per_week=days,
                         part_time_share=part_time, part_time_below_hours=below,
                         **extra)  # fmt: skip


def test_a_covering_problem_solved_by_hand():
    # Agents needed 00:00-05:00: 1, 3, 1, 3, 1 (9 agent-hours a day), every day.
    # 3-hour shifts: 01:00 (covers 1-3) and 03:00 (3-5) cannot both be avoided; hour 1
    # and hour 3 need 3 each, and no 3-hour shift that covers hour 4 covers hour 1, so at
    # least 3 + 1 shifts. Optimum, 4 shifts = 12 paid hours a day:
    #   00:00 x1 (covers 0,1,2), 01:00 x2 (1,2,3), 03:00 x1 (3,4,5)
    #   -> coverage 1, 3, 3, 3, 1 (the extra at 02:00 is the price of 3-hour shifts).
    need = every_day(hours((0, 1, 1), (1, 2, 3), (2, 3, 1), (3, 4, 3), (4, 5, 1)))
    three = solve_week(need, 60, shifts([3]), gap=0)
    assert three.paid_hours == 12 * 7 and three.efficiency == pytest.approx(0.75)
    assert (three.covered >= need).all()
    # 2-hour shifts: hours 1 and 3 need 3 each and no 2-hour shift covers both: 6 shifts,
    # 12 paid hours again. With 1-hour shifts too, the requirement itself: 9 hours.
    assert solve_week(need, 60, shifts([2]), gap=0).paid_hours == 12 * 7
    assert solve_week(need, 60, shifts([2, 1]), gap=0).paid_hours == 9 * 7


def test_days_per_week_need_more_people_than_days():
    # Two agents 08:00-16:00 on weekdays only. Five-day shifts: two people Mon-Fri, 80
    # paid hours, nothing idle. Four-day shifts: each weekday needs two, so 10
    # person-days of 4 a tour: at least 3 tours (Mon-Thu, Tue-Fri, Fri-Mon), 96 hours.
    need = np.concatenate([np.tile(hours((8, 16, 2)), 5), np.zeros(2 * HOURS)])
    five = solve_week(need, 60, shifts([8], days=5), gap=0)
    assert five.paid_hours == 80 and five.efficiency == pytest.approx(1.0)
    assert five.shifts[["days", "start", "people"]].values.tolist() == [["Mon-Fri", "08:00", 2]]
    four = solve_week(need, 60, shifts([8], days=4), gap=0)
    assert four.paid_hours == 96 and four.efficiency == pytest.approx(80 / 96)


def test_the_part_time_share_caps_short_shifts():
    # One agent 08:00-20:00: an 8-hour and a 4-hour shift fit it exactly (12 hours, a
    # third of them part-time: under 6 hours). Capped at 30% part-time, two 8-hour
    # shifts: 16 hours.
    need = every_day(hours((8, 20, 1)))
    free = solve_week(need, 60, shifts([8, 4], part_time=0.95, below=6), gap=0)
    assert free.paid_hours == 12 * 7
    capped = solve_week(need, 60, shifts([8, 4], part_time=0.3, below=6), gap=0)
    assert capped.paid_hours == 16 * 7 and capped.efficiency == pytest.approx(0.75)
    with pytest.raises(PlannerError, match="larger part-time share"):
        solve_week(need, 60, shifts([4], part_time=0.0, below=6))


def test_a_scheduled_break_leaves_its_hour_to_someone_else():
    # One agent 08:00-16:00, at most 15% of paid hours part-time (under 6 hours); an
    # 8-hour shift with an hour's break in its middle leaves 12:00 uncovered, so a 1-hour
    # shift fills it (1 of 9 hours part-time): 9 paid hours for 8 on queue.
    need = every_day(hours((8, 16, 1)))
    plain = solve_week(need, 60, shifts([8, 1], part_time=0.15, below=6), gap=0)
    assert plain.paid_hours == 8 * 7
    broken = solve_week(need, 60, shifts([8, 1], part_time=0.15, below=6, break_minutes=60),
                        gap=0)  # fmt: skip
    assert broken.covered[12] == 1 and broken.shifts["hours"].tolist() == [8.0, 1.0]
    assert broken.paid_hours == 9 * 7
    assert broken.efficiency == pytest.approx(8 / 9)


def test_a_night_shift_runs_past_midnight_into_the_next_day():
    # One agent 22:00-04:00 every night: one 6-hour shift from 22:00 covers it.
    need = every_day(hours((0, 4, 1), (22, 24, 1)))
    night = solve_week(need, 60, shifts([6]), gap=0)
    assert night.paid_hours == 6 * 7
    assert night.shifts["start"].tolist() == ["22:00"]


def test_perfect_scheduling_pays_the_interval_hours_only():
    need = every_day(hours((8, 20, 3)))
    perfect = solve_week(need, 60, ShiftPatterns(model="perfect"))
    assert perfect.paid_hours == perfect.interval_hours == 36 * 7
    assert perfect.efficiency == 1.0
    assert solve_week(np.zeros(7 * HOURS), 60, shifts([8])).efficiency == 1.0


def test_deferred_work_covers_the_week_with_every_open_day_worked():
    # Weekend mail waits for Monday: 6 agents Monday, 2 on the other weekdays (14
    # agent-days of 8 hours). By day, five-day shifts need not meet Monday's peak on
    # Friday: 3 people Mon-Fri (15 agent-days, 120 hours) instead of 6 (240 hours).
    need = np.concatenate([hours((8, 16, 6)), *[hours((8, 16, 2))] * 4, np.zeros(2 * HOURS)])
    strict = solve_week(need, 60, shifts([8], days=5), gap=0)
    assert strict.paid_hours == 240
    flexible = solve_week(need, 60, shifts([8], days=5), by_day=True, gap=0)
    assert flexible.paid_hours == 120


@settings(max_examples=25, deadline=None)
@given(
    day=st.lists(st.integers(0, 4), min_size=HOURS, max_size=HOURS),
    lengths=st.lists(st.sampled_from([2.0, 3.0, 4.0, 6.0, 8.0]), min_size=1, max_size=3),
    extra=st.sampled_from([1.0, 2.0, 5.0, 10.0]),
)
def test_more_shift_patterns_never_need_more_paid_hours(day, lengths, extra):
    need = every_day(day)
    fewer = solve_week(need, 60, shifts(lengths), gap=0, time_limit=30)
    more = solve_week(need, 60, shifts([*lengths, extra]), gap=0, time_limit=30)
    assert more.paid_hours <= fewer.paid_hours + 1e-9
    assert (fewer.covered >= need - 1e-9).all() and (more.covered >= need - 1e-9).all()
    assert more.efficiency <= 1 + 1e-9


def test_branch_and_cut_takes_over_with_the_same_answer(monkeypatch):
    # The covering problem solved by hand above, with our own search given no relaxations
    # to spend (a budget of no work): the dive's schedule is kept, and HiGHS' branch and
    # cut, given the time, finds the same 12 paid hours a day; by day (deferred work) 1-
    # and 2-hour shifts pay exactly the day's 9 agent-hours. Without the time, the status
    # says how near the dive's schedule is at worst.
    from planner import schedules

    need = every_day(hours((0, 1, 1), (1, 2, 3), (2, 3, 1), (3, 4, 3), (4, 5, 1)))
    monkeypatch.setattr(schedules.Spent, "BUDGET", 0)
    schedules._SOLVED.clear()
    assert solve_week(need, 60, shifts([3]), gap=0, time_limit=30).paid_hours == 12 * 7
    by_day = solve_week(need, 60, shifts([2, 1]), gap=0, by_day=True, time_limit=30)
    assert by_day.paid_hours == 9 * 7 and by_day.status == "optimal"
    dived = solve_week(need, 60, shifts([2, 1]), gap=0, by_day=True)
    if dived.paid_hours > 9 * 7:
        floor = 9 * 7  # the relaxation's bound: each day's 9 agent-hours
        assert (
            dived.status == f"best found, within {1 - floor / dived.paid_hours:.1%} of the optimum"
        )
