"""The register lists every assumption; plans side by side say what each costs more."""

import pandas as pd
import pytest

from planner import review
from planner.scenario import Scenario
from tests.unit.small_plan import plans as runner
from tests.unit.small_plan import scenario


def test_the_register_lists_every_assumption_with_its_rationale_and_the_changes():
    base = scenario()
    other = scenario(demand={"growth_per_year": 0.2},
                     costs={"agent_base_pay": 52_000, "new_hire_base_pay": 45_000})  # fmt: skip
    table = review.register(other, base).set_index("assumption")
    assert "name" not in table.index and "schema_version" not in table.index
    assert table.loc["demand.growth_per_year", ["value", "base"]].tolist() == ["0.2", "0"]
    assert table.loc["costs.agent_base_pay", ["value", "base"]].tolist() == ["52,000", "50,000"]
    assert sorted(table.index[table["differs"]]) == [
        "costs.agent_base_pay",
        "demand.growth_per_year",
    ]
    phone = table.loc["service.channels.phone.aht_seconds"]
    assert phone["value"] == "300" and phone["rationale"] == "Average handle time per contact."
    assert table.loc["service.channels.phone.hours.weekdays", "value"] == "[0, 1, 2, 3, 4]"
    assert (table["rationale"] != "").all()  # every setting says why


def test_the_register_shows_a_channel_only_the_base_has():
    base = scenario()
    data = base.model_dump(mode="json")
    del data["service"]["channels"]["email"]
    table = review.register(Scenario.parse(data), base).set_index("assumption")
    email = table.loc["service.channels.email.response_hours"]
    assert email["value"] == "" and email["base"] == "24" and bool(email["differs"])
    assert not review.register(base)["differs"].any()


def test_side_by_side_puts_plans_in_columns_with_their_measures():
    run = runner()
    base, faster = scenario(), scenario(costs={"agent_base_pay": 60_000,
                                               "new_hire_base_pay": 45_000})  # fmt: skip
    results = {"Base": run.build(base), "Dearer": run.build(faster)}
    table = review.side_by_side(results).set_index("key")
    assert list(table.columns) == ["measure", "Base", "Dearer"]
    assert table.loc["budget", "Base"] == pytest.approx(results["Base"].budget.total)
    assert table.loc["budget", "Dearer"] > table.loc["budget", "Base"]
    contacts = results["Base"].budget.unit_economics().contacts
    assert table.loc["contacts", "Base"] == table.loc["contacts", "Dearer"] == contacts
    # the phone is open 08:00-20:00 on weekdays: the rest of its calls go unserved, and
    # cost per ticket is per handled one
    unserved = table.loc["unserved", "Base"]
    assert 0 < unserved < contacts
    assert table.loc["cost_per_ticket", "Base"] == pytest.approx(
        table.loc["budget", "Base"] / (contacts - unserved)
    )
    assert table.loc["sl_phone", "measure"] == (
        "Service level target, phone (share answered in 20 s)"
    )
    assert table.loc["sl_phone", "Base"] == 0.8
    assert "sl_email" not in table.index  # deferred work has no service-level target


def test_side_by_side_takeaway_says_how_much_more_each_plan_costs():
    table = pd.DataFrame(
        {"key": ["budget", "cost_per_ticket"], "measure": ["Annual budget", "Cost per ticket"],
         "Base": [1_000_000.0, 10.0], "Dearer": [1_100_000.0, 11.0], "Leaner": [950_000.0, 9.5]}
    )  # fmt: skip
    assert review.side_by_side_takeaway(table, "USD") == (
        "Against Base: Dearer costs 100,000 USD more (+10.0%; +1.00 a ticket); "
        "Leaner costs 50,000 USD less (-5.0%; -0.50 a ticket)."
    )
    assert review.side_by_side_takeaway(table[["key", "measure", "Base"]], "USD") == ""
