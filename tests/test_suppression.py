"""Small-number protection: counts 1–4 hidden, and an attacker who tries to recover every hidden count.

The attacker here is written independently of dashboard.core.suppression. It sees only what is published (the
display strings) and the table's structure (which cells add up), and knows the marks: "<5" is 0–4 and
".." any count (a hidden count under 5 may be shown ".."; which, the secret key decides). It tries (1) the lone hidden cell of a sum, (2) exact rational linear algebra over all
the sums, (3) interval reasoning to a fixed point, and (4) for small tables an integer search for a second
solution. A hidden count of 1 or more that it can pin down is a failure. (A hidden 0 that it pins down is
not: zeros are shown anyway.) hypothesis is not installed, so the random tables are a seeded loop of 500.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from fractions import Fraction

import pandas as pd
import pytest

from dashboard.core.suppression import (
    DOTTED_IN_256,
    LEGEND,
    PRIMARY_LABEL,
    RULE,
    SECONDARY_LABEL,
    ColumnSum,
    Margin,
    small_marks,
    suppress,
)

GENDERS = ("kvinnor", "män", "totalt")
KEY = "testnyckel"  # the marks' key of these tests: the same marks on every run


@pytest.fixture(autouse=True)
def _solve_every_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about the protection itself: no remembered answers."""
    monkeypatch.delenv("DASHBOARD_SKYDD_MEMO", raising=False)
OUTCOME_COLUMNS = ("arbete", "studier", "annat")


# ----------------------------------------------------------------------------------------- tables


def make_table(rng: random.Random, n_areas: int, with_outcomes: bool) -> tuple[pd.DataFrame, list[str]]:
    """Areas × kön (+ totalt) and the city (sum of areas); counts small more often than not."""
    palette = [0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 15, 30]
    rows = []
    for a in range(n_areas):
        for g in ("kvinnor", "män"):
            row = {"area": f"O{a}", "gender": g}
            if with_outcomes:
                for c in OUTCOME_COLUMNS:
                    row[c] = rng.choice(palette)
                row["avslutade"] = sum(row[c] for c in OUTCOME_COLUMNS)
                row["inskrivna"] = row["avslutade"] + rng.choice(palette)
            else:
                row["inskrivna"] = rng.choice(palette)
                row["nadda"] = rng.choice(palette)
            rows.append(row)
    counts = ["inskrivna", "avslutade", *OUTCOME_COLUMNS] if with_outcomes else ["inskrivna", "nadda"]
    frame = pd.DataFrame(rows)
    city = frame.groupby("gender", as_index=False)[counts].sum().assign(area="Stad")
    frame = pd.concat([frame, city], ignore_index=True)
    total = frame.groupby("area", as_index=False)[counts].sum().assign(gender="totalt")
    frame = pd.concat([frame, total], ignore_index=True)[["area", "gender", *counts]]
    return frame, counts


def random_tables(seed: int, n: int) -> Iterator[tuple[pd.DataFrame, list[str], bool]]:
    """`n` seeded tables of make_table's shape, half of them with outcomes: (frame, counts, with_outcomes)."""
    rng = random.Random(seed)
    for _ in range(n):
        with_outcomes = rng.random() < 0.5
        frame, counts = make_table(rng, rng.randint(2, 4 if with_outcomes else 6), with_outcomes)
        yield frame, counts, with_outcomes


def structure(frame: pd.DataFrame, counts: list[str], with_outcomes: bool) -> list[list[tuple[tuple, int]]]:
    """The sums as lists of ((row key, column), coefficient) with Σ = 0: total − parts."""
    key = {(r.area, r.gender): i for i, r in enumerate(frame.itertuples())}
    areas = sorted({a for a, _ in key if a != "Stad"})
    sums = []
    for c in counts:
        for a in [*areas, "Stad"]:
            sums.append([(((a, "totalt"), c), 1), (((a, "kvinnor"), c), -1), (((a, "män"), c), -1)])
        for g in GENDERS:
            sums.append([((("Stad", g), c), 1)] + [(((a, g), c), -1) for a in areas])
    if with_outcomes:
        for k in key:
            sums.append([((k, "avslutade"), 1)] + [((k, c), -1) for c in OUTCOME_COLUMNS])
    return sums


# ----------------------------------------------------------------------------------------- attacker


class Attacker:
    """Knows the display and the sums; never the hidden values."""

    def __init__(self, display: dict[tuple, str], sums: list[list[tuple[tuple, int]]]) -> None:
        self.display, self.sums = display, sums
        self.hidden = [cell for cell, text in display.items() if text in (PRIMARY_LABEL, SECONDARY_LABEL)]
        self.known = {cell: int(text.replace("\u00a0", "")) for cell, text in display.items()
                      if cell not in self.hidden}
        self.ceiling = 4 * len(display) + sum(self.known.values())  # no count can be larger than this

    def bounds(self) -> dict[tuple, list[int]]:
        return {cell: ([0, 4] if self.display[cell] == PRIMARY_LABEL else [0, self.ceiling]) for cell in self.hidden}

    def lone(self) -> set[tuple]:
        """The only hidden cell of a sum whose other cells are visible."""
        out = set()
        for s in self.sums:
            h = [cell for cell, _ in s if cell in self.hidden]
            if len(h) == 1:
                out.add(h[0])
        return out

    def linear(self) -> set[tuple]:
        """Exact Gauss–Jordan over the rationals: a cell alone in a reduced row is fixed."""
        index = {cell: i for i, cell in enumerate(self.hidden)}
        rows = []
        for s in self.sums:
            row = [Fraction(0)] * len(index)
            for cell, coef in s:
                if cell in index:
                    row[index[cell]] += coef
            if any(row):
                rows.append(row)
        pivot_rows: list[tuple[int, list[Fraction]]] = []
        for col in range(len(index)):
            pick = next((r for r in rows if r[col] != 0), None)
            if pick is None:
                continue
            rows.remove(pick)
            pick = [v / pick[col] for v in pick]
            rows = [[a - r[col] * b for a, b in zip(r, pick, strict=True)] for r in rows]
            pivot_rows = [(c, [a - r[col] * b for a, b in zip(r, pick, strict=True)]) for c, r in pivot_rows]
            pivot_rows.append((col, pick))
        return {self.hidden[c] for c, r in pivot_rows if sum(1 for v in r if v != 0) == 1}

    def propagate(self, bounds: dict[tuple, list[int]]) -> bool:
        """Tighten the bounds over every sum to a fixed point; False if they become contradictory."""
        changed = True
        while changed:
            changed = False
            for s in self.sums:
                rest = -sum(coef * self.known[cell] for cell, coef in s if cell in self.known)
                h = [(cell, coef) for cell, coef in s if cell in bounds]
                for cell, coef in h:
                    lo = rest - sum(c * (bounds[o][1] if c > 0 else bounds[o][0]) for o, c in h if o != cell)
                    hi = rest - sum(c * (bounds[o][0] if c > 0 else bounds[o][1]) for o, c in h if o != cell)
                    lo, hi = (lo, hi) if coef > 0 else (-hi, -lo)
                    if lo > bounds[cell][0]:
                        bounds[cell][0], changed = lo, True
                    if hi < bounds[cell][1]:
                        bounds[cell][1], changed = hi, True
                    if bounds[cell][0] > bounds[cell][1]:
                        return False
        return True

    def intervals(self) -> set[tuple]:
        bounds = self.bounds()
        assert self.propagate(bounds), "the published table contradicts itself"
        return {cell for cell, (lo, hi) in bounds.items() if lo == hi}

    def feasible(self, bounds: dict[tuple, list[int]], budget: list[int]) -> bool:
        """Is there an integer solution within `bounds`? Depth-first with propagation."""
        budget[0] -= 1
        if budget[0] < 0:
            raise TimeoutError
        if not self.propagate(bounds):
            return False
        open_cells = [c for c, (lo, hi) in bounds.items() if lo < hi]
        if not open_cells:
            return True
        cell = min(open_cells, key=lambda c: bounds[c][1] - bounds[c][0])
        lo, hi = bounds[cell]
        mid = (lo + hi) // 2
        for part in ([lo, mid], [mid + 1, hi]):
            trial = {c: list(b) for c, b in bounds.items()}
            trial[cell] = part
            if self.feasible(trial, budget):
                return True
        return False

    def integer_search(self, truth: dict[tuple, int], budget: int = 20_000) -> set[tuple]:
        """Cells with no integer solution other than their true value (the true table is one solution)."""
        out = set()
        for cell in self.hidden:
            alone = True
            for part in ([0, truth[cell] - 1], [truth[cell] + 1, self.ceiling]):
                if part[0] > part[1]:
                    continue
                bounds = self.bounds()
                bounds[cell] = [max(part[0], bounds[cell][0]), min(part[1], bounds[cell][1])]
                if bounds[cell][0] > bounds[cell][1]:
                    continue
                if self.feasible(bounds, [budget]):
                    alone = False
                    break
            if alone:
                out.add(cell)
        return out


def published(frame: pd.DataFrame, counts: list[str], result) -> tuple[dict, dict]:
    display, truth = {}, {}
    for i, r in enumerate(frame.itertuples()):
        for c in counts:
            display[((r.area, r.gender), c)] = result.frame.loc[i, c + "_visning"]
            truth[((r.area, r.gender), c)] = int(getattr(r, c))
    return display, truth


def run(frame: pd.DataFrame, counts: list[str], with_outcomes: bool):
    column_sums = [ColumnSum("avslutade", OUTCOME_COLUMNS)] if with_outcomes else []
    result = suppress(frame, counts, margins=[Margin("gender", "totalt", ("kvinnor", "män")), Margin("area", "Stad")],
                      column_sums=column_sums, mark_key=KEY)
    return result


# ----------------------------------------------------------------------------------------- tests


def test_rule_text_is_the_agreed_swedish_sentence() -> None:
    assert RULE == ("Antal under 5 visas inte (<5 eller ..); ytterligare värden döljs (..) så att de dolda inte "
                    "kan räknas fram.")
    assert "<5 = 0–4 personer" in LEGEND and ".. = dolt: vilket antal som helst, också under 5." in LEGEND


def test_counts_one_to_four_are_hidden_and_others_formatted() -> None:
    frame = pd.DataFrame({"area": ["A", "A", "A"], "gender": ["kvinnor", "män", "totalt"], "n": [3, 1250, 1253]})
    result = suppress(frame, ["n"], margins=[Margin("gender", "totalt")])
    shown = list(result.frame["n_visning"])
    assert shown[0] in ("<5", "..") and result.mask["n"][0]
    assert result.primary["n"].tolist() == [True, False, False]
    # kvinnor hidden, so one of män / totalt must go too, or 1 253 − 1 250 gives it away
    assert shown[1] == ".." or shown[2] == ".."
    assert "1\u00a0250" in shown or "1\u00a0253" in shown
    assert result.frame["n"].isna().tolist() == result.mask["n"].tolist()


def test_zero_is_shown_and_nothing_hidden_without_need() -> None:
    frame = pd.DataFrame({"area": ["A", "A", "A"], "gender": ["kvinnor", "män", "totalt"], "n": [0, 12, 12]})
    result = suppress(frame, ["n"], margins=[Margin("gender", "totalt")])
    assert list(result.frame["n_visning"]) == ["0", "12", "12"]
    assert not result.mask.values.any()


def test_other_kon_and_total_cannot_reveal_a_hidden_kon() -> None:
    frame = pd.DataFrame({"area": ["A"] * 3 + ["B"] * 3 + ["Stad"] * 3, "gender": list(GENDERS) * 3,
                          "n": [2, 40, 42, 30, 31, 61, 32, 71, 103]})
    result = run(frame, ["n"], with_outcomes=False)
    display, truth = published(frame, ["n"], result)
    attacker = Attacker(display, structure(frame, ["n"], with_outcomes=False))
    assert display[(("A", "kvinnor"), "n")] in (PRIMARY_LABEL, SECONDARY_LABEL)
    assert not {c for c in attacker.lone() | attacker.linear() | attacker.intervals() if truth[c] > 0}


def test_two_small_cells_summing_to_eight_are_protected() -> None:
    # 4 + 4 = 8: both "<5" and the total 8 visible would pin both to 4
    frame = pd.DataFrame({"area": ["A"] * 3 + ["B"] * 3 + ["Stad"] * 3, "gender": list(GENDERS) * 3,
                          "n": [4, 4, 8, 20, 25, 45, 24, 29, 53]})
    result = run(frame, ["n"], with_outcomes=False)
    display, truth = published(frame, ["n"], result)
    attacker = Attacker(display, structure(frame, ["n"], with_outcomes=False))
    assert not {c for c in attacker.intervals() | attacker.linear() if truth[c] > 0}


@pytest.mark.parametrize("chunk", range(5))
def test_random_tables_resist_every_attack(chunk: int) -> None:
    """500 seeded random tables (5 × 100): no visible 1–4, nothing recoverable; "<5" is always true."""
    searched = 0
    for frame, counts, with_outcomes in random_tables(20_240_501 + chunk, 100):
        result = run(frame, counts, with_outcomes)
        display, truth = published(frame, counts, result)
        for cell, text in display.items():
            if 1 <= truth[cell] <= 4:
                assert text in (PRIMARY_LABEL, SECONDARY_LABEL), (cell, text)
            if text == PRIMARY_LABEL:
                assert truth[cell] <= 4
        attacker = Attacker(display, structure(frame, counts, with_outcomes))
        found = attacker.lone() | attacker.linear() | attacker.intervals()
        if len(attacker.hidden) <= 32:
            try:
                found |= attacker.integer_search(truth, budget=5_000)
                searched += 1
            except TimeoutError:
                pass
        leaked = {cell: truth[cell] for cell in found if truth[cell] > 0}
        assert not leaked, f"återfunna dolda värden {leaked}\n{frame}\n{result.frame.filter(like='_visning')}"
    assert searched >= 40  # the integer search ran on most tables


def test_attacker_does_find_a_naive_table() -> None:
    """The attacker is not toothless: with only primary suppression it recovers cells."""
    frame = pd.DataFrame({"area": ["A"] * 3 + ["B"] * 3 + ["Stad"] * 3, "gender": list(GENDERS) * 3,
                          "n": [2, 40, 42, 30, 31, 61, 32, 71, 103]})
    display = {((r.area, r.gender), "n"): ("<5" if 1 <= r.n <= 4 else str(r.n)) for r in frame.itertuples()}
    attacker = Attacker(display, structure(frame, ["n"], with_outcomes=False))
    assert (("A", "kvinnor"), "n") in attacker.lone()
    assert (("A", "kvinnor"), "n") in attacker.linear()
    assert (("A", "kvinnor"), "n") in attacker.intervals()


def test_suppression_is_pure_and_keeps_row_order() -> None:
    rng = random.Random(7)
    frame, counts = make_table(rng, 3, True)
    before = frame.copy()
    first, second = run(frame, counts, True), run(frame, counts, True)  # the same key: the same marks
    pd.testing.assert_frame_equal(frame, before)
    pd.testing.assert_frame_equal(first.frame, second.frame)
    assert list(first.frame["area"]) == list(frame["area"])


def funnel_case() -> tuple[pd.DataFrame, list[str]]:
    """Hägerstensåsen 2022 in small: kvinnor inskrivna 5, all of them avslutade to studier; män 1 to studier."""
    counts = ["inskrivna", "avslutade", *OUTCOME_COLUMNS]
    rows = [("kvinnor", 5, 5, 0, 5, 0), ("män", 6, 1, 0, 1, 0), ("totalt", 11, 6, 0, 6, 0)]
    return pd.DataFrame(rows, columns=["gender", *counts]).assign(area="A")[["area", "gender", *counts]], counts


def test_the_funnel_order_protects_the_steps_after_a_small_one() -> None:
    """inskrivna ≥ avslutade: a shown inskrivna of 5 caps a hidden avslutade ".." at 5; the protection must
    reason with the order too (an attacker with a solver does: without it, män studier "<5" is pinned to 1)."""
    from tests.solver_attack import Problem, findings

    frame, counts = funnel_case()
    result = suppress(frame, counts, margins=[Margin("gender", "totalt", ("kvinnor", "män"))],
                      column_sums=[ColumnSum("avslutade", OUTCOME_COLUMNS)], orders=[("inskrivna", "avslutade")],
                      mark_key=KEY)
    display = {(r["gender"], c): r[c + "_visning"] for _, r in result.frame.iterrows() for c in counts}
    truth = {(r["gender"], c): int(r[c]) for _, r in frame.iterrows() for c in counts}
    problem = Problem(display, truth)
    for c in counts:
        problem.add_sum(("totalt", c), [("kvinnor", c), ("män", c)])
    for g in ("kvinnor", "män", "totalt"):
        problem.add_sum((g, "avslutade"), [(g, o) for o in OUTCOME_COLUMNS])
        problem.add_order((g, "inskrivna"), (g, "avslutade"))
    bounds = problem.attack()
    assert result.mask.loc[1, "studier"]
    assert not findings(problem, bounds).findings


def attack_with_solver(frame: pd.DataFrame, counts: list[str], result, with_outcomes: bool):
    """tests/solver_attack.py's attacker on a table of make_table's shape: every cell's integer bounds."""
    from tests.solver_attack import Problem, findings

    display, truth = published(frame, counts, result)
    problem = Problem(display, truth)
    for s in structure(frame, counts, with_outcomes):
        (total, _), *parts = s
        problem.add_sum(total, [cell for cell, _ in parts])
    return findings(problem, problem.attack())


def test_a_small_count_keeps_all_of_0_to_4_next_to_a_shown_total() -> None:
    """kvinnor 1 and män 5 under a shown totalt of 6: män is hidden as the complement. Were ".." always 5 or
    more, kvinnor would be 0–1 and totalt would have to go too; read as any count, kvinnor keeps 0–4 (or
    0–6 where it is shown "..") and män 2–6."""
    frame = pd.DataFrame({"area": ["A"] * 3, "gender": list(GENDERS), "n": [1, 5, 6]})
    result = suppress(frame, ["n"], margins=[Margin("gender", "totalt", ("kvinnor", "män"))], mark_key=KEY)
    assert result.mask["n"].tolist()[:2] == [True, True]
    from tests.solver_attack import Problem, findings

    display = {(g, "n"): t for g, t in zip(GENDERS, result.frame["n_visning"], strict=True)}
    problem = Problem(display, {(g, "n"): v for g, v in zip(GENDERS, frame["n"], strict=True)})
    problem.add_sum(("totalt", "n"), [("kvinnor", "n"), ("män", "n")])
    bounds = problem.attack()
    assert bounds[("kvinnor", "n")][0] == 0 and bounds[("kvinnor", "n")][1] >= 4
    assert not findings(problem, bounds).findings


def test_the_marks_alone_narrow_no_cell() -> None:
    """Two areas with kvinnor "<5", män "<5", totalt ".." whose män add up to a city "<5". Were ".." 5 or more,
    each area's män would be at least 1 from the marks alone, and nothing could widen it. With ".." any count
    (some hidden counts under 5 are shown ".."), no cell is narrowed, by the marks or otherwise."""
    frame = pd.DataFrame({"area": ["A"] * 3 + ["B"] * 3 + ["Stad"] * 3, "gender": list(GENDERS) * 3,
                          "n": [4, 3, 7, 4, 1, 5, 8, 4, 12]})
    result = run(frame, ["n"], with_outcomes=False)
    report = attack_with_solver(frame, ["n"], result, with_outcomes=False)
    assert not report.findings and not report.marks_limited
    assert result.frame["n_visning"].tolist()[-1] == "12", "the city's total need not be hidden any more"


@pytest.mark.parametrize("chunk", range(2))
def test_random_tables_leave_every_hidden_cell_five_values(chunk: int) -> None:
    """The integer solver on 60 seeded random tables: no hidden cell (zeros too) narrowed to fewer than
    five whole values (a "<5" keeps all of 0–4), and no hidden 0 that is known to be 0."""
    for frame, counts, with_outcomes in random_tables(20_241_204 + chunk, 30):
        result = run(frame, counts, with_outcomes)
        report = attack_with_solver(frame, counts, result, with_outcomes)
        assert not report.findings and not report.marks_limited, (report.findings[:3], frame)


def test_the_marks_are_keyed_stable_and_true() -> None:
    """The same key gives the same marks; another key other marks; about one in four counts under 5 is
    ".."; a count of 5 or more is never "<5"."""
    rng = random.Random(11)
    frame, counts = make_table(rng, 40, True)
    keys = ["area", "gender"]
    first = small_marks(frame, counts, keys, KEY)
    assert (first == small_marks(frame, counts, keys, KEY)).all()
    assert (first != small_marks(frame, counts, keys, "en annan nyckel")).any()
    values = frame[counts].to_numpy().reshape(-1)
    assert not first[values >= 5].any()
    dotted = 1 - first[values < 5].mean()
    assert abs(dotted - DOTTED_IN_256 / 256) < 0.1, dotted


def test_the_memo_returns_the_same_answer_and_misses_on_other_counts(monkeypatch, tmp_path) -> None:
    from dashboard.core import suppression as module

    frame = pd.DataFrame({"area": ["A"] * 3, "gender": list(GENDERS), "n": [1, 5, 6]})
    fresh = run(frame, ["n"], with_outcomes=False).frame
    monkeypatch.setenv("DASHBOARD_SKYDD_MEMO", str(tmp_path))
    first = run(frame, ["n"], with_outcomes=False).frame
    assert len(list(tmp_path.glob("*.npy"))) == 1

    def no_solving(*args, **kwargs):
        raise AssertionError("solved again")

    solve = module._hidden
    monkeypatch.setattr(module, "_hidden", no_solving)
    pd.testing.assert_frame_equal(run(frame, ["n"], with_outcomes=False).frame, first)
    pd.testing.assert_frame_equal(first, fresh)
    with pytest.raises(AssertionError, match="solved again"):
        run(frame.assign(n=[2, 5, 7]), ["n"], with_outcomes=False)
    next(tmp_path.glob("*.npy")).write_bytes(b"broken")  # a broken file is solved again, and rewritten
    monkeypatch.setattr(module, "_hidden", solve)
    pd.testing.assert_frame_equal(run(frame, ["n"], with_outcomes=False).frame, fresh)
