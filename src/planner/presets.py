"""Column layouts of the helpdesk exports Support Planner reads, and how their values map.

A preset lists, for every normalised ticket field, the header names that export uses
(matched case-insensitively, spaces and punctuation ignored). Detection picks the preset whose
headers match best; the user can override any field's column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

REQUIRED_FIELDS = ("ticket_id", "created_at")
OPTIONAL_FIELDS = (
    "channel",
    "queue",
    "priority",
    "solved_at",
    "handle_minutes",
    "first_reply_minutes",
    "csat",
    "tier",
    "merged",
)
FIELDS = REQUIRED_FIELDS + OPTIONAL_FIELDS

FIELD_LABELS = {
    "ticket_id": "Ticket id",
    "created_at": "Created at",
    "channel": "Channel",
    "queue": "Queue / group",
    "priority": "Priority",
    "solved_at": "Solved at",
    "handle_minutes": "Handle time",
    "first_reply_minutes": "First reply time",
    "csat": "Satisfaction (CSAT)",
    "tier": "Tier",
    "merged": "Merged / deleted flag",
}


@dataclass(frozen=True)
class Preset:
    name: str
    label: str
    headers: dict[str, tuple[str, ...]]
    # Header names found only in this vendor's exports; they break ties between presets.
    signature: tuple[str, ...] = ()
    # Source time zone when timestamps carry no offset: None means "ask the user / scenario".
    timestamps_in_utc: bool = False
    month_first_dates: bool = False
    merged_tags: tuple[str, ...] = field(default=())


ZENDESK = Preset(
    name="zendesk",
    label="Zendesk",
    headers={
        "ticket_id": ("Id", "Ticket ID"),
        "created_at": ("Created at",),
        "channel": ("Via", "Channel"),
        "queue": ("Group",),
        "priority": ("Priority",),
        "solved_at": ("Solved at",),
        "handle_minutes": ("Total time spent (sec)", "Handle time (sec)"),
        "first_reply_minutes": ("First reply time in minutes",),
        "csat": ("Satisfaction Score", "Satisfaction"),
        "tier": ("Tier",),
        "merged": ("Tags",),
    },
    signature=("Via", "Requester", "Satisfaction Score", "First reply time in minutes"),
    merged_tags=("closed_by_merge",),
)

SALESFORCE = Preset(
    name="salesforce",
    label="Salesforce Service Cloud (Case)",
    headers={
        "ticket_id": ("CaseNumber", "Case Number", "Id", "Case ID"),
        "created_at": ("CreatedDate", "Date/Time Opened", "Opened Date", "Created Date"),
        "channel": ("Origin", "Case Origin"),
        "queue": ("Queue", "Owner Queue", "RecordType.Name", "Case Record Type", "Type"),
        "priority": ("Priority",),
        "solved_at": ("ClosedDate", "Date/Time Closed", "Closed Date"),
        "handle_minutes": ("Handle Time (min)", "Total Handle Time", "HandleTime"),
        "first_reply_minutes": ("First Response Time (min)",),
        "csat": ("CSAT", "Customer Satisfaction"),
        "tier": ("Tier", "Support Tier"),
        "merged": ("IsDeleted", "MasterRecordId", "Deleted"),
    },
    signature=("CaseNumber", "Case Number", "Origin", "Case Origin", "IsDeleted", "IsClosed"),
    month_first_dates=True,
)

FRESHDESK = Preset(
    name="freshdesk",
    label="Freshdesk",
    headers={
        "ticket_id": ("Ticket ID", "Ticket Id"),
        "created_at": ("Created time", "Created Time"),
        "channel": ("Source",),
        "queue": ("Group",),
        "priority": ("Priority",),
        "solved_at": ("Resolved time", "Closed time"),
        "handle_minutes": ("Time tracked",),
        "first_reply_minutes": ("First response time (in hrs)", "Initial response time"),
        "csat": ("Survey results", "Satisfaction rating"),
        "tier": ("Tier",),
        "merged": ("Tags",),
    },
    signature=("Time tracked", "Resolution status", "First response status", "Source"),
    merged_tags=("merged",),
)

GENERIC = Preset(
    name="generic",
    label="Generic (one row per ticket)",
    headers={
        "ticket_id": (
            "ticket_id",
            "id",
            "ticket",
            "case_id",
            "call_id",
            "contact_id",
            "interaction_id",
            "number",
        ),
        "created_at": ("created_at", "created", "opened_at", "timestamp", "date", "datetime"),
        "channel": ("channel", "via", "source", "origin", "medium"),
        "queue": ("queue", "group", "team", "skill"),
        "priority": ("priority", "severity"),
        "solved_at": ("solved_at", "resolved_at", "closed_at"),
        "handle_minutes": ("handle_minutes", "handle_time", "aht", "handle_seconds"),
        "first_reply_minutes": ("first_reply_minutes", "first_response_minutes"),
        "csat": ("csat", "satisfaction"),
        "tier": ("tier", "level"),
        "merged": ("merged", "is_merged", "deleted", "is_deleted"),
    },
)

PRESETS = {p.name: p for p in (ZENDESK, SALESFORCE, FRESHDESK, GENERIC)}

CHANNEL_SYNONYMS = {
    "email": (
        "email",
        "e-mail",
        "mail",
        "outbound email",
        "inbound email",
        "email-to-case",
        "closed ticket",
        "correo",
        "courriel",
    ),
    "chat": ("chat", "live chat", "web widget", "messaging", "chat transcript", "native messaging"),
    "phone": (
        "phone",
        "voice",
        "call",
        "phone call (incoming)",
        "phone call (outgoing)",
        "tel",
        "telefon",
        "teléfono",
        "téléphone",
        "telefono",
    ),
    "web_form": ("web form", "web", "webform", "web_form", "portal", "feedback widget", "form"),
    "social": ("twitter", "facebook", "whatsapp", "instagram", "social"),
    "api": ("api", "web service", "automation"),
}
KNOWN_CHANNELS = tuple(CHANNEL_SYNONYMS)

CSAT_GOOD = ("good", "satisfied", "happy", "positive", "extremely happy", "great", "yes")
CSAT_BAD = ("bad", "unsatisfied", "dissatisfied", "unhappy", "negative", "not good", "no")


def header_key(name: str) -> str:
    """Compare headers without case, spaces or punctuation: 'Created at' == 'created_at'."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def duration_unit(header: str) -> str:
    """Guess a duration column's unit from its header: seconds, hours or minutes."""
    key = header.lower()
    if re.search(r"\bsec|second", key):
        return "seconds"
    if re.search(r"\bhrs?\b|hour", key):
        return "hours"
    return "minutes"


def match_columns(preset: Preset, headers: list[str]) -> dict[str, str]:
    """Map each field of ``preset`` to the first header of the file that matches it."""
    by_key: dict[str, str] = {}
    for header in headers:
        by_key.setdefault(header_key(header), header)
    mapping: dict[str, str] = {}
    for field_name, candidates in preset.headers.items():
        for candidate in candidates:
            found = by_key.get(header_key(candidate))
            if found is not None and found not in mapping.values():
                mapping[field_name] = found
                break
    return mapping


def detect_preset(headers: list[str]) -> tuple[Preset, dict[str, str]]:
    """The preset whose headers fit best; vendor-only headers break ties.

    A preset that cannot find both required fields is only chosen when none can. A file with
    no vendor-only header that every preset reads equally well (``id,created_at,channel``) is
    generic: naming a vendor the file does not come from would mislead.
    """
    keys = {header_key(h) for h in headers}
    best: tuple[tuple[int, int, int, int, int], Preset, dict[str, str]] | None = None
    for rank, preset in enumerate((ZENDESK, SALESFORCE, FRESHDESK, GENERIC)):
        mapping = match_columns(preset, headers)
        complete = all(f in mapping for f in REQUIRED_FIELDS)
        signature = sum(header_key(s) in keys for s in preset.signature)
        generic = preset is GENERIC
        score = (int(complete), signature + len(mapping), signature, int(generic), -rank)
        if best is None or score > best[0]:
            best = (score, preset, mapping)
    assert best is not None
    return best[1], best[2]
