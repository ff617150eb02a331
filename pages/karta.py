"""Karta: a measure by stadsdelsområde or stadsdel, with fokusområden, kön and an area profile."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.core import config, labels
from dashboard.core.numbers import MISSING
from dashboard.core.periods import period_label
from dashboard.figures import karta as figures
from dashboard.ui import map_cache, state
from dashboard.ui.glossary import glossary_popover
from dashboard.ui.share import share_bar
from dashboard.views.mapdata import (
    LEVEL_LABELS,
    profile_frames,
)
from geo.boundaries import GeoDataMissing

st.title("Karta")
glossary_popover(["Fokusområden", "Arbetsmarknadsinsatser", "Unik individ", "Stockholmsjobb", "Feriejobb", "OSA"],
                 key="begrepp_sida")

catalogue = map_cache.catalogue()
has_demo = bool(catalogue["is_demo"].any()) and config.demo_enabled()
DATA_LABELS = {"publicerat": "Publicerade siffror", "demo": "Demodata"}
state.bind("data", ["publicerat", "demo"] if has_demo else ["publicerat"], "publicerat", label="Data",
           format_func=DATA_LABELS.get)
controls = st.columns([1.2, 2.6, 1.4, 1.4])
data_choice = controls[0].radio(
    "Data", ["publicerat", "demo"] if has_demo else ["publicerat"], key="data", horizontal=False,
    format_func=DATA_LABELS.get,
)
is_demo = data_choice == "demo"
ui.demo_banner(is_demo)

names = map_cache.measure_names(is_demo)
preferred = [m for m in names.index if m.startswith(("arbetsloshet_ar2022", "demo_arbetsloshet_andel"))]
state.bind("matt", list(names.index), preferred[0] if preferred else names.index[0], label="Mått",
           format_func=names.get)
measure = controls[1].selectbox("Mått", list(names.index), key="matt", format_func=names.get)
rows = map_cache.catalogue_rows(is_demo, measure)
info = rows.iloc[0]

drawable = rows[rows["level"].isin(["stadsdelsomrade", "stadsdel", "rapportgrupp"])]
periods = list(dict.fromkeys(drawable.sort_values("period_start")["period"]))
state.bind("period", periods, periods[-1], label="Period", format_func=period_label)
period = controls[2].selectbox("Period", periods, key="period", format_func=period_label)
at_period = rows[rows["period"] == period]
day = pd.Timestamp(at_period["period_end"].iloc[0]).date()

levels = [lv for lv in ("stadsdelsomrade", "stadsdel") if
          lv in set(at_period["level"]) or (lv == "stadsdelsomrade" and "rapportgrupp" in set(at_period["level"]))]
state.bind("niva", levels, levels[0], label="Nivå", format_func=LEVEL_LABELS.get)
level = controls[3].radio("Nivå", levels, key="niva", format_func=LEVEL_LABELS.get)
if "stadsdel" not in levels:
    controls[3].caption("Inga uppgifter per stadsdel för det här måttet.")

options = st.columns([2.6, 1.3, 1.3, 1.3])
with options[0]:
    drawn = at_period[at_period["level"].isin([level, "rapportgrupp"] if level == "stadsdelsomrade" else [level])]
    kon = ui.gender_choice("kon", list(drawn["gender"].unique()), no_split=(
        f"Måttet är inte publicerat uppdelat på kvinnor och män per {LEVEL_LABELS[level].lower()}."))
groups = sorted(at_period["group"].unique(), key=lambda g: (g != "alla", g))
state.bind("grupp", groups, groups[0], label="Grupp")
group = options[1].selectbox("Grupp", groups, key="grupp", disabled=len(groups) == 1)
kinds = sorted(at_period["kind"].unique(), key=lambda k: (k != "utfall", k))
state.bind("slag", kinds, kinds[0], label="Slag")
kind = options[2].selectbox("Slag", kinds, key="slag", disabled=len(kinds) == 1)
state.bind("fokus", ["1", "0"], "1", label="Fokusområden")
highlight = options[3].toggle("Fokusområden", value=st.session_state["fokus"] == "1",
                             help="Framhäv Järva, Farsta, Hagsätra-Rågsved och Skärholmen med tjock svart kontur.")
st.session_state["fokus"] = "1" if highlight else "0"

base = info["population_base"] if pd.notna(info["population_base"]) and info["population_base"] else ""
try:
    view = map_cache.map_view(measure, period, day, kind, group, level, kon, is_demo, highlight, base)
except GeoDataMissing as missing_geo:
    st.error(str(missing_geo))
    st.stop()
observed, unit, city_text, polygons, version = view.observed, view.unit, view.city_text, view.polygons, view.version

title = f"{info['name']}, {labels.GENDER_CHOICES[kon].lower()}, {period_label(period)}"
st.subheader(title + (f" – {ui.DEMO_LABEL}" if is_demo else ""))
map_column, side = st.columns([3, 1])
with map_column:
    event = st.plotly_chart(view.figure, key="kartan", on_select="rerun", selection_mode=("points",),
                            config={"displaylogo": False, "scrollZoom": True})
with side:
    st.markdown(f"**Definition:** {info['definition'] if pd.notna(info['definition']) else MISSING}")
    st.markdown(f"**Befolkningsbas:** {base or 'anges inte i källan'}")
    st.markdown(f"**Staden:** {city_text}")
    until = version["valid_to"].isoformat() if version["valid_to"] else "i dag"
    st.caption(f"Gränser: {version['areas']} stadsdelsområden, indelningen som gällde "
               f"{version['valid_from'].isoformat() if version['valid_from'] else ''} – {until}.")
    if kon == "skillnad":
        st.caption("Skillnaden kvinnor − män är beräknad av verktyget ur de publicerade värdena.")
    if view.units is not None and not view.units.empty:
        st.markdown("**Enheter som inte är platser** (ritas inte):")
        ui.table(view.units, is_demo=is_demo)
    if view.missing:
        st.caption(f"Grått = {MISSING} ({len(view.missing)} av {len(polygons['features'])} områden).")
if view.sources is not None:
    st.caption("Källa: " + view.sources)

# The accessible alternative: the same numbers as a table.
area_names = [f["id"] for f in polygons["features"]]
with st.expander("Tabell med samma siffror", expanded=False):
    ui.table(view.table, is_demo=is_demo)
    ui.download_table(view.table, f"karta_{measure}_{period}_{kon}.csv", is_demo=is_demo, key="karta_csv",
                      deferred=True, context={
                          "Mått": info["name"], "Period": period_label(period), "Kön": labels.GENDER_CHOICES[kon],
                          "Dataset": view.datasets})

# Fokusområdena against each other and the city.
st.subheader("Jämför fokusområdena")
ui.table(view.comparison, is_demo=is_demo)
if view.sources is not None:
    st.caption("Källa: " + view.sources)
ui.download_table(view.comparison, f"fokusomraden_{measure}_{period}_{kon}.csv", is_demo=is_demo, key="fokus_csv",
                  deferred=True, context={
                      "Mått": info["name"], "Period": period_label(period), "Kön": labels.GENDER_CHOICES[kon],
                      "Dataset": view.datasets})
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
    st.plotly_chart(figures.profile_chart(over_time, area, unit, demo=is_demo), key="profil")
    ui.sources_caption(profile_rows)
    st.markdown(f"**Alla mått för {area}**")
    if others.empty:
        st.caption(f"Inga andra mått för {area} i {'demodata' if is_demo else 'de publicerade siffrorna'}.")
    else:
        ui.table(others)  # each row labelled by its own data set

state.publish("data", "matt", "period", "niva", "kon", "grupp", "slag", "fokus", "omrade")
share_bar("karta")
