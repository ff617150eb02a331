"""Data och källor: each data set, its source, what it covers and what it lacks."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.core import access, labels
from dashboard.core.numbers import format_number
from dashboard.core.periods import period_label
from dashboard.ingest import IngestError
from dashboard.ingest.remove import impact, remove_dataset
from dashboard.ui import signin
from queries.db import engine
from queries.imports import import_log, imported_datasets

st.title("Data och källor")
st.write(
    "Allt som visas i verktyget kommer från data seten nedan. Varje tal i databasen anger sin källa och "
    "var i källan det står (rad i dokumentet eller rad i filen). Saknas en uppgift visas den som "
    "”uppgift saknas” – ingenting fylls i eller uppskattas."
)

overview = ui.datasets_overview()
real = overview[~overview["is_demo"]]
st.metric("Data set med publicerade siffror", len(real))

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
            Nivåer=[", ".join(labels.LEVELS.get(x, x).lower() for x in s.split(", ")) for s in cover["area_levels"]],
            Kön=cover["genders"],
            Områden=cover["areas"],
            Slag=cover["kinds"],
            Källor=cover["sources"],
        )[["Mått", "Perioder", "Nivåer", "Områden", "Kön", "Slag", "Källor"]]
        ui.table(table, is_demo=bool(row.is_demo))
        lacks = [m for m, g in zip(table["Mått"], cover["genders"], strict=True) if g == "totalt"]
        if lacks:
            st.info("Saknar uppdelning på kvinnor och män: " + "; ".join(lacks))

# ------------------------------------------------------------------------------------------ imported data sets
st.header("Importerade data set")
db = engine()
if "import_borttaget" in st.session_state:
    st.success(st.session_state.pop("import_borttaget"))
imported = imported_datasets(db)
log = import_log(db)
if imported.empty:
    st.write("Inga filer har importerats ännu. Importera på sidan Importera.")
else:
    st.write("Importerade data set finns bara i databasen: de ligger kvar när databasen byggs om från data/.")
if not log.empty:
    ui.table(pd.DataFrame({
        "Import": log["import_id"], "Tid": pd.to_datetime(log["imported_at"]).dt.strftime("%Y-%m-%d %H:%M"),
        "Data set": log["dataset"], "Fil": log["file_name"], "Filtyp": log["format"],
        "Rader": [format_number(n) for n in log["rows"]], "Nya": [format_number(n) for n in log["new_rows"]],
        "Ersatta": [format_number(n) for n in log["replaced_rows"]], "Varifrån": log["description"],
        "Av": log["imported_by"], "sha256": log["sha256"].str[:12],
    }), is_demo=False)
person = signin.current_person()
if not imported.empty and person is not None and access.allowed(person.role, "ta_bort_dataset"):
    chosen = st.selectbox("Ta bort ett importerat data set", imported["dataset"], index=None,
                          placeholder="Välj data set", key="import_ta_bort")
    if chosen:
        told = impact(chosen, db)
        decks_text = (f"Det visas i presentationerna: {', '.join(told.decks)} – de bilderna blir utan siffror."
                      if told.decks else "Det visas inte i någon presentation.")
        st.warning(f"{format_number(told.rows)} värden i {chosen} tas bort ur alla vyer. {decks_text} "
                   "Importloggen behålls.")
        if st.button(f"Ta bort {chosen}", type="primary", key="import_ta_bort_knapp"):
            try:
                gone = remove_dataset(chosen, db)
            except IngestError as error:
                st.error(str(error))
                st.stop()
            signin.record("dataset_borttaget", "data", f"{gone.dataset}: {gone.rows} värden")
            ui.data_changed()
            st.session_state["import_borttaget"] = (f"{gone.dataset} är borttaget ({format_number(gone.rows)} "
                                                  "värden).")
            st.session_state.pop("import_ta_bort", None)
            st.rerun()
signin.audit_log_section()  # only for the förvaltare
