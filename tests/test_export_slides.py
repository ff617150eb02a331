"""Exporting slides: a 3-slide deck as PowerPoint and PDF, read back; charts as PNG and SVG; nothing fetched."""

from __future__ import annotations

import dataclasses
import io
import os
from pathlib import Path

import pytest

from dashboard.core import labels
from dashboard.export import presentation
from dashboard.figures.style import DEMO_LABEL
from dashboard.views import presentable

BASE = "http://localhost:8614"


@pytest.fixture(scope="module")
def slides(database_url: str) -> list[presentable.Slide]:
    """Map, KAA funnel and a demo-flagged map (demo data if the database has it, else flagged by hand)."""
    from queries.db import engine
    from queries.karta import map_catalogue

    db = engine(database_url)
    first = presentable.build("karta", {"matt": "arbetsloshet_ar2022_andel", "period": "2022-12"}, db)
    second = presentable.build("kaa", {"jmf": "ar", "kon": "skillnad"}, db)
    if map_catalogue(db)["is_demo"].any():
        third = presentable.build("karta", {"data": "demo"}, db)
    else:
        third = dataclasses.replace(presentable.build("karta", {"matt": "arbetsloshet_unga_18_24_antal"}, db), demo=True)
    assert third.demo
    return [first, second, third]


def test_footnote_names_source_period_definition_data_and_link(slides) -> None:
    karta, kaa, demo = slides
    text = karta.footnote(BASE)
    assert "Källa: Arbetsmarknadsrapport 2022, rad " in text
    assert "Period: december 2022" in text and "Definition: " in text and "Data: " in text
    assert f"{BASE}/karta?data=publicerat&matt=arbetsloshet_ar2022_andel&period=2022-12" in text
    assert "kaa?jmf=ar&kon=skillnad" in kaa.link
    assert DEMO_LABEL in demo.footnote() and DEMO_LABEL not in text


def test_pptx_has_title_picture_and_footnote_on_every_slide(slides) -> None:
    from pptx import Presentation
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    prs = Presentation(io.BytesIO(presentation.deck_pptx(slides, BASE, "Nämnden")))
    assert round(prs.slide_width / prs.slide_height, 2) == round(16 / 9, 2)
    assert len(prs.slides) == 3
    for page, slide in zip(prs.slides, slides):
        shapes = {s.name: s for s in page.shapes}
        assert shapes["Rubrik"].text_frame.text.startswith(slide.title)
        pictures = [s for s in page.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1 and pictures[0].image.blob.startswith(b"\x89PNG")
        note = shapes["Fotnot"].text_frame.text
        assert "Källa" in note and "Period:" in note and "Definition:" in note
        assert f"{BASE}/{slide.link}" in note
        assert (DEMO_LABEL in note) == slide.demo
        assert (DEMO_LABEL in shapes["Rubrik"].text_frame.text) == slide.demo


def test_pdf_has_one_page_per_slide_with_text_and_chart(slides) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(presentation.deck_pdf(slides, BASE, "Nämnden")))
    assert len(reader.pages) == 3
    for number, (page, slide) in enumerate(zip(reader.pages, slides), start=1):
        text = page.extract_text()
        assert slide.title.split(",")[0] in text
        assert "Källa" in text and "Period:" in text and f"Bild {number} av 3" in text
        assert (DEMO_LABEL in text) == slide.demo
        assert _image_xobjects(page) == []  # the chart is vector content, not a picture
        links = [a.get_object()["/A"]["/URI"] for a in page.get("/Annots", [])]
        assert links == [f"{BASE}/{slide.link}"]


def _resources(page) -> list:
    """The page's resource dictionary and those of every form XObject it can draw."""
    found, todo = [], [page.get("/Resources")]
    while todo:
        resources = todo.pop()
        resources = resources.get_object() if resources is not None else {}
        found.append(resources)
        todo += [x.get_object().get("/Resources") for x in (resources.get("/XObject") or {}).values()
                 if x.get_object().get("/Subtype") == "/Form"]
    return found


def _image_xobjects(page) -> list[str]:
    return [name for resources in _resources(page) for name, xobject in (resources.get("/XObject") or {}).items()
            if xobject.get_object().get("/Subtype") == "/Image"]


def _fonts(page) -> list:
    return [font.get_object() for resources in _resources(page) for font in (resources.get("/Font") or {}).values()]


def test_pdf_embeds_a_truetype_font_and_its_swedish_text_can_be_searched(slides) -> None:
    from pypdf import PdfReader

    swedish = dataclasses.replace(slides[1], title="Förändring \u22123,2 procentenheter \u2013 Årsta, Älvsjö, "
                                                   "Östermalm, idé")
    deck = [swedish, slides[2]]
    reader = PdfReader(io.BytesIO(presentation.deck_pdf(deck, BASE, "Nämnden")))
    assert reader.metadata.title == "Nämnden"
    for page, slide in zip(reader.pages, deck):
        text = page.extract_text()
        flat = " ".join(text.split())
        assert slide.title in text  # å ä ö Å Ä Ö é, the minus sign and the en dash as written
        assert " ".join(slide.source.split()) in flat, "the source line"
        assert (DEMO_LABEL in text) == slide.demo
        for font in _fonts(page):  # fpdf2's text and Chromium's chart text alike: TrueType, embedded
            assert font["/Subtype"] == "/Type0"
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, font["/BaseFont"]
        regular, _ = presentation.font_files()
        assert any(regular.stem.split("-")[0] in font["/BaseFont"] for font in _fonts(page))
        assert len({font["/BaseFont"] for font in _fonts(page)}) >= 3, "regular, bold and the chart's own"
    assert "\u2212" in reader.pages[0].extract_text() and "Demodata – inte verkliga siffror" in text


def test_pdf_chart_is_vector_with_its_own_text(slides) -> None:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(presentation.deck_pdf(slides[1:2], BASE)))
    page = reader.pages[0]
    assert _image_xobjects(page) == [] and len(page.images) == 0
    text = page.extract_text()
    assert "Omfattade (i KAA-registret)" in text and "Kvinnor" in text, "the chart's labels are text"
    assert "Omfattade (i KAA-registret)" not in " ".join(slides[1].footnote_parts(BASE))


def test_pdf_without_a_usable_font_says_in_swedish_what_to_install(slides, tmp_path, monkeypatch) -> None:
    def no_chromium(*args, **kwargs):
        raise AssertionError("Chromium started before the font was checked")

    monkeypatch.setattr(presentation, "render", no_chromium)
    monkeypatch.setattr(presentation, "FONTS", tmp_path)  # an empty font folder
    with pytest.raises(presentation.MissingFontError, match="Installera Debians paket fonts-dejavu-core"):
        presentation.deck_pdf(slides, BASE, "Nämnden")


def test_a_font_without_the_minus_sign_is_passed_over(tmp_path, monkeypatch) -> None:
    from fontTools import subset

    system = presentation.FONTS
    if not all((system / name).is_file() for name in presentation.PDF_FONTS[1]):
        pytest.skip("Liberation Sans is not installed")
    (tmp_path / "dejavu").mkdir()
    for name in presentation.PDF_FONTS[0]:  # DejaVu with å, ä, ö but without "−"
        options = subset.Options()
        font = subset.load_font(str(system / name), options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(text="abcåäöÅÄÖé\u2013")
        subsetter.subset(font)
        subset.save_font(font, str(tmp_path / name), options)
    monkeypatch.setattr(presentation, "FONTS", tmp_path)
    with pytest.raises(presentation.MissingFontError):
        presentation.font_files()
    (tmp_path / "liberation").symlink_to(system / "liberation")
    assert presentation.font_files() == tuple(tmp_path / name for name in presentation.PDF_FONTS[1])


def test_chart_as_png_and_svg(slides) -> None:
    png = presentation.chart_png(slides[1].figure)
    svg = presentation.chart_svg(slides[1].figure)
    assert png.startswith(b"\x89PNG") and len(png) > 10_000
    assert b"<svg" in svg[:500] and b"Omfattade" in svg


def test_kaleido_page_loads_only_local_files() -> None:
    page = presentation.page_generator().generate_index()
    assert "http://" not in page and "https://" not in page, "Kaleido would fetch from the network"
    assert "plotly.min.js" in page and "mathjax" not in page.lower()
    if Path("/usr/bin/chromium").exists() and not os.environ.get("BROWSER_PATH"):
        assert presentation.browser_path() == "/usr/bin/chromium"  # the system Chromium, never a download


def test_a_single_chart_picture_carries_its_title_and_footnote(slides) -> None:
    import html

    svg = html.unescape(presentation.slide_picture(slides[0], "svg", BASE).decode("utf-8"))
    assert slides[0].title[:30] in svg
    assert "Källa:" in svg and "Period:" in svg and "Länk till vyn:" in svg
    demo = next(s for s in slides if s.demo)
    assert DEMO_LABEL in html.unescape(presentation.slide_picture(demo, "svg", BASE).decode("utf-8"))


def test_line_ranges_join_near_lines() -> None:
    assert labels.line_ranges([40, 41, 42, 45, 52, 60, 61, 70]) == "40\u201370"
    assert labels.line_ranges([163, 169, 12]) == "12, 163\u2013169"
    assert labels.line_ranges([5, 5]) == "5"
    assert labels.line_ranges([1, 22, 100], near=20) == "1, 22, 100"


def test_footnote_source_names_the_publication_and_a_line_range_and_the_excel_keeps_every_line() -> None:
    import pandas as pd
    from openpyxl import load_workbook

    from dashboard.export.downloads import xlsx_bytes

    lines = [40, 41, 43, 44, 46, 48, 50, 52, 55, 57, 59, 61, 63, 65, 68, 70]
    frame = pd.DataFrame({
        "source": ["Arbetsmarknadsrapport 2022"] * 16 + ["Mitt i: Många har jobb i Bromma"],
        "source_location": [f"rad {n}" for n in lines] + ["data/published_unemployment_by_district.csv, rad 11"],
    })
    text = labels.source_text(frame)
    assert text == ("Källa: Arbetsmarknadsrapport 2022, rad 40\u201370; Mitt i: Många har jobb i Bromma, "
                    "datafilens rad 11")
    assert ".csv" not in text and "data/" not in text
    book = load_workbook(io.BytesIO(xlsx_bytes(frame.rename(columns={"source": "Källa",
                                                                     "source_location": "Var i källan"}))))
    places = dict(r for r in book["Källor"].iter_rows(min_row=2, values_only=True) if r[0])
    assert places["Arbetsmarknadsrapport 2022"] == ", ".join(f"rad {n}" for n in lines)


def test_footnote_names_at_most_a_few_sources_and_counts_the_rest() -> None:
    import pandas as pd

    frame = pd.DataFrame({"source": [f"Artikel {i}" for i in range(7)], "source_location": ["rad 1"] * 7})
    text = labels.source_text(frame)
    assert text.count("Artikel") == labels.FOOTNOTE_SOURCES
    assert text.endswith(f"och {7 - labels.FOOTNOTE_SOURCES} källor till (alla står på bladet Källor i vyns "
                         "Excel-nedladdning)")


def test_real_slide_footnotes_have_no_paths_and_few_numbers(slides) -> None:
    import re

    for slide in slides:
        assert not re.search(r"\.(csv|txt|py)\b", slide.source), slide.source
        assert len(re.findall(r"\d+", slide.source)) <= 12, slide.source
