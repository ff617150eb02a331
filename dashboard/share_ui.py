"""“Kopiera länk” and “Lägg till i presentation”: the bar at the end of a page that shares the current view."""

from __future__ import annotations

import streamlit as st

from dashboard import decks, views
from queries import decks as deck_queries

NEW = "__ny__"


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


def share_bar(view: str, state_keys: list[str] | None = None) -> None:
    """The current view's full link to copy, and a way to put the view on a slide in a presentation.

    `state_keys`: the URL keys that make up the view (default: the keys registered in dashboard.views).
    """
    spec = views.VIEWS[view]
    state = current_state(state_keys or list(spec.state_keys))
    link = views.full_link(views.view_link(spec.url_path, state, tuple(state)), base_url(spec.url_path))
    prefix = f"share_{view}"
    with st.container(border=True):
        st.markdown("**Dela och presentera**")
        st.caption("Länken öppnar vyn precis som den ser ut nu. Kopiera den med knappen i rutans hörn.")
        st.code(link, language=None, wrap_lines=True)
        options = {d.id: f"{d.name} ({d.slides} bilder)" for d in deck_queries.list_decks()}
        if f"{prefix}_pending" in st.session_state:  # a deck created on the last click is chosen
            st.session_state[f"{prefix}_deck"] = st.session_state.pop(f"{prefix}_pending")
        left, middle, right = st.columns([2, 2, 1.2], vertical_alignment="bottom")
        choice = left.selectbox("Presentation", [*options, NEW], key=f"{prefix}_deck",
                                format_func=lambda d: options.get(d, "Ny presentation …"))
        name = middle.text_input("Namn på ny presentation", key=f"{prefix}_name", disabled=choice != NEW,
                                 placeholder="t.ex. Nämnden 14 mars")
        demo = state.get("data") == "demo"  # demo data is kept out of presentations for the nämnd
        if demo:
            st.caption("Demodata läggs inte i presentationer. Välj publicerade siffror för att lägga till vyn.")
        if right.button("Lägg till i presentation", key=f"{prefix}_add", icon=":material/add_to_queue:",
                        disabled=demo):
            try:
                deck = decks.create_deck(name) if choice == NEW else int(choice)
                st.session_state[f"{prefix}_pending"] = deck
                slide = views.build(view, state)
                decks.add_slide(deck, view, state, slide.title)
            except decks.DeckError as error:
                st.error(str(error))
            else:
                st.success(f"”{slide.title}” ligger nu sist i presentationen. Öppna den under Presentera.")
