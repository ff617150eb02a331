"""Opening the app in Streamlit's AppTest."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

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


@contextmanager
def offered_downloads() -> Iterator[dict[str, Callable[[], bytes]]]:
    """The files the page's download buttons offer in the runs inside, by file name; each is written when called,
    as Streamlit writes it when the button is clicked."""
    from streamlit.runtime.media_file_manager import MediaFileManager

    files: dict[str, Callable[[], bytes]] = {}
    register = MediaFileManager.add_deferred

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        files[file_name] = data_callable
        return register(self, data_callable, mimetype, coordinates, file_name=file_name, **kwargs)

    MediaFileManager.add_deferred = add_deferred
    try:
        yield files
    finally:
        MediaFileManager.add_deferred = register
