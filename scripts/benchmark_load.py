"""Many people at once: simultaneous Chromium users against scripts/serve.sh, with 1 and 2 app processes. Not a test.

    .venv/bin/python scripts/benchmark_load.py [--database-url URL] [--users 30] [--processes 1 2] [--single 5]

Each user is a context of one headless Chromium (its own cookies, so nginx routes it by its own route cookie) and
does what a person at a meeting does: opens the map (karta, demo data, as a link does), switches kön to kvinnor,
switches the period, and opens a slide of a deck (presentation?deck=…&bild=1). Each step is timed from the action
to a drawn view: the app's own done-signal (tests/browser.py's DONE: the script not running, nothing stale or
spinning, every chart drawn), the map's data changed where it should, and two animation frames painted.

For each number of processes, in the same run: warm-up (the scenario once on every process, so the caches are as
warm for one user as for many), the single user (one context alone, --single times, median per step), then all
users at once (they start together and go as fast as they can, with no pause to read). Printed per step: median,
95th percentile and errors of the simultaneous users, the single user's median and the ratio p95 / single
(goal: no errors, p95 ≤ 3× single). An error is a step that fails or takes longer than --limit (600 s), a page
error, an exception shown by the app, or a request outside this machine. Chromium runs on the same machine as the
server, so the figures include the browser's own work for every user: the CPU seconds used meanwhile by the app
processes, by Chromium and by the rest of the machine (other people's work on a shared machine) are printed too.
Without --database-url (or DATABASE_URL) a fresh SQLite database is built in a temporary folder.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.browser import CHROMIUM, DONE, LOCAL, _free_port  # noqa: E402

MAP = {"data": "demo", "matt": "demo_arbetsloshet_andel", "period": "2025-12"}
OTHER_PERIOD = ("2025-11", "november 2025")
SLIDE = ("karta", {**MAP, "kon": "män", "period": "2025-06"}, "Arbetslöshet (demo), män")
STEPS = ("öppna kartan", "byt kön", "byt period", "öppna en bild")
GOAL_RATIO = 3.0
CHOROPLETH = """() => [...document.querySelectorAll('.js-plotly-plot')]
    .filter(p => (p.data || []).some(t => String(t.type).startsWith('choropleth')))
    .map(p => JSON.stringify(p.data.filter(t => String(t.type).startsWith('choropleth')).map(t => t.z))).join('|')"""
PAINTED = "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))"
SHOWN_ERROR = "[data-testid='stException']"


@dataclass
class User:
    times: dict[str, float] = field(default_factory=dict)  # step → seconds
    errors: list[str] = field(default_factory=list)
    process: str = ""  # the app process nginx sent the user to (X-Dashboard-Process)


async def drawn(page, condition: str = "() => true", arg: object = None) -> None:
    """Until the app says it is done, every chart is drawn, `condition` holds, and two frames are painted."""
    await page.wait_for_function(f"(arg) => ({DONE})() && ({condition})(arg)", arg=arg, polling=50)
    await page.evaluate(PAINTED)


# --- CPU by side: the app processes and nginx (serve.sh's tree), the browser (this script's other children) ----

def cpu_by_process(root: int, into: dict[int, float]) -> None:
    """The CPU seconds so far of `root` and every process below it, into `into` (pid → seconds), from /proc."""
    tick = os.sysconf("SC_CLK_TCK")
    stack = [root]
    while stack:
        pid = stack.pop()
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            into[pid] = (int(fields[11]) + int(fields[12])) / tick  # utime, stime
            for task in Path(f"/proc/{pid}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, IndexError, ValueError):
            continue  # ended meanwhile: its last reading stays


def machine_busy() -> float:
    """CPU seconds the whole machine has been busy (every process, ours and others')."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(values[:8]) - values[3] - values[4]) / os.sysconf("SC_CLK_TCK")  # without idle and iowait


class CpuMeter:
    """Samples CPU seconds by side while a phase runs (a process that ends keeps its last sample)."""

    def __init__(self, server_pid: int) -> None:
        self.server_pid, self.server, self.ours = server_pid, {}, {}
        self._task: asyncio.Task | None = None

    def _sample(self) -> None:
        cpu_by_process(self.server_pid, self.server)
        cpu_by_process(os.getpid(), self.ours)

    async def _run(self) -> None:
        while True:
            self._sample()
            await asyncio.sleep(0.5)  # a sampling interval, not a wait for anything

    async def __aenter__(self) -> CpuMeter:
        self._sample()
        self._start = ({**self.server}, {**self.ours}, machine_busy(), time.perf_counter())
        self._task = asyncio.create_task(self._run())
        return self

    async def __aexit__(self, *exc: object) -> None:
        self._task.cancel()
        self._sample()
        server0, ours0, busy0, wall0 = self._start
        self.wall = time.perf_counter() - wall0
        self.machine = machine_busy() - busy0
        self.app = sum(v - server0.get(p, 0) for p, v in self.server.items())
        self.browser = sum(v - ours0.get(p, 0) for p, v in self.ours.items() if p not in self.server)


async def scenario(browser, base: str, deck: int, limit_s: float) -> User:
    """The four steps in a new context; a step that fails ends the user's run (counted as an error)."""
    user = User()
    context = await browser.new_context(viewport={"width": 1400, "height": 1100}, locale="sv-SE")
    page = await context.new_page()
    page.set_default_timeout(limit_s * 1000)

    async def guard(route) -> None:
        if route.request.url.startswith(LOCAL):
            await route.continue_()
        else:
            user.errors.append(f"begäran utanför datorn: {route.request.url}")
            await route.abort()

    def first_document(response) -> None:
        if not user.process and response.request.resource_type == "document":
            user.process = response.headers.get("x-dashboard-process", "?")

    await page.route("**/*", guard)
    page.on("pageerror", lambda error: user.errors.append(f"sidfel: {error}"))
    page.on("response", first_document)
    step = STEPS[0]
    try:
        start = time.perf_counter()
        await page.goto(f"{base}/karta?" + "&".join(f"{k}={v}" for k, v in MAP.items()))
        await drawn(page, f"() => ({CHOROPLETH})() !== ''")
        user.times[step] = time.perf_counter() - start

        step = STEPS[1]
        before = await page.evaluate(CHOROPLETH)
        start = time.perf_counter()
        await page.get_by_role("radio", name="Kvinnor", exact=True).click()
        await drawn(page, f"(before) => location.search.includes('kon=kvinnor') && ({CHOROPLETH})() !== before"
                          f" && ({CHOROPLETH})() !== ''", before)
        user.times[step] = time.perf_counter() - start

        step = STEPS[2]
        before = await page.evaluate(CHOROPLETH)
        start = time.perf_counter()
        await page.get_by_test_id("stSelectbox").filter(has_text="Period").click()
        await page.keyboard.type(OTHER_PERIOD[1])
        await page.get_by_role("option", name=OTHER_PERIOD[1]).click()
        await drawn(page, f"(before) => location.search.includes('period={OTHER_PERIOD[0]}')"
                          f" && ({CHOROPLETH})() !== before && ({CHOROPLETH})() !== ''", before)
        user.times[step] = time.perf_counter() - start

        step = STEPS[3]
        start = time.perf_counter()
        await page.goto(f"{base}/presentation?deck={deck}&bild=1")
        await drawn(page, f"() => document.body.innerText.includes('Bild 1 av 1') && ({CHOROPLETH})() !== ''")
        user.times[step] = time.perf_counter() - start
        if await page.locator(SHOWN_ERROR).count():
            user.errors.append("appen visar ett fel")
    except Exception as error:  # noqa: BLE001 - every failure is counted, and the run goes on
        user.errors.append(f"{step}: {type(error).__name__}: {str(error).splitlines()[0][:160]}")
    finally:
        await context.close()
    return user


async def measure(base: str, deck: int, users: int, single: int, processes: int, limit_s: float,
                  server_pid: int) -> dict[str, object]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  # every user's page is drawn as if it were in front (no throttling of pages behind others)
                  "--disable-renderer-backgrounding", "--disable-background-timer-throttling",
                  "--disable-backgrounding-occluded-windows"])
        try:
            warmed: set[str] = set()
            for _ in range(20 * processes):  # the scenario once on every process (routes are random)
                warmed.add((await scenario(browser, base, deck, limit_s)).process)
                if len(warmed) >= processes:
                    break
            alone = [await scenario(browser, base, deck, limit_s) for _ in range(single)]
            async with CpuMeter(server_pid) as cpu:
                together = await asyncio.gather(*(scenario(browser, base, deck, limit_s) for _ in range(users)))
        finally:
            await browser.close()
    return {"alone": alone, "together": together, "warmed": warmed, "cpu": cpu}


def p95(values: list[float]) -> float:
    """The 95th percentile (linear between the closest ranks, as numpy's default)."""
    ordered = sorted(values)
    rank = 0.95 * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def report(processes: int, result: dict[str, object], users: int) -> None:
    alone: list[User] = result["alone"]
    together: list[User] = result["together"]
    errors = [e for u in together for e in u.errors]
    spread = Counter(u.process for u in together)
    print(f"\n{processes} process{'er' if processes > 1 else ''} bakom nginx: {users} samtidiga användare, "
          f"fördelning {dict(spread)}; fel {len(errors)} (ensam användare: {sum(len(u.errors) for u in alone)})")
    print(f"{'steg':<16}{'median':>9}{'p95':>9}{'ensam':>9}{'p95/ensam':>11}   mål")
    totals = ([sum(u.times.values()) for u in together if len(u.times) == len(STEPS)],
              [sum(u.times.values()) for u in alone if len(u.times) == len(STEPS)])
    rows = [(step, [u.times[step] for u in together if step in u.times],
             [u.times[step] for u in alone if step in u.times]) for step in STEPS]
    for step, many, one in [*rows, ("hela förloppet", *totals)]:
        if not many or not one:
            print(f"{step:<16}{'–':>9}{'–':>9}{'–':>9}{'–':>11}")
            continue
        single = statistics.median(one)
        ratio = p95(many) / single
        goal = "ja" if ratio <= GOAL_RATIO and not errors else "nej"
        print(f"{step:<16}{statistics.median(many):>8.2f}s{p95(many):>8.2f}s{single:>8.2f}s{ratio:>10.1f}×   {goal}")
    for error, count in Counter(errors).most_common(5):
        print(f"  {count} × {error}")
    cpu: CpuMeter = result["cpu"]
    print(f"CPU while the {users} users ran ({cpu.wall:.0f} s, at most {os.cpu_count() * cpu.wall:.0f} CPU-s): app "
          f"processes and nginx {cpu.app:.0f} s, Chromium and this script {cpu.browser:.0f} s, the rest of the "
          f"machine (other people's work) {cpu.machine - cpu.app - cpu.browser:.0f} s")


def serve(database_url: str, processes: int) -> tuple[subprocess.Popen, str]:
    """scripts/serve.sh with `processes` app processes; returns it and nginx's address once it says it is up."""
    script = subprocess.Popen(
        ["bash", str(REPO / "scripts" / "serve.sh"), "--processes", str(processes), "--port", str(_free_port()),
         "--no-build", "--secrets", str(REPO / "artifacts" / "inga-secrets.toml")],
        cwd=REPO, env={**os.environ, "DATABASE_URL": database_url}, stdout=subprocess.PIPE, text=True)
    for line in script.stdout:
        if line.startswith("Dashboarden är igång"):
            return script, re.search(r"igång på (http://\S+)", line).group(1)
    raise SystemExit(f"serve.sh startade inte (kod {script.wait()})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"),
                        help="an existing database (default DATABASE_URL, else a fresh SQLite one)")
    parser.add_argument("--users", type=int, default=30, help="simultaneous users (default 30)")
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2], help="app processes (default 1 2)")
    parser.add_argument("--single", type=int, default=5, help="runs of the single user (default 5)")
    parser.add_argument("--limit", type=float, default=600,
                        help="seconds a step may take before it counts as an error (default 600)")
    args = parser.parse_args()
    url = args.database_url
    if not url:
        url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite'}"
        from dashboard.db.build import build_db

        build_db(url)
    from dashboard.db import decks
    from queries.db import engine

    deck = decks.create_deck(f"Lasttest {time.strftime('%Y-%m-%d %H:%M:%S')}", engine(url))
    decks.add_slide(deck, *SLIDE, engine(url))
    load = os.getloadavg()
    print(f"{time.strftime('%Y-%m-%d %H:%M')}, {os.cpu_count()} cores, load {load[0]:.1f} {load[1]:.1f} "
          f"{load[2]:.1f}; database {url.split('@')[-1]}; one Chromium on the same machine")
    try:
        for processes in args.processes:
            script, base = serve(url, processes)
            try:
                result = asyncio.run(measure(base, deck, args.users, args.single, processes, args.limit,
                                             script.pid))
            finally:
                script.send_signal(signal.SIGINT)
                script.wait(timeout=120)
            report(processes, result, args.users)
            load = os.getloadavg()
            print(f"(load after: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f})")
    finally:
        decks.delete_deck(deck, engine(url))


if __name__ == "__main__":
    main()
