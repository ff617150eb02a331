"""Presentation mode in a real browser: a slide URL opens full screen, steps on, and asks nothing of the internet."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, TIMEOUT_MS, browser_page, dashboard_server, screenshot

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")]


def _deck(database_url: str, name: str, slides: list[tuple[str, dict[str, str], str]]) -> int:
    """A new deck with a unique name and these (view, state, title) slides."""
    from dashboard.db import decks
    from queries.db import engine

    db = engine(database_url)
    deck = decks.create_deck(f"{name} {uuid.uuid4().hex[:6]}", db)
    for view, state, title in slides:
        decks.add_slide(deck, view, state, title, db)
    return deck


def test_slide_url_opens_in_presentation_mode(database_url: str) -> None:
    backend = database_url.split(":")[0].split("+")[0]
    deck = _deck(database_url, "Webbläsartest", [
        ("kaa", {"jmf": "ar", "kon": "skillnad"}, "KAA-tratten"),
        ("karta", {"matt": "arbetsloshet_ar2022_andel", "period": "2022-12"}, "Karta")])
    with dashboard_server(database_url) as base, browser_page(width=1600, height=900) as (page, outside):
        page.goto(f"{base}/presentation?deck={deck}&bild=1")
        page.wait_for_selector("text=Bild 1 av 2", timeout=TIMEOUT_MS)
        page.wait_for_selector(".js-plotly-plot", timeout=TIMEOUT_MS)
        assert not page.locator('[data-testid="stSidebar"]').is_visible(), "no sidebar when presenting"
        assert page.get_by_text("Källa: Arbetsmarknadsrapport 2022").first.is_visible(), "the footnote"
        screenshot(page, f"presentation-{backend}-bild-1")

        page.get_by_role("button", name="Nästa →").click()
        page.wait_for_selector("text=Bild 2 av 2", timeout=TIMEOUT_MS)
        page.wait_for_function("window.location.search.includes('bild=2')", timeout=TIMEOUT_MS)
        page.wait_for_selector(".js-plotly-plot .choroplethlocation", timeout=TIMEOUT_MS)
        screenshot(page, f"presentation-{backend}-bild-2")
        assert page.get_by_role("button", name="Nästa →").is_disabled()

        page.get_by_role("button", name="Avsluta visningen").click()
        page.wait_for_selector("text=Visa presentation", timeout=TIMEOUT_MS)
        page.wait_for_selector('[data-testid="stSidebar"]', state="visible", timeout=TIMEOUT_MS)  # back with the menu
        screenshot(page, f"presentation-{backend}-lista")
    assert outside == [], f"sidan försökte nå internet: {outside}"


# The last of the slide's buttons, drawn by the current run (not a greyed-out one from the run before).
BUTTONS_DRAWN = '.st-key-avsluta[data-stale="false"] button'


def test_keys_move_between_slides_and_escape_leaves(database_url: str) -> None:
    deck = _deck(database_url, "Tangenter", [
        ("kaa", {"jmf": "ar", "kon": "totalt"}, "KAA-tratten"),
        ("jobbtorg", {"kon": "totalt", "urval": "helar"}, "Jobbtorg")])
    with dashboard_server(database_url) as base, browser_page(width=1600, height=900) as (page, outside):
        page.goto(f"{base}/presentation?deck={deck}&bild=1")
        page.wait_for_selector("text=Bild 1 av 2", timeout=TIMEOUT_MS)
        page.wait_for_function("window.__presentationKeys === true", timeout=TIMEOUT_MS)  # the listener is in place

        for key, number in [("ArrowRight", 2), ("PageUp", 1), ("PageDown", 2), ("ArrowLeft", 1)]:
            page.wait_for_selector(BUTTONS_DRAWN, timeout=TIMEOUT_MS)  # a key before the buttons are drawn does nothing
            page.keyboard.press(key)
            page.wait_for_selector(f"text=Bild {number} av 2", timeout=TIMEOUT_MS)
            page.wait_for_function(f"window.location.search.includes('bild={number}')", timeout=TIMEOUT_MS)
        page.wait_for_selector(".js-plotly-plot", timeout=TIMEOUT_MS)

        page.wait_for_selector(BUTTONS_DRAWN, timeout=TIMEOUT_MS)
        page.keyboard.press("Escape")
        page.wait_for_selector("text=Visa presentation", timeout=TIMEOUT_MS)
        page.wait_for_selector('[data-testid="stSidebar"]', state="visible", timeout=TIMEOUT_MS)
        assert "bild=" not in page.evaluate("window.location.search")
    assert outside == [], f"sidan försökte nå internet: {outside}"
