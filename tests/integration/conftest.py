"""The integration tier: the sample end to end, the command line, the exports, the store
and the warehouse. The sample plan is built once per session, here, for every test that
needs it; so is a real PostgreSQL server, started from Debian's ``postgresql`` package
(.ci/run installs it). Under CI=true a missing PostgreSQL fails the run instead of
skipping its tests."""

import datetime as dt
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

from planner import plan, sample

TODAY = dt.date(2026, 11, 23)  # the first day a requisition can open in the sample plan


@pytest.fixture(scope="session")
def sample_plan():
    """The sample scenario planned on the sample history and organisation: (result,
    roster, history, organisation)."""
    scenario, _, history, organisation = sample.load_shipped()
    result = plan.build(scenario, history, organisation=organisation, today=TODAY)
    return result, organisation.roster, history, organisation


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
