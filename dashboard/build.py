"""Building the database: the bundled sources, plus the generated demo data sets unless left out."""

from __future__ import annotations

from pathlib import Path

from dashboard import config
from dashboard import decks as _decks  # noqa: F401 - registers the deck tables: build-db creates them, reads never
from dashboard.individ import schema as _individ_schema  # noqa: F401 - registers the individual-level tables
from dashboard.load import Bundle, collect, write


def full_bundle(include_demo: bool = True) -> Bundle:
    """Every data set build-db loads, validated; the demo sets are generated deterministically."""
    from dashboard import demo_arbetsloshet
    from dashboard.individ import demo

    bundle = collect()
    if include_demo:
        demo.add_to_bundle(bundle)
        demo_arbetsloshet.add_to_bundle(bundle)
    return bundle


def build_db(url: str | None = None, include_demo: bool = True) -> dict[str, int]:
    """Validate everything and (re)load the database in one transaction: all or nothing."""
    from queries.db import engine

    url = url or config.database_url()
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    return write(engine(url, create=True), full_bundle(include_demo))
