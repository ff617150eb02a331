"""The glossary page: every term with its source, search, and a term chosen by URL."""

from __future__ import annotations

import csv

from tests.apptest import open_app
from tests.seeds import REPO

PAGE = "pages/begrepp.py"


def _terms(name: str) -> list[dict[str, str]]:
    with (REPO / "data" / "glossary" / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _shown_terms(at) -> set[str]:
    return {m.value.strip("*") for m in at.markdown if m.value.startswith("**") and m.value.endswith("**")}


def test_all_vp2020_bilagor_terms_are_listed_with_source_and_line(app_env: str) -> None:
    rows = _terms("vp2020_bilagor.csv")
    assert len(rows) == 44
    at = open_app(PAGE)
    assert not at.exception
    assert {r["term"] for r in rows} <= _shown_terms(at)
    text = "\n".join(m.value for m in at.markdown)
    for row in rows:
        assert f"Bilagor till verksamhetsplan 2020 arbetsmarknadsnämnden, rad {row['line']}*" in text, row["term"]


def test_search_finds_terms_and_words_in_definitions(app_env: str) -> None:
    at = open_app(PAGE)
    at.text_input(key="sok").input("aspirant").run()
    shown = _shown_terms(at)
    assert "Aspirant" in shown and "Stockholmsjobb" in shown  # the latter's definition mentions aspiranter
    assert "Alfa" not in shown
    assert at.query_params["sok"] in (["aspirant"], "aspirant")
    at.text_input(key="sok").input("finns inte i ordlistan").run()
    assert any("Inget begrepp matchar" in i.value for i in at.info)


def test_term_from_the_url_is_shown_first(app_env: str) -> None:
    at = open_app(PAGE, {"term": "aspirant"})  # any case
    assert not at.exception
    assert at.selectbox(key="term").value == "Aspirant"
    assert at.markdown[1].value == "### Aspirant"


def test_source_filter(app_env: str) -> None:
    at = open_app(PAGE, {"kalla": "strategi"})
    shown = _shown_terms(at)
    assert {r["term"] for r in _terms("strategi.csv")} == shown
