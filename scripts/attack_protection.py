"""An intruder with a solver against the per-area follow-up: prints what it recovers. Not a test.

    .venv/bin/python scripts/attack_protection.py [kaa|jobbtorg|stockholmsjobb ...] [--years 2022,2023]

Builds a fresh SQLite database in a temporary folder, protects each register's table of one year at every
level (as "Uppföljning per område" shows it), and attacks it with tests/solver_attack.py: every relation of
the definitions, linear programming per hidden cell (HiGHS), integer bounds where they are narrow. Prints
per register and year the hidden cells per level, the cells pinned to one value (of them, how many of 1 or
more), those narrowed to fewer than 5 possible values ("<5" read as 0–4, ".." as any count), and apart those
the marks alone narrow (every relation around them hidden). Goal: 0 in each column.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("registers", nargs="*", default=["kaa", "jobbtorg", "stockholmsjobb"])
    parser.add_argument("--years", default="")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'attack.sqlite'}"
    from dashboard.db.build import build_db
    from queries import individ as q
    from queries.db import engine
    from tests.solver_attack import attack_levels, true_levels

    build_db()
    db = engine()
    cases = {
        "kaa": (q.suppressed_kaa_funnel_levels, q.kaa_funnel, q.KAA_COUNTS, None),
        "jobbtorg": (q.suppressed_jobbtorg_flows_levels, q.jobbtorg_flows, q.JOBBTORG_COUNTS, "malgrupp"),
        "stockholmsjobb": (q.suppressed_stockholmsjobb_outcomes_levels, q.stockholmsjobb_outcomes,
                           q.STHLMSJOBB_COUNTS, None),
    }
    years = [int(y) for y in args.years.split(",") if y] or q.individ_years(db)
    print(f"{'register':<15}{'år':>5}{'dolda':>7}{'låsta':>7}{'varav ≥1':>9}{'snävade':>9}{'märken':>8}"
          f"{'sek':>7}   dolda per nivå")
    for register in args.registers:
        protect, raw, counts, groups = cases[register]
        for year in years:
            shown = protect(year, engine=db).frame
            truth = true_levels(raw, counts, db, year, groups)
            start = time.perf_counter()
            report = attack_levels(register, shown, truth, counts, db, year, groups)
            seconds = time.perf_counter() - start
            at_least_one = sum(f.true > 0 for f in report.pinned)
            print(f"{register:<15}{year:>5}{report.hidden:>7}{len(report.pinned):>7}{at_least_one:>9}"
                  f"{len(report.narrowed):>9}{len(report.marks_limited):>8}{seconds:>7.0f}   "
                  f"{report.hidden_by_level}", flush=True)
            for finding in report.findings[:3]:
                print(f"    {finding.cell} visas {finding.shown!r}, är {finding.true}, "
                      f"kan vara {finding.low}–{finding.high}")


if __name__ == "__main__":
    main()
