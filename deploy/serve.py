"""The dashboard for more than one machine: N Streamlit processes on 127.0.0.1 behind nginx, with sticky sessions.

    bash scripts/serve.sh [--processes 2] [--port 8080] [--address 127.0.0.1] [--run-dir DIR] [--secrets FILE]
                          [--tls-cert FILE --tls-key FILE [--http-port 80]] [--secure-cookie] [--no-build]
                          [-- STREAMLIT OPTIONS]

Reads DATABASE_URL (PostgreSQL for a real deployment). Builds the database if data or code changed (as
scripts/start.sh does; --no-build skips it), starts the processes, waits until each answers /_stcore/health, then
starts nginx (deploy/nginx.conf.template, rendered into the run folder) as a child in the foreground. It stops
nginx and every process on Ctrl-C or SIGTERM. An app process that stops is started again on its port (nginx
sends its browsers to the others meanwhile), up to RESTARTS times in RESTART_WINDOW_S; when nginx stops, or a
process keeps stopping, the script stops everything.

nginx listens on --address (default DASHBOARD_ADDRESS, else 127.0.0.1). Another address than this machine's needs
sign-in configured, as for start.sh (dashboard.core.access.bind_address), or DASHBOARD_ALLOW_REMOTE=1.

With --tls-cert and --tls-key (PEM files: the certificate chain and its key) nginx speaks HTTPS on --port only
(TLS 1.2 and 1.3), sends Strict-Transport-Security and marks its route cookie Secure; --http-port adds a plain
port that only redirects to HTTPS.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import re
import secrets as random_secrets
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import tomllib
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from dashboard.core import access  # noqa: E402

TEMPLATE = REPO / "deploy" / "nginx.conf.template"
HEALTH = "/_stcore/health"
START_LIMIT_S = 180  # for a process to answer its health check on a busy machine
EXAMPLE_SECRET = "BYT-UT-MIG"  # .streamlit/secrets.example.toml's placeholder
RESTARTS, RESTART_WINDOW_S = 3, 600  # an app process that stops is started again, up to 3 times in 10 minutes


class ServeError(RuntimeError):
    """The set-up cannot start, told in Swedish."""


class Stop(Exception):  # noqa: N818 - a signal, not an error
    """Ctrl-C or SIGTERM: stop everything."""


# --- the nginx configuration ------------------------------------------------------------------------------------

def listen_on(address: str, port: int) -> str:
    """nginx's `listen` argument: IPv6 addresses in brackets."""
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


@dataclass(frozen=True)
class Tls:
    """HTTPS in nginx: the certificate chain and its key (PEM), and a plain port that redirects (or None)."""

    cert: Path
    key: Path
    http_port: int | None = None


HSTS = 'add_header Strict-Transport-Security "max-age=31536000" always;'


def _tls_lines(tls: Tls) -> str:
    return "\n".join(f"        {line}" for line in (
        f"ssl_certificate {tls.cert};", f"ssl_certificate_key {tls.key};", "ssl_protocols TLSv1.2 TLSv1.3;",
        "ssl_session_cache shared:dashboard_tls:10m;", "ssl_session_timeout 1d;"))


def _redirect_server(address: str, port: int, tls: Tls) -> str:
    to = "https://$host" + ("" if port == 443 else f":{port}") + "$request_uri"
    lines = ["server {  # plain HTTP only sends people to HTTPS", f"    listen {listen_on(address, tls.http_port)};",
             "    server_name _;", f"    return 301 {to};", "}"]
    return "\n".join(f"    {line}" for line in lines)


def nginx_config(address: str, port: int, app_ports: Sequence[int], run_dir: Path, *, temp_dir: Path | None = None,
                 user: str | None = None, secure_cookie: bool = False, worker_processes: str = "auto",
                 tls: Tls | None = None) -> str:
    """deploy/nginx.conf.template with its {{names}} filled in; fails on a name left unfilled."""
    secure_cookie = secure_cookie or tls is not None
    values = {
        "listen": listen_on(address, port) + (" ssl" if tls else ""),
        "tls": _tls_lines(tls) if tls else "        # no TLS here: HTTP (or TLS ended in front of nginx)",
        "hsts": f"            {HSTS}" if tls else "",
        "redirect_server": _redirect_server(address, port, tls) if tls and tls.http_port else "",
        "servers": "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in app_ports),
        "run_dir": str(run_dir),
        "temp_dir": str(temp_dir or run_dir / "temp"),
        "user": f"user {user};" if user else "# user: the one who started the script",
        "cookie_secure": "; Secure" if secure_cookie else "",
        "worker_processes": worker_processes,
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in values.items():
        text = text.replace("{{" + name + "}}", value)
    left = sorted(set(re.findall(r"\{\{(\w+)\}\}", text)))
    if left:
        raise ServeError(f"{TEMPLATE.name}: okända fält {', '.join(left)}")
    return text


# --- what may be started ---------------------------------------------------------------------------------------

def check_tls(cert: Path | None, key: Path | None, http_port: int | None) -> Tls | None:
    """The TLS settings, each file read and checked to be PEM of the right kind, or None without them."""
    if cert is None and key is None:
        if http_port is not None:
            raise ServeError("--http-port skickar vidare till HTTPS och kräver --tls-cert och --tls-key.")
        return None
    if cert is None or key is None:
        raise ServeError("HTTPS kräver både --tls-cert (certifikatkedjan) och --tls-key (dess nyckel), som PEM-filer.")
    for path, what, marker, kind in ((cert, "--tls-cert", "CERTIFICATE-----", "ett certifikat"),
                                     (key, "--tls-key", "PRIVATE KEY-----", "en privat nyckel")):
        try:
            text = path.read_text(encoding="ascii", errors="replace")
        except OSError as error:
            raise ServeError(f"{what} {path} går inte att läsa ({error.strerror or error}).") from error
        if "-----BEGIN " not in text or marker not in text:
            raise ServeError(f"{what} {path} är ingen PEM-fil med {kind}.")
    return Tls(cert.resolve(), key.resolve(), http_port)


def read_auth(secrets_file: Path) -> Mapping | None:
    """The `[auth]` section of the secrets file (None when there is no file or section)."""
    if not secrets_file.is_file():
        return None
    try:
        return tomllib.loads(secrets_file.read_text(encoding="utf-8")).get("auth")
    except tomllib.TOMLDecodeError as error:
        raise ServeError(f"{secrets_file} går inte att läsa som TOML: {error}") from error


def check_signin(auth: Mapping | None, secrets_file: Path) -> bool:
    """Is sign-in configured? Refuses the example's placeholder cookie secret (every process signs the sign-in
    cookie with it, and a known secret lets anyone forge one) and a redirect_uri with {port} (the process's port)."""
    if not access.signin_configured(auth):
        return False
    if str(auth.get("cookie_secret", "")).strip() in ("", EXAMPLE_SECRET):
        raise ServeError(f"cookie_secret i {secrets_file} är inte ifylld. Sätt en lång slumpmässig sträng, t.ex. "
                         "från: python -c \"import secrets; print(secrets.token_urlsafe(48))\"")
    if "{port}" in str(auth.get("redirect_uri", "")):  # Streamlit would put in the process's own port, not nginx's
        raise ServeError(f"redirect_uri i {secrets_file} innehåller {{port}}. Bakom nginx ska den vara adressen "
                         "användarna når dashboarden på, t.ex. https://dashboard.amn.stockholm.se/oauth2callback.")
    return True


def shared_cookie_secret(env: Mapping[str, str], signin: bool) -> dict[str, str]:
    """The environment that gives every process the same cookie secret. With sign-in it is [auth] cookie_secret
    of the one secrets file all processes read; without, one random secret per start (Streamlit's XSRF cookie)."""
    if signin or env.get("STREAMLIT_SERVER_COOKIE_SECRET"):
        return {}
    return {"STREAMLIT_SERVER_COOKIE_SECRET": random_secrets.token_urlsafe(48)}


def port_is_free(address: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in address else socket.AF_INET
    with socket.socket(family) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as nginx does: TIME_WAIT is no conflict
        try:
            s.bind((address, port))
        except OSError:
            return False
    return True


def free_ports(count: int) -> list[int]:
    """Ports on 127.0.0.1 nobody listens on now (held together, so they differ)."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for s in sockets:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in sockets]
    finally:
        for s in sockets:
            s.close()


def shown_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


# --- the processes ------------------------------------------------------------------------------------------------

def _die_with_parent() -> None:
    """In the child: SIGTERM when the script dies, however it dies (Linux)."""
    with contextlib.suppress(OSError):  # not Linux: the children are still stopped by the script's own exit
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


@dataclass
class Child:
    name: str
    process: subprocess.Popen
    log: Path
    command: list[str] = field(default_factory=list)
    env: Mapping[str, str] | None = None
    restarts: list[float] = field(default_factory=list)  # when it was started again (time.monotonic)

    def may_restart(self, now: float) -> bool:
        """An app process may be started again, unless it stopped RESTARTS times within RESTART_WINDOW_S."""
        return bool(self.command) and len([t for t in self.restarts if now - t < RESTART_WINDOW_S]) < RESTARTS

    def restart(self) -> None:
        self.restarts.append(time.monotonic())
        self.process = start(self.name, self.command, self.log, self.env).process

    def tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def start(name: str, command: list[str], log: Path, env: Mapping[str, str] | None = None) -> Child:
    """A child in its own process group (a Ctrl-C reaches the script, which stops the children in order)."""
    with log.open("ab") as out:
        process = subprocess.Popen(command, cwd=REPO, env=dict(env or os.environ), stdin=subprocess.DEVNULL,
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                   preexec_fn=_die_with_parent)  # noqa: PLW1509 - no threads here
    return Child(name, process, log, command, env)


# Never through an http_proxy. The health checks reach this machine's own nginx by its address, which a
# certificate for the dashboard's name does not cover: they do not check the certificate (nginx checks its files).
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}),
                                      urllib.request.HTTPSHandler(context=ssl._create_unverified_context()))


def healthy(url: str) -> bool:
    try:
        with _DIRECT.open(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def wait_healthy(children: Mapping[str, Child], limit_s: float = START_LIMIT_S) -> None:
    """Until each child answers its health URL (the keys) with 200; fails at once when one of them exits."""
    pending = dict(children)
    deadline = time.monotonic() + limit_s
    while pending:
        for url, child in list(pending.items()):
            if child.process.poll() is not None:
                raise ServeError(f"{child.name} avslutades vid start (kod {child.process.returncode}); "
                                 f"se {child.log}:\n{child.tail()}")
            if healthy(url):
                del pending[url]
        if pending and time.monotonic() > deadline:
            names = ", ".join(c.name for c in pending.values())
            raise ServeError(f"{names} svarade inte på {HEALTH} inom {limit_s:.0f} s")
        if pending:
            time.sleep(0.2)  # polling a server that is starting: the health check is its only signal


def stop(children: Sequence[Child], limit_s: float = 20) -> None:
    """SIGTERM to each, then SIGKILL to any still running after `limit_s`."""
    for child in children:
        if child.process.poll() is None:
            child.process.terminate()
    deadline = time.monotonic() + limit_s
    for child in children:
        try:
            child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            child.process.kill()
            child.process.wait()


def wait_for_first_exit(children: Sequence[Child]) -> Child:
    """Blocks until a child exits (or a signal raises Stop) and returns it, without polling."""
    while True:
        exited = next((c for c in children if c.process.poll() is not None), None)
        if exited:
            return exited
        os.waitid(os.P_ALL, 0, os.WEXITED | os.WNOWAIT)  # wakes on any child's exit; Popen reaps it after


# --- the script -----------------------------------------------------------------------------------------------------

def parse(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="scripts/serve.sh", description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=2, help="Streamlit-processer (standard 2)")
    parser.add_argument("--port", type=int, default=8080, help="porten nginx lyssnar på (standard 8080)")
    parser.add_argument("--address", default=None,
                        help="adressen nginx lyssnar på (standard DASHBOARD_ADDRESS, annars 127.0.0.1)")
    parser.add_argument("--app-port", type=int, default=None,
                        help="första processens port på 127.0.0.1, följande +1 (standard: lediga portar)")
    parser.add_argument("--run-dir", type=Path, default=None,
                        help="mapp för nginx-konfiguration, pid, loggar (standard: en ny tillfällig mapp)")
    parser.add_argument("--secrets", type=Path, default=REPO / ".streamlit" / "secrets.toml",
                        help="secrets.toml som alla processer läser (inloggning)")
    parser.add_argument("--tls-cert", type=Path, default=None, help="HTTPS: certifikatkedjan (PEM)")
    parser.add_argument("--tls-key", type=Path, default=None, help="HTTPS: certifikatets privata nyckel (PEM)")
    parser.add_argument("--http-port", type=int, default=None,
                        help="med HTTPS: en port för vanlig HTTP som bara skickar vidare till HTTPS")
    parser.add_argument("--secure-cookie", action="store_true",
                        help="Secure på nginx route-cookie (när TLS avslutas framför nginx; med --tls-cert alltid)")
    parser.add_argument("--no-build", action="store_true", help="bygg inte databasen först")
    parser.add_argument("--nginx", default=shutil.which("nginx") or "/usr/sbin/nginx", help="nginx-programmet")
    parser.add_argument("streamlit_args", nargs="*", help="efter --: fler flaggor till streamlit run")
    args = parser.parse_args(argv)
    if args.processes < 1:
        parser.error("--processes måste vara minst 1")
    return args


def _raise_stop(signum: int, frame: object) -> None:
    raise Stop(signal.Signals(signum).name)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse(sys.argv[1:] if argv is None else argv)
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _raise_stop)
    database_url = os.environ.get("DATABASE_URL", "")
    made: list[Path] = []  # folders this run made, removed at a clean stop
    children: list[Child] = []
    clean = False
    try:
        signin = check_signin(read_auth(args.secrets), args.secrets)
        tls = check_tls(args.tls_cert, args.tls_key, args.http_port)
        env = {**os.environ, "DASHBOARD_ADDRESS": args.address or os.environ.get("DASHBOARD_ADDRESS", "")}
        try:
            address, warning = access.bind_address(env, signin)
        except access.AccessConfigError as error:
            raise ServeError(str(error)) from error
        if warning:
            print(warning, file=sys.stderr)
        if not Path(args.nginx).is_file():
            raise ServeError(f"nginx finns inte ({args.nginx}); installera med: bash scripts/setup.sh")
        for port in (args.port, *([tls.http_port] if tls and tls.http_port else [])):
            if not port_is_free(address, port):
                raise ServeError(f"Porten {port} på {address} används redan.")
        if not database_url.startswith("postgresql"):
            print(f"Obs: DATABASE_URL är {shown_url(database_url) if database_url else 'inte satt (SQLite)'}; "
                  "för drift med flera processer: PostgreSQL.", file=sys.stderr)
        if not args.no_build:
            build = subprocess.run([sys.executable, "-m", "dashboard", "build-db", "--om-andrat"], cwd=REPO,
                                   check=False)
            if build.returncode != 0:
                raise ServeError("build-db misslyckades (se ovan); dashboarden startas inte.")

        if args.run_dir is None:
            made.append(Path(tempfile.mkdtemp(prefix="dashboard-serve-")))
        run_dir = args.run_dir.resolve() if args.run_dir else made[0]
        (run_dir / "logs").mkdir(parents=True, exist_ok=True)
        app_ports = ([args.app_port + i for i in range(args.processes)] if args.app_port
                     else free_ports(args.processes))
        app_env = {**os.environ, **shared_cookie_secret(os.environ, signin)}
        streamlit = [sys.executable, "-m", "streamlit", "run", str(REPO / "dashboard" / "app.py"),
                     "--server.address", "127.0.0.1", "--server.headless", "true",
                     "--secrets.files", str(args.secrets.resolve())]
        apps = {f"http://127.0.0.1:{port}{HEALTH}": start(
                    f"process {i + 1} (127.0.0.1:{port})",
                    [*streamlit, "--server.port", str(port), *args.streamlit_args],
                    run_dir / "logs" / f"streamlit-{port}.log", app_env)
                for i, port in enumerate(app_ports)}
        children += apps.values()
        wait_healthy(apps)

        user = temp_dir = None
        if os.geteuid() == 0:
            # nginx's workers run as www-data, and write request bodies (uploads) below temp_dir: a folder of
            # the system's temp that www-data can reach, whatever the run folder's parents allow.
            user = "www-data"
            temp_dir = Path(tempfile.mkdtemp(prefix="dashboard-nginx-"))
            temp_dir.chmod(0o711)
            made.append(temp_dir)
        else:
            (run_dir / "temp").mkdir(exist_ok=True)
        config = run_dir / "nginx.conf"
        config.write_text(nginx_config(address, args.port, app_ports, run_dir, temp_dir=temp_dir, user=user,
                                       secure_cookie=args.secure_cookie, tls=tls), encoding="utf-8")
        nginx = start("nginx", [args.nginx, "-p", str(run_dir), "-c", str(config),
                                "-e", str(run_dir / "logs" / "nginx-error.log")],
                      run_dir / "logs" / "nginx-start.log")
        children.insert(0, nginx)
        public = f"{'https' if tls else 'http'}://{listen_on(_reachable(address), args.port)}"
        wait_healthy({f"{public}{HEALTH}": nginx})

        print(f"Dashboarden är igång på {public} (nginx på {listen_on(address, args.port)}, {len(app_ports)} "
              f"processer: {', '.join(f'127.0.0.1:{p}' for p in app_ports)}; databas "
              f"{shown_url(database_url) if database_url else 'SQLite (standard)'}; loggar i {run_dir / 'logs'}). "
              "Ctrl-C stoppar allt.", flush=True)
        health = {child.name: url for url, child in apps.items()}
        while True:
            exited = wait_for_first_exit(children)
            if exited.name == "nginx" or not exited.may_restart(time.monotonic()):
                print(f"{exited.name} stannade (kod {exited.process.returncode}); stoppar alla. Se {exited.log}:\n"
                      f"{exited.tail()}", file=sys.stderr)
                return 1
            print(f"{exited.name} stannade (kod {exited.process.returncode}); startas om. Under tiden svarar de "
                  f"andra processerna (se {exited.log}).", file=sys.stderr, flush=True)
            exited.restart()
            wait_healthy({health[exited.name]: exited})
            print(f"{exited.name} är igång igen.", flush=True)
    except Stop as why:
        print(f"Stoppar ({why}) …", file=sys.stderr, flush=True)
        clean = True
        return 0
    except ServeError as error:
        print(error, file=sys.stderr)
        return 1
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)  # a second Ctrl-C does not cut the stopping short
        stop([c for c in children if c.name == "nginx"])  # first: no new requests reach a stopping process
        stop([c for c in children if c.name != "nginx"])
        if children and not clean:
            print(f"Loggarna finns kvar i {children[-1].log.parent}", file=sys.stderr)
        for folder in made if clean or not children else made[1:]:  # the run folder with the logs stays on failure
            shutil.rmtree(folder, ignore_errors=True)


def _reachable(address: str) -> str:
    """Where this machine reaches a server listening on `address` (0.0.0.0 and :: through the loopback)."""
    return {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(address, address)  # noqa: S104


if __name__ == "__main__":
    raise SystemExit(main())
