"""Results cached across reruns and sessions, keyed by what they are computed from.

DESIGN.md asks for ``st.cache_data`` keyed by the scenario's JSON and the history's
fingerprint. ``st.cache_data`` replays the elements a cached function draws and refuses a
function that updates a progress bar drawn outside it, and long work must show progress;
so long results live in this small least-recently-used store under the same keys.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock
from typing import TypeVar

import streamlit as st

T = TypeVar("T")
ENTRIES = 16


@st.cache_resource
def _store() -> tuple[OrderedDict, Lock]:
    return OrderedDict(), Lock()


def cached(key: Hashable, compute: Callable[[], T]) -> T:
    """The result stored under ``key``, computed (and stored) when it is not there."""
    store, lock = _store()
    with lock:
        if key in store:
            store.move_to_end(key)
            return store[key]
    value = compute()
    with lock:
        store[key] = value
        while len(store) > ENTRIES:
            store.popitem(last=False)
    return value


def get(key: Hashable) -> object | None:
    """The result stored under ``key`` (now the most recently used), or None when it has
    not been computed."""
    store, lock = _store()
    with lock:
        if key not in store:
            return None
        store.move_to_end(key)
        return store[key]
