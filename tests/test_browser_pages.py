"""Every page in a real browser: it renders, shows no error and asks nothing of the internet."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import CHROMIUM, TIMEOUT_MS, browser_page, dashboard_server, screenshot, settle

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")]

PAGES = [
    ("oversikt", "Översikt"),
    ("kaa", "KAA"),
    ("stockholmsjobb", "Stockholmsjobb"),
    ("jobbtorg", "Jobbtorg"),
    ("feriejobb", "Feriejobb"),
    ("omraden", "Uppföljning per område"),
    ("indikatorer", "Indikatorer"),
    ("begrepp", "Begrepp"),
    ("data", "Data och källor"),
]


GENDER_SWITCHED = [
    ("kaa?kon=kvinnor", "KAA"),
    ("jobbtorg?kon=kvinnor", "Jobbtorg"),
    ("stockholmsjobb?kon=kvinnor", "Stockholmsjobb"),
    ("omraden?kon=kvinnor&niva=stadsdelsomrade", "Uppföljning per område"),
]


def test_every_page_renders_offline(database_url: str) -> None:
    backend = database_url.split(":")[0].split("+")[0]
    with dashboard_server(database_url) as base, browser_page(height=2200) as (page, outside):
        shots = [(p, h, f"sida-{p}-{backend}") for p, h in PAGES]
        shots += [(p, h, f"sida-{p.split('?')[0]}-kvinnor-{backend}") for p, h in GENDER_SWITCHED]
        for path, heading, name in shots:
            page.goto(f"{base}/{path}")
            settle(page, heading)
            if path.startswith("omraden"):
                table_heading = page.get_by_text("Alla områden").first
                try:
                    table_heading.wait_for(timeout=TIMEOUT_MS)
                except Exception:  # say what the page showed instead
                    screenshot(page, f"{name}-fel")
                    pytest.fail(f"{path}: ingen tabell ”Alla områden”; sidan visade: {page.inner_text('body')[:1500]}")
                settle(page)
            screenshot(page, name)
            assert page.locator("[data-testid='stException']").count() == 0, path
    assert outside == [], f"sidorna försökte nå internet: {outside}"
