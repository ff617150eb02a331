"""Time preview and import of a 10-year Arbetsförmedlingen file (all 26 kommuner of the län and the län, all
breakdowns). Goal: preview ≤ 10 s, import ≤ 20 s. Not a test.

    DATABASE_URL=… .venv/bin/python scripts/benchmark_import.py [--keep]

Imports into the configured database (build it first) as data set `af_benchmark` and removes it afterwards
unless --keep is given.
"""

from __future__ import annotations

import argparse
import io
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openpyxl import Workbook  # noqa: E402

from dashboard.ingest import commit, preview  # noqa: E402
from dashboard.ingest.remove import remove_dataset  # noqa: E402
from queries.db import engine  # noqa: E402

KOMMUNER = ["Botkyrka", "Danderyd", "Ekerö", "Haninge", "Huddinge", "Järfälla", "Lidingö", "Nacka", "Norrtälje",
            "Nykvarn", "Nynäshamn", "Salem", "Sigtuna", "Sollentuna", "Solna", "Stockholm", "Sundbyberg",
            "Södertälje", "Tyresö", "Täby", "Upplands Väsby", "Upplands-Bro", "Vallentuna", "Vaxholm", "Värmdö",
            "Österåker"]
BREAKDOWNS = {"Total": (None, ["alla"]), "Kön": (None, ["alla"]),
              "Ålder": ("ÅLDER", ["16-24 år", "25-34 år", "35-44 år", "45-54 år", "55- år"]),
              "Utbildningsnivå": ("UTBILDNINGSNIVÅ", ["Förgymnasial", "Gymnasial", "Eftergymnasial"]),
              "Födelseland": ("FÖDELSELAND", ["Inrikes född", "Utrikes född"])}
MEASURES = ["ARBETSLÖSA", "Utan arbete mer än 6 månader", "Utan arbete mer än 12 månader",
            "Utan arbete mer än 24 månader"]


def big_file(years: int = 10) -> bytes:
    book = Workbook()
    book.remove(book.active)
    periods = [f"{y}-{m:02d}" for y in range(2026 - years + 1, 2027) for m in range(1, 13)]
    for sheet_name, (group_column, groups) in BREAKDOWNS.items():
        sheet = book.create_sheet(sheet_name)
        for title in ("Arbetsförmedlingen", f"Inskrivna arbetslösa, {sheet_name}", "Antal", None):
            sheet.append([title])
        sheet.append(["PERIOD", "LÄN", "KOMMUN", "KOEN", *([group_column] if group_column else []), *MEASURES])
        genders = ["Totalt"] if sheet_name == "Total" else ["Kvinnor", "Män"] if sheet_name == "Kön" else \
            ["Totalt", "Kvinnor", "Män"]
        for number, period in enumerate(periods):
            for place, kommun in enumerate(["", *KOMMUNER]):
                for gender in genders:
                    for group in groups:
                        counts = [(1000 + 37 * place + number) // (1, 2, 3, 6)[i] for i in range(4)]
                        sheet.append([period, "Stockholms län", kommun or None, gender,
                                      *([group] if group_column else []), *[c if c >= 5 else "<5" for c in counts]])
        sheet.append([])
        sheet.append(["Källa: Arbetsförmedlingen"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    started = time.perf_counter()
    data = big_file()
    print(f"fil: {len(data) / 2**20:.1f} MiB, skapad på {time.perf_counter() - started:.1f} s")
    db = engine()
    started, cpu = time.perf_counter(), time.process_time()
    shown = preview(data, "af_benchmark.xlsx", db, dataset="af_benchmark")
    print(f"förhandsgranskning: {time.perf_counter() - started:.1f} s ({time.process_time() - cpu:.1f} s CPU), "
          f"{len(shown.parsed.values)} värden, {len(shown.rows)} med kända områden")
    started, cpu = time.perf_counter(), time.process_time()
    done = commit(shown, db, description="benchmark")
    print(f"import: {time.perf_counter() - started:.1f} s ({time.process_time() - cpu:.1f} s CPU), "
          f"{done.new} nya värden")
    if not args.keep:
        remove_dataset("af_benchmark", db)


if __name__ == "__main__":
    main()
