"""The reporting tree and its checks: who reports to whom, spans of control against the
rules, layers, and the validation of the people table and the ladder.

**Span rules** (``scenario.org``, shared/DOMAIN.md "Organisation"): 8-15 agents per team
lead (1:10-13 common), 6-8 leads per manager, 6-8 managers per director (ICMI; Call Centre
Helper).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planner.org.people import STATUSES
from planner.roles import roles
from planner.scenario import OrgSettings

# (leader role, the role below it that its span counts, the scenario.org rule's name)
SPANS = (
    ("lead", "agent", "agents_per_lead"),
    ("manager", "lead", "leads_per_manager"),
    ("director", "manager", "managers_per_director"),
)


@dataclass(frozen=True)
class Structure:
    """The tree as arrays: positions of each person's manager (-1: none or unknown), who
    is in a cycle, each person's depth (0 at the top; -1 when not under a top)."""

    ids: list[str]
    manager: np.ndarray
    unknown_manager: np.ndarray
    in_cycle: np.ndarray
    depth: np.ndarray
    reports: list[list[int]]


def structure(people: pd.DataFrame) -> Structure:
    ids = people["employee_id"].astype(str).tolist()
    position: dict[str, int] = {}
    for i, person in enumerate(ids):
        position.setdefault(person, i)
    managers = people["manager_id"].fillna("").astype(str).tolist()
    manager = np.array([position.get(m, -1) if m else -1 for m in managers], dtype=np.int64)
    unknown = np.array([bool(m) and m not in position for m in managers])
    count = len(ids)
    reports: list[list[int]] = [[] for _ in range(count)]
    for i, boss in enumerate(manager):
        if boss >= 0:
            reports[boss].append(i)
    depth = np.full(count, -1, dtype=np.int64)
    stack = [(i, 0) for i in range(count) if manager[i] < 0]
    while stack:
        node, level = stack.pop()
        depth[node] = level
        stack.extend((child, level + 1) for child in reports[node])
    in_cycle = np.zeros(count, dtype=bool)
    state = np.zeros(count, dtype=np.int8)  # 0 unseen, 1 on the current path, 2 done
    for start in range(count):
        if state[start] or depth[start] >= 0:
            continue
        path, node = [], start
        while node >= 0 and state[node] == 0:
            state[node] = 1
            path.append(node)
            node = manager[node]
        if node >= 0 and state[node] == 1:
            in_cycle[path[path.index(node) :]] = True
        state[path] = 2
    return Structure(ids, manager, unknown, in_cycle, depth, reports)


def spans(people: pd.DataFrame, rules: OrgSettings) -> pd.DataFrame:
    """Every person with reports: employee_id, name, title, team, role, direct_reports,
    counted (the reports of the role the span rule counts), rule, minimum, maximum and
    breach ('above', 'below' or '')."""
    tree = structure(people)
    role = roles(people).to_numpy()
    rows = []
    rule_of = {leader: (below, name) for leader, below, name in SPANS}
    for i, under in enumerate(tree.reports):
        if not under and role[i] not in rule_of:
            continue
        counted, rule, low, high, breach = len(under), np.nan, np.nan, np.nan, ""
        if role[i] in rule_of:
            below, name = rule_of[role[i]]
            counted = sum(role[j] == below for j in under)
            rule = getattr(rules, name)
            low, high = getattr(rules, f"{name}_min"), getattr(rules, f"{name}_max")
            breach = "above" if counted > high else "below" if counted < low else ""
        rows.append(
            {
                "employee_id": tree.ids[i],
                "name": people["name"].iat[i],
                "title": people["title"].iat[i],
                "team": people["team"].iat[i],
                "role": role[i],
                "direct_reports": len(under),
                "counted": counted,
                "rule": rule,
                "minimum": low,
                "maximum": high,
                "breach": breach,
            }
        )
    columns = ["employee_id", "name", "title", "team", "role", "direct_reports", "counted",
               "rule", "minimum", "maximum", "breach"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def layers(people: pd.DataFrame) -> pd.DataFrame:
    """People per layer from the top (layer 1 is the top): layer, people, open."""
    tree = structure(people)
    placed = tree.depth >= 0
    table = pd.DataFrame(
        {"layer": tree.depth[placed] + 1, "open": people["status"].to_numpy()[placed] != "filled"}
    )
    grouped = table.groupby("layer").agg(people=("open", "size"), open=("open", "sum"))
    return grouped.reset_index()


def span_takeaway(spans_table: pd.DataFrame, layers_table: pd.DataFrame) -> str:
    """One sentence: leaders outside the span rules, and the people in each layer."""
    leaders = spans_table[spans_table["role"].isin([leader for leader, _, _ in SPANS])]
    per_layer = ", ".join(
        f"{n} in layer {k}"
        for k, n in zip(layers_table["layer"], layers_table["people"], strict=True)
    )
    return (
        f"{(leaders['breach'] != '').sum()} of {len(leaders)} leaders are outside the span "
        f"rules; the organisation has {len(layers_table)} layers ({per_layer})."
    )


def validate(people: pd.DataFrame, ladder: pd.DataFrame | None, rules: OrgSettings) -> pd.DataFrame:
    """What is wrong with the people and the ladder: one row per problem with severity
    (error / warning), table (people / ladder), row (1 = the table's first row),
    employee_id, column and message (what is wrong and how to fix it). Errors are listed
    first."""
    problems: list[dict] = []

    def add(severity, table, row, person, column, message):
        problems.append(
            {
                "severity": severity,
                "table": table,
                "row": int(row) + 1,
                "employee_id": person,
                "column": column,
                "message": message,
            }
        )

    ids = people["employee_id"].fillna("").astype(str)
    for i in np.flatnonzero(ids.eq("").to_numpy()):
        add("error", "people", i, "", "employee_id", "The id is empty: give every row an id.")
    repeated = ids[ids.ne("") & ids.duplicated(keep="first")]
    for i, person in repeated.items():
        first = int(np.flatnonzero(ids.eq(person).to_numpy())[0]) + 1
        add(
            "error",
            "people",
            i,
            person,
            "employee_id",
            f"The id {person} is also on row {first}: give each person their own id.",
        )
    tree = structure(people)
    for i in np.flatnonzero(tree.unknown_manager):
        add(
            "error",
            "people",
            i,
            ids.iat[i],
            "manager_id",
            f"The manager {people['manager_id'].iat[i]} is not in the table: add them, or "
            "correct the id.",
        )
    for i in np.flatnonzero(tree.in_cycle):
        boss = people["manager_id"].iat[i]
        add(
            "error",
            "people",
            i,
            ids.iat[i],
            "manager_id",
            f"{ids.iat[i]} reports to {boss}, who is (in)directly under {ids.iat[i]}: a "
            "cycle. Point one of them at someone higher up.",
        )
    tops = np.flatnonzero((tree.manager < 0) & ~tree.unknown_manager)
    if len(tops) > 1:
        names = ", ".join(ids.iat[i] for i in tops[:6])
        for i in tops[1:]:
            add(
                "error",
                "people",
                i,
                ids.iat[i],
                "manager_id",
                f"More than one person has no manager ({names}): give everyone but the "
                "head of support a manager_id.",
            )
    elif len(tops) == 0 and len(people):
        add(
            "error",
            "people",
            0,
            ids.iat[0],
            "manager_id",
            "Nobody is at the top: leave the head of support's manager_id empty.",
        )
    status = people["status"].fillna("").astype(str)
    for i in np.flatnonzero(~status.isin(STATUSES).to_numpy()):
        add(
            "error",
            "people",
            i,
            ids.iat[i],
            "status",
            f"The status '{status.iat[i]}' is not known: use {', '.join(STATUSES)}.",
        )
    for i in np.flatnonzero((people["title"].fillna("").astype(str) == "").to_numpy()):
        add("error", "people", i, ids.iat[i], "title", "The title is empty: every role needs one.")
    filled = status.eq("filled").to_numpy()
    no_start = pd.Series([d is None for d in people["start_date"]]).to_numpy()
    for i in np.flatnonzero(filled & no_start):
        add(
            "warning",
            "people",
            i,
            ids.iat[i],
            "start_date",
            "No start date: tenure, readiness and attrition cannot be judged; write it as "
            "YYYY-MM-DD.",
        )
    if ladder is not None and len(ladder):
        _check_ladder(ladder, add)
        _check_levels(people, ladder, ids, add)
    for _, row in spans(people, rules).iterrows():
        if not row["breach"]:
            continue
        i = int(np.flatnonzero(ids.eq(row["employee_id"]).to_numpy())[0])
        below = {"lead": "agents", "manager": "team leads", "director": "managers"}[row["role"]]
        limit = row["maximum"] if row["breach"] == "above" else row["minimum"]
        add(
            "warning",
            "people",
            i,
            row["employee_id"],
            "manager_id",
            f"{row['name'] or row['title']} has {row['counted']} {below}, {row['breach']} the "
            f"span rule's {'maximum' if row['breach'] == 'above' else 'minimum'} of "
            f"{limit:g} (rule 1:{row['rule']:g}): move people or change the rule.",
        )
    table = pd.DataFrame(
        problems, columns=["severity", "table", "row", "employee_id", "column", "message"]
    )
    order = table["severity"].map({"error": 0, "warning": 1})
    return (
        table.assign(_o=order)
        .sort_values(["_o", "table", "row"], kind="stable")
        .drop(columns="_o")
        .reset_index(drop=True)
    )


def _check_ladder(ladder: pd.DataFrame, add) -> None:
    for i, row in ladder.iterrows():
        key = f"{row['level']} {row['location']}".strip()
        if not row["level"]:
            add("error", "ladder", i, "", "level", "The level is empty: name it, e.g. L2.")
        if row["track"] not in ("IC", "M"):
            add(
                "error",
                "ladder",
                i,
                "",
                "track",
                f"The track '{row['track']}' is not IC or M: use IC for individual "
                "contributors, M for management.",
            )
        low, mid, high = row["band_min"], row["band_mid"], row["band_max"]
        if any(pd.isna(v) for v in (low, mid, high)):
            add(
                "error",
                "ladder",
                i,
                "",
                "band_min",
                f"{key}: the band needs numbers for band_min, band_mid and band_max.",
            )
        elif not low <= mid <= high:
            add(
                "error",
                "ladder",
                i,
                "",
                "band_mid",
                f"{key}: the band must rise: min {low:,.0f} <= mid {mid:,.0f} <= max {high:,.0f}.",
            )
        rate = row["promotion_rate_per_year"]
        if pd.isna(rate) or not 0 <= rate < 1:
            add(
                "error",
                "ladder",
                i,
                "",
                "promotion_rate_per_year",
                f"{key}: the promotion rate is a share a year, 0 to below 1 (0.2 = 20%).",
            )
    duplicated = ladder.duplicated(subset=["level", "location"], keep="first")
    for i in np.flatnonzero(duplicated.to_numpy()):
        add(
            "error",
            "ladder",
            i,
            "",
            "level",
            f"{ladder['level'].iat[i]} in {ladder['location'].iat[i] or 'every location'} is "
            "listed twice: keep one row per level and location.",
        )


def _check_levels(people: pd.DataFrame, ladder: pd.DataFrame, ids: pd.Series, add) -> None:
    levels = set(ladder["level"])
    bands = {(r.level, r.location): r for r in ladder.itertuples()}
    for i, (level, location, pay) in enumerate(
        zip(people["level"], people["location"], people["annual_base_pay"], strict=True)
    ):
        if not level:
            continue
        if level not in levels:
            add(
                "error",
                "people",
                i,
                ids.iat[i],
                "level",
                f"The level {level} is not on the career ladder ({', '.join(sorted(levels))}): "
                "pick one, or add it to the ladder.",
            )
            continue
        band = bands.get((level, location)) or bands.get((level, ""))
        if band is None or pd.isna(pay) or pd.isna(band.band_min) or pd.isna(band.band_max):
            continue
        if not band.band_min <= pay <= band.band_max:
            side = "below" if pay < band.band_min else "above"
            add(
                "warning",
                "people",
                i,
                ids.iat[i],
                "annual_base_pay",
                f"Pay {pay:,.0f} is {side} the {level} band in {location or 'every location'} "
                f"({band.band_min:,.0f}-{band.band_max:,.0f}): adjust the pay or the band.",
            )
