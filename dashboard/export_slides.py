"""Slides out of the dashboard: a chart as PNG or SVG, a deck as PowerPoint (.pptx) or PDF. No Streamlit.

Charts are drawn by Kaleido in the machine's own Chromium (`BROWSER_PATH`, else /usr/bin/chromium) from a page
that loads only local files: plotly.js from the plotly package and no MathJax, so nothing is fetched.
The PDF is written here (no extra dependency): the chart as an image and the text as real PDF text
(Helvetica, WinAnsi), so the footnote can be searched and copied.
"""

from __future__ import annotations

import asyncio
import io
import os
import threading
import zlib
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import plotly.graph_objects as go
from PIL import Image, ImageFont

from dashboard.figures.style import DEMO_LABEL
from dashboard.views import Slide, full_link

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


# --- Text layout -----------------------------------------------------------------------------------

def title_of(slide: Slide) -> str:
    return slide.title + (f" – {DEMO_LABEL}" if slide.demo else "")


@lru_cache(maxsize=8)
def _font(size: float, bold: bool = False) -> ImageFont.FreeTypeFont:
    """Liberation Sans has Helvetica's widths; DejaVu (wider) if it is missing."""
    name = "LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf"
    path = FONTS / "liberation" / name
    if not path.exists():
        path = FONTS / "dejavu" / ("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")
    return ImageFont.truetype(str(path), size=max(1, round(size * 10)))  # measured at ×10 for precision


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


def fitted(parts: list[str], width: float, height: float, sizes=(11, 10, 9, 8, 7, 6)) -> tuple[float, list[str]]:
    """The largest font size at which the footnote fits the box, and its lines."""
    for size in sizes:
        lines = [ln for part in parts for ln in wrap(part, size, width)]
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
_SUBSTITUTES = str.maketrans({"\u2212": "-", "\u2009": " ", "\u202f": " ", "\u2264": "<=", "\u2265": ">="})


def _pdf_text(text: str) -> bytes:
    """A PDF string literal in WinAnsi (Helvetica's encoding); characters it lacks become close substitutes."""
    raw = text.translate(_SUBSTITUTES).encode("cp1252", errors="replace")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


class _Pdf:
    """A minimal PDF writer: pages with Helvetica text, RGB images and link annotations."""

    def __init__(self) -> None:
        self.objects: list[bytes] = []
        self.pages: list[int] = []
        self.regular = self.add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
        self.bold = self.add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>")
        self.pages_id = self.add(b"")  # filled in at the end

    def add(self, body: bytes) -> int:
        self.objects.append(body)
        return len(self.objects)

    def stream(self, head: bytes, data: bytes) -> int:
        return self.add(head[:-2] + b" /Length %d >>\nstream\n" % len(data) + data + b"\nendstream")

    def image(self, png: bytes) -> tuple[int, int, int]:
        picture = Image.open(io.BytesIO(png))
        if picture.mode != "RGB":
            background = Image.new("RGB", picture.size, "white")
            background.paste(picture, mask=picture.convert("RGBA").getchannel("A"))
            picture = background
        head = (b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB "
                b"/BitsPerComponent 8 /Filter /FlateDecode >>" % picture.size)
        return self.stream(head, zlib.compress(picture.tobytes(), 6)), *picture.size

    def page(self, content: bytes, image: int, links: list[tuple[tuple[float, ...], str]]) -> None:
        annots = [self.add(b"<< /Type /Annot /Subtype /Link /Rect [%.1f %.1f %.1f %.1f] /Border [0 0 0] "
                           b"/A << /S /URI /URI %s >> >>" % (*rect, _pdf_text(uri))) for rect, uri in links]
        contents = self.stream(b"<< /Filter /FlateDecode >>", zlib.compress(content))
        self.pages.append(self.add(
            b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.2f %.2f] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R /F2 %d 0 R >> /XObject << /Im1 %d 0 R >> >>%s >>"
            % (self.pages_id, PT_W, PT_H, contents, self.regular, self.bold, image,
               (b" /Annots [" + b" ".join(b"%d 0 R" % a for a in annots) + b"]") if annots else b"")))

    def output(self, title: str) -> bytes:
        kids = b" ".join(b"%d 0 R" % p for p in self.pages)
        self.objects[self.pages_id - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, len(self.pages))
        catalog = self.add(b"<< /Type /Catalog /Pages %d 0 R >>" % self.pages_id)
        info = self.add(b"<< /Title %s /Producer (Arbetsmarknadsdashboarden) >>" % _pdf_text(title))
        out = io.BytesIO()
        out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(self.objects, start=1):
            offsets.append(out.tell())
            out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
        xref = out.tell()
        out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(self.objects) + 1))
        out.write(b"".join(b"%010d 00000 n \n" % o for o in offsets))
        out.write(b"trailer\n<< /Size %d /Root %d 0 R /Info %d 0 R >>\nstartxref\n%d\n%%%%EOF\n"
                  % (len(self.objects) + 1, catalog, info, xref))
        return out.getvalue()


def _text_ops(lines: list[str], x: float, top: float, size: float, font: bytes = b"F1",
              colour: tuple[float, float, float] = (0.2, 0.2, 0.2)) -> bytes:
    ops = [b"BT /%s %.1f Tf %.3f %.3f %.3f rg %.1f TL %.2f %.2f Td" % (font, size, *colour, size * 1.2, x,
                                                                      top - size)]
    for index, line in enumerate(lines):
        ops.append((b"" if index == 0 else b"T* ") + _pdf_text(line) + b" Tj")
    ops.append(b"ET")
    return b"\n".join(ops) + b"\n"


def deck_pdf(slides: Sequence[Slide], base_url: str = "", deck_name: str = "") -> bytes:
    """One 16:9 page per slide: title, chart, footnote (real text) and slide number."""
    pictures = render([s.figure for s in slides], "png")
    pdf = _Pdf()
    margin, chart_w = 29.0, 8.4 * 72
    chart_h = chart_w * CHART_HEIGHT / CHART_WIDTH
    note_x, note_w = 9.0 * 72, 4.0 * 72
    for number, (slide, picture) in enumerate(zip(slides, pictures, strict=True), start=1):
        image, _, _ = pdf.image(picture)
        title_size = 22 if text_width(slide.title, 22, True) <= PT_W - 2 * margin else 16
        title_lines = wrap(slide.title, title_size, PT_W - 2 * margin, bold=True)[:2]
        content = _text_ops(title_lines, margin, PT_H - 20, title_size, b"F2", (0.1, 0.1, 0.1))
        if slide.demo:
            content += _text_ops([DEMO_LABEL], margin, PT_H - 24 - title_size * 1.2 * len(title_lines), 14, b"F2",
                                 (0.75, 0.22, 0.17))
        chart_top = PT_H - 1.35 * 72
        content += b"q %.2f 0 0 %.2f %.2f %.2f cm /Im1 Do Q\n" % (chart_w, chart_h, margin, chart_top - chart_h)
        parts = slide.footnote_parts(base_url)
        size, _ = fitted(parts, note_w, chart_top - 30)
        y, links = chart_top, []
        link = full_link(slide.link, base_url)
        for part in parts:
            part_lines = wrap(part, size, note_w)
            content += _text_ops(part_lines, note_x, y, size)
            if part.endswith(link) and link.startswith("http"):
                links.append(((note_x, y - size * 1.2 * len(part_lines) - 2, note_x + note_w, y), link))
            y -= size * 1.2 * len(part_lines) + size * 0.4
        content += _text_ops([f"Bild {number} av {len(slides)}"], PT_W - 100, 26, 9)
        pdf.page(content, image, links)
    return pdf.output(deck_name or "Presentation")

