"""The project's own pseudonyms: HMAC-SHA256 of the case system's id under a secret key, so the same person
gets the same pseudonym in every file of a data set, and the case system's id is never stored.

The key is `DASHBOARD_PSEUDONYM_KEY` when set, otherwise a random 256-bit secret kept in the database
(`individ_nyckel`), made by the first import of individual-level data and never rewritten by build-db. Without
the key, a pseudonym cannot be traced back to the id (nor an id tried against the pseudonyms).
"""

from __future__ import annotations

import hashlib
import hmac

from sqlalchemy import Connection

from dashboard.db import keys

ENV = "DASHBOARD_PSEUDONYM_KEY"
NAME = "pseudonym"


def stored_key(conn: Connection) -> str | None:
    """The key in use, or None when no import has made one yet."""
    return keys.stored(conn, NAME, ENV)


def key(conn: Connection) -> str:
    """The key, made and stored now if there is none (inside the caller's transaction)."""
    return keys.ensure(conn, NAME, ENV)


def person_id(secret: str, dataset: str, raw_id: str) -> str:
    """'p-' and 32 hex digits: the pseudonym of the case system's `raw_id` in `dataset`."""
    digest = hmac.new(secret.encode(), f"{dataset}\x1f{raw_id}".encode(), hashlib.sha256).hexdigest()
    return "p-" + digest[:32]


def row_id(prefix: str, *parts: object) -> str:
    """A stable id of a register row made from its pseudonym and what tells it apart (year, start day …)."""
    return prefix + "-" + hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:32]
