"""Stockholm against the län, riket and other kommuner: the measures that have Stockholms stad and another kommun,
the län or riket, and their values at those levels."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, select

from dashboard.db.schema import areas, datasets, measures, observations
from queries.db import engine as default_engine
from queries.demo import shown_only
from queries.observations import observations_of

LEVELS = ("stad", "kommun", "lan", "riket")
CITY = "Stockholms stad"
NOT_COMPARED = ("antal",)  # a count grows with the kommun: it is not compared between kommuner
COLUMNS = ["measure", "measure_name", "unit", "areas"]


def comparable_measures(engine: Engine | None = None) -> pd.DataFrame:
    """Measures (measure, measure_name, unit, areas) with outcomes for Stockholms stad and for at least one other
    kommun, the län or riket, counts left out; ordered by name."""
    o = observations
    query = shown_only(
        select(o.c.measure, measures.c.name.label("measure_name"), measures.c.unit, areas.c.name.label("area"))
        .distinct()
        .join(measures, measures.c.measure == o.c.measure)
        .join(areas, areas.c.area_id == o.c.area_id)
        .join(datasets, datasets.c.dataset == o.c.dataset)
        .where(areas.c.level.in_(LEVELS), o.c.kind == "utfall", measures.c.unit.not_in(NOT_COMPARED))
    )
    with (engine or default_engine()).connect() as conn:
        found = pd.read_sql(query, conn)
    if found.empty:
        return pd.DataFrame(columns=COLUMNS)
    counted = (found.groupby(["measure", "measure_name", "unit"], as_index=False)
               .agg(areas=("area", "nunique"), city=("area", lambda names: CITY in set(names))))
    kept = counted[counted["city"] & (counted["areas"] >= 2)]
    return kept[COLUMNS].sort_values(["measure_name", "measure"], ignore_index=True)


def comparison_values(measure: str, engine: Engine | None = None) -> pd.DataFrame:
    """The measure's outcomes for Stockholms stad, the other kommuner, the län and riket (observations_of's columns)."""
    return observations_of(measure, area_levels=LEVELS, kinds=["utfall"], engine=engine)
