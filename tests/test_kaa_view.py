"""The KAA view model, and the page and the slide drawn from it: the same numbers, title and sources."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine

from dashboard.figures import kaa
from dashboard.views import presentable
from dashboard.views.kaa import kaa_view, kon_options
from queries import kaa as kaa_queries
from tests.apptest import open_app

STATES = [{"jmf": "ar", "kon": "totalt"}, {"jmf": "ar", "kon": "skillnad"}, {"jmf": "ar", "kon": "kvinnor"},
          {"jmf": "jan_mars", "kon": "totalt"}]


@pytest.fixture(scope="module")
def obs(db: Engine):
    return kaa_queries.city_observations(kaa.all_measures(), engine=db)


def test_the_view_resolves_its_state_and_names_what_fell_back(obs) -> None:
    view = kaa_view(obs, {"jmf": "finns_inte", "kon": "ingen"})
    assert (view.choice, view.kon) == ("ar", "totalt") and view.fallbacks == ["jmf", "kon"]
    assert kon_options(obs, kaa.PERIOD_SETS["ar"]) == ["totalt", "kvinnor", "män", "skillnad"]
    assert kaa_view(obs, {}).fallbacks == []


def test_the_view_holds_every_table_the_page_shows(obs) -> None:
    view = kaa_view(obs, {"jmf": "ar", "kon": "skillnad"})
    assert view.title == "KAA-tratten, kvinnor och män, 2021 och 2022"
    assert set(view.funnel_rows["Kön"]) == {"Totalt", "Kvinnor", "Män"}
    omfattade = view.funnel_rows[(view.funnel_rows["Steg"] == "Omfattade (i KAA-registret)")
                                 & (view.funnel_rows["Kön"] == "Totalt") & (view.funnel_rows["Period"] == "2022")]
    assert omfattade["Antal"].tolist() == ["7\u00a0154"]
    assert view.gap_rows.columns[-2].startswith("Skillnad kvinnor − män") and len(view.gap_rows) > 0
    assert "Omfattade" not in set(view.gap_rows["Steg"])
    assert set(view.target_rows["Till"]) == {"Arbete", "Studier"}
    assert len(view.notes_rows) == len(view.noted) > 0
    only_totals = kaa_view(obs, {"jmf": "ar", "kon": "totalt"})
    assert set(only_totals.funnel_rows["Kön"]) == {"Totalt"}


@pytest.mark.parametrize("state", STATES, ids=["-".join(s.values()) for s in STATES])
def test_page_and_slide_show_the_same_funnel(app_env: str, db: Engine, state: dict[str, str]) -> None:
    at = open_app(page="pages/kaa.py", query=state)
    assert not at.exception
    slide = presentable.build("kaa", state, db)
    page_chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    slide_chart = json.loads(slide.figure.to_json())
    assert [t.get("x") for t in page_chart["data"]] == [t.get("x") for t in slide_chart["data"]]
    assert [t.get("text") for t in page_chart["data"]] == [t.get("text") for t in slide_chart["data"]]
    view = kaa_view(kaa_queries.city_observations(kaa.all_measures(), engine=db), state)
    shown = next(t.value for t in at.dataframe if "Antal" in t.value.columns)
    assert shown.drop(columns=[c for c in shown.columns if c not in view.funnel_rows.columns]).reset_index(
        drop=True).equals(view.funnel_rows.reset_index(drop=True))
    assert slide.title == view.title and slide.period == view.period_text
