"""The last check of the small-number protection: an integer solver (HiGHS, through SciPy) per group of linked
hidden cells, with every sum and every order of a funnel, as a determined attacker would run it.

A hidden cell of 1 or more is exposed if it takes the same value in every whole-number solution of what a
reader knows: the visible counts, the sums, the orders, "<5" = 0–4 and ".." = 5 or more.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix

THRESHOLD = 5
TIME_LIMIT = 10.0  # seconds per solve; a solve that runs out leaves the cell counted as not pinned


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


def solver_exposed(values: np.ndarray, hidden: np.ndarray, eqs: Sequence[tuple[list[int], list[int]]],
                   orders: Sequence[tuple[int, int]] = (), free: set[int] | None = None) -> set[int]:
    """Hidden cells of 1 or more that every whole-number solution pins to their true value.

    `free` collects cells shown to take two values; pass the same set while only more cells get hidden
    (a solution stays a solution when a visible cell is hidden), and they are not solved for again."""
    free = set() if free is None else free
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
    hidden_cells = [int(x) for x in np.flatnonzero(hidden)]
    ceiling = float(max(int(values.sum()), THRESHOLD))
    out: set[int] = set()
    for group in _groups(hidden_cells, [list(t) for t, _ in eq_rows + le_rows]):
        if any(values[x] > 0 and x not in free for x in group):
            out |= _pinned_in(group, values, eq_rows, le_rows, ceiling, free)
    return out


def _pinned_in(group: list[int], values: np.ndarray, eq_rows: list, le_rows: list, ceiling: float,
               free: set[int]) -> set[int]:
    local = {x: i for i, x in enumerate(group)}
    constraints = []
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
        constraints.append(LinearConstraint(matrix, rhs if is_eq else -np.inf, rhs))
    truth = np.array([float(values[x]) for x in group])
    small = truth < THRESHOLD
    bounds = Bounds(np.where(small, 0.0, float(THRESHOLD)), np.where(small, THRESHOLD - 1.0, ceiling))
    integrality = np.ones(len(group))
    seen_lo, seen_hi = truth.copy(), truth.copy()  # the true table is one solution

    def solve(c: np.ndarray) -> np.ndarray | None:
        res = milp(c, constraints=constraints, integrality=integrality, bounds=bounds,
                   options={"time_limit": TIME_LIMIT})
        if res.x is None:
            return None
        x = np.round(res.x)
        np.minimum(seen_lo, x, out=seen_lo)
        np.maximum(seen_hi, x, out=seen_hi)
        return x

    def open_cells() -> list[int]:
        return [i for i, x in enumerate(group) if truth[i] > 0 and x not in free and seen_lo[i] == seen_hi[i]]

    # Push all open cells down at once, then up, while that moves any: few solves free most cells.
    for sign in (1.0, -1.0):
        todo = open_cells()
        while todo:
            c = np.zeros(len(group))
            c[todo] = sign
            before = len(todo)
            solve(c)
            todo = open_cells()
            if len(todo) == before:
                break
    out = set()
    for i in open_cells():  # each cell left on its own: the ones still here are most likely pinned
        if seen_lo[i] < seen_hi[i]:  # freed by an earlier cell's solution
            continue
        c = np.zeros(len(group))
        c[i] = 1.0
        solve(c)
        if seen_lo[i] == seen_hi[i]:
            solve(-c)
        if seen_lo[i] == seen_hi[i]:
            out.add(group[i])
    free.update(x for i, x in enumerate(group) if seen_lo[i] < seen_hi[i])
    return out
