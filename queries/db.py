"""The engine for the configured database (SQLite file by default, PostgreSQL via DATABASE_URL)."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Engine, create_engine, event

from dashboard import config


def _sqlite_foreign_keys(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


@lru_cache(maxsize=8)
def _engine(url: str) -> Engine:
    created = create_engine(url)
    if created.dialect.name == "sqlite":
        event.listen(created, "connect", _sqlite_foreign_keys)
    return created


def engine(url: str | None = None) -> Engine:
    return _engine(url or config.database_url())
