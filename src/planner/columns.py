"""What an export's columns most likely mean, beyond their names: the unit of a duration,
columns that look like handle times but were not mapped, event logs, and the fields the
generic layout guessed. Every guess becomes a note in the report, so the user can check it.
"""

from __future__ import annotations

import re

import pandas as pd

from planner import presets as P
from planner.validation import Problem

UNIT_CHOICES = ("auto", "seconds", "minutes", "hours")
# Words in a header that name a length of time spent on a ticket.
DURATION_WORDS = re.compile(
    r"aht|handl|talk|duration|worked|spent|tracked|effort|\bwork|\bhold|wrap|acw|"
    r"\b(sec|secs|seconds|min|mins|minutes)\b",
    re.IGNORECASE,
)
# Headers of event logs: one row per status change or activity of a case.
EVENT_WORDS = {
    P.header_key(w)
    for w in (
        "activity", "activity_id", "activityid", "event", "event_type", "incident_state",
        "sys_updated_at", "sys_mod_count", "sub_status", "status_change", "lifecycle:transition",
        "concept:name", "incidentactivity_type", "incidentactivity_number", "change_type",
        "action", "operation",
    )
}  # fmt: skip
CLOCK = re.compile(r"^\d{1,3}:\d{2}(:\d{2})?$")


def numbers(values: pd.Series, decimal_comma: bool) -> pd.Series:
    """The cells that are plain numbers, as floats."""
    text = values.dropna().astype(str).str.strip()
    if decimal_comma:
        text = text.str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce").dropna()


def duration_unit(
    header: str, values: pd.Series, forced: str, decimal_comma: bool
) -> tuple[str, str]:
    """(unit, how it was decided) for a duration column.

    The user's choice wins; then a unit named in the header ("Handle time (min)"); then
    the size of the sample's numbers: handle times are minutes to an hour, so a median
    above 60 is read as seconds, below 0.5 as hours, anything between as minutes.
    HH:MM:SS cells are read as clock durations whatever the unit.
    """
    if forced != "auto":
        return forced, "as chosen in the reading options"
    named = P.duration_unit(header)
    if named is not None:
        return named, f"as its header '{header}' says"
    found = numbers(values, decimal_comma)
    found = found[found > 0]
    if found.empty:
        return "minutes", "by default (no numbers in the sample)"
    median = float(found.median())
    unit = "seconds" if median > 60 else "hours" if median < 0.5 else "minutes"
    return unit, f"from its values (the median is {median:,.4g}); the header names no unit"


def unit_note(header: str, unit: str, how: str) -> Problem:
    return Problem(
        "info",
        header,
        [],
        0,
        f"Handle times in '{header}' are read as {unit}, {how}.",
        "If that is wrong, choose the unit of handle times in the reading options.",
    )


def duration_candidates(
    headers: list[str], sample: pd.DataFrame, used: dict[str, str], decimal_comma: bool
) -> list[str]:
    """Unmapped columns whose name speaks of time spent and whose cells are numbers or
    HH:MM:SS: probably handle times the export calls something else."""
    taken = set(used.values())
    found = []
    for header in headers:
        if header in taken or not DURATION_WORDS.search(header.replace("_", " ")):
            continue
        values = sample[header].dropna().astype(str).str.strip()
        values = values[values != ""]
        if values.empty:
            continue
        readable = len(numbers(values, decimal_comma)) + values.str.match(CLOCK).sum()
        if readable >= 0.8 * len(values):
            found.append(header)
    return found


def suggestion_note(header: str, sample: pd.DataFrame) -> Problem:
    shown = ", ".join(sample[header].dropna().astype(str).head(3))
    return Problem(
        "info",
        header,
        [],
        0,
        f"Column '{header}' looks like a duration (e.g. {shown}) but is not used. If it is "
        "the time agents spent on each ticket, map it as Handle time: staffing then uses "
        "your handle times instead of the defaults.",
        "Choose it for Handle time in the column mapping.",
    )


def guessed_note(preset: P.Preset, used: dict[str, str]) -> Problem | None:
    """With the generic layout, the columns whose meaning was inferred from their names."""
    if preset is not P.GENERIC:
        return None
    described = "; ".join(
        f"{P.FIELD_LABELS[f].lower()} from '{c}'" for f, c in used.items() if f != "merged"
    )
    return Problem(
        "info",
        "",
        [],
        0,
        f"No helpdesk layout fits these headers, so their likely meaning was used: {described}.",
        "Check the column mapping; change any field that is read from the wrong column.",
    )


def has_event_columns(headers: list[str]) -> bool:
    """Whether a header names an activity, status change or event: a sign of an event log."""
    return any(P.header_key(h) in EVENT_WORDS for h in headers)


def header_row_note(line: int, title: str) -> Problem:
    shown = f" ({title!r})" if title else ""
    return Problem(
        "info",
        "",
        [],
        0,
        f"The header is on line {line:,}; the line(s) above it{shown} are a title, not "
        "tickets, and were skipped.",
        "Nothing to do, unless the header is elsewhere: then export without a report title.",
    )


def text_named_workbook_note(name: str, delimiter: str) -> Problem:
    shown = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "pipe"}.get(delimiter, delimiter)
    return Problem(
        "info",
        "",
        [],
        0,
        f"'{name}' is named like an Excel workbook but holds text; it was read as CSV "
        f"(cells separated by {shown}).",
        "Nothing to do if the tickets below look right.",
    )


def required_candidates(
    missing: list[str], headers: list[str], sample: pd.DataFrame, used: dict[str, str]
) -> dict[str, list[str]]:
    """For a missing ticket id or creation time, the unmapped columns that could be it:
    columns of dates for the creation time (the first is usually it; plain numbers count
    only as Excel day numbers of 1970-2100), columns whose values all differ for the id."""
    from planner import timestamps

    found: dict[str, list[str]] = {}
    free = [h for h in headers if h not in used.values()]
    dates = [h for h in free if _looks_like_dates(sample[h], timestamps)]
    if "created_at" in missing and dates:
        found["created_at"] = dates
    if "ticket_id" in missing:
        unique = []
        for header in free:
            values = sample[header].dropna().astype(str).str.strip()
            values = values[values != ""]
            if header not in dates and len(values) > 1 and values.is_unique:
                unique.append(header)
        if unique:
            found["ticket_id"] = unique
    return found


def _looks_like_dates(values: pd.Series, timestamps) -> bool:
    text = values.dropna().astype(str).head(200).tolist()
    found = timestamps.detect(text, False)
    if found is None:
        return False
    if found.kind != "excel_serial":
        return True
    days = numbers(values, False)
    return bool(len(days)) and 25_569 <= float(days.median()) <= 73_051  # 1970 to 2100
