"""The two databases a store runs on: SQLite in a temporary folder, and a database on the
session's PostgreSQL server (``postgres_server`` in the tier's conftest)."""

import contextlib
import uuid

import pytest
import sqlalchemy as sa

from planner import store


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
