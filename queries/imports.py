"""The import log and the imported data sets (read-only; no table is created here)."""

from __future__ import annotations

import pandas as pd
from sqlalchemy import Engine, inspect, select

from dashboard.db.schema import IMPORT, datasets, imports
from queries.db import engine as default_engine

LOG_COLUMNS = ["import_id", "imported_at", "dataset", "file_name", "format", "rows", "new_rows", "replaced_rows",
               "unchanged_rows", "description", "imported_by", "sha256", "note"]


def import_log(engine: Engine | None = None) -> pd.DataFrame:
    """Every import, newest first (without the stored files); empty if no import was ever made."""
    engine = engine or default_engine()
    with engine.connect() as conn:
        if not inspect(conn).has_table("imports"):
            return pd.DataFrame(columns=LOG_COLUMNS)
        return pd.read_sql(select(*(imports.c[c] for c in LOG_COLUMNS)).order_by(imports.c.import_id.desc()), conn)


def imported_datasets(engine: Engine | None = None) -> pd.DataFrame:
    """The imported data sets (dataset, title, origin, description)."""
    with (engine or default_engine()).connect() as conn:
        return pd.read_sql(select(datasets.c.dataset, datasets.c.title, datasets.c.origin, datasets.c.description)
                           .where(datasets.c.provenance == IMPORT).order_by(datasets.c.dataset), conn)
