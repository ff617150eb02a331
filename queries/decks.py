"""Reading the presentations (decks) and their slides; the tables and the writes are in dashboard.db.decks.

Reads only read: build-db creates the tables, and a database without them is not built (see queries.db.problem).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, select

from dashboard.db.decks import deck_owners, deck_slides, decks
from queries.db import engine as default_engine


@dataclass(frozen=True)
class Deck:
    id: int
    name: str
    created: datetime
    slides: int
    owner: str = ""  # the e-mail of who made it; "" when made without sign-in


@dataclass(frozen=True)
class DeckSlide:
    id: int
    deck: int
    position: int
    view: str
    state: dict[str, str]
    title: str


def list_decks(engine: Engine | None = None) -> list[Deck]:
    """Every deck with its number of slides and who made it, by name."""
    count = func.count(deck_slides.c.id)
    query = (
        select(decks.c.id, decks.c.name, decks.c.created, count.label("slides"), deck_owners.c.owner)
        .select_from(decks.outerjoin(deck_slides, deck_slides.c.deck == decks.c.id)
                     .outerjoin(deck_owners, deck_owners.c.deck == decks.c.id))
        .group_by(decks.c.id, decks.c.name, decks.c.created, deck_owners.c.owner)
        .order_by(decks.c.name)
    )
    with (engine or default_engine()).connect() as conn:
        return [Deck(r.id, r.name, r.created, int(r.slides), r.owner or "") for r in conn.execute(query)]


def deck_by_id(deck: int, engine: Engine | None = None) -> Deck | None:
    return next((d for d in list_decks(engine) if d.id == deck), None)


def slides_of(deck: int, engine: Engine | None = None) -> list[DeckSlide]:
    """The deck's slides in order, each with its view state as a dict."""
    query = (select(deck_slides).where(deck_slides.c.deck == deck)
             .order_by(deck_slides.c.position, deck_slides.c.id))
    with (engine or default_engine()).connect() as conn:
        return [DeckSlide(r.id, r.deck, r.position, r.view, json.loads(r.state), r.title)
                for r in conn.execute(query)]
