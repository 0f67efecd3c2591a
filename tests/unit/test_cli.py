"""Command line: a scheduled forecast run writes per-channel rows with bounds."""

import gzip
import json

import pandas as pd
import pytest

from planner.__main__ import main
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
    bad.write_text('{"demand": {"growth_pct_per_year": "lots"}}')
    assert main(["forecast", str(tmp_path / "x.csv"), "--scenario", str(bad)]) == 2
    assert "must be a number" in capsys.readouterr().err
