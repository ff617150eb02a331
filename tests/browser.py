"""A real dashboard server and a headless Chromium that may talk to localhost only.

Both sides are guarded: the browser's requests outside localhost are blocked and recorded, and the server
process writes every connection or name lookup beyond this machine to a file (tests/netguard), which
`dashboard_server` checks when the server stops. Waiting is on the app's own signals (a heading, no
running indicator, charts drawn), with one generous limit for a busy machine.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.seeds import REPO

SCREENSHOTS = REPO / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
NETGUARD = Path(__file__).parent / "netguard"
TIMEOUT_MS = 120_000  # one limit for every wait: generous, because the machine may be busy
LOCAL = ("http://localhost", "http://127.0.0.1", "ws://localhost", "ws://127.0.0.1", "data:", "blob:")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OutgoingConnections(AssertionError):
    """The server process tried to reach something beyond this machine."""


@contextmanager
def dashboard_server(database_url: str, secrets: Path | None = None, port: int | None = None,
                     args: tuple[str, ...] = (), env: dict[str, str] | None = None) -> Iterator[str]:
    """Starts `streamlit run dashboard/app.py` on a free port; yields its base URL. When it stops, fails if
    the server process connected to (or looked up) any address outside this machine. `secrets`: the secrets.toml
    to use (e.g. with sign-in); by default none, whatever the checkout's .streamlit/ holds."""
    port = port or _free_port()
    secrets = secrets or (REPO / "artifacts" / "inga-secrets.toml")  # a file that is not there: no sign-in
    log = (REPO / "artifacts").joinpath(f"streamlit-{port}.log")
    outgoing = log.with_suffix(".outgoing")
    log.parent.mkdir(exist_ok=True)
    outgoing.unlink(missing_ok=True)
    path = os.pathsep.join(p for p in (str(NETGUARD), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": path, "NETGUARD_LOG": str(outgoing), **(env or {})}
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(REPO / "dashboard" / "app.py"), "--server.port",
             str(port), "--server.headless", "true", "--secrets.files", str(secrets), *args],
            cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            base = f"http://localhost:{port}"
            deadline = time.time() + TIMEOUT_MS / 1000
            while time.time() < deadline:
                try:
                    urllib.request.urlopen(f"{base}/_stcore/health", timeout=2)
                    break
                except OSError:
                    time.sleep(0.5)
            else:
                raise RuntimeError(f"Streamlit startade inte; se {log}")
            yield base
        finally:
            process.terminate()
            process.wait(timeout=20)
    if outgoing.exists() and outgoing.read_text().strip():
        raise OutgoingConnections(f"servern försökte nå internet: {outgoing.read_text().split()}")


def server_log(base: str) -> str:
    """What the server at `base` has logged so far."""
    return (REPO / "artifacts" / f"streamlit-{base.rsplit(':', 1)[1]}.log").read_text()


@contextmanager
def browser_page(width: int = 1400, height: int = 1100) -> Iterator[tuple[object, list[str]]]:
    """A Playwright page in Debian's Chromium; requests outside localhost are blocked and recorded. The page's
    `context` can open more pages (same cookies) or a new context another browser profile."""
    from playwright.sync_api import sync_playwright

    outside: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        page = browser.new_page(viewport={"width": width, "height": height}, locale="sv-SE")

        def guard(route) -> None:
            if route.request.url.startswith(LOCAL):
                route.continue_()
            else:
                outside.append(route.request.url)
                route.abort()

        page.set_default_timeout(TIMEOUT_MS)
        page.route("**/*", guard)
        try:
            yield page, outside
        finally:
            browser.close()


# Streamlit's own state on its root element ("initial", "running", "rerunRequested", "notRunning"); its running
# indicator alone is no signal, as it appears only after half a second of running.
DONE = """() => document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state') === 'notRunning'
    && !document.querySelector('[data-testid="stStatusWidget"], [data-testid="stSpinner"], [data-stale="true"]')
    && !document.querySelector('[data-testid="stSkeletonElement"]')
    && !document.body.innerText.includes('Skyddar små tal')
    && [...document.querySelectorAll('.js-plotly-plot')].every(p => p.querySelector('.main-svg'))"""


def settle(page, heading: str | None = None) -> None:
    """Wait for the app's own signals that the page is done: its heading (h1) is there, Streamlit says the
    script is not running, nothing is stale, spinning or a placeholder, every chart has drawn, fonts loaded."""
    if heading:
        page.locator("h1", has_text=heading).first.wait_for(state="visible", timeout=TIMEOUT_MS)
    page.wait_for_function(DONE, timeout=TIMEOUT_MS)
    page.evaluate("document.fonts.ready.then(() => true)")


def screenshot(page, name: str) -> Path:
    """A full-page screenshot once the page has settled (no fixed pause)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    settle(page)
    page.screenshot(path=str(path), full_page=True, animations="disabled", timeout=TIMEOUT_MS)
    return path
