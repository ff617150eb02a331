"""Bringing a database built by an earlier version to the current schema, keeping everything in it.

A minimal, hand-written step (see README, "Schemaändringar"): each change is detected from the database itself,
so the step is safe to run on every write and does nothing on an up-to-date database.
"""

from __future__ import annotations

from sqlalchemy import Connection, inspect, text

from dashboard import schema

# Columns added since the first release, with the DDL that adds them to an existing table (constant SQL).
ADDED_COLUMNS = {
    ("sources", "provenance"): "ALTER TABLE sources ADD COLUMN provenance VARCHAR(10) NOT NULL DEFAULT 'bundle'",
    ("datasets", "provenance"): "ALTER TABLE datasets ADD COLUMN provenance VARCHAR(10) NOT NULL DEFAULT 'bundle'",
    ("measures", "provenance"): "ALTER TABLE measures ADD COLUMN provenance VARCHAR(10) NOT NULL DEFAULT 'bundle'",
    ("observations", "status"): "ALTER TABLE observations ADD COLUMN status VARCHAR(20)",
}


def upgrade(conn: Connection) -> list[str]:
    """Add what an older database lacks, in `conn`'s transaction; returns what was changed (empty if nothing).

    Rows that existed before imports did are all bundled data, so new provenance columns default to 'bundle'.
    """
    inspector = inspect(conn)
    tables = set(inspector.get_table_names())
    done: list[str] = []
    for (table, column), ddl in ADDED_COLUMNS.items():
        if table in tables and column not in {c["name"] for c in inspector.get_columns(table)}:
            conn.execute(text(ddl))
            done.append(f"{table}.{column}")
    if "observations" in tables:
        value = next(c for c in inspect(conn).get_columns("observations") if c["name"] == "value")
        if not value["nullable"]:
            _value_nullable(conn)
            done.append("observations.value NULL")
    if done:
        schema.metadata.create_all(conn)  # tables added since (e.g. imports)
    return done


def _value_nullable(conn: Connection) -> None:
    """observations.value may be NULL (a suppressed cell). SQLite cannot drop NOT NULL: copy the table."""
    if conn.dialect.name != "sqlite":
        conn.execute(text("ALTER TABLE observations ALTER COLUMN value DROP NOT NULL"))
        return
    old = "observations_before_upgrade"
    conn.execute(text(f"ALTER TABLE observations RENAME TO {old}"))
    for index in inspect(conn).get_indexes(old):
        conn.execute(text(f'DROP INDEX "{index["name"]}"'))
    schema.observations.create(conn)
    columns = ", ".join(c.name for c in schema.observations.columns)
    conn.execute(text(f"INSERT INTO observations ({columns}) SELECT {columns} FROM {old}"))
    conn.execute(text(f"DROP TABLE {old}"))
