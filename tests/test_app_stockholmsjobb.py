"""The Stockholmsjobb page as a user opens it: shown numbers are the transcribed ones, kön switches, gaps say so."""

from __future__ import annotations

import pandas as pd
from streamlit.testing.v1 import AppTest

from dashboard.figures.followup import shown_value
from tests.apptest import open_app
from tests.seeds import REPO

PAGE = "pages/stockholmsjobb.py"
OBS = REPO / "data" / "observations"


def transcribed(name: str) -> pd.DataFrame:
    return pd.read_csv(OBS / f"{name}.csv", dtype={"period": str, "printed": str})


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def tables(at: AppTest) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe]


def row_of(frame: pd.DataFrame, **where: str) -> pd.Series:
    hit = frame
    for column, value in where.items():
        hit = hit[hit[column] == value]
    assert len(hit) == 1, where
    return hit.iloc[0]


def test_page_opens_and_says_there_is_no_gender_split(app_env: str) -> None:
    at = open_app(page=PAGE)
    assert not at.exception
    assert at.title[0].value == "Stockholmsjobb"
    assert any("utan uppdelning på kvinnor och män" in i.value for i in at.info)
    assert len(at.get("plotly_chart")) >= 5
    assert at.segmented_control(key="kon").value == "totalt"


def test_volumes_equal_the_transcribed_figures(app_env: str) -> None:
    at = open_app(page=PAGE)
    rows = transcribed("ar2022_stockholmsjobb").set_index(["measure", "period", "kind"])
    shown = metrics(at)
    assert shown["Aspiranter med Stockholmsjobb 2022"] == rows.loc[("sthlmsjobb_aspiranter", "2022", "utfall"),
                                                                      "printed"]
    assert shown["Mål 2022"] == rows.loc[("sthlmsjobb_aspiranter", "2022", "mål"), "printed"]
    assert shown["Finansierade av nämnden 2022"] == rows.loc[("sthlmsjobb_finansierade_namnden", "2022", "utfall"),
                                                                "printed"]
    assert shown["Startade Stockholmsjobb 2022"] == rows.loc[("sthlmsjobb_startade", "2022", "utfall"), "printed"]


def test_every_transcribed_stockholmsjobb_figure_is_in_a_table_with_its_source(app_env: str) -> None:
    at = open_app(page=PAGE)
    shown = pd.concat([t for t in tables(at) if {"Mått", "Värde", "Källa", "Period"} <= set(t.columns)])
    for name in ("ar2022_stockholmsjobb", "t1_2021_stockholmsjobb"):
        for row in transcribed(name).itertuples():
            values = shown[shown["Källa"].str.endswith(f"rad {row.line}")]["Värde"]
            expected = shown_value(row.value, row.unit, row.printed, row.qualifier)  # "drygt 57,5 %"
            assert expected in set(values), (row.measure, row.period, expected)


def test_budget_per_stadsdelsnamnd_and_the_map_link(app_env: str) -> None:
    at = open_app(page=PAGE)
    budget = transcribed("ar2022_stadsdelar")
    budget = budget[budget["measure"] == "sthlmsjobb_sdn_budget_anstallningar"]
    shown = next(t for t in tables(at) if "Område" in t.columns and "Rinkeby-Kista" in set(t["Område"]))
    for row in budget.itertuples():
        assert row_of(shown, Område=row.area)["Värde"] == row.printed
    links = " ".join(m.value for m in at.markdown)
    assert "/karta?matt=sthlmsjobb_sdn_budget_anstallningar&period=2022&niva=stadsdelsomrade" in links


def test_the_2018_cohort_by_type_of_exit(app_env: str) -> None:
    at = open_app(page=PAGE)
    cohort = transcribed("ar2022_stockholmsjobb")
    cohort = cohort[cohort["measure"].str.startswith("jobbtorg_kohort_")]
    shown = next(t for t in tables(at) if "Grupp" in t.columns and "övriga avslut" in set(t["Grupp"]))
    for row in cohort.itertuples():
        hit = shown[(shown["Grupp"] == row.group) & shown["Källa"].str.endswith(f"rad {row.line}")]
        assert shown_value(row.value, row.unit, row.printed, row.qualifier) in set(hit["Värde"]), (row.measure, row.group)
    assert metrics(at)["Ekonomiskt bistånd ett år före inskrivning"] == "48,5 %"


def test_gender_switch_shows_the_indicator_by_kon_and_the_computed_gap(app_env: str) -> None:
    rows = transcribed("t1_2021_indikatorer")
    rows = rows[(rows["measure"] == "ind_aspiranter_stockholmsjobb") & (rows["period"] == "2021-T1")]
    printed = dict(zip(rows["gender"], rows["printed"], strict=True))
    label = "Antal aspiranter som fått Stockholmsjobb, tertial 1 2021"
    at = open_app(page=PAGE)
    assert metrics(at)[f"{label} – totalt"] == printed["totalt"]
    at.segmented_control(key="kon").set_value("kvinnor").run()
    assert not at.exception
    assert metrics(at)[f"{label} – kvinnor"] == printed["kvinnor"]
    at.segmented_control(key="kon").set_value("män").run()
    assert metrics(at)[f"{label} – män"] == printed["män"]
    at.segmented_control(key="kon").set_value("skillnad").run()
    gap = int(printed["kvinnor"]) - int(printed["män"])
    shown = metrics(at)[f"{label} – kvinnor − män (beräknat av verktyget)"]  # "computed" in the label: not cut
    assert shown == f"\u2212{abs(gap)}"
    assert at.query_params["kon"] == ["skillnad"] or at.query_params["kon"] == "skillnad"


def test_share_gap_in_procentenheter_keeps_the_printed_decimals(app_env: str) -> None:
    at = open_app(page=PAGE, query={"kon": "skillnad"})
    gaps = next(t for t in tables(at) if any(c.startswith("Skillnad kvinnor − män") for c in t.columns))
    row = gaps[gaps["Mått"].str.contains("serviceassistent")].iloc[0]
    assert (row["Kvinnor"], row["Män"], row["Totalt"]) == ("57,14 %", "50 %", "52,94 %")
    assert row[[c for c in gaps.columns if c.startswith("Skillnad")][0]] == "7,14 procentenheter"


def test_missing_figure_says_uppgift_saknas(app_env: str) -> None:
    at = open_app(page=PAGE)
    text = " ".join(m.value for m in at.markdown)
    assert "stadsdelsnämnderna finansierade är inte tryckt (uppgift saknas)" in text
    assert "288 (beräknat av verktyget" in text
