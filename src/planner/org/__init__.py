"""The support organisation, one module per concept:

- ``people``: the people table, the career ladder and the roster of agents (reading,
  cleaning, what today's organisation is made of by role);
- ``tree``: the reporting tree, spans of control, layers and the checks on people and ladder;
- ``needs``: the leads, managers, directors and support roles the capacity plan needs;
- ``ladder``: the projection of the agents' track of the ladder (promotions, backfills);
- ``succession``: who could step into each leader's seat;
- ``chart``: the org chart as Graphviz DOT text.

The names below are the package's public API (``from planner import org``; ``org.validate``).
"""

from planner.org import chart
from planner.org.ladder import LadderProjection, Track, ladder_track, project_ladder, project_track
from planner.org.needs import (
    DEFAULT_TITLES,
    SUPPORT_RATIOS,
    OrgPlan,
    plan_org,
    required_roles,
    site_teams,
)
from planner.org.people import (
    DERIVED_ROLES,
    LADDER_COLUMNS,
    OPEN_STATUSES,
    PEOPLE_COLUMNS,
    ROLE_NAMES,
    STATUSES,
    Organisation,
    Standing,
    agent_bands,
    load,
    normalise_ladder,
    normalise_people,
    read_ladder,
    read_people,
    read_roster,
    role_counts,
    to_csv,
)
from planner.org.succession import bench_takeaway, succession
from planner.org.tree import SPANS, Structure, layers, span_takeaway, spans, structure, validate

__all__ = [
    "DEFAULT_TITLES",
    "DERIVED_ROLES",
    "LADDER_COLUMNS",
    "OPEN_STATUSES",
    "PEOPLE_COLUMNS",
    "ROLE_NAMES",
    "SPANS",
    "STATUSES",
    "SUPPORT_RATIOS",
    "LadderProjection",
    "OrgPlan",
    "Organisation",
    "Standing",
    "Structure",
    "Track",
    "agent_bands",
    "bench_takeaway",
    "chart",
    "ladder_track",
    "layers",
    "load",
    "normalise_ladder",
    "normalise_people",
    "plan_org",
    "project_ladder",
    "project_track",
    "read_ladder",
    "read_people",
    "read_roster",
    "required_roles",
    "role_counts",
    "site_teams",
    "span_takeaway",
    "spans",
    "structure",
    "succession",
    "to_csv",
    "validate",
]
