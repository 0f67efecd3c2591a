"""An upload is read once per content: a rerun, a second browser session with the same
export, or a mapping chosen again takes the counts already made."""

from planner_ui import state
from tests.app.conftest import SAMPLE
from tests.conftest import DATA


def test_a_file_is_read_once_per_content_options_and_name(tmp_path, monkeypatch):
    reads = []

    def counted(*args, **kwargs):
        reads.append(args[0])
        return real(*args, **kwargs)

    real = state.read_daily
    monkeypatch.setattr(state, "read_daily", counted)
    monkeypatch.setattr(state, "_READS", state.Recent(state.READS_KEPT))
    one, other = tmp_path / "one.upload", tmp_path / "other.upload"  # two sessions' copies
    for path in (one, other):
        path.write_bytes((DATA / "zendesk.csv").read_bytes())
    zone = SAMPLE.time_zone

    first = state.read_file(one, state.ReadOptions(), zone, "zendesk.csv", None)
    assert state.read_file(other, state.ReadOptions(), zone, "zendesk.csv", None) is first
    assert len(reads) == 1
    day_first = state.ReadOptions(date_order="day_first")
    state.read_file(one, day_first, zone, "zendesk.csv", None)
    assert len(reads) == 2  # other options: read again
    assert state.read_file(one, state.ReadOptions(), zone, "zendesk.csv", None) is first
    assert len(reads) == 2  # the first options again: no read
    other.write_bytes(one.read_bytes().replace(b"Tier 1", b"Tier 9"))
    changed = state.read_file(other, state.ReadOptions(), zone, "zendesk.csv", None)
    assert len(reads) == 3 and changed is not first  # new content: read
    assert first[1].total_tickets == changed[1].total_tickets == first[0].tickets
