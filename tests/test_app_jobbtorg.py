"""The Jobbtorg page as a user opens it: inskrivna per målgrupp and kön, unika individer, avslut and gaps."""

from __future__ import annotations

import json

import pandas as pd
from streamlit.testing.v1 import AppTest

from dashboard.core.periods import period_label
from dashboard.figures.followup import shown_value
from tests.apptest import open_app
from tests.seeds import REPO

PAGE = "pages/jobbtorg.py"
OBS = REPO / "data" / "observations"
GAP = " (beräknat av verktyget)"


def transcribed(name: str) -> pd.DataFrame:
    return pd.read_csv(OBS / f"{name}.csv", dtype={"period": str, "printed": str})


def pivot(at: AppTest) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if "Målgrupp" in d.value.columns)


def label(row: pd.Series) -> str:
    if row["measure"] == "jobbtorg_unika_individer":
        return "Totalt unika individer"
    return "Totalt inskrivna" if row["group"] == "alla" else row["group"]


def check_pivot(at: AppTest, rows: pd.DataFrame) -> None:
    table = pivot(at).set_index("Målgrupp")
    assert len(rows) >= 36
    for _, row in rows.iterrows():
        column = f"{period_label(row['period'])}: {row['gender']}"
        assert table.at[label(row), column] == shown_value(row["value"], row["unit"], row["printed"], row["qualifier"]), column


def test_page_opens(app_env: str) -> None:
    at = open_app(page=PAGE)
    assert not at.exception
    assert at.title[0].value == "Jobbtorg Stockholm"
    assert len(at.get("plotly_chart")) == 3
    assert at.segmented_control(key="kon").value == "totalt"
    assert at.segmented_control(key="urval").value == "helar"


def test_inskrivna_per_malgrupp_and_kon_equal_the_transcribed_figures(app_env: str) -> None:
    rows = transcribed("ar2022_jobbtorg")
    check_pivot(open_app(page=PAGE), rows[rows["measure"].isin(["jobbtorg_inskrivna", "jobbtorg_unika_individer"])])


def test_first_quarter_2021_table(app_env: str) -> None:
    rows = transcribed("t1_2021_jobbtorg")
    at = open_app(page=PAGE, query={"urval": "jan-mar"})
    assert not at.exception
    check_pivot(at, rows[rows["measure"].isin(["jobbtorg_inskrivna", "jobbtorg_unika_individer"])])


def test_gap_columns_are_kvinnor_minus_man_and_say_they_are_computed(app_env: str) -> None:
    at = open_app(page=PAGE)
    table = pivot(at).set_index("Målgrupp")
    assert table.at["Försörjningsstöd", "2022: kvinnor − män" + GAP] == "\u2212257"  # 1 486 − 1 743


def test_gender_switch_changes_the_unique_and_enrolled_figures(app_env: str) -> None:
    rows = transcribed("ar2022_jobbtorg").set_index(["measure", "period", "gender", "group"])
    at = open_app(page=PAGE)
    for gender in ("kvinnor", "män", "totalt"):
        at.segmented_control(key="kon").set_value(gender).run()
        assert not at.exception
        shown = {m.label: m.value for m in at.metric}
        expected = rows.loc[("jobbtorg_unika_individer", "2022", gender, "alla"), "printed"]
        assert shown[f"Unika individer, 2022 ({gender})"] == expected.replace(" ", "\u00a0")
        expected = rows.loc[("jobbtorg_inskrivna", "2022", gender, "alla"), "printed"]
        assert shown[f"Totalt inskrivna, 2022 ({gender})"] == expected.replace(" ", "\u00a0")
    at.segmented_control(key="kon").set_value("skillnad").run()
    assert not at.exception
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert "beräknat av verktyget" in spec["layout"]["title"]["text"]
    assert "\u2212257" in spec["data"][0]["text"]  # Försörjningsstöd 2022: 1 486 − 1 743


def test_why_unique_and_enrolled_differ_uses_the_stored_definitions(app_env: str) -> None:
    at = open_app(page=PAGE)
    text = " ".join(m.value for m in at.markdown)
    assert "Unik individ" in text and "Person som endast räknas en gång i statistiken." in text
    assert "Bilagor till verksamhetsplan 2020" in text


def test_exits_and_targets_equal_the_transcribed_figures(app_env: str) -> None:
    at = open_app(page=PAGE)
    rows = pd.concat([transcribed("ar2022_jobbtorg"), transcribed("t1_2021_jobbtorg")])
    rows = rows[rows["measure"] == "jobbtorg_andel_avslutade_arbete_studier"]
    shown = next(d.value for d in at.dataframe if "Slag" in d.value.columns
                 and d.value["Mått"].str.contains("gått vidare till arbete").any())
    for row in rows.itertuples():
        hit = shown[shown["Källa"].str.endswith(f"rad {row.line}")]
        assert shown_value(row.value, row.unit, row.printed, row.qualifier) in set(hit["Värde"]), row
    assert any("inte publicerad uppdelad på kvinnor och män" in i.value for i in at.info)


def test_indicator_gaps_in_procentenheter(app_env: str) -> None:
    at = open_app(page=PAGE, query={"kon": "skillnad"})
    assert not at.exception
    gaps = next(d.value for d in at.dataframe if any(c.startswith("Skillnad kvinnor − män") for c in d.value.columns))
    column = next(c for c in gaps.columns if c.startswith("Skillnad"))
    row = gaps[gaps["Mått"].str.startswith("Andel kvinnor och män 18-29 år")].iloc[0]
    assert (row["Kvinnor"], row["Män"], row[column]) == ("71,3 %", "71,2 %", "0,1 procentenheter")
