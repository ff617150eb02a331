"""The map page, as a politician or analyst opens it."""

from __future__ import annotations

import base64
import csv
import json

import numpy as np
import pytest

from tests.apptest import open_app
from tests.seeds import REPO

MEASURE = "arbetsloshet_ar2022_andel"


def _published(measure: str, period: str, level: str, gender: str) -> dict[str, float]:
    with (REPO / "data" / "observations" / "ar2022_arbetsloshet.csv").open(encoding="utf-8") as handle:
        return {r["area"]: float(r["value"]) for r in csv.DictReader(handle)
                if (r["measure"], r["period"], r["area_level"], r["gender"]) == (measure, period, level, gender)}


def _array(value) -> list:
    """Plotly writes numeric arrays as base64 typed arrays; decode them to a list."""
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
    return list(value)


def _map_traces(at) -> list[dict]:
    chart = next(c for c in at.get("plotly_chart") if "choropleth" in c.proto.spec)
    return json.loads(chart.proto.spec)["data"]


def test_map_shows_the_published_values_of_each_area(app_env: str) -> None:
    at = open_app("pages/karta.py", {"matt": MEASURE, "period": "2022-12"})
    assert not at.exception
    expected = _published(MEASURE, "2022-12", "stadsdelsomrade", "totalt")
    assert expected, "the transcription has district values for December 2022"
    coloured = next(t for t in _map_traces(at) if t["type"] == "choropleth" and t.get("showscale") is not False)
    assert dict(zip(_array(coloured["locations"]), _array(coloured["z"]), strict=True)) == expected


def test_areas_without_data_are_drawn_as_missing_not_zero(app_env: str) -> None:
    at = open_app("pages/karta.py", {"matt": MEASURE, "period": "2022-12"})
    traces = _map_traces(at)
    missing = next(t for t in traces if t.get("name") == "uppgift saknas" and t["type"] == "choropleth")
    expected = _published(MEASURE, "2022-12", "stadsdelsomrade", "totalt")
    assert len(missing["locations"]) == 13 - len(expected)
    assert not set(missing["locations"]) & set(expected)
    assert all("uppgift saknas" in text for text in missing["hovertext"])
    assert any(t.get("name", "").startswith("uppgift saknas") and t["type"] == "scattergeo"
               and t.get("showlegend") is not False for t in traces), "legend entry"


def test_boundaries_follow_the_period(app_env: str) -> None:
    at = open_app("pages/karta.py", {"matt": MEASURE, "period": "2022-12"})
    assert any("13 stadsdelsområden" in c.value for c in at.caption)
    at = open_app("pages/karta.py", {"matt": "arbetsloshet_oppet_andel_bef_ej_angiven", "period": "2017-10"})
    assert not at.exception
    assert any("14 stadsdelsområden" in c.value for c in at.caption)


def test_gender_choice_is_disabled_where_the_measure_has_no_split(app_env: str) -> None:
    at = open_app("pages/karta.py", {"matt": MEASURE, "period": "2022-12"})
    assert any("inte publicerat uppdelat på kvinnor och män" in c.value for c in at.caption)


def test_url_state_round_trips_and_survives_a_page_switch(app_env: str) -> None:
    wanted = {"matt": "arbetsloshet_oppet_andel_bef_ej_angiven", "period": "2017-10", "niva": "stadsdelsomrade",
              "omrade": "Skärholmen"}
    at = open_app("pages/karta.py", wanted)
    assert not at.exception
    for key, value in wanted.items():
        assert at.query_params[key] == [value] or at.query_params[key] == value
    at.switch_page("../pages/data.py")
    at.run()
    at.switch_page("../pages/karta.py")
    at.run()
    assert at.selectbox(key="matt").value == wanted["matt"]
    assert at.selectbox(key="period").value == wanted["period"]
    assert at.selectbox(key="omrade").value == "Skärholmen"


def test_area_profile_lists_other_measures(app_env: str) -> None:
    at = open_app("pages/karta.py", {"matt": "arbetsloshet_oppet_andel_bef_ej_angiven", "period": "2017-10",
                                     "omrade": "Skärholmen"})
    assert any("Alla mått för Skärholmen" in m.value for m in at.markdown)


@pytest.mark.parametrize("kon", ["totalt", "kvinnor", "män", "skillnad"])
def test_every_gender_choice_draws_the_published_values(app_env: str, kon: str) -> None:
    """The stadsdelsnämnders' insatser 2022 are published per stadsdelsområde (and one reporting group) and kön;
    the gap is kvinnor − män."""
    measure = "sdf_insatser_unika_personer"
    at = open_app("pages/karta.py", {"matt": measure, "period": "2022", "kon": kon})
    assert not at.exception
    with (REPO / "data" / "observations" / "ar2022_stadsdelar.csv").open(encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["measure"] == measure and r["period"] == "2022"
                and r["area_level"] in ("stadsdelsomrade", "rapportgrupp")]
    by = {(member, r["gender"]): float(r["value"]) for r in rows for member in r["area"].split(", ")}
    areas = {a for a, _ in by}
    assert {"Kungsholmen", "Rinkeby-Kista"} <= areas
    expected = ({a: by[(a, "kvinnor")] - by[(a, "män")] for a in areas} if kon == "skillnad"
                else {a: by[(a, kon)] for a in areas})
    coloured = next(t for t in _map_traces(at) if t["type"] == "choropleth" and t.get("showscale") is not False)
    assert dict(zip(_array(coloured["locations"]), _array(coloured["z"]), strict=True)) == expected
    assert (coloured.get("zmid") == 0) == (kon == "skillnad"), "a diverging scale for the gap only"


def test_feriejobb_per_forvaltning_never_colours_the_map(db) -> None:
    """Feriejobb 2022 per förvaltning count where the young people worked, not where they live: they are
    stored on förvaltningar (enheter), so the map does not offer them for stadsdelsområden."""
    from queries.karta import map_catalogue

    catalogue = map_catalogue(db)
    assert "feriejobb_anstallda" not in set(catalogue["measure"])
    assert "sdf_insatser_unika_personer" in set(catalogue["measure"])


def test_the_map_prints_the_qualifier_in_hover_and_table(app_env: str) -> None:
    at = open_app("pages/karta.py", {"matt": MEASURE, "period": "2022-12"})
    assert not at.exception
    coloured = next(t for t in _map_traces(at) if t["type"] == "choropleth" and t.get("showscale") is not False)
    hover = dict(zip(_array(coloured["locations"]), coloured["hovertext"], strict=True))
    assert "strax över 2 %" in hover["Bromma"] and "ca 10,3 %" in hover["Spånga-Tensta"]
    assert "<br>11,5 %" in hover["Rinkeby-Kista"], "an exact number has no qualifier"
    assert "Staden: omkring 6,3 %" in hover["Bromma"]
    table = next(t.value for t in at.dataframe if "Värde" in t.value.columns and "Plats (1 = högst)" in t.value)
    values = dict(zip(table.iloc[:, 0], table["Värde"], strict=True))
    assert values["Hägersten-Älvsjö"] == "strax över 2 %"


def test_demo_data_is_labelled_everywhere(app_env: str) -> None:
    at = open_app("pages/karta.py", {"data": "demo", "matt": "demo_arbetsloshet_andel", "niva": "stadsdel",
                                     "omrade": "Rinkeby"})
    assert not at.exception
    label = "Demodata – inte verkliga siffror"
    assert any(label in e.value for e in at.error), "banner"
    assert any(label in s.value for s in at.subheader), "title"
    traces = _map_traces(at)
    coloured = next(t for t in traces if t["type"] == "choropleth" and t.get("showscale") is not False)
    assert all(label in text for text in coloured["hovertext"]), "hover"
    assert len(_array(coloured["locations"])) == 117, "every stadsdel has a demo value"
    for table in at.dataframe:
        assert (table.value["Märkning"] == label).all(), "tables"
    chart = next(c for c in at.get("plotly_chart") if "choropleth" in c.proto.spec)
    assert label in json.loads(chart.proto.spec)["layout"]["title"]["text"], "chart title"


def test_published_data_is_the_default_and_never_labelled_demo(app_env: str) -> None:
    at = open_app("pages/karta.py")
    assert at.radio(key="data").value == "publicerat"
    assert not any("Demodata" in e.value for e in at.error)


def test_missing_boundaries_give_a_clear_swedish_error(app_env: str, monkeypatch: pytest.MonkeyPatch,
                                                       tmp_path) -> None:
    import streamlit as st

    from geo import boundaries

    st.cache_resource.clear()  # the app keeps geometry for the whole process
    monkeypatch.setenv("GEO_DIR", str(tmp_path / "finns-inte"))
    for cached in (boundaries.load_stadsdelar, boundaries._simplified, boundaries.area_polygons):
        cached.cache_clear()
    try:
        at = open_app("pages/karta.py", {"matt": "arbetsloshet_unga_18_24_antal", "period": "2014-06"})
        assert not at.exception
        message = " ".join(e.value for e in at.error)
        assert "finns-inte" in message and "dataportalen.stockholm.se" in message and "GEO_DIR" in message
    finally:
        monkeypatch.delenv("GEO_DIR")
        st.cache_resource.clear()
        for cached in (boundaries.load_stadsdelar, boundaries._simplified, boundaries.area_polygons):
            cached.cache_clear()


def _profile_table(at):
    return next(t.value for t in at.dataframe if {"Grupp", "Slag", "Plats i källan"} <= set(t.value.columns))


def _measure_names(db, demo: bool) -> set[str]:
    from sqlalchemy import select

    from dashboard.db.schema import datasets, measures, observations

    query = (select(measures.c.name).distinct().join(observations, observations.c.measure == measures.c.measure)
             .join(datasets, datasets.c.dataset == observations.c.dataset).where(datasets.c.is_demo == demo))
    with db.connect() as conn:
        return set(conn.execute(query).scalars())


def test_area_profile_shows_the_data_set_the_view_is_set_to(app_env: str, db) -> None:
    """Published mode lists no generated measure; demo mode lists the demo ones, each row labelled, and no
    published figure under the demo label."""
    demo_names, real_names = _measure_names(db, True), _measure_names(db, False)
    at = open_app("pages/karta.py", {"matt": MEASURE, "period": "2022-12", "omrade": "Skärholmen"})
    assert not at.exception
    table = _profile_table(at)
    assert len(table) and set(table["Mått"]) <= real_names
    assert "Märkning" not in table.columns
    at = open_app("pages/karta.py", {"data": "demo", "matt": "demo_arbetsloshet_andel", "omrade": "Skärholmen"})
    assert not at.exception
    table = _profile_table(at)
    assert len(table) and set(table["Mått"]) <= demo_names
    assert (table["Märkning"] == "Demodata – inte verkliga siffror").all()


def test_a_kon_change_back_reuses_the_view_and_draws_the_same_map(app_env: str,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """The view is built once per choice (dashboard/ui/map_cache.map_view): going back to a kön already seen draws
    the same map, tables and downloads without building the figure again."""
    import streamlit as st

    from dashboard.figures import karta as figures

    st.cache_resource.clear()
    built = []
    area_map = figures.area_map
    monkeypatch.setattr(figures, "area_map", lambda *args, **kwargs: built.append(1) or area_map(*args, **kwargs))
    at = open_app("pages/karta.py", {"matt": "sdf_insatser_unika_personer", "period": "2022", "kon": "kvinnor"})
    assert not at.exception
    first = [c.proto.spec for c in at.get("plotly_chart")], [t.value for t in at.dataframe]
    at.segmented_control(key="kon").set_value("män").run()
    assert not at.exception and len(built) == 2
    men = [c.proto.spec for c in at.get("plotly_chart")]
    at.segmented_control(key="kon").set_value("kvinnor").run()
    assert not at.exception
    assert len(built) == 2, "the kvinnor view was reused, not built again"
    again = [c.proto.spec for c in at.get("plotly_chart")], [t.value for t in at.dataframe]
    assert again[0] == first[0] != men
    assert all(a.equals(b) for a, b in zip(again[1], first[1], strict=True))
    assert {b.label for b in at.get("download_button")} >= {"CSV (Excel, semikolon)", "Excel (.xlsx)"}


def test_the_shared_figure_gives_the_same_json_as_the_figure() -> None:
    import plotly.graph_objects as go
    import plotly.io

    from dashboard.ui.map_cache import SharedFigure

    figure = go.Figure(go.Choropleth(locations=["a"], z=[1.5], geojson={"type": "FeatureCollection", "features": [
        {"type": "Feature", "id": "a", "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 1],
                                                                                          [0, 0]]]}}]}))
    shared = SharedFigure(figure)
    assert shared.to_dict() is shared.to_dict()
    assert plotly.io.to_json(shared.to_dict(), validate=False) == plotly.io.to_json(figure.to_dict(), validate=False)
