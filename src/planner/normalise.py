"""SQL that turns an export's text cells into ticket columns.

Reading is split in two so that per-row work stays small (a million rows must read in well
under a second):

- ``staging_select`` runs once per row: ids, times and durations are parsed; categorical
  cells (channel, queue, priority, CSAT, tier, language) are kept as their raw text.
- ``category_maps`` gives, per categorical field, an expression over a column ``raw``. It
  runs once per *distinct* raw value, and its small result is joined back.

Times are stored as naive wall-clock TIMESTAMPs in one "stored" zone (the source zone, or
UTC when the file carries offsets). A cell that is not blank but cannot be read is kept as
a sentinel (``infinity`` for times, NaN for numbers) so the checks can count and quote it;
the tickets view turns it into a blank.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planner import presets as P
from planner import timestamps
from planner.sniff import SourceFile
from planner.sql import ident, sql_text

CATEGORIES = ("channel", "queue", "priority", "csat", "tier", "language")
# A category's text on one line: line breaks, tabs and other control characters become a
# space, so a name like "Billing\r=1+1" can never split a row of a CSV written from it.
ONE_LINE = "regexp_replace(raw, '[[:cntrl:]]+', ' ', 'g')"
BAD_TIME = "'infinity'::TIMESTAMP"
BAD_NUMBER = "'NaN'::DOUBLE"


def staging_select(
    used: dict[str, str],
    formats: dict[str, timestamps.DateFormat],
    src: SourceFile,
    merged: list[str],
    zones: tuple[str, str],
    units: dict[str, str] | None = None,
    empty_markers: tuple[str, ...] = (),
) -> str:
    """One SELECT list that reads every mapped column of a row.

    ``zones`` is (source zone, stored zone); ``units`` the unit of numeric durations by
    field (default: the header's unit, else minutes); cells equal to one of
    ``empty_markers`` (ServiceNow's "?") are read as empty.
    """
    source_zone, stored_zone = zones
    col = {f: _blank_markers(ident(c), empty_markers) for f, c in used.items()}
    created = timestamps.sql_expression(
        col["created_at"], formats["created_at"], source_zone, stored_zone
    )
    parts = [f"NULLIF(TRIM({col['ticket_id']}), '') AS ticket_id", f"{created} AS created_local"]
    if "solved_at" in formats:
        solved = timestamps.sql_expression(
            col["solved_at"], formats["solved_at"], source_zone, stored_zone
        )
        unreadable = _if_filled(col["solved_at"], BAD_TIME)
        parts.append(f"COALESCE({solved}, {unreadable}) AS solved_local")
    else:
        parts.append("NULL::TIMESTAMP AS solved_local")
    for field_name in ("handle_minutes", "first_reply_minutes"):
        if field_name in col:
            unit = (units or {}).get(field_name) or P.duration_unit(used[field_name])
            minutes = _minutes_sql(col[field_name], unit or "minutes", src.decimal_comma)
            parts.append(f"{minutes} AS {field_name}")
        else:
            parts.append(f"NULL::DOUBLE AS {field_name}")
    parts += [f"{col.get(f, 'NULL::VARCHAR')} AS {f}_raw" for f in CATEGORIES]
    flags = " OR ".join(_merged_sql(ident(c), c) for c in merged) or "false"
    parts.append(f"({flags}) AS merged")
    return ",\n".join(parts)


def category_maps(used: dict[str, str], sample: pd.DataFrame, decimal_comma: bool) -> dict:
    """Per categorical field, the SQL that turns its raw text (column ``raw``) into the
    normalised value; unmapped fields get their constant default."""
    channel = _channel_sql(ONE_LINE) if "channel" in used else "'all'"
    queue = f"COALESCE(NULLIF(TRIM({ONE_LINE}), ''), 'unassigned')" if "queue" in used else "'all'"
    priority = f"COALESCE(LOWER(NULLIF(TRIM({ONE_LINE}), '')), 'unspecified')"
    csat = _csat_sql("raw", sample[used["csat"]], decimal_comma) if "csat" in used else "NULL"
    return {
        "channel": channel,
        "queue": queue,
        "priority": priority,
        "csat": f"({csat})::DOUBLE",
        "tier": f"NULLIF(TRIM({ONE_LINE}), '')",
        "language": f"NULLIF(TRIM({ONE_LINE}), '')",
    }


def _blank_markers(column: str, markers: tuple[str, ...]) -> str:
    """The column with cells that mean "empty" read as NULL."""
    for marker in markers:
        column = f"NULLIF({column}, '{sql_text(marker)}')"
    return column


def _if_filled(column: str, value: str) -> str:
    """``value`` where the cell is not blank (blank optional cells are simply missing)."""
    return f"CASE WHEN NULLIF(TRIM({column}), '') IS NOT NULL THEN {value} END"


def _lookup_sql(value: str, table: dict[str, str], otherwise: str) -> str:
    """``CASE value WHEN 'a' THEN 'x' ...``: plain comparisons, which DuckDB runs far faster
    than IN-lists (each IN-list becomes a hash join)."""
    whens = " ".join(f"WHEN '{sql_text(k)}' THEN {v}" for k, v in table.items())
    return f"CASE {value} {whens} ELSE {otherwise} END"


def _channel_sql(column: str) -> str:
    """Helpdesk channel names ('Mail', 'Voice', 'Web Widget') mapped to Support Planner's."""
    value = f"LOWER(TRIM({column}))"
    table = {s: f"'{c}'" for c, synonyms in P.CHANNEL_SYNONYMS.items() for s in synonyms}
    fallback = f"COALESCE(NULLIF(REGEXP_REPLACE({value}, '[^a-z0-9]+', '_', 'g'), ''), 'unknown')"
    return _lookup_sql(value, table, fallback)


def _number_sql(column: str, decimal_comma: bool) -> str:
    """A number, or NULL; DuckDB's cast already ignores surrounding spaces."""
    text = f"REPLACE({column}, ',', '.')" if decimal_comma else column
    return f"TRY_CAST({text} AS DOUBLE)"


def _minutes_sql(column: str, unit: str, decimal_comma: bool) -> str:
    """Durations in minutes: a number in ``unit`` (seconds, minutes or hours), or HH:MM:SS
    text (Freshdesk).

    COALESCE only evaluates a later argument for rows still NULL, so a numeric column never
    pays for the clock parse.
    """
    factor = {"seconds": 1 / 60, "hours": 60.0, "minutes": 1.0}[unit]
    number = _number_sql(column, decimal_comma)
    clock = (
        f"CASE WHEN CONTAINS({column}, ':') "
        f"THEN EPOCH(TRY_CAST(TRIM({column}) AS INTERVAL)) / 60.0 END"
    )
    return f"COALESCE({number} * {factor}, {clock}, {_if_filled(column, BAD_NUMBER)})"


def _csat_sql(column: str, sample: pd.Series, decimal_comma: bool) -> str:
    """CSAT as a satisfied flag: Good/Bad words, or numbers on the file's own scale.

    Numeric scores use top-two-box (4-5 of 5, 9-10 of 10), the usual CSAT definition;
    a 0-1 column is taken as it is and 0-100 is divided by 100.
    """
    numbers = pd.to_numeric(
        sample.dropna().astype(str).str.replace(",", "." if decimal_comma else ",", regex=False),
        errors="coerce",
    ).dropna()
    numbers = numbers[np.isfinite(numbers)]  # 'NaN' or 'inf' is no score, and no scale
    top = numbers.max() if len(numbers) else 1.0
    raw = _number_sql(column, decimal_comma)
    number = f"(CASE WHEN isfinite({raw}) THEN {raw} END)"
    if top <= 1:
        scored = number
    elif top <= 5:
        scored = f"({number} >= 4)::DOUBLE"
    elif top <= 10:
        scored = f"({number} >= 9)::DOUBLE"
    else:
        scored = f"{number} / 100.0"
    words = {w: "1.0" for w in P.CSAT_GOOD} | {w: "0.0" for w in P.CSAT_BAD}
    return _lookup_sql(f"LOWER(TRIM({column}))", words, scored)


def merged_columns(
    preset: P.Preset, headers: list[str], used: dict[str, str], overrides: dict
) -> list[str]:
    """Every column flagging merged or deleted tickets: Salesforce uses two (IsDeleted and
    MasterRecordId). A user's own choice of column replaces the preset's."""
    if "merged" in overrides or "merged" not in used:
        return [used["merged"]] if "merged" in used else []
    candidates = {P.header_key(c) for c in preset.headers["merged"]}
    return [h for h in headers if P.header_key(h) in candidates]


def _merged_sql(column: str, header: str) -> str:
    """Merged or deleted tickets: a tag (Zendesk closed_by_merge), a flag, or a master id.

    Tags are split into a list only where the text contains a merge tag at all: most
    tickets are not merged, and splitting every row's tags is the costly part.
    """
    key = P.header_key(header)
    if key == "tags":
        tags = sorted({t for p in P.PRESETS.values() for t in p.merged_tags})
        lowered = f"LOWER({column})"
        maybe = " OR ".join(f"CONTAINS({lowered}, '{sql_text(t)}')" for t in tags)
        listed = ", ".join(f"'{sql_text(t)}'" for t in tags)
        return (
            f"COALESCE(CASE WHEN {maybe} "
            f"THEN LIST_HAS_ANY(STRING_SPLIT({lowered}, ' '), [{listed}]) END, false)"
        )
    if key == "masterrecordid":
        return f"COALESCE(NULLIF(TRIM({column}), '') IS NOT NULL, false)"
    flags = {w: "true" for w in ("true", "1", "yes", "y", "merged", "deleted")}
    return _lookup_sql(f"LOWER(TRIM({column}))", flags, "false")
