"""What a person does, from their title or a ``role`` column: one classifier for the
capacity plan (who is an agent) and the organisation (spans and support ratios), so a
title never counts as an agent in one and a trainer in the other.

Title words are tried in order, so "Knowledge Manager" is a knowledge role, "QA Lead" a
QA analyst and "Enablement Specialist" a trainer; a title with none of them is an agent
when it names front-line work ("Support Agent II", "Senior Support Specialist", "Customer
Service Representative") and no other trade ("Support Analyst" is other).
"""

from __future__ import annotations

import pandas as pd

ROLES = ("director", "manager", "lead", "agent", "qa", "trainer", "wfm", "knowledge", "other")
ROLE_WORDS = (
    ("knowledge", ("knowledge",)),
    ("qa", (" qa ", "quality")),
    ("trainer", ("trainer", "training", "enablement", "onboarding")),
    ("wfm", ("wfm", "workforce")),
    ("director", ("director", "head of", " vp ", "vice president", "chief")),
    ("manager", ("manager",)),
    ("lead", ("lead", "supervisor")),
)
AGENT_WORDS = ("agent", "specialist", "advisor", "adviser", "representative", "associate")
# Words that make a title something other than an agent though no role above takes it.
OTHER_WORDS = ("analyst", "engineer", "coordinator", "administrator")


def role_of(title: str) -> str:
    """The role a title names: director, manager, lead, agent, a support role (qa,
    trainer, wfm, knowledge) or other.

    Example:
    >>> [role_of(t) for t in ("Senior Support Specialist", "QA Lead", "Support Analyst")]
    ['agent', 'qa', 'other']
    """
    words = f" {str(title).lower().replace(',', ' ').replace('/', ' ')} "
    for role, keys in ROLE_WORDS:
        if any(k in words for k in keys):
            return role
    if any(w in words for w in OTHER_WORDS):
        return "other"
    return "agent" if any(w in words for w in AGENT_WORDS) else "other"


def roles(people: pd.DataFrame) -> pd.Series:
    """Each person's role: the ``role`` column where it names one of ``ROLES`` (any case),
    else their ``title``'s.

    Example:
    >>> people = pd.DataFrame({"title": ["Team Lead", "Support Agent"], "role": ["", "QA"]})
    >>> roles(people).tolist()  # a role column that names a role wins over the title
    ['lead', 'qa']
    """
    empty = pd.Series("", index=people.index)
    from_title = people.get("title", empty).fillna("").astype(str).map(role_of)
    if "role" not in people:
        return from_title
    given = people["role"].fillna("").astype(str).str.strip().str.lower()
    return given.where(given.isin(ROLES), from_title)
