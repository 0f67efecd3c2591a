"""Date layouts and DST hours, against hand-worked calendar facts."""

import datetime as dt

from planner.timestamps import DstHour, detect, dst_hours


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
