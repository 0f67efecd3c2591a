"""A bounded cache of the most recently used results (plans, staffings, stored histories):
what a what-if session reuses, without keeping every result it ever made."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable


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
