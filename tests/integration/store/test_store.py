"""planner.store on SQLite and on a real PostgreSQL server: versions are append-only, a
stale save is a clean conflict, restore saves a copy, a process killed mid-save loses
nothing."""

import os
import signal
import subprocess
import sys
import textwrap
import threading

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner import org, store
from planner.errors import SaveConflict, StoreError
from planner.ingest import read_tickets
from planner.scenario import Scenario
from planner.volume import aggregate
from tests.conftest import DATA, ROOT

SAMPLE = ROOT / "sample_data"


@pytest.fixture(scope="module")
def plan_inputs():
    scenario = Scenario.from_json((SAMPLE / "scenario_base.json").read_text())
    result = read_tickets(DATA / "zendesk.csv", source_time_zone=scenario.time_zone)
    history = aggregate(result, "D", scenario.time_zone)
    organisation = org.load(SAMPLE / "org_roster.csv", SAMPLE / "career_ladder.csv")
    return scenario, history, result.report, organisation


def with_growth(scenario: Scenario, growth: float) -> Scenario:
    demand = scenario.demand.model_copy(update={"growth_per_year": growth})
    return scenario.model_copy(update={"demand": demand})


def test_a_version_loads_back_exactly_as_saved(database, plan_inputs):
    scenario, history, report, organisation = plan_inputs
    saved = store.connect(database)
    number = saved.save(
        scenario, parent=None, author="Ana", note="Budget v1", history=history,
        report=report, organisation=organisation,
    )  # fmt: skip
    assert number == 1
    loaded = saved.load(scenario.name)
    assert loaded.version == 1 and loaded.author == "Ana" and loaded.note == "Budget v1"
    assert loaded.scenario == scenario
    assert loaded.history.fingerprint == history.fingerprint
    for part in ("counts", "handle_time", "profile"):
        assert getattr(loaded.history, part).equals(getattr(history, part))
    assert loaded.report == report
    assert loaded.organisation.people.equals(organisation.people)
    assert loaded.organisation.ladder.equals(organisation.ladder)
    assert loaded.saved_at.tzinfo is not None


def test_what_a_load_reads_is_parsed_once_by_its_content(database, plan_inputs):
    scenario, history, report, organisation = plan_inputs
    saved = store.connect(database)
    saved.save(scenario, parent=None, author="Ana", history=history, report=report,
               organisation=organisation)  # fmt: skip
    moved = org.Organisation(organisation.people.assign(team="Moved"), organisation.ladder)
    saved.save(with_growth(scenario, 0.2), parent=1, author="Ana", history=history,
               report=report, organisation=moved)  # fmt: skip
    first, again = saved.load(scenario.name, 1), store.connect(database).load(scenario.name, 1)
    assert again.organisation is first.organisation and again.history is first.history
    other = saved.load(scenario.name, 2)  # the same history, other people
    assert other.history is first.history
    assert other.organisation is not first.organisation
    assert other.organisation.people["team"].eq("Moved").all()


def test_saves_append_versions_and_never_overwrite(database, plan_inputs):
    scenario, history, report, _ = plan_inputs
    saved = store.connect(database)
    saved.save(scenario, parent=None, author="Ana", history=history, report=report)
    saved.save(with_growth(scenario, 0.30), parent=1, author="Ana", note="30% growth")
    saved.save(with_growth(scenario, 0.40), parent=2, author="Bo", note="40% growth")
    table = saved.versions(scenario.name)
    assert table["version"].tolist() == [3, 2, 1]
    assert table["author"].tolist() == ["Bo", "Ana", "Ana"]
    assert saved.load(scenario.name, 1).scenario == scenario
    assert saved.load(scenario.name, 2).scenario.demand.growth_per_year == 0.30
    assert saved.load(scenario.name).scenario.demand.growth_per_year == 0.40
    listed = saved.scenarios()
    assert listed[["name", "versions", "latest", "author"]].values.tolist() == [
        [scenario.name, 3, 3, "Bo"]
    ]
    with saved.engine.connect() as connection:  # one history row, shared by version 1 only
        assert (
            connection.execute(sa.select(sa.func.count()).select_from(store.histories)).scalar()
            == 1
        )


def test_a_stale_save_is_a_conflict_and_can_be_saved_on_top(database, plan_inputs):
    scenario = plan_inputs[0]
    first, second = store.connect(database), store.connect(database)  # two sessions
    first.save(scenario, parent=None, author="Ana")
    first.save(with_growth(scenario, 0.30), parent=1, author="Ana", note="mine")
    with pytest.raises(SaveConflict) as caught:
        second.save(with_growth(scenario, 0.50), parent=1, author="Bo", note="theirs")
    message = str(caught.value)
    assert caught.value.latest == 2
    assert "saved as version 2 by Ana" in message and "editing version 1" in message
    assert "save yours as version 3" in message
    assert second.latest(scenario.name) == 2  # nothing was written
    assert second.save(with_growth(scenario, 0.50), parent=2, author="Bo", note="theirs") == 3
    assert first.load(scenario.name, 2).scenario.demand.growth_per_year == 0.30
    assert first.load(scenario.name, 3).scenario.demand.growth_per_year == 0.50


def test_a_new_scenario_cannot_take_a_used_name(database, plan_inputs):
    scenario = plan_inputs[0]
    saved = store.connect(database)
    saved.save(scenario, parent=None, author="Ana")
    with pytest.raises(SaveConflict, match="already exists"):
        saved.save(scenario, parent=None, author="Bo")


def test_a_version_saved_before_the_fractions_were_renamed_still_opens(database, plan_inputs):
    # What an earlier Support Planner wrote: the same scenario under the version-1 names
    # ("growth_pct_per_year", ...). It opens as the scenario it was, and is not rewritten.
    scenario, *_ = plan_inputs
    grown = with_growth(scenario, 0.15)
    saved = store.connect(database)
    saved.save(grown, parent=None, author="Ana")
    old_text = grown.to_json()
    for new, old in (("growth_per_year", "growth_pct_per_year"),
                     ("merit_increase", "merit_increase_pct")):  # fmt: skip
        old_text = old_text.replace(f'"{new}"', f'"{old}"')
    old_text = old_text.replace('"schema_version": 2', '"schema_version": 1')
    assert "growth_pct_per_year" in old_text and "merit_increase_pct" in old_text
    with saved.engine.begin() as connection:
        connection.execute(store.versions.update().values(scenario=old_text))
    opened = saved.load(grown.name)
    assert opened.scenario == grown
    assert opened.scenario.demand.growth_per_year == 0.15
    with saved.engine.connect() as connection:
        kept = connection.execute(sa.select(store.versions.c.scenario)).scalar()
    assert kept == old_text  # opening a save never changes it


def test_restore_saves_the_old_version_as_a_new_one(database, plan_inputs):
    scenario, history, report, organisation = plan_inputs
    saved = store.connect(database)
    saved.save(scenario, parent=None, author="Ana", history=history, report=report,
               organisation=organisation)  # fmt: skip
    saved.save(with_growth(scenario, 0.9), parent=1, author="Ana")
    assert saved.restore(scenario.name, 1, author="Bo") == 3
    restored = saved.load(scenario.name)
    assert restored.version == 3 and restored.restored_from == 1
    assert restored.note == "Restored version 1" and restored.author == "Bo"
    assert restored.scenario == scenario
    assert restored.history.fingerprint == history.fingerprint
    assert restored.organisation.people.equals(organisation.people)
    assert saved.load(scenario.name, 2).scenario.demand.growth_per_year == 0.9  # still there


def test_duplicate_rename_and_delete(database, plan_inputs):
    scenario = plan_inputs[0]
    saved = store.connect(database)
    saved.save(scenario, parent=None, author="Ana")
    saved.save(with_growth(scenario, 0.25), parent=1, author="Ana")
    saved.duplicate(scenario.name, "Stretch", author="Bo")
    copy = saved.load("Stretch")
    assert copy.version == 1 and copy.scenario.name == "Stretch"
    assert copy.scenario.demand.growth_per_year == 0.25
    assert copy.note == f"Copy of '{scenario.name}' version 2"
    with pytest.raises(StoreError, match="already exists"):
        saved.rename("Stretch", scenario.name)
    saved.rename("Stretch", "Stretch goal")
    assert saved.load("Stretch goal").scenario.name == "Stretch goal"
    assert saved.scenarios()["name"].tolist() == [scenario.name, "Stretch goal"]
    saved.delete("Stretch goal")
    assert saved.scenarios()["name"].tolist() == [scenario.name]
    with pytest.raises(StoreError, match="no saved scenario called 'Stretch goal'"):
        saved.load("Stretch goal")
    with saved.engine.connect() as connection:  # soft: the rows are kept
        assert (
            connection.execute(sa.select(sa.func.count()).select_from(store.versions)).scalar() == 3
        )
    saved.duplicate(scenario.name, "Stretch goal", author="Bo")  # the name is free again
    assert saved.latest("Stretch goal") == 1


def test_a_process_killed_mid_save_leaves_the_previous_version(database, plan_inputs, tmp_path):
    scenario, history, report, organisation = plan_inputs
    saved = store.connect(database)
    saved.save(scenario, parent=None, author="Ana", history=history, report=report,
               organisation=organisation)  # fmt: skip
    child = tmp_path / "save_and_hang.py"
    child.write_text(
        textwrap.dedent(f"""
        import sys, time
        from planner import store
        from planner.scenario import Scenario

        def hang(self, connection, *args):
            original(self, connection, *args)
            print("inside the transaction", flush=True)
            time.sleep(120)

        original = store.Store._insert
        store.Store._insert = hang
        saved = store.connect({database!r})
        scenario = saved.load({scenario.name!r}).scenario
        changed = scenario.model_copy(update={{"horizon_months": 24}})
        saved.save(changed, parent=1, author="Crash", note="never committed")
    """)
    )
    process = subprocess.Popen(
        [sys.executable, str(child)], stdout=subprocess.PIPE, text=True, cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )  # fmt: skip
    try:
        assert process.stdout.readline().strip() == "inside the transaction"
        os.kill(process.pid, signal.SIGKILL)
    finally:
        process.wait(timeout=30)
    reopened = store.connect(database)
    assert reopened.latest(scenario.name) == 1
    survivor = reopened.load(scenario.name)
    assert survivor.scenario == scenario and survivor.history.fingerprint == history.fingerprint
    assert reopened.save(scenario, parent=1, author="Ana", note="after the crash") == 2


def test_a_database_from_a_newer_planner_is_refused(database):
    saved = store.connect(database)
    with saved.engine.begin() as connection:
        connection.execute(store.schema_version.update().values(version=99))
    saved.close()
    with pytest.raises(StoreError, match=r"newer Support Planner \(schema 99"):
        store.connect(database)


def test_a_second_connect_keeps_the_schema_and_data(database, plan_inputs):
    store.connect(database).save(plan_inputs[0], parent=None, author="Ana")
    again = store.connect(database)
    assert again.latest(plan_inputs[0].name) == 1
    with again.engine.connect() as connection:
        assert connection.execute(sa.select(store.schema_version.c.version)).scalars().all() == [
            len(store.MIGRATIONS)
        ]


def test_an_unreachable_server_is_a_clear_error():
    with pytest.raises(StoreError, match=r"127\.0\.0\.1:9/planner cannot be used.*DATABASE_URL"):
        store.connect("postgresql://someone:secret@127.0.0.1:9/planner")


def test_an_unwritable_folder_is_a_clear_error(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match="PLANNER_DB"):
        store.connect(f"sqlite:///{blocker / 'sub' / 'planner.db'}")


def test_empty_author_is_refused_before_anything_is_written(tmp_path, plan_inputs):
    saved = store.connect(f"sqlite:///{tmp_path / 'p.db'}")
    with pytest.raises(StoreError, match="Your name is empty"):
        saved.save(plan_inputs[0], parent=None, author="  ")
    assert saved.scenarios().empty


def test_where_the_store_lives(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("PLANNER_DB", str(tmp_path / "mine.db"))
    assert store.database_url() == f"sqlite:///{tmp_path / 'mine.db'}"
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db.internal/plans")
    assert store.database_url() == "postgresql+psycopg://u:p@db.internal/plans"
    assert store.connect.__doc__


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.tuples(st.integers(0, 3), st.floats(0, 1)), min_size=1, max_size=12))
def test_any_sequence_of_saves_keeps_every_accepted_version(tmp_path_factory, plan_inputs, steps):
    """Saves from any (possibly stale) parent: versions stay 1..n, each accepted save
    loads back as it was saved, each rejected one changed nothing."""
    scenario = plan_inputs[0]
    saved = store.connect(f"sqlite:///{tmp_path_factory.mktemp('prop') / 'p.db'}")
    saved.save(scenario, parent=None, author="Ana")
    kept = {1: scenario}
    for behind, growth in steps:
        parent = max(1, saved.latest(scenario.name) - behind)
        changed = with_growth(scenario, growth)
        try:
            number = saved.save(changed, parent=parent, author="Ana")
        except SaveConflict as exc:
            assert exc.latest == max(kept) and behind > 0
        else:
            assert number == max(kept) + 1
            kept[number] = changed
    assert sorted(saved.versions(scenario.name)["version"]) == list(range(1, max(kept) + 1))
    for number, expected in kept.items():
        assert saved.load(scenario.name, number).scenario == expected


def test_two_sessions_saving_at_once_lose_nothing(database, plan_inputs):
    """Threads save the same scenario from the same version and new scenarios with the
    same new history at once: one save per version wins, the others are conflicts, and
    every accepted version loads back."""
    scenario, history, report, _ = plan_inputs
    first = store.connect(database)
    first.save(scenario, parent=None, author="Ana")
    outcomes: list[object] = []

    def save(i: int) -> None:
        mine = store.connect(database)
        try:
            outcomes.append(mine.save(with_growth(scenario, i / 10), parent=1, author=f"P{i}",
                                      history=history, report=report))  # fmt: skip
        except SaveConflict as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=save, args=(i,)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(o for o in outcomes if isinstance(o, int)) == [2]
    assert sum(isinstance(o, SaveConflict) for o in outcomes) == 3
    assert first.latest(scenario.name) == 2
    assert first.load(scenario.name).history.fingerprint == history.fingerprint


def test_how_a_header_was_read_is_remembered_for_the_next_upload(database):
    saved = store.connect(database)
    headers = ["Ticket ID", "Erstellt", "Kanal"]
    assert saved.reading_for(headers) is None
    saved.remember_reading(headers, {"mapping": {"created_at": "Erstellt"}, "date_order": "auto"})
    saved.remember_reading(
        headers, {"mapping": {"created_at": "Erstellt"}, "date_order": "day_first"}
    )
    again = store.connect(database)
    assert again.reading_for(headers)["date_order"] == "day_first"
    assert again.reading_for(["Ticket ID", "Erstellt"]) is None  # another header


def test_a_first_version_database_gains_the_reading_choices_and_keeps_its_scenarios(
    database, plan_inputs
):
    saved = store.connect(database)
    saved.save(plan_inputs[0], parent=None, author="Ana")
    with saved.engine.begin() as connection:  # as the first schema left it
        store.reading_choices.drop(connection)
        connection.execute(store.schema_version.update().values(version=1))
    saved.close()
    upgraded = store.connect(database)
    assert upgraded.latest(plan_inputs[0].name) == 1
    upgraded.remember_reading(["a"], {"preset": "generic"})
    assert upgraded.reading_for(["a"]) == {"preset": "generic"}


def test_a_scenario_that_could_not_be_opened_again_is_not_saved(database, plan_inputs):
    scenario = plan_inputs[0]
    # a value set around the scenario's checks (model_copy does not validate): inf would
    # be written as null and the version could never be loaded
    broken = scenario.model_copy(
        update={"costs": scenario.costs.model_copy(update={"agent_base_pay": float("inf")})}
    )
    saved = store.connect(database)
    with pytest.raises(StoreError, match="Not saved: this scenario could not be opened again"):
        saved.save(broken, parent=None, author="Ana")
    assert saved.scenarios().empty
