"""Indikatorer: every indicator of VP 2026 and Tertialrapport 1 2021 in its goal chain, with targets and outcomes.

What is shown comes from the view model (dashboard/views/indikatorer.py), which the slide draws too."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.core.numbers import MISSING
from dashboard.figures import indikatorer as fig_ind
from dashboard.ui import state
from dashboard.ui.glossary import glossary_popover, terms_in
from dashboard.ui.share import share_bar
from dashboard.views import indikatorer as views
from dashboard.views.context import Download
from queries import indikatorer as queries
from queries.db import engine, with_database_url

ALL = views.ALL
PAGE_TERMS = ["Aspirant", "Jobbtorg Stockholm", "Stockholmsjobb", "KAA", "Komvux", "Kursdeltagare"]


@with_database_url
@st.cache_data(show_spinner=False)
def indicator_list(database: str) -> pd.DataFrame:
    return queries.indicator_list(engine=engine(database))


@with_database_url
@st.cache_data(show_spinner=False)
def indicator_observations(database: str, measure_ids: tuple[str, ...]) -> pd.DataFrame:
    return queries.indicator_observations(measure_ids, engine=engine(database))


@with_database_url
@st.cache_data(show_spinner=False)
def indicator_statuses(database: str) -> pd.DataFrame:
    return queries.indicator_statuses(engine=engine(database))


def _choose(indicator: str) -> None:
    st.session_state["ind"] = indicator


def _select(key: str, options: dict[str, str], column) -> str:
    """A filter selectbox bound to the URL; 'alla' first."""
    values = [ALL, *options]
    label = views.FILTERS[key]

    def shown(value: str) -> str:
        return "Alla" if value == ALL else options[value]

    state.bind(key, values, ALL, label=label, format_func=shown)
    return column.selectbox(label, values, key=key, format_func=shown)


def download(file: Download) -> None:
    ui.download_table(file.table, file.file_name, is_demo=file.is_demo, key=file.key, context=file.context)


indicators = indicator_list()
data = views.IndikatorerData(indicators, indicator_statuses(),
                             indicator_observations(tuple(sorted(indicators["measure"].dropna().unique()))),
                             ui.dataset_titles())

head, pop = st.columns([6, 1])
head.title("Indikatorer")
head.write(
    "Nämndens indikatorer i Verksamhetsplan 2026 och i Tertialrapport 1 2021, ordnade efter målen de hör till: "
    "inriktningsmål → kommunfullmäktiges mål (KF-mål) → nämndmål. För varje indikator visas nämndens och KF:s mål, "
    "utfallen och prognosen som de står i dokumenten, och statusen nämnden rapporterade. Ett värde som inte är "
    f"publicerat står som ”{MISSING}”."
)
ui.demo_banner(bool(data.observations["is_demo"].any()))

# Filters (all in the URL); the goals offered are those of the chosen document.
cols = st.columns([1.7, 2.8, 1.2, 1.1, 1.3])
chosen = {"dok": _select("dok", views.filter_options(indicators)["dok"], cols[0])}
options = views.filter_options(indicators, chosen["dok"])
for key, column in zip(("mal", "amne", "frekvens", "perkon"), cols[1:], strict=True):
    chosen[key] = _select(key, options[key], column)
names = views.indicator_names(views.filtered(indicators, chosen))
if names:
    state.bind("ind", list(names), next(iter(names)), label="Indikator", format_func=names.get)
    chosen["ind"] = st.session_state["ind"]
view = views.indikatorer_view(data, chosen)
st.caption(view.count_text)
if view.chosen is None:
    state.publish(*views.FILTERS)
    st.info("Inga indikatorer matchar filtren. Välj ”Alla” i något av filtren.")
    st.stop()

tree, detail = st.columns([2, 3], gap="large")

# The goal chain: one expander per inriktningsmål, KF-mål and nämndmål as headings, indicators as links.
# Indicator links in the tree read left-aligned, like a list.
st.html("<style>.st-key-malkedjan button, .st-key-malkedjan button > div, .st-key-malkedjan button > div > span"
        " {justify-content: flex-start; text-align: left; width: 100%;}</style>")
with tree.container(key="malkedjan"):
    st.subheader("Målkedjan")
    for (document, aim), in_aim in view.shown.groupby(["document", "inriktningsmal"], sort=False):
        label = f"{fig_ind.short_document(document)} · {aim} ({len(in_aim)})"
        with st.expander(label, expanded=view.chosen in set(in_aim["indicator"])):
            for kf_goal, in_kf in in_aim.groupby(in_aim["kf_mal"].fillna(""), sort=False):
                st.markdown(f"**KF-mål {kf_goal}**" if kf_goal else "**Utan KF-mål**")
                for own, in_own in in_kf.groupby(in_kf["namndmal"].fillna(""), sort=False):
                    st.markdown(f"*Nämndmål {own}*" if own else "*Inget nämndmål – indikatorn hör direkt till "
                                                            "KF-målet*")
                    for row in in_own.itertuples():
                        st.button(row.name, key=f"pick_{row.indicator}", type="tertiary", width="stretch",
                                  icon=":material/radio_button_checked:" if row.indicator == view.chosen
                                  else ":material/chevron_right:", on_click=_choose, args=(row.indicator,))

with detail:
    st.subheader("Vald indikator")
    st.selectbox("Indikator", list(view.names), key="ind", format_func=view.names.get)
    ind = view.indicator
    st.markdown(f"### {ind['name']}")
    st.caption(f"{ind['document_title']} › {view.chain}")
    # The document's own targets, outcome and forecast (totalt): label, value, period.
    for column, own in zip(st.columns(len(view.own)), view.own, strict=True):
        value = (f"<span style='font-size:1.7rem'>{own.text}</span>" if own.text is not None
                 else "<span style='font-size:1.7rem;color:#888'>–</span>")
        column.markdown(f"**{own.label}**  \n{value}  \n<small>{own.period}</small>", unsafe_allow_html=True)
    st.markdown("  \n".join(f"**{label}:** {text}" for label, text in view.facts))
    if view.note:
        st.info(f"**Anmärkning:** {view.note}", icon=":material/info:")

    if view.no_status:
        st.markdown(f"**Status:** {view.no_status}")
    for status in view.statuses:
        st.markdown(f"**Status {status.period}:** {status.status}  \n*{status.source}*")
        if status.note:
            st.caption(f"⚠️ {status.note}")

    values = view.values
    if not view.has_measure:
        st.warning("Indikatorn har inget mått i databasen, så inga mål eller utfall visas. Skälet står i "
                   "anmärkningen ovan.")
    elif values.empty:
        st.write(f"Inga mål eller utfall är publicerade för måttet: {MISSING}.")
    else:
        for twin in view.twins:
            st.caption(f"Samma mått finns i {twin.document_title} som ”{twin.name}” ({twin.source_location}). "
                       "Diagrammet och tabellen visar värdena ur båda dokumenten.")
            if twin.listed:
                st.button(f"Visa indikatorn i {fig_ind.short_document(twin.document)}", key=f"twin_{twin.indicator}",
                          on_click=_choose, args=(twin.indicator,))
        st.plotly_chart(view.figure, width="stretch", config={"displaylogo": False}, key="ind_chart")
        ui.sources_caption(values)
        st.markdown("**Alla värden för måttet**")
        ui.table(view.values_table, is_demo=bool(values["is_demo"].any()))
        download(view.values_download)

        st.markdown("**Kvinnor och män**")
        if view.gender_text:
            st.write(view.gender_text)
        else:
            ui.table(view.gender_table, is_demo=bool(values["is_demo"].any()))
            st.caption("Skillnaden kvinnor − män är beräknad av verktyget ur de publicerade värdena.")
    glossary_popover(terms_in(ind["name"]) or PAGE_TERMS, label="Begrepp i indikatorn", key="begrepp_ind")

with pop:
    glossary_popover(PAGE_TERMS, key="begrepp_sida")

st.subheader("Alla indikatorer i urvalet")
ui.table(view.summary, is_demo=view.demo)
st.caption("Mål, utfall och prognos ur indikatorns eget dokument, med perioden inom parentes. Statusen i "
           "Tertialrapport 1 2021 är rapporterad per mål, inte per indikator (se anmärkningen vid varje "
           "indikator).")
download(view.summary_download)
ui.sources_caption(view.shown.rename(columns={"document_title": "source"}))

state.publish(*views.FILTERS, "ind")
share_bar("indikatorer", [k for k in views.FILTERS if st.session_state.get(k) != ALL] + ["ind"])
