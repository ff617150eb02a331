"""What each data set covers: periods, areas, measures, kön, and what it lacks."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, func, select

from dashboard.db.schema import areas, datasets, observations, sources
from queries.db import engine as default_engine
from queries.demo import shown_only


def datasets_overview(engine: Engine | None = None) -> pd.DataFrame:
    """One row per data set with counts and the range of periods."""
    query = shown_only(
        select(
            datasets.c.dataset, datasets.c.title, datasets.c.description, datasets.c.is_demo, datasets.c.origin,
            func.count(observations.c.observation_id).label("rows"),
            func.count(func.distinct(observations.c.measure)).label("measures"),
            func.min(observations.c.period_start).label("first_day"),
            func.max(observations.c.period_end).label("last_day"),
        )
        .outerjoin(observations, observations.c.dataset == datasets.c.dataset)  # individual-level sets too
        .group_by(datasets.c.dataset, datasets.c.title, datasets.c.description, datasets.c.is_demo,
                  datasets.c.origin)
        .order_by(datasets.c.is_demo, datasets.c.dataset)
    )
    with (engine or default_engine()).connect() as conn:
        return pd.read_sql(query, conn)


def dataset_coverage(dataset: str, engine: Engine | None = None) -> pd.DataFrame:
    """Per measure in a data set: periods, area levels, areas, kön values, kinds and sources."""
    query = shown_only(
        select(observations.c.measure, observations.c.period, observations.c.period_start, areas.c.level,
               areas.c.name.label("area"), observations.c.gender, observations.c.kind,
               sources.c.title.label("source"))
        .join(areas, areas.c.area_id == observations.c.area_id)
        .join(sources, sources.c.source == observations.c.source)
        .join(datasets, datasets.c.dataset == observations.c.dataset)
        .where(observations.c.dataset == dataset)
    )
    with (engine or default_engine()).connect() as conn:
        rows = pd.read_sql(query, conn)
    if rows.empty:
        return pd.DataFrame(columns=["measure", "periods", "area_levels", "areas", "genders", "kinds", "sources"])

    def joined(values: pd.Series) -> str:
        return ", ".join(sorted(set(values)))

    rows = rows.sort_values("period_start")
    return (
        rows.groupby("measure", sort=True)
        .agg(periods=("period", lambda s: ", ".join(dict.fromkeys(s))), area_levels=("level", joined),
             areas=("area", "nunique"), genders=("gender", joined), kinds=("kind", joined),
             sources=("source", joined))
        .reset_index()
    )
