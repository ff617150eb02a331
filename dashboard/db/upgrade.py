"""Bringing a database built by an earlier version to the current schema, keeping everything in it.

A minimal, hand-written step (see README, "Schemaändringar"): each change is detected from the database itself,
so the step is safe to run on every write and does nothing on an up-to-date database.
"""

from __future__ import annotations

from sqlalchemy import Connection, inspect, text

from dashboard.db import schema

OLD = "observations_before_upgrade"  # SQLite: the old observations table while it is copied
# Columns added since the first release, with the DDL that adds them to an existing table (constant SQL).
ADDED_COLUMNS = {
    ("sources", "provenance"): "ALTER TABLE sources ADD COLUMN provenance VARCHAR(10) NOT NULL DEFAULT 'bundle'",
    ("datasets", "provenance"): "ALTER TABLE datasets ADD COLUMN provenance VARCHAR(10) NOT NULL DEFAULT 'bundle'",
    ("measures", "provenance"): "ALTER TABLE measures ADD COLUMN provenance VARCHAR(10) NOT NULL DEFAULT 'bundle'",
    ("observations", "status"): "ALTER TABLE observations ADD COLUMN status VARCHAR(20)",
}
# Tables added since, which a database that has every column above may still lack.
ADDED_TABLES = (schema.imports, schema.import_profiles)


def upgrade(conn: Connection) -> list[str]:
    """Add what an older database lacks, in `conn`'s transaction; returns what was changed (empty if nothing).

    Rows that existed before imports did are all bundled data, so new provenance columns default to 'bundle'.
    """
    inspector = inspect(conn)
    tables = set(inspector.get_table_names())
    done: list[str] = []
    if OLD in tables:  # a copy that was interrupted (SQLite runs DDL outside the transaction): finish it
        _copy_back(conn)
        done.append("observations (kopieringen avslutad)")
        tables = set(inspect(conn).get_table_names())
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
    for table in ADDED_TABLES:
        if not inspect(conn).has_table(table.name):
            table.create(conn)
            done.append(table.name)
    return done


def _value_nullable(conn: Connection) -> None:
    """observations.value may be NULL (a suppressed cell). SQLite cannot drop NOT NULL: copy the table."""
    if conn.dialect.name != "sqlite":
        conn.execute(text("ALTER TABLE observations ALTER COLUMN value DROP NOT NULL"))
        return
    conn.execute(text(f"ALTER TABLE observations RENAME TO {OLD}"))
    _copy_back(conn)


def _copy_back(conn: Connection) -> None:
    """From the renamed old table into a new observations table, then drop the old one. Safe to repeat: SQLite
    commits each DDL statement at once, so a crash may leave the old table renamed, with or without the new one
    (the copy and the drop are one transaction)."""
    for index in inspect(conn).get_indexes(OLD):
        conn.execute(text(f'DROP INDEX "{index["name"]}"'))
    schema.observations.create(conn, checkfirst=True)
    old_columns = {c["name"] for c in inspect(conn).get_columns(OLD)}
    columns = ", ".join(c.name for c in schema.observations.columns if c.name in old_columns)
    conn.execute(text("DELETE FROM observations"))  # empty unless a copy committed, which also dropped OLD
    conn.execute(text(f"INSERT INTO observations ({columns}) SELECT {columns} FROM {OLD}"))
    conn.execute(text(f"DROP TABLE {OLD}"))
