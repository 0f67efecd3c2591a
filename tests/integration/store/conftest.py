"""The two databases a store runs on: SQLite in a temporary folder, and a real PostgreSQL
server started for the session from Debian's ``postgresql`` package (.ci/run installs it).
Under CI=true a missing PostgreSQL fails the run instead of skipping its tests."""

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from planner import store


def _postgres_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _as_server_user(command: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run it as the package's 'postgres' user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else command


@pytest.fixture(scope="session")
def postgres_server():
    """A throwaway PostgreSQL cluster on a free loopback port; yields its admin URL."""
    if os.environ.get("PLANNER_TEST_POSTGRES"):
        yield os.environ["PLANNER_TEST_POSTGRES"]
        return
    binaries = _postgres_bin()
    if binaries is None:
        message = "PostgreSQL is missing: apt-get install postgresql (.ci/run does it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    home = Path(tempfile.mkdtemp(prefix="planner-pg-"))
    home.chmod(0o777)
    data, sockets = home / "data", home / "run"
    sockets.mkdir()
    sockets.chmod(0o777)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    subprocess.run(
        _as_server_user([str(binaries / "initdb"), "-D", str(data), "-U", "planner",
                         "-A", "trust", "-E", "UTF8", "--no-sync"]),
        check=True, capture_output=True,
    )  # fmt: skip
    subprocess.run(
        _as_server_user([str(binaries / "pg_ctl"), "-D", str(data), "-w", "-l",
                         str(home / "log"), "-o",
                         f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1 -c fsync=off",
                         "start"]),
        check=True, capture_output=True,
    )  # fmt: skip
    try:
        yield f"postgresql://planner@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_server_user([str(binaries / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
            capture_output=True,
        )
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path):
    """A URL of an empty database of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'planner.db'}"
        return
    admin_url = request.getfixturevalue("postgres_server")
    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(store.database_url(admin_url), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield store.database_url(admin_url).rsplit("/", 1)[0] + f"/{name}"
    with contextlib.suppress(sa.exc.SQLAlchemyError), admin.connect() as connection:
        connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()
