"""The deployment set-up (scripts/serve.sh): two app processes behind nginx with sticky sessions, on each database.

One start per backend: the health check through nginx, the route cookie (two cookies can land on two processes, one
cookie always on the same, a browser without one gets one), the map drawn, a download and an upload in Chromium
through nginx (page, static files, websocket, /media/ and the upload from one process), and Ctrl-C stopping nginx
and both processes. One more start with sign-in (PostgreSQL): st.login through nginx, and the sign-in cookie good
on the other process. One more with HTTPS (a self-signed certificate): HSTS, a Secure route cookie and the redirect
from plain HTTP. And the refusals that need no process: another address than this machine's without sign-in, the
example's cookie secret, {port} in redirect_uri, and TLS without both PEM files."""

from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests import fixtures_af as af
from tests.browser import CHROMIUM, NETGUARD, TIMEOUT_MS, _free_port, browser_page, screenshot, settle
from tests.conftest import IN_CI
from tests.seeds import REPO

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed"),
    pytest.mark.skipif(not Path(NGINX).exists() and not IN_CI, reason="nginx is not installed (bash scripts/setup.sh)"),
]
SERVE = REPO / "scripts" / "serve.sh"
BY_GENDER = "sdf_insatser_unika_personer"  # by stadsdelsområde and kön, 2022
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class Served:
    base: str
    processes: list[str]  # 127.0.0.1:PORT of each app process
    script: subprocess.Popen
    outgoing: Path


def get(url: str, cookie: str | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers={"Cookie": f"dash_route={cookie}"} if cookie else {})
    with _DIRECT.open(request, timeout=60) as response:
        return response.status, {k.lower(): v for k, v in response.headers.items()}, response.read()


def listening(address: str) -> bool:
    host, port = address.rsplit(":", 1)
    with socket.socket() as s:
        return s.connect_ex((host, int(port))) == 0


@contextmanager
def serving(database_url: str, run: Path, secrets: Path | None = None, port: int | None = None,
            extra: tuple[str, ...] = (), processes: int = 2) -> Iterator[Served]:
    """scripts/serve.sh with two processes, once it says it is up (its own signal, printed after every process and
    nginx answered their health checks); SIGINT at the end unless a test stopped it."""
    outgoing = run / "outgoing.txt"
    path = os.pathsep.join(p for p in (str(NETGUARD), os.environ.get("PYTHONPATH", "")) if p)
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": path, "NETGUARD_LOG": str(outgoing)}
    env.pop("DASHBOARD_ADDRESS", None)
    script = subprocess.Popen(
        ["bash", str(SERVE), "--processes", str(processes), "--port", str(port or _free_port()), "--no-build",
         "--run-dir", str(run / "run"), "--secrets", str(secrets or run / "inga-secrets.toml"), *extra],
        cwd=REPO, env=env, stdout=subprocess.PIPE, text=True)
    lines = []
    for line in script.stdout:  # until the script says it is up, or it ends (then stdout closes)
        lines.append(line)
        if line.startswith("Dashboarden är igång"):
            break
    else:
        script.wait(timeout=60)
        logs = "\n".join(f"{p.name}: {p.read_text()[-2000:]}" for p in (run / "run" / "logs").glob("*.log"))
        pytest.fail(f"serve.sh startade inte (kod {script.returncode}): {''.join(lines)}\n{logs}")
    base = re.search(r"igång på (https?://\S+)", lines[-1]).group(1)
    processes = re.findall(r"127\.0\.0\.1:\d+", lines[-1].split("processer:", 1)[1].split(";")[0])
    try:
        yield Served(base, processes, script, outgoing)
    finally:
        if script.poll() is None:
            script.send_signal(signal.SIGINT)
            script.wait(timeout=60)


@pytest.fixture(scope="module")
def served(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with serving(database_url, tmp_path_factory.mktemp("serve")) as running:
        yield running


def route_to(served: Served, process: str) -> str:
    """A route cookie that nginx sends to `process`."""
    return next(c for c in (f"till-{n}" for n in range(200))
                if get(f"{served.base}/_stcore/health", c)[1]["x-dashboard-process"] == process)


def test_health_and_sticky_routes_through_nginx(served: Served) -> None:
    assert len(served.processes) == 2
    status, headers, body = get(f"{served.base}/_stcore/health")
    assert (status, body) == (200, b"ok") and headers["x-dashboard-process"] in served.processes

    # Different route cookies can land on different processes; each cookie lands on the same one every time.
    landed: dict[str, set[str]] = {}
    for n in range(40):  # with two processes, 40 cookies all hashed to one would happen once in 2**39
        cookie = f"test-{n}"
        landed[cookie] = {get(f"{served.base}{path}", cookie)[1]["x-dashboard-process"]
                          for path in ("/", "/_stcore/health", "/karta", "/")}
        if {p for seen in landed.values() for p in seen} == set(served.processes) and n >= 3:
            break
    assert all(len(seen) == 1 for seen in landed.values()), landed
    assert {p for seen in landed.values() for p in seen} == set(served.processes), landed

    # A browser without the cookie gets one (only then), and with it stays where its first request went.
    _, first, _ = get(f"{served.base}/")
    cookie = re.fullmatch(r"dash_route=([0-9a-f]{32}); Path=/; HttpOnly; SameSite=Lax", first["set-cookie"])
    assert cookie, first["set-cookie"]
    for path in ("/", "/karta", "/_stcore/health"):
        _, again, _ = get(f"{served.base}{path}", cookie.group(1))
        assert again["x-dashboard-process"] == first["x-dashboard-process"]
        assert "dash_route" not in again.get("set-cookie", "")


def test_map_download_and_upload_in_chromium_through_nginx(served: Served, database_url: str, tmp_path: Path) -> None:
    backend = database_url.split(":")[0].split("+")[0]
    upload = tmp_path / "arbetslosa_kommun_2026-08.xlsx"
    upload.write_bytes(af.af_file())
    answered: set[str] = set()
    errors: list[str] = []
    sockets: list[str] = []
    with browser_page(height=1300) as (page, outside):
        page.on("response", lambda r: answered.add(r.headers.get("x-dashboard-process", "")))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on("websocket", lambda ws: sockets.append(ws.url))
        page.goto(f"{served.base}/karta?matt={BY_GENDER}&period=2022")
        page.wait_for_selector("text=Jämför fokusområdena", timeout=TIMEOUT_MS)
        page.wait_for_selector(".js-plotly-plot .choroplethlocation", timeout=TIMEOUT_MS)
        page.get_by_role("radio", name=re.compile("^Kvinnor$")).click()  # a rerun over the proxied websocket
        page.wait_for_selector("text=kvinnor, 2022", timeout=TIMEOUT_MS)
        screenshot(page, f"deploy-{backend}-karta-kvinnor")
        assert page.locator("[data-testid='stException'], [data-testid='stAlertContentError']").count() == 0
        assert page.locator("h1", has_text="Karta").count() == 1
        with page.expect_download(timeout=TIMEOUT_MS) as download:  # a file of the session's process (/media/)
            page.get_by_role("button", name="CSV (Excel, semikolon)").first.click()
        assert download.value.url.startswith(f"{served.base}/media/")
        assert download.value.suggested_filename.endswith(f"_{BY_GENDER}_2022_kvinnor.csv")
        assert ";Kvinnor;" in Path(download.value.path()).read_bytes().decode("utf-8-sig")

        page.goto(f"{served.base}/importera")  # an upload (/_stcore/upload_file) to the session's process
        settle(page, "Importera")
        page.locator("input[type='file']").set_input_files(str(upload))
        page.get_by_text("Förhandsgranskning").wait_for(timeout=TIMEOUT_MS)
        settle(page)
        assert "Uppgift saknas (72 rader)" in page.inner_text("body")  # the preview only: nothing is written
    assert outside == [] and errors == []
    assert sockets and all(s.startswith(served.base.replace("http", "ws", 1)) for s in sockets), sockets
    assert answered - {""} <= set(served.processes) and len(answered - {""}) == 1, answered


def _pid_on(port: str) -> int:
    """The app process started with --server.port `port` (from /proc, as `ps` would find it)."""
    for proc in Path("/proc").iterdir():
        try:
            args = (proc / "cmdline").read_bytes().split(b"\0") if proc.name.isdigit() else []
        except OSError:
            continue
        if b"--server.port" in args and args[args.index(b"--server.port") + 1] == port.encode():
            return int(proc.name)
    raise AssertionError(f"ingen process på port {port}")


def test_a_process_that_stops_is_started_again_while_the_other_serves(served: Served) -> None:
    first = served.processes[0]
    cookie = route_to(served, first)
    before = _pid_on(first.rsplit(":", 1)[1])
    os.kill(before, signal.SIGKILL)
    status, headers, _ = get(f"{served.base}/_stcore/health", cookie)  # its browsers reach the other meanwhile
    assert status == 200
    told = next((line for line in served.script.stdout if "är igång igen" in line), None)  # the script's signal
    assert told is not None and "(" + first + ")" in told, told
    assert _pid_on(first.rsplit(":", 1)[1]) != before
    assert get(f"http://{first}/_stcore/health")[0] == 200
    deadline = time.monotonic() + 60  # nginx tries a failed server again after fail_timeout (5 s)
    while get(f"{served.base}/_stcore/health", cookie)[1]["x-dashboard-process"] != first:
        assert time.monotonic() < deadline, "nginx sends the route back to the restarted process"
        time.sleep(0.5)


def test_ctrl_c_stops_nginx_and_every_process(served: Served) -> None:
    nginx = served.base.removeprefix("http://")
    assert listening(nginx) and all(listening(p) for p in served.processes)
    served.script.send_signal(signal.SIGINT)
    assert served.script.wait(timeout=60) == 0
    assert not listening(nginx) and not any(listening(p) for p in served.processes)
    made = served.outgoing.read_text().split() if served.outgoing.exists() else []
    assert made == [], f"servern försökte nå internet: {made}"


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """A local OpenID Connect provider (as tests/test_browser_signin.py) that knows one läsare."""
    import httpx
    import oidc_provider_mock

    with oidc_provider_mock.run_server_in_thread() as server:
        issuer = f"http://localhost:{server.server_port}"
        response = httpx.put(f"{issuer}/users/lasa@stockholm.se", timeout=30, json={
            "email": "lasa@stockholm.se", "name": "Lisa Läsare", "groups": ["AMN-Dashboard-Lasare"]})
        assert response.status_code == 204
        yield issuer


def test_signin_through_nginx_holds_on_every_process(built_databases, provider: str, tmp_path: Path) -> None:
    """st.login's round trip goes through nginx, and the sign-in cookie, signed with the one cookie_secret, is
    good on the other process too. PostgreSQL only: sign-in does not depend on the backend, and it is the one
    a deployment uses."""
    port = _free_port()
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f"""
[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "{os.urandom(24).hex()}"
client_id = "arbetsmarknadsdashboard"
client_secret = "{os.urandom(8).hex()}"
server_metadata_url = "{provider}/.well-known/openid-configuration"
[roller]
claim = "groups"
[roller.grupper]
"AMN-Dashboard-Lasare" = "läsare"
""", encoding="utf-8")
    answered: set[str] = set()
    with serving(built_databases.url("postgresql"), tmp_path, secrets=secrets, port=port) as served, \
            browser_page() as (page, outside):
        page.on("response", lambda r: r.url.startswith(served.base)
                and answered.add(r.headers.get("x-dashboard-process", "")))
        page.goto(served.base)
        page.get_by_role("button", name="Logga in med stadens konto").click()
        page.locator("input[name=sub]").fill("lasa@stockholm.se")  # the provider's form
        page.get_by_role("button", name="Authorize").click()
        page.wait_for_url(f"{served.base}/**", timeout=TIMEOUT_MS)
        settle(page, "Översikt")
        assert "Lisa Läsare" in page.locator("[data-testid='stSidebar']").inner_text()
        assert len(answered) == 1 and answered <= set(served.processes), answered  # login and callback included

        # The same browser's cookies with a route to the other process: still signed in there.
        other = next(p for p in served.processes if p not in answered)
        cookies = [c for c in page.context.cookies() if c["name"] != "dash_route"]
        elsewhere = page.context.browser.new_context(locale="sv-SE")
        elsewhere.add_cookies([*cookies, {"name": "dash_route", "value": route_to(served, other),
                                          "url": served.base}])
        second = elsewhere.new_page()
        seen: set[str] = set()
        second.on("response", lambda r: r.url.startswith(served.base)
                  and seen.add(r.headers.get("x-dashboard-process", "")))
        second.goto(f"{served.base}/karta")
        settle(second, "Karta")
        assert "Lisa Läsare" in second.locator("[data-testid='stSidebar']").inner_text()
        assert seen == {other}
        elsewhere.close()
    assert [u for u in outside if "cdn.jsdelivr.net" not in u] == []  # the provider's own stylesheet


def run_serve(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(SERVE), "--no-build", "--port", str(_free_port()), *args], cwd=REPO,
                          env={**os.environ, **env}, capture_output=True, text=True, timeout=60)


def test_another_address_without_signin_is_refused_before_anything_starts(tmp_path: Path) -> None:
    env = {"DASHBOARD_ADDRESS": "0.0.0.0", "DASHBOARD_ALLOW_REMOTE": ""}
    done = run_serve(env, "--secrets", str(tmp_path / "inga.toml"), "--run-dir", str(tmp_path / "run"))
    assert done.returncode == 1
    assert "Inloggning är inte inställd" in done.stderr and "DASHBOARD_ALLOW_REMOTE=1" in done.stderr
    assert not (tmp_path / "run").exists()  # nothing was started


def test_the_examples_cookie_secret_is_refused(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    shutil.copy(REPO / ".streamlit" / "secrets.example.toml", secrets)
    done = run_serve({}, "--secrets", str(secrets), "--run-dir", str(tmp_path / "run"))
    assert done.returncode == 1 and "cookie_secret" in done.stderr, done.stderr
    assert not (tmp_path / "run").exists()


def test_a_redirect_uri_with_the_process_port_is_refused(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    example = (REPO / ".streamlit" / "secrets.example.toml").read_text(encoding="utf-8")
    secrets.write_text(example.replace("BYT-UT-MIG", os.urandom(24).hex()).replace(
        "https://dashboard.amn.stockholm.se/oauth2callback", "http://localhost:{port}/oauth2callback"), encoding="utf-8")
    done = run_serve({}, "--secrets", str(secrets), "--run-dir", str(tmp_path / "run"))
    assert done.returncode == 1 and "{port}" in done.stderr, done.stderr


def test_the_template_is_filled_in_completely(tmp_path: Path) -> None:
    from deploy.serve import nginx_config

    text = nginx_config("::1", 8080, [8501, 8502], tmp_path, secure_cookie=True)
    settings = "\n".join(line.split("#", 1)[0] for line in text.splitlines())  # without the comments
    assert "{{" not in settings and "listen [::1]:8080;" in settings
    assert settings.count("server 127.0.0.1:85") == 2 and "HttpOnly; SameSite=Lax; Secure" in settings
    assert "/etc/" not in settings and str(tmp_path) in settings
    assert "ssl" not in settings and "Strict-Transport-Security" not in settings


def test_the_template_with_tls_speaks_https_only_and_redirects_plain_http(tmp_path: Path) -> None:
    from deploy.serve import Tls, nginx_config

    tls = Tls(tmp_path / "cert.pem", tmp_path / "key.pem", http_port=8080)
    settings = "\n".join(line.split("#", 1)[0] for line in
                         nginx_config("127.0.0.1", 443, [8501], tmp_path, tls=tls).splitlines())
    assert "listen 127.0.0.1:443 ssl;" in settings and f"ssl_certificate {tls.cert};" in settings
    assert f"ssl_certificate_key {tls.key};" in settings and "ssl_protocols TLSv1.2 TLSv1.3;" in settings
    assert settings.count('add_header Strict-Transport-Security "max-age=31536000" always;') == 2
    assert "HttpOnly; SameSite=Lax; Secure" in settings, "the route cookie is Secure without being asked"
    assert "listen 127.0.0.1:8080;" in settings and "return 301 https://$host$request_uri;" in settings


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost and 127.0.0.1, made with Debian's openssl."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
                    str(cert), "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"], check=True, capture_output=True)
    return cert, key


def test_https_through_nginx_with_hsts_a_secure_cookie_and_a_redirect(built_databases, tmp_path: Path) -> None:
    import ssl

    cert, key = _certificate(tmp_path)
    http_port = _free_port()
    trusted = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                          urllib.request.HTTPSHandler(context=ssl.create_default_context(
                                              cafile=str(cert))))
    with serving(built_databases.url("sqlite"), tmp_path, processes=1,
                 extra=("--tls-cert", str(cert), "--tls-key", str(key), "--http-port", str(http_port))) as running:
        assert running.base.startswith("https://127.0.0.1:")
        with trusted.open(f"{running.base}/_stcore/health", timeout=60) as response:
            assert response.status == 200 and response.read() == b"ok"
            assert response.headers["Strict-Transport-Security"] == "max-age=31536000"
        with trusted.open(f"{running.base}/", timeout=60) as response:
            assert response.status == 200 and response.headers["Strict-Transport-Security"] == "max-age=31536000"
            route = next(c for c in response.headers.get_all("Set-Cookie") if c.startswith("dash_route="))
            assert route.endswith("; HttpOnly; SameSite=Lax; Secure"), route
        plain = http.client.HTTPConnection("127.0.0.1", http_port, timeout=60)
        plain.request("GET", "/karta?kon=kvinnor")
        moved = plain.getresponse()
        assert moved.status == 301
        assert moved.getheader("Location") == f"{running.base}/karta?kon=kvinnor"
        plain.close()
        with pytest.raises(urllib.error.URLError):  # HTTPS only on the HTTPS port
            _DIRECT.open(running.base.replace("https://", "http://") + "/_stcore/health", timeout=60).read()


def test_tls_needs_both_files_and_each_must_be_pem(tmp_path: Path) -> None:
    cert, key = _certificate(tmp_path)
    half = run_serve({}, "--secrets", str(tmp_path / "inga.toml"), "--tls-cert", str(cert))
    assert half.returncode == 1 and "kräver både --tls-cert" in half.stderr, half.stderr
    swapped = run_serve({}, "--secrets", str(tmp_path / "inga.toml"), "--tls-cert", str(key), "--tls-key", str(key))
    assert swapped.returncode == 1 and f"--tls-cert {key} är ingen PEM-fil med ett certifikat" in swapped.stderr
    alone = run_serve({}, "--secrets", str(tmp_path / "inga.toml"), "--http-port", "8081")
    assert alone.returncode == 1 and "--http-port skickar vidare till HTTPS" in alone.stderr
