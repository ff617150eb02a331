"""The data page, as a user opens it."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.apptest import open_app


def test_data_page_lists_the_data_sets(app_env: str) -> None:
    at = open_app("pages/data.py")
    assert not at.exception
    assert at.title[0].value == "Data och källor"
    titles = [e.label for e in at.expander]
    assert any("Arbetsmarknadsrapport 2022" in t for t in titles)
    assert any("Publicerad arbetslöshet" in t for t in titles)


def test_data_page_says_what_lacks_a_gender_split(app_env: str) -> None:
    at: AppTest = open_app("pages/data.py")
    infos = " ".join(i.value for i in at.info)
    assert "Saknar uppdelning på kvinnor och män" in infos
