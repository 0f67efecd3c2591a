"""The one-pass tally: hand-counted tables, exact quantiles from counts, and a result that
keeps its source only while it lives."""

from __future__ import annotations

import io

import duckdb
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner import tally
from planner.ingest import read_tickets
from planner.volume import weighted_quantiles
from tests.conftest import NOW

ROWS = """ticket_id,created_at,channel,queue,handle_minutes,solved_at
1,2024-03-04 09:01:00,email,A,10,2024-03-04 10:00:00
2,2024-03-04 09:14:59,email,A,10,2024-03-04 08:00:00
3,2024-03-04 09:15:00,email,B,4,
4,2024-03-04 09:20:00,chat,A,-1,
4,2024-03-04 09:20:00,chat,A,7,
,2024-03-04 09:21:00,chat,A,7,
5,2031-01-01 00:00:00,chat,A,7,
"""


def test_a_hand_counted_file_tallies_by_quarter_hour_status_and_value():
    result = read_tickets(io.BytesIO(ROWS.encode()), now=NOW)
    con = result.connection
    slots = con.execute(
        "SELECT strftime(slot, '%H:%M'), channel_raw, queue_raw, n FROM tally_slots "
        "WHERE status = 0 ORDER BY ALL"
    ).fetchall()
    # The repeated id 4 is tallied once (its first row): the tally after the checks.
    assert slots == [
        ("09:00", "email", "A", 2),
        ("09:15", "chat", "A", 1),
        ("09:15", "email", "B", 1),
    ]
    handle = con.execute(
        "SELECT channel_raw, handle_minutes, n FROM tally_handle WHERE status = 0 ORDER BY ALL"
    ).fetchall()
    assert handle == [("chat", -1.0, 1), ("email", 4.0, 1), ("email", 10.0, 2)]
    assert result.report.rows_read == 7
    assert result.report.excluded == {
        "no ticket id": 1, "future creation date": 1, "repeated ticket id": 1,
    }  # fmt: skip
    solved_early = [p for p in result.report.problems if "solved before" in p.message]
    assert [(p.rows, p.count) for p in solved_early] == [([3], 1)]


def test_statuses_are_counted_in_one_pass_over_any_rows():
    con = duckdb.connect()
    con.execute(
        """CREATE TABLE r AS SELECT * FROM (VALUES
            ('a', TIMESTAMP '2024-01-01 00:07', NULL::TIMESTAMP, 1.0, NULL::DOUBLE,
             'x', 'q', NULL, NULL, NULL, NULL, false),
            ('a', TIMESTAMP '2024-01-01 00:16', TIMESTAMP 'infinity', 2.0, 3.0,
             'x', 'q', NULL, NULL, NULL, NULL, true),
            ('a', TIMESTAMP '2024-01-01 00:31', NULL, NULL, NULL,
             'x', 'q', NULL, NULL, NULL, NULL, false))
        t(ticket_id, created_local, solved_local, handle_minutes, first_reply_minutes,
          channel_raw, queue_raw, priority_raw, csat_raw, tier_raw, language_raw, merged)"""
    )
    tally.tally(con, "r", "CASE WHEN merged THEN 5 ELSE 0 END")
    assert tally.counts(con) == {0: 2, 5: 1}
    flags = con.execute("SELECT status, flags, n FROM tally_values ORDER BY 1").fetchall()
    assert flags == [(0, 0, 2), (5, tally.SOLVED_UNREADABLE, 1)]
    slots = con.execute("SELECT strftime(slot, '%H:%M'), n FROM tally_slots ORDER BY 1").fetchall()
    assert slots == [("00:00", 1), ("00:15", 1), ("00:30", 1)]
    # 'a' is kept twice: a repeated id; its merged row is no kept ticket.
    assert con.execute("SELECT status, n FROM tally_ids").fetchall() == [(0, 2)]


def test_a_result_keeps_its_source_until_closed_and_reads_tickets_again():
    result = read_tickets(io.BytesIO(ROWS.encode()), now=NOW)
    assert result.workdir.exists()
    assert result.tickets["ticket_id"].tolist() == ["1", "2", "3", "4"]
    result.close()
    assert not result.workdir.exists()
    with pytest.raises(duckdb.Error):
        result.connection.execute("SELECT 1")


def test_weighted_quantiles_match_a_hand_calculation():
    # 1, 1, 1, 3: the median sits at position 1.5 -> 1; p90 at 2.7 -> 1 + 0.7 * 2 = 2.4.
    assert weighted_quantiles(np.array([3.0, 1.0]), np.array([1, 3]), (0.5, 0.9)) == (
        pytest.approx([1.0, 2.4])
    )
    assert np.isnan(weighted_quantiles(np.array([]), np.array([], int), (0.5,))[0])


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(-1e6, 1e6, allow_nan=False), st.integers(1, 20)),
        min_size=1,
        max_size=30,
    ),
    st.lists(st.floats(0, 1), min_size=1, max_size=4),
)
def test_weighted_quantiles_equal_numpy_on_the_values_repeated(pairs, quantiles):
    values = np.array([v for v, _ in pairs])
    counts = np.array([c for _, c in pairs])
    expected = np.quantile(np.repeat(values, counts), quantiles)
    found = weighted_quantiles(values, counts, tuple(quantiles))
    assert found == pytest.approx(expected, rel=1e-9, abs=1e-6)
