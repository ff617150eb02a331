"""The engine for the configured database (SQLite file by default, PostgreSQL via DATABASE_URL), and whether
that database can be read right now.

Readers never create a SQLite file: they open it in SQLite's URI mode `mode=rw`, so a missing file is an
error ("not built") instead of a new, empty database. Only `build-db` asks for `engine(url, create=True)`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache, wraps
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, make_url

from dashboard.core import config

LOG = logging.getLogger(__name__)
BUILD_COMMAND = "python -m dashboard build-db"
START_COMMAND = "bash scripts/start.sh"
# Errors that may mean "the database is down or not built"; `problem()` decides which it is.
DATABASE_ERRORS: tuple[type[BaseException], ...] = (sa_exc.DBAPIError, sa_exc.TimeoutError,
                                                    sa_exc.DisconnectionError)


def _sqlite_foreign_keys(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL (None for PostgreSQL, in-memory or URI-mode URLs)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.query.get("uri") == "true":
        return None
    if not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _read_only_create(url: str) -> URL | str:
    """The URL that opens an existing SQLite file read-write but never creates it."""
    path = sqlite_path(url)
    if path is None:
        return url
    parsed = make_url(url)
    return parsed.set(database=path.resolve().as_uri(), query={**parsed.query, "mode": "rw", "uri": "true"})


@lru_cache(maxsize=8)
def _engine(url: str, create: bool) -> Engine:
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        created = create_engine(url if create else _read_only_create(url))
        event.listen(created, "connect", _sqlite_foreign_keys)
        return created
    # pre_ping: connections left in the pool while the server was down are replaced, not handed out
    options = {"connect_args": {"connect_timeout": 5}} if backend == "postgresql" else {}
    return create_engine(url, pool_pre_ping=True, **options)


def engine(url: str | None = None, *, create: bool = False) -> Engine:
    """The engine for `url` (default: the configured database); `create=True` may create a SQLite file."""
    url = url or config.database_url()
    return _engine(url, create and sqlite_path(url) is not None)


def with_database_url(cached: Callable[..., Any]) -> Callable[..., Any]:
    """Calls `cached(database_url, *args)` with the configured database, so that a cache (st.cache_data, whose
    key is the arguments) keeps each database's results apart. Put it above the cache decorator."""

    @wraps(cached)
    def call(*args: Any, **kwargs: Any) -> Any:
        return cached(config.database_url(), *args, **kwargs)

    call.clear = getattr(cached, "clear", None)  # type: ignore[attr-defined]
    return call


@dataclass(frozen=True)
class Problem:
    """Why the database cannot be read: `kind` is "unbuilt" or "unreachable"; `detail` is for the log only."""

    kind: str
    backend: str
    detail: str


def _required_tables() -> set[str]:
    import dashboard.db.audit  # noqa: F401 - the audit log and the deck tables live on the same metadata
    import dashboard.db.decks  # noqa: F401
    import dashboard.db.individ_schema  # noqa: F401
    from dashboard.db.schema import metadata

    return set(metadata.tables)


def problem(url: str | None = None) -> Problem | None:
    """None if the database answers and is built (every table there, the build finished); else why not.

    A cheap check (a connection, the table names and one row), meant to run on every page view."""
    url = url or config.database_url()
    backend = make_url(url).get_backend_name()
    path = sqlite_path(url)
    if path is not None and not path.is_file():
        return Problem("unbuilt", backend, f"SQLite-filen {path} finns inte")
    try:
        with engine(url).connect() as conn:
            missing = _required_tables() - set(inspect(conn).get_table_names())
            if missing:
                return Problem("unbuilt", backend, "tabeller saknas: " + ", ".join(sorted(missing)))
            built = conn.execute(text("SELECT value FROM build_info WHERE key = 'built_at'")).scalar()
            if built is None:
                return Problem("unbuilt", backend, "build_info saknar built_at (bygget blev aldrig klart)")
    except DATABASE_ERRORS as error:
        detail = f"{type(error).__name__}: {error}"
        busy = "locked" in detail or "busy" in detail  # e.g. SQLite while build-db writes
        # a SQLite file that is there but is no database we can read needs building
        return Problem("unbuilt" if path is not None and not busy else "unreachable", backend, detail)
    return None
