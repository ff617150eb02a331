"""Checks of the glossary files data/glossary/*.csv against the seed documents.

Uses only pytest, pandas and the standard library. The seed documents are read from
../shared/seeds (next to the repository) or from the directory in the env var SEEDS_DIR.
"""

import os
import re
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "data"
GLOSSARY = DATA / "glossary"
SEEDS = Path(os.environ.get("SEEDS_DIR") or REPO.parent / "shared" / "seeds")

COLUMNS = ["term", "definition", "source", "line"]
PREFIX_CHARS = 40  # how much of a definition must be found in the document
NEAR_LINES = 15  # how far from the cited line the definition may start
TERM_SPAN = 3  # a term printed over several lines must start on the cited line

LETTER = "a-zåäöéü"


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


@cache
def glossary() -> pd.DataFrame:
    frames = []
    for path in sorted(GLOSSARY.glob("*.csv")):
        df = _read(path)
        df["_file"] = path.name
        frames.append(df)
    assert frames, "no glossary files"
    return pd.concat(frames, ignore_index=True)


@cache
def sources() -> pd.DataFrame:
    return _read(DATA / "sources.csv").set_index("source")


@cache
def doc_lines(source: str) -> list:
    path = SEEDS / sources().loc[source, "path"]
    if not path.exists():
        pytest.skip(f"seed document {path} not available")
    return path.read_text(encoding="utf-8").split("\n")


def norm(text: str) -> str:
    """Lower case, collapsed whitespace, hyphens inside words removed (both sides alike)."""
    text = text.replace("\uf0b7", " ").lower()
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(rf"(?<=[{LETTER}0-9])-(?=[{LETTER}0-9])", "", text)


def join_lines(lines: list) -> str:
    """Join printed lines: skip blank lines, join a word split by a hyphen at a line end."""
    text = "\n".join(ln for ln in lines if ln.strip())
    # "arbets-\nmarknad" -> "arbetsmarknad", "DUA-\növerenskommelsen" -> "DUA-överenskommelsen"
    text = re.sub(rf"(?<=[{LETTER}])-\n\s*(?=[{LETTER}])", "", text, flags=re.IGNORECASE)
    return norm(text)


def rows():
    return [r for _, r in glossary().iterrows()]


def row_id(r) -> str:
    return f"{r['_file']}:{r['source']}:{r['term']}"


# --------------------------------------------------------------------------- format


def test_columns_and_values():
    for path in sorted(GLOSSARY.glob("*.csv")):
        df = _read(path)
        assert list(df.columns) == COLUMNS, path.name
        for col in COLUMNS:
            assert (df[col].str.strip() != "").all(), f"{path.name}: empty {col}"
            assert (df[col] == df[col].str.strip()).all(), f"{path.name}: padded {col}"
        assert df["line"].str.fullmatch(r"[1-9][0-9]*").all(), path.name
        assert not df["definition"].str.contains(r"\n|\s{2,}").any(), f"{path.name}: not one line"


def test_expected_files_exist():
    for name in ("vp2020_bilagor.csv", "strategi.csv", "rapporter.csv"):
        assert (GLOSSARY / name).exists(), name


def test_sources_are_seed_documents():
    src = sources()
    for r in rows():
        assert r["source"] in src.index, row_id(r)
        assert src.loc[r["source"], "kind"] == "dokument", row_id(r)


def test_no_duplicate_term_source():
    g = glossary()
    key = g["term"].str.strip().str.lower() + "|" + g["source"]
    dups = g[key.duplicated(keep=False)]
    assert dups.empty, dups[["term", "source", "_file"]].to_string()


def test_vp2020_bilagor_has_44_terms():
    df = _read(GLOSSARY / "vp2020_bilagor.csv")
    assert len(df) == 44
    assert (df["source"] == "vp2020_bilagor").all()
    assert df["term"].is_unique
    # the glossary is printed in one place, in order
    lines = df["line"].astype(int)
    assert lines.is_monotonic_increasing
    assert lines.max() - lines.min() < 300


def test_file_sources():
    g = glossary()
    assert set(g.loc[g["_file"] == "strategi.csv", "source"]) == {"strategi"}
    assert set(g.loc[g["_file"] == "rapporter.csv", "source"]) <= {"ar2022", "vp2026", "t1_2021"}


# --------------------------------------------------------------------------- against the documents


@pytest.mark.parametrize("r", rows(), ids=row_id)
def test_term_on_cited_line(r):
    lines = doc_lines(r["source"])
    n = int(r["line"])
    assert 1 <= n <= len(lines), f"line {n} out of range"
    first = lines[n - 1]
    assert first.strip(), f"line {n} is blank"
    term = norm(r["term"])
    if term in norm(first):
        return
    # a term printed over more than one line must start on the cited line
    window = join_lines(lines[n - 1 : n - 1 + TERM_SPAN])
    pos = window.find(term)
    assert 0 <= pos < len(norm(first)), f"{r['term']!r} not on line {n}: {first!r}"


@pytest.mark.parametrize("r", rows(), ids=row_id)
def test_definition_near_cited_line(r):
    lines = doc_lines(r["source"])
    n = int(r["line"])
    window = join_lines(lines[max(0, n - 1 - NEAR_LINES) : n + NEAR_LINES])
    prefix = norm(r["definition"])[:PREFIX_CHARS].strip()
    assert prefix in window, f"definition start {prefix!r} not within {NEAR_LINES} lines of {n}"


@pytest.mark.parametrize(
    "r",
    [r for r in rows() if r["source"] == "vp2020_bilagor"],
    ids=row_id,
)
def test_vp2020_definition_follows_term(r):
    """In the printed glossary the definition follows the term and a dash on the same line."""
    first = norm(doc_lines(r["source"])[int(r["line"]) - 1])
    head = norm(r["term"]) + " "
    assert first.startswith(head), first
    rest = first[len(head) :].lstrip("–- ")
    expected = norm(r["definition"])
    assert expected.startswith(rest[:PREFIX_CHARS].strip()), (rest, expected)


@pytest.mark.parametrize(
    "r",
    [r for r in rows() if r["source"] == "vp2020_bilagor"],
    ids=row_id,
)
def test_vp2020_full_definition_in_document(r):
    """The whole definition text, as printed, is in the glossary section of the document."""
    lines = doc_lines(r["source"])
    n = int(r["line"])
    window = join_lines(lines[n - 1 : n - 1 + 30])
    assert norm(r["definition"]) in window
