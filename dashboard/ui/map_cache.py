"""The map page's view, built once per choice and kept: a filter change back to a view already seen reruns
the page without rebuilding frames, hover texts or GeoJSON (see scripts/benchmark_map.py)."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import ui
from dashboard.views import karta
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


class CachedMapData:
    """The view model's MapData through the app's caches (keyed by the database and plain arguments)."""

    def observations(self, measure: str, period: str, kind: str, group: str) -> pd.DataFrame:
        return ui.observations_of(measure, periods=(period,), kinds=(kind,), groups=(group,))

    def memberships_at(self, day: date, member_level: str, parent_level: str) -> pd.DataFrame:
        return ui.memberships_at(day, member_level, parent_level)

    def polygons(self, level: str, day: date) -> dict[str, Any]:
        return ui.polygons(level, day)

    def fokus_polygons(self, day: date) -> dict[str, Any]:
        return ui.fokus_polygons(day)

    def water(self) -> dict[str, Any]:
        return ui.water()

    def boundary_version(self, day: date) -> dict:
        return ui.boundary_version(day)

    def dataset_titles(self) -> dict[str, str]:
        return ui.dataset_titles()


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
    return karta.measure_names(catalogue(), is_demo)


@with_database_url
@st.cache_resource(show_spinner=False, max_entries=48)
def map_view(database: str, measure: str, period: str, level: str, kon: str, group: str, kind: str, fokus: str,
             is_demo: bool) -> karta.MapView:
    """The view of one choice of the controls, its figure shared between reruns.

    Cached by the database and these plain arguments. Raises GeoDataMissing without boundaries."""
    choice = karta.choice_of(catalogue(), measure, period, level, kon, group, kind, fokus, is_demo)
    view = karta.map_view(choice, CachedMapData())
    return dataclasses.replace(view, figure=SharedFigure(view.figure))


def forget() -> None:
    """Drop the map's kept views and catalogue: the data changed (an import, a removed data set)."""
    for cached in (catalogue, catalogue_rows, measure_names, map_view):
        cached.clear()
