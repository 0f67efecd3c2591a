"""A tickets frame (the columns ``aggregate`` reads) as a director uploads it: written as a
CSV export, read through the ingest, and kept in a store."""

from pathlib import Path

import pandas as pd

from planner import store
from planner.ingest import read_tickets
from planner.scenario import Scenario
from planner.volume import VolumeHistory, aggregate
from tests.conftest import NOW


def through_csv(frame: pd.DataFrame, column: str, header: str, folder: Path) -> VolumeHistory:
    """The daily history of ``frame`` exported with its ``column`` under ``header`` (beside
    the id, creation time and channel) and read back as an upload."""
    export = pd.DataFrame(
        {
            "Ticket ID": frame["ticket_id"],
            "Created": frame["created_at"].dt.strftime("%Y-%m-%d %H:%M"),
            "Channel": frame["channel"],
            header: frame[column],
        }
    )
    export.to_csv(folder / "tickets.csv", index=False)
    return aggregate(read_tickets(folder / "tickets.csv", now=NOW), "D", "UTC")


def stored(history: VolumeHistory, folder: Path) -> VolumeHistory:
    """``history`` saved with a scenario in a store in ``folder`` and loaded again."""
    saved = store.connect(f"sqlite:///{folder / 'planner.db'}")
    saved.save(Scenario(), parent=None, author="test", history=history)
    return saved.load(Scenario().name).history
