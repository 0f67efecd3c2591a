"""Deterministic sample data: a growing SaaS company's support history, roster and ladder.

``write_sample(folder)`` writes what ``make run`` opens and ``load_shipped()`` reads it back
as the app does. Everything is drawn from one seeded
``numpy.random.Generator``, so the same seed gives byte-identical files. How the numbers were
chosen is documented in ``sample_data/README.md``.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import NamedTuple

import holidays
import numpy as np
import pandas as pd

from planner import org
from planner.ingest import IngestResult, read_tickets
from planner.scenario import Scenario, Source
from planner.volume import VolumeHistory, aggregate

SAMPLE_DIR = Path(__file__).resolve().parents[2] / "sample_data"

SEED = 20261122
FIRST_DAY = dt.date(2023, 11, 1)
LAST_DAY = dt.date(2026, 10, 31)
TIME_ZONE = "America/New_York"
LAUNCH_DAY = dt.date(2025, 3, 11)

# Weekday-equivalent tickets per day at the start, and growth per year of the customer base.
START_TICKETS_PER_DAY = 340.0
GROWTH_PER_YEAR = 0.28
WEEKDAY_FACTOR = np.array([1.22, 1.15, 1.10, 1.06, 0.98, 0.42, 0.35])
HOLIDAY_FACTOR = 0.35

CHANNELS = ("email", "chat", "phone", "web_form")
ZENDESK_VIA = {"email": "Mail", "chat": "Chat", "phone": "Voice", "web_form": "Web form"}
# Channel mix drifts from email towards chat over the three years.
SHARE_START = np.array([0.40, 0.20, 0.22, 0.18])
SHARE_END = np.array([0.31, 0.31, 0.20, 0.18])
MEAN_HANDLE_SECONDS = {"email": 540, "chat": 720, "phone": 420, "web_form": 480}
QUEUES = ("Tier 1", "Tier 2", "Billing")
QUEUE_SHARE = np.array([0.66, 0.20, 0.14])
QUEUE_HANDLE_FACTOR = np.array([1.0, 1.6, 0.9])
PRIORITIES = np.array(["Low", "Normal", "High", "Urgent"])
PRIORITY_SHARE = np.array([0.20, 0.60, 0.15, 0.05])

SUBJECTS = {
    "Tier 1": ["Cannot log in", "How do I export a report?", "Invite a teammate", "Reset MFA"],
    "Tier 2": ["API returns 500", "Webhook not firing", "SSO configuration", "Data sync delay"],
    "Billing": ["Invoice copy", "Change plan", "Refund request", "Update card details"],
}
FIRST_NAMES = ["Ana", "Ben", "Chen", "Dara", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Jo"]
LAST_NAMES = ["Silva", "Okafor", "Nguyen", "Müller", "Smith", "Kowalski", "Haddad", "Ito"]


def _hour_profile(channel: str) -> np.ndarray:
    """Share of a day's tickets per local hour: business-hours peaks, live channels only open."""
    hours = np.arange(24)
    shape = np.exp(-((hours - 10.5) ** 2) / 8.0) + 0.8 * np.exp(-((hours - 14.5) ** 2) / 10.0)
    if channel == "phone":
        shape = np.where((hours >= 8) & (hours < 20), shape, 0.0)
    elif channel == "chat":
        shape = np.where((hours >= 7) & (hours < 22), shape + 0.05, 0.0)
    else:
        shape = shape + 0.04
    return shape / shape.sum()


def daily_rates(days: pd.DatetimeIndex, country: str = "US") -> np.ndarray:
    """Expected tickets per day: trend x weekday x year season x holidays x launch spike."""
    years = (days - days[0]).days.to_numpy() / 365.25
    trend = START_TICKETS_PER_DAY * (1 + GROWTH_PER_YEAR) ** years
    weekday = WEEKDAY_FACTOR[days.day_of_week.to_numpy()]
    doy = days.day_of_year.to_numpy()
    # January renewals peak; the second half of December and early August are quiet.
    season = 1 + 0.10 * np.cos(2 * np.pi * (doy - 15) / 365.25)
    season = season * np.where((days.month == 12) & (days.day >= 20), 0.7, 1.0)
    season = season * np.where((days.month == 8) & (days.day <= 15), 0.9, 1.0)
    public = holidays.country_holidays(country, years=sorted(set(days.year)))
    holiday = np.where([d.date() in public for d in days], HOLIDAY_FACTOR, 1.0)
    since_launch = (days - pd.Timestamp(LAUNCH_DAY)).days.to_numpy()
    launch = np.where(
        (since_launch >= 0) & (since_launch < 35), 0.55 * np.exp(-since_launch / 9), 0
    )
    return trend * weekday * season * holiday * (1 + launch)


def make_tickets(seed: int = SEED) -> pd.DataFrame:
    """Tickets in Zendesk's CSV export layout, local time without offset, as Zendesk writes them."""
    rng = np.random.default_rng(seed)
    days = pd.date_range(FIRST_DAY, LAST_DAY, freq="D")
    rate = daily_rates(days) * rng.gamma(400, 1 / 400, len(days))
    progress = np.linspace(0, 1, len(days))[:, None]
    shares = SHARE_START + (SHARE_END - SHARE_START) * progress
    counts = rng.poisson(rate[:, None] * shares)
    frames = []
    for c, channel in enumerate(CHANNELS):
        n_day = counts[:, c]
        day = np.repeat(days.to_numpy(), n_day)
        hour = rng.choice(24, size=day.size, p=_hour_profile(channel))
        second = rng.integers(0, 3600, size=day.size)
        created = day + (hour * 3600 + second).astype("timedelta64[s]")
        frames.append(pd.DataFrame({"created": created, "channel": channel}))
    tickets = pd.concat(frames).sort_values("created", kind="stable").reset_index(drop=True)
    n = len(tickets)
    channel = tickets["channel"].to_numpy()
    queue_idx = rng.choice(len(QUEUES), size=n, p=QUEUE_SHARE)
    mean_handle = (
        pd.Series(channel).map(MEAN_HANDLE_SECONDS).to_numpy() * (QUEUE_HANDLE_FACTOR[queue_idx])
    )
    sigma = 0.55
    handle = np.round(rng.lognormal(np.log(mean_handle) - sigma**2 / 2, sigma)).astype(int)
    live = np.isin(channel, ["phone", "chat"])
    first_reply = (
        np.where(live, rng.exponential(1.5, n), rng.exponential(190, n)).round().astype(int)
    )
    resolution_minutes = np.where(
        live, handle / 60 + rng.exponential(20, n), rng.lognormal(np.log(600), 1.0, n)
    )
    created = tickets["created"]
    solved = created + pd.to_timedelta(np.round(resolution_minutes * 60), unit="s")
    still_open = solved > pd.Timestamp(LAST_DAY) + pd.Timedelta(days=1)
    merged = rng.random(n) < 0.005
    status = np.where(still_open, "Open", np.where(rng.random(n) < 0.7, "Closed", "Solved"))
    offered = rng.random(n) < 0.45
    rated = offered & (rng.random(n) < 0.35)
    good = rng.random(n) < np.where(queue_idx == 1, 0.80, 0.89)
    csat = np.where(rated, np.where(good, "Good", "Bad"), np.where(offered, "Offered", "Unoffered"))
    queue = np.array(QUEUES)[queue_idx]
    subject_pick = rng.integers(0, 4, n)
    subject = [SUBJECTS[q][i] for q, i in zip(queue, subject_pick, strict=True)]
    requester = np.char.add(
        np.char.add(np.array(FIRST_NAMES)[rng.integers(0, len(FIRST_NAMES), n)], " "),
        np.array(LAST_NAMES)[rng.integers(0, len(LAST_NAMES), n)],
    )
    return pd.DataFrame(
        {
            "Id": np.arange(100_001, 100_001 + n),
            "Requester": requester,
            "Group": queue,
            "Subject": subject,
            "Tags": np.where(merged, "closed_by_merge", ""),
            "Status": np.where(merged, "Closed", status),
            "Priority": rng.choice(PRIORITIES, size=n, p=PRIORITY_SHARE),
            "Via": pd.Series(channel).map(ZENDESK_VIA).to_numpy(),
            "Created at": created.dt.strftime("%Y-%m-%d %H:%M:%S"),
            "Solved at": solved.dt.strftime("%Y-%m-%d %H:%M:%S").where(~still_open, ""),
            "First reply time in minutes": first_reply,
            "Satisfaction Score": csat,
            "Total time spent (sec)": handle,
        }
    )


LADDER_LEVELS = [
    # track, level, title, Austin band min/mid/max (USD), months in level, promotions a year
    ("IC", "L1", "Support Agent I", 44_000, 50_000, 56_000, 18, 0.30, "Resolves tier-1 tickets"),
    ("IC", "L2", "Support Agent II", 52_000, 59_000, 66_000, 24, 0.22, "Owns complex tier-1 work"),
    ("IC", "L3", "Senior Support Agent", 62_000, 70_000, 78_000, 30, 0.15, "Mentors; tier-2 cases"),
    ("IC", "L4", "Support Specialist", 74_000, 84_000, 94_000, 36, 0.10, "Subject-matter expert"),
    ("M", "M1", "Team Lead", 72_000, 82_000, 92_000, 30, 0.12, "Leads 8-12 agents"),
    ("M", "M2", "Support Manager", 98_000, 112_000, 126_000, 36, 0.08, "Leads team leads"),
    ("M", "M3", "Director of Support", 150_000, 172_000, 195_000, 48, 0.0, "Owns the function"),
]
TITLE_BY_LEVEL = {level: title for _, level, title, *_ in LADDER_LEVELS}
# Lisbon pay as a share of Austin pay for the same band.
LOCATION_PAY = {"Austin": 1.0, "Lisbon": 0.58}


def make_ladder() -> pd.DataFrame:
    """Career ladder: two tracks, comp bands per location, time in level, promotion rates."""
    rows = []
    for track, level, title, lo, mid, hi, months, promo, expect in LADDER_LEVELS:
        for location, factor in LOCATION_PAY.items():
            rows.append(
                {
                    "track": track,
                    "level": level,
                    "title": title,
                    "location": location,
                    "band_min": round(lo * factor, -2),
                    "band_mid": round(mid * factor, -2),
                    "band_max": round(hi * factor, -2),
                    "typical_months_in_level": months,
                    "promotion_rate_per_year": promo,
                    "expectations": expect,
                }
            )
    return pd.DataFrame(rows)


def make_roster(seed: int = SEED) -> pd.DataFrame:
    """About 60 people: a director, 3 managers, 6 team leads, agents at four levels,
    support roles (QA, training, WFM, knowledge) and open requisitions."""
    rng = np.random.default_rng(seed + 1)
    bands = make_ladder().set_index(["level", "location"])
    full_names = [f"{first} {last}" for first in FIRST_NAMES for last in LAST_NAMES]
    names = iter(rng.permutation(full_names))
    people: list[dict] = []

    def add(title, level, manager, team, location, status="filled", years=None):
        person_id = f"E{len(people) + 1:03d}"
        tenure_days = int((years if years is not None else rng.uniform(0.2, 6)) * 365)
        band = bands.loc[(level, location)]
        pay = round(rng.uniform(band.band_min, band.band_max), -2) if status == "filled" else None
        people.append(
            {
                "employee_id": person_id,
                "name": str(next(names)) if status == "filled" else "",
                "title": title,
                "level": level,
                "manager_id": manager,
                "team": team,
                "location": location,
                "start_date": (
                    dt.date(2026, 11, 1) - dt.timedelta(days=tenure_days)
                    if status == "filled"
                    else dt.date(2027, 2, 1)
                ),
                "status": status,
                "annual_base_pay": pay,
            }
        )
        return person_id

    director = add("Director of Support", "M3", "", "Leadership", "Austin", years=4.5)
    teams = [
        ("Support Manager, Frontline", "Austin", ["Tier 1 Austin A", "Tier 1 Austin B"]),
        ("Support Manager, EMEA", "Lisbon", ["Tier 1 Lisbon", "Billing"]),
        ("Support Manager, Technical", "Austin", ["Tier 2 A", "Tier 2 B"]),
    ]
    agent_levels = ["L1", "L1", "L2", "L2", "L2", "L3", "L1"]
    for manager_title, location, team_names in teams:
        manager = add(manager_title, "M2", director, "Leadership", location)
        for team in team_names:
            lead = add("Team Lead", "M1", manager, team, location)
            technical = team.startswith("Tier 2")
            for level in agent_levels:
                if technical:
                    level = {"L1": "L3", "L2": "L3", "L3": "L4"}[level]
                add(TITLE_BY_LEVEL[level], level, lead, team, location)
    for title, level, location in [
        ("QA Analyst", "L3", "Austin"),
        ("QA Analyst", "L3", "Lisbon"),
        ("Trainer", "L3", "Austin"),
        ("WFM Analyst", "L4", "Austin"),
        ("Knowledge Manager", "L4", "Austin"),
    ]:
        add(title, level, director, "Support Operations", location)
    first_lead = {p["team"]: p["employee_id"] for p in people if p["title"] == "Team Lead"}
    for team, level, location in [
        ("Tier 1 Austin A", "L1", "Austin"),
        ("Tier 1 Austin B", "L1", "Austin"),
        ("Tier 1 Lisbon", "L1", "Lisbon"),
        ("Tier 2 A", "L3", "Austin"),
    ]:
        add(TITLE_BY_LEVEL[level], level, first_lead[team], team, location, "open requisition")
    return pd.DataFrame(people)


SAMPLE_SOURCES = {
    "tickets": "the generated SaaS company's three years of Zendesk tickets",
    "roster": "the generated company's 61 people (Austin and Lisbon) and their pay",
    "ladder": "the generated company's career ladder and pay bands",
    "costs.annual_recurring_revenue": "the generated company's revenue",
    "costs.customers": "the generated company's customers",
}


def base_scenario() -> Scenario:
    """The plan the sample opens with: calendar 2027, New York time, default assumptions;
    the tickets, the organisation, revenue and customers are the sample company's."""
    return Scenario(
        name="FY2027 base plan",
        start_month=dt.date(2027, 1, 1),
        horizon_months=12,
        time_zone=TIME_ZONE,
        sources={
            path: Source(kind="sample", detail=detail) for path, detail in SAMPLE_SOURCES.items()
        },
    )


def write_sample(folder: Path, seed: int = SEED) -> list[Path]:
    """Write the sample files into ``folder`` and return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    written = {
        "tickets_zendesk.csv.gz": lambda p: make_tickets(seed).to_csv(
            p, index=False, compression={"method": "gzip", "mtime": 0}
        ),
        "org_roster.csv": lambda p: make_roster(seed).to_csv(p, index=False),
        "career_ladder.csv": lambda p: make_ladder().to_csv(p, index=False),
        "scenario_base.json": lambda p: p.write_text(base_scenario().to_json() + "\n"),
    }
    paths = []
    for name, write in written.items():
        path = folder / name
        write(path)
        paths.append(path)
    return paths


class Shipped(NamedTuple):
    """The shipped sample as the app opens it."""

    scenario: Scenario
    tickets: IngestResult
    history: VolumeHistory  # daily, in the scenario's time zone
    organisation: org.Organisation


def load_shipped(folder: Path = SAMPLE_DIR) -> Shipped:
    """Read the sample files in ``folder``: the base scenario, the tickets read and counted by
    day in its time zone, and the roster with the career ladder."""
    scenario = Scenario.from_json((folder / "scenario_base.json").read_text())
    tickets = read_tickets(folder / "tickets_zendesk.csv.gz", source_time_zone=scenario.time_zone)
    history = aggregate(tickets, "D", scenario.time_zone)
    organisation = org.load(folder / "org_roster.csv", folder / "career_ladder.csv")
    return Shipped(scenario, tickets, history, organisation)


def make_large_org(size: int, seed: int = SEED) -> pd.DataFrame:
    """An organisation of about ``size`` people in the roster's layout (for the org chart's
    readability check and its benchmark): a director, managers of about seven leads, leads
    of about ten agents, a few open requisitions, Austin and Lisbon."""
    rng = np.random.default_rng(seed + 2)
    teams = max(1, -(-size // 10))
    managers = max(1, -(-teams // 7))
    people = [("E00001", "Director of Support", "M3", "", "Leadership", "filled")]

    def add(title, level, manager, team, status="filled"):
        people.append((f"E{len(people) + 1:05d}", title, level, manager, team, status))
        return people[-1][0]

    manager_ids = [add("Support Manager", "M2", "E00001", "Leadership") for _ in range(managers)]
    for t in range(size):
        team = f"Team {t + 1:03d}"
        lead = add("Team Lead", "M1", manager_ids[t % managers], team)
        for _ in range(int(rng.integers(8, 12))):
            level = str(rng.choice(["L1", "L2", "L3"], p=[0.45, 0.35, 0.2]))
            status = "open requisition" if rng.random() < 0.05 else "filled"
            add(TITLE_BY_LEVEL[level], level, lead, team, status)
        if len(people) >= size:
            break
    locations = rng.choice(["Austin", "Lisbon"], size=len(people))
    starts = pd.Timestamp(2026, 11, 1) - pd.to_timedelta(rng.integers(30, 2500, len(people)), "D")
    return pd.DataFrame(
        {
            "employee_id": [p[0] for p in people],
            "name": [f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {LAST_NAMES[(i // 7) % len(LAST_NAMES)]}"
                     for i in range(len(people))],
            "title": [p[1] for p in people],
            "level": [p[2] for p in people],
            "manager_id": [p[3] for p in people],
            "team": [p[4] for p in people],
            "location": locations,
            "start_date": [d.date() for d in starts],
            "status": [p[5] for p in people],
            "annual_base_pay": np.nan,
        }
    )  # fmt: skip
