"""Quoting for the SQL that ingest and aggregation build from user-supplied names."""

from __future__ import annotations


def ident(name: str) -> str:
    """A column name as a quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def sql_text(text: str) -> str:
    """Text for use inside a single-quoted SQL literal."""
    return text.replace("'", "''")
