"""DASHBOARD_DEMO=0 removes demo data everywhere: every page opens without a demo row, measure or label."""

from __future__ import annotations

from collections.abc import Iterator

import pandas as pd
import pytest
import streamlit as st
from sqlalchemy import Engine, select
from streamlit.testing.v1 import AppTest

from dashboard.db.schema import datasets, measures, observations
from queries import individ
from tests.apptest import open_app
from tests.seeds import REPO

PAGES = sorted(f"pages/{p.name}" for p in (REPO / "pages").glob("*.py"))


def nodes(node) -> Iterator:
    yield node
    for child in getattr(node, "children", {}).values():
        yield from nodes(child)


def rendered(at: AppTest) -> str:
    """Everything the page sent to the browser, as text (charts' JSON, tables' bytes, every label)."""
    return "\n".join(str(getattr(n, "proto", "")) for n in nodes(at._tree))


def cells(at: AppTest) -> set[str]:
    return {str(v) for t in at.dataframe for c in t.value.columns for v in t.value[c]} | {
        str(c) for t in at.dataframe for c in t.value.columns}


@pytest.fixture
def demo_off(app_env: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The app with DASHBOARD_DEMO=0, with no cached result of a run that had demo data."""
    monkeypatch.setenv("DASHBOARD_DEMO", "0")
    st.cache_data.clear()
    yield
    st.cache_data.clear()


def demo_measures(db: Engine) -> pd.DataFrame:
    query = (select(observations.c.measure, measures.c.name).distinct()
             .join(datasets, datasets.c.dataset == observations.c.dataset)
             .join(measures, measures.c.measure == observations.c.measure)
             .where(datasets.c.is_demo))
    with db.connect() as conn:
        return pd.read_sql(query, conn)


@pytest.mark.parametrize("page", PAGES, ids=[p[6:-3] for p in PAGES])
def test_no_demo_on_any_page(demo_off: None, db: Engine, page: str) -> None:
    demo = demo_measures(db)
    assert len(demo) >= 3, "the test database has demo data, so the test can fail"
    at = open_app(page, timeout=180)
    assert not at.exception, page
    text = rendered(at)
    assert "Demodata" not in text
    shown = cells(at)
    assert not (set(demo["measure"]) | set(demo["name"])) & shown
    assert not any(m in text for m in demo["measure"])


def test_the_map_offers_published_figures_only(demo_off: None) -> None:
    at = open_app("pages/karta.py", {"data": "demo", "matt": "demo_arbetsloshet_andel"})
    assert not at.exception
    assert at.radio(key="data").options == ["Publicerade siffror"]
    assert not [o for o in at.selectbox(key="matt").options if "demo" in o.lower()]
    assert any("”demo” finns inte här" in c.value for c in at.caption)
    assert "Demodata" not in rendered(at)


def test_the_area_page_says_there_is_no_individual_data(demo_off: None, db: Engine) -> None:
    assert individ.individ_years(db) == []
    at = open_app("pages/omraden.py", timeout=180)
    assert not at.exception
    assert any("inga uppgifter på individnivå att visa" in i.value for i in at.info)
    assert not at.dataframe and not at.get("plotly_chart")


def test_with_demo_on_the_same_queries_do_return_demo(app_env: str, db: Engine) -> None:
    """The counterpart: the switch, not the data, is what removed the rows above."""
    st.cache_data.clear()
    assert individ.individ_years(db)
    from queries.observations import observations_of

    assert observations_of("demo_arbetsloshet_andel", periods=("2020-01",), engine=db)["is_demo"].all()
