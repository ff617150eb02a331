"""queries.demo decides which data sets are read; the stored tables' override stays where it was asked for."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from dashboard.db.schema import datasets
from queries.demo import every_data_set, shown_only


def _filters_demo() -> bool:
    return "is_demo" in str(shown_only(select(datasets.c.dataset)))


def test_every_data_set_holds_only_in_its_own_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DASHBOARD_DEMO", "0")
    assert _filters_demo()
    seen: list[bool] = []
    with every_data_set():
        assert not _filters_demo()
        other = threading.Thread(target=lambda: seen.append(_filters_demo()))  # another session of the server
        other.start()
        other.join()
    assert seen == [True] and _filters_demo()
