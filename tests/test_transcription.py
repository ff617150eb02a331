"""Every number transcribed from a seed document is on the line it cites, exactly as printed."""

from __future__ import annotations

import csv

import pytest

from dashboard.core.numbers import parse_swedish_number
from tests.seeds import REPO, SEEDS, normalise, printed_pattern, qualifier_problem, seed_lines

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
    previous = lines[number - 2] if number > 1 else ""
    problem = qualifier_problem(row["printed"], row.get("qualifier", ""), lines[number - 1], previous)
    assert problem is None, f"{where}, rad {number}: {problem}: {text!r}"


def test_observation_files_have_a_qualifier_column() -> None:
    for path in sorted((DATA / "observations").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            assert "qualifier" in (csv.DictReader(handle).fieldnames or []), path.name


@pytest.mark.parametrize(("printed", "qualifier", "line", "previous", "problem"), [
    ("57,5", "drygt", "drygt 57,5 procent befinner sig i arbete", "", None),
    ("57,5", "", "drygt 57,5 procent befinner sig i arbete", "", "saknar 'drygt'"),
    ("6,3", "", "6,3 procent medan", "arbetslösheten var omkring", "saknar 'omkring'"),
    ("150 000", "", "strax under 150 000 personer", "", "saknar 'strax under'"),
    ("53", "cirka", "för kvinnorna, respektive 53 procent för männen.", "Det rör sig om cirka 47 procent", None),
    ("57,5", "omkring", "drygt 57,5 procent", "", "'omkring' står inte före"),
    ("57,5", "drygt", "57,5 procent, drygt en tredjedel", "", "'drygt' står inte före"),
    ("57,5", "lite", "lite 57,5 procent", "", "inte ett känt förbehåll"),
    ("471", "", "Under 2021 var det 471 personer.", "", None),
    ("2 200", "", "drygt 2 200 platser (2 200 året före)", "", None),
])
def test_qualifier_check(printed: str, qualifier: str, line: str, previous: str, problem: str | None) -> None:
    found = qualifier_problem(printed, qualifier, line, previous)
    assert (found is None) if problem is None else (found is not None and problem in found), found


@pytest.mark.parametrize("folder", ["measures", "memberships", "indicators", "indicator_status", "glossary"])
def test_cited_lines_exist(folder: str) -> None:
    documents = _document_sources()
    for where, row in _rows(folder):
        if row.get("source") in documents and row.get("line"):
            assert 1 <= int(row["line"]) <= len(seed_lines(documents[row["source"]])), where


def test_a_stadsdel_membership_cites_a_line_that_names_the_stadsdel() -> None:
    """A membership citing a seed line must be defined there: a line naming only the parents does not place a
    stadsdel in them (VP 2026 rad 13 names the four fokusområden, not their stadsdelar)."""
    documents = _document_sources()
    for where, row in _rows("memberships"):
        if row["member_level"] == "stadsdel" and row["source"] in documents and row["line"]:
            line = normalise(seed_lines(documents[row["source"]])[int(row["line"]) - 1])
            assert row["member"].lower() in line.lower(), f"{where}: '{row['member']}' står inte på rad {row['line']}"


def test_fokusomrade_memberships_say_whose_split_it_is() -> None:
    rows = [row for _, row in _rows("memberships") if row["parent_level"] == "fokusomrade"]
    assert rows
    for row in rows:
        assert row["source"] != "vp2026" or row["line"] != "13"
        if row["parent"] == "Järva":
            assert row["note"].startswith("Uppdelningen i stadsdelar är projektets egen"), row["member"]
