"""The data's secret keys: made once, kept in the database, each apart; an environment variable wins."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine

from dashboard.db import keys
from dashboard.ingest import pseudonym


def test_the_marks_key_is_made_once_and_kept_apart_from_the_pseudonym_key(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv(keys.MARKS[1], raising=False)
    monkeypatch.delenv(pseudonym.ENV, raising=False)
    db = create_engine(f"sqlite:///{tmp_path / 'nycklar.sqlite'}")
    with db.connect() as conn:
        assert keys.stored(conn, *keys.MARKS) is None
    first = keys.marks_key(db)
    assert len(first) == 64 and keys.marks_key(db) == first
    with db.begin() as conn:
        assert pseudonym.key(conn) != first
        assert keys.stored(conn, *keys.MARKS) == first


def test_the_environment_names_the_key(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(keys.MARKS[1], "från miljön")
    assert keys.marks_key(create_engine(f"sqlite:///{tmp_path / 'x.sqlite'}")) == "från miljön"
