"""An attacker with a solver against the protected follow-up tables (written apart from dashboard.core.suppression).

It sees what a reader sees (the `_visning` texts of one year's table at every level), knows the definitions
and writes every relation that follows from them: totalt = kvinnor + män; målgrupp "alla" = Σ målgrupper;
the city = Σ stadsdelar = Σ stadsdelsområden; a stadsdelsområde or fokusområde = Σ its stadsdelar (where
that holds in the year: the attacker is given the benefit of the doubt); avslutade = arbete + studier + annat;
the funnel's order (omfattade ≥ uppsökta ≥ nådda ≥ inskrivna ≥ avslutade, and the like for Jobbtorg and
Stockholmsjobb); every count ≥ 0. "<5" is read as 0–4 and ".." as any count (a hidden count under 5 may be
shown ".."; which, only the data's secret key tells). Each hidden cell is then bounded by linear programming
(SciPy's HiGHS), and where the bounds are narrow the integer bounds (`milp`).

A finding is a hidden cell whose bounds hold fewer than 5 whole numbers (a "<5" not all of 0–4): pinned (one
value), or narrowed. A finding in a group of hidden cells whose every relation is all hidden is "as wide as the
marks allow" (`marks_limited`): with these marks there should be none.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
from scipy.optimize import Bounds, LinearConstraint, linprog, milp
from scipy.sparse import coo_matrix
from sqlalchemy import Engine, select
from sqlalchemy.orm import aliased

from dashboard.db.schema import area_memberships, areas

SMALL, HIDDEN = "<5", ".."
SPREAD = 5  # a hidden cell must keep at least this many possible whole numbers (as in dashboard.core.suppression)

# (larger, smaller) pairs that hold in every row by definition
ORDER = {
    "kaa": [("omfattade", "uppsokta"), ("uppsokta", "nadda"), ("nadda", "inskrivna"), ("inskrivna", "avslutade")],
    "jobbtorg": [("inskrivna", "startade"), ("inskrivna", "avslutade")],
    "stockholmsjobb": [("aspiranter", "startade"), ("aspiranter", "finansierade_namnden"),
                       ("aspiranter", "avslutade"), ("avslutade", "uppfoljda")],
}
OUTCOME_TOTAL = {"kaa": "avslutade", "jobbtorg": "avslutade", "stockholmsjobb": "uppfoljda"}
OUTCOMES = ("arbete", "studier", "annat")


@dataclass
class Finding:
    cell: tuple
    shown: str
    true: int
    low: int
    high: int


@dataclass
class Report:
    hidden: int = 0
    pinned: list[Finding] = field(default_factory=list)
    narrowed: list[Finding] = field(default_factory=list)
    marks_limited: list[Finding] = field(default_factory=list)
    hidden_by_level: dict[str, int] = field(default_factory=dict)

    @property
    def findings(self) -> list[Finding]:
        return self.pinned + self.narrowed


def members(engine: Engine, year: int, level: str) -> dict[str, set[str]]:
    """parent → the stadsdelar that belonged to it at some time in `year` (the published definition)."""
    m, p = aliased(areas, name="m"), aliased(areas, name="p")
    first, last = date(year, 1, 1), date(year, 12, 31)
    out: dict[str, set[str]] = {}
    with engine.connect() as conn:
        rows = conn.execute(select(p.c.name, m.c.name, area_memberships.c.valid_from, area_memberships.c.valid_to)
                            .select_from(area_memberships)
                            .join(m, m.c.area_id == area_memberships.c.member_id)
                            .join(p, p.c.area_id == area_memberships.c.parent_id)
                            .where(m.c.level == "stadsdel", p.c.level == level)).all()
    for parent, child, start, end in rows:
        if (start is None or start <= last) and (end is None or end >= first):
            out.setdefault(parent, set()).add(child)
    return out


class Problem:
    """Cells of one table: each (row key, column) is a variable; relations as rows of sparse matrices."""

    def __init__(self, display: dict[tuple, str], truth: dict[tuple, int]) -> None:
        self.display, self.truth = display, truth
        self.hidden = [c for c, t in display.items() if t in (SMALL, HIDDEN)]
        self.index = {c: i for i, c in enumerate(self.hidden)}
        self.known = {c: int(str(t).replace("\u00a0", "").replace(" ", "")) for c, t in display.items()
                      if c not in self.index}
        self.eq: list[tuple[dict[int, int], int]] = []  # Σ coef·x = rhs
        self.le: list[tuple[dict[int, int], int]] = []  # Σ coef·x ≤ rhs
        self.open_rows: list[dict[int, int]] = []  # relations with a visible cell (or a row not in the table)

    def _row(self, terms: Iterable[tuple[tuple, int]]) -> tuple[dict[int, int], int]:
        row: dict[int, int] = {}
        rhs, visible = 0, False
        for cell, coef in terms:
            if cell in self.index:
                row[self.index[cell]] = row.get(self.index[cell], 0) + coef
            else:
                rhs -= coef * self.known.get(cell, 0)  # a row that is not in the table is 0
                visible = True
        row = {k: v for k, v in row.items() if v}
        if visible and row:
            self.open_rows.append(row)
        return row, rhs

    def closed(self) -> set[tuple]:
        """Hidden cells whose group has no relation with a visible cell."""
        out: set[tuple] = set()
        opened = {k for row in self.open_rows for k in row}
        for cells in self._components():
            if not opened.intersection(cells):
                out.update(self.hidden[k] for k in cells)
        return out

    def add_sum(self, total: tuple, parts: list[tuple]) -> None:
        """total = Σ parts, if it holds in the true table (otherwise it is no relation of the definitions)."""
        if self.truth.get(total, 0) != sum(self.truth.get(p, 0) for p in parts):
            return
        row, rhs = self._row([(total, 1), *[(p, -1) for p in parts]])
        if row:
            self.eq.append((row, rhs))

    def add_order(self, larger: tuple, smaller: tuple) -> None:
        row, rhs = self._row([(smaller, 1), (larger, -1)])  # smaller − larger ≤ 0
        if row:
            self.le.append((row, rhs))

    def attack(self) -> dict[tuple, tuple[int, int]]:
        """(low, high) integer bounds per hidden cell."""
        n = len(self.hidden)
        if not n:
            return {}
        ceiling = 4 * len(self.display) + sum(self.known.values())
        lo = np.zeros(n)  # every count ≥ 0; "<5" is 0–4, ".." any count
        hi = np.array([4 if self.display[c] == SMALL else ceiling for c in self.hidden], dtype=float)
        out: dict[tuple, tuple[int, int]] = {}
        for cells in self._components():
            out.update(self._bound(cells, lo, hi))
        return out

    def _components(self) -> list[list[int]]:
        parent = list(range(len(self.hidden)))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for row, _ in self.eq + self.le:
            keys = list(row)
            for k in keys[1:]:
                parent[find(k)] = find(keys[0])
        groups: dict[int, list[int]] = {}
        for x in range(len(self.hidden)):
            groups.setdefault(find(x), []).append(x)
        return list(groups.values())

    def _matrix(self, rows: list[tuple[dict[int, int], int]], local: dict[int, int]):
        data, ri, ci, rhs = [], [], [], []
        for r, (row, b) in enumerate(rows):
            for k, v in row.items():
                data.append(v)
                ri.append(r)
                ci.append(local[k])
            rhs.append(b)
        return coo_matrix((data, (ri, ci)), shape=(len(rows), len(local))).tocsr(), np.array(rhs, dtype=float)

    def _bound(self, cells: list[int], lo: np.ndarray, hi: np.ndarray) -> dict[tuple, tuple[int, int]]:
        local = {k: i for i, k in enumerate(cells)}
        eq = [r for r in self.eq if next(iter(r[0])) in local]
        le = [r for r in self.le if next(iter(r[0])) in local]
        a_eq, b_eq = self._matrix(eq, local) if eq else (None, None)
        a_ub, b_ub = self._matrix(le, local) if le else (None, None)
        bounds = list(zip(lo[cells], hi[cells], strict=True))
        # Every solution seen widens what each cell can be; only cells still narrow get their own LPs.
        seen_lo = np.array([float(self.truth[self.hidden[k]]) for k in cells])
        seen_hi = seen_lo.copy()
        exact: dict[tuple[int, int], float] = {}

        def solve(c: np.ndarray) -> np.ndarray:
            res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
            if res.status != 0:
                raise AssertionError(f"the published table contradicts itself ({res.message})")
            np.minimum(seen_lo, res.x, out=seen_lo)
            np.maximum(seen_hi, res.x, out=seen_hi)
            return res.x

        def wide(i: int) -> bool:
            return seen_hi[i] - seen_lo[i] >= SPREAD - 1 - 1e-6

        ones = np.ones(len(cells))
        solve(ones)
        solve(-ones)
        for i in range(len(cells)):
            for sign in (1, -1):
                if wide(i):
                    break
                c = np.zeros(len(cells))
                c[i] = sign
                exact[(i, sign)] = solve(c)[i]
        out = {}
        for i, k in enumerate(cells):
            low = math.ceil(exact.get((i, 1), seen_lo[i]) - 1e-6)
            high = math.floor(exact.get((i, -1), seen_hi[i]) + 1e-6)
            if not wide(i):  # narrow: both ends exact, and the integer bounds may be narrower still
                low = math.ceil(exact[(i, 1)] - 1e-6) if (i, 1) in exact else low
                high = math.floor(exact[(i, -1)] + 1e-6) if (i, -1) in exact else high
                low, high = self._integer(cells, i, a_eq, b_eq, a_ub, b_ub, bounds, low, high)
            out[self.hidden[k]] = (low, high)
        return out

    def _integer(self, cells, i, a_eq, b_eq, a_ub, b_ub, bounds, low, high) -> tuple[int, int]:
        cons = []
        if a_eq is not None:
            cons.append(LinearConstraint(a_eq, b_eq, b_eq))
        if a_ub is not None:
            cons.append(LinearConstraint(a_ub, -np.inf, b_ub))
        lb, ub = np.array([b[0] for b in bounds]), np.array([b[1] for b in bounds])
        ends = []
        for sign in (1, -1):
            c = np.zeros(len(cells))
            c[i] = sign
            res = milp(c, constraints=cons, integrality=np.ones(len(cells)), bounds=Bounds(lb, ub),
                       options={"time_limit": 20})
            ends.append(sign * res.fun if res.status == 0 else (low if sign == 1 else high))
        return max(low, math.ceil(ends[0] - 1e-6)), min(high, math.floor(ends[1] + 1e-6))


def findings(problem: Problem, bounds: dict[tuple, tuple[int, int]]) -> Report:
    report = Report(hidden=len(problem.hidden))
    closed = problem.closed()
    for cell, (low, high) in bounds.items():
        f = Finding(cell, problem.display[cell], problem.truth[cell], low, high)
        if high - low + 1 < SPREAD and cell in closed:
            report.marks_limited.append(f)
        elif low == high:
            report.pinned.append(f)
        elif high - low + 1 < SPREAD:
            report.narrowed.append(f)
    return report


def true_levels(query: Callable, counts: list[str], engine: Engine, year: int,
                groups: str | None = None) -> pd.DataFrame:
    """The raw counts of one year at every level (column `level`), with the kön (and group) totals."""
    from queries import individ

    parts = []
    for level in individ.LEVELS:
        frame = query(level, years=[year], engine=engine)
        if groups:
            frame = individ.with_totals(frame, counts, groups, "alla")
        parts.append(frame.assign(level=level))
    return individ.with_totals(pd.concat(parts, ignore_index=True), counts, "gender", "totalt")


def attack_levels(register: str, shown: pd.DataFrame, truth_frame: pd.DataFrame, counts: list[str],
                  engine: Engine, year: int, groups: str | None = None) -> Report:
    """Attack one year's table at every level (the frame of `suppressed_*_levels`) with every relation."""
    key_cols = ["level", "area", "gender", *([groups] if groups else [])]

    def key(r) -> tuple:
        return tuple(r[c] for c in key_cols)

    display = {(key(r), c): r[c + "_visning"] for _, r in shown.iterrows() for c in counts}
    truth = {(key(r), c): int(r[c]) for _, r in truth_frame.iterrows() for c in counts}
    missing = set(display) - set(truth)
    assert not missing, f"shown cells with no true value: {sorted(missing)[:3]}"
    problem = Problem(display, truth)
    rows = sorted({k for k, _ in display})
    row_set = set(rows)
    group_values = sorted({k[3] for k in rows if k[3] != "alla"}) if groups else []
    by_parent = {lv: members(engine, year, lv) for lv in ("stadsdelsomrade", "fokusomrade")}

    def each_cell(fn: Callable[[str, tuple], None]) -> None:
        for c in counts:
            for k in rows:
                fn(c, k)

    def gender_sum(c: str, k: tuple) -> None:
        if k[2] == "totalt":
            problem.add_sum((k, c), [((k[0], k[1], g, *k[3:]), c) for g in ("kvinnor", "män")])

    def group_sum(c: str, k: tuple) -> None:
        if groups and k[3] == "alla":
            parts = [((k[0], k[1], k[2], g), c) for g in group_values]
            if any(p[0] in row_set for p in parts):
                problem.add_sum((k, c), parts)

    def area_sum(c: str, k: tuple) -> None:
        level, area, rest = k[0], k[1], k[2:]
        stadsdelar = sorted({r[1] for r in rows if r[0] == "stadsdel" and r[2:] == rest})
        if level == "stad":
            for part_level in ("stadsdel", "stadsdelsomrade"):
                parts = sorted({r[1] for r in rows if r[0] == part_level and r[2:] == rest})
                if parts:
                    problem.add_sum((k, c), [((part_level, a, *rest), c) for a in parts])
        elif level in by_parent and area in by_parent[level]:
            parts = [s for s in by_parent[level][area] if s in stadsdelar]
            if parts:
                problem.add_sum((k, c), [(("stadsdel", s, *rest), c) for s in parts])

    each_cell(gender_sum)
    each_cell(group_sum)
    each_cell(area_sum)
    for k in rows:
        problem.add_sum((k, OUTCOME_TOTAL[register]), [(k, o) for o in OUTCOMES])
        for larger, smaller in ORDER[register]:
            problem.add_order((k, larger), (k, smaller))
    report = findings(problem, problem.attack())
    for cell in problem.hidden:
        report.hidden_by_level[cell[0][0]] = report.hidden_by_level.get(cell[0][0], 0) + 1
    return report
