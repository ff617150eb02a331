"""Time preview and import of a city-wide SCB delområde table (all 117 stadsdelar, the stadsdelsområden and the
city; kvinnor, män, totalt; three age bands; two days; three measures), as a long CSV and as a wide Excel sheet.
Not a test.

    DATABASE_URL=… .venv/bin/python scripts/benchmark_scb_import.py [--keep]

Imports into the configured database (build it first) as data set `scb_benchmark`, with the profile
"SCB benchmark", and removes both afterwards unless --keep is given.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openpyxl import Workbook  # noqa: E402
from sqlalchemy import delete  # noqa: E402

from dashboard.db import schema  # noqa: E402
from dashboard.ingest import commit, preview, scb  # noqa: E402
from dashboard.ingest.remove import remove_dataset  # noqa: E402
from queries.db import engine  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SDO = ["Järva", "Hässelby-Vällingby", "Bromma", "Kungsholmen", "Norra innerstaden", "Södermalm",
       "Enskede-Årsta-Vantör", "Skarpnäck", "Farsta", "Hägersten-Älvsjö", "Skärholmen"]
AGES = ["16-24 år", "25-64 år", "16-64 år"]
GENDERS = ["Kvinnor", "Män", "Totalt"]
PERIODS = ["2025-03-31", "2025-10-31"]
MEASURES = ["Öppet arbetslösa", "Sökande i program", "Befolkning"]


def areas() -> list[str]:
    with (REPO / "data" / "areas" / "stadsdelar.csv").open(encoding="utf-8") as handle:
        stadsdelar = [r["area"] for r in csv.DictReader(handle)]
    return ["Stockholm", *(f"{s} sdo" for s in SDO), *stadsdelar]


def counts(number: int) -> list[object]:
    people = 1000 + 97 * number
    return [people // 20 if people // 20 >= 5 else "<5", people // 31, people]


def long_csv() -> bytes:
    lines = ["Arbetssökande i delområden, Stockholms stad", "Öppet arbetslösa och sökande i program, 16–64 år", "",
             ";".join(["Område", "Kön", "Ålder", "Period", *MEASURES])]
    number = 0
    for period in PERIODS:
        for area in areas():
            for gender in GENDERS:
                for age in AGES:
                    number += 1
                    lines.append(";".join(map(str, [area, gender, age, period, *counts(number)])))
    lines += ["", "Källa: SCB"]
    return "\r\n".join(lines).encode("cp1252")


def wide_xlsx() -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Arbetssökande per delområde, 16–64 år, per 31 oktober 2025"])
    sheet.append([])
    sheet.append(["Delområde", *(g for g in GENDERS for _m in MEASURES)])
    sheet.append([None, *(m for _g in GENDERS for m in MEASURES)])
    for number, area in enumerate(areas()):
        sheet.append([area, *(c for g in range(3) for c in counts(3 * number + g))])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    db = engine()
    dataset, profile = "scb_benchmark", "SCB benchmark"
    for name, data in (("delomraden.csv", long_csv()), ("delomraden.xlsx", wide_xlsx())):
        mapping = replace(scb.suggest(scb.layout(data, name)), profile=f"{profile} {name}")
        began = time.perf_counter()
        shown = preview(data, name, db, mapping=mapping, dataset=dataset)
        previewed = time.perf_counter()
        done = commit(shown, db, description="benchmark")
        imported = time.perf_counter()
        print(f"{name}: {len(data) / 1024:.0f} KiB, {len(shown.parsed.values)} values read, {done.new} new, "
              f"{done.replaced} replaced; preview {previewed - began:.2f} s, import {imported - previewed:.2f} s")
    if not args.keep:
        remove_dataset(dataset, db)
        with db.begin() as conn:
            conn.execute(delete(schema.imports).where(schema.imports.c.dataset == dataset))
            conn.execute(delete(schema.import_profiles).where(schema.import_profiles.c.name.like(f"{profile} %")))
    return 0


if __name__ == "__main__":
    sys.exit(main())
