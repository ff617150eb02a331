"""The last check of the small-number protection: an integer solver (HiGHS, through SciPy) per group of linked
hidden cells, with every sum and every order of a funnel, as a determined attacker would run it.

A hidden cell is exposed if the whole-number solutions of what a reader knows (the visible counts, the sums,
the orders, every count ≥ 0, "<5" = 0–4 and ".." = any count) leave it fewer than SPREAD possible values: a
"<5" keeps all of 0–4. `capped` marks the hidden cells shown "<5". A hidden 0 that every solution keeps at 0
is not exposed (it tells of no person); `known_zeros` finds those to be shown.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

THRESHOLD = 5
SPREAD = 5  # possible whole values a hidden cell keeps at least (a "<5": all of 0–4)
TIME_LIMIT = 10.0  # seconds per solve; a solve that runs out with no solution leaves its cells narrow


def _groups(hidden_cells: list[int], rows: list[list[int]]) -> list[list[int]]:
    parent = {x: x for x in hidden_cells}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for row in rows:
        for x in row[1:]:
            parent[find(x)] = find(row[0])
    out: dict[int, list[int]] = {}
    for x in hidden_cells:
        out.setdefault(find(x), []).append(x)
    return list(out.values())


def _relations(values: np.ndarray, hidden: np.ndarray, eqs: Sequence[tuple[list[int], list[int]]],
               orders: Sequence[tuple[int, int]]) -> tuple[list, list]:
    # Each relation as (hidden cells with coefficients, right-hand side from the visible cells).
    eq_rows, le_rows = [], []
    for cells, coefs in eqs:
        terms: dict[int, int] = {}
        rhs = 0
        for x, c in zip(cells, coefs, strict=True):
            if hidden[x]:
                terms[x] = terms.get(x, 0) + c
            else:
                rhs -= c * int(values[x])
        terms = {x: c for x, c in terms.items() if c}
        if terms:
            eq_rows.append((terms, rhs))
    for larger, smaller in orders:  # smaller − larger ≤ 0
        terms = {x: c for x, c in ((smaller, 1), (larger, -1)) if hidden[x]}
        if terms:
            le_rows.append((terms, -sum(c * int(values[x]) for x, c in ((smaller, 1), (larger, -1)) if not hidden[x])))
    return eq_rows, le_rows


def solver_exposed(values: np.ndarray, hidden: np.ndarray, eqs: Sequence[tuple[list[int], list[int]]],
                   orders: Sequence[tuple[int, int]], capped: np.ndarray, free: set[int] | None = None) -> set[int]:
    """Hidden cells that the whole-number solutions leave fewer than SPREAD values (a 0 kept at 0 aside).

    `free` collects cells shown to take SPREAD values; pass the same set while only more cells get hidden
    (a solution stays a solution when a visible cell is hidden), and they are not solved for again."""
    free = set() if free is None else free
    groups, eq_rows, le_rows, ceiling = _linked(values, hidden, eqs, orders)
    out: set[int] = set()
    for group in groups:
        if any(x not in free for x in group):
            out |= _narrow_in(_Group(group, values, eq_rows, le_rows, ceiling, capped), free)
    return out


def known_zeros(values: np.ndarray, hidden: np.ndarray, eqs: Sequence[tuple[list[int], list[int]]],
                orders: Sequence[tuple[int, int]], capped: np.ndarray) -> set[int]:
    """Hidden zeros that every whole-number solution keeps at 0: showing them as 0 changes nothing else."""
    groups, eq_rows, le_rows, ceiling = _linked(values, hidden, eqs, orders)
    zeros = {int(x) for x in np.flatnonzero(hidden & (values == 0))}
    out: set[int] = set()
    for group in groups:
        mine = [x for x in group if x in zeros]
        if mine:
            out |= _zero_in(_Group(group, values, eq_rows, le_rows, ceiling, capped), mine)
    return out


def _linked(values: np.ndarray, hidden: np.ndarray, eqs: Sequence[tuple[list[int], list[int]]],
            orders: Sequence[tuple[int, int]]) -> tuple[list[list[int]], list, list, float]:
    """The groups of linked hidden cells, the relations over them and the greatest value any cell can take."""
    eq_rows, le_rows = _relations(values, hidden, eqs, orders)
    groups = _groups([int(x) for x in np.flatnonzero(hidden)], [list(t) for t, _ in eq_rows + le_rows])
    return groups, eq_rows, le_rows, float(max(int(values.sum()), THRESHOLD))


class _Group:
    """One group of linked hidden cells as a whole-number program; every solution found widens what each
    cell is seen to take (the true table is the first)."""

    def __init__(self, group: list[int], values: np.ndarray, eq_rows: list, le_rows: list, ceiling: float,
                 capped: np.ndarray) -> None:
        local = {x: i for i, x in enumerate(group)}
        self.constraints = []
        for rows, is_eq in ((eq_rows, True), (le_rows, False)):
            mine = [(t, b) for t, b in rows if next(iter(t)) in local]
            if not mine:
                continue
            data, ri, ci = [], [], []
            for r, (terms, _) in enumerate(mine):
                for x, c in terms.items():
                    data.append(c)
                    ri.append(r)
                    ci.append(local[x])
            matrix = coo_matrix((data, (ri, ci)), shape=(len(mine), len(group))).tocsr()
            rhs = np.array([b for _, b in mine], dtype=float)
            self.constraints.append(LinearConstraint(matrix, rhs if is_eq else -np.inf, rhs))
        self.cells, self.truth = group, np.array([float(values[x]) for x in group])
        self.bounds = Bounds(np.zeros(len(group)), np.where(capped[group], THRESHOLD - 1.0, ceiling))
        self.seen_lo, self.seen_hi = self.truth.copy(), self.truth.copy()

    def solve(self, cells: list[int], sign: float) -> None:
        """Push `cells` (local indices) down (sign 1) or up (sign −1) together. A solve that runs out of
        time without a solution teaches nothing: its cells stay as narrow as seen (so they get protected)."""
        c = np.zeros(len(self.cells))
        c[cells] = sign
        res = milp(c, constraints=self.constraints, integrality=np.ones(len(self.cells)), bounds=self.bounds,
                   options={"time_limit": TIME_LIMIT})
        if res.x is not None:
            x = np.round(res.x)
            np.minimum(self.seen_lo, x, out=self.seen_lo)
            np.maximum(self.seen_hi, x, out=self.seen_hi)

    def wide(self, i: int) -> bool:
        return self.seen_hi[i] - self.seen_lo[i] >= SPREAD - 1

    def push_together(self, open_cells, signs: tuple[float, ...] = (1.0, -1.0)) -> None:
        """All open cells down at once, then up, while that widens any: few solves settle most cells."""
        for sign in signs:
            todo = open_cells()
            while todo:
                before = len(todo)
                self.solve(todo, sign)
                todo = open_cells()
                if len(todo) == before:
                    break


def _narrow_in(g: _Group, free: set[int]) -> set[int]:
    group = g.cells

    def open_cells() -> list[int]:
        return [i for i, x in enumerate(group) if x not in free and not g.wide(i)]

    g.push_together(open_cells)
    out = set()
    for i in open_cells():  # each cell left on its own, down then up
        for sign in (1.0, -1.0):
            if not g.wide(i):
                g.solve([i], sign)
        if not g.wide(i) and not (g.truth[i] == 0 and g.seen_hi[i] == 0):
            out.add(group[i])
    free.update(x for i, x in enumerate(group) if g.wide(i))
    return out


def _zero_in(g: _Group, zeros: list[int]) -> set[int]:
    group = g.cells
    index = {x: i for i, x in enumerate(group)}

    def open_cells() -> list[int]:
        return [index[x] for x in zeros if g.seen_hi[index[x]] == 0]

    g.push_together(open_cells, (-1.0,))
    for i in open_cells():
        g.solve([i], -1.0)
    return {group[i] for i in open_cells()}
