"""The map's view model: from the URL state and the map's catalogue to everything the page, the slide and the
downloads show (resolved choices, figure, ranked table, fokusområde comparison, title, notes). No Streamlit:
the page reads its data through cached functions, the slide through the queries; both hand them in as a
MapData."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

import pandas as pd
import plotly.graph_objects as go
from sqlalchemy import Engine

from dashboard.core import labels
from dashboard.core.numbers import MISSING, format_value
from dashboard.core.periods import period_label
from dashboard.figures import karta as figures
from dashboard.views.context import Download, dataset_names
from dashboard.views.mapdata import LEVEL_LABELS, city_printed, city_value, fokus_comparison, map_values
from dashboard.views.presentable import pick, titles_by_dataset

DATA_LABELS = {"publicerat": "Publicerade siffror", "demo": "Demodata"}
PREFERRED = ("arbetsloshet_ar2022", "demo_arbetsloshet_andel")  # the measure shown first
DRAWN_LEVELS = ("stadsdelsomrade", "stadsdel", "rapportgrupp")
LEGENDS = {"procent": "Andel", "procentenheter": "Skillnad", "antal": "Antal"}
COMPUTED_GAP = "Skillnaden kvinnor − män är beräknad av verktyget ur de publicerade värdena."


# --- the controls' options, in the page's order ----------------------------------------------------------------

def data_options(catalogue: pd.DataFrame, demo_enabled: bool) -> list[str]:
    return ["publicerat", "demo"] if demo_enabled and bool(catalogue["is_demo"].any()) else ["publicerat"]


def measure_names(catalogue: pd.DataFrame, is_demo: bool) -> pd.Series:
    """Measure → name, sorted by name, of demo or of published data."""
    rows = catalogue[catalogue["is_demo"] == is_demo]
    return rows.drop_duplicates("measure").set_index("measure")["name"].sort_values()


def default_measure(names: pd.Series) -> str:
    preferred = [m for m in names.index if m.startswith(PREFERRED)]
    return preferred[0] if preferred else names.index[0]


def period_options(rows: pd.DataFrame) -> list[str]:
    """The periods with values for an area the map draws, oldest first (`rows`: one measure's catalogue)."""
    drawable = rows[rows["level"].isin(DRAWN_LEVELS)]
    return list(dict.fromkeys(drawable.sort_values("period_start")["period"]))


def level_options(at_period: pd.DataFrame) -> list[str]:
    present = set(at_period["level"])
    return [lv for lv in ("stadsdelsomrade", "stadsdel")
            if lv in present or (lv == "stadsdelsomrade" and "rapportgrupp" in present)]


def drawn_rows(at_period: pd.DataFrame, level: str) -> pd.DataFrame:
    return at_period[at_period["level"].isin([level, "rapportgrupp"] if level == "stadsdelsomrade" else [level])]


def kon_options(drawn: pd.DataFrame) -> list[str]:
    return (["totalt", "kvinnor", "män", "skillnad"] if {"kvinnor", "män"} <= set(drawn["gender"])
            else ["totalt"])


def group_options(at_period: pd.DataFrame) -> list[str]:
    return sorted(at_period["group"].unique(), key=lambda g: (g != "alla", g))


def kind_options(at_period: pd.DataFrame) -> list[str]:
    return sorted(at_period["kind"].unique(), key=lambda k: (k != "utfall", k))


def no_split_text(level: str) -> str:
    return f"Måttet är inte publicerat uppdelat på kvinnor och män per {LEVEL_LABELS[level].lower()}."


@dataclass(frozen=True)
class MapChoice:
    """The resolved controls, and what the catalogue says of the measure."""

    data: str
    measure: str
    period: str
    day: date  # the boundaries drawn: those of the period's last day
    level: str
    kon: str
    group: str
    kind: str
    fokus: str  # "1": fokusområden outlined
    name: str
    definition: str | None
    base: str  # the population base ("" where the source gives none)

    @property
    def is_demo(self) -> bool:
        return self.data == "demo"

    def state(self) -> dict[str, str]:
        return {"data": self.data, "matt": self.measure, "period": self.period, "niva": self.level,
                "kon": self.kon, "grupp": self.group, "slag": self.kind, "fokus": self.fokus}


def choice_of(catalogue: pd.DataFrame, measure: str, period: str, level: str, kon: str, group: str, kind: str,
              fokus: str, is_demo: bool) -> MapChoice:
    """The choice of already resolved controls, with the catalogue's day, name, definition and base."""
    rows = catalogue[(catalogue["is_demo"] == is_demo) & (catalogue["measure"] == measure)]
    info = rows.iloc[0]
    at_period = rows[rows["period"] == period]
    base = info["population_base"] if pd.notna(info["population_base"]) and info["population_base"] else ""
    definition = info["definition"] if pd.notna(info["definition"]) and info["definition"] else None
    return MapChoice("demo" if is_demo else "publicerat", measure, period,
                     pd.Timestamp(at_period["period_end"].iloc[0]).date(), level, kon, group, kind, fokus,
                     str(info["name"]), definition, str(base))


def resolve(catalogue: pd.DataFrame, state: Mapping[str, str], demo_enabled: bool,
            fallbacks: list[str] | None = None) -> MapChoice:
    """The URL state resolved as the page resolves it: an unknown value falls back to the default and its key
    is added to `fallbacks`."""
    data = pick(state, "data", data_options(catalogue, demo_enabled), fallbacks=fallbacks)
    is_demo = data == "demo"
    names = measure_names(catalogue, is_demo)
    measure = pick(state, "matt", list(names.index), default_measure(names), fallbacks=fallbacks)
    rows = catalogue[(catalogue["is_demo"] == is_demo) & (catalogue["measure"] == measure)]
    periods = period_options(rows)
    period = pick(state, "period", periods, periods[-1], fallbacks=fallbacks)
    at_period = rows[rows["period"] == period]
    level = pick(state, "niva", level_options(at_period), fallbacks=fallbacks)
    kon = pick(state, "kon", kon_options(drawn_rows(at_period, level)), fallbacks=fallbacks)
    group = pick(state, "grupp", group_options(at_period), fallbacks=fallbacks)
    kind = pick(state, "slag", kind_options(at_period), fallbacks=fallbacks)
    fokus = pick(state, "fokus", ["1", "0"], fallbacks=fallbacks)
    return choice_of(catalogue, measure, period, level, kon, group, kind, fokus, is_demo)


# --- the data the view needs ----------------------------------------------------------------------------------

class MapData(Protocol):
    """Where the view reads its data: cached on the page (dashboard/ui/map_cache.py), the queries for a slide."""

    def observations(self, measure: str, period: str, kind: str, group: str) -> pd.DataFrame: ...
    def memberships_at(self, day: date, member_level: str, parent_level: str) -> pd.DataFrame: ...
    def polygons(self, level: str, day: date) -> dict[str, Any]: ...
    def fokus_polygons(self, day: date) -> dict[str, Any]: ...
    def water(self) -> dict[str, Any]: ...
    def boundary_version(self, day: date) -> dict: ...
    def dataset_titles(self) -> Mapping[str, str]: ...


@dataclass(frozen=True)
class QueryMapData:
    """MapData straight from the queries (slides, exports, tests)."""

    engine: Engine | None = None

    def observations(self, measure: str, period: str, kind: str, group: str) -> pd.DataFrame:
        from queries.observations import observations_of

        return observations_of(measure, periods=(period,), kinds=(kind,), groups=(group,), engine=self.engine)

    def memberships_at(self, day: date, member_level: str, parent_level: str) -> pd.DataFrame:
        from queries.areas import memberships_at

        return memberships_at(day, member_level, parent_level, self.engine)

    def polygons(self, level: str, day: date) -> dict[str, Any]:
        from queries.areas import polygons

        return polygons(level, day, self.engine)

    def fokus_polygons(self, day: date) -> dict[str, Any]:
        from queries.areas import fokus_polygons

        return fokus_polygons(day, self.engine)

    def water(self) -> dict[str, Any]:
        from geo.boundaries import water_geojson

        return water_geojson(**figures.WATER_DETAIL)

    def boundary_version(self, day: date) -> dict:
        from queries.karta import boundary_version

        return boundary_version(day, self.engine)

    def dataset_titles(self) -> Mapping[str, str]:
        return titles_by_dataset(self.engine)


# --- the view -------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class MapView:
    """Everything the page shows for one choice. The page keeps it between reruns and sessions: never modify it."""

    choice: MapChoice
    title: str
    observed: pd.DataFrame  # the observations behind the view (the data set it is set to)
    unit: str
    city_text: str
    polygons: dict[str, Any]
    version: dict
    figure: go.Figure
    units: pd.DataFrame | None  # units that are not places (not drawn)
    missing: list[str]  # areas without a value
    table: pd.DataFrame  # the accessible alternative: the map's numbers as a table
    comparison: pd.DataFrame  # fokusområdena against each other and the city
    sources: str | None  # the source places of `observed` (None: no rows)
    datasets: str  # the data sets of `observed`, for the downloads
    table_download: Download  # `table`, and what every row of it carries
    comparison_download: Download  # `comparison`, likewise
    notes: list[str] = field(default_factory=list)  # the slide's further footnote lines

    @property
    def area_names(self) -> list[str]:
        return [f["id"] for f in self.polygons["features"]]

    def boundaries_text(self) -> str:
        until = self.version["valid_to"].isoformat() if self.version["valid_to"] else "i dag"
        start = self.version["valid_from"].isoformat() if self.version["valid_from"] else ""
        return f"Gränser: {self.version['areas']} stadsdelsområden, indelningen som gällde {start} – {until}."


def legend_title(unit: str, base: str) -> str:
    if base and unit == "procent":
        return f"Andel av {base[0].lower()}{base[1:]}"
    return LEGENDS.get(unit, unit)


def ranked_table(values: pd.DataFrame, area_names: list[str], level: str, unit: str) -> pd.DataFrame:
    """The map's numbers as a table, highest first, every drawn area (a gap says so)."""
    ranked = figures.ranked(values.set_index("area").reindex(area_names).reset_index())
    return pd.DataFrame({
        LEVEL_LABELS[level]: ranked["area"],
        "Värde": [format_value(v, unit, qualifier=q) for v, q in zip(ranked["value"], ranked["qualifier"],
                                                                      strict=True)],
        "Plats (1 = högst)": ranked["rank"],
        "Anmärkning": ranked["group_note"].fillna(""),
        "Källa": ranked["source"].fillna(""),
        "Plats i källan": ranked["source_location"].fillna(""),
    })


def map_view(choice: MapChoice, data: MapData) -> MapView:
    """The view of one choice. Raises GeoDataMissing without boundaries."""
    observed = data.observations(choice.measure, choice.period, choice.kind, choice.group)
    observed = observed[observed["is_demo"] == choice.is_demo]  # the data set the view is set to
    day, kon, level = choice.day, choice.kon, choice.level
    values, unit = map_values(observed, level, kon, data.memberships_at(day, "stadsdelsomrade", "rapportgrupp"))
    city_text = city_printed(observed, kon, unit)
    polygons = data.polygons(level, day)
    figure = figures.area_map(
        polygons, values, unit=unit, legend_title=legend_title(unit, choice.base), city_text=city_text,
        water=data.water(), fokus=data.fokus_polygons(day), highlight_fokus=choice.fokus == "1",
        diverging=kon == "skillnad", demo=choice.is_demo,
    )
    area_names = [f["id"] for f in polygons["features"]]
    drawn = set(values["area"])
    comparison = fokus_comparison(observed, kon, data.memberships_at(day, "stadsdel", "fokusomrade"),
                                  data.memberships_at(day, "stadsdel", "stadsdelsomrade"), unit,
                                  city_value(observed, kon))
    notes = [f"Nivå: {LEVEL_LABELS[level].lower()}. Staden: {city_text}. Grått = {MISSING}."]
    if kon == "skillnad":
        notes.append(COMPUTED_GAP)
    datasets = dataset_names(observed, data.dataset_titles())
    table = ranked_table(values, area_names, level, unit)
    context = {"Mått": choice.name, "Period": period_label(choice.period), "Kön": labels.GENDER_CHOICES[kon],
               "Dataset": datasets}
    name = f"{choice.measure}_{choice.period}_{kon}.csv"
    return MapView(
        choice=choice,
        title=f"{choice.name}, {labels.GENDER_CHOICES[kon].lower()}, {period_label(choice.period)}",
        observed=observed, unit=unit, city_text=city_text, polygons=polygons,
        version=data.boundary_version(day), figure=figure, units=values.attrs.get("enheter"),
        missing=[a for a in area_names if a not in drawn], table=table, comparison=comparison,
        sources=None if observed.empty else labels.source_places(observed), datasets=datasets,
        table_download=Download(table, f"karta_{name}", context, is_demo=choice.is_demo, key="karta_csv"),
        comparison_download=Download(comparison, f"fokusomraden_{name}", context, is_demo=choice.is_demo,
                                     key="fokus_csv"),
        notes=notes,
    )


def definition_text(choice: MapChoice) -> str:
    """The slide's definition line: the definition and the population base as the source gives them."""
    text = choice.definition or "anges inte i källan"
    return text + (f" Befolkningsbas: {choice.base}." if choice.base else "")
