"""The database away or not built, in a real browser: one Swedish banner, no traceback, nothing created, the
details in the server's log, and the page back by itself (no reload) once the database is."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from queries.db import engine
from tests.browser import CHROMIUM, TIMEOUT_MS, browser_page, dashboard_server, screenshot, server_log, settle
from tests.test_database_down import _admin, _free_port, _pg_url, _postgres_server

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")]

PATHS = ["oversikt", "karta", "kaa", "stockholmsjobb", "jobbtorg", "omraden", "indikatorer", "presentation",
         "begrepp", "data"]
INTERNALS = ["Traceback", "OperationalError", "sqlalchemy", "psycopg", "/work/", "/tmp/", ".py", "127.0.0.1"]


def _banner(page, phrase: str) -> str:
    alert = page.locator("[data-testid='stAlertContentError']")
    alert.filter(has_text=phrase).first.wait_for(state="visible", timeout=TIMEOUT_MS)
    settle(page)
    assert alert.count() == 1
    assert page.locator("[data-testid='stException']").count() == 0
    body = page.inner_text("body")
    for internal in INTERNALS:
        assert internal not in body, internal
    return alert.first.inner_text()


@pytest.mark.parametrize("case", ["postgresql-database-saknas", "postgresql-stangd-port", "sqlite-ej-byggd"])
def test_every_page_shows_the_banner_and_no_traceback(case: str, tmp_path: Path) -> None:
    if case == "postgresql-database-saknas" and not _postgres_server():
        pytest.skip("ingen PostgreSQL-server")
    sqlite_file = tmp_path / "var" / "dashboard.sqlite"
    url = {"postgresql-database-saknas": _pg_url(f"finns_inte_{os.getpid()}"),
           "postgresql-stangd-port": f"postgresql+psycopg://postgres@127.0.0.1:{_free_port()}/dashboard",
           "sqlite-ej-byggd": f"sqlite:///{sqlite_file}"}[case]
    phrase = "är inte byggd" if case.startswith("sqlite") else "går inte att nå just nu"
    with dashboard_server(url) as base, browser_page() as (page, outside):
        for path in PATHS:
            page.goto(f"{base}/{path}")
            text = _banner(page, phrase)
            assert "den som förvaltar dashboarden" in text, path
            if case.startswith("sqlite"):
                assert "python -m dashboard build-db" in text and "bash scripts/start.sh" in text
            if path == "data":
                screenshot(page, f"databas-{case}")
        assert "Databasen kan inte läsas" in server_log(base)  # the details went to the log …
        assert "Försök igen" in page.inner_text("body")
    assert outside == []
    assert not sqlite_file.exists() and not sqlite_file.parent.exists(), "sidorna skapade en tom databasfil"


def test_the_page_comes_back_by_itself(database_url: str, tmp_path: Path) -> None:
    """Opened while the database is missing; then it appears (a copy of the built one, as build-db leaves it)
    and the open page shows the figures without a reload."""
    backend = database_url.split(":")[0].split("+")[0]
    name = f"kommer_tillbaka_b_{os.getpid()}"
    url = f"sqlite:///{tmp_path / 'dashboard.sqlite'}" if backend == "sqlite" else _pg_url(name)
    try:
        with dashboard_server(url) as base, browser_page() as (page, outside):
            page.goto(f"{base}/data")
            _banner(page, "är inte byggd" if backend == "sqlite" else "går inte att nå just nu")
            if backend == "sqlite":
                shutil.copy(database_url.removeprefix("sqlite:///"), tmp_path / "dashboard.sqlite")
            else:
                engine(database_url).dispose()  # a template database must have no open connections
                _admin(f'CREATE DATABASE "{name}" TEMPLATE "{database_url.rsplit("/", 1)[1]}"')
            page.get_by_text("Arbetsmarknadsrapport 2022").first.wait_for(state="visible", timeout=TIMEOUT_MS)
            settle(page, "Data och källor")
            assert page.locator("[data-testid='stAlertContentError']").count() == 0
            assert page.locator("[data-testid='stException']").count() == 0
            screenshot(page, f"databas-tillbaka-{backend}")
            assert "Databasen svarar igen" in server_log(base)
        assert outside == []
    finally:
        if backend != "sqlite":
            _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
