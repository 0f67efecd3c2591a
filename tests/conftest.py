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
