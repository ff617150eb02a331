"""The Importera page, as an analyst uses it: upload, preview, name, describe, import."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select

from dashboard.db import schema
from dashboard.ingest.remove import remove_dataset
from queries.db import engine
from tests import fixtures_af as af
from tests import fixtures_kolada as kd
from tests.apptest import open_app

FILE = "arbetslosa_kommun_2026-08.xlsx"
DATASET = "af_apptest"


@pytest.fixture
def clean(app_env: str):  # noqa: ANN201
    """The shared test database without this test's data set, before and after."""
    db = engine(app_env)

    def remove() -> None:
        with db.connect() as conn:
            present = conn.execute(select(schema.datasets.c.dataset).where(schema.datasets.c.dataset == DATASET))
            present = present.first() is not None
        if present:
            remove_dataset(DATASET, db)
        with db.begin() as conn:
            conn.execute(delete(schema.imports).where(schema.imports.c.dataset == DATASET))

    schema.metadata.create_all(db, tables=[schema.imports])
    remove()
    yield db
    remove()


def _rows(db, dataset: str) -> int:  # noqa: ANN001
    with db.connect() as conn:
        return conn.execute(select(func.count()).select_from(schema.observations)
                            .where(schema.observations.c.dataset == dataset)).scalar()


def test_upload_preview_and_import(clean) -> None:  # noqa: ANN001
    at = open_app("pages/importera.py")
    assert not at.exception and at.title[0].value == "Importera"
    at.file_uploader(key="import_fil").upload(FILE, af.af_file()).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Nya värden": "287", "Ersätter befintliga värden": "0", "Oförändrade": "0"}
    warning = " ".join(w.value for w in at.warning)
    assert "Uppgift saknas (72 rader)" in warning and "Solna" not in warning
    assert "färre än 5: 1 rad," in " ".join(i.value for i in at.info)
    assert at.text_input(key="import_dataset").value == "af_arbetslosa_kommun_2026_08"
    at.text_input(key="import_dataset").input(DATASET).run()
    at.text_area(key="import_beskrivning").input("Arbetsförmedlingens webbplats").run()
    assert _rows(clean, DATASET) == 0  # nothing is written before the button
    at.button(key="import_knapp").click().run()
    assert not at.exception
    assert any(f"Importerat till data setet {DATASET}: 287 nya" in s.value for s in at.success)
    assert _rows(clean, DATASET) == 287
    assert {m.label: m.value for m in at.metric}["Oförändrade"] == "287"  # the same file again: nothing to do
    assert at.button(key="import_knapp").disabled


def test_a_kolada_file_takes_its_kpis_description(clean) -> None:  # noqa: ANN001
    at = open_app("pages/importera.py")
    at.file_uploader(key="import_fil").upload("kolada_N00914.json", kd.kolada_file()).run()
    assert not at.exception
    assert "filen säger inte vilken enhet nyckeltalet N00914 har" in at.error[0].value  # the fields are there
    at.file_uploader(key="import_kolada_beskrivning").upload("kpi.json", kd.description_file()).run()
    assert not at.exception and not at.error
    assert {m.label: m.value for m in at.metric}["Nya värden"] == "27"
    assert "Titel och definition ur kpi.json." in [i.value for i in at.info]
    measures = next(t.value for t in at.dataframe if "Definition" in t.value.columns)
    assert list(measures["Enhet"]) == ["procent"] and list(measures["Definition"]) == [kd.DEFINITION]
    at.text_input(key="import_kolada_titel").input("Arbetslösa 20–64 år").run()
    assert next(t.value for t in at.dataframe if "Definition" in t.value.columns)["Mått"][0] == (
        "Arbetslösa 20–64 år (Kolada N00914)")
    at.text_input(key="import_dataset").input(DATASET).run()
    at.text_area(key="import_beskrivning").input("Koladas API v3").run()
    at.button(key="import_knapp").click().run()
    assert not at.exception
    assert any(f"Importerat till data setet {DATASET}: 27 nya" in s.value for s in at.success)
    assert _rows(clean, DATASET) == 27


def test_a_broken_file_is_told_in_swedish(clean) -> None:  # noqa: ANN001
    make, message = af.BROKEN["text i antal"]
    at = open_app("pages/importera.py")
    at.file_uploader(key="import_fil").upload("trasig.xlsx", make()).run()
    assert not at.exception
    (error,) = at.error
    assert error.value == f"Filen kan inte läsas in, och ingenting har skrivits. Fel i trasig.xlsx, {message}"
    assert not at.button


def test_a_bundled_data_set_name_is_refused_and_can_be_corrected(clean) -> None:  # noqa: ANN001
    at = open_app("pages/importera.py")
    at.file_uploader(key="import_fil").upload(FILE, af.af_file()).run()
    at.text_input(key="import_dataset").input("ar2022_kaa").run()
    assert "hör till de inbyggda uppgifterna" in at.error[0].value
    at.text_input(key="import_dataset").input(DATASET).run()
    assert not at.error and at.metric


def test_the_data_page_lists_the_import_and_removes_it_in_one_step(clean) -> None:  # noqa: ANN001
    from dashboard.ingest import commit, preview

    commit(preview(af.af_file(), FILE, clean, dataset=DATASET), clean, description="AF:s webbplats")
    at = open_app("pages/data.py")
    assert not at.exception
    assert any(DATASET in str(t.value.to_csv()) and "AF:s webbplats" in str(t.value.to_csv()) for t in at.dataframe)
    at.selectbox(key="import_ta_bort").select(DATASET).run()
    assert "287 värden i af_apptest tas bort ur alla vyer. Det visas inte i någon presentation." in at.warning[-1].value
    assert _rows(clean, DATASET) == 287
    at.button(key="import_ta_bort_knapp").click().run()
    assert not at.exception
    assert at.success[0].value == f"{DATASET} är borttaget (287 värden)."
    assert _rows(clean, DATASET) == 0
