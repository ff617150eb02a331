"""Presentation: decks of saved views, put in order, shown full screen at the nämnd and exported (pptx, pdf).

URL: `?deck=<id>` chooses the deck; `&bild=<n>` opens slide n in presentation mode (no sidebar, large type).
"""

from __future__ import annotations

import html
import json

import streamlit as st

from dashboard.core import config
from dashboard.db import decks
from dashboard.export import presentation as export
from dashboard.ui import state
from dashboard.ui.share import base_url, escaped
from dashboard.ui.signin import audited, may_change, owner
from dashboard.views import presentable
from queries import decks as deck_queries

PRESENTING_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"],
[data-testid="stToolbar"], [data-testid="stSidebarNav"] { display: none !important; }
[data-testid="stMainBlockContainer"], .block-container { padding: 1rem 2.5rem 1rem 2.5rem; max-width: 100%; }
.st-key-slide_head p { font-size: 2.3rem !important; font-weight: 700; line-height: 1.2; margin: 0; }
.st-key-slide_head p.slide-demo { font-size: 1.4rem !important; color: #c0392b; }
.st-key-slide_number p { font-size: 1.3rem !important; color: #555; text-align: right; }
.st-key-slide_foot p { font-size: 1rem; color: #333; line-height: 1.35; margin: 0 0 0.35rem 0; }
</style>"""
# Keys while presenting: ← ↑ Page Up back, → ↓ Page Down on, Esc leaves. Streamlit has no key bindings of its own
# for several keys per button, so one listener (added once per browser tab, inline: nothing is fetched) clicks the
# page's own buttons; a disabled button (first or last slide) does nothing, and typing in a field is left alone.
KEYS_JS = """<script>
(() => {
  if (window.__presentationKeys) return;
  window.__presentationKeys = true;
  const keys = {ArrowLeft: "foregaende", ArrowUp: "foregaende", PageUp: "foregaende", ArrowRight: "nasta",
                ArrowDown: "nasta", PageDown: "nasta", Escape: "avsluta"};
  document.addEventListener("keydown", (event) => {
    const key = keys[event.key];
    if (!key || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    if (event.target.closest && event.target.closest("input, textarea, select, [contenteditable=true]")) return;
    const button = document.querySelector(`.st-key-${key} button`);
    if (!button) return;  // not presenting
    event.preventDefault();
    if (!button.disabled) button.click();
  });
})();
</script>"""


@st.cache_data(show_spinner="Hämtar vyn …", ttl=600)
def slide_for(view: str, state_json: str, database_url: str) -> presentable.Slide:
    """The slide of a saved view (cached per view, state and database)."""
    return presentable.build(view, json.loads(state_json))


def build(item: deck_queries.DeckSlide) -> presentable.Slide | None:
    if item.view not in presentable.VIEWS:
        st.warning(f"Vyn ”{item.view}” finns inte längre i verktyget.")
        return None
    return slide_for(item.view, json.dumps(item.state, sort_keys=True), config.database_url())


def footnote(slide: presentable.Slide, base: str) -> None:
    """The footnote beside a slide; the link back to the view is clickable."""
    link = presentable.full_link(slide.link, base)
    lines = [escaped(p.removesuffix(link)) + (f"<{link}>" if link.startswith("http") else f"`{link}`")
             if p.endswith(link) else escaped(p) for p in slide.footnote_parts(base)]
    st.markdown("\n\n".join(lines))


def fallback_warning(slide: presentable.Slide) -> None:
    if slide.fallbacks:
        st.warning("Några val i den sparade vyn finns inte längre i data (" + ", ".join(slide.fallbacks)
                   + "). Bilden visar närmaste möjliga vy; kontrollera den före mötet.")


def go_to(number: int | None) -> None:
    if number is None:
        st.query_params.pop("bild", None)
    else:
        st.query_params["bild"] = str(number)


def present(deck: deck_queries.Deck, items: list[deck_queries.DeckSlide], base: str) -> None:
    """Full screen: one slide, large type, Föregående/Nästa, the slide number and the footnote."""
    st.html(PRESENTING_CSS)
    st.html(KEYS_JS, unsafe_allow_javascript=True)
    try:
        number = min(max(int(st.query_params.get("bild", "1")), 1), len(items))
    except ValueError:
        number = 1
    item = items[number - 1]
    slide = build(item)
    left, right = st.columns([5, 1], vertical_alignment="top")
    head = left.container(key="slide_head")
    head.markdown(escaped(slide.title if slide else item.title))
    right.container(key="slide_number").markdown(f"Bild {number} av {len(items)}")
    if slide is not None:
        if slide.demo:
            head.markdown(f'<p class="slide-demo">{html.escape(presentable.DEMO_LABEL)}</p>', unsafe_allow_html=True)
        fallback_warning(slide)
        chart, foot = st.columns([3, 1])
        figure = slide.figure
        figure.update_layout(height=640, font={"size": 16})
        chart.plotly_chart(figure, key=f"bild_{item.id}", config={"displaylogo": False, "displayModeBar": False})
        with foot, st.container(key="slide_foot"):
            footnote(slide, base)
    back, forward, _, leave = st.columns([1, 1, 3, 1])
    back.button("← Föregående", key="foregaende", disabled=number <= 1, on_click=go_to, args=(number - 1,),
                width="stretch")
    forward.button("Nästa →", key="nasta", disabled=number >= len(items), on_click=go_to, args=(number + 1,),
                   width="stretch", type="primary")
    leave.button("Avsluta visningen", key="avsluta", on_click=go_to, args=(None,), width="stretch")
    st.caption(f"{deck.name} · Tangenter: → eller Page Down nästa bild, ← eller Page Up föregående, Esc avslutar · "
               f"Länk till den här bilden: {base}/presentation?deck={deck.id}&bild={number}")


def new_deck_form(expanded: bool) -> None:
    with st.expander("Ny presentation", expanded=expanded), st.form("ny_presentation", clear_on_submit=True):
        name = st.text_input("Namn", placeholder="t.ex. Nämnden 14 mars", key="ny_namn")
        if st.form_submit_button("Skapa presentation"):
            try:
                created = decks.create_deck(name, owner=owner())
            except decks.DeckError as error:
                st.error(str(error))
            else:
                st.session_state["_ny_deck"] = str(created)
                st.rerun()


def missing_font() -> str | None:
    """Why no file can be made (no font with å, ä, ö and −), or None; the files are made on click, so say it now."""
    try:
        export.font_files()
    except export.MissingFontError as error:
        return str(error)
    return None


def slide_rows(items: list[deck_queries.DeckSlide], base: str, editable: bool = True,
               no_font: str | None = None) -> None:
    """The slides in order, each with ↑ ↓ ✕ (for those who may change the deck) and downloads of its chart
    (disabled without a font)."""
    for index, item in enumerate(items):
        with st.container(border=True, key=f"rad_{item.id}"):
            number, text, up, down, remove, files = st.columns([0.4, 6, 0.6, 0.6, 0.6, 1.6],
                                                               vertical_alignment="center")
            number.markdown(f"**{index + 1}**")
            label = presentable.VIEWS[item.view].label if item.view in presentable.VIEWS else item.view
            where = presentable.view_link(item.view, item.state, tuple(item.state))
            text.markdown(f"{escaped(item.title)}  \n:gray[{label} · {escaped(where)}]")
            if editable:
                up.button("↑", key=f"upp_{item.id}", disabled=index == 0, help="Flytta upp",
                          on_click=decks.move_slide, args=(item.id, -1))
                down.button("↓", key=f"ner_{item.id}", disabled=index == len(items) - 1, help="Flytta ner",
                            on_click=decks.move_slide, args=(item.id, 1))
                remove.button("✕", key=f"bort_{item.id}", help="Ta bort bilden", on_click=decks.remove_slide,
                              args=(item.id,))
            with files.popover("Bild som fil", icon=":material/download:"):
                if item.view in presentable.VIEWS:
                    state_json = json.dumps(item.state, sort_keys=True)
                    st.download_button(
                        "PNG", audited(lambda v=item.view, s=state_json: export.slide_picture(
                            slide_for(v, s, config.database_url()), "png", base), "export_png", item.view,
                            f"presentation {item.deck}, bild {index + 1}"),
                        file_name=f"bild_{index + 1}.png", mime="image/png", key=f"png_{item.id}", on_click="ignore",
                        disabled=no_font is not None)
                    st.download_button(
                        "SVG", audited(lambda v=item.view, s=state_json: export.slide_picture(
                            slide_for(v, s, config.database_url()), "svg", base), "export_svg", item.view,
                            f"presentation {item.deck}, bild {index + 1}"),
                        file_name=f"bild_{index + 1}.svg", mime="image/svg+xml", key=f"svg_{item.id}",
                        on_click="ignore", disabled=no_font is not None)


def deck_slides(items: list[deck_queries.DeckSlide]) -> list[presentable.Slide]:
    return [s for s in (build(i) for i in items) if s is not None]


def edit(deck_list: list[deck_queries.Deck], base: str) -> None:
    st.title("Presentation")
    st.write("Samla vyer ur verktyget till en presentation för nämnden. Lägg till en vy med knappen "
             "**Lägg till i presentation** längst ner på kartan, KAA-tratten och de andra sidorna.")
    new_deck_form(expanded=not deck_list)
    if not deck_list:
        st.info("Det finns inga presentationer än.")
        return
    by_id = {str(d.id): d for d in deck_list}
    if "_ny_deck" in st.session_state:
        st.session_state["deck"] = st.session_state.pop("_ny_deck")
    state.bind("deck", list(by_id), next(iter(by_id)), label="Presentation",
               format_func=lambda d: by_id[d].name)
    chosen = st.selectbox("Välj presentation", list(by_id), key="deck",
                          format_func=lambda d: f"{by_id[d].name} ({decks.slide_count(by_id[d].slides)})")
    state.publish("deck")
    deck = by_id[chosen]
    items = deck_queries.slides_of(deck.id)
    if not items:
        st.info("Presentationen är tom. Öppna en vy och välj **Lägg till i presentation** längst ner på sidan.")
    else:
        actions = st.columns([1.4, 1.6, 1.6, 3])
        actions[0].button("Visa presentation", key="visa", type="primary", icon=":material/slideshow:",
                          on_click=go_to, args=(1,))
        stem = "".join(c if c.isalnum() else "_" for c in deck.name).strip("_") or "presentation"
        no_font = missing_font()
        actions[1].download_button(
            "PowerPoint (.pptx)", audited(lambda: export.deck_pptx(deck_slides(items), base, deck.name), "export_pptx",
                                          "presentation", f"presentation {deck.id} ”{deck.name}”"),
            file_name=f"{stem}.pptx", key="dl_pptx", on_click="ignore", icon=":material/download:",
            mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
            disabled=no_font is not None)
        actions[2].download_button(
            "PDF", audited(lambda: export.deck_pdf(deck_slides(items), base, deck.name), "export_pdf", "presentation",
                           f"presentation {deck.id} ”{deck.name}”"), file_name=f"{stem}.pdf",
            mime="application/pdf", key="dl_pdf", on_click="ignore", icon=":material/download:",
            disabled=no_font is not None)
        if no_font:
            st.warning(no_font, icon=":material/font_download_off:")
        st.caption("Filerna skapas när du klickar; det tar några sekunder per bild. Varje bild har sin fotnot: "
                   "källa, period, definition, data och länken tillbaka till vyn.")
    editable = may_change(deck)
    if not editable:
        st.info(f"Presentationen är gjord av {deck.owner or 'någon utan inloggning'}. Du kan visa den och ladda ner "
                "den; ändra den kan den som gjort den och en analytiker.", icon=":material/lock:")
    if items:
        slide_rows(items, base, editable, no_font)
    if not editable:
        return
    with st.expander("Ta bort presentationen"):
        st.write(f"Presentationen ”{deck.name}” och dess {decks.slide_count(deck.slides)} tas bort. "
                 "Vyerna påverkas inte.")
        if st.button("Ta bort", key="ta_bort_deck"):
            decks.delete_deck(deck.id)
            st.session_state.pop("deck", None)
            st.query_params.pop("deck", None)
            st.rerun()


deck_list = deck_queries.list_decks()
base = base_url("presentation")
wanted = st.query_params.get("deck")
showing = next((d for d in deck_list if str(d.id) == wanted), None)
if "bild" in st.query_params and showing is not None and showing.slides:
    present(showing, deck_queries.slides_of(showing.id), base)
else:
    if "bild" in st.query_params:
        st.query_params.pop("bild")
    edit(deck_list, base)
