"""Definitions behind the Stockholmsjobb and Jobbtorg pages: measures and glossary terms with their sources."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine, func, select

from dashboard.db.schema import glossary, measures, sources
from queries.db import engine as default_engine


def measure_definitions(measure_ids: Sequence[str], engine: Engine | None = None) -> pd.DataFrame:
    """Name, definition, unit and source (title and line) of the given measures; unknown ids are left out."""
    query = (
        select(measures.c.measure, measures.c.name, measures.c.definition, measures.c.unit,
               measures.c.population_base, sources.c.title.label("source"), measures.c.source_location)
        .join(sources, sources.c.source == measures.c.source, isouter=True)
        .where(measures.c.measure.in_(list(measure_ids)))
        .order_by(measures.c.measure)
    )
    with (engine or default_engine()).connect() as conn:
        return pd.read_sql(query, conn)


def glossary_entries(terms: Sequence[str], engine: Engine | None = None) -> pd.DataFrame:
    """Glossary entries whose term is one of `terms` (case-insensitive), with the source title and line."""
    query = (
        select(glossary.c.term, glossary.c.definition, sources.c.title.label("source"), glossary.c.source_location)
        .join(sources, sources.c.source == glossary.c.source)
        .where(func.lower(glossary.c.term).in_([t.lower() for t in terms]))
        .order_by(glossary.c.term, sources.c.title)
    )
    with (engine or default_engine()).connect() as conn:
        return pd.read_sql(query, conn)


def observations_of(measures: Sequence[str], engine: Engine | None = None) -> pd.DataFrame:
    """Every observation of the measures in one query, measure by measure in the given order (the follow-up
    pages and their slides load their rows through this, so both see the same frame)."""
    from queries.observations import observations_of as query

    rows = query(measures=list(dict.fromkeys(measures)), engine=engine)
    order = {m: i for i, m in enumerate(dict.fromkeys(measures))}
    return rows.iloc[rows["measure"].map(order).argsort(kind="stable")].reset_index(drop=True)
