"""The map's view model, and the page and the slide drawn from it: the same map, title, table and sources."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine

from dashboard.core import config
from dashboard.figures.style import DEMO_LABEL
from dashboard.views import karta, presentable
from queries.karta import map_catalogue
from tests.apptest import open_app

STATES = [
    {"matt": "arbetsloshet_ar2022_andel", "period": "2022-12"},
    {"matt": "sdf_insatser_unika_personer", "period": "2022", "kon": "skillnad"},
    {"matt": "sdf_insatser_unika_personer", "period": "2022", "kon": "kvinnor", "fokus": "0"},
    {"matt": "arbetsloshet_unga_18_24_antal", "period": "2014-06"},
    {"matt": "arbetsloshet_oppet_andel_bef_ej_angiven", "period": "2017-10"},
]


@pytest.fixture(scope="module")
def catalogue(db: Engine):
    return map_catalogue(db)


def test_the_state_resolves_as_the_page_resolves_it_and_names_what_fell_back(catalogue) -> None:
    missed: list[str] = []
    choice = karta.resolve(catalogue, {"matt": "finns_inte", "kon": "ingen", "fokus": "2"}, False, missed)
    assert missed == ["matt", "kon", "fokus"]
    assert choice.measure.startswith("arbetsloshet_ar2022") and choice.kon == "totalt" and choice.fokus == "1"
    assert choice.period == karta.period_options(catalogue[catalogue["measure"] == choice.measure])[-1]
    assert choice.data == "publicerat" and not choice.is_demo
    missed = []
    karta.resolve(catalogue, {}, False, missed)
    assert missed == []


def test_demo_is_offered_only_where_it_is_on(catalogue) -> None:
    assert karta.data_options(catalogue, demo_enabled=False) == ["publicerat"]
    missed: list[str] = []
    assert karta.resolve(catalogue, {"data": "demo"}, False, missed).data == "publicerat" and missed == ["data"]


def test_the_view_holds_every_table_the_page_shows(db: Engine, catalogue) -> None:
    choice = karta.resolve(catalogue, STATES[1], False)
    view = karta.map_view(choice, karta.QueryMapData(db))
    assert view.unit != "procent" or choice.kon != "skillnad"
    assert view.title == f"{choice.name}, kvinnor − män, 2022"
    assert list(view.table.columns[:3]) == ["Stadsdelsområde", "Värde", "Plats (1 = högst)"]
    assert len(view.table) == len(view.area_names) == 13
    assert karta.COMPUTED_GAP in view.notes
    context = {"Mått": choice.name, "Period": "2022", "Kön": "Kvinnor − män", "Dataset": view.datasets}
    assert view.table_download.context == view.comparison_download.context == context
    assert view.table_download.table is view.table and view.comparison_download.table is view.comparison
    assert view.table_download.file_name == f"karta_{choice.measure}_2022_skillnad.csv"
    assert view.sources and view.datasets and view.datasets != "uppgift saknas"
    assert set(view.missing) == set(view.area_names) - set(view.table.dropna(subset=["Plats (1 = högst)"]).iloc[:, 0])


def test_the_legend_names_the_population_base() -> None:
    assert karta.legend_title("procent", "Befolkningen 16–64 år") == "Andel av befolkningen 16–64 år"
    assert karta.legend_title("antal", "Befolkningen 16–64 år") == "Antal"
    assert karta.legend_title("procentenheter", "") == "Skillnad"


def _choropleths(spec: dict) -> list[dict]:
    return [t for t in spec["data"] if t["type"] == "choropleth"]


@pytest.mark.parametrize("state", STATES, ids=["-".join(s.values()) for s in STATES])
def test_page_and_slide_show_the_same_map(app_env: str, db: Engine, state: dict[str, str]) -> None:
    at = open_app("pages/karta.py", state)
    assert not at.exception
    slide = presentable.build("karta", state, db)
    assert not slide.fallbacks
    page_map = json.loads(next(c for c in at.get("plotly_chart") if "choropleth" in c.proto.spec).proto.spec)
    slide_map = json.loads(slide.figure.to_json())
    for page_trace, slide_trace in zip(_choropleths(page_map), _choropleths(slide_map), strict=True):
        for key in ("locations", "z", "hovertext", "name"):
            assert page_trace.get(key) == slide_trace.get(key), key
    assert page_map["data"][0].get("colorbar") == slide_map["data"][0].get("colorbar")
    assert at.subheader[0].value == slide.title + (f" – {DEMO_LABEL}" if slide.demo else "")
    choice = karta.resolve(map_catalogue(db), state, config.demo_enabled())
    view = karta.map_view(choice, karta.QueryMapData(db))
    shown = next(t.value for t in at.dataframe if "Plats (1 = högst)" in t.value.columns)
    if view.choice.is_demo:
        assert (shown.pop("Märkning") == DEMO_LABEL).all()
    assert shown.reset_index(drop=True).equals(view.table.reset_index(drop=True))
    assert slide.title == view.title and slide.notes == view.notes
    assert any(c.value == "Källa: " + view.sources for c in at.caption)
