"""Glossary look-ups: the definitions the dashboard quotes, with their source."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine, select

from dashboard.db.schema import glossary, sources
from queries.db import engine as default_engine


def glossary_entries(terms: Sequence[str], engine: Engine | None = None) -> pd.DataFrame:
    """The entries for exactly these terms: term, definition, source (title), source_id, source_location."""
    query = (
        select(glossary.c.term, glossary.c.definition, sources.c.title.label("source"),
               glossary.c.source.label("source_id"), glossary.c.source_location)
        .join(sources, sources.c.source == glossary.c.source)
        .where(glossary.c.term.in_(list(terms)))
        .order_by(glossary.c.term, glossary.c.source)
    )
    with (engine or default_engine()).connect() as conn:
        return pd.read_sql(query, conn)


def all_terms(engine: Engine | None = None) -> pd.DataFrame:
    """Every glossary entry: term, definition, source (title), source_id, source_location; by term."""
    query = (
        select(glossary.c.term, glossary.c.definition, sources.c.title.label("source"),
               glossary.c.source.label("source_id"), glossary.c.source_location)
        .join(sources, sources.c.source == glossary.c.source)
        .order_by(glossary.c.term, glossary.c.source)
    )
    with (engine or default_engine()).connect() as conn:
        frame = pd.read_sql(query, conn)
    # Alphabetical the Swedish way (å, ä, ö last), whatever the database's collation.
    return frame.sort_values("term", key=lambda terms: terms.map(sort_key), kind="stable").reset_index(drop=True)


_ORDER = {"å": "{", "ä": "|", "ö": "}", "é": "e", "ü": "y"}


def sort_key(term: str) -> str:
    """A key that sorts Swedish words the Swedish way: a–z, then å, ä, ö; case and quotes ignored."""
    text = str(term).strip().strip('"”“').lower()
    return "".join(_ORDER.get(ch, ch) for ch in text)
