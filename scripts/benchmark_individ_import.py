"""Times the import of a realistic year of the case systems' extracts: ≈ 10 000 KAA rows, 20 000 Jobbtorg rows and
3 000 Stockholmsjobb rows as Excel files, preview and import (with the protected tables computed again) in one
run, on a fresh database built without the demo data. Goal: ≤ 30 s for the year.

    .venv/bin/python scripts/benchmark_individ_import.py [--url sqlite:///… | postgresql+psycopg://…] [--csv]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dashboard.db import protected  # noqa: E402
from dashboard.db.build import build_db  # noqa: E402
from dashboard.ingest import commit, preview  # noqa: E402
from queries.db import engine as make_engine  # noqa: E402
from tests import fixtures_individ as fx  # noqa: E402

YEAR = 2023
GROUPS = ["Försörjningsstöd", "Ingång 20–29 år", "Övriga målgrupper", "KAA 16–19 år", "Stockholmsjobb"]


def _stadsdelar(db) -> list[str]:  # noqa: ANN001
    from sqlalchemy import select

    from dashboard.db.schema import areas

    with db.connect() as conn:
        return list(conn.execute(select(areas.c.name).where(areas.c.level == "stadsdel")).scalars())


def year_of_extracts(stadsdelar: list[str], seed: int = 2023) -> dict[str, tuple[list, list[list]]]:
    """(header, rows) per register for one year; the KAA målgrupp and the Stockholmsjobb aspiranter are people
    of the other files, as in the case systems."""
    rng = random.Random(seed)
    weights = [rng.uniform(0.2, 3) for _ in stadsdelar]
    home: dict[str, tuple[str, str, int]] = {}

    def person(n: int, young: bool) -> tuple[str, str, str, int]:
        pid = f"U-{n:07d}"
        if pid not in home:
            home[pid] = (rng.choice(["Kvinna", "Man"]), rng.choices(stadsdelar, weights)[0],
                         YEAR - (rng.randint(16, 19) if young else rng.randint(20, 60)))
        return (pid, *home[pid])

    def day(lo: int = 1, hi: int = 365) -> date:
        return date(YEAR, 1, 1) + timedelta(days=rng.randint(lo, hi) - 1)

    kaa = []
    for n in range(10_000):
        pid, gender, area, birth = person(n, True)
        u = rng.random() < 0.85
        r = u and rng.random() < 0.8
        i = r and rng.random() < 0.5
        a = i and rng.random() < 0.6
        reason = rng.choice(["Arbete", "Studier", "Studier", "Flytt"]) if a else ""
        kaa.append([pid, gender, birth, area, day(), "Ja" if u else "Nej", "Ja" if r else "Nej", "Ja" if i else "Nej",
                    "Ja" if a else "Nej", reason, reason if reason in ("Arbete", "Studier") else ""])
    jobbtorg = []
    for n in range(20_000):
        group = rng.choices(GROUPS, [35, 20, 20, 15, 10])[0]
        pid, gender, area, birth = person(rng.randrange(10_000) if group.startswith("KAA") else 20_000 + n,
                                          group.startswith("KAA"))
        start = day(1, 330)
        ended = rng.random() < 0.6
        end = start + timedelta(days=rng.randint(1, 34)) if ended else None
        reason = rng.choice(["Arbete", "Studier", "Annat", "Byte av målgrupp"]) if ended else ""
        jobbtorg.append([pid, group, start, end, reason, gender, birth, area])
    jobbtorg = list({(r[0], r[1], r[2]): r for r in jobbtorg}.values())
    sj = []
    for n in range(3_000):
        pid, gender, area, birth = person(20_000 + n, False)
        start = day(1, 200)
        end = start + timedelta(days=rng.randint(90, 160)) if rng.random() < 0.7 else None
        outcome = rng.choice(["Arbete", "Studier", "Annat", ""]) if end else ""
        sj.append([pid, rng.choice(fx.SJ_KINDS), start, end, outcome,
                   rng.choice(["Arbetsmarknadsnämnden", "Stadsdelsnämnd"]), rng.choice(["Ja", "Nej", "Nej"]), gender,
                   birth, area])
    return {"kaa": (fx.KAA_HEADER, kaa), "jobbtorg": (fx.JT_HEADER, jobbtorg), "stockholmsjobb": (fx.SJ_HEADER, sj)}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default=None, help="database (default: a new SQLite file)")
    parser.add_argument("--csv", action="store_true", help="CSV files instead of Excel")
    args = parser.parse_args()
    url = args.url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench_individ.sqlite'}"
    started = time.perf_counter()
    build_db(url, include_demo=False)
    db = make_engine(url)
    print(f"Databas: {url.split('@')[-1]} (byggd utan demodata på {time.perf_counter() - started:.1f} s)")
    tables = year_of_extracts(_stadsdelar(db))
    timing = {"skydd": 0.0}
    original = protected.store_protected

    def timed(*a, **k):  # noqa: ANN002, ANN003, ANN202
        t = time.perf_counter()
        try:
            return original(*a, **k)
        finally:
            timing["skydd"] += time.perf_counter() - t

    protected.store_protected = timed
    total = 0.0
    for register, (header, rows) in tables.items():
        t = time.perf_counter()
        data = fx.csv_bytes(header, rows) if args.csv else fx.xlsx_bytes(header, rows, title=register)
        made = time.perf_counter() - t
        name = f"{register}_{YEAR}.{'csv' if args.csv else 'xlsx'}"
        t = time.perf_counter()
        shown = preview(data, name, db)
        seen = time.perf_counter() - t
        before = timing["skydd"]
        t = time.perf_counter()
        done = commit(shown, db, description="benchmark")
        written = time.perf_counter() - t
        protect = timing["skydd"] - before
        total += seen + written
        print(f"{register:15s} {len(rows):6d} rader, {len(data) / 2**20:4.1f} MiB (skapad {made:.1f} s): "
              f"förhandsgranskning {seen:5.1f} s, import {written - protect:5.1f} s, skyddade tabeller "
              f"{protect:5.1f} s ({done.new} nya, {done.protected_cells} celler)")
    print(f"Totalt förhandsgranskning + import + skydd: {total:.1f} s (mål ≤ 30 s för ett år)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
