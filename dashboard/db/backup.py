"""Backing up and restoring the whole database: `python -m dashboard backup FILE` and `restore FILE`.

A backup is a tar file of two members: `backup.json` (what it is: backend, when, the build, every table's rows and
the database file's sha256) and the database itself, `database.sqlite` (SQLite's online backup API: a consistent
copy while the dashboard reads and writes) or `database.pgdump` (`pg_dump --format=custom` in the same snapshot as
the row counts). A restore checks everything before it touches the database, then replaces it in one step: SQLite
through the backup API into the live file (one write transaction, so open connections see the old database or the
new one, never a mix), PostgreSQL through `pg_restore --single-transaction`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata as package_metadata
from pathlib import Path

from sqlalchemy import Connection, create_engine, func, inspect, select, table, text
from sqlalchemy.engine import make_url

from dashboard.ingest.load import LoadError

FORMAT = "arbetsmarknadsdashboard-säkerhetskopia"
VERSION = 1
MANIFEST = "backup.json"
PAYLOAD = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}
BACKEND_NAME = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# Tables that show that a file is this dashboard's database (the rest may differ between versions).
REQUIRED = ("build_info", "observations", "datasets", "imports")


class BackupError(LoadError):
    """A backup or restore that cannot be done, told in Swedish; the database is as it was."""

    def __init__(self, file: str, reason: str) -> None:
        super().__init__(file, 0, "", reason)


@dataclass(frozen=True)
class Manifest:
    """What a backup holds, as `backup.json` records it."""

    backend: str
    created_at: str  # ISO 8601, UTC
    tables: dict[str, int]  # every table → rows
    build_info: dict[str, str]
    sha256: str  # of the database member
    program_version: str = ""
    server_version: str = ""  # PostgreSQL: the server's version
    tool_version: str = ""  # PostgreSQL: pg_dump's version
    database: str = ""  # the URL, without password

    @property
    def payload(self) -> str:
        return PAYLOAD[self.backend]


def backend_of(url: str) -> str:
    backend = make_url(url).get_backend_name()
    if backend not in PAYLOAD:
        raise BackupError(_shown(url), f"säkerhetskopior finns för SQLite och PostgreSQL, inte för {backend}")
    return backend


def _shown(url: str) -> str:
    return f"databasen {make_url(url).render_as_string(hide_password=True)}"


def _program_version() -> str:
    try:
        return package_metadata.version("arbetsmarknadsdashboard")
    except package_metadata.PackageNotFoundError:
        return ""


def _facts(conn: Connection) -> tuple[dict[str, int], dict[str, str]]:
    """Rows of every table and the build_info, read in the caller's transaction."""
    names = sorted(inspect(conn).get_table_names())
    counts = {name: int(conn.execute(select(func.count()).select_from(table(name))).scalar()) for name in names}
    info = {k: v for k, v in conn.execute(text("SELECT key, value FROM build_info"))} if "build_info" in names \
        else {}
    return counts, info


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# ----------------------------------------------------------------------------------------------------- backup
def backup(url: str, target: Path, *, overwrite: bool = False) -> Manifest:
    """Write a backup of the database at `url` to `target` (readable by its owner only); returns what it holds."""
    from queries.db import problem

    backend = backend_of(url)
    name = str(target)
    if target.exists() and not overwrite:
        raise BackupError(name, "filen finns redan; välj ett annat namn (eller --skriv-over)")
    if not target.parent.is_dir():
        raise BackupError(name, f"mappen {target.parent} finns inte")
    trouble = problem(url)
    if trouble is not None:
        what = "är inte byggd" if trouble.kind == "unbuilt" else "svarar inte"
        raise BackupError(_shown(url), f"{what}, så det finns inget att säkerhetskopiera ({trouble.detail})")
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".sakerhetskopia-") as folder:
        payload = Path(folder) / PAYLOAD[backend]
        if backend == "sqlite":
            (counts, info), versions = _copy_sqlite(url, payload), {}
        else:
            counts, info, versions = _dump_postgres(url, payload)
        manifest = Manifest(backend=backend, created_at=datetime.now(UTC).isoformat(timespec="seconds"),
                            tables=counts, build_info=info, sha256=_sha256(payload),
                            program_version=_program_version(),
                            database=make_url(url).render_as_string(hide_password=True), **versions)
        manifest_file = Path(folder) / MANIFEST
        manifest_file.write_text(json.dumps(_as_json(manifest), ensure_ascii=False, indent=2), encoding="utf-8")
        partial = Path(folder) / "backup.tar"
        with tarfile.open(partial, "w") as archive:
            for path in (manifest_file, payload):
                archive.add(path, path.name, filter=_private)
        partial.chmod(0o600)  # the import log keeps original files, and the pseudonym key is in the database
        with partial.open("rb") as file:
            os.fsync(file.fileno())
        os.replace(partial, target)
    return manifest


def _private(member: tarfile.TarInfo) -> tarfile.TarInfo:
    member.mode, member.uname, member.gname = 0o600, "", ""
    return member


def _as_json(manifest: Manifest) -> dict:
    return {"format": FORMAT, "version": VERSION, "backend": manifest.backend, "created_at": manifest.created_at,
            "program_version": manifest.program_version, "database": manifest.database,
            "server_version": manifest.server_version, "tool_version": manifest.tool_version,
            "build_info": manifest.build_info, "tables": manifest.tables, "payload": manifest.payload,
            "sha256": manifest.sha256}


def _copy_sqlite(url: str, payload: Path) -> tuple[dict[str, int], dict[str, str]]:
    from queries.db import sqlite_path

    source = sqlite_path(url)
    if source is None:
        raise BackupError(_shown(url), "bara en SQLite-fil kan säkerhetskopieras (inte en databas i minnet)")
    try:
        with closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True, timeout=WAIT)) as live, \
                closing(sqlite3.connect(payload)) as copy:
            _copy(live, copy)  # SQLite's online backup: one consistent state, even while others write
    except sqlite3.Error as error:
        raise BackupError(_shown(url), f"kunde inte kopieras ({error})") from None
    return _sqlite_facts(payload)


WAIT = 60.0  # seconds a SQLite copy waits for a lock (a write in progress) before it gives up


class _Busy(sqlite3.OperationalError):
    pass


def _copy(source: sqlite3.Connection, target: sqlite3.Connection, wait: float | None = None) -> None:
    """Copy every page in one step: the target's write transaction commits whole or, on error, not at all. Gives
    up after `wait` seconds of locks held by others (Python's backup would otherwise retry for ever)."""
    deadline = time.monotonic() + (WAIT if wait is None else wait)

    def progress(status: int, _remaining: int, _total: int) -> None:
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise _Busy("databasen är upptagen av en annan skrivning; försök igen om en stund")

    source.backup(target, pages=-1, progress=progress, sleep=0.05)


def _sqlite_facts(path: Path) -> tuple[dict[str, int], dict[str, str]]:
    engine = create_engine(f"sqlite:///{path}")
    try:
        with engine.connect() as conn:
            return _facts(conn)
    finally:
        engine.dispose()


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """The libpq connection URI for pg_dump and pg_restore, and their environment (the password goes there, not
    on the command line)."""
    parsed = make_url(url)
    env = {**os.environ}
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    uri = parsed.set(drivername="postgresql", password=None).render_as_string(hide_password=False)
    return uri, env


def _major(version: str) -> int:
    found = re.search(r"(\d+)(?:\.\d+)?", version)
    return int(found.group(1)) if found else 0


def _tool(name: str, where: str) -> str:
    """'pg_dump (PostgreSQL) 15.20 (Debian …)' → '15.20'; a missing program is told how to install."""
    try:
        out = subprocess.run([name, "--version"], capture_output=True, text=True, check=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        raise BackupError(where, f"programmet {name} finns inte här; installera Debians postgresql-client "
                          "(bash scripts/setup.sh gör det)") from None
    found = re.search(r"\)\s*(\d+(?:\.\d+)*)", out)
    return found.group(1) if found else out.strip()


def _first_error(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in lines:
        if "error" in line.lower() or "fel" in line.lower():
            return line
    return lines[0] if lines else "inget meddelande"


def _dump_postgres(url: str, payload: Path) -> tuple[dict[str, int], dict[str, str], dict[str, str]]:
    from queries.db import engine

    where = _shown(url)
    tool = _tool("pg_dump", where)
    uri, env = _libpq(url)
    with engine(url).connect() as conn:
        server = str(conn.execute(text("SHOW server_version")).scalar()).split()[0]
        conn.rollback()
        if _major(tool) < _major(server):
            raise BackupError(where, f"pg_dump {tool} är äldre än servern (PostgreSQL {server}) och kan inte "
                              f"säkerhetskopiera den; installera postgresql-client-{_major(server)}")
        conn = conn.execution_options(isolation_level="REPEATABLE READ")
        with conn.begin():  # the row counts and pg_dump see the same snapshot
            snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar()
            counts, info = _facts(conn)
            done = subprocess.run(["pg_dump", "--format=custom", "--no-password", f"--snapshot={snapshot}",
                                   f"--file={payload}", f"--dbname={uri}"], capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise BackupError(where, f"pg_dump misslyckades: {_first_error(done.stderr)}")
    return counts, info, {"server_version": server, "tool_version": tool}


# ---------------------------------------------------------------------------------------------------- restore
@dataclass
class Opened:
    """A backup read and checked against the database it is to replace; `database` is its extracted copy."""

    file: str
    manifest: Manifest
    database: Path
    url: str


def _refuse(file: str, why: str) -> BackupError:
    return BackupError(file, f"filen är ingen säkerhetskopia från python -m dashboard backup ({why})")


def _read_manifest(file: str, archive: tarfile.TarFile) -> Manifest:
    try:
        member = archive.getmember(MANIFEST)
    except KeyError:
        raise _refuse(file, f"{MANIFEST} saknas") from None
    if not member.isfile() or member.size > 10_000_000:
        raise _refuse(file, f"{MANIFEST} är ingen vanlig fil")
    try:
        raw = json.loads(archive.extractfile(member).read().decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise _refuse(file, f"{MANIFEST} är inte JSON") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise _refuse(file, f"{MANIFEST} är inte dashboardens")
    if not isinstance(raw.get("version"), int) or raw["version"] > VERSION:
        raise BackupError(file, f"säkerhetskopian har formatet {raw.get('version')}, som en nyare version av "
                          "dashboarden skriver; uppdatera dashboarden först")
    try:
        manifest = Manifest(backend=raw["backend"], created_at=raw["created_at"],
                            tables={str(k): int(v) for k, v in raw["tables"].items()},
                            build_info={str(k): str(v) for k, v in raw["build_info"].items()},
                            sha256=str(raw["sha256"]), program_version=str(raw.get("program_version", "")),
                            server_version=str(raw.get("server_version", "")),
                            tool_version=str(raw.get("tool_version", "")), database=str(raw.get("database", "")))
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise _refuse(file, f"{MANIFEST} saknar eller har fel i {error}") from None
    if manifest.backend not in PAYLOAD:
        raise _refuse(file, f"okänd databas '{manifest.backend}'")
    return manifest


@contextmanager
def opened(path: Path, url: str) -> Iterator[Opened]:
    """The backup at `path`, checked for restoring into `url`: the right kind of file, of the same kind of database,
    whole (sha256) and readable. Nothing in the database is touched. The extracted copy is removed afterwards."""
    from queries.db import sqlite_path

    file = path.name
    backend = backend_of(url)
    try:
        archive = tarfile.open(path, "r:")  # noqa: SIM115 - closed by the with below
    except OSError as error:
        raise BackupError(file, f"filen kan inte läsas ({error.strerror or error})") from None
    except tarfile.TarError:
        raise _refuse(file, "inte en tar-fil") from None
    with archive:
        try:
            archive.getmembers()
        except (tarfile.TarError, EOFError):
            raise BackupError(file, "säkerhetskopian är skadad eller ofullständig (den tar slut för "
                              "tidigt)") from None
        manifest = _read_manifest(file, archive)
        if manifest.backend != backend:
            raise BackupError(file, f"säkerhetskopian är av en {BACKEND_NAME[manifest.backend]}-databas, men "
                              f"{_shown(url)} är {BACKEND_NAME[backend]}; en säkerhetskopia kan bara återställas "
                              "till samma slags databas")
        try:
            member = archive.getmember(manifest.payload)
        except KeyError:
            raise BackupError(file, f"säkerhetskopian är ofullständig: {manifest.payload} saknas") from None
        if not member.isfile():
            raise BackupError(file, f"säkerhetskopian är skadad: {manifest.payload} är ingen vanlig fil")
        target = sqlite_path(url) if backend == "sqlite" else None
        if target is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=target.parent if target else None, prefix=".aterstall-") as folder:
            copy = Path(folder) / manifest.payload
            try:
                with archive.extractfile(member) as source, copy.open("wb") as out:
                    for block in iter(lambda: source.read(1 << 20), b""):
                        out.write(block)
            except (tarfile.TarError, OSError, EOFError):
                raise BackupError(file, "säkerhetskopian är skadad eller ofullständig (den tar slut för "
                                  "tidigt)") from None
            if _sha256(copy) != manifest.sha256:
                raise BackupError(file, f"säkerhetskopian är skadad: {manifest.payload} har inte den kontrollsumma "
                                  "som backup.json anger (filen har ändrats eller kopierats ofullständigt)")
            if backend == "sqlite":
                _check_sqlite(file, copy, manifest)
            else:
                _check_pgdump(file, copy, manifest)
            yield Opened(file=file, manifest=manifest, database=copy, url=url)


def _check_sqlite(file: str, copy: Path, manifest: Manifest) -> None:
    try:
        with closing(sqlite3.connect(f"{copy.as_uri()}?mode=ro", uri=True)) as conn:
            result = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as error:
        raise BackupError(file, f"säkerhetskopians databas kan inte läsas ({error})") from None
    if result != [("ok",)]:
        raise BackupError(file, f"säkerhetskopians databas är skadad ({result[0][0]})")
    counts, _ = _sqlite_facts(copy)
    _check_tables(file, counts, manifest)


def _check_tables(file: str, counts: dict[str, int], manifest: Manifest) -> None:
    missing = [name for name in REQUIRED if name not in counts]
    if missing:
        raise _refuse(file, "databasen saknar tabellerna " + ", ".join(missing))
    if counts != manifest.tables:
        differ = sorted(set(counts) ^ set(manifest.tables) | {k for k in counts if counts[k] != manifest.tables.get(k)})
        raise BackupError(file, "säkerhetskopians databas stämmer inte med backup.json (tabellerna "
                          + ", ".join(differ) + ")")


def _check_pgdump(file: str, copy: Path, manifest: Manifest) -> None:
    tool = _tool("pg_restore", file)
    if manifest.tool_version and _major(tool) < _major(manifest.tool_version):
        raise BackupError(file, f"säkerhetskopian är gjord med pg_dump {manifest.tool_version}, men pg_restore här "
                          f"är {tool}; installera postgresql-client-{_major(manifest.tool_version)}")
    listed = subprocess.run(["pg_restore", "--list", str(copy)], capture_output=True, text=True)
    if listed.returncode != 0:
        raise BackupError(file, "säkerhetskopians databas kan inte läsas av pg_restore "
                          f"({_first_error(listed.stderr)})")
    tables = set(re.findall(r"\bTABLE DATA \S+ (\S+) ", listed.stdout))
    missing = [name for name in REQUIRED if name not in tables]
    if missing:
        raise _refuse(file, "databasen saknar tabellerna " + ", ".join(missing))


def restore(backup: Opened, *, wait: float | None = None) -> dict[str, int]:
    """Replace the database with the checked backup, all or nothing; returns the rows of every table after it.
    SQLite waits at most `wait` seconds (default WAIT) for others' writes to end."""
    from queries.db import engine

    if backup.manifest.backend == "sqlite":
        _restore_sqlite(backup, wait)
    else:
        _restore_postgres(backup)
    engine(backup.url).dispose()  # pooled connections may still know the replaced tables
    with engine(backup.url).connect() as conn:
        counts, _ = _facts(conn)
    if {name: counts.get(name) for name in backup.manifest.tables} != backup.manifest.tables:
        raise BackupError(_shown(backup.url), "återställningen skrevs, men databasen har inte de rader som "
                          "säkerhetskopian anger; kontrollera den")
    return counts


def _restore_sqlite(backup: Opened, wait: float | None) -> None:
    from queries.db import sqlite_path

    target = sqlite_path(backup.url)
    try:
        with closing(sqlite3.connect(f"{backup.database.as_uri()}?mode=ro", uri=True)) as copy, \
                closing(sqlite3.connect(target, timeout=1)) as live:
            _copy(copy, live, wait)  # one write transaction on the live file: all of it or, on error, none
    except sqlite3.Error as error:
        raise BackupError(_shown(backup.url), f"återställningen avbröts och databasen är som förut ({error})") from None


def _restore_postgres(backup: Opened) -> None:
    from queries.db import engine

    where = _shown(backup.url)
    try:
        with engine(backup.url).connect():
            pass
    except Exception as error:  # noqa: BLE001 - told in Swedish: restore needs the database to exist
        raise BackupError(where, "svarar inte eller finns inte; skapa databasen först (createdb) och försök igen "
                          f"({type(error).__name__})") from None
    engine(backup.url).dispose()  # our own idle connections hold no locks, but leave none open
    uri, env = _libpq(backup.url)
    done = subprocess.run(["pg_restore", "--clean", "--if-exists", "--single-transaction", "--exit-on-error",
                           "--no-owner", "--no-password", f"--dbname={uri}", str(backup.database)],
                          capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise BackupError(where, f"återställningen avbröts och databasen är som förut ({_first_error(done.stderr)})")


def current_counts(url: str) -> dict[str, int] | None:
    """Rows of every table of the database now, or None if it cannot be read (not built yet, say)."""
    from queries.db import engine, problem

    if problem(url) is not None:
        return None
    with engine(url).connect() as conn:
        return _facts(conn)[0]


def _when(iso: str) -> str:
    """'2026-12-03T10:15:07+00:00' → '2026-12-03 10:15 UTC'."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


def describe(manifest: Manifest, now: dict[str, int] | None = None) -> list[str]:
    """What the backup holds, in Swedish, and (given the rows of the database now) which tables it changes."""
    from dashboard.core.numbers import format_number as n

    made = (f"Säkerhetskopia av en {BACKEND_NAME[manifest.backend]}-databas"
            + (f" ({manifest.database})" if manifest.database else "")
            + f", gjord {_when(manifest.created_at)}"
            + (f" av dashboarden {manifest.program_version}" if manifest.program_version else ""))
    if manifest.server_version:
        made += f" (PostgreSQL {manifest.server_version}, pg_dump {manifest.tool_version})"
    built = manifest.build_info.get("built_at")
    lines = [made, (f"Databasen byggdes {_when(built)}" if built else "Databasen var inte färdigbyggd")
             + (f" (bygget {manifest.build_info['built_from'][:12]})" if "built_from" in manifest.build_info
                else "")]
    t = manifest.tables
    lines.append(f"Innehåll: {n(t.get('observations', 0))} observationer, {n(t.get('imports', 0))} importer, "
                 f"{n(t.get('decks', 0))} presentationer; {n(len(t))} tabeller med {n(sum(t.values()))} rader")
    if now is None:
        lines.append("Databasen nu: finns inte eller är inte byggd")
        return lines
    changed = sorted(name for name in set(t) | set(now) if t.get(name) != now.get(name))
    if not changed:
        lines.append("Databasen nu har lika många rader i varje tabell")
    else:
        kept = "tas bort" if manifest.backend == "sqlite" else "finns inte i säkerhetskopian, lämnas som den är"
        lines.append("Tabeller vars antal rader ändras (nu → ur säkerhetskopian):")
        lines += [f"  {name}: {n(now[name]) if name in now else 'finns inte'} → "
                  f"{n(t[name]) if name in t else kept}" for name in changed]
    return lines
