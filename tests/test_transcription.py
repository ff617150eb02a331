"""Every number transcribed from a seed document is on the line it cites, exactly as printed."""

from __future__ import annotations

import csv

import pytest

from dashboard.numbers import parse_swedish_number
from tests.seeds import REPO, SEEDS, normalise, printed_pattern, seed_lines

DATA = REPO / "data"


def _document_sources() -> dict[str, str]:
    with (DATA / "sources.csv").open(encoding="utf-8") as handle:
        return {r["source"]: r["path"] for r in csv.DictReader(handle) if r["kind"] == "dokument"}


def _rows(folder: str):
    for path in sorted((DATA / folder).glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            for row in reader:
                yield f"{path.relative_to(REPO)}:{reader.line_num}", row


OBSERVATIONS = list(_rows("observations"))
pytestmark = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"källdokumenten saknas i {SEEDS}")


def test_there_are_transcribed_observations() -> None:
    assert len(OBSERVATIONS) > 100


@pytest.mark.parametrize(("where", "row"), OBSERVATIONS, ids=[w for w, _ in OBSERVATIONS])
def test_number_is_on_the_cited_line(where: str, row: dict[str, str]) -> None:
    documents = _document_sources()
    if row["source"] not in documents:
        pytest.skip("inte ett källdokument")
    assert row["printed"], f"{where}: printed saknas"
    assert parse_swedish_number(row["printed"]) == pytest.approx(float(row["value"]), abs=1e-9), where
    lines = seed_lines(documents[row["source"]])
    number = int(row["line"])
    assert 1 <= number <= len(lines), f"{where}: rad {number} finns inte"
    text = normalise(lines[number - 1])
    assert printed_pattern(row["printed"]).search(text), f"{where}: '{row['printed']}' står inte på rad {number}: {text!r}"


@pytest.mark.parametrize("folder", ["measures", "memberships", "indicators", "indicator_status", "glossary"])
def test_cited_lines_exist(folder: str) -> None:
    documents = _document_sources()
    for where, row in _rows(folder):
        if row.get("source") in documents and row.get("line"):
            assert 1 <= int(row["line"]) <= len(seed_lines(documents[row["source"]])), where
