"""Indikatorer: every indicator of VP 2026 and Tertialrapport 1 2021 in its goal chain, with targets and outcomes."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.core.numbers import MISSING
from dashboard.core.periods import period_label
from dashboard.figures import indikatorer as fig_ind
from dashboard.ui import state
from dashboard.ui.glossary import glossary_popover, terms_in
from dashboard.ui.share import share_bar
from queries import indikatorer as queries
from queries.db import engine, with_database_url

ALL = "alla"
FILTER_KEYS = ("dok", "mal", "amne", "frekvens", "perkon")
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


def _select(label: str, key: str, options: dict[str, str], column) -> str:
    """A filter selectbox bound to the URL; 'alla' first."""
    values = [ALL, *options]
    def shown(value: str) -> str:
        return "Alla" if value == ALL else options[value]

    state.bind(key, values, ALL, label=label, format_func=shown)
    return column.selectbox(label, values, key=key, format_func=shown)


indicators = indicator_list()
statuses = indicator_statuses()
obs = indicator_observations(tuple(sorted(indicators["measure"].dropna().unique())))
is_demo = bool(obs["is_demo"].any())

head, pop = st.columns([6, 1])
head.title("Indikatorer")
head.write(
    "Nämndens indikatorer i Verksamhetsplan 2026 och i Tertialrapport 1 2021, ordnade efter målen de hör till: "
    "inriktningsmål → kommunfullmäktiges mål (KF-mål) → nämndmål. För varje indikator visas nämndens och KF:s mål, "
    "utfallen och prognosen som de står i dokumenten, och statusen nämnden rapporterade. Ett värde som inte är "
    f"publicerat står som ”{MISSING}”."
)
ui.demo_banner(is_demo)

# Filters (all in the URL).
documents = dict(zip(indicators["document"], indicators["document_title"], strict=True))
cols = st.columns([1.7, 2.8, 1.2, 1.1, 1.3])
doc = _select("Dokument", "dok", {d: fig_ind.DOCUMENT_NAME.get(d, t) for d, t in documents.items()}, cols[0])
in_doc = indicators if doc == ALL else indicators[indicators["document"] == doc]
goal = _select("Mål", "mal", fig_ind.goal_options(in_doc), cols[1])
topics = sorted(indicators["topic"].dropna().unique(), key=str.lower)
topic = _select("Ämne", "amne", {**{t: t for t in topics}, "inget": "Inget mått"}, cols[2])
periodicities = {p: p.capitalize() for p in ("tertial", "halvår", "år") if p in set(indicators["periodicity"])}
periodicity = _select("Periodicitet", "frekvens", periodicities, cols[3])
split = _select("Per kön", "perkon", {"ja": "Redovisas per kön", "nej": "Inte per kön"}, cols[4])

shown = in_doc
if goal != ALL:
    shown = shown[fig_ind.under_goal(shown, goal)]
if topic != ALL:
    shown = shown[shown["topic"].isna()] if topic == "inget" else shown[shown["topic"] == topic]
if periodicity != ALL:
    shown = shown[shown["periodicity"] == periodicity]
if split != ALL:
    shown = shown[shown["by_gender"].fillna(False).astype(bool) == (split == "ja")]
counts = ", ".join(f"{(shown['document'] == d).sum()} av {(indicators['document'] == d).sum()} i {t}"
                   for d, t in documents.items())
st.caption(f"Visar {len(shown)} av {len(indicators)} indikatorer ({counts}).")
if shown.empty:
    state.publish(*FILTER_KEYS)
    st.info("Inga indikatorer matchar filtren. Välj ”Alla” i något av filtren.")
    st.stop()

names = {r.indicator: f"{r.name} ({fig_ind.short_document(r.document)})" for r in shown.itertuples()}
state.bind("ind", list(names), next(iter(names)), label="Indikator", format_func=names.get)
chosen_id = st.session_state["ind"]

tree, detail = st.columns([2, 3], gap="large")

# The goal chain: one expander per inriktningsmål, KF-mål and nämndmål as headings, indicators as links.
# Indicator links in the tree read left-aligned, like a list.
st.html("<style>.st-key-malkedjan button, .st-key-malkedjan button > div, .st-key-malkedjan button > div > span"
        " {justify-content: flex-start; text-align: left; width: 100%;}</style>")
with tree.container(key="malkedjan"):
    st.subheader("Målkedjan")
    for (document, aim), in_aim in shown.groupby(["document", "inriktningsmal"], sort=False):
        label = f"{fig_ind.short_document(document)} · {aim} ({len(in_aim)})"
        with st.expander(label, expanded=chosen_id in set(in_aim["indicator"])):
            for kf_goal, in_kf in in_aim.groupby(in_aim["kf_mal"].fillna(""), sort=False):
                st.markdown(f"**KF-mål {kf_goal}**" if kf_goal else "**Utan KF-mål**")
                for own, in_own in in_kf.groupby(in_kf["namndmal"].fillna(""), sort=False):
                    st.markdown(f"*Nämndmål {own}*" if own else "*Inget nämndmål – indikatorn hör direkt till "
                                                            "KF-målet*")
                    for row in in_own.itertuples():
                        st.button(row.name, key=f"pick_{row.indicator}", type="tertiary", width="stretch",
                                  icon=":material/radio_button_checked:" if row.indicator == chosen_id
                                  else ":material/chevron_right:", on_click=_choose, args=(row.indicator,))

with detail:
    st.subheader("Vald indikator")
    chosen = st.selectbox("Indikator", list(names), key="ind", format_func=names.get)
    ind = shown[shown["indicator"] == chosen].iloc[0]
    st.markdown(f"### {ind['name']}")
    chain = " › ".join(g for g in (ind["inriktningsmal"], ind["kf_mal"], ind["namndmal"]) if isinstance(g, str) and g)
    st.caption(f"{ind['document_title']} › {chain}")
    own = fig_ind.own_values(obs, ind["measure"], ind["document"])
    # The document's own targets, outcome and forecast (totalt): label, value, period.
    for column, kind in zip(st.columns(4), ("mål", "kf-mål", "utfall", "prognos"), strict=True):
        rows = own[(own["kind"] == kind) & (own["gender"] == "totalt")]
        text = fig_ind.value_text(own, kind, with_period=False)
        value = (f"<span style='font-size:1.7rem'>{text}</span>" if not rows.empty
                 else "<span style='font-size:1.7rem;color:#888'>–</span>")
        when = period_label(rows.sort_values("period_end")["period"].iloc[-1]) if not rows.empty else MISSING
        column.markdown(f"**{fig_ind.KIND_LABELS[kind]}**  \n{value}  \n<small>{when}</small>",
                        unsafe_allow_html=True)

    has_measure = isinstance(ind["measure"], str)
    facts = [
        f"**Definition:** {ind['definition'] if has_measure and ind['definition'] else MISSING}",
        f"**Enhet:** {ind['unit'] if has_measure else MISSING}",
        f"**Periodicitet:** {ind['periodicity'] or MISSING}",
        "**Redovisas per kön:** " + ("ja" if ind["by_gender"] else "nej"),
        f"**Källa:** {ind['document_title']}, {ind['source_location']}",
    ]
    st.markdown("  \n".join(facts))
    if isinstance(ind["note"], str) and ind["note"]:
        st.info(f"**Anmärkning:** {ind['note']}", icon=":material/info:")

    status = statuses[statuses["indicator"] == chosen]
    if status.empty:
        st.markdown(f"**Status:** ingen status rapporterad i {ind['document_title']}"
                    + (" (en verksamhetsplan sätter mål; den följer inte upp dem)." if ind["document"] == "vp2026"
                       else "."))
    for row in status.itertuples():
        st.markdown(f"**Status {period_label(row.period)}:** {row.status}  \n"
                    f"*{row.source}, {row.source_location}*")
        if row.note:
            st.caption(f"⚠️ {row.note}")

    values = fig_ind.measure_values(obs, ind["measure"])
    if not has_measure:
        st.warning("Indikatorn har inget mått i databasen, så inga mål eller utfall visas. Skälet står i "
                   "anmärkningen ovan.")
    elif values.empty:
        st.write(f"Inga mål eller utfall är publicerade för måttet: {MISSING}.")
    else:
        twins = indicators[(indicators["measure"] == ind["measure"]) & (indicators["indicator"] != chosen)]
        for twin in twins.itertuples():
            st.caption(f"Samma mått finns i {twin.document_title} som ”{twin.name}” ({twin.source_location}). "
                       "Diagrammet och tabellen visar värdena ur båda dokumenten.")
            if twin.indicator in names:
                st.button(f"Visa indikatorn i {fig_ind.short_document(twin.document)}", key=f"twin_{twin.indicator}",
                          on_click=_choose, args=(twin.indicator,))
        st.plotly_chart(fig_ind.indicator_chart(values, unit=ind["unit"], demo=is_demo),
                        width="stretch", config={"displaylogo": False}, key="ind_chart")
        ui.sources_caption(values)
        st.markdown("**Alla värden för måttet**")
        table = fig_ind.observation_table(values)
        ui.table(table, is_demo=bool(values["is_demo"].any()))
        ui.download_table(table, f"indikator_{chosen}.csv", is_demo=is_demo, key="dl_ind_csv", context={
            "Mått": ind["name"], "Period": ui.periods_text(values), "Kön": ui.genders_text(values),
            "Dataset": ui.dataset_names(values)})

        st.markdown("**Kvinnor och män**")
        by_gender = fig_ind.gender_table(values)
        if (values["kind"] != "utfall").all():
            st.write("Inga utfall är publicerade för måttet, så det finns ingen uppdelning på kvinnor och män att "
                     "visa" + (" (indikatorn ska redovisas per kön)." if ind["by_gender"] else "."))
        elif by_gender.empty:
            st.write("Utfallet är inte publicerat uppdelat på kvinnor och män"
                     + (" fast indikatorn ska redovisas per kön." if ind["by_gender"] else "."))
        else:
            ui.table(by_gender, is_demo=bool(values["is_demo"].any()))
            st.caption("Skillnaden kvinnor − män är beräknad av verktyget ur de publicerade värdena.")
    glossary_popover(terms_in(ind["name"]) or PAGE_TERMS, label="Begrepp i indikatorn", key="begrepp_ind")

with pop:
    glossary_popover(PAGE_TERMS, key="begrepp_sida")

st.subheader("Alla indikatorer i urvalet")
summary = fig_ind.summary_table(shown, obs, statuses)
ui.table(summary, is_demo=is_demo)
st.caption("Mål, utfall och prognos ur indikatorns eget dokument, med perioden inom parentes. Statusen i "
           "Tertialrapport 1 2021 är rapporterad per mål, inte per indikator (se anmärkningen vid varje "
           "indikator).")
ui.download_table(summary, "indikatorer.csv", is_demo=is_demo, key="dl_all_csv", context={
    "Mått": "Indikatorerna i urvalet, en rad per indikator", "Period": "senaste värdet, perioden inom parentes",
    "Kön": "Totalt", "Dataset": ui.dataset_names(obs)})
ui.sources_caption(shown.rename(columns={"document_title": "source"}))

state.publish(*FILTER_KEYS, "ind")
share_bar("indikatorer", [k for k in FILTER_KEYS if st.session_state.get(k) != ALL] + ["ind"])
