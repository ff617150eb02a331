"""Presentations (decks) kept in the database: the tables and the writes.

Decks are user content. They live on the shared metadata, so `metadata.create_all` creates them, but they are
deliberately not in `schema.TABLES_CHILD_FIRST` or `schema.EXTRA_TABLES`: a rebuild (`build-db`) never empties them.
Reads are in `queries.decks`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    delete,
    insert,
    select,
    update,
)

from dashboard.db.schema import metadata
from queries.db import engine as default_engine

decks = Table(
    "decks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("created", DateTime(timezone=True), nullable=False),
)

deck_slides = Table(
    "deck_slides",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("deck", ForeignKey("decks.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("position", Integer, nullable=False),  # 0, 1, 2 … within the deck
    Column("view", String(40), nullable=False),  # a key of dashboard.views.presentable.VIEWS
    Column("state", Text, nullable=False),  # the view's URL state as a JSON object of strings
    Column("title", Text, nullable=False),
)

# Who made the deck (e-mail from the sign-in); a deck made without sign-in has no row. A table of its own, so that
# databases whose decks table predates it need no column added.
deck_owners = Table(
    "deck_owners",
    metadata,
    Column("deck", ForeignKey("decks.id", ondelete="CASCADE"), primary_key=True),
    Column("owner", String(320), nullable=False),
)

TABLES = [decks, deck_slides, deck_owners]

# Called as observer(action, detail) after each change is committed: the Streamlit side
# (`dashboard.ui.signin`) writes them to the audit log with the person who made them.
observers: list[Callable[[str, str], None]] = []


def _changed(action: str, detail: str) -> None:
    for observer in observers:
        observer(action, detail)


def slide_count(count: int) -> str:
    """'1 bild', '2 bilder', '0 bilder': how every page counts slides."""
    return f"{count} bild" if count == 1 else f"{count} bilder"


class DeckError(ValueError):
    """A deck operation that cannot be done, told in Swedish."""


def ensure_tables(engine: Engine | None = None) -> Engine:
    """Create the deck tables if they are missing (never touches other tables); returns the engine."""
    engine = engine or default_engine()
    metadata.create_all(engine, tables=TABLES)
    return engine


def create_deck(name: str, engine: Engine | None = None, owner: str = "") -> int:
    """A new, empty deck made by `owner` (an e-mail; "" without sign-in); its id. Raises DeckError if the name is
    empty or taken."""
    name = name.strip()
    if not name:
        raise DeckError("Presentationen behöver ett namn.")
    engine = ensure_tables(engine)
    with engine.begin() as conn:
        if conn.execute(select(decks.c.id).where(decks.c.name == name)).first():
            raise DeckError(f"Det finns redan en presentation som heter ”{name}”.")
        result = conn.execute(insert(decks).values(name=name, created=datetime.now(UTC)))
        created = int(result.inserted_primary_key[0])
        if owner:
            conn.execute(insert(deck_owners).values(deck=created, owner=owner))
    _changed("presentation_skapad", f"presentation {created} ”{name}”")
    return created


def delete_deck(deck: int, engine: Engine | None = None) -> None:
    with ensure_tables(engine).begin() as conn:
        name = conn.execute(select(decks.c.name).where(decks.c.id == deck)).scalar()
        conn.execute(delete(deck_slides).where(deck_slides.c.deck == deck))
        conn.execute(delete(deck_owners).where(deck_owners.c.deck == deck))
        conn.execute(delete(decks).where(decks.c.id == deck))
    if name is not None:
        _changed("presentation_borttagen", f"presentation {deck} ”{name}”")


def add_slide(deck: int, view: str, state: Mapping[str, str], title: str, engine: Engine | None = None) -> int:
    """Append a view with its state to the end of the deck; the slide's id."""
    with ensure_tables(engine).begin() as conn:
        if not conn.execute(select(decks.c.id).where(decks.c.id == deck)).first():
            raise DeckError("Presentationen finns inte längre.")
        last = conn.execute(select(deck_slides.c.position).where(deck_slides.c.deck == deck)
                            .order_by(deck_slides.c.position.desc()).limit(1)).scalar()
        result = conn.execute(insert(deck_slides).values(
            deck=deck, position=0 if last is None else last + 1, view=view,
            state=json.dumps({k: str(v) for k, v in state.items()}, ensure_ascii=False), title=title))
        slide = int(result.inserted_primary_key[0])
    _changed("bild_tillagd", f"presentation {deck}, bild {slide} ”{title}” ({view})")
    return slide


def _ordered_ids(conn, deck: int) -> list[int]:
    rows = conn.execute(select(deck_slides.c.id).where(deck_slides.c.deck == deck)
                        .order_by(deck_slides.c.position, deck_slides.c.id))
    return [r.id for r in rows]


def _renumber(conn, ids: list[int]) -> None:
    for position, slide in enumerate(ids):
        conn.execute(update(deck_slides).where(deck_slides.c.id == slide).values(position=position))


def move_slide(slide: int, step: int, engine: Engine | None = None) -> None:
    """Move a slide `step` places (−1 = up, +1 = down); at either end nothing happens."""
    with ensure_tables(engine).begin() as conn:
        deck = conn.execute(select(deck_slides.c.deck).where(deck_slides.c.id == slide)).scalar()
        if deck is None:
            raise DeckError("Bilden finns inte längre.")
        ids = _ordered_ids(conn, deck)
        old = ids.index(slide)
        new = min(max(old + step, 0), len(ids) - 1)
        ids.insert(new, ids.pop(old))
        _renumber(conn, ids)
    if new != old:
        _changed("bild_flyttad", f"presentation {deck}, bild {slide}: plats {old + 1} → {new + 1}")


def remove_slide(slide: int, engine: Engine | None = None) -> None:
    """Remove a slide; the others keep their order (positions 0, 1, 2 …)."""
    with ensure_tables(engine).begin() as conn:
        deck = conn.execute(select(deck_slides.c.deck).where(deck_slides.c.id == slide)).scalar()
        if deck is None:
            return
        conn.execute(delete(deck_slides).where(deck_slides.c.id == slide))
        _renumber(conn, _ordered_ids(conn, deck))
    _changed("bild_borttagen", f"presentation {deck}, bild {slide}")
