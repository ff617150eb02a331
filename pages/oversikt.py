"""Översikt: the start page. The nämnd's headline figures as cards, each with target, status, change, kön and source."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.core import labels
from dashboard.core.numbers import MISSING
from dashboard.core.periods import period_label
from dashboard.ui.glossary import glossary_popover
from dashboard.views import jamforelse
from dashboard.views import oversikt as ov
from queries import oversikt as queries
from queries.db import engine, with_database_url

STATUS_BADGES = {
    "uppfyllt": ("green", ":material/check_circle:", "Uppfyllt"),
    "delvis uppfyllt": ("orange", ":material/timelapse:", "Delvis uppfyllt"),
    "ej uppfyllt": ("red", ":material/cancel:", "Ej uppfyllt"),
}


@with_database_url
@st.cache_data(show_spinner=False)
def city_observations(database: str, measures: tuple[str, ...]) -> pd.DataFrame:
    return queries.city_observations(measures, engine=engine(database))


@with_database_url
@st.cache_data(show_spinner=False)
def measure_facts(database: str, measures: tuple[str, ...]) -> pd.DataFrame:
    return queries.measure_facts(measures, engine=engine(database))


def _delta_style(view: ov.CardView) -> tuple[str, str]:
    """Colour and arrow of the change: green when it moves the way the measure is better, grey when unknown."""
    if view.change is None or view.change == 0:
        return "gray", "off"
    arrow = "up" if view.change > 0 else "down"
    if view.higher_is_better is None:
        return "gray", arrow
    good = (view.change > 0) == view.higher_is_better
    return ("green" if good else "red"), arrow


def _status_line(view: ov.CardView) -> None:
    """A badge by the stated rule, and against which target (or why there is none)."""
    if view.status is None:
        st.markdown(f":gray-badge[:material/remove: Ingen status] :gray[{view.no_status_reason}]")
        return
    colour, icon, label = STATUS_BADGES[view.status]
    target = view.status_target
    st.markdown(f":{colour}-badge[{icon} {label}] :gray[mot {ov.KIND_LABELS[target.kind].lower()} {target.period}]")


def _targets(view: ov.CardView) -> None:
    if not view.targets:
        st.markdown(f"**Mål:** {MISSING}")
        return
    year = ov.target_year(view.value.period) if view.value else None
    for target in view.targets:
        text = f"**{target.label}:** {target.text(view.unit)}"
        if not target.same_year:
            text += f" (gäller {target.period}, inte {year})"
        st.markdown(text)


def _genders(view: ov.CardView) -> None:
    if view.kvinnor and view.män:
        gap_unit = "procentenheter" if view.unit == "procent" else "antal"
        st.markdown(f"**Kvinnor** {view.kvinnor.text} · **Män** {view.män.text}  \n"
                    f"Kvinnor − män: **{view.gap_text}** ({gap_unit}, beräknat av verktyget)")
        return
    when = period_label(view.value.period) if view.value else ""
    st.markdown(f"**Kvinnor/män:** {MISSING}")
    st.caption(f"Inte publicerat per kön för {when}.")


def _related(view: ov.CardView) -> None:
    for other in view.related:
        if other.value is None:
            continue
        by_gender = (f"; kvinnor {other.kvinnor.text}, män {other.män.text}" if other.kvinnor and other.män else "")
        st.caption(f"Annat mått, jämförs inte: *{other.name}*: {other.value_text} "
                   f"{period_label(other.value.period)}{by_gender}. Definitionen står under Källor.")


def _sources(view: ov.CardView) -> None:
    with st.popover("Källor och definition", icon=":material/description:"):
        for one in [view, *view.related]:
            st.markdown(f"**{one.name}**  \n{one.definition}")
            for figure in one.figures():
                line = f"- {figure.what}: **{figure.text}** – {figure.source}, {figure.location}"
                if figure.note:
                    line += f"  \n  *Anmärkning:* {figure.note}"
                st.markdown(line)
        if view.previous is None and view.value is not None:
            st.caption(f"Förändring: {view.no_change_reason}. Bara perioder av samma längd jämförs.")


def _period_line(view: ov.CardView) -> str:
    if view.value is None:
        return f"Utfall: {MISSING}"
    text = f"Utfall **{period_label(view.value.period)}**"
    if view.previous is None:
        return text + f" · Förändring: {view.no_change_reason}"
    return text + f" · Förändring sedan {period_label(view.previous.period)} ({view.previous.text})"


def card(view: ov.CardView) -> None:
    """One card: value and change, target and status, kvinnor/män, sources and a link to the detail page."""
    c = view.card
    with st.container(border=True, height="stretch"):
        st.markdown(f"**{c.title}**", help=view.definition or None)
        colour, arrow = _delta_style(view)
        st.metric(c.title, view.value_text, delta=view.change_text or None, delta_color=colour, delta_arrow=arrow,
                  label_visibility="collapsed")
        st.caption(_period_line(view))
        if view.value and view.value.note:  # "närmare 50 procent", a period read from context …
            note = view.value.note
            st.caption(f":material/info: Anmärkning: {note}" if len(note) <= 90
                       else ":material/info: Anmärkning till utfallet under *Källor och definition*.")
        if c.show_definition:
            st.caption(f"**Definition:** {view.definition}")
        _targets(view)
        _status_line(view)
        _genders(view)
        _related(view)
        if c.note:
            st.caption(c.note)
        st.caption("Källa: " + labels.source_places(view.sources_frame()))
        with st.container(horizontal=True, vertical_alignment="center"):
            _sources(view)
            st.markdown(f"[{c.link_label} →]({c.link})")


def grid(cards: tuple[ov.Card, ...], obs: pd.DataFrame, info: pd.DataFrame, columns: int) -> None:
    for start in range(0, len(cards), columns):
        cols = st.columns(columns)
        for col, one in zip(cols, cards[start:start + columns], strict=False):
            with col:
                card(ov.build_view(one, obs, info))


st.title("Översikt")
glossary_popover(["KAA", "Kommunens aktivitetsansvar (KAA)", "Stockholmsjobb", "Aspirant", "Jobbtorg Stockholm",
                  "Feriejobb"], key="begrepp_sida")
st.write("Nämndens viktigaste resultat i korthet, för hela staden. Varje siffra anger sin källa och rad; där "
         "ingen siffra är publicerad står ”uppgift saknas”.")
with st.expander("Så läser du korten", icon=":material/help:"):
    st.markdown(
        "Varje kort visar det senaste publicerade utfallet för hela staden, målet för samma år, status, "
        "förändringen sedan föregående period av samma längd och kvinnor/män där det finns."
    )
    st.caption(ov.STATUS_RULE)
    st.caption(
        "**Förändring** är utfallet minus föregående utfall av samma mått för en lika lång period (helår mot helår, "
        "tolv månader mot tolv månader): i procentenheter för andelar och i antal för antal. Finns ingen sådan "
        "period står det. **Kvinnor − män** är skillnaden mellan de publicerade talen, beräknad av verktyget. "
        "Måttens definitioner står under *Källor och definition* på varje kort."
    )

measures = ov.card_measures()
observations = city_observations(measures)
facts = measure_facts(measures)

st.subheader("Resultat av insatserna")
grid(ov.RESULT_CARDS, observations, facts, columns=4)
st.subheader("Volymer och arbetsmarknaden")
grid(ov.VOLUME_CARDS, observations, facts, columns=3)

st.subheader("Jämfört med länet, riket och andra kommuner")
with st.container(key="jamforelse"):
    compared = jamforelse.comparisons(ui.comparable_measures(), ui.comparison_values, ui.dataset_titles())
    if not compared:
        st.caption(jamforelse.EMPTY)
    for view in compared:
        line = jamforelse.summary_of(view)
        gap = (f"Kvinnor − män i Stockholms stad: {line.gap} ({labels.COMPUTED})." if line.gap
               else f"Kvinnor och män i Stockholms stad: {MISSING}.")
        st.markdown(f"**{line.name}**, {line.period}: {line.text}. {gap}")
        with st.expander("Alla områden, kvinnor och män, över tiden", icon=":material/compare_arrows:"):
            st.plotly_chart(view.figure, width="stretch", config={"displaylogo": False}, key=f"jmf_{line.measure}")
            ui.table(view.table, is_demo=view.demo)
            for note in view.notes:
                st.caption(note)
            st.caption(f"Källa: {view.source}")
