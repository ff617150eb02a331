"""Stockholmsjobb: volumes, results three months after, the 2018 cohort and the places per stadsdelsnämnd."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.core import labels
from dashboard.core.numbers import MISSING, format_value
from dashboard.core.periods import period_label
from dashboard.figures import followup as fig
from dashboard.ui import state
from dashboard.ui.followup import load, table_with_download
from dashboard.ui.glossary import glossary_popover
from dashboard.ui.share import share_bar
from queries import followup

VOLUMES = fig.STHLMSJOBB_VOLUMES
OUTCOME = fig.STHLMSJOBB_OUTCOME
OUTCOME_TARGETS = fig.STHLMSJOBB_OUTCOME_TARGETS  # VP 2026's indicator for the same result
OUTCOMES_BY_TYPE = ["sthlmsjobb_yrkeskurs_andel_arbete_studier_3man",
                    "sthlmsjobb_serviceassistenter_andel_arbete_studier_3man",
                    "sthlmsjobb_serviceassistenter_avslutade_arbete_studier_3man",
                    "sthlmsjobb_serviceassistenter_avslutade", "sthlmsjobb_arbetslag_andel_arbete_studier_3man",
                    "sthlmsjobb_arbetslag_avslutade_arbete_studier_3man", "sthlmsjobb_arbetslag_avslutade",
                    "sthlmsjobb_ungdomsanstallning_andel_arbete_studier_3man"]
KINDS_OF_JOBS = ["sthlmsjobb_andel_yrkeskurs", "sthlmsjobb_serviceassistenter",
                 "sthlmsjobb_serviceassistenter_paborjade", "sthlmsjobb_arbetslag_introjobb",
                 "sthlmsjobb_arbetslag_introjobb_paborjade", "sthlmsjobb_arbetslag", "sthlmsjobb_arbetslag_paborjade",
                 "sthlmsjobb_ungdomsanstallning"]
INDICATORS = ["ind_aspiranter_stockholmsjobb", "ind_platser_stockholmsjobb",
              "ind_arbete_studier_3_man_efter_stockholmsjobb", "ind_arbete_studier_3_man_efter_serviceassistent"]
COHORT_WORK = ["jobbtorg_kohort_forvarvsarbete_1ar_efter_avslut", "jobbtorg_kohort_forvarvsarbete_2ar_efter_avslut"]
COHORT_AID = ["jobbtorg_kohort_ekbistand_1ar_fore_inskrivning", "jobbtorg_kohort_ekbistand_2ar_efter_inskrivning",
              "jobbtorg_kohort_ekbistand_2ar_efter_avslut", "jobbtorg_kohort_ekbistand_minskning_2ar"]
BUDGET = "sthlmsjobb_sdn_budget_anstallningar"
SHORT = fig.SHORT_NAMES
# Glossary terms used on the page.
TERMS = ["Stockholmsjobb", "Aspirant", "Jobbtorg Stockholm", "Jobbspår Stockholmsjobb", "Serviceassistent",
         "Arbetslagsanställning", "Introjobb", "Ungdomsanställning"]


def one(frame: pd.DataFrame, measure: str, period: str, kind: str = "utfall") -> pd.Series | None:
    rows = frame[(frame["measure"] == measure) & (frame["period"] == period) & (frame["kind"] == kind)
                 & (frame["gender"] == "totalt")]
    return rows.iloc[0] if len(rows) else None


def metric(frame: pd.DataFrame, label: str, measure: str, period: str, kind: str = "utfall") -> None:
    row = one(frame, measure, period, kind)
    value = MISSING if row is None else fig.shown_value(row["value"], row["unit"], row["printed"], row.get("qualifier"))
    where = "" if row is None else f"Källa: {row['source']}, {row['source_location']}"
    st.metric(label, value, help=where or None)


st.title("Stockholmsjobb")
glossary_popover(TERMS, key="begrepp_sida")
all_rows = load(VOLUMES + [OUTCOME] + OUTCOME_TARGETS + OUTCOMES_BY_TYPE + KINDS_OF_JOBS + INDICATORS
                + COHORT_WORK + COHORT_AID + [BUDGET])
ui.demo_banner(bool(all_rows["is_demo"].any()))
definition = followup.glossary_entries(["Stockholmsjobb"])
if not definition.empty:
    first = definition.iloc[0]
    st.write(first["definition"])
    st.caption(f"Definition: {first['source']} ({first['source_location']})")

split = sorted(set(all_rows.loc[all_rows["gender"] != "totalt", "measure_name"]))
st.info(
    "**Kön.** Arbetsmarknadsrapport 2022 och tertialrapportens text redovisar Stockholmsjobb utan uppdelning på "
    "kvinnor och män – volymerna, resultatet efter tre månader, yrkeskurserna, serviceassistenterna, "
    "arbetslagen och uppföljningen av 2018 års aspiranter finns bara för totalt. "
    + (f"Uppdelat på kvinnor och män finns bara indikatorerna: {'; '.join(split)} (se avsnittet Per kön)."
       if split else "Inga Stockholmsjobbsiffror är publicerade per kön.")
)

# --- Volymer ---
st.header("Volymer")
volumes = all_rows[all_rows["measure"].isin(VOLUMES)]
c1, c2, c3, c4 = st.columns(4)
with c1:
    metric(volumes, "Aspiranter med Stockholmsjobb 2022", "sthlmsjobb_aspiranter", "2022")
with c2:
    metric(volumes, "Mål 2022", "sthlmsjobb_aspiranter", "2022", "mål")
with c3:
    metric(volumes, "Finansierade av nämnden 2022", "sthlmsjobb_finansierade_namnden", "2022")
with c4:
    metric(volumes, "Startade Stockholmsjobb 2022", "sthlmsjobb_startade", "2022")

st.plotly_chart(fig.volumes_figure(volumes), width="stretch")
total = one(volumes, "sthlmsjobb_aspiranter", "2022")
own = one(volumes, "sthlmsjobb_finansierade_namnden", "2022")
if total is not None and own is not None:
    st.write(
        f"Av {format_value(total['value'], 'antal')} aspiranter 2022 finansierades "
        f"{format_value(own['value'], 'antal')} av arbetsmarknadsnämnden och resten av stadsdelsnämnderna. "
        f"Antalet som stadsdelsnämnderna finansierade är inte tryckt (uppgift saknas); skillnaden är "
        f"{format_value(total['value'] - own['value'], 'antal')} ({labels.COMPUTED} ur de två publicerade talen)."
    )
st.caption("Perioderna skiljer sig: helår, januari–mars och tertial 1 (januari–april) är inte jämförbara rakt av.")
table_with_download(volumes, "stockholmsjobb_volymer")

# --- Resultat tre månader efter avslut ---
st.header("I arbete eller studier tre månader efter avslut")
outcome = all_rows[all_rows["measure"].isin([OUTCOME] + OUTCOME_TARGETS)]
st.plotly_chart(fig.outcome_figure(outcome), width="stretch")
st.caption(
    "Målen är ritade som linjer, vart och ett med sitt år och sin källa. VP 2026:s mål gäller indikatorn "
    "”Andel kvinnor och män som arbetar eller studerar, tre månader efter avslutat Stockholmsjobb”."
    if (outcome["measure"].isin(OUTCOME_TARGETS)).any() else
    "Verksamhetsplanen för 2026 finns inte i databasen; dess mål visas därför inte."
)
table_with_download(outcome, "stockholmsjobb_resultat_3_manader")
with st.expander("Resultat per typ av Stockholmsjobb (serviceassistenter, arbetslag, ungdomsanställning, yrkeskurs)"):
    table_with_download(all_rows[all_rows["measure"].isin(OUTCOMES_BY_TYPE)], "stockholmsjobb_resultat_per_typ")

# --- Yrkeskurs, serviceassistenter, arbetslag och introjobb ---
st.header("Yrkeskurs, serviceassistenter, arbetslag och introjobb")
kinds = all_rows[all_rows["measure"].isin(KINDS_OF_JOBS)]
left, right = st.columns([1, 2])
with left:
    share = kinds[kinds["measure"] == "sthlmsjobb_andel_yrkeskurs"].sort_values("period_start")
    share = share.assign(Period=[fig.axis_label(p) for p in share["period"]])
    st.plotly_chart(fig.bar_chart(share, x="Period", series=None, unit="procent", height=520,
                                  title="Andel kombinerade med yrkeskurs",
                                  source=fig.chart_source(share)), width="stretch")
with right:
    people = kinds[kinds["unit"] == "antal"].sort_values("period_start")
    people = people.assign(Period=[fig.axis_label(p) for p in people["period"]])
    st.plotly_chart(fig.bar_chart(people, x="Period", series="measure_name", unit="antal", height=520,
                                  title="Personer per typ av anställning", source=fig.chart_source(people)),
                    width="stretch")
st.caption("Arbetslag och introjobb räknas tillsammans 2022 men arbetslag för sig i tertial 1 2021: olika mått.")
table_with_download(kinds, "stockholmsjobb_typer")

# --- Per kön ---
st.header("Per kön")
gendered = all_rows[all_rows["measure"].isin(INDICATORS)]
choice = ui.gender_choice("kon", list(gendered["gender"].unique()))
state.publish("kon")
gaps = fig.gender_gaps(gendered)
if gaps.empty:
    st.write("Inga Stockholmsjobbsiffror är publicerade per kön.")
else:
    # Two to a row, so that neither the names nor the values ("7,14 procentenheter") are cut off.
    for start in range(0, len(gaps), 2):
        for column, (_, row) in zip(st.columns(2), gaps.iloc[start:start + 2].iterrows(), strict=False):
            if choice == "skillnad":
                shown, whose = fig.gap_value(row), f"kvinnor − män ({labels.COMPUTED})"
            else:
                shown = fig.shown_value(row[choice], row["unit"], row[f"{choice}_printed"],
                                        row.get(f"{choice}_qualifier"))
                whose = labels.GENDER_CHOICES[choice].lower()
            label = f"{row['measure_name']}, {period_label(row['period'])} – {whose}"
            column.caption(label)  # wraps; a metric's own label is cut at one line
            column.metric(label, shown, help=f"Källa: {row['source']} ({row['source_location']})",
                          label_visibility="collapsed")
    ui.table(fig.gap_table(gaps), is_demo=bool(gendered["is_demo"].any()))
    st.caption(f"Skillnaden kvinnor − män är {labels.COMPUTED} ur de publicerade talen (procentenheter för andelar).")
with st.expander("Indikatorer och mål för Stockholmsjobb (alla rader)"):
    table_with_download(gendered, "stockholmsjobb_indikatorer")

# --- 2018 års aspiranter ---
st.header("Långsiktig uppföljning: aspiranter aktuella 2018")
st.write("Utvärdering med underlag från SCB av aspiranter på Jobbtorg Stockholm som var aktuella 2018, per typ av "
         "avslut. Inte uppdelad på kön.")
cohort = all_rows[all_rows["measure"].isin(COHORT_WORK + COHORT_AID)]
by_exit = cohort[cohort["measure"].isin(COHORT_WORK + ["jobbtorg_kohort_ekbistand_2ar_efter_avslut"])]
exits = list(dict.fromkeys(by_exit["group"]))
grid = pd.MultiIndex.from_product([COHORT_WORK + ["jobbtorg_kohort_ekbistand_2ar_efter_avslut"], exits],
                                  names=["measure", "group"]).to_frame(index=False)
grid = grid.merge(by_exit[["measure", "group", "value"]], how="left")  # a missing cell stays NaN
grid["Serie"] = grid["measure"].map(SHORT)
grid["Typ av avslut"] = [g[:1].upper() + g[1:] for g in grid["group"]]
st.plotly_chart(fig.bar_chart(grid, x="Typ av avslut", series="Serie", unit="procent", height=460,
                              title="Förvärvsarbete och ekonomiskt bistånd efter avslut, per typ av avslut",
                              source=fig.chart_source(by_exit)), width="stretch")
before = one(cohort, "jobbtorg_kohort_ekbistand_1ar_fore_inskrivning", "2018")
after = one(cohort, "jobbtorg_kohort_ekbistand_2ar_efter_inskrivning", "2018")
b1, b2 = st.columns(2)
b1.metric("Ekonomiskt bistånd ett år före inskrivning", MISSING if before is None else
          fig.shown_value(before["value"], "procent", before["printed"], before.get("qualifier")))
b2.metric("Ekonomiskt bistånd två år efter inskrivning", MISSING if after is None else
          fig.shown_value(after["value"], "procent", after["printed"], after.get("qualifier")))
table_with_download(cohort, "stockholmsjobb_kohort_2018")

# --- Budgeterade platser per stadsdelsnämnd ---
st.header("Budgeterade Stockholmsjobb per stadsdelsnämnd 2022")
budget = all_rows[(all_rows["measure"] == BUDGET) & (all_rows["period"] == "2022")].sort_values("value",
                                                                                                  ascending=False)
# Every stadsdelsområde of 2022 gets a row: one without a published figure says "uppgift saknas".
districts = ui.memberships_at(date(2022, 12, 31), "stadsdel", "stadsdelsomrade")["parent"].unique()
drawn = pd.concat([budget, pd.DataFrame({"area": sorted(set(districts) - set(budget["area"])),
                                         "value": float("nan")})], ignore_index=True)
st.plotly_chart(fig.bar_chart(drawn, x="area", series=None, unit="antal", horizontal=True,
                              height=120 + 32 * len(drawn), title="Budgeterade Stockholmsjobb 2022",
                              source=fig.chart_source(budget)), width="stretch")
st.caption("Enheten för hemlösa är en enhet, inte ett område, och syns därför inte på kartan.")
st.markdown(f"[Visa samma mått på kartan](/karta?matt={BUDGET}&period=2022&niva=stadsdelsomrade)")
table_with_download(budget, "stockholmsjobb_budget_stadsdelsnamnder")

# --- Dela ---
st.divider()
state.bind("diagram", list(fig.STHLMSJOBB_CHARTS), "resultat", label="Diagram att dela",
           format_func=fig.STHLMSJOBB_CHARTS.get)
st.segmented_control("Diagram att dela", list(fig.STHLMSJOBB_CHARTS), key="diagram", required=True,
                     format_func=fig.STHLMSJOBB_CHARTS.get)
state.publish("diagram")
share_bar("stockholmsjobb", ["kon", "diagram"])
