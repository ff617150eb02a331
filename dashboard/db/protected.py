"""The protected tables of "Uppföljning per område", computed once per build and stored (`individ_skyddat`):
a page load reads them instead of protecting on the spot (the solver takes seconds per year and register)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
from sqlalchemy import Engine, delete, extract, insert, select, text

from dashboard.core.suppression import DISPLAY_SUFFIX
from dashboard.db import keys
from dashboard.db.individ_schema import jobbtorg, kaa, personer, skyddat, stockholmsjobb
from queries.demo import every_data_set

NO_GROUP = ""  # målgrupp of the registers without one


def registers() -> dict[str, tuple[Callable, list[str]]]:
    """register → (the function that protects one year at every level, its counts)."""
    from queries import individ as q

    return {"kaa": (q.suppressed_kaa_funnel_levels, q.KAA_COUNTS),
            "jobbtorg": (q.suppressed_jobbtorg_flows_levels, q.JOBBTORG_COUNTS),
            "stockholmsjobb": (q.suppressed_stockholmsjobb_outcomes_levels, q.STHLMSJOBB_COUNTS)}


def long_rows(register: str, frame: pd.DataFrame, counts: list[str]) -> list[dict]:
    """One row per cell of a protected frame (the shape of `suppressed_*_levels(...).frame`)."""
    rows = []
    for record in frame.to_dict("records"):
        for count in counts:
            value = record[count]
            rows.append({"register": register, "dataset": record["dataset"], "year": int(record["year"]),
                         "level": record["level"], "area": record["area"], "gender": record["gender"],
                         "malgrupp": record.get("malgrupp", NO_GROUP), "count": count,
                         "value": None if pd.isna(value) else int(value),
                         "display": record[count + DISPLAY_SUFFIX]})
    return rows


def _years(engine: Engine, datasets: Sequence[str] | None) -> dict[str, list[tuple[str, int]]]:
    """register → its (data set, year) pairs: KAA's register years; for Jobbtorg and Stockholmsjobb every year
    a spell starts or ends in (an import may bring one register without the others)."""
    out: dict[str, set[tuple[str, int]]] = {"kaa": set(), "jobbtorg": set(), "stockholmsjobb": set()}
    with engine.connect() as conn:
        query = select(kaa.c.dataset, kaa.c.year).distinct()
        if datasets is not None:
            query = query.where(kaa.c.dataset.in_(list(datasets)))
        out["kaa"] = {(d, int(y)) for d, y in conn.execute(query)}
        for name, table in (("jobbtorg", jobbtorg), ("stockholmsjobb", stockholmsjobb)):
            for column in (table.c.start_date, table.c.end_date):
                year = extract("year", column)
                query = select(table.c.dataset, year).where(column.is_not(None)).distinct()
                if datasets is not None:
                    query = query.where(table.c.dataset.in_(list(datasets)))
                out[name] |= {(d, int(y)) for d, y in conn.execute(query)}
    return {k: sorted(v) for k, v in out.items()}


def store_protected(engine: Engine, datasets: Sequence[str] | None = None) -> int:
    """Protect every register, data set and year of the individual-level tables and replace the stored
    tables in one transaction; returns the number of cells stored. With `datasets`, only those data sets are
    protected again (after an import), the others' stored tables are left as they are."""
    pairs = _years(engine, datasets)
    rows: list[dict] = []
    if engine.dialect.name == "postgresql":
        # Fresh statistics: without them the planner takes just-filled tables for empty and the protection's
        # queries run for minutes (Jobbtorg, 20 000 rows: 124 s → 1,3 s). The names are the schema's own.
        with engine.begin() as conn:
            conn.execute(text("ANALYZE " + ", ".join(t.name for t in (personer, kaa, jobbtorg, stockholmsjobb))))
    mark_key = keys.marks_key(engine)
    with every_data_set():  # the demo too under DASHBOARD_DEMO=0: the reading side filters again
        for register, (protect, counts) in registers().items():
            for dataset, year in pairs[register]:
                shown = protect(int(year), dataset=dataset, engine=engine, mark_key=mark_key).frame
                rows += long_rows(register, shown, counts)
    with engine.begin() as conn:
        conn.execute(delete(skyddat) if datasets is None else
                     delete(skyddat).where(skyddat.c.dataset.in_(list(datasets))))
        for start in range(0, len(rows), 5000):
            conn.execute(insert(skyddat), rows[start:start + 5000])
    return len(rows)
