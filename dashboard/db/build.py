"""Building the database: the bundled sources, plus the generated demo data sets unless left out."""

from __future__ import annotations

import hashlib
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from dashboard.core import config
from dashboard.db import audit as _audit  # noqa: F401 - registers the audit log: build-db creates it and never empties it
from dashboard.db import decks as _decks  # noqa: F401 - registers the deck tables: build-db creates them, reads never
from dashboard.db import individ_schema as _individ_schema  # noqa: F401 - registers the individual-level tables
from dashboard.db import schema
from dashboard.db.protected import store_protected
from dashboard.ingest.load import Bundle, LoadError, collect, write


def full_bundle(include_demo: bool = True, data_dir: Path | None = None) -> Bundle:
    """Every data set build-db loads, validated; the demo sets are generated deterministically."""
    from dashboard.demo import arbetsloshet, individ

    bundle = collect(data_dir)
    if include_demo:
        for module in (individ, arbetsloshet):
            try:
                module.add_to_bundle(bundle)
            except LoadError:
                raise
            except Exception as error:  # noqa: BLE001 - told in Swedish, not as a traceback
                raise LoadError(f"{module.__name__.replace('.', '/')}.py", 0, "(demodata)",
                                "demodata kunde inte genereras ur de publicerade siffrorna "
                                f"({type(error).__name__}: {error})") from error
    return bundle


BUILT_FROM = "built_from"  # build_info key: what the last complete build was made from (source_fingerprint)


def source_fingerprint(include_demo: bool = True, data_dir: Path | None = None) -> str:
    """A digest of everything a build is made from: the files of data/ and the code that reads, generates and
    protects them (a new version of the dashboard builds again)."""
    repo = Path(__file__).resolve().parents[2]
    files = sorted((data_dir or config.DATA_DIR).rglob("*")) + sorted(
        p for folder in ("dashboard", "queries") for p in (repo / folder).rglob("*.py"))
    digest = hashlib.sha256(f"demo={include_demo}".encode())
    for path in (f for f in files if f.is_file()):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def up_to_date(url: str, include_demo: bool = True, data_dir: Path | None = None) -> bool:
    """Whether the database holds a complete build of the same data and code (then build-db may skip)."""
    from queries.db import engine

    try:
        with engine(url).connect() as conn:
            built = conn.execute(select(schema.build_info.c.value)
                                 .where(schema.build_info.c.key == BUILT_FROM)).scalar_one_or_none()
    except SQLAlchemyError:
        return False
    return built == source_fingerprint(include_demo, data_dir)


def build_db(url: str | None = None, include_demo: bool = True, data_dir: Path | None = None) -> dict[str, int]:
    """Validate everything and (re)load the database in one transaction: all or nothing."""
    from queries.db import engine

    url = url or config.database_url()
    built_from = source_fingerprint(include_demo, data_dir)
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
    with engine(url).begin() as conn:  # only a complete build says what it was made from
        conn.execute(insert(schema.build_info), {"key": BUILT_FROM, "value": built_from})
    return counts


def _reason(error: Exception) -> str:
    orig = getattr(error, "orig", None) if isinstance(error, SQLAlchemyError) else None
    return f"{type(error).__name__}: " + (str(orig or error).strip().splitlines() or [""])[0]
