"""Observations behind the KAA page: the funnel measures and the KAA targets, for the whole city."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine

from dashboard.db.schema import areas, observations
from queries.db import engine as default_engine
from queries.observations import base_query


def city_observations(measures: Sequence[str], engine: Engine | None = None) -> pd.DataFrame:
    """Every observation of the given measures for Stockholms stad (all data sets, kön and kinds)."""
    query = (
        base_query()
        .where(observations.c.measure.in_(list(measures)))
        .where(areas.c.level == "stad")
        .order_by(observations.c.measure, observations.c.period_start, observations.c.period,
                  observations.c.gender, observations.c.kind)
    )
    with (engine or default_engine()).connect() as conn:
        return pd.read_sql(query, conn)
