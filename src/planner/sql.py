"""Quoting for the SQL that ingest and aggregation build from user-supplied names."""

from __future__ import annotations


def ident(name: str) -> str:
    """A column name as a quoted SQL identifier.

    >>> ident("Created at"), ident('a"b')
    ('"Created at"', '"a""b"')
    """
    return '"' + name.replace('"', '""') + '"'


def sql_text(text: str) -> str:
    """Text for use inside a single-quoted SQL literal.

    >>> print(sql_text("O'Brien's queue"))
    O''Brien''s queue
    """
    return text.replace("'", "''")
