"""The few session-state keys the app uses, set and read in one place."""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st
from streamlit import runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from planner import warehouse
from planner.errors import ScenarioError
from planner.ingest import IngestReport, read_tickets
from planner.recent import Recent
from planner.sample import SAMPLE_DIR
from planner.scenario import Scenario, mark_typed
from planner.volume import VolumeHistory, aggregate, read_daily
from planner_ui import say

SAMPLE_TICKETS = SAMPLE_DIR / "tickets_zendesk.csv.gz"
SAMPLE_SCENARIO = SAMPLE_DIR / "scenario_base.json"
UPLOADS = Path(tempfile.gettempdir()) / "support-planner-uploads"

SCENARIO_KEY = "scenario"
HISTORY_KEY = "history"
UPLOADER_KEY = "uploader_generation"
PENDING_KEY = "pending-read"
SESSION_KEY = "session-id"


@dataclass(frozen=True)
class ReadOptions:
    """How a ticket file is read: the layout (None: detected), column overrides, the zone
    of times without an offset (empty: the scenario's), date order, handle-time unit."""

    preset: str | None = None
    mapping: dict[str, str | None] = field(default_factory=dict)
    zone: str = ""
    date_order: str = "auto"
    handle_unit: str = "auto"

    def as_dict(self) -> dict:
        return {
            "preset": self.preset,
            "mapping": dict(self.mapping),
            "zone": self.zone,
            "date_order": self.date_order,
            "handle_unit": self.handle_unit,
        }

    @classmethod
    def of(cls, data: dict) -> ReadOptions:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


@dataclass(frozen=True)
class LoadedHistory:
    """What the app keeps from a ticket file: the report and aggregates, never raw tickets;
    ``path`` is the file, kept to read it again with other options (None when the history
    came from a saved scenario), ``options`` how it was read."""

    report: IngestReport
    daily: VolumeHistory
    path: Path | None = None
    options: ReadOptions = field(default_factory=ReadOptions)

    @property
    def is_sample(self) -> bool:
        return self.path == SAMPLE_TICKETS


def scenario() -> Scenario:
    if SCENARIO_KEY not in st.session_state:
        st.session_state[SCENARIO_KEY] = Scenario.from_json(SAMPLE_SCENARIO.read_text())
    return st.session_state[SCENARIO_KEY]


def set_scenario(changed: Scenario) -> None:
    st.session_state[SCENARIO_KEY] = changed


def history() -> LoadedHistory | None:
    return st.session_state.get(HISTORY_KEY)


def history_or_sample() -> LoadedHistory:
    """The loaded history, or the sample when a page is opened first (read once per server:
    every new browser session starts from the same sample)."""
    loaded = history()
    if loaded is None:
        loaded = sample_history(SAMPLE_TICKETS, scenario().time_zone)
        set_history(loaded)
    return loaded


@st.cache_resource(show_spinner="Reading the sample ticket history")
def sample_history(path: Path, time_zone: str) -> LoadedHistory:
    """The sample's tickets (``path``) read and counted by day in ``time_zone``; shared by
    the sessions of this server, which only read it."""
    result = read_tickets(path, source_time_zone=time_zone)
    daily = aggregate(result, "D", time_zone)
    result.close()  # only the counts are kept
    return LoadedHistory(result.report, daily, path)


def set_history(loaded: LoadedHistory) -> None:
    st.session_state[HISTORY_KEY] = loaded


def pending() -> LoadedHistory | None:
    """A file that was read but gave no tickets (its report says why): the mapping is
    shown for it while the plan keeps the last history that worked."""
    return st.session_state.get(PENDING_KEY)


def set_pending(loaded: LoadedHistory | None) -> None:
    st.session_state[PENDING_KEY] = loaded


READS_KEPT = 6  # files' counts kept per server (each a few MB at most)
_READS = Recent(READS_KEPT)
_READS_LOCK = threading.Lock()


def read_file(
    path: Path, options: ReadOptions, plan_zone: str, name: str | None, progress
) -> tuple[IngestReport, VolumeHistory | None]:
    """``path`` read with ``options`` and counted per day in ``plan_zone``
    (``volume.read_daily``), once per server for each content (its SHA-256), options and
    name: a rerun, another browser session with the same export, or a mapping chosen again
    takes the counts already made instead of reading the file again."""
    with path.open("rb") as handle:
        content = hashlib.file_digest(handle, "sha256").hexdigest()
    key = (content, json.dumps(options.as_dict(), sort_keys=True), plan_zone, name)
    with _READS_LOCK:
        found = _READS.recent(key)
    if found is None:
        found = read_daily(
            path, plan_zone, progress, preset=options.preset, mapping=options.mapping,
            source_time_zone=options.zone or plan_zone, date_order=options.date_order,
            handle_unit=options.handle_unit, name=name,
        )  # fmt: skip
        with _READS_LOCK:
            _READS.get_or(key, lambda: found)
    return found


def read_database(
    url: str, table: str, plan_zone: str, progress
) -> tuple[IngestReport, VolumeHistory | None]:
    """The tickets of ``table`` (or a SELECT) in the database at ``url``, counted there
    (``warehouse.read_table``) and per day in ``plan_zone``; None for the history when none
    was kept. The URL goes no further than this call."""
    result = warehouse.read_table(url, table, source_time_zone=plan_zone, progress=progress)
    try:
        daily = aggregate(result, "D", plan_zone) if result.report.ok else None
    finally:
        result.close()
    return result.report, daily


def keep_upload(data: bytes) -> Path:
    """Write an upload's bytes to this session's own file (replacing its previous one), so
    it can be read again with other options without a second upload. The file name is
    the session's, never the uploaded name."""
    if SESSION_KEY not in st.session_state:
        st.session_state[SESSION_KEY] = uuid.uuid4().hex
    folder = UPLOADS / st.session_state[SESSION_KEY]
    forget_old_uploads(UPLOADS, keep=folder)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    for old in folder.iterdir():
        old.unlink(missing_ok=True)
    path = folder / f"{uuid.uuid4().hex}.upload"
    path.write_bytes(data)
    return path


UPLOAD_HOURS = 24  # a session's kept upload outlives the session by at most this


def forget_old_uploads(uploads: Path, keep: Path, now: float | None = None) -> None:
    """Remove other sessions' kept uploads untouched for ``UPLOAD_HOURS`` (Streamlit says
    nothing when a session ends, so each new upload sweeps what ended sessions left)."""
    if not uploads.is_dir():
        return
    cutoff = (time.time() if now is None else now) - UPLOAD_HOURS * 3600
    for folder in uploads.iterdir():
        if folder != keep and folder.is_dir() and folder.stat().st_mtime < cutoff:
            shutil.rmtree(folder, ignore_errors=True)


def uploader_key() -> str:
    return f"uploader-{st.session_state.get(UPLOADER_KEY, 0)}"


def clear_uploader(uploaded=None) -> None:
    """Forget the uploaded bytes once they are ingested: a fresh uploader widget, and the
    file taken out of Streamlit's upload store, which keeps every file of a session in RAM
    until it ends (the same 30 MB export uploaded six times held 150 MB)."""
    st.session_state[UPLOADER_KEY] = st.session_state.get(UPLOADER_KEY, 0) + 1
    file_id = getattr(uploaded, "file_id", None)
    context = get_script_run_ctx()
    if file_id is None or context is None or not runtime.exists():
        return
    store = runtime.get_instance().uploaded_file_mgr
    if hasattr(store, "remove_file"):  # the in-memory store Streamlit runs with
        store.remove_file(context.session_id, file_id)


def apply_section(section: str, entered: dict) -> Scenario:
    """The active scenario with one section changed as entered, kept; or the page stops
    with what to fix (the scenario is left as it was)."""
    current = scenario()
    try:
        changed = Scenario.parse(
            current.model_dump() | {section: getattr(current, section).model_dump() | entered}
        )
    except ScenarioError as exc:
        say.error("Not applied until fixed: " + " ".join(exc.problems), icon=":material/error:")
        st.stop()
    if changed != current:
        changed = mark_typed(current, changed)
        set_scenario(changed)
    return changed


STORED_KEY = "stored-origin"
AUTHOR_KEY = "author"
COMPARE_KEY = "compare-with"
KEEP = {
    SCENARIO_KEY, HISTORY_KEY, STORED_KEY, AUTHOR_KEY, COMPARE_KEY, "organisation",
    SESSION_KEY, PENDING_KEY,
}  # fmt: skip


@dataclass(frozen=True)
class Origin:
    """The saved version the edits on screen started from: its name, number and settings
    (the scenario's JSON without its name, which a rename changes)."""

    name: str
    version: int
    settings: str

    @classmethod
    def of(cls, scenario: Scenario, version: int) -> Origin:
        return cls(scenario.name, version, _settings(scenario))

    def matches(self, scenario: Scenario) -> bool:
        """Whether ``scenario`` is this version unchanged."""
        return scenario.name == self.name and _settings(scenario) == self.settings

    def renamed(self, name: str) -> Origin:
        return Origin(name, self.version, self.settings)


def _settings(scenario: Scenario) -> str:
    return scenario.model_copy(update={"name": ""}).model_dump_json()


def origin() -> Origin | None:
    return st.session_state.get(STORED_KEY)


def set_origin(value: Origin | None) -> None:
    st.session_state[STORED_KEY] = value


def forget_widgets() -> None:
    """Drop every widget's remembered value, so the pages draw the scenario just opened
    instead of writing what was on screen back into it."""
    for key in list(st.session_state):
        if key not in KEEP:
            del st.session_state[key]
