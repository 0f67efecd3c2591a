import datetime as dt
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
SHARED_DATA = ROOT.parent / "shared" / "data"
# Tests that check "future" dates use a fixed clock so they never age.
NOW = dt.datetime(2026, 11, 22, tzinfo=dt.UTC)


@pytest.fixture
def data() -> Path:
    return DATA


@pytest.fixture(autouse=True)
def scenario_store(monkeypatch, tmp_path) -> Path:
    """Saved scenarios of a test go to its own SQLite file, never the user's."""
    path = tmp_path / "planner.db"
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("PLANNER_DB", str(path))
    return path
