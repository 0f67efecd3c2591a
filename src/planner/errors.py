"""One exception hierarchy; every message says what happened, where, and what to do."""

from __future__ import annotations


class PlannerError(Exception):
    """Base of every error Support Planner raises on purpose."""


class IngestError(PlannerError):
    """A ticket file cannot be read at all (empty, wrong type, undecodable)."""


class ScenarioError(PlannerError):
    """A scenario has values that cannot be planned with.

    ``problems`` lists one readable sentence per offending setting.
    """

    def __init__(self, problems: list[str]):
        self.problems = problems
        lines = "\n".join(f"- {p}" for p in problems)
        super().__init__(f"The scenario has {len(problems)} setting(s) to fix:\n{lines}")


class StoreError(PlannerError):
    """Saved scenarios cannot be read or written (database unreachable, unknown name)."""


class SaveConflict(StoreError):
    """Someone saved the scenario after the version these edits started from.

    ``latest`` is the version now on top; saving on top of it (or as a new scenario)
    keeps both sets of edits.
    """

    def __init__(self, message: str, latest: int):
        self.latest = latest
        super().__init__(message)
