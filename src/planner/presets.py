"""Column layouts of the helpdesk exports Support Planner reads, and how their values map.

A preset lists, for every normalised ticket field, the header names that export uses
(matched case-insensitively, spaces and punctuation ignored). Detection picks the preset whose
headers match best; the user can override any field's column.
"""

from __future__ import annotations

import re
import unicodedata
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
    "language",
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
    "language": "Language",
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
    # Cells that mean "empty" in this export (ServiceNow writes "?").
    empty_markers: tuple[str, ...] = ()


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
        "language": ("Requester language", "Language", "Locale"),
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
        "language": ("Language", "Language__c", "Case Language", "Preferred Language"),
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
        "language": ("Language", "Requester language", "Contact language"),
        "merged": ("Tags",),
    },
    signature=("Time tracked", "Resolution status", "First response status", "Source"),
    merged_tags=("merged",),
)

SERVICENOW = Preset(
    name="servicenow",
    label="ServiceNow (incident)",
    headers={
        "ticket_id": ("number", "Number", "Incident number"),
        "created_at": ("opened_at", "Opened", "sys_created_on", "Created"),
        "channel": ("contact_type", "Contact type", "Channel"),
        "queue": ("assignment_group", "Assignment group"),
        "priority": ("priority", "Priority"),
        "solved_at": ("resolved_at", "Resolved", "closed_at", "Closed"),
        "handle_minutes": ("time_worked", "Time worked", "business_duration"),
        "first_reply_minutes": (),
        "csat": (),
        "tier": ("escalation", "Escalation"),
        "language": ("u_language", "Language", "caller_id.preferred_language"),
        "merged": (),
    },
    signature=(
        "opened_at",
        "contact_type",
        "assignment_group",
        "incident_state",
        "sys_updated_at",
        "sys_created_on",
        "caller_id",
        "opened_by",
        "u_symptom",
        "cmdb_ci",
    ),
    empty_markers=("?",),
)

JIRA = Preset(
    name="jira",
    label="Jira Service Management",
    headers={
        "ticket_id": ("Issue key", "Key", "Issue id"),
        "created_at": ("Created",),
        "channel": (
            "Custom field (Request channel)",
            "Request channel",
            "Custom field (Channel)",
            "Custom field (Source)",
            "Channel",
            "Source",
        ),
        "queue": (
            "Custom field (Request Type)",
            "Request Type",
            "Custom field (Team)",
            "Team",
            "Component/s",
            "Components",
        ),
        "priority": ("Priority",),
        "solved_at": ("Resolved", "Resolution date"),
        "handle_minutes": ("Time Spent (sec)", "Time Spent", "Σ Time Spent"),
        "first_reply_minutes": (),
        "csat": ("Custom field (Satisfaction)", "Satisfaction", "Satisfaction rating"),
        "tier": ("Custom field (Tier)", "Tier", "Custom field (Support level)"),
        "language": ("Custom field (Language)", "Language", "Request language"),
        "merged": (),
    },
    signature=("Issue key", "Issue id", "Issue Type", "Project key", "Custom field (Request Type)"),
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
            "case",
            "case:concept:name",
            "sr_number",
            "incident_id",
            "incident_number",
            "request_id",
            "issue_key",
            "ticket_number",
            "ticket_nr",
            "ticketnummer",
            "vorgangsnummer",
            "nummer",
            "numero",
            "numero_de_ticket",
            "n_ticket",
            "id_ticket",
        ),
        "created_at": (
            "created_at",
            "created",
            "opened_at",
            "timestamp",
            "date",
            "datetime",
            "created_date",
            "creation_date",
            "created_time",
            "open_date",
            "opened",
            "received",
            "start_time",
            "start_timestamp",
            "time:timestamp",
            "complete_timestamp",
            "change_date+time",
            "event_time",
            "datestamp",
            "submit_date",
            "reported_date",
            "erstellt",
            "erstellt_am",
            "erstellungsdatum",
            "angelegt",
            "angelegt_am",
            "cree_le",
            "date_de_creation",
            "creado",
            "fecha_de_creacion",
            "aangemaakt",
            "data_creazione",
        ),
        "channel": (
            "channel",
            "via",
            "source",
            "origin",
            "medium",
            "contact_type",
            "channel_type",
            "kanal",
            "canal",
            "canale",
            "eingangskanal",
        ),
        "queue": (
            "queue",
            "group",
            "team",
            "skill",
            "support_team",
            "assignment_group",
            "gruppe",
            "equipe",
            "grupo",
            "warteschlange",
            "file_d_attente",
        ),
        "priority": (
            "priority",
            "severity",
            "prioritat",
            "priorite",
            "prioridad",
            "prioriteit",
        ),
        "solved_at": (
            "solved_at",
            "resolved_at",
            "closed_at",
            "end_time",
            "end_timestamp",
            "gelost_am",
            "geschlossen",
            "geschlossen_am",
            "resolu_le",
            "cerrado",
        ),
        "handle_minutes": (
            "handle_minutes",
            "handle_time",
            "aht",
            "handle_seconds",
            "average_handle_time",
            "handling_time",
            "talk_time",
            "talk_duration",
            "call_duration",
            "duration",
            "time_spent",
            "time_worked",
            "work_time",
            "bearbeitungszeit",
            "gesprachsdauer",
            "dauer",
            "duree",
            "duracion",
        ),
        "first_reply_minutes": ("first_reply_minutes", "first_response_minutes"),
        "csat": ("csat", "satisfaction"),
        "tier": ("tier", "level"),
        "language": ("language", "lang", "locale", "customer_language"),
        "merged": ("merged", "is_merged", "deleted", "is_deleted"),
    },
)

PRESETS = {p.name: p for p in (ZENDESK, SALESFORCE, FRESHDESK, SERVICENOW, JIRA, GENERIC)}

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
    "chat": (
        "chat",
        "live chat",
        "web widget",
        "messaging",
        "chat transcript",
        "native messaging",
        "virtual agent",
        "virtual_agent",
    ),
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
        "ivr",
    ),
    "web_form": (
        "web form",
        "web",
        "webform",
        "web_form",
        "portal",
        "feedback widget",
        "form",
        "self-service",
        "self service",
        "self_service",
        "service portal",
        "customer portal",
        "webformular",
        "kontaktformular",
        "formular",
        "formulaire",
        "formulario",
    ),
    "social": ("twitter", "facebook", "whatsapp", "instagram", "social"),
    "api": ("api", "web service", "automation"),
}
KNOWN_CHANNELS = tuple(CHANNEL_SYNONYMS)

CSAT_GOOD = ("good", "satisfied", "happy", "positive", "extremely happy", "great", "yes")
CSAT_BAD = ("bad", "unsatisfied", "dissatisfied", "unhappy", "negative", "not good", "no")


def header_key(name: str) -> str:
    """Compare headers without case, accents, spaces or punctuation: 'Created at' ==
    'created_at', 'Priorität' == 'prioritat'.

    Example:
    >>> header_key("Created at") == header_key("created_at"), header_key("Priorität")
    (True, 'prioritat')
    """
    plain = unicodedata.normalize("NFKD", name.lower())
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", plain)


UNITS = {
    "seconds": ("s", "sec", "secs", "second", "seconds"),
    "minutes": ("m", "min", "mins", "minute", "minutes"),
    "hours": ("h", "hr", "hrs", "hour", "hours"),
}
_UNIT = "|".join(word for words in UNITS.values() for word in words)
# A unit in a header: "(min)", "[s]", "(in hrs)", "in minutes", "_sec" at the end.
_UNIT_IN_HEADER = re.compile(
    rf"[(\[]\s*(?:in\s+)?({_UNIT})\s*[)\]]|\bin\s+({_UNIT})\b|[_\s-]({_UNIT})\s*$",
    re.IGNORECASE,
)


def duration_unit(header: str) -> str | None:
    """The unit a duration column's header names ("Handle time (min)", "AHT [s]",
    "First reply time in minutes", "handle_seconds"), or None when it names none.

    Example:
    >>> duration_unit("Handle time (min)"), duration_unit("AHT seconds"), duration_unit("Group")
    ('minutes', 'seconds', None)
    """
    found = _UNIT_IN_HEADER.search(header.strip())
    if found is None:
        return None
    word = next(g for g in found.groups() if g).lower()
    return next(unit for unit, words in UNITS.items() if word in words)


def unit_free_key(header: str) -> str:
    """``header_key`` of a header without its unit: "Handle time (min)" -> "handletime".

    Example:
    >>> unit_free_key("Handle time (min)")
    'handletime'
    """
    return header_key(_UNIT_IN_HEADER.sub("", header.strip()))


def match_columns(preset: Preset, headers: list[str]) -> dict[str, str]:
    """Map each field of ``preset`` to the first header of the file that matches it: by
    its name, or by its name without a unit ("Handle time (min)" is a "handle time").

    Example:
    >>> match_columns(PRESETS["zendesk"], ["Ticket ID", "Created at", "Via", "Group"])
    {'ticket_id': 'Ticket ID', 'created_at': 'Created at', 'channel': 'Via', 'queue': 'Group'}
    """
    by_key: dict[str, str] = {}
    for header in headers:
        by_key.setdefault(header_key(header), header)
    for header in headers:
        by_key.setdefault(unit_free_key(header), header)
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

    Example:
    >>> detect_preset(["Ticket ID", "Created at", "Via", "Group"])[0].name  # "Via": Zendesk's
    'zendesk'
    """
    keys = {header_key(h) for h in headers}
    best: tuple[tuple[int, int, int, int, int], Preset, dict[str, str]] | None = None
    for rank, preset in enumerate(PRESETS.values()):
        mapping = match_columns(preset, headers)
        complete = all(f in mapping for f in REQUIRED_FIELDS)
        signature = sum(header_key(s) in keys for s in preset.signature)
        generic = preset is GENERIC
        score = (int(complete), signature + len(mapping), signature, int(generic), -rank)
        if best is None or score > best[0]:
            best = (score, preset, mapping)
    assert best is not None
    return best[1], best[2]
