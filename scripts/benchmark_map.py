"""The map page against a bare Streamlit choropleth of the same polygons (scripts/bare_map.py). Not a test.

    .venv/bin/python scripts/benchmark_map.py [--database-url URL] [--rounds N] [--server-rounds N] [--no-browser]

Both are measured in the same run, interleaved (ours, bare, ours, bare …), and the medians are printed with
the ratio ours/bare, because the machine is shared and its load changes from minute to minute:
  * a kön change with warm caches, server side (Streamlit's AppTest: one rerun), per level;
  * the same change in Chromium (tests/browser.py): from the click to the redrawn map, i.e. the map's data
    has changed, Streamlit says the script is done, and the browser has painted two frames since;
  * the first load in a cold process (a fresh Python process: imports, geometry, queries, figure);
  * the figure JSON per level.
Without --database-url a fresh SQLite database is built in a temporary folder.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

BARE = REPO / "scripts" / "bare_map.py"
DEMO = {"data": "demo", "matt": "demo_arbetsloshet_andel", "period": "2025-12"}
DAY = "2025-12-31"  # the last day of DEMO's period: the bare map draws the boundaries of that day
LEVELS = {"stadsdelsomrade": "stadsdelsområde", "stadsdel": "stadsdel"}
GOAL_KIB = {"stadsdelsomrade": 50, "stadsdel": 150}
KON = ["kvinnor", "män"]


def line(label: str, ours: float, bare: float | None, unit: str, goal: str = "") -> None:
    ratio = f"{ours / bare:5.1f}×" if bare else "     "
    bare_text = f"{bare:8.0f} {unit}" if bare is not None else " " * (9 + len(unit))
    print(f"{label:<50} ours {ours:8.0f} {unit}   bare {bare_text}   ours/bare {ratio}   {goal}")


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


# --- server side: AppTest -------------------------------------------------------------------------------

def ours_app(level: str):
    from tests.apptest import open_app

    at = open_app("pages/karta.py", {**DEMO, "niva": level})
    assert not at.exception, at.exception
    return at, lambda value: at.segmented_control(key="kon").set_value(value)


def bare_app(level: str):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(BARE), default_timeout=60)
    at.query_params["niva"], at.query_params["dag"] = level, DAY
    at.run()
    assert not at.exception, at.exception
    return at, lambda value: at.radio(key="kon").set_value(value)


def map_json(at) -> bytes:
    return next(c for c in at.get("plotly_chart") if "choropleth" in c.proto.spec).proto.spec.encode()


def server_changes(level: str, rounds: int, new_view: bool = False) -> tuple[list[float], list[float]]:
    """Seconds per kön change (one rerun) for ours and bare, alternating; the first two changes warm up.

    `new_view`: our view cache (map_cache.map_view) is emptied before each of our changes, so the view is built
    as for a choice not seen before (the queries, geometry and catalogue stay cached, as the bare map's do)."""
    from dashboard.ui import map_cache

    apps = {"ours": ours_app(level), "bare": bare_app(level)}
    times: dict[str, list[float]] = {"ours": [], "bare": []}
    for i in range(rounds + 2):
        for name, (at, choose) in apps.items():
            if new_view and name == "ours":
                map_cache.map_view.__wrapped__.clear()
            choose(KON[i % 2])
            started = time.perf_counter()
            at.run()
            elapsed = time.perf_counter() - started
            assert not at.exception, at.exception
            if i >= 2:
                times[name].append(elapsed)
    return times["ours"], times["bare"]


def cold_load(which: str) -> float:
    """Seconds from a fresh process's first AppTest run to the drawn page, as a link to it opens it (Streamlit's
    own import not counted; the app's imports, geometry, queries and figure are)."""
    if which == "ours":
        code = ("from streamlit.testing.v1 import AppTest; import time; t=time.perf_counter(); "
                f"at=AppTest.from_file({str(REPO / 'dashboard' / 'app.py')!r}, default_timeout=60); "
                "at.switch_page('../pages/karta.py'); at.run(); assert not at.exception; "
                "assert [t.value for t in at.title] == ['Karta']; print(time.perf_counter()-t)")
    else:
        code = ("from streamlit.testing.v1 import AppTest; import time; t=time.perf_counter(); "
                f"at=AppTest.from_file({str(BARE)!r}, default_timeout=60); at.query_params['dag']={DAY!r}; "
                "at.run(); assert not at.exception; print(time.perf_counter()-t)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True,
                          env={**os.environ, "PYTHONPATH": str(REPO)})
    return float(done.stdout.strip().splitlines()[-1])


# --- in the browser ------------------------------------------------------------------------------------

FINGERPRINT = """() => [...document.querySelectorAll('.js-plotly-plot')]
    .filter(p => (p.data || []).some(t => String(t.type).startsWith('choropleth')))
    .map(p => JSON.stringify(p.data.filter(t => String(t.type).startsWith('choropleth')).map(t => t.z))).join('|')"""


def browser_changes(ours_base: str, bare_base: str, level: str, rounds: int, browser) -> tuple[list, list]:
    """Seconds from the click on a kön to the redrawn map, ours and bare alternating (first change warms up)."""
    from tests.browser import DONE, TIMEOUT_MS, settle

    pages = {}
    for name, url, labels in (
            ("ours", f"{ours_base}/karta?" + "&".join(f"{k}={v}" for k, v in {**DEMO, "niva": level}.items()),
             {"kvinnor": "Kvinnor", "män": "Män"}),
            ("bare", f"{bare_base}/?niva={level}&dag={DAY}", {"kvinnor": "kvinnor", "män": "män"})):
        page = browser.new_page(viewport={"width": 1400, "height": 1300}, locale="sv-SE")
        page.set_default_timeout(TIMEOUT_MS)
        page.goto(url)
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=TIMEOUT_MS)
        settle(page)
        pages[name] = (page, labels)
    times: dict[str, list[float]] = {"ours": [], "bare": []}
    for i in range(rounds + 1):
        for name, (page, labels) in pages.items():
            before = page.evaluate(FINGERPRINT)
            label = labels[KON[i % 2]]
            button = (page.get_by_role("radio", name=label, exact=True) if name == "ours"
                      else page.get_by_test_id("stRadio").get_by_text(label, exact=True))
            page.evaluate("""() => { window.__clicked = null; document.addEventListener('click',
                () => { window.__clicked = performance.now() }, {once: true, capture: true}) }""")
            button.click()
            page.wait_for_function(f"""(before) => window.__clicked !== null && ({DONE})()
                && ({FINGERPRINT})() !== before && ({FINGERPRINT})() !== ''""", arg=before, timeout=TIMEOUT_MS)
            # two animation frames: the browser has painted what Plotly drew
            elapsed = page.evaluate("""() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(
                () => r(performance.now() - window.__clicked))))""")
            if i >= 1:
                times[name].append(elapsed / 1000)
            if i == 1:
                page.screenshot(path=f"/tmp/mapspeed-shots/{name}-{level}.png")
    for page, _ in pages.values():
        page.close()
    return times["ours"], times["bare"]


def serve(script: Path, database_url: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port), "--server.headless",
         "true"], cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def browser_run(database_url: str, rounds: int) -> dict[str, tuple[list, list]]:
    import urllib.request

    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM, _free_port

    ports = [_free_port(), _free_port()]
    servers = [serve(REPO / "dashboard" / "app.py", database_url, ports[0]), serve(BARE, database_url, ports[1])]
    try:
        for port in ports:
            wait_until(lambda p=port: urllib.request.urlopen(f"http://localhost:{p}/_stcore/health", timeout=2))
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, headless=True,
                                        args=["--no-sandbox", "--disable-gpu", "--no-first-run"])
            try:
                return {level: browser_changes(f"http://localhost:{ports[0]}", f"http://localhost:{ports[1]}",
                                               level, rounds, browser) for level in LEVELS}
            finally:
                browser.close()
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)


def wait_until(probe: Callable[[], object], limit: float = 120) -> None:
    deadline = time.time() + limit
    while True:
        try:
            probe()
            return
        except OSError:
            if time.time() > deadline:
                raise
            time.sleep(0.5)  # polling a server that is starting: it has no signal to wait for


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="an existing database (default: build a fresh SQLite one)")
    parser.add_argument("--rounds", type=int, default=7, help="rounds in the browser and of cold loads / 2")
    parser.add_argument("--server-rounds", type=int, default=21, help="rounds of AppTest reruns (cheap, noisy)")
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    if args.database_url:
        url = args.database_url
    else:
        url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite'}"
        from dashboard.db.build import build_db

        build_db(url)
    os.environ["DATABASE_URL"] = url
    load = os.getloadavg()
    print(f"{time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, load {load[0]:.1f} {load[1]:.1f} "
          f"{load[2]:.1f}; medians of interleaved rounds: {args.server_rounds} server side, {args.rounds} in Chromium")

    for level, label in LEVELS.items():
        ours, bare = server_changes(level, args.server_rounds)
        line(f"kön change, warm, server, {label}", median_ms(ours), median_ms(bare), "ms", "(goal ≤ 2× bare)")
    for level, label in LEVELS.items():
        ours, bare = server_changes(level, args.server_rounds, new_view=True)
        line(f"kön change, view not built yet, {label}", median_ms(ours), median_ms(bare), "ms")

    cold: dict[str, list[float]] = {"ours": [], "bare": []}
    for _ in range(3):
        for which in cold:
            cold[which].append(cold_load(which))
    line("first load, cold process (median of 3)", median_ms(cold["ours"]), median_ms(cold["bare"]), "ms",
         "(goal ≤ 2000 ms)")

    for level, label in LEVELS.items():
        ours, bare = len(map_json(ours_app(level)[0])) / 1024, len(map_json(bare_app(level)[0])) / 1024
        line(f"figure JSON, {label} (demo)", ours, bare, "KiB", f"(goal ≤ {GOAL_KIB[level]} KiB)")
    from tests.apptest import open_app

    published = open_app("pages/karta.py", {"matt": "arbetsloshet_unga_18_24_antal", "period": "2018-06"})
    line("figure JSON, stadsdelsområde (published)", len(map_json(published)) / 1024, None, "KiB",
         "(goal ≤ 50 KiB)")

    if args.no_browser:
        return
    for level, (ours, bare) in browser_run(url, args.rounds).items():
        line(f"kön change, Chromium, click→map, {LEVELS[level]}", median_ms(ours), median_ms(bare), "ms",
             "(goal ≤ 2× bare)")


if __name__ == "__main__":
    main()
