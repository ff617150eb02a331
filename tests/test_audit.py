"""The audit log on SQLite and PostgreSQL: entries as the Data page shows them, one sign-in per sign-in, deck
changes made on the pages logged with the person, none from scripts, and the log survives `build-db`."""

from __future__ import annotations

import uuid

import pytest

from dashboard.db import audit, decks, schema
from tests.apptest import open_app


def _mine(db, person: str):
    log = audit.entries(db)
    return log[log["Person"] == person]


def test_entries_newest_first_in_swedish(db) -> None:
    person = f"test-{uuid.uuid4().hex[:8]}@stockholm.se"
    audit.record(person, "Test Testsson", "läsare", "export_csv", "karta", "karta.csv", db)
    audit.record(person, "Test Testsson", "läsare", "export_pptx", "presentation", "”Nämnden 14 mars”", db)
    mine = _mine(db, person)
    assert list(mine.columns) == ["Tid", "Person", "Namn", "Roll", "Händelse", "Vy", "Detaljer"]
    assert list(mine["Händelse"]) == ["Export PowerPoint", "Export CSV"]
    assert list(mine["Vy"]) == ["presentation", "karta"]
    assert mine["Detaljer"].iloc[0] == "”Nämnden 14 mars”"  # Swedish text kept
    assert all(len(t) == 19 and t[4] == "-" and t[10] == " " for t in mine["Tid"])  # Stockholm time, to the second


def test_an_unknown_action_is_refused(db) -> None:
    with pytest.raises(ValueError, match="okänd händelse"):
        audit.record("x@stockholm.se", "X", "läsare", "exportera_allt", engine=db)


def test_one_sign_in_is_one_entry(db) -> None:
    person = f"test-{uuid.uuid4().hex[:8]}@stockholm.se"
    assert audit.record_once(person, "T", "läsare", "inloggning", detail="inloggad 2026-12-03 08:00:00", engine=db)
    assert not audit.record_once(person, "T", "läsare", "inloggning", detail="inloggad 2026-12-03 08:00:00",
                                 engine=db)  # another tab, the same sign-in
    assert audit.record_once(person, "T", "läsare", "inloggning", detail="inloggad 2026-12-03 09:00:00", engine=db)
    assert len(_mine(db, person)) == 2


def test_the_log_is_not_emptied_by_a_rebuild() -> None:
    assert audit.audit_log not in schema.TABLES_CHILD_FIRST and audit.audit_log not in schema.EXTRA_TABLES
    # the rebuild itself, with an entry in the log, is in tests/test_decks.py (one rebuild for both)


def test_deck_changes_on_the_pages_are_logged_with_the_person(app_env: str) -> None:
    from tests.test_app_presentation import _add_from, _deck_id

    name = f"Granskad {uuid.uuid4().hex[:6]}"
    _add_from("pages/kaa.py", "kaa", None, name, {"jmf": "ar", "kon": "totalt"})
    deck = _deck_id(name)
    _add_from("pages/kaa.py", "kaa", deck, name, {"jmf": "jan_mars", "kon": "totalt"})
    at = open_app("pages/presentation.py", {"deck": deck})
    from queries.decks import slides_of

    first, second = slides_of(int(deck))
    at.button(key=f"upp_{second.id}").click().run()
    at.button(key=f"bort_{first.id}").click().run()
    assert not at.exception
    log = audit.entries()
    ours = log[log["Detaljer"].str.contains(f"presentation {deck}[,: ]", regex=True)].iloc[::-1]
    assert list(ours["Händelse"]) == ["Presentation skapad", "Bild tillagd", "Bild tillagd", "Bild flyttad",
                                      "Bild borttagen"]
    assert set(ours["Person"]) == {"lokal användare"} and set(ours["Roll"]) == {"förvaltare"}
    assert f"”{name}”" in ours["Detaljer"].iloc[0]
    assert "plats 2 → 1" in ours["Detaljer"].iloc[3]


def test_deck_changes_outside_the_pages_are_not_logged(db) -> None:
    import dashboard.ui.signin  # noqa: F401 - the observer is registered, as in a running app

    before = len(audit.entries(db))
    deck = decks.create_deck(f"Skript {uuid.uuid4().hex[:6]}", db)
    decks.delete_deck(deck, db)
    assert len(audit.entries(db)) == before


def test_the_data_page_shows_the_log_to_the_local_user(app_env: str) -> None:
    audit.record("lokal användare", "lokal användare", "förvaltare", "export_csv", "karta", "syns_i_loggen.csv")
    at = open_app("pages/data.py")
    assert not at.exception
    assert any(h.value == "Granskningslogg" for h in at.header)
    table = next(d.value for d in at.dataframe if "Händelse" in d.value.columns)
    assert "syns_i_loggen.csv" in set(table["Detaljer"])
    assert any(b.label == "Hela loggen som CSV (Excel, semikolon)" for b in at.get("download_button"))
