"""Saved column mappings (the table import_profiles): read by name or by a file's header signature, written with
the import that used them. Reading never creates the table (a database from before profiles has none)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, insert, inspect, select, update

from dashboard.db import schema
from dashboard.ingest.errors import IngestError
from dashboard.ingest.mapping import Mapping

p = schema.import_profiles


def _exists(conn: Connection) -> bool:
    return inspect(conn).has_table(p.name)


def saved(conn: Connection, format: str | None = None) -> list[dict]:
    """Every profile (of one format): name, signature, header, updated_at, updated_by; newest first."""
    if not _exists(conn):
        return []
    query = select(p.c.name, p.c.format, p.c.signature, p.c.header, p.c.updated_at, p.c.updated_by)
    if format:
        query = query.where(p.c.format == format)
    return [dict(r._mapping) for r in conn.execute(query.order_by(p.c.updated_at.desc(), p.c.name))]


def by_name(conn: Connection, name: str) -> Mapping | None:
    if not _exists(conn):
        return None
    text = conn.execute(select(p.c.mapping).where(p.c.name == name)).scalar()
    return _load(text, name) if text else None


def by_signature(conn: Connection, format: str, signature: str) -> Mapping | None:
    """The most recently saved profile for this header, or None."""
    if not _exists(conn):
        return None
    row = conn.execute(select(p.c.name, p.c.mapping).where(p.c.format == format, p.c.signature == signature)
                       .order_by(p.c.updated_at.desc(), p.c.name).limit(1)).first()
    return _load(row.mapping, row.name) if row else None


def _load(text: str, name: str) -> Mapping:
    mapping = Mapping.from_json(text)
    mapping.profile = name
    return mapping


def save(conn: Connection, mapping: Mapping, format: str, who: str, file_name: str) -> bool:
    """Save `mapping` under its profile name, in `conn`'s transaction; True if anything changed. A name already
    used for another header is refused: that profile is kept as it is."""
    name = mapping.profile
    have = conn.execute(select(p.c.signature, p.c.mapping).where(p.c.name == name)).first()
    now = datetime.now(UTC)
    header = " | ".join(mapping.header)
    if have is None:
        conn.execute(insert(p).values(name=name, format=format, signature=mapping.signature, header=header,
                                      mapping=mapping.to_json(), created_at=now, created_by=who, updated_at=now,
                                      updated_by=who))
        return True
    if have.signature != mapping.signature:
        raise IngestError(file_name, f"profilen '{name}' finns redan för en annan rubrikrad och skrivs inte över; "
                          "välj ett annat namn på profilen", column="profil")
    if Mapping.from_json(have.mapping).same_as(mapping):
        return False
    conn.execute(update(p).where(p.c.name == name).values(mapping=mapping.to_json(), header=header, updated_at=now,
                                                          updated_by=who))
    return True
