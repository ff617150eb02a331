"""The nämnd's indicators: goal chain, measure, targets, outcomes and the status it reported."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
from sqlalchemy import Engine, select

from dashboard.db.schema import areas, datasets, indicator_status, indicators, measures, observations, sources
from queries.db import engine as default_engine
from queries.demo import shown_only

# The kinds of observation an indicator has: outcome, the nämnd's target, KF's target, forecast.
INDICATOR_KINDS = ("utfall", "mål", "kf-mål", "prognos")


def indicator_list(engine: Engine | None = None) -> pd.DataFrame:
    """Every indicator of every document with its goal chain, its measure (may be missing) and its source."""
    query = (
        select(
            indicators.c.indicator, indicators.c.name, indicators.c.measure,
            indicators.c.source.label("document"), sources.c.title.label("document_title"),
            sources.c.year.label("document_year"), indicators.c.source_location,
            indicators.c.inriktningsmal, indicators.c.kf_mal, indicators.c.namndmal,
            indicators.c.periodicity, indicators.c.by_gender, indicators.c.note,
            measures.c.name.label("measure_name"), measures.c.definition, measures.c.unit, measures.c.topic,
            measures.c.higher_is_better,
        )
        .join(sources, sources.c.source == indicators.c.source)
        .join(measures, measures.c.measure == indicators.c.measure, isouter=True)
        .order_by(sources.c.year.desc(), indicators.c.source, indicators.c.indicator)
    )
    with (engine or default_engine()).connect() as conn:
        return pd.read_sql(query, conn)


def indicator_observations(measure_ids: Sequence[str], engine: Engine | None = None) -> pd.DataFrame:
    """Outcomes, targets and forecasts of these measures in every document, ordered by period."""
    query = shown_only(
        select(
            observations.c.dataset, observations.c.measure, observations.c.period, observations.c.period_start,
            observations.c.period_end, areas.c.name.label("area"), observations.c.gender,
            observations.c.population_group.label("group"), observations.c.value, observations.c.printed,
            observations.c.qualifier, observations.c.unit, observations.c.kind, sources.c.title.label("source"),
            observations.c.source.label("source_id"), observations.c.source_location, observations.c.note,
            datasets.c.is_demo,
        )
        .join(areas, areas.c.area_id == observations.c.area_id)
        .join(sources, sources.c.source == observations.c.source)
        .join(datasets, datasets.c.dataset == observations.c.dataset)
        .where(observations.c.measure.in_(list(measure_ids)))
        .where(observations.c.kind.in_(list(INDICATOR_KINDS)))
        .order_by(observations.c.measure, observations.c.period_start, observations.c.period_end,
                  observations.c.source, observations.c.kind, observations.c.gender)
    )
    with (engine or default_engine()).connect() as conn:
        return pd.read_sql(query, conn)


def indicator_statuses(engine: Engine | None = None) -> pd.DataFrame:
    """The status the nämnd reported per indicator and period, as printed, with its source and note."""
    query = (
        select(indicator_status.c.indicator, indicator_status.c.period, indicator_status.c.status,
               sources.c.title.label("source"), indicator_status.c.source.label("source_id"),
               indicator_status.c.source_location, indicator_status.c.note)
        .join(sources, sources.c.source == indicator_status.c.source)
        .order_by(indicator_status.c.indicator, indicator_status.c.period)
    )
    with (engine or default_engine()).connect() as conn:
        return pd.read_sql(query, conn)
