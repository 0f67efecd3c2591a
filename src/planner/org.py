"""The support organisation: people and their managers, the career ladder, span rules,
the organisation the plan needs, the ladder projection and succession.

- **People** (an HRIS-style employee -> manager table): employee_id, name, title, level,
  manager_id, team, location, start_date, status (filled, open requisition, to be hired),
  annual_base_pay (optional). A ``role`` column, when present, overrides the role read from
  the title.
- **Ladder**: track (IC, M), level, title, location, band_min / band_mid / band_max,
  typical_months_in_level, promotion_rate_per_year, expectations; one row per level and
  location, levels listed from the bottom of each track up.
- **Span rules** (``scenario.org``, shared/DOMAIN.md "Organisation"): 8-15 agents per team
  lead (1:10-13 common), 6-8 leads per manager, 6-8 managers per director (ICMI; Call Centre
  Helper); QA analysts, trainers, WFM analysts and knowledge managers by ratio to agents.
- **Derived organisation**: for agents A(t) in a month, leads = ceil(A / agents per lead),
  managers = ceil(leads / leads per manager), directors = ceil(managers / managers per
  director) (a span is a cap: rounded up); each support role = A / its ratio rounded half
  up (a ratio is a norm: 42 agents at 1:40 keep one trainer). What that needs beyond
  today's positions becomes dated open roles (open by = needed month - days to fill a seat).
- **Ladder projection** (a Markov chain by month, per level l of a track, bottom to top):
  leavers_l = n_l x m, promoted_l = n_l x (1 - m) x p_l, n_l' = n_l - leavers_l - promoted_l
  + promoted_(l-1); hires join the entry level to keep the track at its headcount. m = 1 -
  (1 - a)^(1/12) from the annual attrition a; p_l = 1 - (1 - r_l)^(1/12) from the annual
  promotion rate r_l (the top of a track is not promoted within it). Each promotion opens a
  seat below: a backfill. The cost effect is the pay of the projected mix minus that of the
  same projection without promotions, at each level's band midpoint.
- **Succession**: for each lead, manager and director, the people one level below (the
  top two IC levels for the first management level) ranked by readiness = months in the
  company / typical months in their level (a roster has no date-in-level) then by tenure;
  bench strength = candidates ready now.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import math
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from planner.capacity import CapacityPlan, Roster, monthly_attrition, read_roster
from planner.errors import PlannerError
from planner.roles import ROLES, role_of, roles
from planner.scenario import OrgSettings, Scenario

PEOPLE_COLUMNS = (
    "employee_id",
    "name",
    "title",
    "level",
    "manager_id",
    "team",
    "location",
    "start_date",
    "status",
    "annual_base_pay",
)
LADDER_COLUMNS = (
    "track",
    "level",
    "title",
    "location",
    "band_min",
    "band_mid",
    "band_max",
    "typical_months_in_level",
    "promotion_rate_per_year",
    "expectations",
)
STATUSES = ("filled", "open requisition", "to be hired")
ROLE_NAMES = {
    "director": "Directors",
    "manager": "Managers",
    "lead": "Team leads",
    "agent": "Agents",
    "qa": "QA analysts",
    "trainer": "Trainers",
    "wfm": "WFM analysts",
    "knowledge": "Knowledge managers",
    "other": "Other roles",
}
SUPPORT_RATIOS = {
    "qa": "agents_per_qa_analyst",
    "trainer": "agents_per_trainer",
    "wfm": "agents_per_wfm_analyst",
    "knowledge": "agents_per_knowledge_manager",
}
# (leader role, the role below it that its span counts, the scenario.org rule's name)
SPANS = (
    ("lead", "agent", "agents_per_lead"),
    ("manager", "lead", "leads_per_manager"),
    ("director", "manager", "managers_per_director"),
)
HEADER_ALIASES = {
    "id": "employee_id",
    "employee id": "employee_id",
    "employee_number": "employee_id",
    "manager": "manager_id",
    "manager id": "manager_id",
    "reports_to": "manager_id",
    "reports to": "manager_id",
    "supervisor_id": "manager_id",
    "full_name": "name",
    "job_title": "title",
    "job title": "title",
    "department": "team",
    "hire_date": "start_date",
    "start date": "start_date",
    "base_pay": "annual_base_pay",
    "salary": "annual_base_pay",
}
COLLAPSE_ABOVE = 120  # people: larger organisations are drawn with their teams collapsed
CONTROL = re.compile(r"[\x00-\x1f\x7f]+")  # line breaks, tabs and other control characters


@dataclass(frozen=True)
class Standing:
    """Today's organisation as every plan on it starts: per role filled, open and
    positions (``counts``), each role's usual title, the pay a new role is known at, and
    the agents' track of the ladder (None without a ladder)."""

    counts: pd.DataFrame
    titles: dict[str, str]
    known_pay: dict[str, float]
    agents: Track | None


@dataclass(frozen=True, eq=False)
class Organisation:
    """The people and the career ladder (None without one), as ``read_people`` and
    ``read_ladder`` give them; the roster the capacity plan counts is read from the
    people."""

    people: pd.DataFrame
    ladder: pd.DataFrame | None = None

    @cached_property
    def fingerprint(self) -> str:
        """A hash of the people and the ladder: what a cached plan on them is keyed by."""
        digest = hashlib.sha256(to_csv(self.people).encode())
        if self.ladder is not None:
            digest.update(to_csv(self.ladder).encode())
        return digest.hexdigest()[:16]

    @cached_property
    def roster(self) -> Roster:
        frame = self.people.copy()
        frame["role"] = roles(frame).to_numpy()
        return read_roster(frame, "the roster")

    @cached_property
    def standing(self) -> Standing:
        """What every plan on these people starts from (worked out once)."""
        return Standing(
            counts=role_counts(self.people),
            titles=_titles(self.people),
            known_pay=_known_role_pay(self.people, self.ladder),
            agents=ladder_track(self.ladder, self.people) if self.ladder is not None else None,
        )

    @cached_property
    def agent_bands(self) -> dict[tuple[str, str], float]:
        """The ladder's agent band midpoints by (level, location) (``agent_bands``)."""
        return agent_bands(self.ladder)


def agent_bands(ladder: pd.DataFrame | None) -> dict[tuple[str, str], float]:
    """(level, location) -> band midpoint of the career ladder's agent rows (titles
    ``planner.roles`` calls agents, with a midpoint); empty without a ladder."""
    if ladder is None or not len(ladder):
        return {}
    agents = ladder[ladder["title"].map(role_of).eq("agent") & ladder["band_mid"].notna()]
    return {
        (str(level), str(location)): float(mid)
        for level, location, mid in zip(
            agents["level"], agents["location"], agents["band_mid"], strict=True
        )
    }


def load(people: str | Path, ladder: str | Path | None = None) -> Organisation:
    """An Organisation from a people CSV and, optionally, a ladder CSV."""
    return Organisation(read_people(people), read_ladder(ladder) if ladder else None)


# --- reading and writing -------------------------------------------------------------


def read_people(source: str | Path | pd.DataFrame | io.IOBase, name: str | None = None):
    """The people table from an HRIS-style CSV (employee -> manager) or a frame, with the
    columns of ``PEOPLE_COLUMNS`` in that order (missing optional ones empty). Values are
    kept as given; ``validate`` says what is wrong with them."""
    frame, label = _read(source, name)
    frame = frame.rename(columns=lambda c: HEADER_ALIASES.get(c, c))
    for needed in ("employee_id", "title"):
        if needed not in frame:
            raise PlannerError(
                f"{label} needs an '{needed}' column (found: {', '.join(frame.columns)}); "
                "each row is one person or open role, with the id of their manager in "
                "'manager_id'."
            )
    return normalise_people(frame)


def normalise_people(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns in order and types the editor and the checks expect: text columns as text
    ('' when empty), start_date as a date (None when empty or not a date), pay as a float,
    status lower case ('filled' when empty)."""
    frame = frame.copy()
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    out = pd.DataFrame(index=range(len(frame)))
    for column in PEOPLE_COLUMNS:
        values = frame[column] if column in frame else pd.Series([None] * len(frame))
        values = values.reset_index(drop=True)
        if column == "start_date":
            out[column] = [_date(v) for v in values]
        elif column == "annual_base_pay":
            out[column] = pd.to_numeric(values, errors="coerce").astype(float)
        else:
            out[column] = [_text(v) for v in values]
    out["status"] = out["status"].str.lower().replace("", "filled")
    if "role" in frame:
        out["role"] = [_text(v) for v in frame["role"].reset_index(drop=True)]
    return out


def read_ladder(source: str | Path | pd.DataFrame | io.IOBase, name: str | None = None):
    """The career ladder from a CSV or a frame, columns of ``LADDER_COLUMNS``."""
    frame, label = _read(source, name)
    for needed in ("track", "level", "title"):
        if needed not in frame:
            raise PlannerError(
                f"{label} needs a '{needed}' column; a ladder has one row per level (and "
                "location), with band_min, band_mid and band_max."
            )
    return normalise_ladder(frame)


def normalise_ladder(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.copy()
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    out = pd.DataFrame(index=range(len(frame)))
    numbers = {"band_min", "band_mid", "band_max", "typical_months_in_level"}
    for column in LADDER_COLUMNS:
        values = frame[column] if column in frame else pd.Series([None] * len(frame))
        values = values.reset_index(drop=True)
        if column in numbers or column == "promotion_rate_per_year":
            out[column] = pd.to_numeric(values, errors="coerce").astype(float)
        else:
            out[column] = [_text(v) for v in values]
    out["promotion_rate_per_year"] = out["promotion_rate_per_year"].fillna(0.0)
    return out


def to_csv(frame: pd.DataFrame) -> str:
    """The table as CSV text (dates as YYYY-MM-DD); ``read_people`` / ``read_ladder`` read
    it back unchanged."""
    return frame.to_csv(index=False, date_format="%Y-%m-%d")


def _read(source, name: str | None) -> tuple[pd.DataFrame, str]:
    if isinstance(source, pd.DataFrame):
        frame, label = source.copy(), name or "the table"
    else:
        label = name or getattr(source, "name", None) or str(source)
        label = Path(str(label)).name
        try:
            frame = pd.read_csv(source, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        except (OSError, ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
            raise PlannerError(
                f"{label} could not be read as a CSV file ({exc}); export it as CSV, UTF-8."
            ) from None
        if frame.empty and not len(frame.columns):
            raise PlannerError(f"{label} is empty; it needs a header row and one row a person.")
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    return frame, label


def _text(value) -> str:
    """A cell as one line of text: line breaks, tabs and other control characters become a
    space (a name like "Bob\r=1+1" must never split a row of the CSV it is saved in)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return ""
    return CONTROL.sub(" ", str(value)).strip()


def _date(value) -> dt.date | None:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None  # an empty date cell of the editor arrives as NaT
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)  # YYYY-MM-DD, as ``to_csv`` writes: fast
    except ValueError:
        pass
    stamp = pd.to_datetime(text, errors="coerce", format="mixed")
    return None if pd.isna(stamp) else stamp.date()


# --- structure -----------------------------------------------------------------------


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


# --- validation ----------------------------------------------------------------------


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


# --- the organisation the plan needs -------------------------------------------------

DEFAULT_TITLES = {
    "director": "Director of Support",
    "manager": "Support Manager",
    "lead": "Team Lead",
    "qa": "QA Analyst",
    "trainer": "Trainer",
    "wfm": "WFM Analyst",
    "knowledge": "Knowledge Manager",
}
DERIVED_ROLES = ("lead", "manager", "director", "qa", "trainer", "wfm", "knowledge")


def required_roles(agents: np.ndarray | float, rules: OrgSettings) -> dict[str, np.ndarray]:
    """The roles the span rules call for with ``agents`` agents (headcount, per month):
    leads = ceil(agents / agents per lead), managers = ceil(leads / leads per manager),
    directors = ceil(managers / managers per director), each support role = agents / its
    ratio rounded half up; none for no agents. 47 agents at 1:10 need 5 leads."""
    agents = np.atleast_1d(np.asarray(agents, dtype=float))

    def over(count: np.ndarray, ratio: float) -> np.ndarray:
        return np.ceil(np.round(count / ratio, 9))  # 40.0000001 / 10 is still 4

    need = {"lead": over(agents, rules.agents_per_lead)}
    need["manager"] = over(need["lead"], rules.leads_per_manager)
    need["director"] = over(need["manager"], rules.managers_per_director)
    for role, field in SUPPORT_RATIOS.items():
        need[role] = np.floor(np.round(agents / getattr(rules, field), 9) + 0.5)
    return need


def site_teams(agents: int, shares: dict[str, float], rules: OrgSettings) -> pd.DataFrame:
    """``agents`` (whole people) split over the in-house sites by ``shares`` (largest
    remainder: whole people adding up to ``agents``), with the span rules applied site by
    site (a lead coaches people in the same place): site, agents, leads and managers by
    ``required_roles``. 24 agents over two equal sites are 12 each, needing 2 leads each at
    1:10 (4 in all, where 24 in one place would need 3)."""
    names = list(shares)
    weights = np.array([shares[name] for name in names], dtype=float)
    exact = agents * weights / weights.sum() if weights.sum() > 0 else np.zeros(len(names))
    whole = np.floor(np.round(exact, 9))
    left = int(agents - whole.sum())
    whole[np.argsort(-(exact - whole), kind="stable")[:left]] += 1
    need = required_roles(whole, rules)
    return pd.DataFrame(
        {
            "site": names,
            "agents": whole.astype(int),
            "leads": need["lead"].astype(int),
            "managers": need["manager"].astype(int),
        }
    )


def role_counts(people: pd.DataFrame) -> pd.DataFrame:
    """Per role: filled, open (open requisitions and to be hired) and positions."""
    table = pd.DataFrame({"role": roles(people), "filled": people["status"].eq("filled")})
    grouped = table.groupby("role")["filled"].agg(positions="size", filled="sum")
    grouped = grouped.reindex(ROLES, fill_value=0).astype(int)
    grouped["open"] = grouped["positions"] - grouped["filled"]
    return grouped[["filled", "open", "positions"]]


@dataclass(frozen=True)
class LadderProjection:
    """Level mix of one track by month. ``levels``: month, level, title, people,
    promotions (out of the level: each leaves a seat at this level to backfill), leavers,
    hires (at the entry level). ``cost_effect``: per month, the base pay the
    promotions add (band midpoints, before merit and burden). ``pay``: level -> annual pay
    used."""

    levels: pd.DataFrame
    cost_effect: np.ndarray
    pay: dict[str, float]
    track: str

    def summary(self) -> pd.DataFrame:
        """Per level: title, people now and at the end, and over the plan promotions out
        (each one a seat to backfill), leavers and hires."""
        first, last = self.levels["month"].min(), self.levels["month"].max()
        table = self.levels.groupby(["level", "title"], sort=False, as_index=False).agg(
            promotions=("promotions", "sum"), leavers=("leavers", "sum"), hires=("hires", "sum")
        )
        at = self.levels.set_index(["month", "level"])["people"]
        table.insert(2, "now", [at[(first, lv)] for lv in table["level"]])
        table.insert(3, "end", [at[(last, lv)] for lv in table["level"]])
        return table

    def average_pay(self) -> pd.Series:
        """Average annual pay of the track's mix by month (band midpoints)."""
        pay = self.levels["level"].map(self.pay) * self.levels["people"]
        frame = self.levels.assign(paid=pay)
        sums = frame.groupby("month")[["paid", "people"]].sum()
        return sums["paid"] / sums["people"].replace(0, np.nan)

    def takeaway(self, currency: str) -> str:
        pay = self.average_pay()
        months = len(pay)
        total = self.levels["promotions"].sum()
        return (
            f"Over {months} months about {total:.0f} promotions open as many seats to "
            f"backfill; the average pay of the mix moves from {pay.iloc[0]:,.0f} to "
            f"{pay.iloc[-1]:,.0f} {currency}, and promotions add "
            f"{self.cost_effect.sum():,.0f} {currency} of base pay over the plan."
        )


@dataclass(frozen=True)
class Track:
    """One track of the ladder as today's people stand on it: its ``levels`` (bottom
    up) and their titles, the monthly promotion probability out of each level
    (``step_up``; none at the top), the filled people of the role on each level
    (``start``) and each level's annual pay (``pay``)."""

    name: str
    levels: list[str]
    titles: list[str]
    step_up: np.ndarray
    start: np.ndarray
    pay: dict[str, float]


def ladder_track(
    ladder: pd.DataFrame, people: pd.DataFrame, track: str = "IC", role: str = "agent"
) -> Track | None:
    """The ``track`` of the ladder with the filled people of ``role`` on its levels;
    None when the ladder has no such track."""
    rungs = ladder[ladder["track"] == track]
    levels = list(dict.fromkeys(rungs["level"]))
    if not levels:
        return None
    rate = rungs.groupby("level")["promotion_rate_per_year"].mean().reindex(levels)
    rate = rate.fillna(0.0).to_numpy(dtype=float, copy=True)
    rate[-1] = 0.0  # the top of a track is promoted out of it, which this does not follow
    step_up = 1 - (1 - np.clip(rate, 0.0, 0.999)) ** (1 / 12)
    on_track = people[
        roles(people).eq(role).to_numpy()
        & people["status"].eq("filled").to_numpy()
        & people["level"].isin(levels).to_numpy()
    ]
    start = on_track["level"].value_counts().reindex(levels, fill_value=0).to_numpy(float)
    titles = rungs.drop_duplicates("level").set_index("level")["title"]
    return Track(track, levels, [titles[lv] for lv in levels], step_up, start,
                 _level_pay(rungs, on_track, levels))  # fmt: skip


def project_ladder(
    ladder: pd.DataFrame,
    people: pd.DataFrame,
    months: pd.DatetimeIndex,
    annual_attrition: float,
    total: np.ndarray | None = None,
    track: str = "IC",
    role: str = "agent",
) -> LadderProjection | None:
    """The Markov projection of one track (see the module notes): the filled people of
    ``role`` on the track's levels at the first month, then promotions, leavers and hires
    at the entry level that keep the track at ``total`` people each month (its starting
    headcount when None). None when nobody is on the track."""
    return project_track(ladder_track(ladder, people, track, role), months, annual_attrition,
                         total)  # fmt: skip


def project_track(
    track: Track | None,
    months: pd.DatetimeIndex,
    annual_attrition: float,
    total: np.ndarray | None = None,
) -> LadderProjection | None:
    """``project_ladder`` from a ``ladder_track``."""
    if track is None or not len(months):
        return None
    start, levels = track.start, track.levels
    if start.sum() == 0 and (total is None or not np.any(total)):
        return None
    leave = monthly_attrition(annual_attrition)
    headcount = np.full(len(months), start.sum()) if total is None else np.asarray(total, float)
    promoted_mix, promoted_flows = _markov(start, track.step_up, leave, headcount)
    still_mix, _ = _markov(start, np.zeros_like(track.step_up), leave, headcount)
    pay_vector = np.array([track.pay[level] for level in levels])
    cost_effect = (promoted_mix - still_mix) @ pay_vector / 12
    count = len(levels)
    frame = pd.DataFrame(
        {
            "month": np.repeat(months.to_numpy(), count),
            "level": np.tile(levels, len(months)),
            "title": np.tile(track.titles, len(months)),
            "people": promoted_mix.ravel(),
            **{name: flow.ravel() for name, flow in promoted_flows.items()},
        }
    )
    return LadderProjection(frame, cost_effect, track.pay, track.name)


def _markov(
    start: np.ndarray, step_up: np.ndarray, leave: float, headcount: np.ndarray
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """People per month x level, and the flows (promotions out, leavers, hires)."""
    months, count = len(headcount), len(start)
    mix = np.zeros((months, count))
    flows = {name: np.zeros((months, count)) for name in ("promotions", "leavers", "hires")}
    people = start.astype(float).copy()
    for t in range(months):
        if t:
            leavers = people * leave
            promoted = (people - leavers) * step_up
            people = people - leavers - promoted
            people[1:] += promoted[:-1]
            flows["leavers"][t], flows["promotions"][t] = leavers, promoted
        hires = max(headcount[t] - people.sum(), 0.0)
        people[0] += hires
        flows["hires"][t, 0] = hires
        mix[t] = people
    return mix, flows


def _level_pay(rungs: pd.DataFrame, on_track: pd.DataFrame, levels: list[str]) -> dict:
    """Each level's band midpoint, weighted by where the level's people are."""
    pay = {}
    for level in levels:
        bands = rungs[rungs["level"] == level].set_index("location")["band_mid"].dropna()
        where = on_track.loc[on_track["level"] == level, "location"].value_counts()
        weights = where.reindex(bands.index, fill_value=0)
        if weights.sum():
            pay[level] = float((bands * weights).sum() / weights.sum())
        else:
            pay[level] = float(bands.mean()) if len(bands) else 0.0
    return pay


@dataclass(frozen=True)
class OrgPlan:
    """The organisation the capacity plan needs, month by month.

    ``months``: month, agents (headcount with trainees and recommended hires) and per
    derived role ``<role>_needed``, with today's ``<role>_positions`` and ``<role>_filled``.
    ``open_roles``: role, title, people, needed_from, open_by, late, reason.
    ``role_pay``: role -> annual base pay a new one is priced at.
    ``projection``: the IC track's ladder projection (None without a ladder).
    """

    months: pd.DataFrame
    open_roles: pd.DataFrame
    role_pay: dict[str, float]
    projection: LadderProjection | None
    notes: tuple[str, ...]

    def extra_roles(self) -> pd.DataFrame:
        """Per month and derived role, the people needed beyond those filled today."""
        return pd.DataFrame(
            self.extra_counts, columns=list(DERIVED_ROLES),
            index=pd.DatetimeIndex(self.months["month"]),
        )  # fmt: skip

    @cached_property
    def extra_counts(self) -> np.ndarray:
        """``extra_roles`` as an array (months x ``DERIVED_ROLES``; read-only)."""
        counts = np.stack([np.maximum(self.months[f"{role}_needed"].to_numpy(float)
                                    - self.months[f"{role}_filled"].to_numpy(float), 0.0)
                         for role in DERIVED_ROLES], axis=1)  # fmt: skip
        counts.flags.writeable = False
        return counts

    def extra_pay(self) -> np.ndarray:
        """Monthly base pay of ``extra_roles`` at ``role_pay``."""
        pay = np.array([self.role_pay.get(role, np.nan) for role in DERIVED_ROLES])
        return np.nansum(self.extra_counts * pay, axis=1) / 12

    def shape(self, month: pd.Timestamp | None = None) -> pd.DataFrame:
        """Per role: today's positions and what the rules need in ``month`` (the month
        with the most agents when None)."""
        months = self.months
        row = (
            months.loc[months["agents"].idxmax()]
            if month is None
            else (months.loc[months["month"] == month].iloc[0])
        )
        table = pd.DataFrame(
            {
                "role": ["agent", *DERIVED_ROLES],
                "today": [months["agent_positions"].iat[0]]
                + [months[f"{r}_positions"].iat[0] for r in DERIVED_ROLES],
                "needed": [row["agents"]] + [row[f"{r}_needed"] for r in DERIVED_ROLES],
            }
        )
        table["name"] = table["role"].map(ROLE_NAMES)
        table["difference"] = table["needed"] - table["today"]
        return table

    def takeaway(self) -> str:
        peak = self.months.loc[self.months["agents"].idxmax()]
        leads = int(peak["lead_needed"])
        text = (
            f"At the peak, {peak['month']:%B %Y}, {peak['agents']:.0f} agents need {leads} "
            f"team lead{'s' if leads != 1 else ''} and {int(peak['manager_needed'])} "
            f"manager{'s' if peak['manager_needed'] != 1 else ''} by the span rules"
        )
        if self.open_roles.empty:
            return text + "; today's positions cover them."
        first = self.open_roles.iloc[0]
        total = int(self.open_roles["people"].sum())
        late = " (already late)" if first["late"] else ""
        return (
            f"{text}: open {total} role{'s' if total != 1 else ''}, the first "
            f"({first['title']}) by {first['open_by']:%d %B %Y}{late}."
        )


def plan_org(
    capacity_plan: CapacityPlan,
    scenario: Scenario,
    organisation: Organisation,
    today: dt.date | None = None,
) -> OrgPlan:
    """The derived organisation for the capacity plan's agent headcount (roster, open
    requisitions, planned and recommended classes, after attrition), its open roles, the
    pay of new roles, and the ladder projection of the agents."""
    cohorts, people_by_cohort, _ = capacity_plan.by_cohort(scenario.workforce)
    agents = people_by_cohort.sum(axis=0) if len(cohorts) else np.zeros(len(capacity_plan.months))
    months = pd.DatetimeIndex(capacity_plan.months["month"])
    need = required_roles(agents, scenario.org)
    standing = organisation.standing
    positions, filled = standing.counts["positions"].to_dict(), standing.counts["filled"].to_dict()
    table = {"month": months, "agents": agents}
    table["agent_positions"] = np.full(len(months), positions["agent"])
    for role in DERIVED_ROLES:
        table[f"{role}_needed"] = need[role] if agents.any() else np.zeros(len(months))
        table[f"{role}_positions"] = np.full(len(months), positions[role])
        table[f"{role}_filled"] = np.full(len(months), filled[role])
    frame = pd.DataFrame(table)
    today = today or capacity_plan.today
    lead_days = scenario.workforce.recruiting_lead_days
    titles = standing.titles
    rows, notes = [], []
    for role in DERIVED_ROLES:
        have = positions[role]
        opened = 0
        needs = table[f"{role}_needed"]
        for at in np.flatnonzero(needs > have).tolist():
            month, needed, agents_then = months[at], needs[at], agents[at]
            short = int(needed) - have - opened
            if short <= 0:
                continue
            opened += short
            open_by = (month - pd.Timedelta(days=lead_days)).date()
            rows.append(
                {
                    "role": role,
                    "title": titles.get(role, DEFAULT_TITLES[role]),
                    "people": short,
                    "needed_from": month.date(),
                    "open_by": open_by,
                    "late": open_by < today,
                    "reason": _reason(role, needed, agents_then, scenario.org),
                }
            )
        peak = int(needs.max())
        if have > peak and role in ("lead", "manager", "director"):
            notes.append(
                f"{ROLE_NAMES[role]}: {have} positions today, the span rules need {peak} at "
                "the plan's peak; the extra ones are kept (and paid) as they are."
            )
    open_roles = pd.DataFrame(
        rows, columns=["role", "title", "people", "needed_from", "open_by", "late", "reason"]
    ).sort_values(["open_by", "role"], kind="stable", ignore_index=True)
    role_pay = {}
    for name in DERIVED_ROLES:
        role_pay[name] = standing.known_pay.get(name, scenario.costs.agent_base_pay)
        if name not in standing.known_pay:
            notes.append(
                f"No {DEFAULT_TITLES[name]} on the roster or the ladder: a new one is priced "
                f"at the agent base pay ({role_pay[name]:,.0f})."
            )
    projection = project_track(
        standing.agents, months, scenario.workforce.annual_attrition, total=agents
    )
    return OrgPlan(frame, open_roles, role_pay, projection, tuple(notes))


def _reason(role: str, needed: float, agents: float, rules: OrgSettings) -> str:
    if role == "lead":
        return f"{agents:.0f} agents at 1:{rules.agents_per_lead:g} need {needed:.0f} leads"
    if role == "manager":
        return f"team leads at {rules.leads_per_manager:g} per manager need {needed:.0f}"
    if role == "director":
        return f"managers at {rules.managers_per_director:g} per director need {needed:.0f}"
    ratio = getattr(rules, SUPPORT_RATIOS[role])
    return f"{agents:.0f} agents at 1:{ratio:g} need {needed:.0f}"


def _titles(people: pd.DataFrame) -> dict[str, str]:
    table = pd.DataFrame({"role": roles(people), "title": people["title"]})
    table = table[table["title"] != ""]
    return {role: group.mode().iat[0] for role, group in table.groupby("role")["title"]}


def _known_role_pay(people: pd.DataFrame, ladder: pd.DataFrame | None) -> dict[str, float]:
    """A new role's pay where the organisation says it: the average of the people in that
    role today; else the ladder's band midpoint for a title of that role (roles with
    neither are left out: ``plan_org`` prices them at the agent base pay, with a note)."""
    role = roles(people)
    pay = {}
    for name in DERIVED_ROLES:
        known = people.loc[role.eq(name).to_numpy(), "annual_base_pay"].dropna()
        if len(known):
            pay[name] = float(known.mean())
        elif ladder is not None and len(ladder):
            rungs = ladder[ladder["title"].map(role_of).eq(name).to_numpy()]
            if rungs["band_mid"].notna().any():
                pay[name] = float(rungs["band_mid"].mean())
    return pay


# --- succession ----------------------------------------------------------------------


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
