"""Removing an imported data set in one step, and which presentations show it."""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, delete, func, inspect, select

from dashboard.db import schema
from dashboard.ingest.errors import IngestError


@dataclass
class Removed:
    dataset: str
    rows: int
    measures: list[str]  # imported measures that no other data set used, removed with it
    decks: list[str]  # presentations with a slide that showed it


def _measures_of(conn: Connection, dataset: str) -> list[str]:
    o = schema.observations
    return list(conn.execute(select(o.c.measure).where(o.c.dataset == dataset).distinct()
                             .order_by(o.c.measure)).scalars())


def affected_decks(conn: Connection, dataset: str) -> list[str]:
    """Names of the decks with a slide whose saved state names the data set or one of its measures."""
    from dashboard.db.decks import deck_slides, decks

    if not inspect(conn).has_table("deck_slides"):
        return []
    wanted = {dataset, *_measures_of(conn, dataset)}
    names = set()
    for name, state in conn.execute(select(decks.c.name, deck_slides.c.state)
                                    .join(deck_slides, deck_slides.c.deck == decks.c.id)):
        try:
            values = set(map(str, json.loads(state).values()))
        except (ValueError, AttributeError):
            continue
        if values & wanted:
            names.add(name)
    return sorted(names)


def imported_dataset(conn: Connection, dataset: str) -> None:
    """Raises unless `dataset` is an imported data set."""
    d = schema.datasets
    row = conn.execute(select(d.c.provenance).where(d.c.dataset == dataset)).first()
    if row is None:
        raise IngestError(dataset, "data setet finns inte")
    if row.provenance != schema.IMPORT:
        raise IngestError(dataset, "data setet hör till de inbyggda uppgifterna i data/ och kan inte tas bort här")


def impact(dataset: str, engine: Engine) -> Removed:
    """What removing the data set would remove, and the decks it would leave without their figures."""
    with engine.connect() as conn:
        imported_dataset(conn, dataset)
        o = schema.observations
        rows = conn.execute(select(func.count()).select_from(o).where(o.c.dataset == dataset)).scalar()
        return Removed(dataset, int(rows), _orphans(conn, dataset), affected_decks(conn, dataset))


def _orphans(conn: Connection, dataset: str) -> list[str]:
    """The data set's imported measures that no other data set has values for."""
    o, m = schema.observations, schema.measures
    others = select(o.c.measure).where(o.c.dataset != dataset)
    return list(conn.execute(select(m.c.measure).where(
        m.c.provenance == schema.IMPORT, m.c.measure.in_(_measures_of(conn, dataset)),
        m.c.measure.not_in(others)).order_by(m.c.measure)).scalars())


def remove_dataset(dataset: str, engine: Engine) -> Removed:
    """Remove an imported data set, its values and the imported measures and sources only it used, in one
    transaction. The import log keeps its entries (what was imported, and when, stays known)."""
    with engine.begin() as conn:
        imported_dataset(conn, dataset)
        o, m, s = schema.observations, schema.measures, schema.sources
        decks = affected_decks(conn, dataset)
        orphans = _orphans(conn, dataset)
        rows = conn.execute(delete(o).where(o.c.dataset == dataset)).rowcount
        for table in reversed(schema.EXTRA_TABLES):  # individual-level rows and their protected tables
            if "dataset" in table.c and inspect(conn).has_table(table.name):
                rows += conn.execute(delete(table).where(table.c.dataset == dataset)).rowcount
        conn.execute(delete(schema.datasets).where(schema.datasets.c.dataset == dataset))
        if orphans:
            conn.execute(delete(m).where(m.c.measure.in_(orphans)))
        conn.execute(delete(s).where(s.c.provenance == schema.IMPORT, s.c.source.not_in(select(o.c.source)),
                                     s.c.source.not_in(select(m.c.source).where(m.c.source.is_not(None)))))
        return Removed(dataset, int(rows), orphans, decks)
