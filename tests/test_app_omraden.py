"""Uppföljning per område: demo data only, every shown count protected, kön and URL state work."""

from __future__ import annotations

import json
import re

import pandas as pd
from sqlalchemy import Engine
from streamlit.testing.v1 import AppTest

from dashboard.core.numbers import format_number
from dashboard.core.suppression import LEGEND, RULE
from dashboard.demo.individ import DATASET
from queries import individ
from tests.apptest import open_app

PAGE = "pages/omraden.py"
WHOLE = re.compile(r"-?\d{1,3}(?:[\u00a0 ]\d{3})*")  # a count as the page writes it ("7 154")


# The page protects every level of a year on its first load; on PostgreSQL, on a busy machine, that takes minutes.
PAGE_TIMEOUT = 900

def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("caption", "info", "markdown", "error") for e in at.get(kind)]
    return " ".join(str(p) for p in parts)


def counts_in(value: object) -> list[int]:
    """The counts in a shown cell or chart text; shares ('54,5 %'), marks and words give none."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [] if pd.isna(value) else [int(value)]
    first = str(value).split(" · ")[0].strip()  # a bar's text: "count · share"
    return [int(re.sub(r"\D", "", first))] if WHOLE.fullmatch(first) else []


def shown_counts(at: AppTest) -> list[int]:
    """Every count in the page's tables and charts (bar lengths and their texts)."""
    found = []
    for table in at.dataframe:
        for column in table.value.columns:
            for value in table.value[column]:
                found += counts_in(value)
    for chart in at.get("plotly_chart"):
        for trace in json.loads(chart.proto.spec)["data"]:
            if trace.get("type") == "bar":
                found += [int(x) for x in trace["x"]]
            found += [n for t in trace.get("text") or [] for n in counts_in(t)]
    return found


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    return next(t.value for t in at.dataframe if column in t.value.columns)


def test_default_view_renders_demo_banner_and_rule(app_env: str) -> None:
    at = open_app(PAGE, timeout=PAGE_TIMEOUT)
    assert not at.exception
    assert at.title[0].value == "Uppföljning per område"
    assert "Demodata – inte verkliga siffror" in at.error[0].value
    shown = texts(at)
    assert RULE in shown and LEGEND in shown
    assert "2021–2022" in shown
    assert shown.count(RULE) >= 6  # under each of the three charts and three tables
    assert len(at.get("plotly_chart")) == 3 and len(at.dataframe) == 3
    for table in at.dataframe:
        assert (table.value["Märkning"] == "Demodata – inte verkliga siffror").all()
    for chart in at.get("plotly_chart"):
        assert "Demodata – inte verkliga siffror" in json.loads(chart.proto.spec)["layout"]["title"]["text"]


def test_no_count_of_one_to_four_is_shown(app_env: str) -> None:
    for query in ({}, {"niva": "stadsdel", "kon": "skillnad"}, {"niva": "fokusomrade", "kon": "kvinnor"},
                  {"niva": "stadsdelsomrade", "malgrupp": "KAA 16-19 år", "kon": "män", "ar": "2023"}):
        at = open_app(PAGE, query=query, timeout=PAGE_TIMEOUT)
        assert not at.exception
        counts = shown_counts(at)
        # Per stadsdel (Jobbtorg alone) most cells are hidden since every hidden cell keeps four values.
        assert len(counts) > (15 if query.get("niva") == "stadsdel" else 50), query
        assert not [c for c in counts if 1 <= c <= 4], query
        marks = {v for t in at.dataframe for c in t.value.columns for v in t.value[c]}
        assert "<5" in marks, query  # the areas have small counts: they are marked, not shown


def test_visible_counts_equal_the_raw_counts(app_env: str, db: Engine) -> None:
    at = open_app(PAGE, query={"niva": "stadsdelsomrade", "ar": "2022"}, timeout=PAGE_TIMEOUT)
    table = table_with(at, "Omfattade (i KAA-registret)")
    raw = individ.kaa_funnel("stadsdelsomrade", years=[2022], dataset=DATASET, engine=db)
    raw = raw.groupby("area")[individ.KAA_COUNTS].sum()
    labels = {"omfattade": "Omfattade (i KAA-registret)", "uppsokta": "Uppsökta", "nadda": "Nådda",
              "inskrivna": "Inskrivna (tagit del av stöd)", "avslutade": "Avslutade", "arbete": "Till arbete",
              "studier": "Till studier", "annat": "Annat"}
    # An area with hidden cells and visible ones.
    rows = table.set_index("Stadsdelsområde")
    area = next(a for a in rows.index if "<5" in set(rows.loc[a]) and a in raw.index)
    checked = 0
    for key, label in labels.items():
        cell = rows.at[area, label]
        if cell in ("<5", ".."):  # "<5" is 0–4; ".." any count (5 or more, or under 5 by the marks' key)
            assert cell == ".." or raw.at[area, key] < 5
        else:
            assert cell == format_number(int(raw.at[area, key])), (area, key)
            checked += 1
    assert checked >= 3


def test_kön_switch(app_env: str) -> None:
    at = open_app(PAGE, timeout=PAGE_TIMEOUT)
    total = table_with(at, "Stadsdelsområde")
    at.segmented_control(key="kon").set_value("kvinnor").run()
    assert not at.exception
    women = table_with(at, "Stadsdelsområde")
    assert at.query_params["kon"] == "kvinnor"
    assert not total.equals(women)
    assert "kvinnor" in json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["title"]["text"]
    at.segmented_control(key="kon").set_value("skillnad").run()
    assert not at.exception
    both = table_with(at, "Stadsdelsområde")
    assert set(both["Kön"]) == {"Kvinnor", "Män"}
    assert any("Skillnad kvinnor − män" in t.value.columns for t in at.dataframe)
    assert not [c for c in shown_counts(at) if 1 <= c <= 4]


def test_url_state_round_trips(app_env: str) -> None:
    query = {"niva": "stadsdel", "ar": "2021", "kon": "män", "omrade": "Rinkeby", "malgrupp": "alla"}
    at = open_app(PAGE, query=query, timeout=PAGE_TIMEOUT)
    assert not at.exception
    assert at.radio(key="niva").value == "stadsdel"
    assert at.selectbox(key="ar").value == "2021"
    assert at.segmented_control(key="kon").value == "män"
    assert at.selectbox(key="omrade").value == "Rinkeby"
    assert {k: at.query_params[k] for k in query} == query
    assert "Rinkeby, 2021" in json.loads(at.get("plotly_chart")[0].proto.spec)["layout"]["title"]["text"]
    # Per stadsdel Jobbtorg offers målgrupp "alla" only.
    assert at.selectbox(key="malgrupp").options == ["Alla målgrupper"]
    at.radio(key="niva").set_value("fokusomrade").run()
    assert at.query_params["niva"] == "fokusomrade"
    assert at.selectbox(key="omrade").value in at.selectbox(key="omrade").options


def test_kaa_and_stockholmsjobb_offer_the_level_they_can_be_shown_at(app_env: str) -> None:
    """Per stadsdel only Jobbtorg is shown; KAA and Stockholmsjobb say why and offer stadsdelsområde."""
    at = open_app(PAGE, query={"niva": "stadsdel", "ar": "2022"}, timeout=PAGE_TIMEOUT)
    assert not at.exception
    notes = [i.value for i in at.info if "visas inte per stadsdel" in i.value]
    assert len(notes) == 2 and any(n.startswith("**KAA") for n in notes)
    assert len(at.get("plotly_chart")) == 1 and len(at.dataframe) == 1  # Jobbtorg
    assert "Rinkeby" in at.selectbox(key="omrade").options
    at.button(key="till_sdo_kaa").click().run()
    assert not at.exception
    assert at.radio(key="niva").value == "stadsdelsomrade"
    assert len(at.get("plotly_chart")) == 3
