"""The presentation page in AppTest: add views from the pages, reorder, remove, present and step through."""

from __future__ import annotations

import uuid

from tests.apptest import open_app


def _add_from(page: str, view: str, deck: str | None, name: str, query: dict[str, str]):
    at = open_app(page, query)
    assert not at.exception
    assert any(f"/{view}?" in c.value or c.value.startswith(f"{view}?") for c in at.code), "the link to copy"
    if deck is None:
        at.selectbox(key=f"share_{view}_deck").set_value("__ny__").run()
        at.text_input(key=f"share_{view}_name").input(name).run()
    else:
        at.selectbox(key=f"share_{view}_deck").set_value(int(deck)).run()
    at.button(key=f"share_{view}_add").click().run()
    assert not at.exception
    assert any("ligger nu sist" in s.value for s in at.success)
    return at


def _deck_id(name: str) -> str:
    from queries.decks import list_decks

    return str(next(d.id for d in list_decks() if d.name == name))


def _titles(at) -> list[str]:
    return [m.value.split("  \n")[0] for m in at.markdown if "  \n:gray[" in m.value]


def test_build_reorder_and_present_a_deck(app_env: str) -> None:
    name = f"Nämnden {uuid.uuid4().hex[:6]}"
    _add_from("pages/karta.py", "karta", None, name, {"matt": "arbetsloshet_ar2022_andel", "period": "2022-12"})
    deck = _deck_id(name)
    _add_from("pages/kaa.py", "kaa", deck, name, {"jmf": "ar", "kon": "skillnad"})
    _add_from("pages/kaa.py", "kaa", deck, name, {"jmf": "jan_mars", "kon": "totalt"})

    at = open_app("pages/presentation.py", {"deck": deck})
    assert not at.exception
    titles = _titles(at)
    assert len(titles) == 3 and titles[0].startswith("Arbetslöshet") and titles[1].startswith("KAA-tratten")

    from queries.decks import slides_of

    first, second, third = slides_of(int(deck))
    at.button(key=f"upp_{second.id}").click().run()  # KAA up to first place
    assert _titles(at)[0].startswith("KAA-tratten, kvinnor och män")
    at.button(key=f"bort_{third.id}").click().run()
    assert len(_titles(at)) == 2
    assert [s.id for s in slides_of(int(deck))] == [second.id, first.id]

    at.button(key="visa").click().run()
    assert not at.exception
    assert at.query_params["bild"] in ("1", ["1"])
    assert any(m.value == "Bild 1 av 2" for m in at.markdown)
    assert any("Källa: Arbetsmarknadsrapport 2022" in m.value for m in at.markdown), "the footnote"
    assert any("kaa?jmf=ar" in m.value for m in at.markdown), "the link back to the view"
    assert at.button(key="foregaende").disabled
    at.button(key="nasta").click().run()
    assert any(m.value == "Bild 2 av 2" for m in at.markdown)
    assert at.button(key="nasta").disabled
    assert any("Arbetslöshet" in m.value for m in at.markdown)
    at.button(key="foregaende").click().run()
    assert any(m.value == "Bild 1 av 2" for m in at.markdown)
    at.button(key="avsluta").click().run()
    assert "bild" not in at.query_params
    assert at.button(key="visa")


def test_a_slide_url_opens_in_presentation_mode(app_env: str) -> None:
    from dashboard.db import decks

    deck = decks.create_deck(f"Direkt {uuid.uuid4().hex[:6]}")
    decks.add_slide(deck, "kaa", {"jmf": "ar", "kon": "totalt"}, "KAA-tratten")
    decks.add_slide(deck, "kaa", {"jmf": "jan_mars", "kon": "totalt"}, "KAA-tratten jan–mars")
    at = open_app("pages/presentation.py", {"deck": str(deck), "bild": "2"})
    assert not at.exception
    assert any(m.value == "Bild 2 av 2" for m in at.markdown)
    assert any("stSidebar" in h.proto.body for h in at.get("html")), "the sidebar is hidden"


def test_create_a_deck_on_the_page(app_env: str) -> None:
    name = f"Ny {uuid.uuid4().hex[:6]}"
    at = open_app("pages/presentation.py")
    at.text_input(key="ny_namn").input(name)
    at.button[[b.label for b in at.button].index("Skapa presentation")].click().run()
    assert not at.exception
    assert at.selectbox(key="deck").value == _deck_id(name)
    assert any("Presentationen är tom" in i.value for i in at.info)


def test_without_a_font_the_page_says_what_to_install_and_offers_no_download(app_env: str, tmp_path,
                                                                             monkeypatch) -> None:
    from dashboard.db import decks
    from dashboard.export import presentation

    deck = decks.create_deck(f"Utan typsnitt {uuid.uuid4().hex[:6]}")
    decks.add_slide(deck, "kaa", {"jmf": "ar", "kon": "totalt"}, "KAA-tratten")
    at = open_app("pages/presentation.py", {"deck": str(deck)})
    assert not at.exception and not at.warning
    assert len(at.get("download_button")) == 4 and not any(b.proto.disabled for b in at.get("download_button"))

    monkeypatch.setattr(presentation, "FONTS", tmp_path)  # an empty font folder
    at = open_app("pages/presentation.py", {"deck": str(deck)})
    assert not at.exception
    assert any("Installera Debians paket fonts-dejavu-core" in w.value for w in at.warning)
    buttons = at.get("download_button")  # the deck as .pptx and .pdf, the slide as PNG and SVG
    assert len(buttons) == 4 and all(b.proto.disabled for b in buttons)


def test_the_follow_up_per_area_goes_into_a_deck_with_its_protection(app_env: str) -> None:
    import json

    from dashboard.figures.style import DEMO_LABEL
    from tests.test_app_omraden import PAGE_TIMEOUT, counts_in

    name = f"Områden {uuid.uuid4().hex[:6]}"
    query = {"niva": "stadsdelsomrade", "kon": "kvinnor", "omrade": "Rinkeby-Kista", "program": "stockholmsjobb"}
    at = open_app("pages/omraden.py", query, timeout=PAGE_TIMEOUT)
    at.selectbox(key="share_omraden_deck").set_value("__ny__").run()
    at.text_input(key="share_omraden_name").input(name).run()
    at.button(key="share_omraden_add").click().run()
    assert not at.exception
    assert any("”Stockholmsjobb, Rinkeby-Kista, 2022, kvinnor” ligger nu sist" in s.value for s in at.success)

    at = open_app("pages/presentation.py", {"deck": _deck_id(name), "bild": "1"})
    assert not at.exception
    assert any(m.value == "Stockholmsjobb, Rinkeby-Kista, 2022, kvinnor" for m in at.markdown)
    assert any(DEMO_LABEL in m.value and "slide-demo" in m.value for m in at.markdown)
    footnote = next(m.value for m in at.markdown if m.value.startswith("Källa: "))
    assert "skyddad tabell för Stockholmsjobb 2022" in footnote and "Små tal: Antal under 5 visas inte (\\<5 eller ..)" in footnote
    assert "omraden?niva=stadsdelsomrade" in footnote and "program=stockholmsjobb" in footnote
    (chart,) = at.get("plotly_chart")
    texts = [t for trace in json.loads(chart.proto.spec)["data"] for t in trace.get("text") or []]
    assert texts and not [n for t in texts for n in counts_in(t) if 1 <= n <= 4]
