"""Building the database: the bundled sources, plus the generated demo data sets unless left out."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from dashboard import audit as _audit  # noqa: F401 - registers the audit log: build-db creates it and never empties it
from dashboard import config
from dashboard import decks as _decks  # noqa: F401 - registers the deck tables: build-db creates them, reads never
from dashboard.individ import schema as _individ_schema  # noqa: F401 - registers the individual-level tables
from dashboard.individ.protected import store_protected
from dashboard.load import Bundle, LoadError, collect, write


def full_bundle(include_demo: bool = True, data_dir: Path | None = None) -> Bundle:
    """Every data set build-db loads, validated; the demo sets are generated deterministically."""
    from dashboard import demo_arbetsloshet
    from dashboard.individ import demo

    bundle = collect(data_dir)
    if include_demo:
        for module in (demo, demo_arbetsloshet):
            try:
                module.add_to_bundle(bundle)
            except LoadError:
                raise
            except Exception as error:  # noqa: BLE001 - told in Swedish, not as a traceback
                raise LoadError(f"{module.__name__.replace('.', '/')}.py", 0, "(demodata)",
                                "demodata kunde inte genereras ur de publicerade siffrorna "
                                f"({type(error).__name__}: {error})") from error
    return bundle


def build_db(url: str | None = None, include_demo: bool = True, data_dir: Path | None = None) -> dict[str, int]:
    """Validate everything and (re)load the database in one transaction: all or nothing."""
    from queries.db import engine

    url = url or config.database_url()
    bundle = full_bundle(include_demo, data_dir)
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    where = f"databasen {make_url(url).render_as_string(hide_password=True)}"
    try:
        counts = write(engine(url, create=True), bundle)
    except Exception as error:  # noqa: BLE001 - the transaction is rolled back; say so in Swedish
        raise LoadError(where, 0, "(databas)", f"skrivningen avbröts och inget ändrades ({_reason(error)})") from error
    try:
        counts["skyddade celler"] = store_protected(engine(url))
    except Exception as error:  # noqa: BLE001 - the data is written; the stored protection is not
        raise LoadError(where, 0, "(röjandeskydd)", "uppgifterna skrevs, men de skyddade tabellerna för "
                        "Uppföljning per område kunde inte beräknas och sidan visar dem inte förrän build-db "
                        f"lyckas ({_reason(error)})") from error
    return counts


def _reason(error: Exception) -> str:
    orig = getattr(error, "orig", None) if isinstance(error, SQLAlchemyError) else None
    return f"{type(error).__name__}: " + (str(orig or error).strip().splitlines() or [""])[0]
