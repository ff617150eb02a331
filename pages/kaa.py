"""KAA-tratten: unga 16–19 år i det kommunala aktivitetsansvaret, från registret till arbete och studier."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.core import labels
from dashboard.core.numbers import MISSING
from dashboard.figures import kaa
from dashboard.ui import state
from dashboard.ui.glossary import glossary_popover
from dashboard.ui.share import share_bar
from dashboard.views.kaa import kaa_view, kon_options
from queries import glossary
from queries import kaa as kaa_queries
from queries.db import engine, with_database_url

# Glossary terms quoted on the page, in the order shown.
TERMS = ("omfattats av KAA-registret", "Kommunens aktivitetsansvar (KAA)", "Målgruppen för KAA", "Ombytessökande",
         "Omfattas av KAA")
MARK = kaa.COMPUTED_MARK.replace("*", "\\*")  # escaped for Markdown


@with_database_url
@st.cache_data(show_spinner=False)
def kaa_observations(database: str, measures: tuple[str, ...]) -> pd.DataFrame:
    return kaa_queries.city_observations(measures, engine=engine(database))


@with_database_url
@st.cache_data(show_spinner=False)
def glossary_entries(database: str, terms: tuple[str, ...]) -> pd.DataFrame:
    return glossary.glossary_entries(terms, engine=engine(database))


st.title("KAA-tratten")
glossary_popover(["KAA", "Kommunala aktivitetsansvaret (förkortas KAA)", *TERMS], key="begrepp_sida")
st.write(
    "Unga 16–19 år i det kommunala aktivitetsansvaret (KAA): hur många som finns i registret, hur många "
    "nämnden söker upp och når, hur många som tar del av stöd och hur många som sedan går till arbete eller "
    "studier. Alla antal är publicerade siffror. Andelen kvar mellan två steg räknas fram av verktyget ur de "
    "publicerade antalen och märks *beräknat av verktyget*; en andel som står i rapporten märks *publicerad*."
)

obs = kaa_observations(kaa.all_measures())
ui.demo_banner(bool(obs["is_demo"].any()))

terms = glossary_entries(TERMS)
with st.expander("Vem finns i registret, och varför söks inte alla upp?", expanded=False):
    for term in TERMS:
        for row in terms[terms["term"] == term].itertuples():
            st.markdown(f"**{row.term}**: ”{row.definition}”  \n*{row.source}, {row.source_location}*")
    st.caption("Citaten är ordagranna ur källorna.")

left, right = st.columns([3, 2])
with left:
    state.bind("jmf", list(kaa.PERIOD_SETS), "ar", label="Jämför", format_func=kaa.PERIOD_SET_LABELS.get)
    choice = st.segmented_control("Jämför", list(kaa.PERIOD_SETS), key="jmf", format_func=kaa.PERIOD_SET_LABELS.get)
with right:
    kon = ui.gender_choice("kon", kon_options(obs, kaa.PERIOD_SETS[choice or "ar"]))
state.publish("jmf", "kon")
view = kaa_view(obs, {"jmf": choice or "ar", "kon": kon})

st.subheader("Tratten " + " och ".join(kaa.short_period(p) for p in view.periods))
if view.kon == "skillnad":
    st.caption("Kvinnor och män sida vid sida. Skillnaden i procentenheter står i tabellen under diagrammet.")
st.plotly_chart(view.figure, width="stretch", config={"displaylogo": False})
st.caption(
    "Efter antalet står andelen kvar av föregående steg (uppsökta av omfattade, nådda av uppsökta, inskrivna av "
    "nådda, avslutade av inskrivna; till arbete och till studier av avslutade). "
    f"**{MARK} = beräknat av verktyget** ur de publicerade antalen; en andel utan {MARK} "
    f"är publicerad i rapporten. Där inget tal är publicerat står ”{MISSING}” och ingen stapel ritas."
)
ui.sources_caption(view.shown)
if view.noted_shown:
    st.caption(f"⚠️ {view.noted_shown} av talen ovan har en anmärkning (till exempel att rapporten inte stämmer "
               "med sig själv). Se *Anmärkningar till siffrorna* längst ner.")
if view.split_note:
    st.info(view.split_note)

st.subheader("Tratten i siffror")
in_periods = obs[obs["period"].isin(view.periods)]
ui.table(view.funnel_rows, is_demo=view.demo)
ui.download_table(view.funnel_rows, f"kaa_tratten_{view.choice}.csv", is_demo=view.demo, key="dl_tratt", context={
    "Mått": "KAA-tratten: antal per steg och andel av föregående steg",
    "Period": ui.periods_text(in_periods), "Kön": labels.GENDER_CHOICES[view.kon],
    "Dataset": ui.dataset_names(in_periods)})

st.subheader("Kvinnor och män")
kon_rows = view.kon_observations
st.write("Andelen kvar av föregående steg för kvinnor och män, och skillnaden mellan dem. "
         "Andelarna och skillnaden är beräknade av verktyget ur de publicerade antalen per kön.")
ui.table(view.gap_rows, is_demo=bool(kon_rows["is_demo"].any()))
ui.download_table(view.gap_rows, f"kaa_kon_{view.choice}.csv", is_demo=view.demo, key="dl_kon", context={
    "Mått": "KAA-tratten: andel kvar av föregående steg", "Period": ui.periods_text(kon_rows),
    "Kön": "Kvinnor och män", "Dataset": ui.dataset_names(kon_rows)})
ui.sources_caption(kon_rows)
if not view.shares_rows.empty:
    st.write("Publicerade andelar per kön för övergångarna (ur indikatortabellerna):")
    ui.table(view.shares_rows, is_demo=view.demo)
    ui.download_table(view.shares_rows, "kaa_andelar_per_kon.csv", is_demo=view.demo, key="dl_andel_kon",
                      context={"Mått": ui.measures_text(view.shares), "Period": ui.periods_text(view.shares),
                               "Kön": "Kvinnor och män", "Dataset": ui.dataset_names(obs)})
if view.register_note:
    st.caption(view.register_note)

st.subheader("Mål: andel till arbete och till studier efter åtgärd")
st.write("Publicerade andelar av de avslutade som gått till arbete respektive studier, och nämndens och "
         "kommunfullmäktiges mål där de finns.")
st.plotly_chart(kaa.targets_figure(obs, demo=view.demo), width="stretch", config={"displaylogo": False})
targets = view.target_observations
ui.table(view.target_rows, is_demo=view.demo)
ui.download_table(view.target_rows, "kaa_mal.csv", is_demo=view.demo, key="dl_mal", context={
    "Mått": ui.measures_text(targets), "Period": ui.periods_text(targets),
    "Kön": ui.genders_text(targets), "Dataset": ui.dataset_names(obs)})
ui.sources_caption(targets)

noted = view.noted
with st.expander(f"Anmärkningar till siffrorna ({len(noted)})", expanded=False):
    st.write("Här står det som är särskilt med enskilda tal: där rapporten inte stämmer med sig själv, där "
             "texten säger ”cirka” eller ”närmare”, och hur en period har tolkats.")
    ui.table(view.notes_rows, is_demo=noted["is_demo"])
    ui.download_table(view.notes_rows, "kaa_anmarkningar.csv", is_demo=view.demo, key="dl_anm", context={
        "Mått": ui.measures_text(noted), "Period": ui.periods_text(noted), "Kön": ui.genders_text(noted),
        "Dataset": ui.dataset_names(noted)})
share_bar("kaa", ["jmf", "kon"])
