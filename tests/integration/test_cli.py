"""Command line: a scheduled forecast run writes per-channel rows with bounds."""

import gzip
import json

import pandas as pd
import pytest
from pptx import Presentation

from planner import store
from planner.__main__ import main
from planner.scenario import Scenario
from tests.conftest import ROOT

SAMPLE = ROOT / "sample_data" / "tickets_zendesk.csv.gz"


@pytest.fixture(scope="module")
def tickets(tmp_path_factory):
    """The sample's first ten weeks (it is sorted by creation time)."""
    path = tmp_path_factory.mktemp("cli") / "tickets.csv"
    with gzip.open(SAMPLE, "rt", encoding="utf-8") as source:
        lines = [line for _, line in zip(range(30_000), source, strict=False)]
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_forecast_writes_every_channel_with_bounds(tickets, tmp_path, capsys):
    out = tmp_path / "forecast.csv"
    code = main(["forecast", str(tickets), "--horizon", "14", "--freq", "D", "--out", str(out)])
    assert code == 0
    frame = pd.read_csv(out, parse_dates=["period"])
    assert set(frame["series"]) == {"chat", "email", "phone", "web_form"}
    assert frame.groupby("series").size().eq(14).all()
    assert (frame["lower"] <= frame["mean"]).all() and (frame["mean"] <= frame["upper"]).all()
    printed = capsys.readouterr().out
    assert "chat:" in printed and "MASE" in printed and f"wrote {out}" in printed


def test_a_scenario_applies_its_what_ifs(tickets, tmp_path):
    scenario = json.loads((ROOT / "sample_data" / "scenario_base.json").read_text())
    scenario["demand"]["deflection"] = [
        {"channel": "chat", "start": "2023-01-01", "share": 0.5, "ramp_months": 0}
    ]
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(scenario))
    out = tmp_path / "forecast.csv"
    assert (
        main(
            ["forecast", str(tickets), "--horizon", "7", "--scenario", str(path), "--out", str(out)]
        )
        == 0
    )
    frame = pd.read_csv(out)
    chat = frame[frame["series"] == "chat"]
    assert chat["mean"].to_numpy() == pytest.approx(chat["base_mean"].to_numpy() * 0.5)


def test_bad_input_gives_a_message_and_exit_code_2(tmp_path, capsys):
    assert main(["forecast", str(tmp_path / "missing.csv")]) == 2
    assert "does not exist" in capsys.readouterr().err
    bad = tmp_path / "scenario.json"
    bad.write_text('{"demand": {"growth_per_year": "lots"}}')
    assert main(["forecast", str(tmp_path / "x.csv"), "--scenario", str(bad)]) == 2
    assert "must be a number" in capsys.readouterr().err


def test_export_writes_the_workbook_deck_and_tables_of_a_saved_scenario(tmp_path, capsys):
    base = Scenario.from_json((ROOT / "sample_data" / "scenario_base.json").read_text())
    dearer = base.model_copy(
        update={
            "name": "Dearer",
            "costs": base.costs.model_copy(update={"overhead_per_month": 20_000}),
        }
    )
    store.connect().save(dearer, parent=None, author="Ana", note="more overhead")
    paths = [tmp_path / "plan.xlsx", tmp_path / "plan.pptx", tmp_path / "tables.zip"]
    base_file = str(ROOT / "sample_data" / "scenario_base.json")
    code = main(["export", "Dearer", "--base", base_file, "--xlsx", str(paths[0]),
                 "--pptx", str(paths[1]), "--csv", str(paths[2])])  # fmt: skip
    assert code == 0
    printed = capsys.readouterr().out
    for path in paths:
        assert path.stat().st_size > 10_000 and f"wrote {path}" in printed
    assert "The plan costs" in printed
    titles = [s.shapes[0].text_frame.text for s in Presentation(paths[1]).slides]
    assert titles[0] == "Dearer" and "What moved it against FY2027 base plan?" in titles


def test_export_of_an_unknown_scenario_says_so(tmp_path, capsys):
    assert main(["export", "Nope", "--xlsx", str(tmp_path / "x.xlsx")]) == 2
    assert "There is no saved scenario called 'Nope'" in capsys.readouterr().err
    assert not (tmp_path / "x.xlsx").exists()
    assert main(["export", "Nope"]) == 2
    assert "Say what to write" in capsys.readouterr().err


def test_export_reports_every_bad_path_and_version_in_one_line_and_leaves_no_files(
    tmp_path, capsys
):
    folder = tmp_path / "out"
    folder.mkdir()
    code = main(["export", "Nope", "--version", str(10**30), "--xlsx", str(folder),
                 "--csv", str(tmp_path / "missing" / "t.zip")])  # fmt: skip
    assert code == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and error.startswith("error: ")
    assert f"--version {10**30} is not a version number" in error
    assert f"--xlsx {folder} is a folder" in error
    assert f"the folder {tmp_path / 'missing'} does not exist" in error
    nested = tmp_path / "nested.json"
    nested.write_text("[" * 100_000 + "]" * 100_000)
    assert main(["export", str(nested), "--csv", str(folder / "t.zip")]) == 2
    error = capsys.readouterr().err
    assert "thousands deep" in error and error.count("\n") == 1
    assert list(folder.iterdir()) == []
