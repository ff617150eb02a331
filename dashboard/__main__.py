"""Command line: `python -m dashboard build-db | export observations | export areas --date ÅÅÅÅ-MM-DD`."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from dashboard.build import build_db


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m dashboard", description="Arbetsmarknadsdashboardens verktyg")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build-db", help="bygg databasen från data/ (allt eller inget)")
    build.add_argument("--utan-demo", action="store_true", help="utan genererade demodata")
    build.add_argument("--data", type=Path, default=None, help="mappen med data (standard: data/ i repot)")
    export = commands.add_parser("export", help="skriv CSV på standard ut")
    what = export.add_subparsers(dest="what", required=True)
    what.add_parser("observations", help="alla observationer med källa")
    areas = what.add_parser("areas", help="stadsdelarna och deras stadsdelsområde ett visst datum")
    areas.add_argument("--date", required=True, type=date.fromisoformat, help="ÅÅÅÅ-MM-DD")
    args = parser.parse_args(argv)

    from dashboard.load import LoadError

    try:
        if args.command == "build-db":
            counts = build_db(include_demo=not args.utan_demo, data_dir=args.data)
            print("Databasen byggd: " + ", ".join(f"{n} {what}" for what, n in counts.items()))
        elif args.what == "observations":
            from dashboard.exports import neutralised_frame
            from queries.observations import export_frame

            neutralised_frame(export_frame()).to_csv(sys.stdout, index=False, float_format="%.10g")
        else:
            from dashboard.exports import neutralised_frame
            from queries.areas import stadsdelar_at

            frame = stadsdelar_at(args.date)[["stadsdel", "stadsdelsomrade"]]
            neutralised_frame(frame).to_csv(sys.stdout, index=False)
    except LoadError as error:
        print(error, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
