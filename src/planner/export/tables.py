"""Tables as CSV that a spreadsheet opens as data, never as formulas.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
run as a formula by Excel and LibreOffice when the CSV is opened ("CSV injection"); such
text is written with a leading single quote, which spreadsheets show as text. Numbers
(including text that is a plain number such as ``-0.05``) are left as they are.
Source: OWASP ASVS 4.0.3, requirement 5.3.10 (1.2.10 in the draft), and OWASP "CSV
Injection".
"""

from __future__ import annotations

import re

import pandas as pd

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"^[+-]?(\d[\d,]*(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?$")


def neutralise(value):
    """``value``, with a leading quote when it is text a spreadsheet would run."""
    if isinstance(value, str) and value.startswith(TRIGGERS) and not NUMBER.match(value):
        return "'" + value
    return value


def safe_csv(frame: pd.DataFrame, **options) -> str:
    """``frame`` as CSV text with every text cell (and header) neutralised."""
    cleaned = frame.copy()
    for column in cleaned.columns:
        if cleaned[column].dtype == object or pd.api.types.is_string_dtype(cleaned[column]):
            cleaned[column] = cleaned[column].map(neutralise)
    cleaned.columns = [neutralise(str(c)) for c in cleaned.columns]
    return cleaned.to_csv(index=options.pop("index", False), **options)
