"""SCB's delområde tables in the app: the mapping form on Importera, the profile it saves, and the imported
figures on the map by kön at stadsdel and stadsdelsområde level."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import delete, func, select

from dashboard.db import schema
from dashboard.ingest import commit, preview
from dashboard.ingest import scb as reader
from dashboard.ingest.remove import remove_dataset
from queries.db import engine
from tests import fixtures_scb as f
from tests.apptest import open_app
from tests.conftest import clear_streamlit_caches
from tests.test_app_karta import _array, _map_traces

DATASET = "scb_apptest"
PROFILE = "SCB apptest"
LONG = "arbetssokande_delomraden_2025.csv"
OPEN = "scb_oppet_arbetslosa_16_64"


@pytest.fixture
def clean(app_env: str):  # noqa: ANN201
    """The shared test database without this test's data set, import log entries and profile, before and after."""
    db = engine(app_env)

    def remove() -> None:
        with db.connect() as conn:
            present = conn.execute(select(schema.datasets.c.dataset)
                                   .where(schema.datasets.c.dataset == DATASET)).first() is not None
        if present:
            remove_dataset(DATASET, db)
        with db.begin() as conn:
            conn.execute(delete(schema.imports).where(schema.imports.c.dataset == DATASET))
            conn.execute(delete(schema.import_profiles).where(schema.import_profiles.c.name == PROFILE))
        clear_streamlit_caches()

    schema.metadata.create_all(db, tables=[schema.imports, schema.import_profiles])
    remove()
    yield db
    remove()


def _rows(db, dataset: str) -> int:  # noqa: ANN001
    with db.connect() as conn:
        return conn.execute(select(func.count()).select_from(schema.observations)
                            .where(schema.observations.c.dataset == dataset)).scalar()


def _form_key(data: bytes, name: str) -> str:
    return f"mappning_{reader.layout(data, name).signature[:12]}"


def test_the_mapping_form_previews_imports_and_saves_the_profile(clean) -> None:  # noqa: ANN001
    key = _form_key(f.long_csv(), LONG)
    at = open_app("pages/importera.py")
    at.file_uploader(key="import_fil").upload(LONG, f.long_csv()).run()
    assert not at.exception
    assert any("Ingen sparad profil passar filens rubrikrad" in i.value for i in at.info)
    roles = [at.selectbox(key=f"{key}_roll_{i}").value for i in range(7)]
    assert roles == ["område", "kön", "ålder", "period", "mått", "mått", "mått"]
    assert at.text_input(key=f"{key}_matt_4").value == OPEN
    assert {m.label: m.value for m in at.metric}["Nya värden"] == "539"
    assert "Ej fördelat på delområde (54 rader)" in " ".join(w.value for w in at.warning)
    at.selectbox(key=f"{key}_roll_6").select("").run()  # Befolkning is not read: the preview follows the form
    assert {m.label: m.value for m in at.metric}["Nya värden"] == str(539 - 179)
    at.selectbox(key=f"{key}_roll_6").select("mått").run()
    at.text_input(key=f"{key}_profil").input(PROFILE).run()
    at.text_input(key="import_dataset").input(DATASET).run()
    at.text_area(key="import_beskrivning").input("SCB, beställning för delområden").run()
    assert _rows(clean, DATASET) == 0  # nothing before the button
    at.button(key="import_knapp").click().run()
    assert not at.exception
    (done,) = at.success[:1]
    assert f"Importerat till data setet {DATASET}: 539 nya" in done.value
    assert f"Kolumnmappningen är sparad som profilen ”{PROFILE}”." in done.value
    assert _rows(clean, DATASET) == 539
    assert any(f"profilen ”{PROFILE}” används" in s.value for s in at.success)  # the same file: recognised

    at = open_app("pages/importera.py")  # the next half-year's file: the profile is used at once
    at.file_uploader(key="import_fil").upload("arbetssokande_2026-03.csv", f.long_csv(["2026-03-31"])).run()
    assert not at.exception
    assert any(f"Rubrikraden känns igen: profilen ”{PROFILE}” används" in s.value for s in at.success)
    assert {m.label: m.value for m in at.metric}["Nya värden"] == "270"
    assert any(PROFILE in t.value.to_csv() and "Område | Kön | Ålder | Period" in t.value.to_csv()
               for t in at.dataframe)  # the saved profiles, with the header each is for


def test_a_mapping_the_file_cannot_be_read_by_is_told_and_nothing_is_written(clean) -> None:  # noqa: ANN001
    key = _form_key(f.long_csv(), LONG)
    at = open_app("pages/importera.py")
    at.file_uploader(key="import_fil").upload(LONG, f.long_csv()).run()
    at.selectbox(key=f"{key}_roll_0").select("").run()
    assert not at.exception
    assert any("kolumnmappningen duger inte: ingen kolumn är mappad som område" in e.value for e in at.error)
    assert at.selectbox(key=f"{key}_roll_0")  # the form stays, to be corrected
    assert not at.button


@pytest.mark.parametrize("level", ["stadsdel", "stadsdelsomrade"])
def test_imported_figures_show_on_the_map_for_kvinnor(clean, level: str) -> None:  # noqa: ANN001
    mapping = replace(reader.suggest(reader.layout(f.long_csv(), LONG)), profile=PROFILE)
    commit(preview(f.long_csv(), LONG, clean, mapping=mapping, dataset=DATASET), clean, description="SCB")
    clear_streamlit_caches()
    at = open_app("pages/karta.py", {"matt": OPEN, "period": "2025-03-31", "kon": "kvinnor", "niva": level})
    assert not at.exception
    assert at.selectbox(key="matt").value == OPEN and at.radio(key="niva").value == level
    expected = {name: float(f.count(area, "Kvinnor", "16-64 år", "2025-03-31", "Öppet arbetslösa"))
                for area, _written, at_level, name in f.LONG_AREAS if at_level == level}
    assert len(expected) == (8 if level == "stadsdel" else 1)
    coloured = next(t for t in _map_traces(at) if t["type"] == "choropleth" and t.get("showscale") is not False)
    assert dict(zip(_array(coloured["locations"]), _array(coloured["z"]), strict=True)) == expected
    assert any(s.value.startswith("Öppet arbetslösa 16–64 år (SCB, delområden), kvinnor, 31 mars 2025")
               for s in at.subheader)
