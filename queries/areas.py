"""Areas, their memberships at a date, and their polygons."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, and_, or_, select
from sqlalchemy.orm import aliased

from dashboard.db.schema import area_memberships, areas, sources
from queries.db import engine as default_engine


def _valid_at(day: date):
    return and_(
        or_(area_memberships.c.valid_from.is_(None), area_memberships.c.valid_from <= day),
        or_(area_memberships.c.valid_to.is_(None), area_memberships.c.valid_to >= day),
    )


def memberships_at(day: date, member_level: str, parent_level: str, engine: Engine | None = None) -> pd.DataFrame:
    """Columns member, parent, geo_name, source, source_location: who belongs where on `day`."""
    member, parent = aliased(areas), aliased(areas)
    query = (
        select(member.c.name.label("member"), parent.c.name.label("parent"), member.c.geo_name,
               sources.c.title.label("source"), area_memberships.c.source_location)
        .select_from(area_memberships)
        .join(member, member.c.area_id == area_memberships.c.member_id)
        .join(parent, parent.c.area_id == area_memberships.c.parent_id)
        .join(sources, sources.c.source == area_memberships.c.source)
        .where(member.c.level == member_level, parent.c.level == parent_level, _valid_at(day))
        .order_by(parent.c.name, member.c.name)
    )
    with (engine or default_engine()).connect() as conn:
        return pd.read_sql(query, conn)


def stadsdelar_at(day: date, engine: Engine | None = None) -> pd.DataFrame:
    """The stadsdelar with their stadsdelsområde on `day`: columns stadsdel, stadsdelsomrade, geo_name."""
    frame = memberships_at(day, "stadsdel", "stadsdelsomrade", engine)
    return frame.rename(columns={"member": "stadsdel", "parent": "stadsdelsomrade"})[
        ["stadsdel", "stadsdelsomrade", "geo_name"]]


# Simplification (metres) and decimals per level: enough for a city map, small enough to send (see benchmark).
DETAIL = {"stadsdel": (20.0, 4), "stadsdelsomrade": (30.0, 4), "fokusomrade": (30.0, 4)}


def polygons(level: str, day: date, engine: Engine | None = None) -> dict:
    """GeoJSON (WGS84) of the stadsdelar or stadsdelsområden valid on `day`; feature id = area name."""
    from geo.boundaries import area_polygons

    frame = stadsdelar_at(day, engine)
    target = {"stadsdel": "stadsdel", "stadsdelsomrade": "stadsdelsomrade"}[level]
    mapping = tuple(sorted(zip(frame["geo_name"], frame[target], strict=True)))
    return area_polygons(mapping, *DETAIL[level])


def fokus_polygons(day: date, engine: Engine | None = None) -> dict:
    """GeoJSON of the fokusområden as the union of their stadsdelar; feature id = fokusområde."""
    from geo.boundaries import area_polygons

    frame = memberships_at(day, "stadsdel", "fokusomrade", engine)
    return area_polygons(tuple(sorted(zip(frame["geo_name"], frame["parent"], strict=True))), *DETAIL["fokusomrade"])
