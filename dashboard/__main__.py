"""Command line: `python -m dashboard build-db | import FILE | profiles [rename OLD NEW | remove NAME] |
backup FILE | restore FILE | export observations | export areas --date ÅÅÅÅ-MM-DD`."""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

from dashboard.core import config
from dashboard.db.build import build_db, up_to_date


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="Arbetsmarknadsdashboardens verktyg")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build-db", help="bygg databasen från data/ (allt eller inget)")
    build.add_argument("--utan-demo", action="store_true", help="utan genererade demodata")
    build.add_argument("--data", type=Path, default=None, help="mappen med data (standard: data/ i repot)")
    build.add_argument("--om-andrat", action="store_true",
                       help="bygg bara om data eller kod har ändrats sedan databasen byggdes")
    imp = commands.add_parser("import", help="läs in en fil (visar först vad som skulle ändras)")
    imp.add_argument("file", type=Path, help="filen att läsa in")
    imp.add_argument("--format", default=None, help="filtypen (standard: känns igen ur filen)")
    imp.add_argument("--profile", default=None, help="sparad kolumnmappning (SCB:s delområdestabeller; standard: "
                     "profilen för filens rubrikrad)")
    imp.add_argument("--dry-run", action="store_true", help="visa bara vad som skulle ändras; skriv inget")
    imp.add_argument("--dataset", default=None, help="data setets namn (standard: ur filnamnet)")
    imp.add_argument("--description", default=None, help="varifrån filen kommer (sparas i importloggen)")
    imp.add_argument("--yes", action="store_true", help="skriv utan att fråga")
    imp.add_argument("--titel", default="", help="Kolada: nyckeltalets titel (värdefilen har bara dess id)")
    imp.add_argument("--definition", default="", help="Kolada: nyckeltalets definition")
    imp.add_argument("--enhet", default="", help="Kolada: enheten (antal, procent, kr …), om titeln inte säger den")
    imp.add_argument("--nyckeltal", type=Path, default=None,
                     help="Kolada: Koladas beskrivning av nyckeltalet (/v3/kpi/ID sparad som JSON)")
    profiles = commands.add_parser("profiles", help="de sparade kolumnmappningarna: lista, byt namn, ta bort")
    todo = profiles.add_subparsers(dest="todo")
    rename = todo.add_parser("rename", help="ge en profil ett nytt namn")
    rename.add_argument("old", help="profilens namn nu")
    rename.add_argument("new", help="det nya namnet")
    remove = todo.add_parser("remove", help="ta bort en profil (en fil med dess rubrikrad mappas då på nytt)")
    remove.add_argument("name", help="profilens namn")
    remove.add_argument("--yes", action="store_true", help="ta bort utan att fråga")
    save = commands.add_parser("backup", help="skriv en säkerhetskopia av hela databasen till en fil")
    save.add_argument("file", type=Path, help="filen att skriva (en tar-fil)")
    save.add_argument("--skriv-over", action="store_true", help="ersätt filen om den redan finns")
    back = commands.add_parser("restore",
                               help="ersätt databasen med en säkerhetskopia (visar först vad den innehåller)")
    back.add_argument("file", type=Path, help="säkerhetskopian, från python -m dashboard backup")
    back.add_argument("--dry-run", action="store_true", help="visa bara vad säkerhetskopian innehåller; ändra inget")
    back.add_argument("--yes", action="store_true", help="återställ utan att fråga")
    export = commands.add_parser("export", help="skriv CSV på standard ut")
    what = export.add_subparsers(dest="what", required=True)
    what.add_parser("observations", help="alla observationer med källa")
    areas = what.add_parser("areas", help="stadsdelarna och deras stadsdelsområde ett visst datum")
    areas.add_argument("--date", required=True, type=date.fromisoformat, help="ÅÅÅÅ-MM-DD")
    args = parser.parse_args(argv)

    from dashboard.ingest.load import LoadError

    try:
        if args.command == "build-db" and args.om_andrat and up_to_date(config.database_url(), not args.utan_demo,
                                                                         args.data):
            print("Databasen är redan byggd ur samma data och kod: inget att göra.")
        elif args.command == "build-db":
            counts = build_db(include_demo=not args.utan_demo, data_dir=args.data)
            print("Databasen byggd: " + ", ".join(f"{n} {what}" for what, n in counts.items()))
        elif args.command == "import":
            return _import(args)
        elif args.command == "profiles":
            return _profiles(args)
        elif args.command == "backup":
            return _backup(args)
        elif args.command == "restore":
            return _restore(args)
        elif args.what == "observations":
            from dashboard.export.downloads import neutralised_frame
            from queries.observations import export_frame

            neutralised_frame(export_frame()).to_csv(sys.stdout, index=False, float_format="%.10g")
        else:
            from dashboard.export.downloads import neutralised_frame
            from queries.areas import stadsdelar_at

            frame = stadsdelar_at(args.date)[["stadsdel", "stadsdelsomrade"]]
            neutralised_frame(frame).to_csv(sys.stdout, index=False)
    except LoadError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


def _import(args: argparse.Namespace) -> int:
    """Preview, then (with --yes or a 'j' at the prompt) write; --dry-run never writes."""
    from dashboard.ingest import IngestError, MeasureText, commit, preview
    from dashboard.ingest.text import preview_lines
    from queries.db import engine

    name = args.file.name
    try:
        data = args.file.read_bytes()
    except OSError as error:
        raise IngestError(name, f"filen kan inte läsas ({error.strerror or error})") from None
    text = MeasureText(title=args.titel, definition=args.definition, unit=args.enhet)
    if args.nyckeltal is not None:
        try:
            text = replace(text, described_by=(args.nyckeltal.name, args.nyckeltal.read_bytes()))
        except OSError as error:
            raise IngestError(args.nyckeltal.name, f"filen kan inte läsas ({error.strerror or error})") from None
    db = engine()
    shown = preview(data, name, db, format=args.format, dataset=args.dataset, text=text, profile=args.profile)
    print("\n".join(preview_lines(shown)))
    if shown.refusal:
        print("Inget skrevs.")
        return 1
    if args.dry_run or not shown.changes:
        print("Inget skrevs (--dry-run)." if args.dry_run else "Inget skrevs.")
        return 0
    description = args.description
    if not args.yes:
        if description is None:
            description = input("Varifrån kommer filen? ")
        if input("Importera? [j/N] ").strip().lower() not in ("j", "ja"):
            print("Avbrutet: inget skrevs.")
            return 1
    done = commit(shown, db, description=description or "")
    print(f"Importerat (import {done.import_id}) till data setet {done.dataset}: {done.new} nya, "
          f"{done.replaced} ersatta, {done.unchanged} oförändrade " + ("rader." if shown.individual else "värden."))
    if shown.individual:
        print(f"Skyddade tabeller för Uppföljning per område beräknade igen: {done.protected_cells} celler.")
    return 0


def _profiles(args: argparse.Namespace) -> int:
    """List the saved column mappings, or rename or remove one (written to the audit log)."""
    from dashboard.core.access import FORVALTARE, LOCAL_USER
    from dashboard.db import audit
    from dashboard.ingest import profiles
    from queries.db import engine

    db = engine()
    try:
        if args.todo is None:
            with db.connect() as conn:
                saved = profiles.saved(conn)
            for p in saved:
                print(f"{p['name']}\t{p['format']}\t{p['updated_at']:%Y-%m-%d %H:%M}\t{p['updated_by']}\t{p['header']}")
            print(f"{len(saved)} sparade profiler." if saved else "Inga sparade profiler.")
            return 0
        if args.todo == "rename":
            with db.begin() as conn:
                new = profiles.rename(conn, args.old, args.new, LOCAL_USER)
            audit.record(LOCAL_USER, LOCAL_USER, FORVALTARE, "profil_omdopt", "kommandorad", f"{args.old} → {new}",
                         engine=db)
            print(f"Profilen '{args.old}' heter nu '{new}'.")
            return 0
        if not args.yes and input(f"Ta bort profilen '{args.name}'? [j/N] ").strip().lower() not in ("j", "ja"):
            print("Avbrutet: inget ändrades.")
            return 1
        with db.begin() as conn:
            profiles.remove(conn, args.name)
        audit.record(LOCAL_USER, LOCAL_USER, FORVALTARE, "profil_borttagen", "kommandorad", args.name, engine=db)
        print(f"Profilen '{args.name}' är borttagen.")
        return 0
    except profiles.ProfileError as error:
        print(f"Fel: {error}. Inget ändrades.", file=sys.stderr)
        return 1


def _backup(args: argparse.Namespace) -> int:
    from dashboard.db.backup import backup, describe

    manifest = backup(config.database_url(), args.file, overwrite=args.skriv_over)
    print("\n".join(describe(manifest)[:3]))
    print(f"Säkerhetskopian skrevs till {args.file} (läsbar bara för dig: den innehåller importloggens filer "
          "och pseudonymnyckeln).")
    return 0


def _restore(args: argparse.Namespace) -> int:
    """Check the backup, say what it holds and what it changes, then (with --yes or a 'j') replace the database."""
    from dashboard.core.numbers import format_number
    from dashboard.db.backup import current_counts, describe, opened, restore

    url = config.database_url()
    with opened(args.file, url) as backup:
        print("\n".join(describe(backup.manifest, current_counts(url))))
        if args.dry_run:
            print("Inget ändrades (--dry-run).")
            return 0
        if not args.yes and input("Ersätta hela databasen med säkerhetskopian? [j/N] ").strip().lower() not in (
                "j", "ja"):
            print("Avbrutet: inget ändrades.")
            return 1
        counts = restore(backup)
    print(f"Databasen återställd ur {backup.file}: {format_number(sum(counts.values()))} rader i "
          f"{len(counts)} tabeller.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
