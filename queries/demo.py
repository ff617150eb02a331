"""The one rule for which data sets the queries read: every one, or with `DASHBOARD_DEMO=0` only published ones."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import Select, false

from dashboard import config
from dashboard.schema import datasets

Q = TypeVar("Q", bound=Select)


def shown_only(query: Q) -> Q:
    """`query` (which joins `datasets`) limited to the data sets that may be shown."""
    return query if config.demo_enabled() else query.where(datasets.c.is_demo == false())
