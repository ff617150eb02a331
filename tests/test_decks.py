"""Presentations (decks) in the database: create, add, reorder, remove, on SQLite and PostgreSQL; a rebuild keeps them."""

from __future__ import annotations

import uuid

import pytest

from dashboard.db import decks, schema
from queries import decks as deck_queries


def _name() -> str:
    return f"Testpresentation {uuid.uuid4().hex[:8]}"


def _titles(deck: int, db) -> list[str]:
    return [s.title for s in deck_queries.slides_of(deck, db)]


def test_create_add_reorder_and_remove(db) -> None:
    name = _name()
    deck = decks.create_deck(name, db)
    assert any(d.id == deck and d.name == name and d.slides == 0 for d in deck_queries.list_decks(db))
    ids = [decks.add_slide(deck, "karta", {"matt": "m", "period": str(i)}, f"Bild {i}", db) for i in (1, 2, 3)]
    assert _titles(deck, db) == ["Bild 1", "Bild 2", "Bild 3"]
    assert deck_queries.slides_of(deck, db)[1].state == {"matt": "m", "period": "2"}

    decks.move_slide(ids[2], -1, db)
    assert _titles(deck, db) == ["Bild 1", "Bild 3", "Bild 2"]
    decks.move_slide(ids[0], -1, db)  # already first: nothing happens
    decks.move_slide(ids[0], 1, db)
    assert _titles(deck, db) == ["Bild 3", "Bild 1", "Bild 2"]
    decks.move_slide(ids[1], 1, db)  # already last
    assert _titles(deck, db) == ["Bild 3", "Bild 1", "Bild 2"]

    decks.remove_slide(ids[0], db)
    assert _titles(deck, db) == ["Bild 3", "Bild 2"]
    assert [s.position for s in deck_queries.slides_of(deck, db)] == [0, 1]
    assert deck_queries.deck_by_id(deck, db).slides == 2

    decks.delete_deck(deck, db)
    assert deck_queries.deck_by_id(deck, db) is None
    assert deck_queries.slides_of(deck, db) == []


def test_a_deck_knows_who_made_it(db) -> None:
    mine = decks.create_deck(_name(), db, owner="lisa@stockholm.se")
    nobodys = decks.create_deck(_name(), db)
    assert deck_queries.deck_by_id(mine, db).owner == "lisa@stockholm.se"
    assert deck_queries.deck_by_id(nobodys, db).owner == ""
    decks.delete_deck(mine, db)
    assert deck_queries.deck_by_id(mine, db) is None
    decks.create_deck(_name(), db, owner="folke@stockholm.se")  # a reused id starts without the old owner
    assert all(d.owner in ("", "folke@stockholm.se") for d in deck_queries.list_decks(db) if d.id == mine)


def test_names_are_unique_and_required(db) -> None:
    name = _name()
    decks.create_deck(name, db)
    with pytest.raises(decks.DeckError, match="finns redan"):
        decks.create_deck(f"  {name} ", db)
    with pytest.raises(decks.DeckError, match="namn"):
        decks.create_deck("   ", db)
    with pytest.raises(decks.DeckError):
        decks.add_slide(-1, "karta", {}, "x", db)


def test_state_keeps_swedish_text(db) -> None:
    deck = decks.create_deck(_name(), db)
    decks.add_slide(deck, "karta", {"grupp": "unga 18–24 år", "kon": "män"}, "Unga – män", db)
    (slide,) = deck_queries.slides_of(deck, db)
    assert slide.state == {"grupp": "unga 18–24 år", "kon": "män"} and slide.title == "Unga – män"


def test_decks_are_not_rebuilt_tables() -> None:
    rebuilt = {t.name for t in [*schema.TABLES_CHILD_FIRST, *schema.EXTRA_TABLES]}
    assert not rebuilt & {"decks", "deck_slides"}
    assert {"decks", "deck_slides"} <= set(schema.metadata.tables)


def test_a_rebuild_keeps_the_decks_and_the_audit_log(db) -> None:
    from dashboard.db import audit
    from dashboard.db.build import full_bundle
    from dashboard.db.protected import store_protected
    from dashboard.ingest.load import write

    deck = decks.create_deck(_name(), db)
    decks.add_slide(deck, "kaa", {"jmf": "ar", "kon": "totalt"}, "KAA-tratten", db)
    detail = f"före ombyggnaden {uuid.uuid4().hex[:8]}"
    audit.record("lokal användare", "lokal användare", "förvaltare", "export_csv", "kaa", detail, db)
    write(db, full_bundle())  # the same rebuild build-db does, so later tests see the same database:
    store_protected(db)  # write() empties the derived protected tables; build-db fills them again
    assert deck_queries.deck_by_id(deck, db).slides == 1
    assert _titles(deck, db) == ["KAA-tratten"]
    assert detail in set(audit.entries(db)["Detaljer"])  # the log is user content, like the decks


def test_slides_are_counted_in_swedish() -> None:
    from dashboard.db.decks import slide_count

    assert [slide_count(n) for n in (0, 1, 2, 11)] == ["0 bilder", "1 bild", "2 bilder", "11 bilder"]
