"""The one rule for which data sets the queries read: every one, or with `DASHBOARD_DEMO=0` only published ones."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from sqlalchemy import Select, false

from dashboard.core import config
from dashboard.db.schema import datasets

Q = TypeVar("Q", bound=Select)
_EVERY_DATA_SET: ContextVar[bool] = ContextVar("every_data_set", default=False)


@contextmanager
def every_data_set() -> Iterator[None]:
    """Read the demo too, here only (this thread or task), whatever DASHBOARD_DEMO says: for computing stored
    tables that the reading side filters again. Other sessions of a running server are not affected."""
    token = _EVERY_DATA_SET.set(True)
    try:
        yield
    finally:
        _EVERY_DATA_SET.reset(token)


def shown_only(query: Q) -> Q:
    """`query` (which joins `datasets`) limited to the data sets that may be shown."""
    if _EVERY_DATA_SET.get() or config.demo_enabled():
        return query
    return query.where(datasets.c.is_demo == false())
