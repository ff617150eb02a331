"""Stockholmsjobb: volumes, results three months after, the 2018 cohort and the places per stadsdelsnämnd.

The page lays out the view model (dashboard.views.stockholmsjobb); the slide is drawn from the same model."""

from __future__ import annotations

import streamlit as st

from dashboard import ui
from dashboard.core import labels
from dashboard.figures import followup as fig
from dashboard.ui import state
from dashboard.ui.followup import glossary_entries, load, measure_definitions, metric, table_with_download
from dashboard.ui.glossary import glossary_popover
from dashboard.ui.share import share_bar
from dashboard.views import presentable
from dashboard.views import stockholmsjobb as model
from dashboard.views.followup import kon_options

# Glossary terms used on the page.
TERMS = ["Stockholmsjobb", "Aspirant", "Jobbtorg Stockholm", "Jobbspår Stockholmsjobb", "Serviceassistent",
         "Arbetslagsanställning", "Introjobb", "Ungdomsanställning"]

st.title("Stockholmsjobb")
glossary_popover(TERMS, key="begrepp_sida")
all_rows = load(tuple(model.MEASURES))
ui.demo_banner(bool(all_rows["is_demo"].any()))
definition = glossary_entries(("Stockholmsjobb",))
if not definition.empty:
    first = definition.iloc[0]
    st.write(first["definition"])
    st.caption(f"Definition: {first['source']} ({first['source_location']})")
intro, volumes, outcome, kinds, by_kon, cohort, budget, sharing = (st.container() for _ in range(8))

# The two choices first, each where the page shows it; then the view they choose.
with by_kon:
    st.header("Per kön")
    kon = ui.gender_choice("kon", kon_options(all_rows[all_rows["measure"].isin(model.INDICATORS)]))
with sharing:
    st.divider()
    state.bind("diagram", list(fig.STHLMSJOBB_CHARTS), "resultat", label="Diagram att dela",
               format_func=fig.STHLMSJOBB_CHARTS.get)
    chart = st.segmented_control("Diagram att dela", list(fig.STHLMSJOBB_CHARTS), key="diagram", required=True,
                                 format_func=fig.STHLMSJOBB_CHARTS.get)
state.publish("kon", "diagram")
districts = ui.memberships_at(model.BUDGET_DAY, "stadsdel", "stadsdelsomrade")["parent"].unique()
view = model.stockholmsjobb_view(all_rows, {"kon": kon, "diagram": chart or "resultat"},
                                 definitions=measure_definitions(tuple(model.MEASURES)), districts=list(districts))

intro.info(view.split_note)

with volumes:
    st.header("Volymer")
    for column, item in zip(st.columns(4), view.volume_metrics, strict=True):
        metric(column, item)
    st.plotly_chart(view.volumes_figure, width="stretch")
    if view.financed_text:
        st.write(view.financed_text)
    st.caption(model.PERIODS_DIFFER)
    table_with_download(view.volumes)

with outcome:
    st.header("I arbete eller studier tre månader efter avslut")
    st.plotly_chart(view.outcome_figure, width="stretch")
    st.caption(view.outcome_caption)
    table_with_download(view.outcome)
    with st.expander("Resultat per typ av Stockholmsjobb (serviceassistenter, arbetslag, ungdomsanställning, "
                     "yrkeskurs)"):
        table_with_download(view.outcomes_by_type)

with kinds:
    st.header("Yrkeskurs, serviceassistenter, arbetslag och introjobb")
    left, right = st.columns([1, 2])
    left.plotly_chart(view.vocational_figure, width="stretch")
    right.plotly_chart(view.job_types_figure, width="stretch")
    st.caption("Arbetslag och introjobb räknas tillsammans 2022 men arbetslag för sig i tertial 1 2021: olika mått.")
    table_with_download(view.kinds)

with by_kon:
    if not view.gender_metrics:
        st.write("Inga Stockholmsjobbsiffror är publicerade per kön.")
    else:
        # Two to a row, so that neither the names nor the values ("7,14 procentenheter") are cut off.
        for start in range(0, len(view.gender_metrics), 2):
            for column, item in zip(st.columns(2), view.gender_metrics[start:start + 2], strict=False):
                column.caption(item.label)  # wraps; a metric's own label is cut at one line
                metric(column, item, label_visibility="collapsed")
        ui.table(view.gap_rows, is_demo=view.indicators.demo)
        st.caption(f"Skillnaden kvinnor − män är {labels.COMPUTED} ur de publicerade talen (procentenheter för "
                   "andelar).")
    with st.expander("Indikatorer och mål för Stockholmsjobb (alla rader)"):
        table_with_download(view.indicators)

with cohort:
    st.header("Långsiktig uppföljning: aspiranter aktuella 2018")
    st.write("Utvärdering med underlag från SCB av aspiranter på Jobbtorg Stockholm som var aktuella 2018, per typ "
             "av avslut. Inte uppdelad på kön.")
    st.plotly_chart(view.cohort_figure, width="stretch")
    for column, item in zip(st.columns(2), view.cohort_metrics, strict=True):
        metric(column, item)
    table_with_download(view.cohort)

with budget:
    st.header(f"Budgeterade Stockholmsjobb per stadsdelsnämnd {model.BUDGET_YEAR}")
    st.plotly_chart(view.budget_figure, width="stretch")
    st.caption("Enheten för hemlösa är en enhet, inte ett område, och syns därför inte på kartan.")
    st.markdown(f"[Visa samma mått på kartan]({view.budget_link})")
    table_with_download(view.budget)

with sharing:
    share_bar("stockholmsjobb", slide=presentable.slide_of("stockholmsjobb", view, ui.dataset_names(view.shown)))
