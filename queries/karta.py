"""What the map can show: measures with area-level data, their values, and the boundary version of a date."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, func, select

from dashboard.db.schema import area_memberships, areas, datasets, measures, observations
from queries.db import engine as default_engine
from queries.demo import shown_only

MAP_LEVELS = ("stadsdelsomrade", "stadsdel", "rapportgrupp")
# Counts per organisation stored on stadsdelsområden: a stadsdelsnämnd as employer and budget holder. The budget
# matrix's feriejobb say where young people were to work, not where they live, so the map never offers them;
# the Feriejobb page shows them per nämnd.
PER_ORGANISATION = frozenset({"feriejobb_sdn_budget_antal"})


def map_catalogue(engine: Engine | None = None) -> pd.DataFrame:
    """Distinct (measure, data set kind, level, period, kön, group, kind) for measures that have area-level data
    (not the counts per organisation, PER_ORGANISATION)."""
    mapped = (
        select(observations.c.measure).join(areas, areas.c.area_id == observations.c.area_id)
        .where(areas.c.level.in_(MAP_LEVELS), observations.c.measure.not_in(sorted(PER_ORGANISATION))).distinct()
    )
    query = shown_only(
        select(
            observations.c.measure, measures.c.name, measures.c.definition, measures.c.unit,
            measures.c.population_base, measures.c.higher_is_better, datasets.c.is_demo,
            areas.c.level, observations.c.period, observations.c.period_start, observations.c.period_end,
            observations.c.gender, observations.c.population_group.label("group"), observations.c.kind,
        )
        .join(measures, measures.c.measure == observations.c.measure)
        .join(datasets, datasets.c.dataset == observations.c.dataset)
        .join(areas, areas.c.area_id == observations.c.area_id)
        .where(observations.c.measure.in_(mapped))
        .distinct()
        .order_by(observations.c.measure, observations.c.period_start)
    )
    with (engine or default_engine()).connect() as conn:
        return pd.read_sql(query, conn)


def boundary_version(day: date, engine: Engine | None = None) -> dict:
    """How many stadsdelsområden there were on `day`, and from when to when that division held."""
    member, parent = areas.alias("member"), areas.alias("parent")
    valid = ((area_memberships.c.valid_from.is_(None)) | (area_memberships.c.valid_from <= day)) & (
        (area_memberships.c.valid_to.is_(None)) | (area_memberships.c.valid_to >= day))
    query = (
        select(func.count(func.distinct(parent.c.area_id)), func.max(area_memberships.c.valid_from),
               func.min(area_memberships.c.valid_to))
        .select_from(area_memberships)
        .join(member, member.c.area_id == area_memberships.c.member_id)
        .join(parent, parent.c.area_id == area_memberships.c.parent_id)
        .where(member.c.level == "stadsdel", parent.c.level == "stadsdelsomrade", valid)
    )
    with (engine or default_engine()).connect() as conn:
        count, valid_from, valid_to = conn.execute(query).one()
    return {"areas": int(count), "valid_from": valid_from, "valid_to": valid_to}
