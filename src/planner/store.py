"""Saved scenarios that are never lost: every save is a new version, nothing is overwritten.

A stored scenario has a name and versions 1, 2, 3, ... Each version keeps the scenario's
JSON, who saved it and why (author, note), the aggregated ticket history it was planned on
(``VolumeHistory`` and the ingest report, never raw tickets; kept once however many
versions share it) and the organisation (people and ladder as CSV text).

- **Append-only.** A save inserts version N+1 in one transaction. ``(scenario, version)``
  is the primary key, so two people saving on top of the same version N cannot both
  write N+1: the second save fails as ``SaveConflict`` naming who saved first, and can be
  saved on top of the new latest version or as a new scenario. Restoring version K saves a
  copy of K as a new version. Deleting a scenario only hides it.
- **Crash-safe.** A save is one transaction: a process killed mid-save leaves the previous
  versions as they were (SQLite: WAL journal with ``synchronous=FULL``; PostgreSQL:
  transactional by design).
- **Where.** PostgreSQL when ``DATABASE_URL`` is set (``postgresql://user:pass@host/db``);
  else SQLite at ``PLANNER_DB``, else ``planner.db`` in the user's data directory.
- **Schema.** ``schema_version`` holds the number of migrations applied; ``connect`` applies
  the missing ones in order, in one transaction, and refuses a database written by a newer
  Support Planner. SQLAlchemy Core, so the same statements run on both databases.

Sources: SQLite, "Write-Ahead Logging" and "PRAGMA synchronous" (sqlite.org/wal.html,
sqlite.org/pragma.html#pragma_synchronous); PostgreSQL 15 manual, chapter 13 (concurrency
control) and "Unique Constraints".
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import json
import os
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import platformdirs
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection, Engine

from planner import org
from planner.errors import PlannerError, SaveConflict, StoreError
from planner.ingest import IngestReport
from planner.recent import Recent
from planner.scenario import Scenario
from planner.volume import HISTORY_PARTS, VolumeHistory

metadata = sa.MetaData()
schema_version = sa.Table(
    "schema_version", metadata, sa.Column("version", sa.Integer, nullable=False)
)
scenarios = sa.Table(
    "scenarios",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("deleted_at", sa.DateTime(timezone=True)),
    sa.Index(
        "scenarios_live_name",
        "name",
        unique=True,
        sqlite_where=sa.text("deleted_at IS NULL"),
        postgresql_where=sa.text("deleted_at IS NULL"),
    ),
)
histories = sa.Table(
    "histories",
    metadata,
    sa.Column("digest", sa.String(64), primary_key=True),
    sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("tickets", sa.BigInteger, nullable=False),
    sa.Column("payload", sa.LargeBinary, nullable=False),
    sa.Column("report", sa.Text),
)
versions = sa.Table(
    "versions",
    metadata,
    sa.Column("scenario_id", sa.Integer, sa.ForeignKey("scenarios.id"), primary_key=True),
    sa.Column("version", sa.Integer, primary_key=True),
    sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("author", sa.Text, nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Column("scenario", sa.Text, nullable=False),
    sa.Column("history", sa.String(64), sa.ForeignKey("histories.digest")),
    sa.Column("people", sa.Text),
    sa.Column("ladder", sa.Text),
    sa.Column("restored_from", sa.Integer),
)


# How a file with these headers was read last (layout, column mapping, date order, zone,
# handle-time unit), so the next export with the same header reads the same way.
reading_choices = sa.Table(
    "reading_choices",
    metadata,
    sa.Column("headers", sa.String(64), primary_key=True),
    sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("choices", sa.Text, nullable=False),
)


def _create_v1(connection: Connection) -> None:
    metadata.create_all(connection, tables=[scenarios, histories, versions])


def _create_v2(connection: Connection) -> None:
    metadata.create_all(connection, tables=[reading_choices])


MIGRATIONS: list[Callable[[Connection], None]] = [_create_v1, _create_v2]


@dataclass(frozen=True)
class StoredVersion:
    """One saved version, as loaded: the scenario (named as the stored scenario is now),
    the history and organisation it was planned on (None when saved without them)."""

    name: str
    version: int
    saved_at: dt.datetime
    author: str
    note: str
    scenario: Scenario
    history: VolumeHistory | None
    report: IngestReport | None
    organisation: org.Organisation | None
    restored_from: int | None


def database_url(url: str | None = None) -> str:
    """``url``, else ``DATABASE_URL``, else SQLite at ``PLANNER_DB`` or in the user's data
    directory. A bare ``postgres://`` or ``postgresql://`` URL uses the psycopg driver."""
    url = url or os.environ.get("DATABASE_URL")
    if url:
        for bare in ("postgres://", "postgresql://"):
            if url.startswith(bare):
                return "postgresql+psycopg://" + url[len(bare) :]
        return url
    path = os.environ.get("PLANNER_DB")
    if path:
        return f"sqlite:///{Path(path).expanduser()}"
    return f"sqlite:///{Path(platformdirs.user_data_dir('support-planner')) / 'planner.db'}"


def connect(url: str | None = None) -> Store:
    """The store at ``database_url(url)``, its schema brought up to date."""
    return Store(database_url(url))


class Store:
    """Versioned scenario storage; see the module docstring. Methods raise ``StoreError``
    with a message a director can act on, never a driver traceback."""

    def __init__(self, url: str):
        self.url = url
        self.where = _describe(url)
        if url.startswith("sqlite:///"):
            path = Path(url.removeprefix("sqlite:///"))
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(
                    f"Cannot create the folder for saved scenarios, {path.parent}: "
                    f"{exc.strerror}. Set PLANNER_DB to a file in a folder you can write to."
                ) from exc
        self.engine: Engine = sa.create_engine(url, pool_pre_ping=True)
        if self.engine.dialect.name == "sqlite":
            sa.event.listen(self.engine, "connect", _sqlite_settings)
        self._migrate()

    # --- reading ---------------------------------------------------------------------

    def scenarios(self) -> pd.DataFrame:
        """Live scenarios: name, versions, latest (version), saved_at, author, note."""
        latest = (
            sa.select(
                versions.c.scenario_id,
                sa.func.max(versions.c.version).label("latest"),
                sa.func.count().label("versions"),
            )
            .group_by(versions.c.scenario_id)
            .subquery()
        )
        query = (
            sa.select(
                scenarios.c.name,
                latest.c.versions,
                latest.c.latest,
                versions.c.saved_at,
                versions.c.author,
                versions.c.note,
            )
            .join(latest, latest.c.scenario_id == scenarios.c.id)
            .join(
                versions,
                (versions.c.scenario_id == scenarios.c.id)
                & (versions.c.version == latest.c.latest),
            )
            .where(scenarios.c.deleted_at.is_(None))
            .order_by(scenarios.c.name)
        )
        columns = ["name", "versions", "latest", "saved_at", "author", "note"]
        with self._reading() as connection:
            rows = connection.execute(query).all()
        table = pd.DataFrame([tuple(r) for r in rows], columns=columns)
        table["saved_at"] = [_utc(t) for t in table["saved_at"]]
        return table

    def versions(self, name: str) -> pd.DataFrame:
        """Every version of ``name``, newest first: version, saved_at, author, note,
        restored_from, tickets (of the history it was planned on)."""
        query = (
            sa.select(
                versions.c.version,
                versions.c.saved_at,
                versions.c.author,
                versions.c.note,
                versions.c.restored_from,
                histories.c.tickets,
            )
            .outerjoin(histories, histories.c.digest == versions.c.history)
            .where(versions.c.scenario_id == sa.bindparam("sid"))
            .order_by(versions.c.version.desc())
        )
        with self._reading() as connection:
            rows = connection.execute(query, {"sid": self._id(connection, name)}).all()
        columns = ["version", "saved_at", "author", "note", "restored_from", "tickets"]
        table = pd.DataFrame([tuple(r) for r in rows], columns=columns)
        table["saved_at"] = [_utc(t) for t in table["saved_at"]]
        return table

    def latest(self, name: str) -> int:
        """The newest version number of ``name``."""
        with self._reading() as connection:
            return self._latest(connection, self._id(connection, name))

    def load(self, name: str, version: int | None = None) -> StoredVersion:
        """Version ``version`` of ``name`` (the newest when None)."""
        with self._reading() as connection:
            sid = self._id(connection, name)
            number = self._latest(connection, sid) if version is None else int(version)
            row = connection.execute(
                sa.select(versions).where(
                    (versions.c.scenario_id == sid) & (versions.c.version == number)
                )
            ).one_or_none()
            if row is None:
                raise StoreError(f"'{name}' has no version {number}; see its version list.")
            stored = None
            if row.history is not None:
                stored = connection.execute(
                    sa.select(histories.c.payload, histories.c.report).where(
                        histories.c.digest == row.history
                    )
                ).one()
        scenario = Scenario.from_json(row.scenario).model_copy(update={"name": name})
        organisation = None if row.people is None else _organisation(row.people, row.ladder)
        return StoredVersion(
            name=name,
            version=row.version,
            saved_at=_utc(row.saved_at),
            author=row.author,
            note=row.note,
            scenario=scenario,
            history=None if stored is None else _history(row.history, stored.payload),
            report=(
                None
                if stored is None or stored.report is None
                else IngestReport.from_json(stored.report)
            ),
            organisation=organisation,
            restored_from=row.restored_from,
        )

    # --- writing ---------------------------------------------------------------------

    def save(
        self,
        scenario: Scenario,
        *,
        parent: int | None,
        author: str,
        note: str = "",
        history: VolumeHistory | None = None,
        report: IngestReport | None = None,
        organisation: org.Organisation | None = None,
    ) -> int:
        """Save ``scenario`` under its name as the version after ``parent`` (the version
        the edits started from; None for a new scenario) and return its number.

        Raises ``SaveConflict`` when a scenario of that name exists (parent None) or when
        someone else saved after ``parent``; nothing is written then."""
        author = _required(author, "Your name")
        _loadable(scenario)
        try:
            return self._save(scenario, parent, author, note, history, report, organisation)
        except sa.exc.IntegrityError:
            raise self._conflict(scenario.name, 1 if parent is None else int(parent) + 1) from None

    def _save(self, scenario, parent, author, note, history, report, organisation) -> int:
        with self._writing() as connection:
            sid = self._find(connection, scenario.name)
            if parent is None:
                if sid is not None:
                    raise SaveConflict(
                        f"A scenario called '{scenario.name}' already exists. Give this one "
                        "another name, or open that one and save on top of it.",
                        self._latest(connection, sid),
                    )
                sid = self._create(connection, scenario.name)
            elif sid is None:
                raise StoreError(
                    f"There is no saved scenario called '{scenario.name}' any more (renamed "
                    "or deleted elsewhere). Save this one as a new scenario."
                )
            digest = self._keep_history(connection, history, report)
            values = {
                "scenario": scenario.to_json(),
                "history": digest,
                "people": None if organisation is None else org.to_csv(organisation.people),
                "ladder": None
                if organisation is None or organisation.ladder is None
                else org.to_csv(organisation.ladder),
            }
            number = 1 if parent is None else int(parent) + 1
            self._insert(connection, sid, number, author, note, values)
        return number

    def restore(self, name: str, version: int, *, author: str, note: str = "") -> int:
        """Save a copy of ``version`` as the newest version; return its number."""
        author = _required(author, "Your name")
        try:
            return self._restore(name, version, author, note)
        except sa.exc.IntegrityError:
            raise self._conflict(name, None) from None

    def _restore(self, name: str, version: int, author: str, note: str) -> int:
        with self._writing() as connection:
            sid = self._id(connection, name)
            row = connection.execute(
                sa.select(versions).where(
                    (versions.c.scenario_id == sid) & (versions.c.version == int(version))
                )
            ).one_or_none()
            if row is None:
                raise StoreError(f"'{name}' has no version {version} to restore.")
            number = self._latest(connection, sid) + 1
            values = {k: getattr(row, k) for k in ("scenario", "history", "people", "ladder")}
            values["restored_from"] = int(version)
            self._insert(connection, sid, number, author, note or f"Restored version {version}",
                         values)  # fmt: skip
        return number

    def duplicate(self, name: str, new_name: str, *, author: str) -> None:
        """A new scenario ``new_name`` whose version 1 is a copy of the newest ``name``."""
        author = _required(author, "Your name")
        new_name = _required(new_name, "The new name")
        try:
            self._duplicate(name, new_name, author)
        except sa.exc.IntegrityError:
            raise _taken(new_name) from None

    def _duplicate(self, name: str, new_name: str, author: str) -> None:
        with self._writing() as connection:
            sid = self._id(connection, name)
            if self._find(connection, new_name) is not None:
                raise _taken(new_name)
            latest = self._latest(connection, sid)
            row = connection.execute(
                sa.select(versions).where(
                    (versions.c.scenario_id == sid) & (versions.c.version == latest)
                )
            ).one()
            values = {k: getattr(row, k) for k in ("scenario", "history", "people", "ladder")}
            copy = self._create(connection, new_name)
            self._insert(connection, copy, 1, author, f"Copy of '{name}' version {latest}",
                         values)  # fmt: skip

    def rename(self, name: str, new_name: str) -> None:
        """Give ``name`` a new name; its versions stay as they are."""
        new_name = _required(new_name, "The new name")
        try:
            with self._writing() as connection:
                sid = self._id(connection, name)
                if new_name != name and self._find(connection, new_name) is not None:
                    raise _taken(new_name)
                connection.execute(
                    scenarios.update().where(scenarios.c.id == sid).values(name=new_name)
                )
        except sa.exc.IntegrityError:
            raise _taken(new_name) from None

    def delete(self, name: str) -> None:
        """Hide ``name`` from the list; its versions are kept in the database."""
        with self._writing() as connection:
            sid = self._id(connection, name)
            connection.execute(
                scenarios.update().where(scenarios.c.id == sid).values(deleted_at=_now())
            )

    def remember_reading(self, headers: list[str], choices: dict) -> None:
        """Keep how a file with ``headers`` was read (JSON-able ``choices``), replacing what
        was kept for the same headers."""
        key = _headers_key(headers)
        text = json.dumps(choices, sort_keys=True)
        with self._writing() as connection:
            connection.execute(reading_choices.delete().where(reading_choices.c.headers == key))
            connection.execute(
                reading_choices.insert().values(headers=key, saved_at=_now(), choices=text)
            )

    def reading_for(self, headers: list[str]) -> dict | None:
        """How a file with ``headers`` was read last, or None."""
        with self._reading() as connection:
            text = connection.execute(
                sa.select(reading_choices.c.choices).where(
                    reading_choices.c.headers == _headers_key(headers)
                )
            ).scalar()
        return None if text is None else json.loads(text)

    def close(self) -> None:
        self.engine.dispose()

    # --- internals -------------------------------------------------------------------

    def _migrate(self) -> None:
        with self._writing() as connection:
            schema_version.create(connection, checkfirst=True)
            found = connection.execute(sa.select(schema_version.c.version)).scalar()
            if found is None:
                connection.execute(schema_version.insert().values(version=0))
                found = 0
            if found > len(MIGRATIONS):
                raise StoreError(
                    f"The saved scenarios at {self.where} were written by a newer Support "
                    f"Planner (schema {found}; this one knows {len(MIGRATIONS)}). Update the "
                    "app before opening them; nothing was changed."
                )
            for migration in MIGRATIONS[found:]:
                migration(connection)
            if found < len(MIGRATIONS):
                connection.execute(schema_version.update().values(version=len(MIGRATIONS)))

    def _reading(self):
        return _Guard(self, self.engine.connect)

    def _writing(self):
        return _Guard(self, self.engine.begin)

    def _find(self, connection: Connection, name: str) -> int | None:
        return connection.execute(
            sa.select(scenarios.c.id).where(
                (scenarios.c.name == name) & scenarios.c.deleted_at.is_(None)
            )
        ).scalar()

    def _id(self, connection: Connection, name: str) -> int:
        sid = self._find(connection, name)
        if sid is None:
            raise StoreError(f"There is no saved scenario called '{name}'.")
        return sid

    def _latest(self, connection: Connection, sid: int) -> int:
        return connection.execute(
            sa.select(sa.func.max(versions.c.version)).where(versions.c.scenario_id == sid)
        ).scalar_one()

    def _create(self, connection: Connection, name: str) -> int:
        return connection.execute(
            scenarios.insert().values(name=name, created_at=_now()).returning(scenarios.c.id)
        ).scalar_one()

    def _keep_history(
        self, connection: Connection, history: VolumeHistory | None, report: IngestReport | None
    ) -> str | None:
        if history is None:
            return None
        payload = _pack_history(history)
        digest = hashlib.sha256(payload).hexdigest()
        known = connection.execute(
            sa.select(histories.c.digest).where(histories.c.digest == digest)
        ).scalar()
        if known is None:  # another save may store the same history meanwhile: keep theirs
            insert = {"sqlite": sqlite_insert, "postgresql": postgresql_insert}.get(
                connection.dialect.name
            )
            values = {
                "digest": digest,
                "saved_at": _now(),
                "tickets": history.total_tickets,
                "payload": payload,
                "report": None if report is None else report.to_json(),
            }
            if insert is None:
                connection.execute(histories.insert().values(**values))
            else:
                connection.execute(insert(histories).values(**values).on_conflict_do_nothing())
        return digest

    def _insert(self, connection, sid, number, author, note, values) -> None:
        connection.execute(
            versions.insert().values(
                scenario_id=sid,
                version=number,
                saved_at=_now(),
                author=author,
                note=note.strip(),
                **values,
            )
        )

    def _conflict(self, name: str, tried: int | None) -> SaveConflict:
        """What to say when version ``tried`` of ``name`` was taken by another save."""
        with self._reading() as connection:
            sid = self._find(connection, name)
            if sid is None:
                return SaveConflict(
                    f"'{name}' was created by someone else while you were saving. Nothing "
                    "was overwritten: save yours under another name.",
                    0,
                )
            latest = self._latest(connection, sid)
            by = connection.execute(
                sa.select(versions.c.author, versions.c.saved_at).where(
                    (versions.c.scenario_id == sid) & (versions.c.version == latest)
                )
            ).one()
        editing = "" if tried is None else f" while you were editing version {tried - 1}"
        return SaveConflict(
            f"'{name}' was saved as version {latest} by {by.author} at "
            f"{_utc(by.saved_at):%d %b %Y %H:%M} UTC{editing}. Nothing was overwritten: save "
            f"yours as version {latest + 1} on top of it, or as a new scenario.",
            latest,
        )


class _Guard:
    """A connection or transaction whose driver errors become ``StoreError``; a broken
    unique key (``IntegrityError``) is left for the caller to explain as a conflict."""

    def __init__(self, store: Store, opener):
        self.store, self.opener, self.context = store, opener, None

    def __enter__(self) -> Connection:
        try:
            self.context = self.opener()
            return self.context.__enter__()
        except sa.exc.SQLAlchemyError as exc:
            raise self._error(exc) from exc

    def __exit__(self, kind, value, traceback) -> bool:
        try:
            self.context.__exit__(kind, value, traceback)
        except sa.exc.IntegrityError:
            raise
        except sa.exc.SQLAlchemyError as exc:
            raise self._error(exc) from exc
        if isinstance(value, sa.exc.SQLAlchemyError) and not isinstance(
            value, sa.exc.IntegrityError
        ):
            raise self._error(value) from value
        return False

    def _error(self, exc: Exception) -> StoreError:
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        return StoreError(
            f"The saved scenarios at {self.store.where} cannot be used: {reason}. Check that "
            "the database is running and reachable (DATABASE_URL) or that the file can be "
            "written (PLANNER_DB); your edits are still on screen."
        )


def _sqlite_settings(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in (
        "journal_mode=WAL",
        "synchronous=FULL",
        "foreign_keys=ON",
        "busy_timeout=10000",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _describe(url: str) -> str:
    """Where the store is, for messages: the file, or the server and database without the
    password."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return str(parsed.database)
    return f"{parsed.host or 'localhost'}:{parsed.port or 5432}/{parsed.database}"


def _taken(name: str) -> StoreError:
    return StoreError(f"A scenario called '{name}' already exists; choose another name.")


def _loadable(scenario: Scenario) -> None:
    """Refuse a scenario that would not load back as itself (a value the scenario's own
    checks refuse, set around them): nothing is saved that ``load`` cannot read."""
    try:
        again = Scenario.from_json(scenario.to_json())
    except PlannerError as exc:
        raise StoreError(f"Not saved: this scenario could not be opened again. {exc}") from None
    if again != scenario:
        raise StoreError(
            "Not saved: this scenario would not open as it is now (a value does not survive "
            "saving). Check the settings changed last."
        )


def _required(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise StoreError(f"{what} is empty; fill it in and save again.")
    return text


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _utc(value: dt.datetime) -> dt.datetime:
    """SQLite gives back naive times: they were stored in UTC."""
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _headers_key(headers: list[str]) -> str:
    return hashlib.sha256(json.dumps(list(headers)).encode()).hexdigest()


def _pack_history(history: VolumeHistory) -> bytes:
    """The aggregates as a zip of Parquet tables and their settings; the same history
    packs to the same bytes (its digest names it), whenever it is saved."""
    buffer = io.BytesIO()

    def member(name: str) -> zipfile.ZipInfo:
        return zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))  # equal content, equal bytes

    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        meta = json.dumps({"freq": history.freq, "tz": history.time_zone})
        archive.writestr(member("meta.json"), meta)
        for part in HISTORY_PARTS:
            table = getattr(history, part)
            if table is not None:
                archive.writestr(member(f"{part}.parquet"), table.to_parquet(index=False))
    return buffer.getvalue()


@functools.lru_cache(maxsize=8)
def _organisation(people: str, ladder: str | None) -> org.Organisation:
    """The organisation stored as these CSV texts, read once: versions of a plan mostly
    share their people, and a version never changes."""
    read = None if ladder is None else org.read_ladder(io.StringIO(ladder))
    return org.Organisation(org.read_people(io.StringIO(people)), read)


_HISTORIES = Recent(4)


def _history(digest: str, payload: bytes) -> VolumeHistory:
    """The stored history with this digest, unpacked once (a digest names its content)."""
    return _HISTORIES.get_or(digest, lambda: _unpack_history(payload))


def _unpack_history(payload: bytes) -> VolumeHistory:
    """A stored history; tables a version saved before they existed are left out."""
    with zipfile.ZipFile(io.BytesIO(payload)) as archive:
        meta = json.loads(archive.read("meta.json"))
        stored = set(archive.namelist())
        parts = {
            part: pd.read_parquet(io.BytesIO(archive.read(f"{part}.parquet")))
            for part in HISTORY_PARTS
            if f"{part}.parquet" in stored
        }
    return VolumeHistory(freq=meta["freq"], time_zone=meta["tz"], **parts)
