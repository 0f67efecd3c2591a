"""Editable tables of scenario settings that keep the user's edit in flight.

To Streamlit a data editor whose data changes is a new widget: an edit made in the one the
page showed is dropped. An editor built from the scenario would change its data after
every edit (the edit changes the scenario it is built from), so every second edit would
be lost. ``steady_editor`` keeps showing the table it started from, the user's edits
accumulating on it, while the setting is what the editor made of it (``settle``) or has
not changed; it starts afresh, as a new widget, when something else changed the setting
(another scenario opened, a setting moved on another page).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st
from pydantic import BaseModel


def steady_editor(
    name: str, table: pd.DataFrame, section: BaseModel, fields: set[str], **options: Any
) -> pd.DataFrame:
    """``st.data_editor`` of ``table``, the ``fields`` of ``section`` (a scenario section)
    as a table; ``options`` are the editor's. Call ``settle`` with what the edits enter."""
    state = st.session_state
    now = section.model_dump(mode="json", include=fields)
    moved = state.get(f"{name}-seen") != now and state.get(f"{name}-made") != now
    if f"{name}-base" not in state or moved:
        state[f"{name}-generation"] = state.get(f"{name}-generation", 0) + 1
        state[f"{name}-base"] = table
    state[f"{name}-seen"] = now
    key = f"{name}-{state[f'{name}-generation']}"
    return st.data_editor(state[f"{name}-base"], key=key, **options)


def settle(name: str, section: BaseModel, fields: set[str], entered: dict) -> None:
    """Remember what the edits of the editor ``name`` make of ``section``'s ``fields``
    (``entered``, as the section takes it); nothing when they do not make a valid section
    (the scenario keeps its setting, and the editor its edits, until they are fixed)."""
    try:
        made = type(section).model_validate(section.model_dump() | entered)
    except ValueError:
        st.session_state.pop(f"{name}-made", None)
        return
    st.session_state[f"{name}-made"] = made.model_dump(mode="json", include=fields)
