"""Test databases: every database test runs against SQLite and against PostgreSQL.

PostgreSQL is the server on 127.0.0.1:5432 (trust auth), or `TEST_POSTGRES_URL`. Where it cannot be
reached the PostgreSQL runs are skipped, except in CI (`CI=true`), where that is a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text

POSTGRES_ADMIN_URL = os.environ.get("TEST_POSTGRES_ADMIN_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
# One database per test session, so that parallel runs (and people) never share tables.
POSTGRES_URL = os.environ.get(
    "TEST_POSTGRES_URL", f"postgresql+psycopg://postgres@127.0.0.1:5432/dashboard_test_{os.getpid()}")
IN_CI = os.environ.get("CI", "").lower() == "true"
# Every worker builds the same bundle per backend: the protection's answers are remembered between those
# builds and runs (dashboard/core/suppression_memo.py; keyed by the counts and the protection's own source).
os.environ.setdefault("DASHBOARD_SKYDD_MEMO", os.path.expanduser("~/.cache/stockholm-dashboard/skydd"))
# …and so are the marks: one key for every test database (dashboard/db/keys.py; a real one makes its own).
os.environ.setdefault("DASHBOARD_MARKERING_KEY", "testernas-nyckel-for-markeringar")


def _drop_postgres_database() -> None:
    from queries.db import engine

    engine(POSTGRES_URL).dispose()
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{POSTGRES_URL.rsplit("/", 1)[1]}" WITH (FORCE)'))
    admin.dispose()


def _postgres_ready() -> str | None:
    """Create the test database if needed; return why it cannot be used, or None."""
    try:
        admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            name = POSTGRES_URL.rsplit("/", 1)[1]
            if not conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}).scalar():
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        admin.dispose()
    except Exception as error:  # noqa: BLE001 - any failure means: no server to test against
        return f"PostgreSQL kan inte nås ({POSTGRES_ADMIN_URL}): {error}"
    return None


class BuiltDatabases:
    """Each backend's database built from the bundled data, at most once per session, on first use."""

    def __init__(self, tmp_path_factory: pytest.TempPathFactory, finalizers: list) -> None:
        self._tmp, self._finalizers, self._urls = tmp_path_factory, finalizers, {}

    def url(self, backend: str) -> str:
        if backend not in self._urls:
            self._urls[backend] = self._build(backend)
        return self._urls[backend]

    def _build(self, backend: str) -> str:
        from dashboard.db.build import build_db
        from dashboard.db.schema import metadata
        from queries.db import engine

        if backend == "sqlite":
            url = f"sqlite:///{self._tmp.mktemp('db') / 'dashboard.sqlite'}"
        else:
            problem = _postgres_ready()
            if problem:
                if IN_CI:
                    pytest.fail(f"{problem} – i CI måste PostgreSQL-testerna köras")
                pytest.skip(problem)
            url = POSTGRES_URL
            metadata.drop_all(engine(url))
            if "TEST_POSTGRES_URL" not in os.environ:
                self._finalizers.append(_drop_postgres_database)
        build_db(url)
        return url


@pytest.fixture(scope="session")
def built_databases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BuiltDatabases]:
    finalizers: list = []
    yield BuiltDatabases(tmp_path_factory, finalizers)
    for finalize in finalizers:
        finalize()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, built_databases: BuiltDatabases) -> str:
    """A database built from the bundled data, once per backend and session."""
    return built_databases.url(request.param)


@pytest.fixture(scope="session")
def db(database_url: str) -> Engine:
    from queries.db import engine

    return engine(database_url)


_caches_hold: list[str] = []  # the database whose results Streamlit's caches may hold


def clear_streamlit_caches() -> None:
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture
def app_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The app's environment pointed at the test database; Streamlit's caches, which outlive an AppTest,
    are emptied when the backend changes, so no test reads another database's cached results."""
    if _caches_hold != [database_url]:
        clear_streamlit_caches()
        _caches_hold[:] = [database_url]
    monkeypatch.setenv("DATABASE_URL", database_url)
    yield database_url
