"""The data's secret keys (`individ_nyckel`): the pseudonym key and the key that chooses which hidden counts
under 5 are shown ".." (dashboard/core/suppression.py). Each is its environment variable when set, otherwise
a random 256-bit secret made on first use and kept in the database; build-db never rewrites it."""

from __future__ import annotations

import os
import secrets

from sqlalchemy import Connection, Engine, insert, inspect, select

from dashboard.db.individ_schema import nyckel

MARKS = ("markering", "DASHBOARD_MARKERING_KEY")  # (name, environment variable) of the marks' key


def stored(conn: Connection, name: str, env: str) -> str | None:
    """The key in use, or None when none has been made yet."""
    if os.environ.get(env):
        return os.environ[env]
    if not inspect(conn).has_table(nyckel.name):
        return None
    return conn.execute(select(nyckel.c.secret).where(nyckel.c.name == name)).scalar()


def ensure(conn: Connection, name: str, env: str) -> str:
    """The key, made and stored now if there is none (inside the caller's transaction)."""
    found = stored(conn, name, env)
    if found is None:
        nyckel.create(conn, checkfirst=True)
        found = secrets.token_hex(32)
        conn.execute(insert(nyckel).values(name=name, secret=found))
    return found


def marks_key(engine: Engine) -> str:
    """The key of the marks of the stored protected tables, made now if there is none."""
    with engine.begin() as conn:
        return ensure(conn, *MARKS)
