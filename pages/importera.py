"""Importera: a file from Arbetsförmedlingen (or another known publisher) → preview → written on confirmation.

The page only draws: reading, validating and writing are dashboard.ingest, the same route as
`python -m dashboard import`.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.core.numbers import format_number
from dashboard.core.periods import period_label
from dashboard.ingest import FORMATS, IngestError, MeasureText, commit, kolada, mapping_start, preview
from dashboard.ingest.load import UNITS
from dashboard.ingest.route import NEEDS_TEXT
from dashboard.ingest.text import measure_counts, rows
from dashboard.ui import column_mapping, signin
from queries.db import engine

DONE = "import_klar"  # session key: the success message of the import just made
AUTO = "Känn igen ur filen"

st.title("Importera")
st.write(
    "Läs in en fil: Arbetsförmedlingens månadsfil per län och kommun, en tabell sparad ur SCB:s statistikdatabas "
    "(JSON-stat), SCB:s arbetssökandestatistik för stadens delområden (med en kolumnmappning som sparas som "
    "profil), ett nyckeltal ur Kolada (API v3, JSON) eller ett uttag ur KAA:s, Jobbtorgs eller Stockholmsjobbs "
    "verksamhetssystem. Du ser först vad "
    "filen innehåller och vad som skulle ändras; ingenting skrivs förrän du trycker på ”Importera”. "
    "Importerade data set finns bara i databasen och ligger kvar när databasen byggs om."
)
if DONE in st.session_state:
    st.success(st.session_state.pop(DONE))

upload = st.file_uploader("Fil", key="import_fil", help="Excel-arbetsbok (.xlsx), CSV (SCB:s delområdestabeller, "
                          "uttag ur KAA, Jobbtorg och Stockholmsjobb), JSON-stat eller JSON från Koladas API")
chosen = st.selectbox("Filtyp", [AUTO, *FORMATS], key="import_filtyp",
                      format_func=lambda name: name if name == AUTO else FORMATS[name][0])
if upload is None:
    column_mapping.manage_profiles(engine())
    st.stop()

db = engine()
data = upload.getvalue()
measure_text = None
if chosen == kolada.NAME or (chosen == AUTO and kolada.detect(data)):
    st.subheader("Nyckeltalet")
    st.caption("Koladas värdefil har bara nyckeltalets id. Skriv in titel, definition och enhet, eller läs in Koladas "
               "beskrivning av nyckeltalet (/v3/kpi/ID sparad som JSON); det du skriver går före beskrivningen. "
               "Enheten kan lämnas tom när titeln slutar med den (”, andel (%)”, ”, antal”).")
    described = st.file_uploader("Koladas beskrivning av nyckeltalet (valfri)", key="import_kolada_beskrivning")
    title = st.text_input("Titel", key="import_kolada_titel")
    definition = st.text_area("Definition", key="import_kolada_definition")
    unit = st.selectbox("Enhet", ["", *sorted(UNITS)], key="import_kolada_enhet",
                        format_func=lambda u: u or "(ur titeln)")
    measure_text = MeasureText(title=title, definition=definition, unit=unit,
                       described_by=(described.name, described.getvalue()) if described else None)
try:  # a format read by a column mapping (SCB:s delområdestabeller): the form comes first
    start = mapping_start(data, upload.name, db, format=None if chosen == AUTO else chosen)
except IngestError as error:
    st.error(f"Filen kan inte läsas in, och ingenting har skrivits. {error}")
    st.stop()
mapping = column_mapping.mapping_form(start) if start is not None else None
bar = st.progress(0.0, text="Läser filen …")
try:
    shown = preview(data, upload.name, db, format=None if chosen == AUTO else chosen,
                    dataset=st.session_state.get("import_dataset") or None, mapping=mapping, text=measure_text,
                    progress=lambda share, label: bar.progress(min(share, 1.0), text=label))
except IngestError as error:
    bar.empty()
    st.error(f"Filen kan inte läsas in, och ingenting har skrivits. {error}")
    if error.column == "data set":  # let the name be corrected
        st.text_input("Data setets namn", key="import_dataset")
    st.stop()
bar.empty()


def _counts(counter: dict, label: str, names: dict[str, str] | None = None) -> pd.DataFrame:
    return pd.DataFrame({label: [(names or {}).get(k, k) for k in counter],
                         "Rader": [format_number(n) for n in counter.values()]})


parsed = shown.parsed
periods = sorted(shown.counts("period"))
st.subheader("Förhandsgranskning")
st.caption(f"Filtyp: {shown.format_label} · " + (f"blad: {', '.join(parsed.sheets)} · " if parsed.sheets else "") +
           f"{format_number(len(periods))} perioder, {period_label(periods[0])} – {period_label(periods[-1])}")
new, replaced, unchanged = st.columns(3)
new.metric("Nya värden", format_number(shown.new))
replaced.metric("Ersätter befintliga värden", format_number(shown.replaced))
unchanged.metric("Oförändrade", format_number(shown.unchanged))
if shown.individual:
    st.info(f"Uttag på individnivå: {rows(len(shown.rows))}, {format_number(len(parsed.extract.people))} personer. "
            "Verksamhetssystemets id ersätts med projektets pseudonymer; id:t och själva filen sparas inte. Efter "
            "importen räknas de skyddade tabellerna för Uppföljning per område om.", icon=":material/shield:")
    if parsed.extract.ignored:
        st.caption("Kolumner som inte läses: " + ", ".join(parsed.extract.ignored))
if shown.mapping is not None:
    st.caption(" · ".join(shown.notes))
if shown.refusal:
    st.error(f"Filen kan inte importeras. {shown.refusal}")
    ui.table(_counts(shown.unmatched, "Stadsdel som inte känns igen"), is_demo=False)
elif shown.unmatched:
    st.warning(f"{rows(sum(shown.unmatched.values()))} gäller områden som inte finns i databasen "
               "och läses inte in: " + ", ".join(f"{name} ({rows(n)})"
                                                 for name, n in shown.unmatched.items()))
    ui.table(_counts(shown.unmatched, "Område som inte känns igen"), is_demo=False)
notes = [f"{status}: {rows(n)}, sparas som det de är (inte som tal)"
         for status, n in shown.statuses().items()]
if parsed.blank_cells:
    notes.append(f"tomma celler (ingen uppgift, inget sparas): {format_number(parsed.blank_cells)}")
if notes:
    st.info("Celler utan tal – " + "; ".join(notes))
for note in parsed.notes:
    st.info(f"{note}.")
for earlier in shown.earlier_imports:
    st.info(f"Samma fil importerades förut: import {earlier['import_id']} till data setet {earlier['dataset']} "
            f"({earlier['imported_at']:%Y-%m-%d %H:%M}, {earlier['imported_by']}).")

measures, areas, genders = st.tabs(["Mått", "Områden", "Kön och grupper"])
with measures:
    counts = measure_counts(shown)
    table = {"Mått": [parsed.measures[m]["name"] for m, _ in counts],
             "Befolkning": [parsed.measures[m]["population_base"] for m, _ in counts],
             "Rader": [format_number(n) for _, n in counts]}
    if shown.format in NEEDS_TEXT:  # texts the analyst gave: shown to be checked
        table |= {"Definition": [parsed.measures[m]["definition"] for m, _ in counts],
                  "Enhet": [parsed.measures[m]["unit"] for m, _ in counts]}
    ui.table(pd.DataFrame(table), is_demo=False)
with areas:
    ui.table(_counts(dict(sorted(shown.counts("område").items())), "Område"), is_demo=False)
with genders:
    ui.table(_counts(shown.counts("kön"), "Kön"), is_demo=False)
    ui.table(_counts(shown.counts("grupp"), "Grupp"), is_demo=False)

st.subheader("Importera")
dataset = st.text_input("Data setets namn", value=shown.dataset, key="import_dataset",
                        help="Små bokstäver a–z, siffror och _. Ett befintligt importerat data set får nya och "
                             "ändrade värden.")
st.caption("Data setet finns redan: nya värden läggs till och ändrade ersätts." if shown.dataset_exists
           else "Ett nytt data set skapas.")
description = st.text_area("Varifrån kommer filen?", key="import_beskrivning",
                           placeholder="t.ex. Arbetsförmedlingens webbplats, Statistik: Arbetssökande, hämtad …")
if not shown.changes:
    st.info("Inget att ändra: alla värden i filen finns redan i data setet.")
if st.button("Importera", type="primary", disabled=not shown.changes or bool(shown.refusal), key="import_knapp"):
    try:
        with st.spinner("Importerar och räknar om de skyddade tabellerna …" if shown.individual else "Importerar …"):
            done = commit(shown, db, description=description, dataset=dataset, who=signin.person_name)
    except IngestError as error:
        st.error(f"Ingenting har skrivits. {error}")
        st.stop()
    signin.record("import", "importera", f"{done.dataset}: {shown.parsed.file_name}" + (
        f" (kolumnmappning: profilen ”{shown.mapping.profile}”)" if shown.mapping is not None and shown.mapping.profile
        else ""))
    ui.data_changed()  # every page reads the new values at once
    st.session_state[DONE] = (f"Importerat till data setet {done.dataset}: {format_number(done.new)} nya, "
                              f"{format_number(done.replaced)} ersatta och {format_number(done.unchanged)} "
                              f"oförändrade {'rader' if shown.individual else 'värden'} (import {done.import_id})."
                              + (f" De skyddade tabellerna är beräknade igen ({format_number(done.protected_cells)} "
                                 "celler) och visas på Uppföljning per område." if shown.individual else "")
                              + (f" Kolumnmappningen är sparad som profilen ”{shown.mapping.profile}”."
                                 if shown.mapping is not None and shown.mapping.profile else ""))
    st.rerun()
