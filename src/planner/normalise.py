"""SQL that turns an export's text cells into normalised ticket columns.

Every expression reads text (all columns arrive as VARCHAR) and yields a typed value, or NULL
when the cell cannot be read; the staging table flags failed optional cells, and the
report can quote them from the source.
"""

from __future__ import annotations

import pandas as pd

from planner import presets as P
from planner import timestamps
from planner.sniff import SourceFile


def staging_select(
    used: dict[str, str],
    formats: dict[str, timestamps.DateFormat],
    src: SourceFile,
    sample: pd.DataFrame,
    merged: list[str],
) -> str:
    """One SELECT that normalises every mapped column and flags cells that failed to parse."""
    col = {f: ident(c) for f, c in used.items()}
    parts = [f"NULLIF(TRIM({col['ticket_id']}), '') AS ticket_id"]
    created = timestamps.sql_expression(col["created_at"], formats["created_at"])
    parts.append(f"{created} AS created_at")
    parts.append(
        f"{_channel_sql(col['channel'])} AS channel" if "channel" in col else "'all' AS channel"
    )
    parts.append(
        f"COALESCE(NULLIF(TRIM({col['queue']}), ''), 'unassigned') AS queue"
        if "queue" in col
        else "'all' AS queue"
    )
    parts.append(
        f"COALESCE(LOWER(NULLIF(TRIM({col['priority']}), '')), 'unspecified') AS priority"
        if "priority" in col
        else "'unspecified' AS priority"
    )
    if "solved_at" in formats:
        solved = timestamps.sql_expression(col["solved_at"], formats["solved_at"])
        parts += [
            f"{solved} AS solved_at",
            f"{_unreadable(solved, col['solved_at'])} AS solved_bad",
        ]
    else:
        parts += ["NULL::TIMESTAMPTZ AS solved_at", "false AS solved_bad"]
    for field_name in ("handle_minutes", "first_reply_minutes"):
        if field_name in col:
            minutes = _minutes_sql(col[field_name], used[field_name], src.decimal_comma)
            parts += [
                f"{minutes} AS {field_name}",
                f"{_unreadable(minutes, col[field_name])} AS {field_name}_bad",
            ]
        else:
            parts += [f"NULL::DOUBLE AS {field_name}", f"false AS {field_name}_bad"]
    if "csat" in col:
        parts.append(f"{_csat_sql(col['csat'], sample[used['csat']], src.decimal_comma)} AS csat")
    else:
        parts.append("NULL::DOUBLE AS csat")
    parts.append(
        f"NULLIF(TRIM({col['tier']}), '') AS tier" if "tier" in col else "NULL::VARCHAR AS tier"
    )
    flags = " OR ".join(_merged_sql(ident(c), c) for c in merged) or "false"
    parts.append(f"({flags}) AS merged")
    return ",\n".join(parts)


def _unreadable(parsed: str, column: str) -> str:
    """True where a non-blank cell did not parse (blank optional cells are simply missing)."""
    return f"({parsed} IS NULL AND NULLIF(TRIM({column}), '') IS NOT NULL)"


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
    text = f"REPLACE(TRIM({column}), ',', '.')" if decimal_comma else f"TRIM({column})"
    return f"TRY_CAST({text} AS DOUBLE)"


def _minutes_sql(column: str, header: str, decimal_comma: bool) -> str:
    """Durations in minutes: HH:MM:SS text (Freshdesk) or a number in the header's unit."""
    factor = {"seconds": 1 / 60, "hours": 60.0, "minutes": 1.0}[P.duration_unit(header)]
    clock = f"EPOCH(TRY_CAST(TRIM({column}) AS INTERVAL)) / 60.0"
    number = _number_sql(column, decimal_comma)
    return f"CASE WHEN CONTAINS({column}, ':') THEN {clock} ELSE {number} * {factor} END"


def _csat_sql(column: str, sample: pd.Series, decimal_comma: bool) -> str:
    """CSAT as a satisfied flag: Good/Bad words, or numbers on the file's own scale.

    Numeric scores use top-two-box (4-5 of 5, 9-10 of 10), the usual CSAT definition;
    a 0-1 column is taken as it is and 0-100 is divided by 100.
    """
    numbers = pd.to_numeric(
        sample.dropna().astype(str).str.replace(",", "." if decimal_comma else ",", regex=False),
        errors="coerce",
    ).dropna()
    top = numbers.max() if len(numbers) else 1.0
    number = _number_sql(column, decimal_comma)
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
    """Merged or deleted tickets: a tag (Zendesk closed_by_merge), a flag, or a master id."""
    key = P.header_key(header)
    if key == "tags":
        tags = ", ".join(repr(t) for p in P.PRESETS.values() for t in p.merged_tags)
        return f"COALESCE(LIST_HAS_ANY(STRING_SPLIT(LOWER({column}), ' '), [{tags}]), false)"
    if key == "masterrecordid":
        return f"COALESCE(NULLIF(TRIM({column}), '') IS NOT NULL, false)"
    return (
        f"COALESCE(LOWER(TRIM({column})) IN ('true', '1', 'yes', 'y', 'merged', 'deleted'), false)"
    )


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def sql_text(text: str) -> str:
    return text.replace("'", "''")
