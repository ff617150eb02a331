"""The map page's view, built once per choice and kept: a filter change back to a view already seen reruns
the page without rebuilding frames, hover texts or GeoJSON (see scripts/benchmark_map.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import ui
from dashboard.core import labels
from dashboard.core.numbers import format_value
from dashboard.figures import karta as figures
from dashboard.views.mapdata import LEVEL_LABELS, city_printed, city_value, fokus_comparison, map_values
from queries.db import with_database_url


class SharedFigure(go.Figure):
    """A figure that gives the same dict on every call of `to_dict`, made once: st.plotly_chart asks for it on
    every rerun and only reads it, and a deep copy of the map's GeoJSON costs more than the rest of the rerun.
    Shared between reruns: never modify it or its dict."""

    def __init__(self, figure: go.Figure) -> None:
        super().__init__(figure)
        self._shared_dict = super().to_dict()

    def to_dict(self) -> dict[str, Any]:
        return self._shared_dict


@dataclass(frozen=True)
class MapView:
    """Everything the page shows for one choice; shared between reruns and sessions: never modify it."""

    observed: pd.DataFrame  # the observations behind the view (the data set it is set to)
    unit: str
    city_text: str
    polygons: dict[str, Any]
    version: dict
    figure: SharedFigure
    units: pd.DataFrame | None  # units that are not places (not drawn)
    missing: list[str]  # areas without a value
    table: pd.DataFrame  # the accessible alternative: the map's numbers as a table
    comparison: pd.DataFrame  # fokusområdena against each other and the city
    sources: str | None  # the source line of `observed` (None: no rows)
    datasets: str  # the data sets of `observed`, for the downloads


@with_database_url
@st.cache_resource(show_spinner=False)
def catalogue(database: str) -> pd.DataFrame:
    """What the map can show (ui.map_catalogue) as one shared frame: st.cache_data would hand out a copy on every
    rerun. Never modify it."""
    return ui.map_catalogue()


@with_database_url
@st.cache_resource(show_spinner=False, max_entries=256)
def catalogue_rows(database: str, is_demo: bool, measure: str | None = None) -> pd.DataFrame:
    """The catalogue's rows of demo or of published data (of one measure, when given); shared: never modify."""
    rows = catalogue()
    rows = rows[rows["is_demo"] == is_demo]
    return rows if measure is None else rows[rows["measure"] == measure]


@with_database_url
@st.cache_resource(show_spinner=False)
def measure_names(database: str, is_demo: bool) -> pd.Series:
    """Measure → name, sorted by name, of demo or of published data; shared: never modify."""
    return catalogue_rows(is_demo).drop_duplicates("measure").set_index("measure")["name"].sort_values()


@with_database_url
@st.cache_resource(show_spinner=False, max_entries=48)
def map_view(database: str, measure: str, period: str, day: date, kind: str, group: str, level: str, kon: str,
             is_demo: bool, highlight: bool, base: str) -> MapView:
    """The view of `measure` in `period` (boundaries of `day`) for one kön, level, kind and group.

    Cached by the database and these plain arguments. Raises GeoDataMissing without boundaries."""
    observed = ui.observations_of(measure, periods=(period,), kinds=(kind,), groups=(group,))
    observed = observed[observed["is_demo"] == is_demo]  # the data set the view is set to
    rapportgrupper = ui.memberships_at(day, "stadsdelsomrade", "rapportgrupp")
    values, unit = map_values(observed, level, kon, rapportgrupper)
    city = city_value(observed, kon)
    city_text = city_printed(observed, kon, unit)
    polygons = ui.polygons(level, day)

    legend = {"procent": "Andel", "procentenheter": "Skillnad", "antal": "Antal"}.get(unit, unit)
    if base and unit == "procent":
        legend = f"Andel av {base[0].lower()}{base[1:]}"
    figure = figures.area_map(
        polygons, values, unit=unit, legend_title=legend, city_text=city_text, water=ui.water(),
        fokus=ui.fokus_polygons(day), highlight_fokus=highlight, diverging=kon == "skillnad", demo=is_demo,
    )
    area_names = [f["id"] for f in polygons["features"]]
    drawn = set(values["area"])
    ranked = figures.ranked(values.set_index("area").reindex(area_names).reset_index())
    table = pd.DataFrame({
        LEVEL_LABELS[level]: ranked["area"],
        "Värde": [format_value(v, unit, qualifier=q) for v, q in zip(ranked["value"], ranked["qualifier"],
                                                                      strict=True)],
        "Plats (1 = högst)": ranked["rank"],
        "Anmärkning": ranked["group_note"].fillna(""),
        "Källa": ranked["source"].fillna(""),
        "Plats i källan": ranked["source_location"].fillna(""),
    })
    comparison = fokus_comparison(observed, kon, ui.memberships_at(day, "stadsdel", "fokusomrade"),
                                  ui.memberships_at(day, "stadsdel", "stadsdelsomrade"), unit, city)
    return MapView(
        observed=observed, unit=unit, city_text=city_text, polygons=polygons, version=ui.boundary_version(day),
        figure=SharedFigure(figure), units=values.attrs.get("enheter"),
        missing=[a for a in area_names if a not in drawn],
        table=table, comparison=comparison, sources=None if observed.empty else labels.source_places(observed),
        datasets=ui.dataset_names(observed),
    )


def forget() -> None:
    """Drop the map's kept views and catalogue: the data changed (an import, a removed data set)."""
    for cached in (catalogue, catalogue_rows, measure_names, map_view):
        cached.clear()
