"""Protection of small numbers in every output built from individual-level data.

The rule (RULE, shown under each chart and in each export; LEGEND explains the two marks):

1. Primary suppression: a count of 1–4 is hidden.
2. Zeros: a 0 is shown as 0 (it points to no person). But a 0 may be hidden to protect another cell.
3. Secondary suppression: where counts add up (kvinnor + män = totalt, areas = the city, målgrupper =
   alla, arbete + studier + annat = avslutade), more cells are hidden until no hidden cell can be narrowed
   to fewer than SPREAD (5) possible whole values from the visible ones: a "<5" keeps all of 0–4.
   Complements are chosen within the sum that leaks: a 0 first, then the smallest count of 7 or more, then
   5–6. A hidden 0 that every solution keeps at 0 is shown as 0 at the end (it tells of no person, and
   showing it changes no other cell's possible values).
4. Marks: a hidden count of 5 or more is shown as ".."; a hidden count under 5 (1–4, or a hidden 0) as
   "<5", except about one in four (DOTTED_IN_256 of 256), chosen by a secret key per cell (`mark_key`), which
   is shown as "..". So "<5" is 0–4 and ".." is any count, to a reader who knows all of this but not the key.
   Were ".." always 5 or more, two "<5" under a ".." total would each be at least 1, and such marks alone
   could narrow a cell that no further hiding can widen. The key is kept with the data (stable marks from one
   build to the next: a cell whose mark changed would give itself away as under 5).
5. The check after each round is an attacker who knows the sums, every count ≥ 0 and the marks: (a)
   interval reasoning over every sum, repeated to a fixed point, also through the order of a funnel
   (`orders`: omfattade ≥ uppsökta ≥ … ≥ avslutade in each row), (b) exact linear algebra (a hidden cell
   fixed by the equations, e.g. the only hidden cell of a sum), and (c) an integer solver for each cell's
   least and greatest value (dashboard/core/suppression_solver.py). Hiding continues while any finds an
   exposed cell.

Limits: only the sums handed to `suppress` are protected. Tables published separately (a stadsdel table and a
stadsdelsområde table of the same year) must be suppressed together, or differences between them can expose
cells. Shares (andel) must be computed only from visible counts. Answers are remembered where
dashboard/core/suppression_memo.py is on.
"""

from __future__ import annotations

import hashlib
import heapq
import hmac
import math
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from dashboard.core import suppression_memo
from dashboard.core.numbers import format_number
from dashboard.core.suppression_solver import SPREAD, known_zeros, solver_exposed

THRESHOLD = 5
PRIMARY_LABEL = "<5"
SECONDARY_LABEL = ".."
RULE = ("Antal under 5 visas inte (<5 eller ..); ytterligare värden döljs (..) så att de dolda inte kan "
        "räknas fram.")
LEGEND = ("<5 = 0–4 personer (en nolla döljs bara för att skydda ett annat värde). "
          ".. = dolt: vilket antal som helst, också under 5.")
DOTTED_IN_256 = 64  # hidden counts under 5 shown ".." instead of "<5": this many in 256, by the key
DISPLAY_SUFFIX = "_visning"


@dataclass(frozen=True)
class Margin:
    """Rows whose `column` is `total` equal the sum of the rows whose `column` is one of `parts`
    (None: every other value), the other key columns being equal; for every count column. `where_it_holds`:
    only for the cells where the sum holds in the data (an attacker who knows which sums hold uses them)."""

    column: str
    total: str
    parts: tuple[str, ...] | None = None
    where_it_holds: bool = False


@dataclass(frozen=True)
class ColumnSum:
    """Within each row: count column `total` = the sum of count columns `parts`."""

    total: str
    parts: tuple[str, ...]


@dataclass
class Suppressed:
    """`frame`: the table with hidden counts set to <NA> and a text column `<count>_visning` per count
    column ("1 234", "<5", ".."); `mask`: True where a count is hidden; `primary`: True where it is 1–4
    (hidden because it is small; the other hidden cells protect them)."""

    frame: pd.DataFrame
    mask: pd.DataFrame
    primary: pd.DataFrame
    rule: str = RULE
    legend: str = LEGEND
    constraints: list[tuple[int, list[int]]] = field(default_factory=list, repr=False)


def constraints_of(frame: pd.DataFrame, counts: Sequence[str], margins: Sequence[Margin] = (),
                   column_sums: Sequence[ColumnSum] = (), keys: Sequence[str] | None = None
                   ) -> list[tuple[int, list[int]]]:
    """The sums as (total cell, part cells); cell = row position × len(counts) + column position."""
    counts = list(counts)
    keys = list(keys) if keys is not None else [c for c in frame.columns if c not in counts]
    col = {c: i for i, c in enumerate(counts)}
    width = len(counts)
    values = frame[counts].fillna(0).to_numpy(dtype=np.int64)
    out: list[tuple[int, list[int]]] = []
    for margin in margins:
        others = [k for k in keys if k != margin.column]
        groups = frame.groupby(others, dropna=False, sort=False).indices if others else {(): np.arange(len(frame))}
        for rows in groups.values():
            labels = frame[margin.column].to_numpy()[rows]
            totals = [int(r) for r, lab in zip(rows, labels, strict=True) if lab == margin.total]
            parts = [int(r) for r, lab in zip(rows, labels, strict=True)
                     if lab != margin.total and (margin.parts is None or lab in margin.parts)]
            if len(totals) > 1:
                raise ValueError(f"flera rader med {margin.column} = {margin.total} för samma nycklar")
            if totals and parts:
                for c in range(width):
                    if margin.where_it_holds and values[totals[0], c] != values[parts, c].sum():
                        continue
                    out.append((totals[0] * width + c, [p * width + c for p in parts]))
    for cs in column_sums:
        for r in range(len(frame)):
            out.append((r * width + col[cs.total], [r * width + col[p] for p in cs.parts]))
    return out


def _equations(constraints: list[tuple[int, list[int]]]) -> list[tuple[list[int], list[int]]]:
    """Each sum as (cells, coefficients) with total − Σ parts = 0."""
    return [([t, *parts], [1] + [-1] * len(parts)) for t, parts in constraints]


def _hidden_relations(hidden: np.ndarray, constraints: list[tuple[int, list[int]]],
                      orders: Sequence[tuple[int, int]]) -> tuple[list, list[tuple[int, int]]]:
    """The sums (as equations) and orders that hold a hidden cell."""
    return ([e for e in _equations(constraints) if any(hidden[c] for c in e[0])],
            [(a, b) for a, b in orders if hidden[a] or hidden[b]])


def small_marks(frame: pd.DataFrame, counts: Sequence[str], keys: Sequence[str], mark_key: str) -> np.ndarray:
    """Per cell (row by row, `counts` in order): True where a hidden count would be shown "<5" (0–4),
    False where ".." (5 or more, and DOTTED_IN_256 in 256 of the counts under 5, by the keyed hash of the
    row's keys and the column)."""
    values = frame[list(counts)].fillna(0).to_numpy(dtype=np.int64)
    rows = ["\x1f".join(str(v) for v in row) for row in frame[list(keys)].itertuples(index=False)]
    secret = mark_key.encode()
    dotted = np.array([hmac.new(secret, f"{row}\x1e{c}".encode(), hashlib.sha256).digest()[0] < DOTTED_IN_256
                       for row in rows for c in counts], dtype=bool).reshape(values.shape)
    return ((values < THRESHOLD) & ~dotted).reshape(-1)


def exposed_cells(values: np.ndarray, hidden: np.ndarray, constraints: list[tuple[int, list[int]]],
                  linear: bool = True, orders: Sequence[tuple[int, int]] = (),
                  free: set[int] | None = None, capped: np.ndarray | None = None) -> set[int]:
    """Hidden cells that an attacker can narrow to fewer than SPREAD values from the visible cells, the sums
    and what the marks tell (`capped`: the cells shown "<5", 0–4, default every count under 5; ".." is any
    count): interval propagation to a fixed point, then (if `linear` and the intervals found nothing) exact
    linear algebra, then an integer solver with the orders (dashboard/core/suppression_solver.py). (A hidden
    0 known to be 0 gives nothing away.)"""
    capped = values < THRESHOLD if capped is None else capped
    eqs, orders = _hidden_relations(hidden, constraints, orders)
    if not eqs and not orders:
        return set()
    exposed = _interval_exposed(values, hidden, eqs, orders, capped)
    if not exposed and linear:
        exposed = {x for x in _linearly_determined(hidden, eqs) if values[x] > 0}
    if not exposed and linear:
        exposed = solver_exposed(values, hidden, eqs, orders, capped, free)
    return exposed


def _interval_exposed(values: np.ndarray, hidden: np.ndarray, eqs: list[tuple[list[int], list[int]]],
                      orders: Sequence[tuple[int, int]], capped: np.ndarray) -> set[int]:
    """Hidden cells left fewer than SPREAD values (a 0 kept at 0 aside) by interval reasoning over every
    sum, and every (larger, smaller) pair of `orders`, to a fixed point, all at once (numpy; a Jacobi
    sweep per step)."""
    lo = np.zeros(len(values))  # every count ≥ 0; "<5" is at most 4, ".." anything
    hi = np.where(capped, THRESHOLD - 1.0, math.inf)
    eq_of, cell, coef, known = [], [], [], np.zeros(len(eqs))
    for e, (cells, coefs) in enumerate(eqs):
        for x, c in zip(cells, coefs, strict=True):
            if hidden[x]:
                eq_of.append(e)
                cell.append(x)
                coef.append(c)
            else:
                known[e] += c * values[x]
    larger = np.array([a for a, _ in orders], dtype=np.int64)
    smaller = np.array([b for _, b in orders], dtype=np.int64)
    if not cell and not len(larger):
        return set()
    visible = ~hidden
    lo[visible] = values[visible]  # a shown count is known exactly (it matters in the orders)
    hi[visible] = values[visible]
    if not cell:  # a dummy equation over no cell keeps the arrays below well-formed
        eq_of, cell, coef, known = [0], [int(np.flatnonzero(hidden)[0])], [0.0], np.zeros(1)
    eq_of, cell, coef = np.array(eq_of), np.array(cell), np.array(coef, dtype=float)
    pos, n_eq = coef > 0, len(eqs)
    for _ in range(10_000):
        # Σ c·x over the hidden cells = −known; the range of each term and of each sum (∞ counted apart).
        tmin = np.where(pos, coef * lo[cell], coef * hi[cell])
        tmax = np.where(pos, coef * hi[cell], coef * lo[cell])
        inf_min, inf_max = ~np.isfinite(tmin), ~np.isfinite(tmax)
        fin_min = np.bincount(eq_of, np.where(inf_min, 0.0, tmin), n_eq)
        fin_max = np.bincount(eq_of, np.where(inf_max, 0.0, tmax), n_eq)
        n_inf_min = np.bincount(eq_of, inf_min, n_eq)
        n_inf_max = np.bincount(eq_of, inf_max, n_eq)
        with np.errstate(invalid="ignore", divide="ignore"):
            smin = np.where(n_inf_min[eq_of] - inf_min > 0, -math.inf, fin_min[eq_of] - np.where(inf_min, 0.0, tmin))
            smax = np.where(n_inf_max[eq_of] - inf_max > 0, math.inf, fin_max[eq_of] - np.where(inf_max, 0.0, tmax))
            a, b = -known[eq_of] - smax, -known[eq_of] - smin  # c·x ∈ [a, b]
            new_lo, new_hi = np.where(pos, a / coef, b / coef), np.where(pos, b / coef, a / coef)
        new_lo = np.where(np.isfinite(new_lo), np.ceil(new_lo - 1e-9), -math.inf)
        new_hi = np.where(np.isfinite(new_hi), np.floor(new_hi + 1e-9), math.inf)
        lo2, hi2 = lo.copy(), hi.copy()
        live = coef != 0
        np.maximum.at(lo2, cell[live], new_lo[live])
        np.minimum.at(hi2, cell[live], new_hi[live])
        if len(larger):  # larger ≥ smaller: the larger is at least the smaller's least, and vice versa
            np.maximum.at(lo2, larger, lo[smaller])
            np.minimum.at(hi2, smaller, hi[larger])
        if (lo2 > hi2).any() or (np.array_equal(lo2, lo) and np.array_equal(hi2, hi)):
            lo, hi = lo2, hi2
            break
        lo, hi = lo2, hi2
    known_zero = (values == 0) & (hi == 0)
    return {int(x) for x in np.flatnonzero(hidden) if hi[x] - lo[x] < SPREAD - 1 and not known_zero[x]}


PRIME = 2**61 - 1  # exact elimination modulo a large prime (ranks of these ±1 systems agree with ℚ)


def _linearly_determined(hidden: np.ndarray, eqs: list[tuple[list[int], list[int]]]) -> set[int]:
    """Hidden cells fixed by the equations alone. Sparse Gauss–Jordan elimination over the hidden cells
    (visible ones are constants): a cell is fixed iff it ends up alone in a reduced row."""
    rows: dict[int, dict[int, int]] = {}
    cols: dict[int, set[int]] = {}
    for r, (cells, coefs) in enumerate(eqs):
        row: dict[int, int] = {}
        for x, c in zip(cells, coefs, strict=True):
            if hidden[x]:
                row[x] = (row.get(x, 0) + c) % PRIME
        row = {x: c for x, c in row.items() if c}
        if row:
            rows[r] = row
            for x in row:
                cols.setdefault(x, set()).add(r)
    pivots: dict[int, int] = {}  # column → its row
    # Markowitz-like choice: the shortest remaining row (a heap, re-queued when a row has changed length),
    # its sparsest column. Any order gives the same fixed cells; the order only keeps the rows short.
    heap = [(len(row), r) for r, row in rows.items()]
    heapq.heapify(heap)
    done: set[int] = set()
    while heap:
        length, r = heapq.heappop(heap)
        if r in done:
            continue
        if length != len(rows[r]):
            heapq.heappush(heap, (len(rows[r]), r))
            continue
        done.add(r)
        row = rows[r]
        if not row:
            continue
        x = min(row, key=lambda c: (len(cols[c]), c))
        inv = pow(row[x], PRIME - 2, PRIME)
        row = {c: v * inv % PRIME for c, v in row.items()}
        rows[r] = row
        pivots[x] = r
        for other in list(cols[x] - {r}):
            target = rows[other]
            factor = target[x]
            for c, v in row.items():
                nv = (target.get(c, 0) - factor * v) % PRIME
                if nv:
                    if c not in target:
                        cols[c].add(other)
                    target[c] = nv
                else:
                    target.pop(c, None)
                    cols[c].discard(other)
        cols[x] = {r}
    return {x for x, r in pivots.items() if len(rows[r]) == 1}


def _choose(values: np.ndarray, hidden: np.ndarray, cells: Sequence[int], totals: set[int]) -> int | None:
    """The visible cell to hide next: a 0 (shown as "<5", little lost), else the smallest count of 7 or
    more (a "<5" and a hidden 5 or 6 are pinned down by their sum), else 5–6; a part before a total."""
    candidates = [x for x in cells if not hidden[x] and (values[x] == 0 or values[x] >= THRESHOLD)]
    if not candidates:
        return None
    return min(candidates, key=lambda x: (values[x] != 0, values[x] < THRESHOLD + 2, values[x], x in totals, x))


def suppress_cells(values: np.ndarray, constraints: list[tuple[int, list[int]]],
                   orders: Sequence[tuple[int, int]] = (), capped: np.ndarray | None = None
                   ) -> tuple[np.ndarray, np.ndarray]:
    """(hidden, primary) boolean arrays for flat integer counts under the given sums and orders; `capped`:
    the cells that would be shown "<5" if hidden (default: every count under 5)."""
    values = np.asarray(values, dtype=np.int64)
    primary = (values >= 1) & (values < THRESHOLD)
    capped = values < THRESHOLD if capped is None else np.asarray(capped, dtype=bool)
    if suppression_memo.folder() is None:
        return _hidden(values, primary, constraints, orders, capped), primary
    name = suppression_memo.key(values, constraints, orders, capped)
    hidden = suppression_memo.recall(name, len(values))
    if hidden is None:
        hidden = _hidden(values, primary, constraints, orders, capped)
        suppression_memo.remember(name, hidden)
    return hidden, primary


def _hidden(values: np.ndarray, primary: np.ndarray, constraints: list[tuple[int, list[int]]],
            orders: Sequence[tuple[int, int]], capped: np.ndarray) -> np.ndarray:
    hidden = primary.copy()
    totals = {t for t, _ in constraints}
    by_cell: dict[int, list[list[int]]] = {}
    for t, parts in constraints:
        cells = [t, *parts]
        for x in cells:
            by_cell.setdefault(x, []).append(cells)
    for pair in orders:
        for x in pair:
            by_cell.setdefault(x, []).append(list(pair))
    free: set[int] = set()  # cells the solver saw take two values: hiding more cells keeps them free
    for _ in range(len(values) + 1):
        # A sum with exactly one hidden cell gives it away: hide one more of its cells.
        changed = False
        for t, parts in constraints:
            cells = [t, *parts]
            hidden_here = [x for x in cells if hidden[x]]
            if len(hidden_here) == 1 and values[hidden_here[0]] > 0:  # a lone hidden 0 gives nothing away
                choice = _choose(values, hidden, cells, totals)
                if choice is not None:
                    hidden[choice], changed = True, True
        if changed:
            continue
        exposed = exposed_cells(values, hidden, constraints, orders=orders, free=free, capped=capped)
        if not exposed:
            break
        touched: set[int] = set()  # cells hidden in this round: an exposed cell next to one waits for the check
        progress = False
        for x in sorted(exposed):  # one more hidden cell next to each exposed one, then check again
            related = [c for cells in by_cell.get(x, []) for c in cells]
            if touched.intersection(related):
                continue
            choice = _choose(values, hidden, related, totals)
            if choice is None:  # nothing of 5+ next to it: anything visible in the same component
                choice = _choose(values, hidden, sorted(_component(x, hidden, by_cell)), totals)
            if choice is not None:
                hidden[choice] = True
                progress = True
                touched.add(choice)
        if not progress:  # all of every sum around them hidden: cannot happen with these marks (the module text)
            break
    hidden[list(known_zeros(values, hidden, *_hidden_relations(hidden, constraints, orders), capped))] = False
    return hidden


def _component(x: int, hidden: np.ndarray, by_cell: dict[int, list[list[int]]]) -> set[int]:
    """Cells in sums reachable from `x` through hidden cells."""
    seen, todo, cells, groups = {x}, [x], set(), set()
    while todo:
        y = todo.pop()
        for group in by_cell.get(y, []):
            if id(group) in groups:  # each sum once (it is reached from each of its hidden cells)
                continue
            groups.add(id(group))
            for c in group:
                cells.add(c)
                if hidden[c] and c not in seen:
                    seen.add(c)
                    todo.append(c)
    return cells


def suppress(frame: pd.DataFrame, counts: Sequence[str], *, margins: Sequence[Margin] = (),
             column_sums: Sequence[ColumnSum] = (), keys: Sequence[str] | None = None,
             orders: Sequence[tuple[str, str]] = (), mark_key: str | None = None) -> Suppressed:
    """Suppress `counts` in `frame` (raw, whole-number counts) under the given sums; see the module text.

    `keys` are the columns that identify a row (default: every column that is not a count); `orders` are
    (larger, smaller) count columns that hold in every row (a funnel's steps); `mark_key` chooses which
    counts under 5 are shown ".." (None: a new random key, so the marks differ from call to call: stored
    tables pass the data's own key).
    """
    counts = list(counts)
    frame = frame.reset_index(drop=True)
    keys = list(keys) if keys is not None else [c for c in frame.columns if c not in counts]
    values = frame[counts].fillna(0).to_numpy(dtype=np.int64).reshape(-1)
    constraints = constraints_of(frame, counts, margins, column_sums, keys)
    width, col = len(counts), {c: i for i, c in enumerate(counts)}
    cell_orders = [(r * width + col[a], r * width + col[b]) for r in range(len(frame)) for a, b in orders]
    capped = small_marks(frame, counts, keys, mark_key or secrets.token_hex(32))
    hidden, primary = suppress_cells(values, constraints, cell_orders, capped)
    shape = (len(frame), len(counts))
    mask = pd.DataFrame(hidden.reshape(shape), columns=counts, index=frame.index)
    prim = pd.DataFrame(primary.reshape(shape), columns=counts, index=frame.index)
    out = frame.copy()
    marks = pd.DataFrame(capped.reshape(shape), columns=counts, index=frame.index)
    for c in counts:
        shown = out[c].astype("Int64").mask(mask[c])
        out[c] = shown
        out[c + DISPLAY_SUFFIX] = [
            (PRIMARY_LABEL if small else SECONDARY_LABEL) if h else format_number(int(v))
            for v, h, small in zip(frame[c].fillna(0), mask[c], marks[c], strict=True)]
    return Suppressed(out, mask, prim, constraints=constraints)
