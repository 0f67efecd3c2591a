"""Schedules: the agents each interval of a typical week needs, covered by shifts people
can work, as a set-covering integer programme (Dantzig 1954; the tour-scheduling form of
Buffa, Cosgrove and Luce 1976), solved with HiGHS (the build scipy ships).

A *tour* is a shift length, a start time and a set of working days: ``days_per_week``
consecutive days (the days off together, e.g. Mon-Fri or Wed-Sun), the same start each
day. With x_j people on tour j, a_ij = 1 when tour j puts someone on queue in interval i
(the interval is inside the shift and not its break), r_i the agents interval i needs and
h_j the paid hours of tour j a week (length x days):

    minimise   sum_j h_j x_j
    subject to sum_j a_ij x_j >= r_i                      for every interval i
               sum_j (p_j - s) h_j x_j <= 0               (part-time share s)
               x_j in {0, 1, 2, ...}

where p_j = 1 for part-time shifts (shorter than ``part_time_below_hours``). Shifts wrap
around midnight and the week (Sunday night runs into Monday).

Scheduling efficiency = interval hours / paid hours = sum_i r_i x interval / sum_j h_j x_j:
1.0 only when the shifts fit the requirement exactly. Rigid shifts cost more: full-time
8-hour days alone leave peaks and troughs half-idle; 4-10 hour shifts come within a few
per cent (Henderson and Berry 1976; Thompson 1995, "Improved implicit optimal modeling of
the labor shift scheduling problem").

The linear relaxation of such covering programmes is most often integral, or a few
roundings away from an integral point, so each week is solved by a small branch and bound
of our own on it (HiGHS' dual simplex, each node solved again from its parent's basis):
every tour pays a whole multiple of g = gcd of the tours' paid minutes, so no schedule
pays less than the relaxation's bound rounded up to a multiple of g (the target).
Depth first, the tour with the largest fractional part rounded up, then down; nodes whose
relaxation pays more than the target are cut. The first whole schedule found at the
target is optimal; when none is, the target rises by g and the search starts again
(Wolsey 1998, "Integer Programming", 2.2 and 7.3).

Round the clock, with a daytime peak, the relaxation is often far from whole and the
search runs out of its work (``Spent``: simplex iterations, counted so that every machine
stops at the same point). Then a dive (Wolsey 1998, 12.5) gives a whole schedule: solve,
round up every tour at least ``ROUND_UP_FROM`` of the way to its next whole number (and
the most fractional one), solve again, until the answer is whole; the search then goes on
below that schedule's pay, with as much work again, and proves it optimal when the target
reaches it. A week left open keeps the best schedule found and says how far from the
optimum it can be at most (the target no schedule was found under). On small weeks HiGHS'
own branch and cut (``scipy.optimize.milp``, a node limit) often proves what the search
could not, and is tried; on a week of 1,008 tours it ran past its time limit and did worse
than the dive. For deferred work, covered by day and week, tours that cover no more on any
day than another at no less pay are dropped first (they are never needed in an optimum).
"""

from __future__ import annotations

import functools
import math
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import ClassVar

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

# The HiGHS that scipy builds and ships (scipy's own linprog and milp run on it); its
# Python binding keeps a model between solves, which the search needs, and prints nothing
# (the separate highspy wheel prints a banner to the process's stdout).
from scipy.optimize._highspy import _core as highs

from planner.errors import PlannerError
from planner.scenario import ShiftPatterns

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
BREAK_FROM_HOURS = 6.0  # shifts this long or longer take their break
TIME_LIMIT_SECONDS = 1.0  # HiGHS' branch and cut on a small week our search left open
FALLBACK_SECONDS = 1.0  # HiGHS' branch and cut when the dive finds no schedule
NODE_LIMIT = 200  # its nodes (a limit every machine stops at alike; the time is a backstop)
SMALL_PROGRAMME = 100_000  # rows x tours: a day of hours, not a week of half-hours, round the clock
ROUND_UP_FROM = 0.6  # a dive rounds up every tour at least this far to its next whole one
MIP_GAP = 1e-4  # stop within 0.01% of the optimum
CACHE_SIZE = 512  # weeks solved to optimality kept: a what-if undone is not solved again
_SOLVED: OrderedDict = OrderedDict()
_LOCK = threading.Lock()  # months are solved on threads


@dataclass(frozen=True)
class WeekSchedule:
    """The shifts that cover one channel's typical week.

    ``required`` and ``covered``: agents per interval of the week (Monday 00:00 first),
    needed and on queue; ``rota``: (days, start, hours, people, paid hours a week) per
    shift, by start; ``status``: "optimal", "perfect" (no shifts: interval hours are paid
    hours), or "best found, within x% of the optimum"; ``seconds``: solve time.
    """

    required: np.ndarray
    covered: np.ndarray
    rota: tuple[tuple[str, str, float, float, float], ...]
    interval_minutes: int
    status: str
    seconds: float = 0.0

    @property
    def proven(self) -> bool:
        """Whether these are the cheapest shifts (solved to optimality, or none needed)."""
        return self.status in ("optimal", "perfect")

    @functools.cached_property
    def shifts(self) -> pd.DataFrame:
        """The rota as a table: days, start, hours, people, paid_hours."""
        return pd.DataFrame(
            list(self.rota), columns=["days", "start", "hours", "people", "paid_hours"]
        ).astype({"hours": float, "people": float, "paid_hours": float})

    @property
    def interval_hours(self) -> float:
        return float(self.required.sum() * self.interval_minutes / 60)

    @property
    def paid_hours(self) -> float:
        if self.status == "perfect":
            return self.interval_hours
        return float(sum(shift[4] for shift in self.rota))

    @property
    def efficiency(self) -> float:
        """Interval hours / paid hours (1.0 with nothing to cover)."""
        paid = self.paid_hours
        return self.interval_hours / paid if paid > 0 else 1.0

    def week(self) -> pd.DataFrame:
        """weekday, minute, day, time, required, covered: one row per interval."""
        slots = 24 * 60 // self.interval_minutes
        index = np.arange(len(self.required))
        minute = index % slots * self.interval_minutes
        return pd.DataFrame(
            {
                "weekday": index // slots,
                "minute": minute,
                "day": [DAYS[d] for d in index // slots],
                "time": [f"{m // 60:02d}:{m % 60:02d}" for m in minute],
                "required": self.required,
                "covered": self.covered,
            }
        )


def solve_week(
    required: np.ndarray,
    interval_minutes: int,
    patterns: ShiftPatterns,
    *,
    by_day: bool = False,
    time_limit: float = TIME_LIMIT_SECONDS,
    gap: float = MIP_GAP,
) -> WeekSchedule:
    """The cheapest shifts (fewest paid hours) that put at least ``required[i]`` agents on
    queue in every interval i of a week (7 x intervals a day, Monday 00:00 first); see
    the module notes. ``by_day``: deferred work, which waits in a queue within its
    response time, so the shifts need only supply the week's agent hours inside the
    intervals that need anyone (sum over them of a_ij x_j >= sum of r_i), with every
    such day getting at least its own hours or an even share of the week's, whichever is
    less (a backlog never waits for a day nobody works) rather than each interval's. The
    search stops within ``gap`` (relative) of the optimum; when its relaxations run out
    first, the best schedule found is kept, ``status`` saying how near the optimum it
    is at worst, after HiGHS' branch and cut has had ``time_limit`` seconds (and
    ``NODE_LIMIT`` nodes) to better it on a small week. ``patterns.model == "perfect"``
    skips the solve: paid hours = interval hours. Weeks solved to optimality are
    remembered (``CACHE_SIZE``)."""
    started = time.perf_counter()
    required = np.clip(np.nan_to_num(np.asarray(required, dtype=float)), 0, None)
    slots = 24 * 60 // interval_minutes
    if len(required) != 7 * slots:
        raise PlannerError(
            f"A week of {interval_minutes}-minute intervals has {7 * slots} of them, not "
            f"{len(required)}."
        )
    if patterns.model == "perfect" or not required.any():
        status = "perfect" if patterns.model == "perfect" else "optimal"
        return WeekSchedule(required, required.copy(), (), interval_minutes, status)
    needed, lower = _cover_needed(required, slots, by_day)
    shape = patterns.model_dump_json()
    key = (needed.tobytes(), lower.tobytes(), interval_minutes, shape, by_day, gap)
    with _LOCK:
        found = _SOLVED.get(key)
        if found is not None:
            _SOLVED.move_to_end(key)
    if found is None:
        found = _solve(needed, lower, slots, interval_minutes, shape, by_day, time_limit, gap)
        if found[2] == "optimal":
            with _LOCK:
                _SOLVED[key] = found
                if len(_SOLVED) > CACHE_SIZE:
                    _SOLVED.popitem(last=False)
    covered, rota, status = found
    return WeekSchedule(required, covered, rota, interval_minutes, status,
                        time.perf_counter() - started)  # fmt: skip


def _cover_needed(required: np.ndarray, slots: int, by_day: bool) -> tuple[np.ndarray, np.ndarray]:
    """The intervals that need anyone, and the whole people the shifts must put there:
    a covering count is whole, so covering r agents means covering ceil(r) (a tolerance
    of 1e-6 below, as the solver's); by day (deferred work), each such day's lower bound
    and then the week's total, rounded up likewise. Equal answers make one programme."""
    needed = required > 1e-9
    if not by_day:
        return needed, np.ceil(required[needed] - 1e-6)
    day = np.flatnonzero(needed) // slots
    per_day = np.bincount(day, required[needed], 7)
    even = per_day.sum() / np.count_nonzero(per_day)
    lower = np.append(np.minimum(per_day, even), per_day.sum())
    return needed, np.ceil(lower - 1e-6)


def _solve(needed, lower, slots, interval_minutes, shape, by_day, time_limit, gap):
    """``solve_week``'s programme for the intervals ``needed`` and their whole ``lower``
    bounds: the agents covered per interval, the shifts and the solver's status."""
    tours = _tours(slots, interval_minutes, shape)
    programme = _programme(needed.tobytes(), slots, interval_minutes, shape, by_day)
    lower = np.append(lower, programme.extra_lower)
    upper = np.append(np.full(len(lower) - len(programme.extra_upper), np.inf),
                      programme.extra_upper)  # fmt: skip
    paid = programme.paid
    people, floor = _search(programme, lower, upper, gap)
    status = "optimal"
    small = programme.matrix.shape[0] * len(paid) <= SMALL_PROGRAMME
    if floor is not None and (small or people is None):
        # HiGHS' branch and cut often proves a small week's optimum where our search does
        # not (and must find a schedule when the dive found none); on a big one it runs
        # past its time limit and does worse than the dive
        result = milp(
            paid,
            constraints=[LinearConstraint(programme.matrix, lb=lower, ub=upper)],
            integrality=np.ones(len(paid)),
            bounds=Bounds(0, np.inf),
            options={
                "time_limit": time_limit if people is not None else FALLBACK_SECONDS,
                "mip_rel_gap": gap,
                "node_limit": NODE_LIMIT,
            },
        )
        if result.x is not None and (people is None or paid @ np.round(result.x) < paid @ people):
            people = np.round(result.x)
        if people is None:
            raise PlannerError(
                "No schedule of these shift patterns was found for this week: allow "
                "full-time shifts, or a larger part-time share."
            )
        if result.status == 0 and paid @ people <= result.fun + 1e-6:
            floor = None
        elif result.mip_dual_bound is not None and np.isfinite(result.mip_dual_bound):
            floor = max(floor, result.mip_dual_bound)
    if floor is not None and paid @ people > floor * (1 + gap) + 1e-6:
        status = f"best found, within {1 - floor / (paid @ people):.1%} of the optimum"
    chosen = np.flatnonzero(people > 0)
    tour = programme.useful[chosen]
    rota = sorted(
        ((_days(first, tours["days"]), f"{start // 60:02d}:{start % 60:02d}", length / 60,
          float(people[j]), float(people[j] * paid[j]))
         for (first, start, length), j in zip(tours["keys"][tour], chosen, strict=True)),
        key=lambda shift: (shift[1], shift[0], shift[2]),
    )  # fmt: skip
    return tours["cover"][:, tour] @ people[chosen], tuple(rota), status


@dataclass
class Spent:
    """The work of the search, counted so that it stops at the same point on any machine:
    simplex iterations, and ``PER_SOLVE`` for each relaxation solved (what one costs
    besides its iterations). ``BUDGET`` is the search's allowance before a dive, and again
    after it: a few hundred milliseconds on the biggest weeks (a round-the-clock week of
    1,008 tours), and more than the weeks of business hours ever need."""

    PER_SOLVE: ClassVar[int] = 25
    BUDGET: ClassVar[int] = 1_500
    budget: int
    work: int = 0

    def add(self, solver) -> None:
        self.work += solver.getInfo().simplex_iteration_count + self.PER_SOLVE

    def out(self) -> bool:
        return self.work >= self.budget


@dataclass(frozen=True)
class _Programme:
    """What a week's covering programme keeps from one set of open intervals to the
    next: the tours worth scheduling (``useful``, into ``_tours``), their pay and paid
    minutes, and the rows (``matrix``, by column): one per needed interval or, for
    deferred work, per day and the week; then the part-time share's row when it binds,
    whose bounds are ``extra_lower`` and ``extra_upper``."""

    useful: np.ndarray
    paid: np.ndarray
    paid_minutes: np.ndarray
    matrix: sparse.csc_array
    extra_lower: np.ndarray
    extra_upper: np.ndarray


@functools.lru_cache(maxsize=32)  # a plan has a few sets of open hours per channel
def _programme(needed: bytes, slots: int, minutes: int, shape: str, by_day: bool) -> _Programme:
    """The programme for the intervals ``needed`` (a week's booleans, as bytes). Made
    once per set of open intervals (a what-if that moves how many agents, not when,
    shares it)."""
    needed = np.frombuffer(needed, dtype=bool)
    tours = _tours(slots, minutes, shape)
    # a tour whose first start-step of intervals nobody needs on any of its days does no
    # better than the same tour one step later (same pay, a superset of needed cover)
    later_is_better = ~needed[tours["leading"]].any(axis=1)
    inside = tours["cover"][needed]
    useful = np.flatnonzero(inside.any(axis=0) & ~later_is_better)
    if not len(useful):
        raise PlannerError("No shift pattern covers the hours this channel is open.")
    rows = inside[:, useful].astype(float)
    paid, part_time = tours["paid"][useful], tours["part_time"][useful]
    weight = (part_time - tours["part_time_share"]) * paid  # in the part-time row
    if by_day:
        day = np.flatnonzero(needed) // slots
        on_day = (day[None, :] == np.arange(7)[:, None]).astype(float)
        rows = np.vstack([on_day @ rows, rows.sum(axis=0)])
        kept = _undominated(rows, paid, weight)
        useful, rows, paid, part_time, weight = (useful[kept], rows[:, kept], paid[kept],
                                                 part_time[kept], weight[kept])  # fmt: skip
    extra_lower, extra_upper = np.empty(0), np.empty(0)
    if part_time.any() and tours["part_time_share"] < 1:
        rows = np.vstack([rows, weight])
        extra_lower, extra_upper = np.array([-np.inf]), np.array([0.0])
    matrix = sparse.csc_array(rows)
    for array in (useful, paid, matrix.data, matrix.indices, matrix.indptr):
        array.flags.writeable = False  # shared by every week solved
    return _Programme(useful, paid, tours["paid_minutes"][useful], matrix, extra_lower,
                      extra_upper)  # fmt: skip


def _search(
    programme: _Programme, lower: np.ndarray, upper: np.ndarray, gap: float
) -> tuple[np.ndarray | None, float | None]:
    """Whole people per tour (x >= 0) with lower <= rows @ x <= upper at the fewest paid
    hours, and None when that is proven (within ``gap``); else the best found (None if
    the dive found none) and the floor no schedule can beat. See the module notes: the
    search at rising targets, with ``Spent.BUDGET`` of work; when that is not enough, a
    dive gives a schedule and the search goes on below its pay, with as much again.
    Raises when nothing covers the requirement."""
    paid, matrix = programme.paid, programme.matrix
    infinity = highs.kHighsInf
    count = len(paid)
    solver = highs._Highs()
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("presolve", "off")  # small, and solved again from its basis
    solver.passModel(
        count, matrix.shape[0], matrix.nnz, int(highs.MatrixFormat.kColwise), 1, 0.0,
        paid.astype(float), np.zeros(count), np.full(count, infinity),
        np.where(np.isinf(lower), -infinity, lower), np.where(np.isinf(upper), infinity, upper),
        matrix.indptr.astype(np.int32), matrix.indices.astype(np.int32), matrix.data,
        np.zeros(count, dtype=np.int32),
    )  # fmt: skip
    solver.run()
    if solver.getModelStatus() != highs.HighsModelStatus.kOptimal:
        raise PlannerError(
            "No schedule of these shift patterns covers the requirement: allow full-time "
            "shifts, or a larger part-time share."
        )
    grain = math.gcd(*programme.paid_minutes.tolist()) / 60
    floor, ceiling = np.zeros(len(paid)), np.full(len(paid), infinity)
    spent = Spent(budget=Spent.BUDGET)
    spent.add(solver)

    def branch(target: float) -> tuple[np.ndarray | None, bool]:
        """A schedule paying at most ``target`` under the current bounds, and whether
        the search below this node was complete."""
        if (
            solver.getModelStatus() != highs.HighsModelStatus.kOptimal
            or solver.getInfo().objective_function_value > target + 1e-6
        ):
            return None, True
        x = np.asarray(solver.getSolution().col_value)
        part = x - np.floor(x + 1e-6)
        fractional = part > 1e-6
        if not fractional.any():
            people = np.round(x)
            covered = matrix @ people
            feasible = (covered >= lower - 1e-9).all() and (covered <= upper + 1e-9).all()
            return (people, True) if feasible else (None, False)
        column = int(np.argmax(np.where(fractional, part, -1)))
        was = floor[column], ceiling[column]
        complete = True
        for bounds in ((math.ceil(x[column]), was[1]), (was[0], math.floor(x[column]))):
            if spent.out():
                complete = False
                break
            floor[column], ceiling[column] = bounds
            solver.changeColBounds(column, *bounds)
            solver.run()
            spent.add(solver)
            found, whole = branch(target)
            floor[column], ceiling[column] = was
            solver.changeColBounds(column, *was)
            if found is not None:
                return found, True
            complete = complete and whole
        return None, complete

    bound = solver.getInfo().objective_function_value
    target = math.ceil(bound / grain - 1e-6) * grain
    best, worst = None, math.inf
    while True:
        if target >= worst * (1 - gap) - 1e-6:
            return best, None  # nothing pays less than the dive's schedule (within gap)
        found, complete = branch(target)
        if found is not None:
            return found, None
        if complete:
            target += grain  # no schedule pays this little: the next possible total
        elif best is None:  # out of relaxations: a schedule to search below
            best = _dive(solver, matrix, lower, upper)
            if best is None:
                return None, target
            worst = float(paid @ best)
            spent.budget = spent.work + Spent.BUDGET
        else:
            return best, target
        solver.run()  # the relaxation at the root again
        spent.add(solver)


def _dive(solver, matrix, lower: np.ndarray, upper: np.ndarray) -> np.ndarray | None:
    """A whole schedule near the relaxation's: solve, round up every tour at least
    ``ROUND_UP_FROM`` of the way to its next whole number (and the most fractional one),
    keep those as floors and solve again, until the answer is whole (Wolsey 1998, "diving"
    heuristics); the floors are released after. Rounding up only adds cover, so every
    step stays feasible unless the part-time cap binds: then there is none (None)."""
    infinity = highs.kHighsInf
    raised = []
    solver.run()  # the relaxation at the root (the search left its last node's answer)
    root = solver.getBasis()
    x = np.asarray(solver.getSolution().col_value)
    while solver.getModelStatus() == highs.HighsModelStatus.kOptimal:
        x = np.asarray(solver.getSolution().col_value)
        part = x - np.floor(x + 1e-6)
        fractional = np.flatnonzero(part > 1e-6)
        if not len(fractional):
            break
        top = fractional[np.argmax(part[fractional])]
        for column in {int(top), *fractional[part[fractional] >= ROUND_UP_FROM].tolist()}:
            solver.changeColBounds(column, math.ceil(x[column]), infinity)
            raised.append(column)
        solver.run()
    for column in set(raised):
        solver.changeColBounds(column, 0.0, infinity)
    solver.setBasis(root)  # the search starts again from the root, not from scratch
    people = np.ceil(x - 1e-6)
    covered = matrix @ people
    feasible = (covered >= lower - 1e-9).all() and (covered <= upper + 1e-9).all()
    return people if feasible else None


def _undominated(rows: np.ndarray, paid: np.ndarray, share: np.ndarray) -> np.ndarray:
    """The columns no other column beats: one that covers at least as much in every row
    (days and the week, for deferred work) at no more pay and no more weight in the
    part-time row (``share``: (part-time - allowed share) x paid hours; a shorter
    full-time tour weighs more there, as it offsets fewer part-time hours) can take its
    place in any schedule. Of equal columns the first is kept."""
    table = np.vstack([rows, -paid[None, :], -share[None, :]])
    _, first = np.unique(table, axis=1, return_index=True)
    first = np.sort(first)
    kept = table[:, first]
    at_least = (kept[:, None, :] >= kept[:, :, None]).all(axis=0)  # [j, k]: k >= j
    np.fill_diagonal(at_least, False)
    return first[~at_least.any(axis=1)]


@functools.lru_cache(maxsize=16)
def _tours(slots: int, minutes: int, shape: str) -> dict:
    """Every tour of the shift patterns ``shape`` (their JSON) as the intervals it covers
    (``cover``: intervals x tours), each tour's paid hours a week, whether it is
    part-time, its key (first working day, start minute, length in minutes), its paid
    minutes a week (``paid_minutes``, whole) and its leading intervals (the first
    start-step of each working day); with the patterns' ``days`` a week and
    ``part_time_share``. Made once per patterns and interval length (every week solved
    with them shares it)."""
    patterns = ShiftPatterns.model_validate_json(shape)
    week = 7 * slots
    step = max(patterns.start_minutes, minutes) // minutes
    days = patterns.days_per_week
    firsts = [0] if days == 7 else list(range(7))
    rows, columns, part_time, keys, leading = [], [], [], [], []
    tour = 0
    for hours in sorted(set(patterns.lengths_hours)):
        length = max(1, round(hours * 60 / minutes))
        on_queue = np.arange(length)
        if hours >= BREAK_FROM_HOURS and patterns.break_minutes:
            pause = max(1, round(patterns.break_minutes / minutes))
            middle = length // 2 - pause // 2
            on_queue = np.setdiff1d(on_queue, np.arange(middle, middle + pause))
        for first in firsts:
            worked = (first + np.arange(days)) % 7
            for start in range(0, slots, step):
                covered = (worked[:, None] * slots + start + on_queue[None, :]) % week
                leading.append(covered[:, :step].ravel())
                covered = covered.ravel()
                rows.append(covered)
                columns.append(np.full(len(covered), tour))
                part_time.append(length * minutes / 60 < patterns.part_time_below_hours - 1e-9)
                keys.append((first, start * minutes, length * minutes))
                tour += 1
    rows, columns = np.concatenate(rows), np.concatenate(columns)
    paid_minutes = np.array([length * days for _, _, length in keys])
    cover = np.zeros((week, tour), dtype=bool)
    cover[rows, columns] = True
    return {
        "cover": cover,
        "paid": paid_minutes / 60,
        "part_time": np.array(part_time, dtype=float),
        "keys": np.array(keys),
        "paid_minutes": paid_minutes,
        "days": days,
        "part_time_share": patterns.part_time_share,
        "leading": np.array(leading),
    }


def _days(first: int, count: int) -> str:
    """'Mon-Fri', 'Sat-Wed', 'every day'."""
    if count == 7:
        return "every day"
    if count == 1:
        return DAYS[first]
    return f"{DAYS[first]}-{DAYS[(first + count - 1) % 7]}"
