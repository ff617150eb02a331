"""Observations of measures by area, period and kön."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine, select

from dashboard.db.schema import areas, datasets, measures, observations, sources
from queries.db import engine as default_engine
from queries.demo import shown_only

EXPORT_COLUMNS = ["dataset", "measure", "measure_name", "period", "area", "area_level", "gender", "group",
                  "qualifier", "value", "status", "unit", "kind", "source", "source_location"]


def base_query():
    """Observations with their measure, area, source and data set; demo data only where it may be shown."""
    return shown_only(
        select(
            observations.c.dataset, observations.c.measure, measures.c.name.label("measure_name"),
            observations.c.period, observations.c.period_start, observations.c.period_end,
            areas.c.name.label("area"), areas.c.level.label("area_level"), observations.c.gender,
            observations.c.population_group.label("group"), observations.c.value, observations.c.status,
            observations.c.printed, observations.c.qualifier, observations.c.unit, observations.c.kind,
            sources.c.title.label("source"),
            observations.c.source.label("source_id"), observations.c.source_location, observations.c.note,
            datasets.c.is_demo,
        )
        .join(measures, measures.c.measure == observations.c.measure)
        .join(areas, areas.c.area_id == observations.c.area_id)
        .join(sources, sources.c.source == observations.c.source)
        .join(datasets, datasets.c.dataset == observations.c.dataset)
    )


def observations_of(
    measure: str | None = None,
    *,
    measures: Sequence[str] | None = None,
    periods: Sequence[str] | None = None,
    area_levels: Sequence[str] | None = None,
    genders: Sequence[str] | None = None,
    kinds: Sequence[str] | None = None,
    groups: Sequence[str] | None = None,
    area_names: Sequence[str] | None = None,
    dataset: str | None = None,
    engine: Engine | None = None,
) -> pd.DataFrame:
    """Observations filtered by the given values (None = all; `measures`: any of them), ordered by data set,
    measure, period, area and kön."""
    query = base_query()
    if measure is not None:
        query = query.where(observations.c.measure == measure)
    if measures is not None:
        query = query.where(observations.c.measure.in_(list(measures)))
    for column, values in ((observations.c.period, periods), (areas.c.level, area_levels),
                           (observations.c.gender, genders), (observations.c.kind, kinds),
                           (observations.c.population_group, groups), (areas.c.name, area_names)):
        if values is not None:
            query = query.where(column.in_(list(values)))
    if dataset is not None:
        query = query.where(observations.c.dataset == dataset)
    query = query.order_by(observations.c.dataset, observations.c.measure, observations.c.period_start,
                           observations.c.period, areas.c.level, areas.c.name, observations.c.gender,
                           observations.c.population_group, observations.c.kind)
    with (engine or default_engine()).connect() as conn:
        return pd.read_sql(query, conn)


def export_frame(engine: Engine | None = None) -> pd.DataFrame:
    """All observations in the export layout (see EXPORT_COLUMNS)."""
    return observations_of(engine=engine)[EXPORT_COLUMNS]


def measure_catalogue(engine: Engine | None = None) -> pd.DataFrame:
    """Every measure with its definition and the data sets, periods and area levels it has."""
    with (engine or default_engine()).connect() as conn:
        catalogue = pd.read_sql(select(measures).order_by(measures.c.topic, measures.c.measure), conn)
    return catalogue
