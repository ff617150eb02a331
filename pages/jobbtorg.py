"""Jobbtorg Stockholm: inskrivna per målgrupp and kön, unika individer, avslut till arbete eller studier."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.core import labels
from dashboard.core.numbers import MISSING
from dashboard.core.periods import period_label
from dashboard.figures import followup as fig
from dashboard.ui import state
from dashboard.ui.followup import load, table_with_download
from dashboard.ui.glossary import glossary_popover
from dashboard.ui.share import share_bar
from queries import followup

ENROLLED = fig.JOBBTORG_ENROLLED
UNIQUE = fig.JOBBTORG_UNIQUE
EXITS = "jobbtorg_andel_avslutade_arbete_studier"
EXIT_TARGETS = ["ind_avslutade_jobbtorg_arbete_studier"]  # VP 2026's indicator for the same result
INDICATORS = ["ind_avslutade_jobbtorg_arbete_studier", "ind_avslutade_jobbtorg_18_29_arbete_studier",
              "ind_avslutade_jobbtorg_arbete_studier_inom_12_man", "ind_avslutade_jobbtorg_exkl_ateremitterade_12_man",
              "ind_sjalvforsorjande_6_man_efter_jobbtorg", "ind_handlingsplan_inom_5_dagar",
              "ind_inskrivningstid_jobbtorg", "ind_inskrivningstid_unga_18_29", "ind_delaktiga_planering_jobbtorg",
              "ind_upplever_okade_mojligheter_jobbtorg"]
SPANS = fig.JOBBTORG_SPANS
# Glossary terms used on the page (målgrupperna included).
TERMS = ["Jobbtorg Stockholm", "Aspirant", "Unik individ", "Stockholmsjobb", "KAA", "Övriga målgrupper"]


def pivot(frame: pd.DataFrame) -> pd.DataFrame:
    """Målgrupp × (period, kön) with the values as printed; the gap column is computed and says so."""
    gaps = fig.gender_gaps(frame).set_index(["measure", "group", "period"])
    rows = []
    for (measure, group), cells in frame.groupby(["measure", "group"], sort=False):
        label = {"alla": "Totalt inskrivna"}.get(group, group) if measure == ENROLLED else "Totalt unika individer"
        row = {"Målgrupp": label}
        for period in sorted(frame["period"].unique(), key=lambda p: frame.loc[frame["period"] == p,
                                                                               "period_start"].iloc[0], reverse=True):
            for gender in ("kvinnor", "män", "totalt"):
                hit = cells[(cells["period"] == period) & (cells["gender"] == gender)]
                row[f"{period_label(period)}: {gender}"] = (
                    MISSING if hit.empty else fig.shown_row(hit.iloc[0], "antal"))
            key = (measure, group, period)
            row[f"{period_label(period)}: kvinnor − män ({labels.COMPUTED})"] = (
                fig.gap_value(gaps.loc[key]) if key in gaps.index else MISSING)
        rows.append(row)
    totals = [r for r in rows if r["Målgrupp"].startswith("Totalt")]
    return pd.DataFrame([r for r in rows if r not in totals] + totals)


st.title("Jobbtorg Stockholm")
glossary_popover(TERMS, key="begrepp_sida")
rows = load([ENROLLED, UNIQUE, EXITS] + INDICATORS)
ui.demo_banner(bool(rows["is_demo"].any()))
about = followup.glossary_entries(["Jobbtorg Stockholm"])
if not about.empty:
    st.write(about["definition"].iloc[0])
    st.caption(f"Definition: {about['source'].iloc[0]} ({about['source_location'].iloc[0]})")

counts = rows[rows["measure"].isin([ENROLLED, UNIQUE])]
left, right = st.columns([3, 2])
with left:
    choice = ui.gender_choice("kon", list(counts["gender"].unique()))
with right:
    state.bind("urval", list(SPANS), "helar", label="Period", format_func=SPANS.get)
    span = st.segmented_control("Period", list(SPANS), key="urval", format_func=SPANS.get) or "helar"
state.publish("kon", "urval")
counts = counts[[fig.span_of(p) == span for p in counts["period"]]]

# --- Inskrivna per målgrupp ---
st.header("Inskrivna per målgrupp")
st.plotly_chart(fig.enrolled_figure(counts, choice), width="stretch")
if choice == "skillnad":
    st.caption(f"Skillnaden är antal kvinnor minus antal män, {labels.COMPUTED} ur tabellens tal. Negativt = fler män.")
ui.table(pivot(counts), is_demo=bool(counts["is_demo"].any()))
ui.sources_caption(counts)
ui.download_table(fig.export_table(counts), f"jobbtorg_inskrivna_{span}.csv", is_demo=bool(counts["is_demo"].any()),
                  key="csv_inskrivna", context={"Mått": ui.measures_text(counts), "Period": ui.periods_text(counts),
                                                "Kön": labels.GENDER_CHOICES[choice],
                                                "Dataset": ui.dataset_names(counts)})

# --- Unika individer och inskrivna ---
st.header("Unika individer och inskrivna")
for period in sorted(counts["period"].unique(), reverse=True):
    total = counts[(counts["measure"] == ENROLLED) & (counts["group"] == "alla") & (counts["period"] == period)]
    unique = counts[(counts["measure"] == UNIQUE) & (counts["period"] == period)]
    gender = "totalt" if choice == "skillnad" else choice
    enrolled_row, unique_row = (f[f["gender"] == gender] for f in (total, unique))
    c1, c2, c3 = st.columns(3)
    c1.metric(f"Totalt inskrivna, {period_label(period)} ({gender})", MISSING if enrolled_row.empty else
              fig.shown_row(enrolled_row.iloc[0], "antal"))
    c2.metric(f"Unika individer, {period_label(period)} ({gender})", MISSING if unique_row.empty else
              fig.shown_row(unique_row.iloc[0], "antal"))
    difference = (MISSING if enrolled_row.empty or unique_row.empty else
                  fig.shown_value(enrolled_row["value"].iloc[0] - unique_row["value"].iloc[0], "antal"))
    c3.metric(f"Skillnad ({labels.COMPUTED})", difference)
definitions = followup.measure_definitions([ENROLLED, UNIQUE])
terms = followup.glossary_entries(["Unik individ"])
lines = [f"- **{d.name}**: {d.definition} ({d.source}, {d.source_location})" for d in definitions.itertuples()]
lines += [f"- **{t.term}** (ordlistan): {t.definition} ({t.source}, {t.source_location})" for t in terms.itertuples()]
st.markdown("**Varför talen skiljer sig.** Definitionerna i databasen:\n" + "\n".join(lines))
st.write(
    "Inskrivna räknas per målgrupp och ”Totalt inskrivna” är tabellens summarad över målgrupperna, medan en unik "
    "individ bara räknas en gång. Att inskrivna är fler än unika individer betyder alltså att en del personer "
    "räknas mer än en gång bland inskrivna. Rapporterna förklarar inte närmare varför."
)

# --- Avslut till arbete eller studier ---
st.header("Avslutade till arbete eller studier")
exits = rows[rows["measure"].isin([EXITS] + EXIT_TARGETS) & rows["kind"].isin(["utfall", "mål", "kf-mål"])]
outcome = exits[(exits["measure"] == EXITS) & (exits["kind"] == "utfall")].sort_values("period_start")
outcome = outcome.assign(Period=[fig.axis_label(p) for p in outcome["period"]])
st.plotly_chart(fig.bar_chart(outcome, x="Period", series=None, unit="procent", targets=fig.target_lines(exits),
                              height=480, source=fig.chart_source(exits),
                              title="Andel avslutade aspiranter som gått vidare till arbete eller studier"),
                width="stretch")
if not exits[exits["measure"] == EXITS]["gender"].isin(["kvinnor", "män"]).any():
    st.info("Andelen avslutade till arbete eller studier är inte publicerad uppdelad på kvinnor och män i "
            "rapporterna. Uppdelat på kön finns bara indikatorerna nedan.")
st.caption("Tertialrapportens andel avser april föregående år – mars innevarande år. Målen är ritade som linjer, "
           "vart och ett med år och källa; VP 2026:s mål gäller indikatorn ”Andel kvinnor och män som har "
           "avslutats från Jobbtorg Stockholm till arbete eller studier”.")
table_with_download(exits, "jobbtorg_avslut_arbete_studier")

# --- Indikatorer per kön ---
st.header("Indikatorer per kön")
indicators = rows[rows["measure"].isin(INDICATORS)]
gendered = fig.by_gender(indicators[indicators["unit"] == "procent"], "skillnad" if choice == "skillnad" else choice)
gendered = gendered[gendered["value"].notna() & gendered["kind"].eq("utfall")]
if choice != "skillnad":  # only the figures also published for kvinnor and män
    split = fig.gender_gaps(indicators)[["measure", "period"]]
    gendered = gendered.merge(split, on=["measure", "period"])
gendered = gendered.assign(Indikator=[fig.wrap(f"{n} ({period_label(p)})") for n, p in
                                      zip(gendered["measure_name"], gendered["period"], strict=True)])
st.plotly_chart(fig.bar_chart(gendered, x="Indikator", series=None, horizontal=True,
                              unit="procentenheter" if choice == "skillnad" else "procent",
                              height=160 + 70 * max(len(gendered), 1), source=fig.chart_source(gendered),
                              title=f"Indikatorer för Jobbtorg Stockholm – {fig.choice_text(choice)}"), width="stretch")
gaps = fig.gender_gaps(indicators)
ui.table(fig.gap_table(gaps), is_demo=bool(indicators["is_demo"].any()))
st.caption(f"Skillnaden kvinnor − män är {labels.COMPUTED} ur de publicerade talen (procentenheter för andelar, "
           "månader för inskrivningstid).")
with st.expander("Alla indikatorrader med mål och prognoser"):
    table_with_download(indicators, "jobbtorg_indikatorer")
share_bar("jobbtorg", ["kon", "urval"])
