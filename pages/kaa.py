"""KAA-tratten: unga 16–19 år i det kommunala aktivitetsansvaret, från registret till arbete och studier."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import labels, state, ui
from dashboard.figures import kaa
from dashboard.glossary_ui import glossary_popover
from dashboard.numbers import MISSING, format_gap, format_value, printed_values
from dashboard.periods import period_label
from dashboard.share_ui import share_bar
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


def _pct(value: float, decimals: int | None = None, qualifier: object = None) -> str:
    return format_value(value, "procent", decimals, qualifier)


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
    funnel_genders = obs[obs["period"].isin(kaa.PERIOD_SETS[choice or "ar"])
                         & obs["measure"].isin([s.count for s in kaa.STEPS])]["gender"]
    kon = ui.gender_choice("kon", sorted(set(funnel_genders)))
state.publish("jmf", "kon")

periods = kaa.PERIOD_SETS[choice or "ar"]
table = kaa.funnel_table(obs, periods)
series = ("kvinnor", "män") if kon == "skillnad" else (kon,)
shown = obs[obs["period"].isin(periods) & (obs["kind"] == "utfall")
            & obs["measure"].isin([m for s in kaa.STEPS for m in (s.count, s.share) if m])]

st.subheader("Tratten " + " och ".join(kaa.short_period(p) for p in periods))
if kon == "skillnad":
    st.caption("Kvinnor och män sida vid sida. Skillnaden i procentenheter står i tabellen under diagrammet.")
fig = kaa.funnel_figure(table, series, periods, demo=bool(obs["is_demo"].any()))
st.plotly_chart(fig, width="stretch", config={"displaylogo": False})
st.caption(
    "Efter antalet står andelen kvar av föregående steg (uppsökta av omfattade, nådda av uppsökta, inskrivna av "
    "nådda, avslutade av inskrivna; till arbete och till studier av avslutade). "
    f"**{MARK} = beräknat av verktyget** ur de publicerade antalen; en andel utan {MARK} "
    f"är publicerad i rapporten. Där inget tal är publicerat står ”{MISSING}” och ingen stapel ritas."
)
ui.sources_caption(shown)
noted_here = shown[shown["note"].notna() & (shown["note"] != "")]
if not noted_here.empty:
    st.caption(f"⚠️ {len(noted_here)} av talen ovan har en anmärkning (till exempel att rapporten inte stämmer "
               "med sig själv). Se *Anmärkningar till siffrorna* längst ner.")

# Which steps are published by kön, said plainly.
split = table[(table["gender"] == "kvinnor") & table["count"].notna()]
with_split, without = [], []
for step in kaa.STEPS:
    name = step.label[0].lower() + step.label[1:]
    found = [p for p in periods if p in set(split[split["step"] == step.key]["period"])]
    if not found:
        without.append(name)
    else:
        with_split.append(name if len(found) == len(periods) else f"{name} (bara {kaa.short_period(found[0])})")
if without:
    st.info(f"Publicerat per kön: {', '.join(with_split) or 'inget steg'}. "
            f"Inte publicerat per kön: {', '.join(without)}.")

st.subheader("Tratten i siffror")
rows = table[table["gender"].isin(["totalt", *series])] if kon != "skillnad" else table
out = pd.DataFrame({
    "Period": [period_label(p) for p in rows["period"]],
    "Kön": [labels.GENDERS[g] for g in rows["gender"]],
    "Steg": rows["label"],
    "Antal": [format_value(v, "antal") for v in rows["count"]],
    "Andel av föregående steg (publicerad)": [
        _pct(v) if pd.notna(v) else ("" if s == "omfattade" else MISSING)
        for v, s in zip(rows["share_published"], rows["step"], strict=True)],
    "Andel av föregående steg (beräknat av verktyget)": [
        _pct(v, 1) if pd.notna(v) else ("" if s == "omfattade" else MISSING)
        for v, s in zip(rows["share_computed"], rows["step"], strict=True)],
    "Källa": rows["source"].replace("", MISSING),
    "Var i källan": rows["source_location"],
})
ui.table(out, is_demo=bool(obs["is_demo"].any()))
ui.download_table(out, f"kaa_tratten_{choice}.csv", is_demo=bool(obs["is_demo"].any()), key="dl_tratt", context={
    "Mått": "KAA-tratten: antal per steg och andel av föregående steg",
    "Period": ui.periods_text(obs[obs["period"].isin(periods)]), "Kön": labels.GENDER_CHOICES[kon],
    "Dataset": ui.dataset_names(obs[obs["period"].isin(periods)])})

st.subheader("Kvinnor och män")
gaps = kaa.gap_table(kaa.funnel_table(obs, periods, ("kvinnor", "män")))
kon_rows = obs[obs["period"].isin(periods) & obs["gender"].isin(["kvinnor", "män"])]
gap_out = pd.DataFrame({
    "Period": [period_label(p) for p in gaps["period"]],
    "Steg": gaps["label"],
    "Kvinnor": [_pct(v, 1, q) for v, q in zip(gaps["kvinnor"], gaps["kvinnor_qualifier"], strict=True)],
    "Män": [_pct(v, 1, q) for v, q in zip(gaps["män"], gaps["män_qualifier"], strict=True)],
    "Skillnad kvinnor − män (procentenheter, beräknat av verktyget)": [
        format_gap(v, "procentenheter", 1, a) for v, a in zip(gaps["gap"], gaps["approximate"], strict=True)],
    "Källa": [ui.source_text(kon_rows[kon_rows["period"] == p]) for p in gaps["period"]],
})
gap_out = gap_out[gaps["step"] != "omfattade"]
st.write("Andelen kvar av föregående steg för kvinnor och män, och skillnaden mellan dem. "
         "Andelarna och skillnaden är beräknade av verktyget ur de publicerade antalen per kön.")
ui.table(gap_out, is_demo=bool(kon_rows["is_demo"].any()))
ui.download_table(gap_out, f"kaa_kon_{choice}.csv", is_demo=bool(obs["is_demo"].any()), key="dl_kon", context={
    "Mått": "KAA-tratten: andel kvar av föregående steg", "Period": ui.periods_text(kon_rows),
    "Kön": "Kvinnor och män", "Dataset": ui.dataset_names(kon_rows)})
ui.sources_caption(kon_rows)
shares_by_kön = kaa.published_gender_gaps(obs[obs["measure"] != "kaa_omfattade_andel_kon"])
if not shares_by_kön.empty:
    st.write("Publicerade andelar per kön för övergångarna (ur indikatortabellerna):")
    shares_out = pd.DataFrame({
        "Mått": shares_by_kön["measure_name"],
        "Period": [period_label(p) for p in shares_by_kön["period"]],
        "Kvinnor": [_pct(v, None, q) for v, q in zip(shares_by_kön["kvinnor"], shares_by_kön["kvinnor_qualifier"],
                                                     strict=True)],
        "Män": [_pct(v, None, q) for v, q in zip(shares_by_kön["män"], shares_by_kön["män_qualifier"], strict=True)],
        "Skillnad kvinnor − män (procentenheter, beräknat av verktyget)": [
            format_gap(v, "procentenheter", 1, a) for v, a in zip(shares_by_kön["gap"], shares_by_kön["approximate"],
                                                                  strict=True)],
        "Källa": shares_by_kön["source"],
        "Var i källan": shares_by_kön["source_location"],
    })
    ui.table(shares_out, is_demo=bool(obs["is_demo"].any()))
    ui.download_table(shares_out, "kaa_andelar_per_kon.csv", is_demo=bool(obs["is_demo"].any()), key="dl_andel_kon",
                      context={"Mått": ui.measures_text(shares_by_kön), "Period": ui.periods_text(shares_by_kön),
                               "Kön": "Kvinnor och män", "Dataset": ui.dataset_names(obs)})
register = obs[(obs["measure"] == "kaa_omfattade_andel_kon") & obs["period"].isin(periods)]
if not register.empty:
    parts = ", ".join(f"{g} {_pct(v, None, q)}" for g, v, q in
                      zip(register["gender"], register["value"], register["qualifier"], strict=True))
    st.caption(f"Publicerad andel av dem i registret {', '.join(dict.fromkeys(register['period']))}: {parts} "
               f"({register['source'].iat[0]}, {', '.join(dict.fromkeys(register['source_location']))}).")

st.subheader("Mål: andel till arbete och till studier efter åtgärd")
st.write("Publicerade andelar av de avslutade som gått till arbete respektive studier, och nämndens och "
         "kommunfullmäktiges mål där de finns.")
st.plotly_chart(kaa.targets_figure(obs, demo=bool(obs["is_demo"].any())), width="stretch",
                config={"displaylogo": False})
target_rows = pd.concat([kaa.targets_frame(obs, g).assign(goal=g) for g in ("arbete", "studier")])
target_out = pd.DataFrame({
    "Till": target_rows["goal"].map({"arbete": "Arbete", "studier": "Studier"}),
    "Period": [period_label(p) for p in target_rows["period"]],
    "Slag": target_rows["kind"].map(kaa.KIND_LABELS),
    "Kön": [labels.GENDERS[g] for g in target_rows["gender"]],
    "Värde": printed_values(target_rows),
    "Mått": target_rows["measure_name"],
    "Källa": target_rows["source"],
    "Var i källan": target_rows["source_location"],
})
ui.table(target_out, is_demo=bool(obs["is_demo"].any()))
ui.download_table(target_out, "kaa_mal.csv", is_demo=bool(obs["is_demo"].any()), key="dl_mal", context={
    "Mått": ui.measures_text(target_rows), "Period": ui.periods_text(target_rows),
    "Kön": ui.genders_text(target_rows), "Dataset": ui.dataset_names(obs)})
ui.sources_caption(target_rows)

noted = obs[obs["note"].notna() & (obs["note"] != "")]
with st.expander(f"Anmärkningar till siffrorna ({len(noted)})", expanded=False):
    st.write("Här står det som är särskilt med enskilda tal: där rapporten inte stämmer med sig själv, där "
             "texten säger ”cirka” eller ”närmare”, och hur en period har tolkats.")
    notes_out = pd.DataFrame({
        "Mått": noted["measure_name"],
        "Period": [period_label(p) for p in noted["period"]],
        "Kön": [labels.GENDERS[g] for g in noted["gender"]],
        "Tryckt": printed_values(noted),
        "Anmärkning": noted["note"],
        "Källa": noted["source"],
        "Var i källan": noted["source_location"],
    })
    ui.table(notes_out, is_demo=noted["is_demo"])
    ui.download_table(notes_out, "kaa_anmarkningar.csv", is_demo=bool(obs["is_demo"].any()), key="dl_anm", context={
        "Mått": ui.measures_text(noted), "Period": ui.periods_text(noted), "Kön": ui.genders_text(noted),
        "Dataset": ui.dataset_names(noted)})
share_bar("kaa", ["jmf", "kon"])
