"""The audit log: who did what and when (sign-ins, every export with the view it came from, deck changes,
imports and removals of data sets).

Like the decks, the log is user content on the shared metadata, deliberately not in
`schema.TABLES_CHILD_FIRST` or `schema.EXTRA_TABLES`: a rebuild (`build-db`) never empties it.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pandas as pd
from sqlalchemy import Column, DateTime, Engine, Integer, String, Table, Text, insert, select

from dashboard.db.schema import metadata
from queries.db import engine as default_engine

log = logging.getLogger(__name__)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", DateTime(timezone=True), nullable=False, index=True),
    Column("person", String(320), nullable=False),  # e-mail, or "lokal användare"
    Column("name", String(200), nullable=False),
    Column("role", String(20), nullable=False),
    Column("action", String(40), nullable=False),  # a key of ACTIONS
    Column("view", String(60), nullable=False),  # the page or view it came from ("" if none)
    Column("detail", Text, nullable=False),  # e.g. the file name or the deck's name
)

TABLES = [audit_log]

# Action → how the log shows it.
ACTIONS: dict[str, str] = {
    "inloggning": "Inloggning",
    "utloggning": "Utloggning",
    "nekad": "Nekad åtkomst",
    "export_csv": "Export CSV",
    "export_excel": "Export Excel",
    "export_pptx": "Export PowerPoint",
    "export_pdf": "Export PDF",
    "export_png": "Export PNG",
    "export_svg": "Export SVG",
    "presentation_skapad": "Presentation skapad",
    "presentation_borttagen": "Presentation borttagen",
    "bild_tillagd": "Bild tillagd",
    "bild_flyttad": "Bild flyttad",
    "bild_borttagen": "Bild borttagen",
    "import": "Import",
    "dataset_borttaget": "Dataset borttaget",
    "profil_omdopt": "Profil fick nytt namn",
    "profil_borttagen": "Profil borttagen",
    "logg_nedladdad": "Granskningslogg nedladdad",
}
COLUMNS = {"at": "Tid", "person": "Person", "name": "Namn", "role": "Roll", "action": "Händelse", "view": "Vy",
           "detail": "Detaljer"}


def ensure_tables(engine: Engine | None = None) -> Engine:
    """Create the audit table if it is missing (never touches other tables); returns the engine."""
    engine = engine or default_engine()
    metadata.create_all(engine, tables=TABLES)
    return engine


def record(person: str, name: str, role: str, action: str, view: str = "", detail: str = "",
           engine: Engine | None = None) -> None:
    """Add one entry. Raises ValueError for an action not in ACTIONS (so that every entry can be read)."""
    if action not in ACTIONS:
        raise ValueError(f"okänd händelse i granskningsloggen: {action}")
    with ensure_tables(engine).begin() as conn:
        conn.execute(insert(audit_log).values(
            at=datetime.now(UTC), person=person[:320], name=name[:200], role=role[:20], action=action,
            view=view[:60], detail=detail))
    log.info("granskning: %s %s %s %s", person, action, view, detail)


def record_once(person: str, name: str, role: str, action: str, view: str = "", detail: str = "",
                engine: Engine | None = None) -> bool:
    """Like `record`, unless the same person already has this action with this detail (e.g. one sign-in seen by
    several sessions: each tab and each typed address is a new session). Whether it was written."""
    engine = ensure_tables(engine)
    with engine.connect() as conn:
        seen = conn.execute(select(audit_log.c.id).where(
            audit_log.c.person == person[:320], audit_log.c.action == action, audit_log.c.detail == detail)
            .limit(1)).first()
    if seen:
        return False
    record(person, name, role, action, view, detail, engine)
    return True


def entries(engine: Engine | None = None, limit: int | None = None) -> pd.DataFrame:
    """The log, newest first, with Swedish column names and actions (as the Data page shows and exports it).
    Reading creates no table: `build-db` does (and the first entry written)."""
    engine = engine or default_engine()
    query = select(*(audit_log.c[c] for c in COLUMNS)).order_by(audit_log.c.at.desc(), audit_log.c.id.desc())
    if limit:
        query = query.limit(limit)
    with engine.connect() as conn:
        frame = pd.DataFrame(conn.execute(query).mappings().all(), columns=list(COLUMNS))
    frame["action"] = frame["action"].map(lambda a: ACTIONS.get(a, a))
    frame["at"] = [pd.Timestamp(t).tz_localize("UTC") if pd.Timestamp(t).tzinfo is None else pd.Timestamp(t)
                   for t in frame["at"]]
    frame["at"] = [t.tz_convert("Europe/Stockholm").strftime("%Y-%m-%d %H:%M:%S") for t in frame["at"]]
    return frame.rename(columns=COLUMNS)
