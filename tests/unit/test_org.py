"""The organisation: each validation rule, span derivation and open roles by hand, the
Markov ladder projection worked by hand, succession, CSV round trip, the escaped org chart,
and the budget lines the organisation adds."""

import datetime as dt
import io
import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner import capacity, charts, org, roles, sample
from planner.budget import build_budget
from planner.errors import PlannerError
from planner.scenario import OrgSettings, Scenario
from tests.conftest import ROOT

TODAY = dt.date(2026, 11, 23)
LADDER = org.normalise_ladder(
    pd.DataFrame(
        [
            ("IC", "L1", "Support Agent I", "", 40_000, 50_000, 60_000, 12, 0.2),
            ("IC", "L2", "Senior Support Agent", "", 55_000, 65_000, 75_000, 24, 0.0),
            ("M", "M1", "Team Lead", "", 60_000, 70_000, 80_000, 24, 0.1),
            ("M", "M2", "Support Manager", "", 80_000, 90_000, 100_000, 36, 0.0),
        ],
        columns=list(org.LADDER_COLUMNS[:9]),
    )
)


def person(pid, title, level, manager, team="T", status="filled", start="2024-01-01", pay=None):
    return {
        "employee_id": pid,
        "name": f"Person {pid}",
        "title": title,
        "level": level,
        "manager_id": manager,
        "team": team,
        "location": "",
        "start_date": start,
        "status": status,
        "annual_base_pay": pay,
    }


def team(agents: int, lead: str = "L", manager: str = "M") -> list[dict]:
    """A manager, one lead and ``agents`` L1 agents under the lead."""
    rows = [
        person(manager, "Support Manager", "M2", ""),
        person(lead, "Team Lead", "M1", manager),
    ]
    rows += [person(f"A{i}", "Support Agent I", "L1", lead) for i in range(agents)]
    return rows


def people_of(rows) -> pd.DataFrame:
    return org.normalise_people(pd.DataFrame(rows))


def problems(rows, ladder=LADDER, **rules) -> pd.DataFrame:
    return org.validate(people_of(rows), ladder, OrgSettings(**rules))


def test_roles_from_titles():
    assert roles.role_of("Support Agent II") == "agent"
    assert roles.role_of("Team Lead") == "lead"
    assert roles.role_of("Support Manager, EMEA") == "manager"
    assert roles.role_of("Knowledge Manager") == "knowledge"
    assert roles.role_of("QA Analyst") == "qa"
    assert roles.role_of("Director of Support") == "director"
    assert roles.role_of("Office dog") == "other"


def test_a_sound_team_has_no_problem():
    assert problems(team(8), leads_per_manager_min=1).empty


def test_duplicate_and_empty_ids():
    rows = [*team(8), person("A1", "Support Agent I", "L1", "L"), person("", "Trainer", "", "M")]
    found = problems(rows)
    duplicate = found[found["message"].str.contains("also on row")]
    assert list(duplicate["row"]) == [11] and duplicate["employee_id"].iat[0] == "A1"
    assert "row 4" in duplicate["message"].iat[0]
    assert (found["message"].str.contains("id is empty")).sum() == 1


def test_unknown_manager_names_the_row_and_fix():
    found = problems([*team(8), person("X", "Support Agent I", "L1", "NOBODY")])
    row = found[found["column"].eq("manager_id") & found["severity"].eq("error")].iloc[0]
    assert row["row"] == 11 and "NOBODY is not in the table" in row["message"]


def test_a_cycle_is_found():
    rows = [
        *team(8),
        person("C1", "Support Agent I", "L1", "C2"),
        person("C2", "Support Agent I", "L1", "C1"),
    ]
    found = problems(rows)
    cycle = found[found["message"].str.contains("cycle")]
    assert set(cycle["employee_id"]) == {"C1", "C2"}


def test_more_than_one_top():
    rows = [*team(8), person("D2", "Director of Support", "", "")]
    found = problems(rows)
    assert found["message"].str.contains("More than one person has no manager").sum() == 1


def test_unknown_status_and_level_not_on_the_ladder():
    rows = [*team(8), person("Z", "Support Agent I", "L9", "L", status="maybe")]
    found = problems(rows)
    assert found["message"].str.contains("status 'maybe' is not known").any()
    assert found["message"].str.contains("level L9 is not on the career ladder").any()


def test_pay_outside_the_band_is_a_warning():
    rows = [*team(8), person("P", "Support Agent I", "L1", "L", pay=70000)]
    found = problems(rows)
    row = found[found["column"] == "annual_base_pay"].iloc[0]
    assert row["severity"] == "warning" and "above the L1 band" in row["message"]
    assert "40,000-60,000" in row["message"]


def test_spans_above_and_below_the_rules():
    above = problems(team(16))
    assert above["message"].str.contains("16 agents, above the span rule's maximum of 15").any()
    below = problems(team(3))
    assert below["message"].str.contains("3 agents, below the span rule's minimum of 6").any()


def test_ladder_rules():
    ladder = LADDER.copy()
    ladder.loc[0, "band_mid"] = 70_000  # above the max
    ladder.loc[1, "track"] = "X"
    ladder = pd.concat([ladder, ladder.iloc[[3]]], ignore_index=True)
    found = problems(team(8), ladder)
    messages = " ".join(found.loc[found["table"] == "ladder", "message"])
    assert "the band must rise" in messages and "is not IC or M" in messages
    assert "listed twice" in messages


def test_span_derivation_by_hand():
    # 47 agents at 1:10 -> ceil(4.7) = 5 leads; 5 leads at 7 a manager -> 1 manager;
    # QA at 1:25 -> 47 / 25 = 1.88 -> 2; trainers at 1:40 -> 1.175 -> 1.
    need = org.required_roles(47, OrgSettings())
    assert need["lead"][0] == 5 and need["manager"][0] == 1 and need["director"][0] == 1
    assert need["qa"][0] == 2 and need["trainer"][0] == 1
    # 71 agents -> 8 leads -> 2 managers at 1:7
    assert org.required_roles(71, OrgSettings())["manager"][0] == 2
    assert org.required_roles(0, OrgSettings())["lead"][0] == 0


def test_markov_projection_two_levels_by_hand():
    # 10 people at L1, none at L2. Annual attrition 1 - 0.95^12 -> m = 5% a month;
    # promotion 1 - 0.9^12 a year -> p = 10% a month. Headcount held at 10 by L1 hires.
    # Month 1: leavers 0.5, promoted 9.5 x 0.1 = 0.95, hires 0.5:
    #   L1 = 10 - 0.5 - 0.95 + 0.5 = 9.05, L2 = 0.95.
    # Month 2: L1 leavers 0.4525, promoted 8.5975 x 0.1 = 0.85975; L2 leavers 0.0475;
    #   hires 0.5: L1 = 9.05 - 0.4525 - 0.85975 + 0.5 = 8.23775; L2 = 0.95 - 0.0475 +
    #   0.85975 = 1.76225.
    ladder = org.normalise_ladder(
        pd.DataFrame(
            {
                "track": ["IC", "IC"],
                "level": ["L1", "L2"],
                "title": ["Agent", "Senior Agent"],
                "band_mid": [48_000.0, 60_000.0],
                "promotion_rate_per_year": [1 - 0.9**12, 0.5],
            }
        )
    )
    people = people_of([person(f"A{i}", "Support Agent", "L1", "") for i in range(10)])
    months = pd.date_range("2027-01-01", periods=3, freq="MS")
    result = org.project_ladder(ladder, people, months, annual_attrition=1 - 0.95**12)
    mix = result.levels.pivot(index="month", columns="level", values="people")
    assert mix["L1"].tolist() == pytest.approx([10, 9.05, 8.23775])
    assert mix["L2"].tolist() == pytest.approx([0, 0.95, 1.76225])
    # each promotion opens an L1 seat: 0.95 then 0.85975
    flows = result.levels[result.levels["level"] == "L1"]
    assert flows["promotions"].tolist() == pytest.approx([0, 0.95, 0.85975])
    # promotions add (60,000 - 48,000) / 12 = 1,000 a month per promoted person still there:
    # without promotions everyone stays at L1, so the effect is L2 people x 1,000.
    assert result.cost_effect.tolist() == pytest.approx([0, 950, 1762.25])


def test_open_roles_dated_from_the_capacity_plan():
    # 47 agents on the roster, no attrition, no requirement: 47 agents every month need 5
    # leads; the one lead there is leaves 4 to open, needed from January 2027, opened 34
    # days before: 28 November 2026. (Support-role ratios are set out of reach.)
    rows = [
        person("D", "Director of Support", "", ""),
        person("M", "Support Manager", "M2", "D"),
        person("L", "Team Lead", "M1", "M"),
    ]
    rows += [person(f"A{i}", "Support Agent I", "L1", "L", pay=50_000) for i in range(47)]
    people = people_of(rows)
    scenario = Scenario(
        start_month=dt.date(2027, 1, 1),
        horizon_months=3,
        workforce={"annual_attrition": 0.0, "early_tenure_attrition": 0.0},
        org={f"agents_per_{r}": 1000 for r in ("qa_analyst", "trainer", "wfm_analyst",
                                              "knowledge_manager")},
    )  # fmt: skip
    required = pd.DataFrame(
        {
            "period": pd.date_range("2027-01-01", periods=3, freq="MS"),
            **{f"gross_fte_{b}": np.zeros(3) for b in ("lower", "mean", "upper")},
        }
    )
    organisation = org.Organisation(people, LADDER)
    plan = capacity.plan_capacity(required, scenario, organisation.roster, today=TODAY)
    result = org.plan_org(plan, scenario, organisation, TODAY)
    leads = result.open_roles[result.open_roles["role"] == "lead"].iloc[0]
    assert leads["people"] == 4 and leads["needed_from"] == dt.date(2027, 1, 1)
    assert leads["open_by"] == dt.date(2026, 11, 28) and not leads["late"]
    assert "47 agents at 1:10 need 5 leads" in leads["reason"]
    assert result.months["lead_needed"].tolist() == [5, 5, 5]
    assert "open" in result.takeaway()
    # the budget pays the four new leads from January at the lead's pay (no pay on the
    # roster for the lead: the ladder's M1 midpoint, 70,000): 4 x 70,000 / 12 = 23,333.33
    volume = pd.DataFrame(
        {
            "month": pd.date_range("2027-01-01", periods=3, freq="MS"),
            "channel": "email",
            "contacts": 1000.0,
            "deflected": 0.0,
            "gross_fte": 0.0,
        }
    )
    budget = build_budget(plan, scenario, volume, organisation.roster, result)
    line = budget.lines[budget.lines["line"] == "Base pay: new leads, managers and support roles"]
    assert line["amount"].iat[0] == pytest.approx(4 * 70_000 / 12, abs=0.01)
    off = scenario.model_copy(
        update={"org": scenario.org.model_copy(update={"budget_span_roles": False})}
    )
    assert build_budget(plan, off, volume, organisation.roster, result).total < budget.total


def test_succession_ranks_ready_people_first():
    rows = [
        person("M", "Support Manager", "M2", ""),
        person("L", "Team Lead", "M1", "M", team="A"),
        # senior agents (L2, 24 months typical): 30 months -> ready now; 14 -> within a year
        person("S1", "Senior Support Agent", "L2", "L", team="A", start="2024-05-23"),
        person("S2", "Senior Support Agent", "L2", "L", team="A", start="2025-09-23"),
        person("S3", "Senior Support Agent", "L2", "L", team="A", start="2026-09-23"),
    ]
    bench, candidates = org.succession(people_of(rows), LADDER, TODAY)
    lead = bench.set_index("employee_id").loc["L"]
    assert lead["candidates"] == 3 and lead["ready_now"] == 1 and lead["bench"] == "thin"
    assert lead["successors"].startswith("Person S1 (now), Person S2 (within a year)")
    assert candidates.loc[candidates["employee_id"] == "S1", "readiness"].iat[0] == pytest.approx(
        30 / 24, abs=0.01
    )


def test_csv_round_trip_keeps_every_value():
    people = org.read_people(ROOT / "sample_data" / "org_roster.csv")
    again = org.read_people(io.StringIO(org.to_csv(people)))
    pd.testing.assert_frame_equal(people, again)
    ladder = org.read_ladder(ROOT / "sample_data" / "career_ladder.csv")
    pd.testing.assert_frame_equal(ladder, org.read_ladder(io.StringIO(org.to_csv(ladder))))


def test_an_empty_date_cell_is_no_date():
    people = org.normalise_people(
        pd.DataFrame({"employee_id": ["1", "2"], "title": ["Agent", "Agent"],
                      "start_date": [pd.NaT, pd.Timestamp("2024-03-01")]})
    )  # fmt: skip
    assert people["start_date"].tolist() == [None, dt.date(2024, 3, 1)]


def test_hris_headers_are_understood_and_missing_ones_named():
    text = "Employee ID,Full_Name,Job Title,Reports To,Hire_Date\n1,Ana,Team Lead,,2024-01-02\n"
    people = org.read_people(io.StringIO(text), "hris.csv")
    assert people.loc[0, "title"] == "Team Lead" and people.loc[0, "start_date"] == dt.date(
        2024, 1, 2
    )
    with pytest.raises(PlannerError, match=r"hris\.csv needs an 'employee_id' column"):
        org.read_people(io.StringIO("name,title\nAna,Lead\n"), "hris.csv")


def test_a_name_with_markup_is_escaped_in_the_chart():
    rows = team(8)
    rows[3]["name"] = "<img src=x onerror=alert(1)>"
    rows[1]["name"] = 'Lead "quoted" & <b>bold</b>'
    dot = org.chart.chart_dot(people_of(rows), OrgSettings())
    assert "<img" not in dot and "&lt;img src=x onerror=alert(1)&gt;" in dot
    assert "<b>bold" not in dot and "&quot;quoted&quot; &amp; &lt;b&gt;" in dot


def test_chart_marks_open_roles_and_breaches_and_collapses():
    rows = [*team(16), person("O", "Support Agent I", "L1", "L", status="open requisition")]
    people = people_of(rows)
    dot = org.chart.chart_dot(people, OrgSettings())
    assert 'STYLE="dashed"' in dot and "Open requisition: Support Agent I" in dot
    assert "Span 17: above the maximum 15" in dot
    folded = org.chart.chart_dot(people, OrgSettings(), collapse=["T"])
    assert "16 × Support Agent I" in folded and "Person A3" not in folded
    assert "1 open: Support Agent I" in folded


def test_more_than_four_team_cards_are_drawn_left_to_right():
    small, large = sample.make_large_org(40), sample.make_large_org(60)  # 4 and 6 teams
    assert small["team"].nunique() - 1 == 4 and large["team"].nunique() - 1 == 6
    assert not org.chart.left_to_right(small) and "rankdir=TB" in org.chart.chart_dot(
        small, OrgSettings()
    )
    assert org.chart.left_to_right(large) and "rankdir=LR" in org.chart.chart_dot(
        large, OrgSettings()
    )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 30), min_size=1, max_size=40),
    st.lists(st.sampled_from(["Support Agent I", "Team Lead", "Support Manager", "QA"]),
             min_size=40, max_size=40),
    st.text(max_size=12),
)  # fmt: skip
def test_any_table_validates_and_draws_without_raising(managers, titles, name):
    rows = [
        {
            "employee_id": f"E{i}",
            "name": name,
            "title": titles[i],
            "manager_id": f"E{m}" if m != i and m < len(managers) + 2 else "",
        }
        for i, m in enumerate(managers)
    ]
    people = org.normalise_people(pd.DataFrame(rows))
    found = org.validate(people, LADDER, OrgSettings())
    assert set(found["severity"]) <= {"error", "warning"}
    dot = org.chart.chart_dot(people, OrgSettings())
    assert dot.count("<TABLE") == dot.count("</TABLE>")
    # Every "<" left once the chart's own tags and label brackets are taken out would be
    # the user's text read as markup.
    markup = re.sub(r"</?(TABLE|TR|TD|B|BR|FONT|I)\b[^<>]*>", "", dot)
    assert "<" not in re.sub(r"label=<", "", markup)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(0, 40), min_size=1, max_size=5),
    st.lists(st.floats(0, 0.6), min_size=5, max_size=5),
    st.floats(0, 0.9),
    st.lists(st.floats(0, 200), min_size=6, max_size=6),
)
def test_projection_keeps_the_headcount_and_never_goes_negative(start, rates, attrition, total):
    levels = [f"L{i + 1}" for i in range(len(start))]
    ladder = org.normalise_ladder(
        pd.DataFrame(
            {
                "track": "IC",
                "level": levels,
                "title": levels,
                "band_mid": 1000.0 * (1 + np.arange(len(levels))),
                "promotion_rate_per_year": rates[: len(levels)],
            }
        )
    )
    rows = [
        person(f"{lv}-{k}", "Support Agent", lv, "")
        for lv, count in zip(levels, start, strict=True)
        for k in range(count)
    ]
    people = people_of(rows) if rows else people_of([person("x", "Team Lead", "M1", "")])
    months = pd.date_range("2027-01-01", periods=6, freq="MS")
    result = org.project_ladder(ladder, people, months, attrition, total=np.array(total))
    if result is None:
        assert sum(start) == 0 and not any(total)
        return
    mix = result.levels.pivot(index="month", columns="level", values="people")
    assert (mix.to_numpy() >= -1e-9).all()
    sums = mix.sum(axis=1).to_numpy()
    assert (sums >= np.array(total) - 1e-6).all()  # hires top the track up to the target
    assert (result.cost_effect >= -1e-6).all()  # promotions only move people up in pay


@settings(max_examples=40, deadline=None)
@given(st.floats(0, 5000), st.floats(0, 5000))
def test_more_agents_never_need_fewer_roles(a, b):
    low, high = sorted((a, b))
    rules = OrgSettings()
    need_low, need_high = org.required_roles(low, rules), org.required_roles(high, rules)
    assert all(need_high[r][0] >= need_low[r][0] for r in need_low)


def test_span_chart_gives_leaders_with_the_same_name_a_bar_each():
    people = sample.make_large_org(200)  # names repeat: two team leads are called Ana Nguyen
    table = org.spans(people, OrgSettings())
    leaders = table[table["role"].isin(["lead", "manager", "director"])]
    assert len(leaders) == 24 and leaders["name"].duplicated().any()
    names = charts.span_distribution(table).data["who"]
    assert names.is_unique and len(names) == 24
    assert "Ana Nguyen · Team Lead (E00131)" in set(names)


def test_span_chart_of_a_large_org_counts_leaders_by_span():
    people = sample.make_large_org(400)
    table = org.spans(people, OrgSettings())
    chart = charts.span_distribution(table)
    counts = chart.data
    leads = table[table["role"] == "lead"]
    assert counts["leaders"].sum() == table["role"].isin(["lead", "manager", "director"]).sum()
    by_span = counts[counts["leader"] == "Team leads"].set_index("counted")["leaders"]
    assert by_span.to_dict() == leads["counted"].value_counts().to_dict()


def test_spans_apply_site_by_site():
    # 24 agents over two sites weighted equally: 12 each; at 1:10 each needs 2 leads (4 in
    # all, where 24 in one place would need 3) and a manager (7 leads each). 10 agents over
    # three equal sites: 4, 3, 3 (whole people, largest remainder first).
    from planner.org import site_teams

    teams = site_teams(24, {"Lisbon": 11.2, "Manila": 11.2},
                       OrgSettings(agents_per_lead=10, leads_per_manager=7))  # fmt: skip
    assert teams.to_dict("list") == {
        "site": ["Lisbon", "Manila"],
        "agents": [12, 12],
        "leads": [2, 2],
        "managers": [1, 1],
    }
    thirds = site_teams(10, {"a": 1.0, "b": 1.0, "c": 1.0}, OrgSettings())
    assert thirds["agents"].tolist() == [4, 3, 3]
