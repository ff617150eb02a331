"""The map in a real browser: it draws, switches kön and period, and asks nothing of the internet."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser import CHROMIUM, TIMEOUT_MS, browser_page, dashboard_server, screenshot

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")]

YOUTH = "arbetsloshet_unga_18_24_antal"  # all 14 stadsdelsområden, June 2014 and June 2018
BY_GENDER = "sdf_insatser_unika_personer"  # by stadsdelsområde and kön, 2022 (not feriejobb: per förvaltning)


def gender_button(page, label: str):
    return page.get_by_role("radio", name=re.compile(f"^{re.escape(label)}$"))


def test_map_in_chromium_switching_period_and_gender(database_url: str) -> None:
    backend = database_url.split(":")[0].split("+")[0]
    with dashboard_server(database_url) as base, browser_page(height=1300) as (page, outside):
        page.goto(f"{base}/karta?matt={YOUTH}&period=2014-06")
        page.wait_for_selector("text=Jämför fokusområdena", timeout=TIMEOUT_MS)
        page.wait_for_selector(".js-plotly-plot .choroplethlocation", timeout=TIMEOUT_MS)
        assert page.locator(".js-plotly-plot text", has_text="Skärholmen").count() >= 1, "areas named on the map"
        screenshot(page, f"karta-{backend}-unga-2014-06")

        page.get_by_test_id("stSelectbox").filter(has_text="Period").click()
        page.get_by_role("option", name="juni 2018").click()
        page.wait_for_function("window.location.search.includes('period=2018-06')", timeout=TIMEOUT_MS)
        screenshot(page, f"karta-{backend}-unga-2018-06")

        page.goto(f"{base}/karta?matt={BY_GENDER}&period=2022")
        page.wait_for_selector("text=Jämför fokusområdena", timeout=TIMEOUT_MS)
        gender_button(page, "Kvinnor").click()
        page.wait_for_function("window.location.search.includes('kon=kvinnor')", timeout=TIMEOUT_MS)
        page.wait_for_selector("text=kvinnor, 2022", timeout=TIMEOUT_MS)
        screenshot(page, f"karta-{backend}-insatser-kvinnor")
        gender_button(page, "Kvinnor − män").click()
        page.wait_for_function("window.location.search.includes('kon=skillnad')", timeout=TIMEOUT_MS)
        screenshot(page, f"karta-{backend}-insatser-skillnad")
    assert outside == [], f"sidan försökte nå internet: {outside}"
