"""Begrepp: the glossary, searchable and grouped by letter, every definition with its source and line."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.ui import state
from dashboard.ui.glossary import all_terms
from queries.glossary import sort_key

ALL = "alla"


def _text_from_url(key: str) -> str:
    """A free-text widget's start value: the session, else the URL."""
    if key not in st.session_state:
        st.session_state[key] = st.query_params.get(key, "")
    return st.session_state[key]


def _publish_optional(*keys: str) -> None:
    """Like state.publish, but an empty value leaves the URL instead of standing there as ''."""
    for key in keys:
        value = st.session_state.get(key) or ""
        if value:
            state.publish(key)
        elif key in st.query_params:
            del st.query_params[key]


def _letter(term: str) -> str:
    first = sort_key(term)[:1]
    return {"{": "Å", "|": "Ä", "}": "Ö"}.get(first, first.upper())


def _anchor(text: str) -> str:
    return re.sub(r"[^0-9a-zåäö]+", "-", text.lower()).strip("-")


entries = all_terms()
terms = list(dict.fromkeys(entries["term"]))

st.title("Begrepp")
st.write(
    "Så definierar dokumenten de begrepp som verktyget använder. Varje definition är återgiven som den står i "
    "källan, med dokument och rad. Samma begrepp kan ha flera definitioner från olika dokument; då visas alla."
)

# A term from the URL (?term=Aspirant), matched without regard to case.
wanted = st.query_params.get("term", "")
by_lower = {t.lower(): t for t in terms}
if wanted and wanted not in terms and wanted.lower() in by_lower:
    st.query_params["term"] = by_lower[wanted.lower()]

top = st.columns([2, 2, 1.4])
_text_from_url("sok")
search = top[0].text_input("Sök begrepp eller ord i definitionen", key="sok", placeholder="t.ex. aspirant")
source_titles = dict(zip(entries["source_id"], entries["source"], strict=True))
state.bind("kalla", [ALL, *source_titles], ALL, label="Källa",
           format_func=lambda s: "Alla källor" if s == ALL else source_titles[s])
source = top[1].selectbox("Källa", [ALL, *source_titles], key="kalla",
                          format_func=lambda s: "Alla källor" if s == ALL else source_titles[s])
state.bind("term", ["", *terms], "", label="Begrepp", format_func=lambda t: t or "inget")
term = top[2].selectbox("Visa begrepp", ["", *terms], key="term", format_func=lambda t: t or "Välj ett begrepp")

if term:
    chosen = entries[entries["term"] == term]
    with st.container(border=True):
        st.markdown(f"### {term}")
        for row in chosen.itertuples():
            st.markdown(f"{row.definition}  \n*{row.source}, {row.source_location or 'plats saknas'}*")

shown = entries
if source != ALL:
    shown = shown[shown["source_id"] == source]
if search.strip():
    needle = search.strip().lower()
    shown = shown[shown["term"].str.lower().str.contains(needle, regex=False)
                  | shown["definition"].str.lower().str.contains(needle, regex=False)]
shown_terms = list(dict.fromkeys(shown["term"]))
st.caption(f"{len(shown_terms)} av {len(terms)} begrepp ({len(shown)} definitioner).")

if shown.empty:
    st.info("Inget begrepp matchar sökningen.")
else:
    letters = list(dict.fromkeys(_letter(t) for t in shown_terms))
    st.markdown(" · ".join(f"[{letter}](#{_anchor('bokstav-' + letter)})" for letter in letters))
    for letter in letters:
        st.subheader(letter, anchor=_anchor("bokstav-" + letter))
        for name in (t for t in shown_terms if _letter(t) == letter):
            st.markdown(f"**{name}**")
            for row in shown[shown["term"] == name].itertuples():
                st.markdown(f"{row.definition}  \n*{row.source}, {row.source_location or 'plats saknas'}*")

    st.subheader("Som tabell", anchor="tabell")
    table = pd.DataFrame({"Begrepp": shown["term"], "Definition": shown["definition"], "Källa": shown["source"],
                          "Var i källan": shown["source_location"]})
    ui.table(table, is_demo=False)  # definitions quoted from the documents
    ui.download_table(table, "begrepp.csv", key="dl_begrepp_csv",  # a glossary: no measure, period, kön or data set
                      context={"Mått": None, "Period": None, "Kön": None, "Dataset": None})
    ui.sources_caption(shown)

state.publish("kalla")
_publish_optional("sok", "term")
