"""Capacity roll-forward checked by hand, attrition conversion, the roster reader, and the
recommended requisitions."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner import capacity, org
from planner.errors import PlannerError
from planner.roles import role_of, roles
from planner.scenario import Scenario, WorkforceSettings
from tests.conftest import ROOT

JAN, FEB, MAR = dt.date(2027, 1, 1), dt.date(2027, 2, 1), dt.date(2027, 3, 1)


def required(mean, months=None, spread=0.0) -> pd.DataFrame:
    months = months or pd.date_range(JAN, periods=len(mean), freq="MS")
    mean = np.asarray(mean, dtype=float)
    return pd.DataFrame(
        {
            "period": months,
            "gross_fte_lower": mean * (1 - spread),
            "gross_fte_mean": mean,
            "gross_fte_upper": mean * (1 + spread),
        }
    )


def plan(**workforce) -> Scenario:
    return Scenario(start_month=JAN, horizon_months=3, workforce=workforce)


def test_monthly_attrition_from_annual():
    # 30% a year is 2.93% a month, not 2.5%: 1 - 0.7^(1/12) = 0.029286 (hand, via logs)
    assert capacity.monthly_attrition(0.30) == pytest.approx(0.029286, abs=1e-6)
    assert capacity.monthly_attrition(0.20) == pytest.approx(0.018423, abs=1e-6)
    assert capacity.monthly_attrition(0.0) == 0.0
    assert capacity.monthly_attrition(1.2) == 1.0
    # 15% of a class gone within 90 days: 1 - 0.85^(1/3) = 5.273% a month
    assert capacity.early_monthly_attrition(0.15) == pytest.approx(0.052732, abs=1e-6)


@given(st.floats(0, 0.99))
def test_twelve_months_of_monthly_attrition_compound_to_the_annual(annual):
    assert 1 - (1 - capacity.monthly_attrition(annual)) ** 12 == pytest.approx(annual, abs=1e-9)


def test_ramp_climbs_from_the_first_month_to_full():
    workforce = WorkforceSettings(ramp_months=3, ramp_start_productivity=0.53)
    assert capacity.ramp([0, 1, 2, 3, 7], workforce) == pytest.approx(
        [0.53, 0.6867, 0.8433, 1.0, 1.0], abs=1e-4
    )
    assert capacity.ramp([0], WorkforceSettings(ramp_months=0)) == pytest.approx([1.0])


def test_three_month_roll_forward_by_hand():
    # 10 tenured agents, 20% annual attrition (m = 1.8423% a month); a class of 3 starts
    # on 18 January, trains 2 weeks (on the floor 1 February), 15% leave within 90 days
    # (e = 5.2732% a month), and ramps from 50% over 2 months.
    # Tenured: 10, 9.81577, 9.63492. Class: 3, 2.84180, 2.69195 people, delivering
    # 0 (training), x 0.5 in February, x 0.75 in March.
    scenario = plan(
        starting_fte=10,
        annual_attrition=0.20,
        early_tenure_attrition=0.15,
        training_weeks=2,
        ramp_months=2,
        ramp_start_productivity=0.5,
        recruiting_lead_days=34,
        hiring_classes=[{"start": dt.date(2027, 1, 18), "people": 3}],
    )
    result = capacity.plan_capacity(required([9, 11, 13]), scenario, today=JAN)
    months = result.months
    assert months["people"].to_numpy() == pytest.approx([13.0, 12.65757, 12.32688], abs=1e-4)
    assert months["available"].to_numpy() == pytest.approx([10.0, 11.23667, 11.65389], abs=1e-4)
    assert months["in_training"].to_numpy() == pytest.approx([3.0, 0.0, 0.0], abs=1e-9)
    assert months["starters"].tolist() == [3.0, 0.0, 0.0]
    # leavers: 10 m + 3 e = 0.34243 in January; they are gone in February
    assert months["leavers"].iloc[0] == pytest.approx(0.34243, abs=1e-4)
    assert months["people"].iloc[1] == pytest.approx(13 - months["leavers"].iloc[0])
    assert months["gap"].to_numpy() == pytest.approx([-1.0, -0.23667, 1.34611], abs=1e-4)
    # March is 1.34611 short. A class ready by March would be on the floor 2 months before
    # (1 January), start 18 December and open its requisition 34 days earlier, 14 November:
    # already passed, so it opens today, starts 4 February (34 days), is on the floor
    # 18 February, and in March 1 - e = 94.73% of it is still there: ceil(1.34611 /
    # 0.94727) = 2 people.
    (req,) = result.requisitions.to_dict("records")
    assert req == {
        "open_by": JAN,
        "start": dt.date(2027, 2, 4),
        "on_floor": dt.date(2027, 2, 18),
        "people": 2,
        "for_month": MAR,
        "late": True,
    }
    assert any("cannot be ready in time" in n for n in result.notes)
    assert "Open 2 requisitions by 01 January 2027 (already late: open now)" in result.takeaway(
        2, 34
    )


def test_a_class_in_good_time_is_fully_ramped_in_the_month_it_is_for():
    scenario = Scenario(
        start_month=JAN,
        horizon_months=12,
        workforce={"starting_fte": 20, "annual_attrition": 0.0, "early_tenure_attrition": 0.0,
                   "training_weeks": 4, "ramp_months": 3, "recruiting_lead_days": 30},
    )  # fmt: skip
    need = [20] * 9 + [25, 25, 25]
    result = capacity.plan_capacity(required(need), scenario, today=dt.date(2026, 11, 1))
    (req,) = result.requisitions.to_dict("records")
    # for October: on the floor 1 July, start 3 June (4 weeks), open 4 May (30 days)
    assert (req["on_floor"], req["start"], req["open_by"]) == (
        dt.date(2027, 7, 1),
        dt.date(2027, 6, 3),
        dt.date(2027, 5, 4),
    )
    assert req["people"] == 5 and not req["late"]
    months = result.months.set_index("month")
    assert months.loc["2027-10-01", "recommended_available"] == pytest.approx(25.0)
    assert (result.months["gap_after"] <= 1e-9).all()
    assert "Open 5 requisitions by 04 May 2027" in result.takeaway(4, 30)


def test_plan_to_the_high_case_hires_more():
    need = required([30, 31, 32], spread=0.2)
    expected = capacity.plan_capacity(need, plan(starting_fte=30), today=dt.date(2026, 9, 1))
    high = capacity.plan_capacity(
        need, plan(starting_fte=30, plan_to="upper"), today=dt.date(2026, 9, 1)
    )
    assert high.requisitions["people"].sum() > expected.requisitions["people"].sum()
    assert high.months["required"].tolist() == pytest.approx([36, 37.2, 38.4])


def test_an_over_staffed_plan_says_by_how_much_and_a_covered_one_says_so():
    result = capacity.plan_capacity(required([5, 5, 5]), plan(starting_fte=10), today=JAN)
    assert result.requisitions.empty
    surplus = result.months["available"] - 5
    assert result.months["surplus"].tolist() == pytest.approx(surplus.tolist())
    words = result.takeaway(6, 34, 12_345, "USD")
    assert words.startswith(f"Over-staffed by {surplus.mean():.1f} FTE on average (12,345 USD")
    near = (result.months["available"] - 0.2).tolist()
    covered = capacity.plan_capacity(required(near), plan(starting_fte=10), today=JAN)
    assert covered.months["surplus"].tolist() == pytest.approx([0.2, 0.2, 0.2])
    assert covered.takeaway(6, 34).startswith("The team meets the expected requirement")


@settings(max_examples=40, deadline=None)
@given(
    need=st.lists(st.floats(0, 80), min_size=3, max_size=18),
    attrition=st.floats(0, 0.8),
    start=st.floats(0, 60),
)
def test_recommendations_close_every_gap_they_are_in_time_for(need, attrition, start):
    scenario = Scenario(
        start_month=JAN,
        horizon_months=len(need),
        workforce={"starting_fte": start, "annual_attrition": attrition, "ramp_months": 2},
    )
    today = dt.date(2025, 1, 1)  # a year ahead: every class can be in time
    result = capacity.plan_capacity(required(need), scenario, today=today)
    assert not result.requisitions["late"].any()
    assert (result.months["gap_after"] <= 1e-6).all()
    assert (result.months["recommended_available"] >= result.months["available"] - 1e-9).all()


@settings(max_examples=40, deadline=None)
@given(low=st.floats(0, 0.5), extra=st.floats(0.01, 0.5), people=st.integers(1, 20))
def test_more_attrition_never_leaves_more_people_and_a_class_never_fewer(low, extra, people):
    months = pd.date_range(JAN, periods=12, freq="MS")
    tenured = [capacity.Cohort(dt.date(2020, 1, 1), 30.0, "roster")]
    hires = [capacity.Cohort(dt.date(2027, 3, 10), float(people), "hiring plan")]
    calm = capacity.supply(tenured, months, WorkforceSettings(annual_attrition=low))
    churn = capacity.supply(tenured, months, WorkforceSettings(annual_attrition=low + extra))
    assert (churn["available"] <= calm["available"] + 1e-9).all()
    hired = capacity.supply(tenured + hires, months, WorkforceSettings(annual_attrition=low))
    assert (hired["available"] >= calm["available"] - 1e-9).all()
    assert (hired["people"] >= calm["people"] - 1e-9).all()


def test_sample_roster_counts_agents_and_open_requisitions():
    roster = org.read_roster(ROOT / "sample_data" / "org_roster.csv")
    assert roster.rows == 61
    assert len(roster.filled) == 42
    assert len(roster.open_requisitions) == 4
    assert "Team Lead" in roster.skipped_titles and "QA Analyst" in roster.skipped_titles
    assert set(roster.filled["title"]) == {
        "Support Agent I",
        "Support Agent II",
        "Senior Support Agent",
        "Support Specialist",
    }
    assert 40_000 < roster.mean_base_pay() < 90_000
    cohorts = roster.cohorts(earliest_start=dt.date(2027, 1, 5))
    planned = [c for c in cohorts if c.source == "open requisition"]
    assert [c.start for c in planned] == [dt.date(2027, 2, 1)] * 4
    late = roster.cohorts(earliest_start=dt.date(2027, 3, 1))
    assert {c.start for c in late if c.source == "open requisition"} == {dt.date(2027, 3, 1)}


def test_recent_hires_on_the_roster_leave_at_the_early_rate():
    roster = org.read_roster(
        pd.DataFrame(
            {
                "title": ["Support Agent", "Support Agent", "Team Lead"],
                "start_date": ["2020-05-01", "2026-12-20", "2021-01-01"],
            }
        )
    )
    assert len(roster.filled) == 2
    scenario = plan(annual_attrition=0.2, early_tenure_attrition=0.15)
    months = capacity.plan_capacity(required([1, 1, 1]), scenario, roster, today=JAN).months
    m, e = 0.018423470, 0.052731763
    # January: the veteran leaves at m, the December starter (second month) at e
    assert months["leavers"].iloc[0] == pytest.approx(m + e, abs=1e-6)


def test_titles_tell_agents_from_other_roles():
    agents = ["Support Agent I", "Senior Support Specialist", "Customer Service Representative"]
    others = ["Team Lead", "Support Manager, EMEA", "QA Analyst", "WFM Analyst", "Trainer"]
    assert all(role_of(t) == "agent" for t in agents)
    assert not any(role_of(t) == "agent" for t in others)


def test_the_roster_and_the_organisation_classify_a_title_alike():
    titles = ["Enablement Specialist", "Support Agent II", "Knowledge Manager", "Support Analyst"]
    people = pd.DataFrame(
        {
            "employee_id": ["1", "2", "3", "4"],
            "name": ["A", "B", "C", "D"],
            "title": titles,
            "start_date": ["2024-01-01"] * 4,
        }
    )
    roster = org.read_roster(people)
    assert roster.agents["title"].tolist() == ["Support Agent II"]
    assert roles(people).tolist() == ["trainer", "agent", "knowledge", "other"]


def test_a_role_column_decides_over_titles():
    roster = org.read_roster(
        pd.DataFrame(
            {
                "title": ["Wizard", "Support Agent"],
                "role": ["agent", "lead"],
                "start_date": ["2024-01-01", "2024-01-01"],
                "fte": [0.5, 1.0],
            }
        )
    )
    assert roster.filled["title"].tolist() == ["Wizard"]
    assert roster.filled["fte"].tolist() == [0.5]


def test_bad_rosters_name_the_file_row_and_fix(tmp_path):
    with pytest.raises(PlannerError, match=r"team\.csv needs a 'title' or 'role' column"):
        org.read_roster(pd.DataFrame({"start_date": ["2024-01-01"]}), name="team.csv")
    with pytest.raises(PlannerError, match="needs a 'start_date' column"):
        org.read_roster(pd.DataFrame({"title": ["Support Agent"]}))
    path = tmp_path / "roster.csv"
    path.write_text("title,start_date\nSupport Agent,2024-01-01\nSupport Agent,last spring\n")
    with pytest.raises(PlannerError, match=r"roster.csv: start_date .* row\(s\) 3 .*YYYY-MM-DD"):
        org.read_roster(path)
    path.write_text("title,start_date,fte\nSupport Agent,2024-01-01,2\n")
    with pytest.raises(PlannerError, match=r"fte must be a number above 0 and at most 1.5 on row"):
        org.read_roster(path)
    with pytest.raises(PlannerError, match="could not be read"):
        org.read_roster(tmp_path / "missing.csv")


def test_without_roster_or_starting_fte_the_plan_says_what_to_load():
    with pytest.raises(PlannerError, match="Load a roster or set the starting FTE"):
        capacity.plan_capacity(required([1, 1, 1]), plan(), today=JAN)
