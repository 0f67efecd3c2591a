"""The shipped sample is what the generator makes, and looks like a growing SaaS team."""

import hashlib

from planner.ingest import read_tickets
from planner.sample import load_shipped, make_ladder, make_roster, write_sample
from planner.scenario import Scenario
from planner.volume import aggregate
from tests.conftest import NOW, ROOT

SAMPLE = ROOT / "sample_data"


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_committed_sample_is_exactly_what_the_generator_writes(tmp_path):
    for path in write_sample(tmp_path):
        assert digest(path) == digest(SAMPLE / path.name), f"regenerate {path.name}: make sample"


def test_sample_is_small_enough_to_ship():
    assert sum(p.stat().st_size for p in SAMPLE.iterdir()) < 15 * 1024 * 1024


def test_sample_tickets_have_trend_weekly_season_and_the_launch():
    result = read_tickets(
        SAMPLE / "tickets_zendesk.csv.gz", source_time_zone="America/New_York", now=NOW
    )
    assert result.report.preset == "zendesk"
    assert set(result.report.tickets_by_channel) == {"email", "chat", "phone", "web_form"}
    daily = aggregate(result, "D", "America/New_York").series()
    assert len(daily) >= 3 * 365
    first_year, last_year = daily.iloc[:365].mean(), daily.iloc[-365:].mean()
    assert 1.4 < last_year / first_year < 1.9  # ~28% a year for two years
    weekday = daily.groupby(daily.index.day_of_week).mean()
    assert weekday[0] > 2.5 * weekday[6]  # Mondays busy, Sundays quiet
    launch = daily["2025-03-11":"2025-03-17"].mean()
    before = daily["2025-02-25":"2025-03-03"].mean()
    assert launch > 1.25 * before
    assert daily["2025-12-25"] < 0.5 * daily["2025-12-18"]  # Christmas Day


def test_roster_has_about_sixty_people_with_a_single_top_and_open_roles():
    roster = make_roster()
    assert 55 <= len(roster) <= 70
    assert (roster["manager_id"] == "").sum() == 1
    assert set(roster["manager_id"]) - {""} <= set(roster["employee_id"])
    assert (roster["status"] == "open requisition").sum() >= 3
    assert roster.loc[roster["status"] == "filled", "name"].is_unique
    assert set(roster["level"]) <= set(make_ladder()["level"])


def test_base_scenario_loads():
    scenario = Scenario.from_json((SAMPLE / "scenario_base.json").read_text())
    assert scenario.name == "FY2027 base plan"


def test_the_shipped_sample_loads_as_the_app_opens_it():
    # sample_data/README.md: 476,545 tickets from 1 Nov 2023 to 31 Oct 2026, 0.5% merged;
    # 61 people in the roster; the "FY2027 base plan" scenario in New York time.
    shipped = load_shipped()
    assert shipped.scenario.name == "FY2027 base plan"
    report = shipped.tickets.report
    assert report.rows_read == 476_545
    assert report.tickets + report.excluded["merged or deleted"] == 476_545
    assert 0.004 < report.excluded["merged or deleted"] / 476_545 < 0.006
    days = shipped.history.table().index
    assert (days[0].date().isoformat(), days[-1].date().isoformat()) == ("2023-11-01", "2026-10-31")
    assert shipped.history.table().to_numpy().sum() == report.tickets
    assert len(shipped.organisation.people) == 61
