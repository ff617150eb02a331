"""Jobbtorg Stockholm: inskrivna per målgrupp and kön, unika individer, avslut till arbete eller studier.

The page lays out the view model (dashboard.views.jobbtorg); the slide is drawn from the same model."""

from __future__ import annotations

import streamlit as st

from dashboard import ui
from dashboard.core import labels
from dashboard.ui import state
from dashboard.ui.followup import download, glossary_entries, load, measure_definitions, metric, table_with_download
from dashboard.ui.glossary import glossary_popover
from dashboard.ui.share import share_bar
from dashboard.views import jobbtorg as model
from dashboard.views import presentable
from dashboard.views.followup import kon_options

# Glossary terms used on the page (målgrupperna included).
TERMS = ["Jobbtorg Stockholm", "Aspirant", "Unik individ", "Stockholmsjobb", "KAA", "Övriga målgrupper"]

st.title("Jobbtorg Stockholm")
glossary_popover(TERMS, key="begrepp_sida")
rows = load(tuple(model.MEASURES))
ui.demo_banner(bool(rows["is_demo"].any()))
about = glossary_entries(("Jobbtorg Stockholm",))
if not about.empty:
    st.write(about["definition"].iloc[0])
    st.caption(f"Definition: {about['source'].iloc[0]} ({about['source_location'].iloc[0]})")

left, right = st.columns([3, 2])
with left:
    kon = ui.gender_choice("kon", kon_options(rows[rows["measure"].isin([model.ENROLLED, model.UNIQUE])]))
with right:
    state.bind("urval", list(model.SPANS), "helar", label="Period", format_func=model.SPANS.get)
    span = st.segmented_control("Period", list(model.SPANS), key="urval", format_func=model.SPANS.get) or "helar"
state.publish("kon", "urval")
view = model.jobbtorg_view(rows, {"kon": kon, "urval": span}, definitions=measure_definitions(tuple(model.MEASURES)),
                           terms=glossary_entries(tuple(model.TERMS)))

# --- Inskrivna per målgrupp ---
st.header("Inskrivna per målgrupp")
st.plotly_chart(view.figure, width="stretch")
if view.gap_caption:
    st.caption(view.gap_caption)
ui.table(view.enrolled.rows, is_demo=view.enrolled.rows_demo)
ui.sources_caption(view.counts)
download(view.enrolled)

# --- Unika individer och inskrivna ---
st.header("Unika individer och inskrivna")
for items in view.unique_metrics:
    for column, item in zip(st.columns(3), items, strict=True):
        metric(column, item)
st.markdown("**Varför talen skiljer sig.** Definitionerna i databasen:\n" + "\n".join(view.definition_lines))
st.write(
    "Inskrivna räknas per målgrupp och ”Totalt inskrivna” är tabellens summarad över målgrupperna, medan en unik "
    "individ bara räknas en gång. Att inskrivna är fler än unika individer betyder alltså att en del personer "
    "räknas mer än en gång bland inskrivna. Rapporterna förklarar inte närmare varför."
)

# --- Avslut till arbete eller studier ---
st.header("Avslutade till arbete eller studier")
st.plotly_chart(view.exits_figure, width="stretch")
if not view.exits_by_kon:
    st.info("Andelen avslutade till arbete eller studier är inte publicerad uppdelad på kvinnor och män i "
            "rapporterna. Uppdelat på kön finns bara indikatorerna nedan.")
st.caption("Tertialrapportens andel avser april föregående år – mars innevarande år. Målen är ritade som linjer, "
           "vart och ett med år och källa; VP 2026:s mål gäller indikatorn ”Andel kvinnor och män som har "
           "avslutats från Jobbtorg Stockholm till arbete eller studier”.")
table_with_download(view.exits)

# --- Indikatorer per kön ---
st.header("Indikatorer per kön")
st.plotly_chart(view.indicators_figure, width="stretch")
ui.table(view.gap_rows, is_demo=view.indicators.demo)
st.caption(f"Skillnaden kvinnor − män är {labels.COMPUTED} ur de publicerade talen (procentenheter för andelar, "
           "månader för inskrivningstid).")
with st.expander("Alla indikatorrader med mål och prognoser"):
    table_with_download(view.indicators)
share_bar("jobbtorg", slide=presentable.slide_of("jobbtorg", view, ui.dataset_names(view.shown)))
