"""Observations and measure facts behind the start page's cards: Stockholms stad, group `alla`, no demo data."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine, select

from dashboard.db.schema import areas, datasets, measures, observations, sources
from queries.db import engine as default_engine
from queries.observations import base_query

CITY = "Stockholms stad"
KINDS = ("utfall", "mål", "kf-mål")


def city_observations(measure_ids: Sequence[str], engine: Engine | None = None) -> pd.DataFrame:
    """Outcomes and targets of the measures for the whole city (all kön), published data only."""
    query = (
        base_query()
        .where(observations.c.measure.in_(list(measure_ids)))
        .where(areas.c.level == "stad", areas.c.name == CITY)
        .where(observations.c.population_group == "alla")
        .where(observations.c.kind.in_(KINDS))
        .where(datasets.c.is_demo.is_(False))
        .order_by(observations.c.measure, observations.c.period_start, observations.c.period,
                  observations.c.gender, observations.c.kind, observations.c.dataset)
    )
    with (engine or default_engine()).connect() as conn:
        return pd.read_sql(query, conn)


def measure_facts(measure_ids: Sequence[str], engine: Engine | None = None) -> pd.DataFrame:
    """Name, definition, unit, direction and source of the measures; unknown ids are left out."""
    query = (
        select(measures.c.measure, measures.c.name, measures.c.definition, measures.c.unit,
               measures.c.higher_is_better, measures.c.population_base, sources.c.title.label("source"),
               measures.c.source_location)
        .join(sources, sources.c.source == measures.c.source, isouter=True)
        .where(measures.c.measure.in_(list(measure_ids)))
        .order_by(measures.c.measure)
    )
    with (engine or default_engine()).connect() as conn:
        return pd.read_sql(query, conn)
