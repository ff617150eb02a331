"""Karta: a measure by stadsdelsområde or stadsdel, with fokusområden, kön and an area profile."""

from __future__ import annotations

import streamlit as st

from dashboard import ui
from dashboard.core import config
from dashboard.core.numbers import MISSING
from dashboard.core.periods import period_label
from dashboard.figures import karta as figures
from dashboard.ui import map_cache, state
from dashboard.ui.glossary import glossary_popover
from dashboard.ui.share import share_bar
from dashboard.views import karta
from dashboard.views.context import Download
from dashboard.views.mapdata import LEVEL_LABELS, profile_frames
from geo.boundaries import GeoDataMissing


def download(file: Download) -> None:
    """CSV and Excel of a table of the view, made when asked for (the map reruns often)."""
    ui.download_table(file.table, file.file_name, is_demo=file.is_demo, key=file.key, deferred=True,
                      context=file.context)


st.title("Karta")
glossary_popover(["Fokusområden", "Arbetsmarknadsinsatser", "Unik individ", "Stockholmsjobb", "Feriejobb", "OSA"],
                 key="begrepp_sida")

catalogue = map_cache.catalogue()
data_options = karta.data_options(catalogue, config.demo_enabled())
state.bind("data", data_options, "publicerat", label="Data", format_func=karta.DATA_LABELS.get)
controls = st.columns([1.2, 2.6, 1.4, 1.4])
is_demo = controls[0].radio("Data", data_options, key="data", format_func=karta.DATA_LABELS.get) == "demo"
ui.demo_banner(is_demo)

names = map_cache.measure_names(is_demo)
state.bind("matt", list(names.index), karta.default_measure(names), label="Mått", format_func=names.get)
measure = controls[1].selectbox("Mått", list(names.index), key="matt", format_func=names.get)
rows = map_cache.catalogue_rows(is_demo, measure)

periods = karta.period_options(rows)
state.bind("period", periods, periods[-1], label="Period", format_func=period_label)
period = controls[2].selectbox("Period", periods, key="period", format_func=period_label)
at_period = rows[rows["period"] == period]

levels = karta.level_options(at_period)
state.bind("niva", levels, levels[0], label="Nivå", format_func=LEVEL_LABELS.get)
level = controls[3].radio("Nivå", levels, key="niva", format_func=LEVEL_LABELS.get)
if "stadsdel" not in levels:
    controls[3].caption("Inga uppgifter per stadsdel för det här måttet.")

options = st.columns([2.6, 1.3, 1.3, 1.3])
with options[0]:
    kon = ui.gender_choice("kon", karta.kon_options(karta.drawn_rows(at_period, level)),
                           no_split=karta.no_split_text(level))
groups = karta.group_options(at_period)
state.bind("grupp", groups, groups[0], label="Grupp")
group = options[1].selectbox("Grupp", groups, key="grupp", disabled=len(groups) == 1)
kinds = karta.kind_options(at_period)
state.bind("slag", kinds, kinds[0], label="Slag")
kind = options[2].selectbox("Slag", kinds, key="slag", disabled=len(kinds) == 1)
state.bind("fokus", ["1", "0"], "1", label="Fokusområden")
highlight = options[3].toggle("Fokusområden", value=st.session_state["fokus"] == "1",
                             help="Framhäv Järva, Farsta, Hagsätra-Rågsved och Skärholmen med tjock svart kontur.")
st.session_state["fokus"] = "1" if highlight else "0"

try:
    view = map_cache.map_view(measure, period, level, kon, group, kind, st.session_state["fokus"], is_demo)
except GeoDataMissing as missing_geo:
    st.error(str(missing_geo))
    st.stop()
choice = view.choice

st.subheader(view.title + (f" – {ui.DEMO_LABEL}" if is_demo else ""))
map_column, side = st.columns([3, 1])
with map_column:
    event = st.plotly_chart(view.figure, key="kartan", on_select="rerun", selection_mode=("points",),
                            config={"displaylogo": False, "scrollZoom": True})
with side:
    st.markdown(f"**Definition:** {choice.definition or MISSING}")
    st.markdown(f"**Befolkningsbas:** {choice.base or 'anges inte i källan'}")
    st.markdown(f"**Staden:** {view.city_text}")
    st.caption(view.boundaries_text())
    if kon == "skillnad":
        st.caption(karta.COMPUTED_GAP)
    if view.units is not None and not view.units.empty:
        st.markdown("**Enheter som inte är platser** (ritas inte):")
        ui.table(view.units, is_demo=is_demo)
    if view.missing:
        st.caption(f"Grått = {MISSING} ({len(view.missing)} av {len(view.area_names)} områden).")
if view.sources is not None:
    st.caption("Källa: " + view.sources)

# The accessible alternative: the same numbers as a table.
area_names = view.area_names
with st.expander("Tabell med samma siffror", expanded=False):
    ui.table(view.table, is_demo=is_demo)
    download(view.table_download)

# Fokusområdena against each other and the city.
st.subheader("Jämför fokusområdena")
ui.table(view.comparison, is_demo=is_demo)
if view.sources is not None:
    st.caption("Källa: " + view.sources)
download(view.comparison_download)
st.caption("Där måttet inte finns per fokusområde visas värdet för det eller de stadsdelsområden som "
           "fokusområdet ligger i – inte för fokusområdet självt.")

# Area profile: chosen in the list, or by clicking the map.
points = (event or {}).get("selection", {}).get("points", []) if event else []
clicked = next((p.get("location") for p in points if p.get("location")), None)
if clicked and clicked in area_names and clicked != st.session_state.get("_last_click"):
    st.session_state["_last_click"] = clicked
    st.session_state["omrade"] = clicked
state.bind("omrade", ["", *area_names], "", label="Område", format_func=lambda a: a or "inget område")
st.subheader("Områdesprofil")
area = st.selectbox("Område (eller klicka på kartan)", ["", *area_names], key="omrade",
                    format_func=lambda a: a or "Välj ett område")
if area:
    profile_rows = ui.observations_of(measure, kinds=(kind,), groups=(group,), area_names=(area, "Stockholms stad"),
                                      area_levels=(level, "stad"))
    profile_rows = profile_rows[profile_rows["is_demo"] == is_demo]
    over_time, others = profile_frames(
        profile_rows,
        ui.observations_of(area_names=(area,), area_levels=(level,)), area, kon, measure, demo=is_demo)
    st.plotly_chart(figures.profile_chart(over_time, area, view.unit, demo=is_demo), key="profil")
    ui.sources_caption(profile_rows)
    st.markdown(f"**Alla mått för {area}**")
    if others.empty:
        st.caption(f"Inga andra mått för {area} i {'demodata' if is_demo else 'de publicerade siffrorna'}.")
    else:
        ui.table(others)  # each row labelled by its own data set

state.publish("data", "matt", "period", "niva", "kon", "grupp", "slag", "fokus", "omrade")
share_bar("karta")
