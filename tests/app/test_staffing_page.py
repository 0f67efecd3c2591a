"""AppTest: the Staffing & capacity page staffs the sample, answers a raised target with more
people, refuses a channel with no open days, and turns recommendations into hiring classes."""

from planner.scenario import Scenario, Source
from tests.app.conftest import SAMPLE, metric, open_page, shown


def test_sample_is_staffed_gross_and_net_with_a_takeaway_per_section():
    app = open_page("staffing")
    assert [h.value for h in app.header] == [
        "1. What service do we promise?",
        "2. How many agents does each interval need?",
        "3. What is one more agent worth?",
        "4. How do shifts cover the week?",
        "5. How many people does that take each month?",
        "6. Will we have them, and when must we hire?",
        "7. Take it with you",
    ]
    assert not app.error
    gross = float(metric(app, "Peak gross FTE needed"))
    net = float(metric(app, "Net FTE on queue at the peak"))
    assert 15 < net < gross < 60
    low, high = map(float, metric(app, "Gross FTE range (80%)").split("-"))
    assert low < gross < high
    infos = [i.value for i in app.info]
    assert any("agents answer" in i and "a year loaded" in i for i in infos)
    assert any("needs the most people" in i and "net on queue" in i for i in infos)
    assert any(i.startswith(("The team meets", "Over-staffed by")) or "Open " in i
               for i in infos)  # fmt: skip
    assert any("arrive outside its hours" in w.value for w in app.warning)
    assert len(app.get("vega_lite_chart")) + len(app.get("arrow_vega_lite_chart")) >= 4


def test_a_higher_service_level_needs_more_people_and_is_kept_in_the_scenario():
    app = open_page("staffing")
    before = float(metric(app, "Peak gross FTE needed"))
    app.selectbox(key="heatmap-channel").set_value("phone").run()
    app.number_input(key="phone-sl").set_value(95.0).run()
    assert not app.exception
    after = float(metric(app, "Peak gross FTE needed"))
    assert after > before
    assert app.session_state["scenario"].service.channels["phone"].service_level == 0.95


def test_a_channel_with_no_open_days_is_refused_with_the_fix():
    app = open_page("staffing")
    app.multiselect(key="email-days").set_value([]).run()
    assert not app.exception
    message = app.error[0].value
    assert message.startswith("Not applied until fixed")
    assert "open days must be numbers from 0 (Monday) to 6 (Sunday)" in message


def test_recommended_classes_join_the_hiring_plan():
    scenario = Scenario.parse(
        SAMPLE.model_dump()
        | {"workforce": {"starting_fte": 20, "annual_attrition": 0.4, "plan_to": "upper"}}
    )
    app = open_page("staffing", scenario)
    takeaway = next(i.value for i in app.info if i.value.startswith("You need"))
    assert "Open " in takeaway and "requisition" in takeaway
    classes = app.dataframe[-2].value
    assert classes["people"].sum() > 0
    app.button[0].click().run()
    assert not app.exception
    planned = app.session_state["scenario"].workforce.hiring_classes
    assert sum(c.people for c in planned) == classes["people"].sum()
    assert all(c.note.startswith("Recommended for") for c in planned)


def test_an_asa_target_replaces_the_service_level():
    app = open_page("staffing")
    app.selectbox(key="heatmap-channel").set_value("phone").run()
    app.selectbox(key="phone-target").set_value("asa").run()
    app.number_input(key="phone-asa").set_value(10.0).run()
    assert not app.exception and not app.error
    phone = app.session_state["scenario"].service.channels["phone"]
    assert (phone.service_level, phone.answer_seconds, phone.asa_seconds) == (None, None, 10.0)
    assert any("answer in" in i.value and "s on average" in i.value for i in app.info)


def test_a_patience_brings_an_abandonment_target_and_the_service_level_in_words():
    app = open_page("staffing")
    app.selectbox(key="heatmap-channel").set_value("phone").run()
    app.number_input(key="phone-patience").set_value(60.0).run()
    assert not app.exception and not app.error
    phone = app.session_state["scenario"].service.channels["phone"]
    assert (phone.patience_seconds, phone.max_abandonment, phone.short_abandon_seconds) == (
        60.0,
        0.05,
        None,
    )
    captions = [c.value for c in app.caption]
    assert any(
        "answered within 20 s ÷ all offered contacts (a caller who hangs up counts as missed)" in c
        for c in captions
    )
    assert any("hanging up (target at most 5%" in i.value for i in app.info)
    cliff = next(d.value for d in app.dataframe if "abandonment" in d.value.columns)
    assert cliff["abandonment"].between(0, 1).all()
    app.number_input(key="phone-abandon").set_value(2.0).run()
    app.selectbox(key="phone-sl-counts").set_value("short").run()
    app.number_input(key="phone-short").set_value(10.0).run()
    assert not app.exception and not app.error
    phone = app.session_state["scenario"].service.channels["phone"]
    assert (phone.max_abandonment, phone.short_abandon_seconds) == (0.02, 10.0)
    assert any("leaving out those who hang up within 10 s" in c.value for c in app.caption)


def test_shift_patterns_set_the_paid_hours_and_perfect_scheduling_is_the_floor():
    app = open_page("staffing")
    efficiency = float(metric(app, "Scheduling efficiency").rstrip("%")) / 100
    assert 0.6 < efficiency < 1.0
    assert any("the cheapest shifts pay" in i.value for i in app.info)
    peak = float(metric(app, "Peak gross FTE needed"))
    app.toggle(key="shift-perfect").set_value(True).run()
    assert not app.error
    assert float(metric(app, "Scheduling efficiency").rstrip("%")) == 100.0
    assert float(metric(app, "Peak gross FTE needed")) < peak  # drawn again, not stale
    assert [m.label for m in app.metric].count("Peak gross FTE needed") == 1
    app.toggle(key="shift-perfect").set_value(False).run()
    app.multiselect(key="shift-lengths").set_value([8.0]).run()
    assert not app.error
    rigid = float(metric(app, "Scheduling efficiency").rstrip("%")) / 100
    assert rigid < efficiency  # 8-hour days alone fit the peaks worse


def test_a_tier_above_tier_1_is_edited_staffed_and_shown_by_month():
    data = SAMPLE.model_dump(mode="json")
    data["service"]["tiers"] = [{"name": "Tier 2", "escalates_from": ["phone", "chat"],
                                 "share": 0.15, "delay_hours": 4}]  # fmt: skip
    app = open_page("staffing", Scenario.parse(data))
    assert not app.exception and not app.error
    editor = next(d.value for d in app.dataframe if "escalates_from" in d.value.columns)
    assert editor.loc[0, "name"] == "Tier 2" and editor.loc[0, "share"] == 15.0
    assert editor.loc[0, "escalates_from"] == "phone, chat"
    by_month = next(d.value for d in app.dataframe if "gross_fte_mean" in d.value.columns
                    and "channel" in d.value.columns)  # fmt: skip
    assert (by_month.loc[by_month["channel"] == "Tier 2", "gross_fte_mean"] > 0).all()
    assert "Tier 2" in app.selectbox(key="heatmap-channel").options
    app.selectbox(key="heatmap-channel").set_value("Tier 2").run()
    assert not app.exception
    assert any("Tier 2 is deferred work" in m.value for m in app.markdown)


def test_sites_show_follow_the_sun_and_fte_by_site():
    data = SAMPLE.model_dump(mode="json")
    every_day = [0, 1, 2, 3, 4, 5, 6]
    data["service"]["sites"] = [
        {"name": "Austin", "time_zone": "America/Chicago",
         "hours": {"open_hour": 7, "close_hour": 19, "weekdays": every_day}},
        {"name": "Lisbon", "time_zone": "Europe/Lisbon", "serves": ["email", "web_form"],
         "currency": "EUR", "exchange_rate": 1.08, "cost_per_hour": 9.0,
         "hours": {"open_hour": 9, "close_hour": 18, "weekdays": [0, 1, 2, 3, 4]}},
    ]  # fmt: skip
    app = open_page("staffing", Scenario.parse(data))
    assert not app.exception and not app.error
    editor = next(d.value for d in app.dataframe if "time_zone" in d.value.columns)
    assert editor["name"].tolist() == ["Austin", "Lisbon"]
    by_site = next(d.value for d in app.dataframe if "peak" in d.value.columns)
    assert by_site["site"].tolist() == ["Austin", "Lisbon"] and (by_site["gross"] > 0).all()
    assert (by_site["leads"] >= 1).all() and (by_site["agents"] >= by_site["peak"]).all()
    assert any("Hours of a queue's own hours no site covers" in c.value for c in app.caption)
    # Lisbon is the cheaper site: more of email and web forms there costs less
    budget = next(m for m in app.metric if m.label.startswith("Budget"))
    assert not budget.delta and metric(app, "Contacts served").endswith("%")
    app.slider(key="site-weight-Lisbon").set_value(5.0).run()
    assert not app.exception and not app.error
    moved = next(m for m in app.metric if m.label.startswith("Budget"))
    assert moved.delta.startswith("-")
    assert [s.share for s in app.session_state["scenario"].service.sites] == [1.0, 5.0]
    app.radio(key="site-routing").set_value("cheapest").run()
    assert app.slider(key="site-weight-Lisbon").disabled
    assert app.session_state["scenario"].service.routing == "cheapest"


def test_a_channel_split_by_language_is_staffed_per_language_and_sites_answer_theirs():
    data = SAMPLE.model_dump(mode="json")
    data["service"]["languages"] = [
        {"channel": "chat", "language": "English", "share": 0.8},
        {"channel": "chat", "language": "Spanish", "share": 0.2},
    ]
    data["service"]["sites"] = [
        {"name": "Austin", "time_zone": "America/Chicago", "languages": ["English"]},
        {"name": "Bogota", "time_zone": "America/Bogota", "languages": ["Spanish"]},
    ]
    app = open_page("staffing", Scenario.parse(data))
    assert not app.exception and not app.error
    editor = next(d.value for d in app.dataframe if "language" in d.value.columns)
    assert editor[["channel", "language", "share"]].values.tolist() == [
        ["chat", "English", 80.0], ["chat", "Spanish", 20.0]
    ]  # fmt: skip
    sites_grid = next(d.value for d in app.dataframe if "time_zone" in d.value.columns)
    assert sites_grid["languages"].tolist() == ["English", "Spanish"]
    queues = app.selectbox(key="heatmap-channel").options
    assert {"chat · English", "chat · Spanish"} <= set(queues) and "chat" not in queues
    by_month = next(d.value for d in app.dataframe if "gross_fte_mean" in d.value.columns
                    and "channel" in d.value.columns)  # fmt: skip
    assert (by_month.loc[by_month["channel"] == "chat · Spanish", "gross_fte_mean"] > 0).all()
    coverage = next(c.value for c in app.caption if c.value.startswith("The week from"))
    assert "chat · English 5 hours; chat · Spanish 0 hours" in coverage
    app.selectbox(key="heatmap-channel").set_value("chat · Spanish").run()
    assert not app.exception and not app.error


def test_a_measured_language_split_says_where_it_comes_from():
    data = SAMPLE.model_dump(mode="json")
    data["service"]["languages"] = [
        {"channel": "chat", "language": "en", "share": 0.7},
        {"channel": "chat", "language": "es", "share": 0.3},
    ]
    measured = Source(kind="measured", detail="chat: en 70.0%, es 30.0%, from 4,210 tickets")
    app = open_page("staffing", Scenario.parse(data).with_sources({"service.languages": measured}))
    assert not app.exception and not app.error
    said = [shown(c.value) for c in app.caption]
    assert any(c.startswith("The split: measured from your history: chat: en 70.0%") for c in said)
