"""Succession: who could step into each leader's seat.

For each lead, manager and director, the people one level below (the top two IC levels for
the first management level) ranked by readiness = months in the company / typical months in
their level (a roster has no date-in-level) then by tenure; bench strength = candidates
ready now.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from planner.org.needs import SUPPORT_RATIOS
from planner.org.tree import Structure, structure
from planner.roles import roles


def succession(
    people: pd.DataFrame, ladder: pd.DataFrame | None, today: dt.date, per_role: int = 3
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Successors for every filled lead, manager and director.

    Returns (bench, candidates). ``bench``: employee_id, name, title, team, candidates,
    ready_now, within_a_year, bench ('strong' with 2+ ready now, 'thin' with 1, 'none'),
    successors (the best ``per_role`` in words). ``candidates``: holder_id, employee_id,
    name, title, level, team, same_team, tenure_months, readiness (tenure / typical months
    in level), ready ('now', 'within a year', 'later'). Candidates come from the holder's
    manager's organisation: their own and their peers' teams."""
    role = roles(people).to_numpy()
    tree = structure(people)
    filled = people["status"].eq("filled").to_numpy()
    tenure = np.array(
        [(today - d).days / 30.4375 if d is not None else np.nan for d in people["start_date"]]
    )
    typical = _typical_months(ladder)
    feeders = _feeders(ladder)
    rows, picks = [], []
    leaders = [i for i in range(len(people)) if role[i] in ("lead", "manager", "director")]
    for i in leaders:
        if not filled[i]:
            continue
        pool = feeders.get(people["level"].iat[i]) if feeders else None
        below = {"lead": "agent", "manager": "lead", "director": "manager"}[role[i]]
        if pool:
            chosen = people["level"].isin(pool).to_numpy() & ~np.isin(role, list(SUPPORT_RATIOS))
        else:
            chosen = role == below
        inside = np.zeros(len(people), dtype=bool)
        inside[list(_branch(tree, i))] = True
        chosen = chosen & filled & inside & (np.arange(len(people)) != i)
        found = []
        for j in np.flatnonzero(chosen):
            months_in = typical.get(people["level"].iat[j], np.nan)
            ready_ratio = tenure[j] / months_in if months_in and not np.isnan(tenure[j]) else np.nan
            ready = (
                "now"
                if ready_ratio >= 1
                else "within a year"
                if tenure[j] + 12 >= months_in
                else "later"
            )
            found.append(
                {
                    "holder_id": tree.ids[i],
                    "employee_id": tree.ids[j],
                    "name": people["name"].iat[j],
                    "title": people["title"].iat[j],
                    "level": people["level"].iat[j],
                    "team": people["team"].iat[j],
                    "same_team": people["team"].iat[j] == people["team"].iat[i],
                    "tenure_months": tenure[j],
                    "readiness": ready_ratio,
                    "ready": ready,
                }
            )
        found.sort(
            key=lambda c: (
                {"now": 0, "within a year": 1, "later": 2}[c["ready"]],
                not c["same_team"],
                -np.nan_to_num(c["tenure_months"]),
            )
        )
        picks.extend(found[:per_role])
        now = sum(c["ready"] == "now" for c in found)
        soon = sum(c["ready"] == "within a year" for c in found)
        rows.append(
            {
                "employee_id": tree.ids[i],
                "name": people["name"].iat[i],
                "title": people["title"].iat[i],
                "team": people["team"].iat[i],
                "candidates": len(found),
                "ready_now": now,
                "within_a_year": soon,
                "bench": "strong" if now >= 2 else "thin" if now == 1 else "none",
                "successors": ", ".join(
                    f"{c['name'] or c['employee_id']} ({c['ready']})" for c in found[:per_role]
                ),
            }
        )
    bench_columns = ["employee_id", "name", "title", "team", "candidates", "ready_now",
                     "within_a_year", "bench", "successors"]  # fmt: skip
    candidate_columns = ["holder_id", "employee_id", "name", "title", "level", "team",
                         "same_team", "tenure_months", "readiness", "ready"]  # fmt: skip
    return pd.DataFrame(rows, columns=bench_columns), pd.DataFrame(picks, columns=candidate_columns)


def bench_takeaway(bench: pd.DataFrame) -> str:
    """One sentence: leadership roles with a strong bench, and those with nobody ready."""
    strong = int((bench["bench"] == "strong").sum())
    empty = int((bench["bench"] == "none").sum())
    return (
        f"{strong} of {len(bench)} leadership roles have two or more people ready now; "
        f"{empty} have nobody ready."
    )


def _typical_months(ladder: pd.DataFrame | None) -> dict[str, float]:
    if ladder is None or not len(ladder):
        return {}
    return ladder.groupby("level")["typical_months_in_level"].mean().dropna().to_dict()


def _feeders(ladder: pd.DataFrame | None) -> dict[str, list[str]]:
    """Level -> the levels its successors come from: the one below on its track; for the
    first management level, the top two IC levels."""
    if ladder is None or not len(ladder):
        return {}
    tracks = {
        track: list(dict.fromkeys(ladder.loc[ladder["track"] == track, "level"]))
        for track in ("IC", "M")
    }
    feeders: dict[str, list[str]] = {}
    for track, levels in tracks.items():
        for k, level in enumerate(levels):
            if k:
                feeders[level] = [levels[k - 1]]
            elif track == "M" and tracks["IC"]:
                feeders[level] = tracks["IC"][-2:]
    return feeders


def _branch(tree: Structure, top: int) -> set[int]:
    """The people under ``top``'s manager (``top``'s and its peers' teams); everyone under
    ``top`` when it has no manager."""
    head = tree.manager[top] if tree.manager[top] >= 0 else top
    seen, stack = set(), [head]
    while stack:
        node = stack.pop()
        for child in tree.reports[node]:
            if child not in seen:
                seen.add(child)
                stack.append(child)
    return seen
