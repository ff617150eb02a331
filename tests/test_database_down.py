"""When the database is away or not built: one Swedish banner on every page, no traceback, no empty SQLite file,
and the page back on the next run once the database is; and every cache keeps each database's results apart."""

from __future__ import annotations

import os
import shutil
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, delete, insert, inspect, text

from dashboard.db.schema import datasets
from queries import db
from queries.db import engine
from tests.apptest import open_app
from tests.conftest import IN_CI, POSTGRES_ADMIN_URL, POSTGRES_URL, clear_streamlit_caches
from tests.seeds import REPO

PAGES = sorted(f"pages/{p.name}" for p in (REPO / "pages").glob("*.py"))
BUILD = "python -m dashboard build-db"
UNREACHABLE = "går inte att nå just nu"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _postgres_server() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 5432), timeout=2).close()
        return True
    except OSError:
        if IN_CI:
            pytest.fail("PostgreSQL måste gå att nå i CI")
        return False


needs_postgres = pytest.mark.skipif(not _postgres_server(), reason="ingen PostgreSQL på 127.0.0.1:5432")


def _admin(sql: str) -> None:
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(sql))
    admin.dispose()


def _pg_url(name: str) -> str:
    return f"{POSTGRES_URL.rsplit('/', 1)[0]}/{name}"


def _banner(at) -> str:
    """The page's one error banner (and no other error, no exception)."""
    assert not at.exception, [e.message for e in at.exception]
    assert len(at.error) == 1, [e.value for e in at.error]
    return at.error[0].value


def _assert_no_internals(banner: str, url: str) -> None:
    for internal in ("Traceback", "sqlalchemy", "psycopg", "OperationalError", url, "127.0.0.1", "/work/",
                     "/tmp", ".py"):
        assert internal not in banner, internal


@pytest.fixture
def fresh_caches() -> Iterator[None]:
    clear_streamlit_caches()
    yield
    clear_streamlit_caches()


@pytest.fixture
def scratch_copy(database_url: str) -> Iterator[str]:
    """A throwaway copy of the built test database (a file copy, or a PostgreSQL database from it as template)."""
    if database_url.startswith("sqlite"):
        source = Path(database_url.removeprefix("sqlite:///"))
        target = source.with_name(f"kopia-{os.urandom(4).hex()}.sqlite")
        shutil.copy(source, target)
        yield f"sqlite:///{target}"
        engine(f"sqlite:///{target}").dispose()
        target.unlink(missing_ok=True)
        return
    name = f"dashboard_kopia_{os.getpid()}_{os.urandom(3).hex()}"
    engine(database_url).dispose()  # a template must have no open connections
    _admin(f'CREATE DATABASE "{name}" TEMPLATE "{database_url.rsplit("/", 1)[1]}"')
    yield _pg_url(name)
    engine(_pg_url(name)).dispose()
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_unbuilt_sqlite_every_page_says_how_to_build_and_creates_no_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_caches: None) -> None:
    path = tmp_path / "var" / "dashboard.sqlite"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    for page in PAGES:
        banner = _banner(open_app(page))
        assert "inte byggd" in banner and BUILD in banner and "bash scripts/start.sh" in banner, page
        assert "kontakta" in banner.lower() or "förvaltar dashboarden" in banner
        _assert_no_internals(banner, str(path))
    assert not path.exists() and not path.parent.exists(), "att öppna en sida skapade databasfilen"


def test_reading_engine_never_creates_a_sqlite_file_but_build_does(tmp_path: Path) -> None:
    from dashboard.db.build import build_db

    url = f"sqlite:///{tmp_path / 'ny.sqlite'}"
    with pytest.raises(db.DATABASE_ERRORS):
        engine(url).connect()
    assert not (tmp_path / "ny.sqlite").exists()
    assert db.problem(url).kind == "unbuilt"
    build_db(url, include_demo=False)
    assert (tmp_path / "ny.sqlite").is_file()
    assert db.problem(url) is None
    engine(url).dispose()
    engine(url, create=True).dispose()


@pytest.mark.parametrize("case", ["database missing", "port closed"])
def test_postgres_away_every_page_shows_one_banner(case: str, monkeypatch: pytest.MonkeyPatch,
                                                   fresh_caches: None) -> None:
    if case == "database missing" and not _postgres_server():
        pytest.skip("ingen PostgreSQL-server att fråga efter en databas som saknas")
    url = (_pg_url(f"finns_inte_{os.getpid()}") if case == "database missing"
           else f"postgresql+psycopg://postgres@127.0.0.1:{_free_port()}/dashboard")
    monkeypatch.setenv("DATABASE_URL", url)
    for page in PAGES:
        banner = _banner(open_app(page))
        assert UNREACHABLE in banner and "kan siffrorna inte visas" in banner, page
        assert "kontakta den som förvaltar dashboarden" in banner
        _assert_no_internals(banner, url)


@needs_postgres
def test_postgres_page_comes_back_when_the_database_does(database_url: str, monkeypatch: pytest.MonkeyPatch,
                                                          fresh_caches: None) -> None:
    """Missing, then there but empty (not built), then built: the same AppTest, rerun, follows each step."""
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL-fallet")
    name = f"kommer_tillbaka_{os.getpid()}"
    url = _pg_url(name)
    monkeypatch.setenv("DATABASE_URL", url)
    try:
        at = open_app("pages/data.py")
        assert UNREACHABLE in _banner(at)
        _admin(f'CREATE DATABASE "{name}"')
        at.run()
        assert "inte byggd" in _banner(at)
        _admin(f'DROP DATABASE "{name}" WITH (FORCE)')  # the app's pooled connection dies with it
        engine(database_url).dispose()
        _admin(f'CREATE DATABASE "{name}" TEMPLATE "{database_url.rsplit("/", 1)[1]}"')
        at.run()
        assert not at.exception and not at.error
        assert any("Arbetsmarknadsrapport 2022" in e.label for e in at.expander)
    finally:
        engine(url).dispose()
        _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_sqlite_page_comes_back_once_built(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           fresh_caches: None) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite-fallet")
    path = tmp_path / "dashboard.sqlite"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    at = open_app("pages/data.py")
    assert BUILD in _banner(at)
    shutil.copy(database_url.removeprefix("sqlite:///"), path)  # as build-db would leave it
    at.run()
    assert not at.exception and not at.error
    assert any("Arbetsmarknadsrapport 2022" in e.label for e in at.expander)
    engine(f"sqlite:///{path}").dispose()


def test_database_lost_while_the_page_runs_gives_the_banner(scratch_copy: str, monkeypatch: pytest.MonkeyPatch,
                                                            fresh_caches: None) -> None:
    """The check before the page passes; then the database goes (for real), and the page's own query fails."""
    real = db.problem
    calls = []

    def problem_then_gone(url: str | None = None):
        found = real(url)
        if not calls:
            if scratch_copy.startswith("sqlite"):
                engine(scratch_copy).dispose()
                Path(scratch_copy.removeprefix("sqlite:///")).unlink()
            else:
                engine(scratch_copy).dispose()
                _admin(f'DROP DATABASE "{scratch_copy.rsplit("/", 1)[1]}" WITH (FORCE)')
        calls.append(found)
        return found

    monkeypatch.setattr(db, "problem", problem_then_gone)
    monkeypatch.setenv("DATABASE_URL", scratch_copy)
    at = open_app("pages/data.py")
    assert calls[0] is None and calls[-1] is not None
    banner = _banner(at)
    assert ("inte byggd" if scratch_copy.startswith("sqlite") else UNREACHABLE) in banner
    assert [t.value for t in at.title] == ["Data och källor"]  # the page's own heading, once


def test_a_query_error_with_the_database_fine_is_not_hidden(scratch_copy: str, monkeypatch: pytest.MonkeyPatch,
                                                            fresh_caches: None) -> None:
    """The banner is for a database that is away or unbuilt, not a cover for a broken query."""
    from queries import coverage

    def broken(engine_=None):
        with engine_.connect() as conn:
            conn.execute(text("SELECT * FROM no_such_table"))

    monkeypatch.setattr(coverage, "datasets_overview", broken)
    monkeypatch.setenv("DATABASE_URL", scratch_copy)
    at = open_app("pages/data.py")
    assert at.exception and not at.error


def test_reading_decks_creates_no_table(scratch_copy: str, fresh_caches: None,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from dashboard.db.decks import TABLES
    from queries.decks import list_decks

    scratch = engine(scratch_copy)
    for table in reversed(TABLES):
        table.drop(scratch)
    with pytest.raises(db.DATABASE_ERRORS):
        list_decks(scratch)
    assert not {"decks", "deck_slides"} & set(inspect(scratch).get_table_names()), "en läsning skapade tabeller"
    found = db.problem(scratch_copy)
    assert found.kind == "unbuilt" and "decks" in found.detail
    monkeypatch.setenv("DATABASE_URL", scratch_copy)
    assert BUILD in _banner(open_app("pages/presentation.py"))
    assert not {"decks", "deck_slides"} & set(inspect(scratch).get_table_names())


def test_a_page_shows_only_its_own_databases_values(built_databases, monkeypatch: pytest.MonkeyPatch,
                                                    fresh_caches: None) -> None:
    """A data set that exists only in the PostgreSQL test database: shown with PostgreSQL, never with SQLite,
    whichever ran first in the process (the caches outlive an AppTest)."""
    from dashboard import ui

    sqlite_url, pg_url = built_databases.url("sqlite"), built_databases.url("postgresql")
    marker = f"Markör som bara finns i PostgreSQL ({os.getpid()})"
    with engine(pg_url).begin() as conn:
        conn.execute(insert(datasets).values(dataset="test_markor_pg", title=marker, is_demo=False,
                                             origin="test", description="Bara för testet."))
    try:
        for url, shown in ((sqlite_url, False), (pg_url, True), (sqlite_url, False), (pg_url, True)):
            monkeypatch.setenv("DATABASE_URL", url)
            assert (marker in set(ui.datasets_overview()["title"])) is shown, url  # the cache's own key
            at = open_app("pages/data.py")
            assert not at.exception
            assert any(marker in e.label for e in at.expander) is shown, url
    finally:
        with engine(pg_url).begin() as conn:
            conn.execute(delete(datasets).where(datasets.c.dataset == "test_markor_pg"))
