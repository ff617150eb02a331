"""`python -m dashboard backup` and `restore` on SQLite and PostgreSQL: the round trip of every table, refusals
that leave the database as it was, a consistent copy while others write, and a restore that is all or nothing.

Each test gets its own small database built without the demo (tests/test_ingest.py's fixtures)."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import tarfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text

from dashboard.db import decks, schema
from dashboard.db.backup import MANIFEST, BackupError, backup, opened, restore
from dashboard.db.build import build_db
from dashboard.ingest import commit, preview
from dashboard.ingest.remove import remove_dataset
from queries.db import engine as make_engine
from tests import fixtures_af as af
from tests import fixtures_jsonstat as js
from tests import test_ingest
from tests.test_ingest import table_checksums

BACKENDS = test_ingest.BACKENDS
empty_url, db = test_ingest.empty_url, test_ingest.db  # the fixtures: a database built without the demo


def _fill(db: Engine) -> str:
    """What exists nowhere else: an import (with its original file in the log) and a deck; the data set's id."""
    done = commit(preview(af.af_file(), "af.xlsx", db), db, description="AF:s webbplats")
    deck = decks.create_deck("Nämnden december", db)
    decks.add_slide(deck, "karta", {"matt": "af_arbetslosa_16_66", "kon": "kvinnor"}, "Arbetslösa", db)
    return done.dataset


def _restore(path: Path, url: str, **options) -> dict[str, int]:  # noqa: ANN003
    with opened(path, url) as checked:
        return restore(checked, **options)


def _count(db: Engine, table) -> int:  # noqa: ANN001
    with db.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar())


@BACKENDS
def test_a_backup_restores_every_table_as_it_was(db: Engine, empty_url: str, tmp_path: Path) -> None:
    dataset = _fill(db)
    before = table_checksums(db)
    assert {"observations", "imports", "decks", "deck_slides", "audit_log", "individ_nyckel"} <= set(before)
    made = backup(empty_url, tmp_path / "kopia.tar")
    assert made.tables["imports"] == 1 and made.tables["deck_slides"] == 1
    assert (tmp_path / "kopia.tar").stat().st_mode & 0o077 == 0  # the owner's only
    # what a bad day does: the import removed, another one made, the decks gone, a bundled table emptied
    remove_dataset(dataset, db)
    commit(preview(js.jsonstat_file(), "am0210a.json", db), db, description="SCB")
    with db.begin() as conn:
        conn.execute(decks.decks.delete())
        conn.execute(schema.glossary.delete())
    assert table_checksums(db) != before
    counts = _restore(tmp_path / "kopia.tar", empty_url)
    assert counts == made.tables
    assert table_checksums(db) == before
    # the restored database goes on working: ids continue after the restored rows, the same file is unchanged
    assert preview(af.af_file(), "af.xlsx", db).changes == 0
    commit(preview(js.jsonstat_file(), "am0210a.json", db), db, description="SCB")
    assert _count(db, schema.imports) == 2


@BACKENDS
def test_a_backup_is_consistent_while_another_connection_writes(db: Engine, empty_url: str, tmp_path: Path) -> None:
    """A write in progress (not committed) is neither waited for nor copied."""
    before = table_checksums(db)
    writer = make_engine(empty_url).connect()
    try:
        writer.begin()
        writer.execute(schema.glossary.delete())
        made = backup(empty_url, tmp_path / "kopia.tar")
        writer.commit()
    finally:
        writer.close()
    assert _count(db, schema.glossary) == 0
    assert made.tables["glossary"] > 0
    _restore(tmp_path / "kopia.tar", empty_url)
    assert table_checksums(db) == before


def _tar(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    return out.getvalue()


def _members(path: Path) -> dict[str, bytes]:
    with tarfile.open(path) as archive:
        return {m.name: archive.extractfile(m).read() for m in archive.getmembers()}


def _with_manifest(members: dict[str, bytes], **changes) -> bytes:  # noqa: ANN003
    manifest = {**json.loads(members[MANIFEST]), **changes}
    return _tar({**members, MANIFEST: json.dumps(manifest).encode()})


def _flipped(members: dict[str, bytes]) -> bytes:
    (name,) = set(members) - {MANIFEST}
    content = bytearray(members[name])
    content[len(content) // 2] ^= 0xFF
    return _tar({**members, name: bytes(content)})


BROKEN = {
    "an Excel file": (lambda good: af.af_file(),
                      "filen är ingen säkerhetskopia från python -m dashboard backup (inte en tar-fil)"),
    "a tar file of something else": (lambda good: _tar({"data.csv": b"a,b\n"}),
                                     "filen är ingen säkerhetskopia från python -m dashboard backup "
                                     "(backup.json saknas)"),
    "another program's backup.json": (lambda good: _tar({MANIFEST: b'{"format": "annat"}'}),
                                      "filen är ingen säkerhetskopia från python -m dashboard backup "
                                      "(backup.json är inte dashboardens)"),
    "a newer format": (lambda good: _with_manifest(_members(good), version=99),
                       "säkerhetskopian har formatet 99, som en nyare version av dashboarden skriver; uppdatera "
                       "dashboarden först"),
    "cut off halfway": (lambda good: good.read_bytes()[: good.stat().st_size // 2],
                        "säkerhetskopian är skadad eller ofullständig (den tar slut för tidigt)"),
    "a changed byte": (lambda good: _flipped(_members(good)), "har inte den kontrollsumma som backup.json anger"),
    "the database left out": (lambda good: _tar({MANIFEST: _members(good)[MANIFEST]}),
                              "säkerhetskopian är ofullständig: database."),
}


@BACKENDS
@pytest.mark.parametrize("name", list(BROKEN))
def test_a_file_that_is_no_good_backup_is_refused_and_changes_nothing(db: Engine, empty_url: str, tmp_path: Path,
                                                                      name: str) -> None:
    good = tmp_path / "kopia.tar"
    backup(empty_url, good)
    make, message = BROKEN[name]
    bad = tmp_path / "trasig.tar"
    bad.write_bytes(make(good))
    with db.begin() as conn:  # so that a restore would show
        conn.execute(schema.glossary.delete())
    before = table_checksums(db)
    with pytest.raises(BackupError) as caught:
        _restore(bad, empty_url)
    assert str(caught.value).startswith("Fel i trasig.tar: ") and message in str(caught.value)
    assert table_checksums(db) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no extracted copy left


@pytest.fixture
def both(tmp_path: Path) -> Iterator[dict[str, str]]:
    """A SQLite and a PostgreSQL database, both built without the demo."""
    name = f"dashboard_backup_{os.getpid()}"
    urls = {"sqlite": f"sqlite:///{tmp_path / 'b.sqlite'}", "postgresql": test_ingest._new_postgres(name)}
    for url in urls.values():
        build_db(url, include_demo=False)
    yield urls
    test_ingest._drop_postgres(name, urls["postgresql"])


def test_a_backup_of_one_kind_of_database_is_refused_by_the_other(both: dict[str, str], tmp_path: Path) -> None:
    for backend, url in both.items():
        backup(url, tmp_path / f"{backend}.tar")
    told = {"sqlite": "säkerhetskopian är av en SQLite-databas, men databasen postgresql",
            "postgresql": "säkerhetskopian är av en PostgreSQL-databas, men databasen sqlite"}
    for backend, url in both.items():
        other = "postgresql" if backend == "sqlite" else "sqlite"
        before = table_checksums(make_engine(url))
        with pytest.raises(BackupError, match=f"^Fel i {other}.tar: {told[other]}.*samma slags databas$"):
            _restore(tmp_path / f"{other}.tar", url)
        assert table_checksums(make_engine(url)) == before


def test_a_sqlite_restore_waits_for_a_write_and_then_gives_up_leaving_the_database_as_it_was(
        tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'levande.sqlite'}"
    build_db(url, include_demo=False)
    db = make_engine(url)
    backup(url, tmp_path / "kopia.tar")
    with db.begin() as conn:
        conn.execute(schema.glossary.delete())
    before = table_checksums(db)
    writer = sqlite3.connect(tmp_path / "levande.sqlite")
    writer.execute("BEGIN IMMEDIATE")  # the app in the middle of a write
    try:
        with pytest.raises(BackupError, match="återställningen avbröts och databasen är som förut .*upptagen"):
            _restore(tmp_path / "kopia.tar", url, wait=0.5)
    finally:
        writer.rollback()
        writer.close()
    assert table_checksums(db) == before
    _restore(tmp_path / "kopia.tar", url, wait=0.5)  # once the write is done it goes through
    assert _count(db, schema.glossary) > 0


def test_a_postgresql_restore_that_fails_partway_leaves_the_database_as_it_was(tmp_path: Path) -> None:
    """pg_restore --single-transaction: a drop that fails at the end undoes every table restored before it."""
    name = f"dashboard_backup_{os.getpid()}"
    url = test_ingest._new_postgres(name)
    try:
        build_db(url, include_demo=False)
        db = make_engine(url)
        backup(url, tmp_path / "kopia.tar")
        with db.begin() as conn:
            conn.execute(schema.glossary.delete())
            # made after the backup: a view on observations keeps --clean from dropping that table
            conn.execute(text("CREATE VIEW egen_vy AS SELECT count(*) AS n FROM observations"))
        before = table_checksums(db)
        with pytest.raises(BackupError, match="återställningen avbröts och databasen är som förut .*observations"):
            _restore(tmp_path / "kopia.tar", url)
        assert table_checksums(db) == before
        assert _count(db, schema.glossary) == 0
    finally:
        test_ingest._drop_postgres(name, url)


@BACKENDS
def test_the_command_line_backs_up_says_what_it_restores_and_asks(db: Engine, empty_url: str, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture) -> None:
    from dashboard.__main__ import main

    monkeypatch.setenv("DATABASE_URL", empty_url)
    _fill(db)
    path = tmp_path / "kopia.tar"
    assert main(["backup", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Säkerhetskopia av en " in out and "1 importer, 1 presentationer" in out
    assert main(["backup", str(path)]) == 1
    assert f"Fel i {path}: filen finns redan" in capsys.readouterr().err
    with db.begin() as conn:
        conn.execute(decks.deck_slides.delete())
    before = table_checksums(db)
    assert main(["restore", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Databasen byggdes " in out and "  deck_slides: 0 → 1" in out and "Inget ändrades (--dry-run)." in out
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    assert main(["restore", str(path)]) == 1
    assert "Avbrutet: inget ändrades." in capsys.readouterr().out
    assert table_checksums(db) == before
    monkeypatch.setattr("builtins.input", lambda prompt: "j")
    assert main(["restore", str(path)]) == 0
    assert "Databasen återställd ur kopia.tar: " in capsys.readouterr().out
    assert _count(db, decks.deck_slides) == 1
    assert main(["restore", str(tmp_path / "finns_inte.tar"), "--yes"]) == 1
    assert "Fel i finns_inte.tar: filen kan inte läsas" in capsys.readouterr().err


@pytest.mark.parametrize("empty_url", ["postgresql"], indirect=True)
def test_without_a_fitting_pg_dump_postgresql_is_not_backed_up(db: Engine, empty_url: str, tmp_path: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    with monkeypatch.context() as patched:
        patched.setenv("PATH", str(tmp_path))  # no pg_dump here
        with pytest.raises(BackupError, match="programmet pg_dump finns inte här; installera Debians "
                                              "postgresql-client"):
            backup(empty_url, tmp_path / "kopia.tar")
    monkeypatch.setattr("dashboard.db.backup._tool", lambda name, where: "9.6")
    with pytest.raises(BackupError, match=r"pg_dump 9\.6 är äldre än servern \(PostgreSQL 1\d\.\d+\) och kan inte "
                                          r"säkerhetskopiera den; installera postgresql-client-1\d$"):
        backup(empty_url, tmp_path / "kopia.tar")
    assert list(tmp_path.iterdir()) == []  # nothing left behind
