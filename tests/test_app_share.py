"""The share bar and the glossary on the pages in AppTest: the link to copy, adding the view to a presentation,
and a "Begrepp" popover with the definitions of the terms the page uses."""

from __future__ import annotations

import json
import uuid

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import open_app

SHARED = [
    ("pages/stockholmsjobb.py", "stockholmsjobb", {"kon": "totalt", "diagram": "volymer"}),
    ("pages/jobbtorg.py", "jobbtorg", {"kon": "kvinnor", "urval": "jan-mar"}),
    ("pages/indikatorer.py", "indikatorer", {"ind": "vp2026_16"}),
    ("pages/omraden.py", "omraden", {"niva": "stadsdelsomrade", "ar": "2022", "kon": "kvinnor",
                                     "omrade": "Rinkeby-Kista", "malgrupp": "alla", "program": "jobbtorg"}),
]
# Page → a term its popover must define.
GLOSSARY = {
    "pages/stockholmsjobb.py": "Stockholmsjobb",
    "pages/jobbtorg.py": "Jobbtorg Stockholm",
    "pages/indikatorer.py": "Aspirant",
    "pages/karta.py": "Fokusområden",
    "pages/kaa.py": "KAA",
    "pages/oversikt.py": "Stockholmsjobb",
}


def popover_texts(at: AppTest, label: str = "Begrepp") -> list[str]:
    """The markdown inside each popover with this label."""
    found = []
    for block in at.get("popover"):
        if block.proto.popover.label == label:
            found.append("\n".join(m.value for m in block.get("markdown")))
    return found


@pytest.mark.parametrize(("page", "view", "query"), SHARED, ids=[v for _, v, _ in SHARED])
def test_page_has_the_share_bar_with_its_link(app_env: str, page: str, view: str, query: dict[str, str]) -> None:
    at = open_app(page, query)
    assert not at.exception
    expected = f"{view}?" + "&".join(f"{k}={v}" for k, v in query.items())
    assert any(c.value.endswith(expected) for c in at.code), [c.value for c in at.code]
    assert at.button(key=f"share_{view}_add").label == "Lägg till i presentation"
    assert at.selectbox(key=f"share_{view}_deck")


@pytest.mark.parametrize("page", list(GLOSSARY), ids=[p.split("/")[1][:-3] for p in GLOSSARY])
def test_page_has_the_glossary_popover(app_env: str, page: str) -> None:
    at = open_app(page)
    assert not at.exception
    texts = popover_texts(at)
    assert texts, "no Begrepp popover"
    assert f"**{GLOSSARY[page]}**" in texts[0]
    assert "rad " in texts[0], "every definition names its source and line"


def test_share_link_follows_the_chosen_chart(app_env: str) -> None:
    at = open_app("pages/stockholmsjobb.py")
    assert any(c.value.endswith("stockholmsjobb?kon=totalt&diagram=resultat") for c in at.code)
    at.segmented_control(key="diagram").set_value("volymer").run()
    assert not at.exception
    assert at.query_params["diagram"] in ("volymer", ["volymer"])
    assert any(c.value.endswith("stockholmsjobb?kon=totalt&diagram=volymer") for c in at.code)


def test_slide_draws_what_the_page_draws(app_env: str) -> None:
    from dashboard.views import presentable

    at = open_app("pages/jobbtorg.py", {"kon": "kvinnor", "urval": "helar"})
    page = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    slide = presentable.build("jobbtorg", {"kon": "kvinnor", "urval": "helar"}).figure.data
    assert [(t.get("name"), list(t.get("y") or [])) for t in page] == [(t.name, list(t.y or [])) for t in slide]


@pytest.mark.parametrize(("page", "view", "query"), SHARED, ids=[v for _, v, _ in SHARED])
def test_add_the_view_to_a_new_presentation(app_env: str, page: str, view: str, query: dict[str, str]) -> None:
    from queries.decks import list_decks, slides_of

    name = f"Dela {view} {uuid.uuid4().hex[:6]}"
    at = open_app(page, query)
    at.selectbox(key=f"share_{view}_deck").set_value("__ny__").run()
    at.text_input(key=f"share_{view}_name").input(name).run()
    at.button(key=f"share_{view}_add").click().run()
    assert not at.exception
    assert any("ligger nu sist" in s.value for s in at.success)
    deck = next(d.id for d in list_decks() if d.name == name)
    (saved,) = slides_of(deck)
    assert saved.view == view and saved.state == query


def test_adding_says_what_went_where_and_asks_before_a_duplicate(app_env: str) -> None:
    from dashboard.db import decks
    from queries.decks import slides_of

    name = f"Dubbletter {uuid.uuid4().hex[:6]}"
    deck = decks.create_deck(name)
    query = {"kon": "kvinnor", "urval": "jan-mar"}
    at = open_app("pages/jobbtorg.py", query)
    at.selectbox(key="share_jobbtorg_deck").set_value(deck).run()
    at.button(key="share_jobbtorg_add").click().run()
    assert not at.exception
    (said,) = [s.value for s in at.success]
    assert f"”{name}”" in said and "som bild 1" in said and "Inskrivna på Jobbtorg" in said
    assert [t.value for t in at.toast] == [said]
    assert f"{name} (1 bild)" in at.selectbox(key="share_jobbtorg_deck").options

    at.button(key="share_jobbtorg_add").click().run()  # the same view, the same state: ask first
    assert not at.exception and not at.success
    assert any("finns redan" in w.value and "bild 1" in w.value for w in at.warning)
    assert len(slides_of(deck)) == 1
    at.button(key="share_jobbtorg_cancel").click().run()
    assert not any("finns redan" in w.value for w in at.warning)
    assert len(slides_of(deck)) == 1

    at.button(key="share_jobbtorg_add").click().run()
    at.button(key="share_jobbtorg_again").click().run()
    assert not at.exception
    assert any("som bild 2" in s.value for s in at.success)
    assert [s.state for s in slides_of(deck)] == [query, query]
    assert f"{name} (2 bilder)" in at.selectbox(key="share_jobbtorg_deck").options


def test_another_state_of_the_same_view_is_added_without_asking(app_env: str) -> None:
    from dashboard.db import decks
    from queries.decks import slides_of

    deck = decks.create_deck(f"Olika val {uuid.uuid4().hex[:6]}")
    at = open_app("pages/jobbtorg.py", {"kon": "kvinnor", "urval": "helar"})
    at.selectbox(key="share_jobbtorg_deck").set_value(deck).run()
    at.button(key="share_jobbtorg_add").click().run()
    at.segmented_control(key="kon").set_value("män").run()
    at.button(key="share_jobbtorg_add").click().run()
    assert not at.exception and not at.warning
    assert [s.state["kon"] for s in slides_of(deck)] == ["kvinnor", "män"]
