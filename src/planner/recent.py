"""A bounded cache of the most recently used results (plans, staffings, stored histories):
what a what-if session reuses, without keeping every result it ever made; and the content
digest such caches are keyed by."""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable

import numpy as np
import pandas as pd


class Recent(OrderedDict):
    """A cache of the ``size`` most recently used entries: ``get_or(key, compute)`` returns
    the entry (now the most recent) or computes, keeps and returns it, dropping the least
    recently used beyond ``size``."""

    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def recent(self, key):
        """The entry under ``key`` (now the most recent), or None."""
        if key not in self:
            return None
        self.move_to_end(key)
        return self[key]

    def get_or(self, key, compute: Callable[[], object]):
        if key in self:
            return self.recent(key)
        value = self[key] = compute()
        while len(self) > self.size:
            self.popitem(last=False)
        return value


def digest(*frames: pd.DataFrame | None) -> str:
    """A hash of the frames' column names, types and values (not their index): equal
    content, equal hash. Numbers and times are hashed as their bytes; anything else as
    its distinct values (each as text with its length, so no two lists read alike) and
    which of them each row holds."""
    found = hashlib.sha256()
    for frame in frames:
        if frame is None:
            found.update(b"none")
            continue
        found.update(f"{len(frame)}|".encode())
        for name in frame.columns:
            column = frame[name]
            found.update(f"{name}|{column.dtype}|".encode())
            values = column.to_numpy()
            if values.dtype.kind not in "biufcmM":  # text and the like: its distinct values
                values, distinct = pd.factorize(column)  # and which one each row holds
                found.update("".join(f"{len(t)}:{t}" for t in map(str, distinct)).encode())
            found.update(np.ascontiguousarray(values).tobytes())
    return found.hexdigest()[:16]
