"""The fewest paid hours that cover a week, from a tour matrix built here from the module
notes of ``planner.schedules`` alone and solved by HiGHS' branch and bound to a zero gap:
the reference the schedule solver is checked against."""

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp

HOURS = 24  # hourly intervals a day


def branch_and_bound_optimum(need, lengths, days, part_share, below, by_day) -> float:
    """The fewest paid hours, by HiGHS' branch and bound alone on a dense covering matrix
    built here from the module notes (hourly starts, no breaks): the oracle for the
    relaxation-and-dive path."""
    week = 7 * HOURS
    columns, paid, part = [], [], []
    for length in lengths:
        for first in [0] if days == 7 else range(7):
            for start in range(HOURS):
                column = np.zeros(week)
                for d in range(days):
                    for h in range(int(length)):
                        column[((first + d) % 7 * HOURS + start + h) % week] = 1
                columns.append(column)
                paid.append(length * days)
                part.append(length < below)
    cover, paid, part = np.array(columns).T, np.array(paid), np.array(part, dtype=float)
    needed = need > 0
    if by_day:
        day = np.flatnonzero(needed) // HOURS
        per_day = np.bincount(day, need[needed], 7)
        even = per_day.sum() / np.count_nonzero(per_day)
        rows = np.array([(cover[needed][day == d]).sum(axis=0) for d in range(7)])
        rows = np.vstack([rows, cover[needed].sum(axis=0)])
        lower = np.ceil(np.append(np.minimum(per_day, even), per_day.sum()) - 1e-6)
    else:
        rows, lower = cover[needed], np.ceil(need[needed] - 1e-6)
    result = milp(
        paid,
        constraints=[LinearConstraint(rows, lb=lower),
                     LinearConstraint(((part - part_share) * paid)[None, :], ub=0)],
        integrality=np.ones(len(paid)), bounds=Bounds(0, np.inf),
        options={"mip_rel_gap": 0},
    )  # fmt: skip
    return float(result.fun)
