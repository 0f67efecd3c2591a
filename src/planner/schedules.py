"""Schedules: the agents each interval of a typical week needs, covered by shifts people
can work, as a set-covering integer programme (Dantzig 1954; the tour-scheduling form of
Buffa, Cosgrove and Luce 1976), solved by HiGHS through ``scipy.optimize.milp``.

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
roundings away from an integral point, so each week is first solved as a linear programme
(HiGHS' dual simplex) and dived: while the solution is fractional, the
variable with the largest fractional part is rounded up and the programme solved again
from the last basis. A dive ending at whole people whose paid hours equal the relaxation's
bound rounded up to the paid hours' granularity (every tour pays a whole multiple of
g = gcd of the tours' paid minutes, so no schedule can cost less) is optimal, proven
without branching (Wolsey 1998, "Integer Programming", 2.2: a relaxation's bound; 9.1:
diving heuristics). Otherwise the integer programme is solved by branch and bound.
"""

from __future__ import annotations

import functools
import math
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from scipy.optimize import Bounds, LinearConstraint, milp

# The HiGHS that scipy builds and ships (scipy's own linprog and milp run on it); its
# Python binding keeps a model between solves, which a dive needs, and prints nothing
# (the separate highspy wheel prints a banner to the process's stdout).
from scipy.optimize._highspy import _core as highs

from planner.errors import PlannerError
from planner.scenario import ShiftPatterns

DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
BREAK_FROM_HOURS = 6.0  # shifts this long or longer take their break
TIME_LIMIT_SECONDS = 1.0  # per week solved; the best schedule found is kept, status says so
DIVE_STEPS = 25  # roundings tried on the linear relaxation before branch and bound
MIP_GAP = 1e-4  # stop within 0.01% of the optimum
CACHE_SIZE = 512  # weeks solved to optimality kept: a what-if undone is not solved again
_SOLVED: OrderedDict = OrderedDict()
_LOCK = threading.Lock()  # months are solved on threads


@dataclass(frozen=True)
class WeekSchedule:
    """The shifts that cover one channel's typical week.

    ``required`` and ``covered``: agents per interval of the week (Monday 00:00 first),
    needed and on queue; ``shifts``: days, start, hours, people, paid_hours (a week);
    ``status``: "optimal", "perfect" (no shifts: interval hours are paid hours), or what
    the solver stopped at; ``seconds``: solve time.
    """

    required: np.ndarray
    covered: np.ndarray
    shifts: pd.DataFrame
    interval_minutes: int
    status: str
    seconds: float = 0.0

    @property
    def interval_hours(self) -> float:
        return float(self.required.sum() * self.interval_minutes / 60)

    @property
    def paid_hours(self) -> float:
        if self.status == "perfect":
            return self.interval_hours
        return float(self.shifts["paid_hours"].sum())

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
    solver stops within ``gap`` (relative) of the optimum or after ``time_limit``
    seconds. ``patterns.model == "perfect"`` skips the solve: paid hours = interval
    hours. Weeks solved to optimality are remembered (``CACHE_SIZE``)."""
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
        return WeekSchedule(required, required.copy(), EMPTY, interval_minutes, status)
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
    covered, shifts, status = found
    return WeekSchedule(required, covered, shifts, interval_minutes, status,
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


EMPTY = pd.DataFrame(columns=["days", "start", "hours", "people", "paid_hours"])


def _solve(needed, lower, slots, interval_minutes, shape, by_day, time_limit, gap):
    """``solve_week``'s programme for the intervals ``needed`` and their whole ``lower``
    bounds: the agents covered per interval, the shifts and the solver's status."""
    patterns = ShiftPatterns.model_validate_json(shape)
    tours = _tours(slots, interval_minutes, shape)
    cover = tours["cover"]
    # a tour whose first start-step of intervals nobody needs on any of its days does no
    # better than the same tour one step later (same pay, a superset of needed cover)
    later_is_better = ~needed[tours["leading"]].any(axis=1)
    useful = np.flatnonzero((cover[needed].sum(axis=0) > 0) & ~later_is_better)
    if not len(useful):
        raise PlannerError("No shift pattern covers the hours this channel is open.")
    cover = cover[:, useful]
    paid = tours["paid"][useful]
    part_time = tours["part_time"][useful]
    if by_day:
        day = np.flatnonzero(needed) // slots
        days = sparse.csr_array(
            (np.ones(len(day)), (day, np.arange(len(day)))), shape=(7, len(day))
        )
        rows = sparse.vstack([days, np.ones((1, len(day)))]) @ cover[needed]
        constraints = [LinearConstraint(rows, lb=lower, ub=np.inf)]
    else:
        constraints = [LinearConstraint(cover[needed], lb=lower, ub=np.inf)]
    if part_time.any() and patterns.part_time_share < 1:
        share = (part_time - patterns.part_time_share) * paid
        constraints.append(LinearConstraint(share[None, :], lb=-np.inf, ub=0.0))
    people = _dive(paid, tours["paid_minutes"][useful], constraints)
    status = "optimal"
    if people is None:
        result = milp(
            paid,
            constraints=constraints,
            integrality=np.ones(len(paid)),
            bounds=Bounds(0, np.inf),
            options={"time_limit": time_limit, "mip_rel_gap": gap},
        )
        if result.x is None:
            raise PlannerError(
                "No schedule of these shift patterns covers the requirement: allow full-time "
                "shifts, or a larger part-time share."
            )
        people = np.round(result.x)
        if result.status != 0:
            status = f"best found in {time_limit:g} s, within {result.mip_gap:.1%} of the optimum"
    chosen = np.flatnonzero(people > 0)
    keys = tours["keys"][useful[chosen]]
    shifts = pd.DataFrame(
        {
            "days": [_days(first, patterns.days_per_week) for first in keys[:, 0]],
            "start": [f"{m // 60:02d}:{m % 60:02d}" for m in keys[:, 1]],
            "hours": keys[:, 2] / 60,
            "people": people[chosen],
            "paid_hours": people[chosen] * paid[chosen],
        }
    ).sort_values(["start", "days", "hours"], ignore_index=True)
    return cover @ people, shifts, status


def _dive(
    paid: np.ndarray, paid_minutes: np.ndarray, constraints: list[LinearConstraint]
) -> np.ndarray | None:
    """Whole people per tour proven optimal by the relaxation's bound (see the module
    notes), or None when ``DIVE_STEPS`` roundings do not reach it (or it is infeasible)."""
    matrix = sparse.vstack([sparse.csr_array(c.A) for c in constraints]).tocsc()
    lower = np.concatenate([np.broadcast_to(c.lb, c.A.shape[0]) for c in constraints])
    upper = np.concatenate([np.broadcast_to(c.ub, c.A.shape[0]) for c in constraints])
    infinity = highs.kHighsInf
    model = highs.HighsLp()
    model.num_col_, model.num_row_ = len(paid), matrix.shape[0]
    model.col_cost_ = paid
    model.col_lower_, model.col_upper_ = np.zeros(len(paid)), np.full(len(paid), infinity)
    model.row_lower_ = np.where(np.isinf(lower), -infinity, lower)
    model.row_upper_ = np.where(np.isinf(upper), infinity, upper)
    model.a_matrix_.format_ = highs.MatrixFormat.kColwise
    model.a_matrix_.start_ = matrix.indptr
    model.a_matrix_.index_ = matrix.indices
    model.a_matrix_.value_ = matrix.data
    solver = highs._Highs()
    solver.setOptionValue("output_flag", False)
    solver.setOptionValue("presolve", "off")  # small, and solved again from its basis
    solver.passModel(model)
    solver.run()
    if solver.getModelStatus() != highs.HighsModelStatus.kOptimal:
        return None
    grain = math.gcd(*paid_minutes.tolist()) / 60
    cheapest = math.ceil(solver.getInfo().objective_function_value / grain - 1e-6) * grain
    for _ in range(DIVE_STEPS):
        x = np.asarray(solver.getSolution().col_value)
        part = x - np.floor(x + 1e-6)
        fractional = part > 1e-6
        if not fractional.any():
            people = np.round(x)
            rows = matrix @ people
            feasible = (rows >= lower - 1e-9).all() and (rows <= upper + 1e-9).all()
            return people if feasible and paid @ people <= cheapest + 1e-6 else None
        column = int(np.argmax(np.where(fractional, part, -1)))
        solver.changeColBounds(column, math.ceil(x[column]), infinity)
        solver.run()
        if (
            solver.getModelStatus() != highs.HighsModelStatus.kOptimal
            or solver.getInfo().objective_function_value > cheapest + 1e-6
        ):
            return None
    return None


@functools.lru_cache(maxsize=16)
def _tours(slots: int, minutes: int, shape: str) -> dict[str, np.ndarray]:
    """Every tour of the shift patterns ``shape`` (their JSON) as the intervals it covers
    (``cover``: intervals x tours), each tour's paid hours a week, whether it is
    part-time, its key (first working day, start minute, length in minutes), its paid
    minutes a week (``paid_minutes``, whole) and its leading intervals (the first
    start-step of each working day). Made once per patterns and interval length (every
    week solved with them shares it)."""
    patterns = ShiftPatterns.model_validate_json(shape)
    week = 7 * slots
    step = max(patterns.start_minutes, minutes) // minutes
    days = patterns.days_per_week
    firsts = [0] if days == 7 else list(range(7))
    rows, columns, paid, part_time, keys, leading = [], [], [], [], [], []
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
                paid.append(length * minutes / 60 * days)
                part_time.append(length * minutes / 60 < patterns.part_time_below_hours - 1e-9)
                keys.append((first, start * minutes, length * minutes))
                tour += 1
    rows, columns = np.concatenate(rows), np.concatenate(columns)
    cover = sparse.csr_array((np.ones(len(rows)), (rows, columns)), shape=(week, tour))
    return {
        "cover": cover,
        "paid": np.array(paid),
        "part_time": np.array(part_time, dtype=float),
        "keys": np.array(keys),
        "paid_minutes": np.array([length * days for _, _, length in keys]),
        "leading": np.array(leading),
    }


def _days(first: int, count: int) -> str:
    """'Mon-Fri', 'Sat-Wed', 'every day'."""
    if count == 7:
        return "every day"
    if count == 1:
        return DAYS[first]
    return f"{DAYS[first]}-{DAYS[(first + count - 1) % 7]}"
