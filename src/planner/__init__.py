"""Support Planner's planning package: from ticket history to plan, with no UI inside.

A notebook session needs only what is exported here::

    from planner import read_tickets, aggregate, Scenario
"""

from planner.errors import IngestError, PlannerError, ScenarioError
from planner.ingest import IngestReport, IngestResult, read_tickets
from planner.scenario import Scenario
from planner.validation import Problem
from planner.volume import VolumeHistory, aggregate

__all__ = [
    "IngestError",
    "IngestReport",
    "IngestResult",
    "PlannerError",
    "Problem",
    "Scenario",
    "ScenarioError",
    "VolumeHistory",
    "aggregate",
    "read_tickets",
]
