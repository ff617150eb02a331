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
