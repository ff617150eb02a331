"""“Kopiera länk” and “Lägg till i presentation”: the bar at the end of a page that shares the current view."""

from __future__ import annotations

import streamlit as st

from dashboard.db import decks
from dashboard.ui import signin
from dashboard.views import presentable
from queries import decks as deck_queries

NEW = "__ny__"


def escaped(text: str) -> str:
    """Plain text for st.markdown: marks such as * and _ are shown, not read as formatting."""
    return "".join("\\" + c if c in "\\`*_[]<>#|~$" else c for c in text)


def slide_preview(slide: presentable.Slide, base: str = "") -> None:
    """What the view becomes on a slide, in the presentation and its files: the title and the footnote."""
    with st.expander(f"Bilden i en presentation: {slide.title}"):
        st.markdown(f"**{escaped(slide.title)}**" + (f" – {escaped(presentable.DEMO_LABEL)}" if slide.demo else ""))
        st.caption("  \n".join(escaped(part) for part in slide.footnote_parts(base)))


def base_url(url_path: str) -> str:
    """The app's address in the user's browser ('http://host:port'), or '' when unknown (tests)."""
    url = (st.context.url or "").rstrip("/")
    suffix = "/" + url_path
    return url[: -len(suffix)] if url_path and url.endswith(suffix) else url


def current_state(state_keys: list[str]) -> dict[str, str]:
    """The view's state as the page left it in the URL (or the session, before the URL is written)."""
    out = {}
    for key in state_keys:
        value = st.query_params.get(key) or st.session_state.get(key)
        if value not in (None, ""):
            out[key] = str(value)
    return out


def _same_view(deck: int, view: str, state: dict[str, str]) -> int | None:
    """The number (1, 2 …) of the first slide in the deck that shows this view with this state, or None."""
    return next((i for i, s in enumerate(deck_queries.slides_of(deck), start=1)
                 if s.view == view and s.state == state), None)


def _add(prefix: str, view: str, state: dict[str, str], force: bool = False) -> None:
    """The button's callback: add the view to the chosen (or a new) deck; ask first if it is already there."""
    choice = st.session_state.get(f"{prefix}_deck")
    st.session_state.pop(f"{prefix}_confirm", None)
    try:
        if choice == NEW:
            deck = decks.create_deck(st.session_state.get(f"{prefix}_name") or "", owner=signin.owner())
        else:
            deck = int(choice)
            if not signin.may_change(deck_queries.deck_by_id(deck)):
                raise decks.DeckError("Du kan bara lägga till bilder i dina egna presentationer.")
            number = None if force else _same_view(deck, view, state)
            if number is not None:
                st.session_state[f"{prefix}_confirm"] = {"deck": deck, "state": state, "number": number}
                return
        slide = presentable.build(view, state)
        decks.add_slide(deck, view, state, slide.title)
    except decks.DeckError as error:
        st.session_state[f"{prefix}_message"] = ("error", str(error))
        return
    found = deck_queries.deck_by_id(deck)
    st.session_state[f"{prefix}_deck"] = deck  # a new deck is chosen from now on
    st.session_state[f"{prefix}_name"] = ""
    st.session_state[f"{prefix}_message"] = (
        "success", f"”{slide.title}” ligger nu sist i presentationen ”{found.name if found else deck}”, som bild "
                   f"{found.slides if found else '?'}. Öppna den under Presentera.")


def share_bar(view: str, state_keys: list[str] | None = None, slide: presentable.Slide | None = None) -> None:
    """The current view's full link to copy, and a way to put the view on a slide in a presentation.

    `state_keys`: the URL keys that make up the view (default: the keys registered in dashboard.views.presentable).
    `slide`: the view's slide, built from the page's own view model, to show its title and footnote.
    Adding says what was added where; a view already in the deck with the same state is added again only after
    the user confirms.
    """
    spec = presentable.VIEWS[view]
    state = current_state(state_keys or list(spec.state_keys))
    link = presentable.full_link(presentable.view_link(spec.url_path, state, tuple(state)), base_url(spec.url_path))
    prefix = f"share_{view}"
    with st.container(border=True):
        st.markdown("**Dela och presentera**")
        st.caption("Länken öppnar vyn precis som den ser ut nu. Kopiera den med knappen i rutans hörn.")
        st.code(link, language=None, wrap_lines=True)
        if slide is not None:
            slide_preview(slide, base_url(spec.url_path))
        options = {d.id: f"{d.name} ({decks.slide_count(d.slides)})" for d in deck_queries.list_decks()
                   if signin.may_change(d)}  # a läsare adds to their own decks only
        if st.session_state.get(f"{prefix}_deck") not in (*options, NEW, None):
            st.session_state.pop(f"{prefix}_deck")  # a deck removed since
        left, middle, right = st.columns([2, 2, 1.2], vertical_alignment="bottom")
        choice = left.selectbox("Presentation", [*options, NEW], key=f"{prefix}_deck",
                                format_func=lambda d: options.get(d, "Ny presentation …"))
        middle.text_input("Namn på ny presentation", key=f"{prefix}_name", disabled=choice != NEW,
                          placeholder="t.ex. Nämnden 14 mars")
        demo = state.get("data") == "demo"  # demo data is kept out of presentations for the nämnd
        if demo:
            st.caption("Demodata läggs inte i presentationer. Välj publicerade siffror för att lägga till vyn.")
        right.button("Lägg till i presentation", key=f"{prefix}_add", icon=":material/add_to_queue:",
                     disabled=demo, on_click=_add, args=(prefix, view, state))
        confirm = st.session_state.get(f"{prefix}_confirm")
        if confirm and (confirm["deck"] != choice or confirm["state"] != state):
            st.session_state.pop(f"{prefix}_confirm")  # the choice changed: the question no longer applies
        elif confirm:
            st.warning(f"Vyn finns redan i presentationen ”{options.get(choice, choice)}”, med samma val, som bild "
                       f"{confirm['number']}. Vill du lägga till den en gång till?")
            again, cancel, _ = st.columns([1.4, 1, 3])
            again.button("Lägg till en gång till", key=f"{prefix}_again", on_click=_add,
                         args=(prefix, view, state, True))
            cancel.button("Avbryt", key=f"{prefix}_cancel", on_click=st.session_state.pop,
                          args=(f"{prefix}_confirm", None))
        message = st.session_state.pop(f"{prefix}_message", None)
        if message and message[0] == "error":
            st.error(message[1])
        elif message:
            st.success(message[1], icon=":material/check_circle:")
            st.toast(message[1], icon=":material/check_circle:")
