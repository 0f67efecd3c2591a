"""What finance takes away: CSV tables, the Excel workbook with live formulas, the deck."""

from __future__ import annotations

import re

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"


def file_stem(name: str) -> str:
    """A file name for a scenario's exports: letters, digits, '-' and '_' only.

    >>> file_stem("FY2027 base plan (v3)")
    'FY2027_base_plan_v3'
    """
    return re.sub(r"[^A-Za-z0-9-]+", "_", name).strip("_") or "plan"
