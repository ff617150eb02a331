"""The column-mapping form on Importera: what each column of the file is, the measures with their definitions and
population bases, and the profile's name. It only draws and collects: reading and saving are dashboard.ingest."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.ingest import ColumnRole, Mapping, MappingStart, MeasureDef
from dashboard.ingest.mapping import AREA_LEVELS, GENDERS, ROLES, UNITS


def _choice(options: list[str], value: str) -> int:
    return options.index(value) if value in options else 0


def mapping_form(start: MappingStart) -> Mapping:
    """Draw the form, started from `start.mapping`, and return the mapping it shows now."""
    lay, proposed = start.layout, start.mapping
    key = f"mappning_{lay.signature[:12]}"  # another header, another form
    st.subheader("Kolumnmappning")
    if start.recognised:
        st.success(f"Rubrikraden känns igen: profilen ”{proposed.profile}” används. Ändrar du något sparas "
                   "ändringen i profilen när du importerar.", icon=":material/bookmark:")
    else:
        st.info("Ingen sparad profil passar filens rubrikrad. Säg vilken kolumn som är område, kön, ålder och "
                "period, och vilket mått varje sifferkolumn är. Förslaget bygger på kolumnernas namn: kontrollera "
                "måttens definitioner och befolkningsbaser innan du importerar.", icon=":material/table_view:")
    where = (f"blad ”{lay.sheet}”, " if lay.sheet else "") + "rubrik på rad " + ", ".join(map(str, lay.header_lines))
    st.caption(f"{where} · {len(lay.rows)} rader under rubriken")
    roles, genders = list(ROLES), list(GENDERS)
    head = st.columns([3, 2, 3, 2, 2])
    for cell, text in zip(head, ["Kolumn (exempel)", "Är", "Mått (id)", "Kön", "Ålder"], strict=True):
        cell.caption(text)
    columns: list[ColumnRole] = []
    for column in lay.columns:
        was = proposed.columns[column.index] if column.index < len(proposed.columns) else ColumnRole()
        cells = st.columns([3, 2, 3, 2, 2])
        cells[0].markdown(f"**{column.name}**  \n" + (", ".join(column.samples[:4]) or "*tom*"))
        role = cells[1].selectbox(f"Kolumn {column.letter} är", roles, index=_choice(roles, was.role),
                                  format_func=ROLES.get, key=f"{key}_roll_{column.index}", label_visibility="collapsed")
        if role != "mått":
            columns.append(ColumnRole(role=role))
            continue
        measure = cells[2].text_input(f"Mått i kolumn {column.letter}", value=was.measure,
                                      key=f"{key}_matt_{column.index}", label_visibility="collapsed",
                                      placeholder="t.ex. scb_oppet_arbetslosa_16_64")
        gender = cells[3].selectbox(f"Kön i kolumn {column.letter}", genders, index=_choice(genders, was.gender),
                                    format_func=GENDERS.get, key=f"{key}_kon_{column.index}",
                                    label_visibility="collapsed")
        group = cells[4].text_input(f"Ålder i kolumn {column.letter}", value=was.group,
                                    key=f"{key}_alder_{column.index}", label_visibility="collapsed",
                                    placeholder="ur kolumnen Ålder")
        columns.append(ColumnRole(role="mått", measure=measure.strip(), gender=gender, group=group.strip()))
    levels = list(AREA_LEVELS)
    level = st.selectbox("Områdena är", levels, index=_choice(levels, proposed.area_level),
                         format_func=lambda v: AREA_LEVELS[v].capitalize() if v == "auto" else AREA_LEVELS[v],
                         key=f"{key}_niva", help="Namn som både är en stadsdel och ett stadsdelsområde (Farsta, "
                         "Skärholmen …) läses på den här nivån; ”Farsta sdo” och ”Järva” är alltid "
                         "stadsdelsområden, ”Stockholm” och ”Totalt” staden.")
    measures: dict[str, MeasureDef] = {}
    for measure_id in dict.fromkeys(c.measure for c in columns if c.role == "mått" and c.measure):
        was = proposed.measures.get(measure_id) or MeasureDef(name="", definition="")
        with st.expander(f"Måttet {measure_id}", expanded=not start.recognised):
            name = st.text_input("Namn", value=was.name, key=f"{key}_namn_{measure_id}")
            definition = st.text_area("Definition", value=was.definition, key=f"{key}_definition_{measure_id}",
                                      help="Vad som räknas, hur och när. Ett befintligt mått med samma id får bara "
                                      "värden om definitionen är densamma.")
            unit = st.selectbox("Enhet", list(UNITS), index=_choice(list(UNITS), was.unit),
                                key=f"{key}_enhet_{measure_id}")
            base = st.text_input("Befolkningsbas", value=was.population_base, key=f"{key}_bas_{measure_id}",
                                 help="Den befolkning måttet räknas mot, t.ex. ”Befolkningen 16–64 år”.")
        measures[measure_id] = MeasureDef(name=name, definition=definition, unit=unit, population_base=base,
                                          higher_is_better=was.higher_is_better, topic=was.topic)
    if start.profiles:
        with st.expander(f"Sparade profiler ({len(start.profiles)})"):
            ui.table(pd.DataFrame({
                "Profil": [p["name"] for p in start.profiles],
                "Rubrikrad": [p["header"] for p in start.profiles],
                "Passar filen": ["ja" if p["signature"] == lay.signature else "nej" for p in start.profiles],
                "Sparad": [f"{p['updated_at']:%Y-%m-%d %H:%M}, {p['updated_by']}" for p in start.profiles]}),
                is_demo=False)
    profile = st.text_input("Profilens namn", value=proposed.profile, key=f"{key}_profil",
                            help="Mappningen sparas under det här namnet när du importerar. Nästa fil med samma "
                            "rubrikrad läses med den direkt, även med python -m dashboard import FIL --profile NAMN.")
    return Mapping(columns=columns, measures=measures, area_level=level, band=proposed.band,
                   profile=" ".join(profile.split()), signature=lay.signature, header=[c.label for c in lay.columns])


PROFILE_DONE = "profil_klar"  # session key: what the last rename or removal did


def manage_profiles(db) -> None:
    """The saved profiles as a table, with a rename and a removal (each in the audit log)."""
    from dashboard.ingest import profiles
    from dashboard.ui import signin

    with db.connect() as conn:
        saved = profiles.saved(conn)
    if PROFILE_DONE in st.session_state:
        st.success(st.session_state.pop(PROFILE_DONE), icon=":material/bookmark:")
    with st.expander(f"Sparade kolumnmappningar ({len(saved)})"):
        if not saved:
            st.caption("Inga profiler än: en profil sparas när en fil importeras med en kolumnmappning.")
            return
        ui.table(pd.DataFrame({
            "Profil": [p["name"] for p in saved], "Filtyp": [p["format"] for p in saved],
            "Rubrikrad": [p["header"] for p in saved],
            "Sparad": [f"{p['updated_at']:%Y-%m-%d %H:%M}, {p['updated_by']}" for p in saved]}), is_demo=False)
        name = st.selectbox("Profil", [p["name"] for p in saved], key="profil_vald")
        new = st.text_input("Nytt namn", key="profil_nytt_namn")
        rename, remove = st.columns(2)
        try:
            if rename.button("Byt namn", key="profil_byt_namn", disabled=not new.strip()):
                with db.begin() as conn:
                    new = profiles.rename(conn, name, new, signin.person_name())
                signin.record("profil_omdopt", "importera", f"{name} → {new}")
                st.session_state[PROFILE_DONE] = f"Profilen ”{name}” heter nu ”{new}”."
                st.rerun()
            sure = remove.checkbox("Ja, ta bort profilen", key="profil_bekrafta",
                                   help="En fil med profilens rubrikrad får då en ny kolumnmappning.")
            if remove.button("Ta bort profilen", key="profil_ta_bort", disabled=not sure):
                with db.begin() as conn:
                    profiles.remove(conn, name)
                signin.record("profil_borttagen", "importera", name)
                st.session_state[PROFILE_DONE] = f"Profilen ”{name}” är borttagen."
                st.session_state.pop("profil_bekrafta", None)
                st.rerun()
        except profiles.ProfileError as error:
            st.error(f"{error}. Inget ändrades.")
