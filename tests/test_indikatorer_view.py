"""The Indikatorer view model, and the page and the slide drawn from it: the same indicator, numbers, title,
footnote and download rows for the same URL state."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from sqlalchemy import Engine

from dashboard.core import labels
from dashboard.views import indikatorer as views
from dashboard.views import presentable
from queries import indikatorer as queries
from tests.apptest import open_app
from tests.parity import recorded_downloads

PAGE = "pages/indikatorer.py"
STATES = [
    {"ind": "t1_2021_01"},  # published for kvinnor and män: the gap computed by the tool
    {"ind": "vp2026_16"},  # one measure in both documents
    {"dok": "t1_2021", "perkon": "ja", "ind": "t1_2021_32"},
    {"mal": "vp2026:3.2.2"},  # a nämndmål: its first indicator
    {"dok": "t1_2021", "ind": "vp2026_01"},  # an indicator the filter leaves out: the filter's first
    {"ind": "finns_inte", "frekvens": "varannan vecka"},  # unknown values fall back
    {"ind": "t1_2021_30"},  # no measure: nothing to draw, and the view says so
]


@pytest.fixture(scope="module")
def data(db: Engine) -> views.IndikatorerData:
    indicators = queries.indicator_list(db)
    obs = queries.indicator_observations(tuple(sorted(indicators["measure"].dropna().unique())), db)
    return views.IndikatorerData(indicators, queries.indicator_statuses(db), obs, presentable.titles_by_dataset(db))


def without_mark(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.drop(columns=[c for c in ("Märkning",) if c in frame.columns]).reset_index(drop=True)


def test_the_view_resolves_its_state_and_names_what_fell_back(data) -> None:
    view = views.indikatorer_view(data, {"dok": "finns_inte", "mal": "vp2026:9.9", "ind": "finns_inte"})
    assert view.filters == dict.fromkeys(views.FILTERS, views.ALL) and view.fallbacks == ["dok", "mal", "ind"]
    assert view.chosen == next(iter(view.names)) and len(view.names) == len(data.indicators)
    assert views.indikatorer_view(data, {}).fallbacks == []
    narrowed = views.indikatorer_view(data, {"dok": "t1_2021", "mal": "t1_2021:1.1"})
    assert set(narrowed.shown["document"]) == {"t1_2021"} and narrowed.chosen in set(narrowed.shown["indicator"])
    assert "mal" not in narrowed.fallbacks
    # a goal of the other document is not among the options once the document is chosen
    assert views.indikatorer_view(data, {"dok": "t1_2021", "mal": "vp2026:3.2.2"}).fallbacks == ["mal"]
    empty = views.indikatorer_view(data, {"amne": "KAA", "frekvens": "år"})
    assert empty.chosen is None and empty.shown.empty and empty.count_text.startswith("Visar 0 av 86")


def test_the_view_holds_the_indicator_its_kön_and_its_gap(data) -> None:
    view = views.indikatorer_view(data, {"ind": "t1_2021_01"})
    assert view.title.startswith(view.indicator["name"]) and view.title.endswith("(T1 2021)")
    own = {o.label: o.text for o in view.own}
    assert (own["Utfall"], own["Nämndens mål"], own["KF:s mål"]) == ("75,28 %", "72 %", None)
    row = view.gender_table.iloc[0]
    gap = next(c for c in view.gender_table.columns if c.startswith("Skillnad kvinnor − män"))
    assert (row["Kvinnor"], row["Män"], row["Totalt"], row[gap]) == ("73,69 %", "76,45 %", "75,28 %",
                                                                   "\u22122,76 procentenheter")
    assert labels.COMPUTED in gap and view.gender_text is None
    assert any("skillnad \u22122,76 procentenheter" in n and labels.COMPUTED in n for n in view.notes)
    assert view.source == labels.source_text(view.values) and "rad " in view.source
    assert ("Redovisas per kön", "ja") in view.facts
    without = views.indikatorer_view(data, {"ind": "t1_2021_09"})
    assert ("Redovisas per kön", "nej") in without.facts and without.gender_table.empty
    assert without.gender_text == "Utfallet är inte publicerat uppdelat på kvinnor och män."
    assert not any("skillnad" in n for n in without.notes)
    targets_only = views.indikatorer_view(data, {"ind": "vp2026_01"})
    assert targets_only.gender_text.startswith("Inga utfall är publicerade") and "ska redovisas per kön" in \
        targets_only.gender_text


def test_an_indicator_without_a_measure_says_so_everywhere(data) -> None:
    view = views.indikatorer_view(data, {"ind": "t1_2021_30"})
    assert not view.has_measure and view.values.empty and view.values_table.empty
    assert view.definition == "uppgift saknas" and view.period == "uppgift saknas"
    assert any("inget mått" in n for n in view.notes)
    assert any(a.text == "uppgift saknas" for a in view.figure.layout.annotations)
    assert view.source == f"Källa: {view.indicator['document_title']} ({view.indicator['source_location']})"




@pytest.mark.parametrize("state", STATES, ids=["-".join(s.values()) for s in STATES])
def test_page_and_slide_show_the_same_indicator(app_env: str, db: Engine, data, state: dict[str, str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    calls = recorded_downloads(monkeypatch)
    at = open_app(PAGE, state)
    assert not at.exception
    view = views.indikatorer_view(data, state)
    slide = presentable.build("indikatorer", state, db)
    # the same indicator, title and footnote
    assert at.selectbox(key="ind").value == view.chosen
    assert f"ind={view.chosen}" in slide.link and slide.fallbacks == view.fallbacks
    for key in view.fallbacks:
        assert any(f"”{state[key]}” finns inte här" in c.value for c in at.caption), key
    assert any(m.value == f"### {view.indicator['name']}" for m in at.markdown)
    assert slide.title == view.title and slide.source == view.source and slide.period == view.period
    assert slide.definition == view.definition and slide.notes == view.notes
    facts = next(m.value for m in at.markdown if m.value.startswith("**Definition:**"))
    assert all(f"**{label}:** {text}" in facts for label, text in view.facts)
    # the same numbers: the chart's points and the tables
    charts = at.get("plotly_chart")
    if view.values.empty:
        assert not charts
    else:
        page = json.loads(charts[0].proto.spec)["data"]
        drawn = json.loads(slide.figure.to_json())["data"]
        assert [(t.get("name"), t.get("x"), t.get("y"), t.get("text")) for t in page] == \
               [(t.get("name"), t.get("x"), t.get("y"), t.get("text")) for t in drawn]
        assert any(c.value == "Källa: " + labels.source_places(view.values) for c in at.caption)
        shown = next(t.value for t in at.dataframe if "Tryckt i källan" in t.value.columns)
        assert without_mark(shown).equals(view.values_table.reset_index(drop=True))
    if not view.gender_table.empty:
        shown = next(t.value for t in at.dataframe if any(c.startswith("Skillnad kvinnor") for c in t.value.columns))
        assert without_mark(shown).equals(view.gender_table.reset_index(drop=True))
    summary = next(t.value for t in at.dataframe if "Status (rapporterad)" in t.value.columns)
    assert without_mark(summary).equals(view.summary.reset_index(drop=True))
    # the same download rows, with the same context
    expected = ([view.values_download] if not view.values.empty else []) + [view.summary_download]
    assert [c["file_name"] for c in calls] == [d.file_name for d in expected]
    for call, file in zip(calls, expected, strict=True):
        assert call["table"].equals(file.table) and call["context"] == file.context
        assert call["is_demo"] == file.is_demo


def test_a_saved_selection_that_is_empty_now_falls_back_to_all_indicators(db: Engine) -> None:
    slide = presentable.build("indikatorer", {"amne": "KAA", "frekvens": "år", "ind": "vp2026_01"}, db)
    assert slide.fallbacks == ["amne", "frekvens"] and slide.link == "indikatorer?ind=vp2026_01"
    assert len(slide.figure.data) > 0


def test_the_slide_link_carries_the_filters_it_was_chosen_under(db: Engine) -> None:
    slide = presentable.build("indikatorer", {"dok": "t1_2021", "perkon": "ja", "ind": "t1_2021_32"}, db)
    assert slide.link == "indikatorer?dok=t1_2021&perkon=ja&ind=t1_2021_32" and not slide.fallbacks
