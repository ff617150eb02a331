"""Speed and size of the map: prints its figures (goals in brackets). Not a test.

    .venv/bin/python scripts/benchmark.py

Builds a fresh SQLite database in a temporary folder, then measures the database build, the map
figure's JSON size per level, the first load of the map page and filter changes with warm caches.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def line(label: str, value: str, goal: str = "") -> None:
    print(f"{label:<58} {value:>12}   {goal}")


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite'}"
    from dashboard.db.build import build_db

    started = time.perf_counter()
    counts = build_db()
    line("build-db (SQLite, alla data set)", f"{time.perf_counter() - started:.1f} s")
    line("databasens storlek", f"{(folder / 'bench.sqlite').stat().st_size / 2**20:.1f} MiB")
    line("observationer", f"{counts['observationer']:,}".replace(",", " "))

    # First load of the map page, in a fresh process (cold caches, geometry built once).
    code = (f"import time,sys; sys.path.insert(0, {str(REPO)!r}); from tests.apptest import open_app; "
            "t=time.perf_counter(); at=open_app('pages/karta.py'); print(time.perf_counter()-t); "
            "assert not at.exception")
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    line("kartsidan, första laddningen (kall process)", f"{float(first.stdout.strip().splitlines()[-1]):.2f} s",
         "(mål ≤ 2 s)")

    from tests.apptest import open_app

    youth = {"matt": "arbetsloshet_unga_18_24_antal", "period": "2018-06"}
    for label, query in [("stadsdelsområde, publicerat", youth),
                         ("stadsdelsområde, demodata", {"data": "demo", "matt": "demo_arbetsloshet_andel",
                                                         "niva": "stadsdelsomrade"}),
                         ("stadsdel, demodata", {"data": "demo", "matt": "demo_arbetsloshet_andel",
                                                 "niva": "stadsdel"})]:
        at = open_app("pages/karta.py", query)
        chart = next((c for c in at.get("plotly_chart") if "choropleth" in c.proto.spec), None)
        if chart is None:
            line(f"kartans JSON, {label}", "saknas")
            continue
        goal = "(mål ≤ 50 KiB)" if "område" in label else "(mål ≤ 150 KiB)"
        line(f"kartans JSON, {label}", f"{len(chart.proto.spec.encode()) / 1024:.1f} KiB", goal)

    # Filter changes with warm caches: Python time of one rerun of the page.
    at = open_app("pages/karta.py", {"data": "demo", "matt": "demo_arbetsloshet_andel", "niva": "stadsdelsomrade"})
    if not at.exception and at.selectbox(key="period").options:
        periods = at.selectbox(key="period").options
        timings: dict[str, list[float]] = {"kön": [], "period": [], "mått": []}
        for i in range(6):
            for what, (widget, value) in (
                ("kön", (at.segmented_control(key="kon"), ["kvinnor", "män"][i % 2])),
                ("period", (at.selectbox(key="period"), periods[-1 - (i % 3)])),
                ("mått", (at.selectbox(key="matt"), ["demo_arbetsloshet_andel", "demo_arbetsloshet_antal"][i % 2])),
            ):
                widget.set_value(value)
                started = time.perf_counter()
                at.run()
                timings[what].append(time.perf_counter() - started)
        for what, values in timings.items():
            warm = values[2:]  # the first changes fill the caches
            line(f"filterbyte ({what}), varma cachar, median", f"{statistics.median(warm) * 1000:.0f} ms",
                 "(mål ≤ 100 ms)")


if __name__ == "__main__":
    main()
