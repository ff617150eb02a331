"""Importera in a real browser: upload an Arbetsförmedlingen file, read the preview, import, offline."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests import fixtures_af as af
from tests.browser import CHROMIUM, TIMEOUT_MS, browser_page, dashboard_server, screenshot, settle

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")]


def test_upload_preview_import_in_the_browser(tmp_path: Path) -> None:
    from dashboard.db.build import build_db

    url = f"sqlite:///{tmp_path / 'importera.sqlite'}"
    build_db(url, include_demo=False)  # its own database: the import writes
    upload = tmp_path / "arbetslosa_kommun_2026-08.xlsx"
    upload.write_bytes(af.af_file())
    with dashboard_server(url) as base, browser_page(height=2000) as (page, outside):
        page.goto(f"{base}/importera")
        settle(page, "Importera")
        page.locator("input[type='file']").set_input_files(str(upload))
        page.get_by_text("Förhandsgranskning").wait_for(timeout=TIMEOUT_MS)
        page.get_by_role("textbox", name="Data setets namn").wait_for(timeout=TIMEOUT_MS)
        settle(page)
        assert "Uppgift saknas (72 rader)" in page.inner_text("body")
        screenshot(page, "importera-forhandsgranskning")
        page.get_by_label("Varifrån kommer filen?").fill("Arbetsförmedlingens webbplats")
        page.get_by_label("Varifrån kommer filen?").press("Control+Enter")
        settle(page)
        page.get_by_role("button", name="Importera").click()
        page.get_by_text("Importerat till data setet af_arbetslosa_kommun_2026_08: 287 nya").wait_for(
            timeout=TIMEOUT_MS)
        settle(page)
        screenshot(page, "importera-klar")
        assert page.locator("[data-testid='stException']").count() == 0
    assert outside == [], f"sidan försökte nå internet: {outside}"
