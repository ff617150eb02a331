"""Reading the seed documents in tests: lines, normalised the way the transcription checks need."""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = Path(os.environ.get("SEEDS_DIR", REPO.parent / "shared" / "seeds"))

_SPACE = re.compile(r"[\s\u00a0\u2009\u202f]+")


def normalise(text: str) -> str:
    return _SPACE.sub(" ", text.replace("\u2212", "-").replace("\u2013", "-")).strip()


@cache
def seed_lines(file_name: str) -> tuple[str, ...]:
    return tuple((SEEDS / file_name).read_text(encoding="utf-8").splitlines())


def printed_pattern(printed: str) -> re.Pattern[str]:
    """`printed` as a whole number on a line: not part of a longer number."""
    body = re.escape(normalise(printed)).replace(r"\ ", " ?")
    return re.compile(r"(?<![\d,.])" + body + r"(?![\d]|[,.]\d)")


def _qualifier_pattern(words: tuple[str, ...] | list[str]) -> str:
    return r"(?<![\w])(" + "|".join(re.escape(w).replace(r"\ ", " ") for w in sorted(words, key=len, reverse=True)) + r")"


def qualifier_problem(printed: str, qualifier: str, line: str, previous: str = "") -> str | None:
    """Why `qualifier` does not match how `line` prints `printed` (None when it does).

    Given a qualifier, it must stand before the number on the line (or on the line before: a sentence broken
    over two lines). Without one, the number must not everywhere on the line follow a qualifier word directly
    ("drygt 57,5"); at the start of a line, the end of the line before counts as directly before it.
    """
    from dashboard.core.numbers import QUALIFIERS

    text, prev = normalise(line), normalise(previous)
    hits = list(printed_pattern(printed).finditer(text))
    if not hits:
        return f"'{printed}' står inte på raden"
    if qualifier:
        if qualifier not in QUALIFIERS:
            return f"'{qualifier}' är inte ett känt förbehåll ({', '.join(QUALIFIERS)})"
        own = re.compile(_qualifier_pattern([qualifier]) + r"(?!\w)", re.IGNORECASE)
        if any(own.search(text[:hit.start()]) for hit in hits) or own.search(prev):
            return None
        return f"'{qualifier}' står inte före '{printed}' på raden eller raden före"
    directly = re.compile(_qualifier_pattern(QUALIFIERS) + r"\s*$", re.IGNORECASE)
    qualified = [directly.search((prev + " ") if hit.start() == 0 else text[:hit.start()]) for hit in hits]
    if all(qualified):
        return f"raden skriver '{qualified[0].group(1)} {printed}': kolumnen qualifier saknar '{qualified[0].group(1)}'"
    return None
