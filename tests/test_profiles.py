"""Saved column mappings renamed and removed, on the command line and on Importera, each in the audit log; a
refused change changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, delete, select

from dashboard.db import audit, schema
from dashboard.ingest import commit, mapping_start, preview, profiles
from queries.db import engine
from tests import fixtures_scb as f
from tests import test_ingest_scb as scb_tests
from tests.apptest import open_app
from tests.test_ingest_scb import BACKENDS, LONG, PROFILE, suggested

empty_url, db = scb_tests.empty_url, scb_tests.db  # the fixtures: a fresh database per test, both backends

NEW = "SCB delområden, lång tabell"


def _audit(database: Engine, action: str) -> list[str]:
    log = audit.entries(database)
    return list(log[log["Händelse"] == audit.ACTIONS[action]]["Detaljer"])


@BACKENDS
def test_the_command_line_lists_renames_and_removes_a_profile(db: Engine, empty_url: str, monkeypatch,
                                                              capsys) -> None:  # noqa: ANN001
    from dashboard.__main__ import main

    commit(preview(f.long_csv(), LONG, db, mapping=suggested(f.long_csv(), LONG)), db, description="SCB")
    monkeypatch.setenv("DATABASE_URL", empty_url)
    assert main(["profiles"]) == 0
    out = capsys.readouterr().out
    assert PROFILE in out and "1 sparade profiler." in out and "scb_delomraden" in out

    assert main(["profiles", "rename", PROFILE, f"  {NEW} "]) == 0
    assert f"Profilen '{PROFILE}' heter nu '{NEW}'." in capsys.readouterr().out
    start = mapping_start(f.long_csv(["2026-03-31"]), "nasta.csv", db)
    assert start.recognised and start.mapping.profile == NEW, "the next file is read by it under its new name"
    assert _audit(db, "profil_omdopt") == [f"{PROFILE} → {NEW}"]

    assert main(["profiles", "rename", "Finns inte", "X"]) == 1
    assert "det finns ingen profil som heter 'Finns inte'. Inget ändrades." in capsys.readouterr().err
    assert main(["profiles", "remove", "Finns inte", "--yes"]) == 1
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    assert main(["profiles", "remove", NEW]) == 1
    with db.connect() as conn:
        assert [p["name"] for p in profiles.saved(conn)] == [NEW]

    assert main(["profiles", "remove", NEW, "--yes"]) == 0
    with db.connect() as conn:
        assert profiles.saved(conn) == []
    assert not mapping_start(f.long_csv(["2026-03-31"]), "nasta.csv", db).recognised
    assert _audit(db, "profil_borttagen") == [NEW]
    assert set(audit.entries(db)["Person"]) == {"lokal användare"}


@BACKENDS
def test_a_rename_to_a_name_in_use_or_to_nothing_is_refused(db: Engine) -> None:
    commit(preview(f.long_csv(), LONG, db, mapping=suggested(f.long_csv(), LONG)), db, description="SCB")
    wide = suggested(f.long_csv(), LONG, profile="Andra")
    with db.begin() as conn:
        conn.execute(schema.import_profiles.insert().values(
            name="Andra", format="scb_delomraden", signature="x" * 64, header="A | B", mapping=wide.to_json(),
            created_at=wide_time(), created_by="t", updated_at=wide_time(), updated_by="t"))
    for new, message in (("Andra", "det finns redan en profil som heter 'Andra'"),
                         ("   ", "ange ett nytt namn på profilen"),
                         ("x" * 200, "namnet är för långt")):
        with pytest.raises(profiles.ProfileError, match=message), db.begin() as conn:
            profiles.rename(conn, PROFILE, new, "t")
    with db.connect() as conn:
        assert sorted(p["name"] for p in profiles.saved(conn)) == sorted(["Andra", PROFILE])


def wide_time():  # noqa: ANN201
    from datetime import UTC, datetime

    return datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def saved_profile(app_env: str):  # noqa: ANN201
    """The shared test database with one profile of this test, removed again after."""
    database = engine(app_env)
    schema.metadata.create_all(database, tables=[schema.import_profiles])
    audit.ensure_tables(database)

    def clean() -> None:
        with database.begin() as conn:
            conn.execute(delete(schema.import_profiles).where(schema.import_profiles.c.name.in_(["UI-profil",
                                                                                                  "UI-profil 2"])))

    clean()
    with database.begin() as conn:
        profiles.save(conn, suggested(f.long_csv(), LONG, profile="UI-profil"), "scb_delomraden", "t", LONG)
    yield database
    clean()


def test_importera_renames_and_removes_a_profile(saved_profile: Engine) -> None:
    database = saved_profile
    at = open_app("pages/importera.py")
    assert not at.exception
    assert any(e.label.startswith("Sparade kolumnmappningar (") for e in at.expander)
    assert any("UI-profil" in t.value.to_csv() for t in at.dataframe)
    at.selectbox(key="profil_vald").select("UI-profil").run()
    at.text_input(key="profil_nytt_namn").input("UI-profil 2").run()
    at.button(key="profil_byt_namn").click().run()
    assert not at.exception
    assert any("Profilen ”UI-profil” heter nu ”UI-profil 2”." in s.value for s in at.success)
    with database.connect() as conn:
        names = set(conn.execute(select(schema.import_profiles.c.name)).scalars())
    assert "UI-profil 2" in names and "UI-profil" not in names
    assert "UI-profil → UI-profil 2" in _audit(database, "profil_omdopt")

    at.selectbox(key="profil_vald").select("UI-profil 2").run()
    assert at.button(key="profil_ta_bort").disabled, "a removal needs its confirmation first"
    at.checkbox(key="profil_bekrafta").check().run()
    at.button(key="profil_ta_bort").click().run()
    assert not at.exception
    assert any("Profilen ”UI-profil 2” är borttagen." in s.value for s in at.success)
    with database.connect() as conn:
        assert "UI-profil 2" not in set(conn.execute(select(schema.import_profiles.c.name)).scalars())
    assert "UI-profil 2" in _audit(database, "profil_borttagen")
