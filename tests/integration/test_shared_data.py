"""Real public data (../shared/data): call records rebuilt from a bank's 5-minute counts.

The bank data (fpp2 `calls`, Weinberg et al. 2007) gives calls per 5-minute interval on 164
weekdays from Monday 3 March 2003. One record per call is written, as a telephony export
would, and ingest must give back every call per day.
"""

import datetime as dt

import duckdb
import pytest

from planner.ingest import read_tickets
from planner.volume import aggregate
from tests.conftest import SHARED_DATA

CALLS = SHARED_DATA / "bank-calls-5min" / "calls.csv"
DAYS = 20


@pytest.fixture(scope="module")
def call_records(tmp_path_factory):
    if not CALLS.exists():
        pytest.fail(f"{CALLS} is missing: the shared data folder must sit beside the repo")
    out = tmp_path_factory.mktemp("bank") / "calls.csv"
    duckdb.sql(
        f"""COPY (
            SELECT 'C' || row_number() OVER () AS call_id,
                   strftime(DATE '2003-03-03' + (((day - 1) // 5) * 7 + (day - 1) % 5)::INTEGER
                            + interval_start::TIME + to_seconds((n * 7) % 300), '%Y-%m-%d %H:%M:%S')
                       AS created_at,
                   'phone' AS channel
            FROM read_csv('{CALLS}'), range(calls) AS r(n)
            WHERE day <= {DAYS}
        ) TO '{out}' (HEADER)"""
    )
    expected = duckdb.sql(
        f"SELECT day, sum(calls) FROM read_csv('{CALLS}') WHERE day <= {DAYS} "
        "GROUP BY day ORDER BY day"
    ).fetchall()
    return out, [total for _, total in expected]


def test_bank_call_records_are_counted_exactly(call_records):
    path, expected = call_records
    result = read_tickets(
        path, source_time_zone="America/New_York", now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    assert result.report.preset == "generic"
    assert result.report.problems == [] or all(p.severity == "info" for p in result.report.problems)
    daily = aggregate(result, "D", "America/New_York").series("phone")
    weekdays = daily[daily.index.day_of_week < 5]
    assert weekdays.tolist() == expected
    assert result.report.tickets == sum(expected)
    assert 25_000 < sum(expected) / DAYS < 40_000  # a large bank's weekday call volume
    intraday = aggregate(result, "15min", "America/New_York").series("phone")
    assert intraday[intraday > 0].index.min().time() == dt.time(7, 0)
