"""Data och källor: each data set, its source, what it covers and what it lacks."""

from __future__ import annotations

import streamlit as st

from dashboard import access_ui, ui
from dashboard.numbers import format_number
from dashboard.periods import period_label

st.title("Data och källor")
st.write(
    "Allt som visas i verktyget kommer från data seten nedan. Varje tal i databasen anger sin källa och "
    "var i källan det står (rad i dokumentet eller rad i filen). Saknas en uppgift visas den som "
    "”uppgift saknas” – ingenting fylls i eller uppskattas."
)

overview = ui.datasets_overview()
real = overview[~overview["is_demo"]]
st.metric("Data set med publicerade siffror", len(real))

KÖN = {"kvinnor": "kvinnor", "män": "män", "totalt": "totalt"}
LEVELS = {"riket": "riket", "lan": "län", "stad": "staden", "stadsdelsomrade": "stadsdelsområde",
          "stadsdel": "stadsdel", "fokusomrade": "fokusområde", "rapportgrupp": "rapportgrupp",
          "insatsomrade": "insatsområde", "enhet": "enhet (inte en plats)"}

for row in overview.itertuples():
    label = f"{row.title}" + (f" — {ui.DEMO_LABEL}" if row.is_demo else "")
    with st.expander(label, expanded=False):
        if row.is_demo:
            st.warning(ui.DEMO_LABEL)
        st.write(row.description or "")
        if not row.rows:
            st.caption(f"Fil: `{row.origin}` · data på individnivå (pseudonyma personer och deras KAA-år, "
                       "kontakter, inskrivningar och anställningar), inga färdiga tal. Allt som visas ur det "
                       "skyddas mot små tal; se sidan Uppföljning per område.")
            continue
        first, last = str(row.first_day)[:10], str(row.last_day)[:10]
        st.caption(f"Fil: `{row.origin}` · {format_number(row.rows)} tal · {row.measures} mått · "
                   f"perioder {first} – {last}")
        cover = ui.dataset_coverage(row.dataset)
        measures = ui.measure_catalogue().set_index("measure")
        table = cover.assign(
            Mått=[measures.at[m, "name"] for m in cover["measure"]],
            Perioder=[", ".join(period_label(p) for p in ps.split(", ")) for ps in cover["periods"]],
            Nivåer=[", ".join(LEVELS.get(x, x) for x in s.split(", ")) for s in cover["area_levels"]],
            Kön=cover["genders"],
            Områden=cover["areas"],
            Slag=cover["kinds"],
            Källor=cover["sources"],
        )[["Mått", "Perioder", "Nivåer", "Områden", "Kön", "Slag", "Källor"]]
        ui.table(table, is_demo=bool(row.is_demo))
        lacks = [m for m, g in zip(table["Mått"], cover["genders"], strict=True) if g == "totalt"]
        if lacks:
            st.info("Saknar uppdelning på kvinnor och män: " + "; ".join(lacks))

access_ui.audit_log_section()  # only for the förvaltare
