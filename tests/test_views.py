"""Every presentable view builds a slide on both backends, with a footnote that says where the figure comes from;
a deck with one slide per view exports to PowerPoint and reads back."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import Engine

from dashboard.export import presentation
from dashboard.figures import followup
from dashboard.views import omraden, presentable
from queries import indikatorer as indicator_queries

BASE = "http://localhost:8614"

# One state per view (the page's URL keys); together they cover every registered view.
STATES: list[tuple[str, dict[str, str]]] = [
    ("karta", {"matt": "arbetsloshet_ar2022_andel", "period": "2022-12"}),
    ("kaa", {"jmf": "ar", "kon": "skillnad"}),
    ("stockholmsjobb", {"diagram": "resultat"}),
    ("stockholmsjobb", {"diagram": "volymer"}),
    ("jobbtorg", {"kon": "kvinnor", "urval": "helar"}),
    ("jobbtorg", {"kon": "skillnad", "urval": "jan-mar"}),
    ("indikatorer", {"ind": "vp2026_16"}),
    ("omraden", {"niva": "fokusomrade", "kon": "skillnad", "program": "jobbtorg"}),
]


def test_the_states_cover_every_registered_view() -> None:
    assert {view for view, _ in STATES} == set(presentable.VIEWS)
    assert {"stockholmsjobb", "jobbtorg", "indikatorer", "omraden"} <= set(presentable.VIEWS)


@pytest.mark.parametrize(("view", "state"), STATES, ids=[f"{v}-{'-'.join(s.values())}" for v, s in STATES])
def test_view_builds_a_slide_with_figure_and_footnote(db: Engine, view: str, state: dict[str, str]) -> None:
    slide = presentable.build(view, state, db)
    assert isinstance(slide, presentable.Slide) and slide.view == view
    assert slide.title
    assert len(slide.figure.data) > 0, "an empty figure"
    assert not slide.fallbacks
    spec = presentable.VIEWS[view]
    assert slide.link.startswith(f"{spec.url_path}?")
    for key, value in state.items():
        assert f"{key}={value}" in slide.link
    text = slide.footnote(BASE)
    assert text.startswith("Källa: ") and "uppgift saknas" not in text.splitlines()[0]
    if view == "omraden":  # individual-level data: the source is the data set's stored protected table
        assert "skyddad tabell" in text.splitlines()[0] and f"Små tal: {omraden.RULE_TEXT}" in text
    else:
        assert "rad " in text.splitlines()[0], "the source names its lines"
    assert "Period: " in text and "Definition: " in text and "Data: " in text
    assert f"Länk till vyn: {BASE}/{slide.link}" in text


def test_every_view_builds_from_an_empty_state(db: Engine) -> None:
    """A slide with the page's defaults (as the share bar sends a page opened without a query string)."""
    for view in presentable.VIEWS:
        slide = presentable.build(view, {}, db)
        assert len(slide.figure.data) > 0 and "Källa" in slide.footnote(), view
        assert not slide.fallbacks


def test_unknown_values_fall_back_and_say_so(db: Engine) -> None:
    slide = presentable.build("stockholmsjobb", {"diagram": "finns_inte"}, db)
    assert slide.fallbacks == ["diagram"] and "diagram=resultat" in slide.link
    slide = presentable.build("jobbtorg", {"kon": "x", "urval": "helar"}, db)
    assert slide.fallbacks == ["kon"] and "kon=totalt" in slide.link
    slide = presentable.build("indikatorer", {"ind": "finns_inte"}, db)
    assert slide.fallbacks == ["ind"]


def test_stockholmsjobb_result_has_the_targets_and_their_sources(db: Engine) -> None:
    slide = presentable.build("stockholmsjobb", {}, db)
    assert slide.title == followup.STHLMSJOBB_OUTCOME_TITLE
    assert "diagram=resultat" in slide.link
    marks = [t for t in slide.figure.data if t.type == "scatter" and t.mode == "markers+text"]
    assert marks and all(t.name.startswith("Nämndens mål") for t in marks), "each target is a mark at its own year"
    assert "Arbetsmarknadsrapport 2022, rad " in slide.source
    assert "Definition: Andel i arbete eller studier tre månader efter avslutat Stockholmsjobb" in slide.footnote()
    assert "avslutade " in slide.period and "mål " in slide.period
    volumes = presentable.build("stockholmsjobb", {"diagram": "volymer"}, db)
    assert volumes.title == followup.STHLMSJOBB_VOLUMES_TITLE
    assert {t.name for t in volumes.figure.data} >= {"Aspiranter med Stockholmsjobb", "Startade Stockholmsjobb"}


def test_jobbtorg_slide_follows_kon_and_period(db: Engine) -> None:
    women = presentable.build("jobbtorg", {"kon": "kvinnor", "urval": "helar"}, db)
    assert "kvinnor" in women.title and "helår" in women.title
    assert {t.name for t in women.figure.data if t.type == "bar"} == {"2022", "2021"}
    gap = presentable.build("jobbtorg", {"kon": "skillnad", "urval": "jan-mar"}, db)
    assert "kvinnor − män (beräknat av verktyget)" in gap.title
    assert "Tertialrapport 1 2021" in gap.source
    assert any("beräknat av verktyget" in n for n in gap.notes)
    assert women.figure.data[0].y != gap.figure.data[0].y


def test_indikatorer_slide_is_the_chosen_indicators_chart(db: Engine) -> None:
    indicators = indicator_queries.indicator_list(db).set_index("indicator")
    slide = presentable.build("indikatorer", {"ind": "vp2026_16"}, db)
    assert slide.title.startswith(indicators.at["vp2026_16", "name"])
    assert slide.link == "indikatorer?ind=vp2026_16"
    assert "Tertialrapport 1 2021" in slide.source and "verksamhetsplan 2026" in slide.source
    without = indicators[indicators["measure"].isna()]
    if not without.empty:  # an indicator without a measure still gives a slide that says so
        empty = presentable.build("indikatorer", {"ind": without.index[0]}, db)
        assert any("inget mått" in n for n in empty.notes)
        assert any(a.text == "uppgift saknas" for a in empty.figure.layout.annotations)


def test_pptx_has_one_slide_per_view_with_title_picture_and_footnote(database_url: str, db: Engine) -> None:
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    slides = [presentable.build(view, state, db) for view, state in dict((v, s) for v, s in STATES).items()]
    assert [s.view for s in slides] == list(dict.fromkeys(v for v, _ in STATES))
    prs = Presentation(io.BytesIO(presentation.deck_pptx(slides, BASE, "Alla vyer")))
    assert len(prs.slides) == len(presentable.VIEWS)
    for page, slide in zip(prs.slides, slides):
        shapes = {s.name: s for s in page.shapes}
        assert shapes["Rubrik"].text_frame.text.startswith(slide.title)
        pictures = [s for s in page.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1 and pictures[0].image.blob.startswith(b"\x89PNG")
        note = shapes["Fotnot"].text_frame.text
        assert "Källa" in note and "Period:" in note and "Definition:" in note and "Data:" in note
        assert f"{BASE}/{slide.link}" in note
