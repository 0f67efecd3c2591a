"""The sidebar's saved scenarios: open, save with a note, versions and restore, duplicate,
rename, and the scenarios to compare with. Every save goes to ``planner.store``; a stale
save shows who saved first and offers to save on top or as a new scenario."""

from __future__ import annotations

import streamlit as st

from planner import store
from planner.errors import PlannerError, SaveConflict, StoreError
from planner_ui import pipeline, say, sources, state
from planner_ui.text import plain

CONFLICT_KEY = "save-conflict"


@st.cache_resource(show_spinner=False)
def _connect(url: str) -> store.Store:
    return store.connect(url)


def connection() -> store.Store | None:
    """The store, or None (with the reason in the sidebar) when it cannot be opened."""
    try:
        return _connect(store.database_url())
    except StoreError as exc:
        say.error(f"Saving is off: {exc}", icon=":material/cloud_off:")
        return None


def sidebar():
    """Draw the sidebar; return the slot of the active scenario's status, to be
    drawn again with ``status`` once the page has run (a page may change the scenario)."""
    active = state.scenario()
    origin = state.origin()
    status_slot = st.empty()
    status(status_slot)
    saved = connection()
    if saved is None:
        return status_slot
    st.text_input("Your name", key=state.AUTHOR_KEY, placeholder="Saved with each version")
    try:
        listing = saved.scenarios()
        _save(saved, active, origin)
        _open(saved, listing)
        if origin is not None and origin.name in set(listing["name"]):
            _versions(saved, origin)
            _duplicate_or_rename(saved, origin)
        _compare_with(listing, active.name)
    except StoreError as exc:
        say.error(str(exc), icon=":material/error:")
    return status_slot


def status(slot) -> None:
    """The active scenario: its name, span, and whether it is saved as it is on screen."""
    active, origin = state.scenario(), state.origin()
    with slot.container():
        st.caption("Active scenario")
        st.markdown(f"**{plain(active.name)}**")
        say.caption(
            f"{active.horizon_months} months from {active.start_month:%B %Y} · "
            f"{active.currency} · {active.time_zone}"
        )
        if origin is None:
            st.caption(":orange[Not saved yet]")
        elif not origin.matches(active):
            st.caption(f":orange[Changed since version {origin.version}: not saved]")
        else:
            say.caption(f"Saved: version {origin.version}")
        st.caption("  \n".join(sources.sidebar_lines(active)))


def _save(saved: store.Store, active, origin: state.Origin | None) -> None:
    with st.popover("Save", icon=":material/save:", width="stretch"):
        with st.form("save-form", border=False, clear_on_submit=True):
            name = st.text_input("Scenario name", value=active.name,
                                 help="A new name saves a new scenario.")  # fmt: skip
            note = st.text_input("Note", placeholder="What changed, e.g. 'phone SL to 80/30'")
            go = st.form_submit_button("Save a new version", type="primary")
        author = st.session_state.get(state.AUTHOR_KEY, "")
        if go:
            renamed = active.model_copy(update={"name": name.strip() or active.name})
            parent = origin.version if origin and origin.name == renamed.name else None
            _write(saved, renamed, parent, author, note)
        conflict = st.session_state.get(CONFLICT_KEY)
        if conflict is not None:
            say.warning(conflict["message"], icon=":material/warning:")
            if conflict["latest"] and st.button(f"Save mine as version {conflict['latest'] + 1}"):
                _write(saved, active, conflict["latest"], author, conflict["note"])
            st.caption("Or give it another name above to save it as a new scenario.")


def _write(saved: store.Store, scenario, parent, author: str, note: str) -> None:
    loaded = state.history_or_sample()
    try:
        number = saved.save(
            scenario,
            parent=parent,
            author=author,
            note=note,
            history=loaded.daily,
            report=loaded.report,
            organisation=pipeline.organisation(),
        )
    except SaveConflict as exc:
        st.session_state[CONFLICT_KEY] = {"message": str(exc), "latest": exc.latest, "note": note}
        st.rerun()
    except StoreError as exc:
        say.error(str(exc), icon=":material/error:")
        return
    st.session_state.pop(CONFLICT_KEY, None)
    state.set_scenario(scenario)
    state.set_origin(state.Origin.of(scenario, number))
    st.toast(f"Saved '{scenario.name}' as version {number}", icon=":material/check:")
    st.rerun()


def _open(saved: store.Store, listing) -> None:
    if listing.empty:
        st.caption("No saved scenarios yet.")
        return
    with st.expander("Open a saved scenario", icon=":material/folder_open:"):
        name = st.selectbox("Scenario", listing["name"], key="open-pick")
        row = listing[listing["name"] == name].iloc[0]
        st.caption(
            f"{row['versions']} version(s); the latest by {plain(row['author'])}, "
            f"{row['saved_at']:%d %b %Y %H:%M} UTC"
        )
        if st.button("Open the latest version", key="open-go"):
            open_version(saved, name, None)


def open_version(saved: store.Store, name: str, version: int | None) -> None:
    """Make a stored version the active scenario, with its history and organisation."""
    stored = saved.load(name, version)
    state.forget_widgets()
    state.set_scenario(stored.scenario)
    if stored.history is not None and stored.report is not None:
        state.set_history(state.LoadedHistory(stored.report, stored.history))
    if stored.organisation is not None:
        try:
            pipeline.set_organisation(stored.organisation)
        except PlannerError as exc:
            say.warning(f"The saved organisation was not used: {exc}")
    state.set_origin(state.Origin.of(stored.scenario, stored.version))
    st.session_state.pop(CONFLICT_KEY, None)
    st.rerun()


def _versions(saved: store.Store, origin: state.Origin) -> None:
    with st.expander("Versions", icon=":material/history:"):
        table = saved.versions(origin.name)
        labels = {
            int(r.version): f"v{r.version} · {r.saved_at:%d %b %H:%M} · {r.author}"
            + (f" · {r.note}" if r.note else "")
            for r in table.itertuples()
        }
        pick = st.selectbox("Version", list(labels), format_func=labels.get, key="version-pick")
        left, right = st.columns(2)
        if left.button("Open", key="version-open"):
            open_version(saved, origin.name, pick)
        restore = right.button(
            "Restore", key="version-restore",
            help="Saves a copy of this version as the newest; nothing is lost.",
        )  # fmt: skip
        if restore:
            try:
                saved.restore(origin.name, pick, author=st.session_state.get(state.AUTHOR_KEY, ""))
            except StoreError as exc:
                say.error(str(exc))
            else:
                open_version(saved, origin.name, None)


def _duplicate_or_rename(saved: store.Store, origin: state.Origin) -> None:
    with st.expander("Duplicate or rename", icon=":material/content_copy:"):
        new_name = st.text_input("New name", key="new-name")
        left, right = st.columns(2)
        try:
            if left.button("Duplicate", key="duplicate"):
                author = st.session_state.get(state.AUTHOR_KEY, "")
                saved.duplicate(origin.name, new_name, author=author)
                open_version(saved, new_name.strip(), None)
            if right.button("Rename", key="rename"):
                saved.rename(origin.name, new_name)
                state.set_scenario(state.scenario().model_copy(update={"name": new_name.strip()}))
                state.set_origin(origin.renamed(new_name.strip()))
                st.rerun()
        except StoreError as exc:
            say.error(str(exc))


def _compare_with(listing, active_name: str) -> None:
    others = [n for n in listing["name"] if n != active_name]
    if not others:
        return
    chosen = st.session_state.get(state.COMPARE_KEY, [])
    if any(n not in others for n in chosen):  # renamed, deleted, or now the active one
        st.session_state[state.COMPARE_KEY] = [n for n in chosen if n in others]
    st.multiselect(
        "Compare with", others, max_selections=2, key=state.COMPARE_KEY,
        help="Shown side by side on the Finance review page.",
    )  # fmt: skip
