"""The words for the data's codes live in dashboard/core/labels.py alone."""

from __future__ import annotations

import re

from dashboard.core import labels
from tests.seeds import REPO

SOURCES = [p for folder in ("dashboard", "pages", "queries") for p in (REPO / folder).rglob("*.py")]


def test_no_other_module_defines_the_kön_or_level_words() -> None:
    patterns = [re.compile(r'"kvinnor":\s*"Kvinnor"'), re.compile(r'"stadsdelsomrade":\s*"Stadsdelsområde"'),
                re.compile(r'^\w+\s*=\s*"beräknat av verktyget"', re.M)]
    found = [f"{p.relative_to(REPO)}: {m.group(0)}" for p in SOURCES if p.name != "labels.py"
             for pattern in patterns for m in pattern.finditer(p.read_text(encoding="utf-8"))]
    assert not found


def test_the_gap_reads_women_minus_men_with_a_true_minus_sign() -> None:
    assert labels.GENDER_CHOICES["skillnad"] == "Kvinnor \u2212 män"
    assert labels.gender_label("män") == "Män" and labels.gender_label("okänd") == "okänd"
