"""People and roles: the HRIS-style employee -> manager table, the career ladder, the roster
of agents the capacity plan counts (the one roster reader), and what today's organisation
is made of by role. Roles come from ``planner.roles``, the one classifier the capacity plan
and the organisation share.

- **People**: employee_id, name, title, level, manager_id, team, location, start_date,
  status (filled, open requisition, to be hired), annual_base_pay (optional). A ``role``
  column, when present, overrides the role read from the title.
- **Ladder**: track (IC, M), level, title, location, band_min / band_mid / band_max,
  typical_months_in_level, promotion_rate_per_year, expectations; one row per level and
  location, levels listed from the bottom of each track up.
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

from planner.capacity import Roster
from planner.errors import PlannerError
from planner.org.ladder import Track, ladder_track
from planner.roles import ROLES, role_of, roles

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


DERIVED_ROLES = ("lead", "manager", "director", "qa", "trainer", "wfm", "knowledge")


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


CONTROL = re.compile(r"[\x00-\x1f\x7f]+")  # line breaks, tabs and other control characters


OPEN_STATUSES = (
    "open",
    "open requisition",
    "requisition",
    "req",
    "vacant",
    "planned",
    "to be hired",
)


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


def read_roster(source: str | Path | pd.DataFrame, name: str | None = None) -> Roster:
    """Agents from a roster CSV (or frame): one row per person or open requisition.

    Needed columns: ``title`` (or ``role``) and ``start_date``; optional ``status`` ('open
    requisition' rows are planned starters), ``fte`` (1 when missing) and
    ``annual_base_pay``. Agents are the people ``planner.roles.roles`` calls agents (a
    ``role`` column where it names a role, else the title), as in the organisation.
    """
    label = name or (Path(source).name if not isinstance(source, pd.DataFrame) else "roster")
    if isinstance(source, pd.DataFrame):
        frame = source.copy()
    else:
        try:
            frame = pd.read_csv(source)
        except (OSError, ValueError, pd.errors.ParserError) as exc:
            raise PlannerError(f"{label} could not be read as a CSV file: {exc}.") from None
    frame.columns = [str(c).strip().lower() for c in frame.columns]
    if "title" not in frame and "role" not in frame:
        raise PlannerError(
            f"{label} needs a 'title' or 'role' column to tell agents from other roles."
        )
    if "start_date" not in frame:
        raise PlannerError(
            f"{label} needs a 'start_date' column (YYYY-MM-DD) for each person's tenure."
        )
    titles = frame.get("title", frame.get("role")).fillna("").astype(str)
    agent = roles(frame.assign(title=titles)).eq("agent")
    status = frame.get("status", pd.Series("filled", index=frame.index)).fillna("filled")
    is_open = status.astype(str).str.strip().str.lower().isin(OPEN_STATUSES)
    starts = pd.to_datetime(frame["start_date"], errors="coerce")
    bad = frame.index[starts.isna() & ~is_open & agent]
    if len(bad):
        rows = ", ".join(str(i + 2) for i in bad[:5])
        raise PlannerError(
            f"{label}: start_date is missing or not a date on row(s) {rows} (counting the "
            "header as row 1); write dates as YYYY-MM-DD."
        )
    fte = pd.to_numeric(frame.get("fte", pd.Series(1.0, index=frame.index)), errors="coerce")
    if fte.isna().any() or (fte <= 0).any() or (fte > 1.5).any():
        rows = ", ".join(str(i + 2) for i in frame.index[fte.isna() | (fte <= 0) | (fte > 1.5)][:5])
        raise PlannerError(
            f"{label}: fte must be a number above 0 and at most 1.5 on row(s) {rows}."
        )
    pay = (
        pd.to_numeric(frame.get("annual_base_pay"), errors="coerce")
        if "annual_base_pay" in frame
        else np.nan
    )
    people = pd.DataFrame(
        {
            "employee_id": frame.get("employee_id", pd.Series(frame.index + 1)).astype(str),
            "title": titles,
            "level": frame.get("level", pd.Series("", index=frame.index)).fillna("").astype(str),
            "location": frame.get("location", pd.Series("", index=frame.index))
            .fillna("")
            .astype(str),
            "start_date": [d.date() if not pd.isna(d) else None for d in starts],
            "open": is_open,
            "fte": fte,
            "annual_base_pay": pay,
        }
    )
    is_agent = agent.to_numpy()
    skipped = tuple(sorted(set(titles[~is_agent])))
    others = people[~is_agent & ~is_open.to_numpy()].reset_index(drop=True)
    return Roster(people[is_agent].reset_index(drop=True), len(frame), skipped, others)


def role_counts(people: pd.DataFrame) -> pd.DataFrame:
    """Per role: filled, open (open requisitions and to be hired) and positions."""
    table = pd.DataFrame({"role": roles(people), "filled": people["status"].eq("filled")})
    grouped = table.groupby("role")["filled"].agg(positions="size", filled="sum")
    grouped = grouped.reindex(ROLES, fill_value=0).astype(int)
    grouped["open"] = grouped["positions"] - grouped["filled"]
    return grouped[["filled", "open", "positions"]]


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
