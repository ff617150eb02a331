"""The glossary where a term appears: a "Begrepp" popover with the definitions and their sources."""

from __future__ import annotations

import re
from collections.abc import Sequence
from contextlib import suppress

import pandas as pd
import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from queries import glossary
from queries.db import engine, with_database_url

PAGE = "pages/begrepp.py"


@with_database_url
@st.cache_data(show_spinner=False)
def glossary_entries(database: str, terms: tuple[str, ...]) -> pd.DataFrame:
    return glossary.glossary_entries(terms, engine=engine(database))


@with_database_url
@st.cache_data(show_spinner=False)
def all_terms(database: str) -> pd.DataFrame:
    return glossary.all_terms(engine=engine(database))


def terms_in(text: str) -> list[str]:
    """Glossary terms that occur as words in `text` (case-insensitive), longest first, each once."""
    found = []
    for term in sorted(set(all_terms()["term"]), key=len, reverse=True):
        short = re.sub(r"\s*\(.*\)$", "", term)  # "Komvux (…)" also matches "komvux"
        if re.search(rf"(?<!\w){re.escape(short)}(?!\w)", text, flags=re.IGNORECASE):
            found.append(term)
    return found


@with_database_url
@st.cache_resource(show_spinner=False)
def _popover_texts(database: str, terms: tuple[str, ...]) -> list[tuple[str, list[str]]]:
    """Each term with its definitions as the popover writes them; made once, not on every rerun of a page."""
    entries = glossary_entries(terms)
    return [(term, [f"{row.definition}  \n*{row.source}, {row.source_location or 'plats saknas'}*"
                    for row in rows.itertuples()]) for term, rows in entries.groupby("term", sort=False)]


def glossary_popover(terms: Sequence[str], *, label: str = "Begrepp", key: str | None = None) -> None:
    """A popover with the definitions of `terms`, each with its source and line, and a link to the glossary."""
    texts = _popover_texts(tuple(dict.fromkeys(terms)))
    with st.popover(label, icon=":material/menu_book:", key=key):
        if not texts:
            st.write("Inga av begreppen på den här sidan finns i ordlistan.")
        for term, definitions in texts:
            st.markdown(f"**{term}**")
            for text in definitions:
                st.markdown(text)
        with suppress(StreamlitPageNotFoundError):  # the glossary page is not registered in this app
            st.page_link(PAGE, label="Alla begrepp", icon=":material/arrow_forward:")
