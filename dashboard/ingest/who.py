"""Who is importing: one function, to be replaced by the signed-in user once sign-in exists."""

from __future__ import annotations

LOCAL_USER = "lokal användare"


def current_user() -> str:
    """The name the import log records for the person importing."""
    return LOCAL_USER
