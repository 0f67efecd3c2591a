"""Date layouts and DST hours, against hand-worked calendar facts."""

import datetime as dt

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.timestamps import DateFormat, DstHour, detect, dst_hours, sql_expression


def test_new_york_2024_skips_two_oclock_in_march_and_repeats_one_oclock_in_november():
    # US rule (Energy Policy Act 2005): second Sunday of March at 02:00 forward, first
    # Sunday of November at 02:00 back. In 2024 those Sundays were 10 March and 3 November.
    hours = dst_hours("America/New_York", dt.datetime(2024, 1, 1), dt.datetime(2024, 12, 31))
    assert hours == [
        DstHour(dt.datetime(2024, 3, 10, 2), dt.datetime(2024, 3, 10, 3), clocks_back=False),
        DstHour(dt.datetime(2024, 11, 3, 1), dt.datetime(2024, 11, 3, 2), clocks_back=True),
    ]


def test_lord_howe_moves_by_half_an_hour_and_kolkata_never_moves():
    # Lord Howe Island: UTC+11 in summer, +10:30 in winter; back at 02:00 on the first
    # Sunday of April (7 April 2024), forward at 02:00 on the first Sunday of October.
    hours = dst_hours("Australia/Lord_Howe", dt.datetime(2024, 1, 1), dt.datetime(2024, 12, 31))
    assert hours == [
        DstHour(dt.datetime(2024, 4, 7, 1, 30), dt.datetime(2024, 4, 7, 2), clocks_back=True),
        DstHour(dt.datetime(2024, 10, 6, 2), dt.datetime(2024, 10, 6, 2, 30), clocks_back=False),
    ]
    assert dst_hours("Asia/Kolkata", dt.datetime(2020, 1, 1), dt.datetime(2024, 1, 1)) == []


def test_only_hours_inside_the_range_are_returned():
    hours = dst_hours("Europe/Berlin", dt.datetime(2024, 6, 1), dt.datetime(2024, 10, 31))
    assert [h.start.date() for h in hours] == [dt.date(2024, 10, 27)]


def test_one_layout_is_chosen_for_the_whole_sample():
    assert detect(["2024-03-04 10:00:00", "2024-03-05 11:00:00"], False).kind == "iso"
    assert detect(["13/03/2024 10:00", "01/04/2024 10:00"], True).kind == "day_first"
    assert detect(["45355.5", "45356"], False).kind == "excel_serial"
    assert detect(["soon", "later", "2024-03-04"], False) is None
    assert detect(["2012/10/09 14:50:17", "2012/10/10 09:10:00"], False).kind == "named"
    assert detect(["01/Mar/24 9:15 AM", "13/Mar/24 3:30 PM"], False).formats[0] == "%d/%b/%y"
    assert detect(["Mar 12, 2024 3:22 PM"], False).formats[0] == "%b %d, %Y"


def test_zone_names_count_as_offsets_and_am_pm_does_not():
    zoned = detect(["2024-03-04 10:00:00 UTC", "2024-03-04T11:00 Europe/Berlin"], False)
    assert zoned.kind == "iso" and zoned.offsets
    twelve_hour = detect(["2024-03-04 10:00:00 PM", "2024-03-04 11:00:00 am"], False)
    assert twelve_hour.kind == "named" and not twelve_hour.offsets
    assert "%Y-%m-%d %I:%M:%S %p" in twelve_hour.formats
    assert not detect(["2024-03-04 10:00:00", "2024-03-04"], False).offsets


NAIVE_CELLS = st.one_of(
    *(
        st.text(alphabet="0123456789+-:zZ T.AMPUC/", min_size=len(shape), max_size=len(shape)).map(
            lambda cell, shape=shape: "".join(
                "-"
                if c == "-"
                else ":"
                if c == ":"
                else " "
                if c == " "
                else "T"
                if c == "T"
                else x
                for c, x in zip(shape, cell, strict=True)
            )
        )
        for shape in ("____-__-__ __:__:__", "____-__-__T__:__:__", "____-__-__")
    ),
    st.sampled_from(["2024-03-04 10:00:00", "2024-3-4 1:05+02:00", "2024-03-04T10:00Z"]),
)


@pytest.fixture(scope="module")
def new_york():
    """One DuckDB in New York time for every example (a connection takes about 30 ms)."""
    con = duckdb.connect()
    con.execute("SET TimeZone = 'America/New_York'")
    yield con
    con.close()


@settings(max_examples=300, deadline=None)
@given(cells=st.lists(NAIVE_CELLS, min_size=1, max_size=20))
def test_the_naive_layout_shortcut_never_changes_a_time(new_york, cells):
    # A cell in one of the fixed layouts has no room for an offset, so skipping the offset
    # search for it must give what the search would: compared with the expression without
    # the shortcut, on cells of those layouts with offset characters in every free place.
    con = new_york
    fmt = DateFormat("iso", "ISO 8601")
    zone = "America/New_York"
    with_offset = f"timezone('{zone}', TRY_CAST(v AS TIMESTAMPTZ))"
    searched = (
        f"CASE WHEN regexp_matches(right(v, 6), '[+-]|[^0-9\\s]\\s*$') THEN {with_offset} "
        "ELSE TRY_CAST(v AS TIMESTAMP) END"
    )
    fast = sql_expression("v", fmt, zone, zone)
    rows = con.execute(
        f"SELECT v, {fast}, {searched} FROM unnest(?::VARCHAR[]) t(v)", [cells]
    ).fetchall()
    assert all(a == b for _, a, b in rows), [r for r in rows if r[1] != r[2]]
