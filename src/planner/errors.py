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
