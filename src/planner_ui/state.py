"""The few session-state keys the app uses, set and read in one place."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from planner.ingest import IngestReport
from planner.scenario import Scenario
from planner.volume import VolumeHistory

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_DIR = ROOT / "sample_data"
SAMPLE_TICKETS = SAMPLE_DIR / "tickets_zendesk.csv.gz"
SAMPLE_SCENARIO = SAMPLE_DIR / "scenario_base.json"

SCENARIO_KEY = "scenario"
HISTORY_KEY = "history"
UPLOADER_KEY = "uploader_generation"


@dataclass(frozen=True)
class LoadedHistory:
    """What the app keeps from a ticket file: the report and aggregates, never raw tickets."""

    report: IngestReport
    daily: VolumeHistory


def scenario() -> Scenario:
    if SCENARIO_KEY not in st.session_state:
        st.session_state[SCENARIO_KEY] = Scenario.from_json(SAMPLE_SCENARIO.read_text())
    return st.session_state[SCENARIO_KEY]


def history() -> LoadedHistory | None:
    return st.session_state.get(HISTORY_KEY)


def set_history(loaded: LoadedHistory) -> None:
    st.session_state[HISTORY_KEY] = loaded


def uploader_key() -> str:
    return f"uploader-{st.session_state.get(UPLOADER_KEY, 0)}"


def clear_uploader() -> None:
    """Forget the uploaded bytes (Streamlit keeps them in RAM) once they are ingested."""
    st.session_state[UPLOADER_KEY] = st.session_state.get(UPLOADER_KEY, 0) + 1
