"""Opening the app in Streamlit's AppTest."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.seeds import REPO

APP = str(REPO / "dashboard" / "app.py")


def open_app(page: str | None = None, query: dict[str, str] | None = None, timeout: float = 60) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=timeout)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(page if not page.startswith("pages/") else "../" + page)
        at.run()
    return at
