"""A memo on disk of which cells the protection hides, keyed by all the answer depends on: the counts, the sums,
the orders, the marks and the source of the protection itself. The same tables protected again (every test worker, each
backend, a rebuild of the same data) read the answer instead of running the solver again. On only where
DASHBOARD_SKYDD_MEMO names a folder (the test suite sets one); a file that cannot be read is solved again."""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

ENV = "DASHBOARD_SKYDD_MEMO"
_SOURCES = ("suppression.py", "suppression_solver.py")


@lru_cache(maxsize=1)
def _code() -> bytes:
    here = Path(__file__).resolve().parent
    return b"".join(hashlib.sha256((here / name).read_bytes()).digest() for name in _SOURCES)


def folder() -> Path | None:
    value = os.environ.get(ENV, "").strip()
    return Path(value) if value else None


def key(values: np.ndarray, constraints: Sequence[tuple[int, Sequence[int]]],
        orders: Sequence[tuple[int, int]], capped: np.ndarray) -> str:
    h = hashlib.sha256(_code())
    h.update(np.asarray(values, dtype=np.int64).tobytes())
    flat = [n for t, parts in constraints for n in (t, len(parts), *parts)]
    h.update(b"|" + np.asarray(flat, dtype=np.int64).tobytes())
    h.update(b"|" + np.asarray([n for pair in orders for n in pair], dtype=np.int64).tobytes())
    h.update(b"|" + np.packbits(np.asarray(capped, dtype=bool)).tobytes())
    return h.hexdigest()


def recall(name: str, size: int) -> np.ndarray | None:
    """The hidden cells remembered under `name`, if there are `size` of them (the memo must be on)."""
    try:
        hidden = np.load(folder() / f"{name}.npy", allow_pickle=False)
    except (OSError, ValueError):
        return None
    return hidden if hidden.dtype == np.bool_ and hidden.shape == (size,) else None


def remember(name: str, hidden: np.ndarray) -> None:
    where = folder()
    where.mkdir(parents=True, exist_ok=True, mode=0o700)
    with tempfile.NamedTemporaryFile(dir=where, suffix=".tmp", delete=False) as out:
        np.save(out, np.asarray(hidden, dtype=np.bool_), allow_pickle=False)
    os.replace(out.name, where / f"{name}.npy")  # whole or not at all, also with two workers at once
