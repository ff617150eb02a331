"""Slides out of the dashboard: a chart as PNG or SVG, a deck as PowerPoint (.pptx) or PDF. No Streamlit.

Charts are drawn by Kaleido in the machine's own Chromium (`BROWSER_PATH`, else /usr/bin/chromium) from a page
that loads only local files: plotly.js from the plotly package and no MathJax, so nothing is fetched.
The PDF is laid out by fpdf2 in an embedded TrueType subset (DejaVu Sans, else Liberation Sans), so every Swedish
character and "−" can be searched and copied; each chart is Kaleido's own PDF page, placed as vector content by pikepdf.
"""

from __future__ import annotations

import asyncio
import io
import os
import threading
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

import plotly.graph_objects as go
from PIL import ImageFont

from dashboard.figures.style import DEMO_LABEL
from dashboard.views.presentable import Slide, full_link

CHART_WIDTH, CHART_HEIGHT = 1100, 750  # px; the picture area of a slide (8,4 × 5,73 in) has the same shape
PNG_SCALE = 2
TABS = max(1, min(int(os.environ.get("EXPORT_TABS", "2")), 4))  # charts drawn at the same time (one per tab)
SLIDE_W_IN, SLIDE_H_IN = 13.333, 7.5  # 16:9
FONTS = Path("/usr/share/fonts/truetype")


# --- Kaleido ---------------------------------------------------------------------------------------

def browser_path() -> str | None:
    """The system Chromium: `BROWSER_PATH`, else Debian's /usr/bin/chromium (None: let choreographer look)."""
    wanted = os.environ.get("BROWSER_PATH") or "/usr/bin/chromium"
    return wanted if Path(wanted).exists() else None


def page_generator():
    """Kaleido's page with local plotly.js and without MathJax: rendering needs no network."""
    import plotly
    from kaleido import PageGenerator

    return PageGenerator(plotly=Path(plotly.__file__).parent / "package_data" / "plotly.min.js", mathjax=False)


def _run_in_thread(coroutine_factory):
    """Run an async job on its own event loop in a fresh thread (safe inside Streamlit's script thread)."""
    result: dict[str, object] = {}

    def target() -> None:
        try:
            result["value"] = asyncio.run(coroutine_factory())
        except BaseException as error:  # noqa: BLE001 - handed back to the caller
            result["error"] = error

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]  # type: ignore[misc]
    return result["value"]


def render(figures: Sequence[go.Figure], fmt: str = "png", width: int = CHART_WIDTH, height: int = CHART_HEIGHT,
           scale: float = PNG_SCALE) -> list[bytes]:
    """Each figure as PNG or SVG bytes, all in one Chromium session."""
    import kaleido

    async def job() -> list[bytes]:
        options = {"format": fmt, "width": width, "height": height, "scale": scale if fmt == "png" else 1}
        kwargs = {"path": browser_path()} if browser_path() else {}
        async with kaleido.Kaleido(n=TABS, page_generator=page_generator(), **kwargs) as k:
            return list(await asyncio.gather(*(k.calc_fig(_for_export(fig), options) for fig in figures)))

    return _run_in_thread(job)


def _for_export(fig: go.Figure) -> go.Figure:
    """The figure at the export size (its own height is set for the screen)."""
    out = go.Figure(fig)
    out.update_layout(width=None, height=None, autosize=True)
    return out


def chart_png(fig: go.Figure) -> bytes:
    return render([fig], "png")[0]


def chart_svg(fig: go.Figure) -> bytes:
    return render([fig], "svg")[0]


def stamped(slide: Slide, base_url: str = "") -> tuple[go.Figure, int]:
    """The slide's chart with its title above and its whole footnote below, for a picture on its own."""
    # Wrapped at the font's own size to 60 % of the picture: the note starts where the plot area does, which a
    # chart with long category labels pushes far to the right.
    lines = [line for part in slide.footnote_parts(base_url) for line in wrap(part, 11, CHART_WIDTH * 0.6)]
    extra = 24 + 15 * len(lines)
    fig = go.Figure(slide.figure)
    fig.update_layout(title={"text": title_of(slide), "x": 0.01, "xanchor": "left", "font": {"size": 18}},
                      margin={"t": 70, "b": extra + 40})
    fig.add_annotation(text="<br>".join(lines), xref="paper", yref="paper", x=0, y=0, xanchor="left",
                       yanchor="top", yshift=-30, showarrow=False, align="left",
                       font={"size": 11, "color": "#333333"})
    return fig, CHART_HEIGHT + extra


def slide_picture(slide: Slide, fmt: str = "png", base_url: str = "") -> bytes:
    """One slide as PNG or SVG: title, chart, source, period, definition, data set and link."""
    fig, height = stamped(slide, base_url)
    return render([fig], fmt, height=height)[0]


# --- Fonts -----------------------------------------------------------------------------------------

NEEDED = "åäöÅÄÖé\u2212\u2013"  # the Swedish letters, the minus sign and the en dash
# (regular, bold) under FONTS, the first pair that has every character in NEEDED wins.
PDF_FONTS = (("dejavu/DejaVuSans.ttf", "dejavu/DejaVuSans-Bold.ttf"),
             ("liberation/LiberationSans-Regular.ttf", "liberation/LiberationSans-Bold.ttf"),
             ("liberation2/LiberationSans-Regular.ttf", "liberation2/LiberationSans-Bold.ttf"))
MEASURE_FONTS = (PDF_FONTS[1], PDF_FONTS[2], PDF_FONTS[0])  # Helvetica's widths first (PowerPoint, pictures)


class MissingFontError(RuntimeError):
    """No font on the machine can write the slides' text."""


@lru_cache(maxsize=16)
def _characters(path: Path) -> frozenset[int]:
    """The code points a TrueType file has glyphs for (none if it cannot be read)."""
    from fontTools.ttLib import TTFont

    try:
        with TTFont(path, lazy=True) as font:
            return frozenset(font.getBestCmap() or {})
    except Exception:  # noqa: BLE001 - not a readable font: unusable like a missing one
        return frozenset()


def font_files(order: Sequence[tuple[str, str]] = PDF_FONTS) -> tuple[Path, Path]:
    """The first (regular, bold) pair of files under FONTS with every character in NEEDED."""
    for names in order:
        pair = FONTS / names[0], FONTS / names[1]
        if all(path.is_file() and all(ord(c) in _characters(path) for c in NEEDED) for path in pair):
            return pair
    raise MissingFontError(
        f"Bilderna kan inte exporteras: det finns inget typsnitt med å, ä, ö, é och − i {FONTS}. "
        "Installera Debians paket fonts-dejavu-core (apt-get install fonts-dejavu-core, "
        "eller kör bash scripts/setup.sh), alternativt fonts-liberation.")


# --- Text layout -----------------------------------------------------------------------------------

def title_of(slide: Slide) -> str:
    return slide.title + (f" – {DEMO_LABEL}" if slide.demo else "")


@lru_cache(maxsize=8)
def _font(size: float, bold: bool = False) -> ImageFont.FreeTypeFont:
    """Liberation Sans has Helvetica's widths; DejaVu (wider) if it is missing."""
    regular, bold_file = font_files(MEASURE_FONTS)
    return ImageFont.truetype(str(bold_file if bold else regular), size=max(1, round(size * 10)))  # ×10: precision


def text_width(text: str, size: float, bold: bool = False) -> float:
    """Width in points of `text` at `size` points."""
    return _font(size, bold).getlength(text) / 10


def wrap(text: str, size: float, width: float, bold: bool = False) -> list[str]:
    """Lines of at most `width` points; a word longer than the line (a URL) is broken."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if text_width(candidate, size, bold) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            while text_width(word, size, bold) > width:  # break very long words
                cut = max(1, int(len(word) * width / text_width(word, size, bold)) - 1)
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines


def fitted(parts: list[str], width: float, height: float, sizes=(11, 10, 9, 8, 7, 6),
           wrap_at: Callable[[str, float, float], list[str]] = wrap) -> tuple[float, list[str]]:
    """The largest font size at which the footnote fits the box, and its lines (`wrap_at` measures)."""
    for size in sizes:
        lines = [ln for part in parts for ln in wrap_at(part, size, width)]
        if (len(lines) * 1.2 + len(parts) * 0.4) * size <= height:  # lines, and a gap after each part
            return size, lines
    return sizes[-1], lines


# --- PowerPoint ------------------------------------------------------------------------------------

def deck_pptx(slides: Sequence[Slide], base_url: str = "", deck_name: str = "") -> bytes:
    """A 16:9 PowerPoint: per slide the title, the chart as a picture, the footnote and the slide number."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.util import Inches, Pt

    pictures = render([s.figure for s in slides], "png")
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(SLIDE_W_IN), Inches(SLIDE_H_IN)
    if deck_name:
        prs.core_properties.title = deck_name
    blank = prs.slide_layouts[6]
    for number, (slide, picture) in enumerate(zip(slides, pictures, strict=True), start=1):
        page = prs.slides.add_slide(blank)
        box = page.shapes.add_textbox(Inches(0.4), Inches(0.25), Inches(12.5), Inches(0.8))
        box.name = "Rubrik"
        frame = box.text_frame
        frame.word_wrap = True
        run = frame.paragraphs[0].add_run()
        run.text = slide.title
        run.font.size, run.font.bold = Pt(24 if len(slide.title) < 80 else 20), True
        if slide.demo:
            label = frame.add_paragraph().add_run()
            label.text = DEMO_LABEL
            label.font.size, label.font.bold, label.font.color.rgb = Pt(16), True, RGBColor(0xC0, 0x39, 0x2B)
        page.shapes.add_picture(io.BytesIO(picture), Inches(0.4), Inches(1.35), width=Inches(8.4))
        parts = slide.footnote_parts(base_url)
        size, _ = fitted(parts, 3.95 * 72, 5.6 * 72)
        note = page.shapes.add_textbox(Inches(9.0), Inches(1.35), Inches(4.0), Inches(5.7))
        note.name = "Fotnot"
        frame = note.text_frame
        frame.word_wrap = True
        link = full_link(slide.link, base_url)
        for index, part in enumerate(parts):
            paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
            paragraph.space_after = Pt(3)
            run = paragraph.add_run()
            run.text = part
            run.font.size = Pt(size)
            run.font.color.rgb = RGBColor(0x33, 0x33, 0x33)
            if part.endswith(link) and link.startswith("http"):
                run.hyperlink.address = link
        footer = page.shapes.add_textbox(Inches(11.4), Inches(7.05), Inches(1.6), Inches(0.35)).text_frame
        footer.paragraphs[0].add_run().text = f"Bild {number} av {len(slides)}"
        footer.paragraphs[0].runs[0].font.size = Pt(10)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


# --- PDF -------------------------------------------------------------------------------------------

PT_W, PT_H = SLIDE_W_IN * 72, SLIDE_H_IN * 72
MARGIN = 29.0
CHART_BOX = (MARGIN, 1.35 * 72, 8.4 * 72, 8.4 * 72 * CHART_HEIGHT / CHART_WIDTH)  # x, top, width, height (pt)
NOTE_X, NOTE_W = 9.0 * 72, 4.0 * 72
INK, NOTE_INK, DEMO_INK = (26, 26, 26), (51, 51, 51), (191, 56, 43)
_STAND_INS = {"\u202f": "\u00a0", "\u2009": " ", "\u2264": "<=", "\u2265": ">="}  # if the font lacks them


class _Deck:
    """An fpdf2 document in the slide font; text is wrapped at that font's own widths and placed by its top."""

    def __init__(self, title: str) -> None:
        from fpdf import FPDF

        regular, bold = font_files()
        self.pdf = FPDF(unit="pt", format=(PT_W, PT_H))
        self.pdf.set_auto_page_break(False)
        self.pdf.c_margin = 0
        self.pdf.add_font("Sans", "", regular)
        self.pdf.add_font("Sans", "B", bold)
        self.pdf.set_title(title)
        self.pdf.set_lang("sv")
        self.pdf.set_creator("Arbetsmarknadsdashboarden")
        have = _characters(regular) & _characters(bold)
        self.stand_ins = str.maketrans({c: s for c, s in _STAND_INS.items() if ord(c) not in have})

    def lines(self, text: str, size: float, width: float, bold: bool = False) -> list[str]:
        self.pdf.set_font("Sans", "B" if bold else "", size)
        return self.pdf.multi_cell(width, size * 1.2, text.translate(self.stand_ins), dry_run=True,
                                   output="LINES")

    def write(self, lines: list[str], x: float, top: float, size: float, colour: tuple[int, int, int],
              bold: bool = False) -> float:
        """The lines from `top` down, as text; returns the y under the last one."""
        self.pdf.set_font("Sans", "B" if bold else "", size)
        self.pdf.set_text_color(*colour)
        for index, line in enumerate(lines):
            self.pdf.text(x, top + size + index * size * 1.2, line)
        return top + size * 1.2 * len(lines)


def _with_charts(document: bytes, charts: Sequence[bytes]) -> bytes:
    """Each chart's PDF page (Kaleido's) as a form XObject under its slide's text, scaled into the chart box and
    aligned to its top left: vectors, no picture. pikepdf places the page as it is, without parsing its content."""
    import pikepdf

    x, top, width, height = CHART_BOX
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(document)) as deck:
        drawings = [pikepdf.open(io.BytesIO(chart)) for chart in charts]
        try:
            for page, drawing in zip(deck.pages, drawings, strict=True):
                chart = drawing.pages[0]
                box = chart.mediabox
                chart_w, chart_h = float(box[2]) - float(box[0]), float(box[3]) - float(box[1])
                scale = min(width / chart_w, height / chart_h)
                page.add_underlay(chart, pikepdf.Rectangle(x, PT_H - top - chart_h * scale,
                                                           x + chart_w * scale, PT_H - top))
            deck.save(out)
        finally:
            for drawing in drawings:
                drawing.close()
    return out.getvalue()


def deck_pdf(slides: Sequence[Slide], base_url: str = "", deck_name: str = "") -> bytes:
    """One 16:9 page per slide: title, chart (vector), footnote and slide number, all text searchable."""
    deck = _Deck(deck_name or "Presentation")  # a missing font is told before Chromium starts
    charts = render([s.figure for s in slides], "pdf")
    pdf, (_, chart_top, _, _) = deck.pdf, CHART_BOX
    for number, slide in enumerate(slides, start=1):
        pdf.add_page()
        title_size = 22 if len(deck.lines(slide.title, 22, PT_W - 2 * MARGIN, bold=True)) == 1 else 16
        title = deck.lines(slide.title, title_size, PT_W - 2 * MARGIN, bold=True)[:2]
        y = deck.write(title, MARGIN, 20, title_size, INK, bold=True)
        if slide.demo:
            deck.write([DEMO_LABEL], MARGIN, y + 4, 14, DEMO_INK, bold=True)
        parts = slide.footnote_parts(base_url)
        size, _ = fitted(parts, NOTE_W, PT_H - chart_top - 30, wrap_at=deck.lines)
        y, link = chart_top, full_link(slide.link, base_url)
        for part in parts:
            bottom = deck.write(deck.lines(part, size, NOTE_W), NOTE_X, y, size, NOTE_INK)
            if part.endswith(link) and link.startswith("http"):
                pdf.link(NOTE_X, y, NOTE_W, bottom - y + 2, link)
            y = bottom + size * 0.4
        deck.write([f"Bild {number} av {len(slides)}"], PT_W - 100, PT_H - 26, 9, NOTE_INK)
    return _with_charts(bytes(pdf.output()), charts)
