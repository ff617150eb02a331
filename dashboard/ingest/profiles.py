"""Saved column mappings (the table import_profiles): read by name or by a file's header signature, written with
the import that used them, renamed or removed by an analyst. Reading never creates the table (a database from
before profiles has none). The import log keeps the name a profile had when it was used."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, delete, insert, inspect, select, update

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


class ProfileError(ValueError):
    """A rename or removal that cannot be done, said in Swedish."""


def _clean(name: str) -> str:
    return " ".join(str(name).split())


def rename(conn: Connection, old: str, new: str, who: str) -> str:
    """Give the profile `old` the name `new` (spaces tidied), in `conn`'s transaction; returns the new name."""
    new = _clean(new)
    if not new:
        raise ProfileError("ange ett nytt namn på profilen")
    if len(new) > p.c.name.type.length:
        raise ProfileError(f"namnet är för långt (högst {p.c.name.type.length} tecken)")
    if not _exists(conn) or conn.execute(select(p.c.name).where(p.c.name == old)).first() is None:
        raise ProfileError(f"det finns ingen profil som heter '{old}'")
    if new == old:
        return new
    if conn.execute(select(p.c.name).where(p.c.name == new)).first() is not None:
        raise ProfileError(f"det finns redan en profil som heter '{new}'; välj ett annat namn")
    conn.execute(update(p).where(p.c.name == old).values(name=new, updated_at=datetime.now(UTC), updated_by=who))
    return new


def remove(conn: Connection, name: str) -> None:
    """Remove the profile `name` (a file with its header is then mapped anew), in `conn`'s transaction."""
    if not _exists(conn) or conn.execute(delete(p).where(p.c.name == name)).rowcount == 0:
        raise ProfileError(f"det finns ingen profil som heter '{name}'")
