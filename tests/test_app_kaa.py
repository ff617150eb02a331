"""The KAA page, as a user opens it: the shown numbers are the transcribed ones, gaps say so, kön switches."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.core.numbers import format_value
from tests.apptest import open_app
from tests.seeds import REPO

PAGE = "pages/kaa.py"
OBS = REPO / "data" / "observations"
STEP_LABELS = {"kaa_omfattade": "Omfattade (i KAA-registret)", "kaa_uppsokta": "Uppsökta", "kaa_nadda": "Nådda",
               "kaa_tagit_del_av_stod": "Inskrivna (tagit del av stöd)", "kaa_avslutade": "Avslutade",
               "kaa_avslutade_arbete": "Till arbete", "kaa_avslutade_studier": "Till studier"}
KÖN = {"kvinnor": "Kvinnor", "män": "Män", "totalt": "Totalt"}
PUBLISHED = "Andel av föregående steg (publicerad)"
COMPUTED = "Andel av föregående steg (beräknat av verktyget)"


def transcribed(name: str) -> pd.DataFrame:
    return pd.read_csv(OBS / f"{name}.csv", dtype={"period": str})


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    """The first table on the page that has this column."""
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with column {column}")


def funnel(at: AppTest) -> pd.DataFrame:
    """The table 'Tratten i siffror'."""
    return table_with(at, "Antal")


def shown(table: pd.DataFrame, period: str, kön: str, step: str, column: str = "Antal") -> str:
    hit = table[(table["Period"] == period) & (table["Kön"] == KÖN[kön]) & (table["Steg"] == step)]
    assert len(hit) == 1, (period, kön, step)
    return hit[column].iat[0]


def test_page_opens_with_the_funnel(app_env: str) -> None:
    at = open_app(page=PAGE)
    assert not at.exception
    assert at.title[0].value == "KAA-tratten"
    assert len(at.get("plotly_chart")) == 2
    assert at.segmented_control(key="kon").value == "totalt"


def test_counts_equal_the_transcribed_figures(app_env: str) -> None:
    at = open_app(page=PAGE, query={"kon": "skillnad"})
    assert not at.exception
    table = funnel(at)
    rows = transcribed("ar2022_kaa")
    rows = rows[rows["measure"].isin(STEP_LABELS) & (rows["kind"] == "utfall")]
    assert len(rows) >= 10
    for row in rows.itertuples():
        assert shown(table, row.period, row.gender, STEP_LABELS[row.measure]) == format_value(row.value, "antal")


def test_published_share_and_computed_share_are_both_shown(app_env: str) -> None:
    """AR 2022 prints 54,5 % nådda; the printed counts give 54,4 %. Both are shown, each labelled."""
    at = open_app(page=PAGE)
    table = funnel(at)
    rows = transcribed("ar2022_kaa").set_index(["measure", "period", "gender", "kind"])
    published = rows.loc[("kaa_andel_nadda", "2022", "totalt", "utfall"), "value"]
    assert shown(table, "2022", "totalt", "Nådda", PUBLISHED) == format_value(published, "procent")
    reached, sought = (rows.loc[(m, "2022", "totalt", "utfall"), "value"] for m in ("kaa_nadda", "kaa_uppsokta"))
    assert shown(table, "2022", "totalt", "Nådda", COMPUTED) == format_value(100 * reached / sought, "procent", 1)
    assert shown(table, "2022", "totalt", "Nådda", COMPUTED) == "54,4 %"
    captions = " ".join(c.value for c in at.caption)
    assert "beräknat av verktyget" in captions


def test_a_missing_figure_says_uppgift_saknas(app_env: str) -> None:
    at = open_app(page=PAGE, query={"kon": "skillnad"})
    table = funnel(at)
    # No count of inskrivna is published for 2021, nor uppsökta per kön for 2022.
    assert shown(table, "2021", "totalt", "Inskrivna (tagit del av stöd)") == "uppgift saknas"
    assert shown(table, "2022", "kvinnor", "Uppsökta") == "uppgift saknas"
    assert shown(table, "2022", "män", "Till studier") == "uppgift saknas"
    assert not (table["Antal"] == "0").any()
    infos = " ".join(i.value for i in at.info)
    assert "Inte publicerat per kön" in infos and "avslutade" in infos


def test_kön_switch_shows_women_and_men(app_env: str) -> None:
    at = open_app(page=PAGE)
    assert set(funnel(at)["Kön"]) == {"Totalt"}
    at.segmented_control(key="kon").set_value("kvinnor").run()
    assert not at.exception
    table = funnel(at)
    assert set(table["Kön"]) == {"Totalt", "Kvinnor"}
    assert shown(table, "2022", "kvinnor", "Omfattade (i KAA-registret)") == "3\u00a0329"
    assert at.query_params["kon"] in ("kvinnor", ["kvinnor"])
    at.segmented_control(key="kon").set_value("män").run()
    assert set(funnel(at)["Kön"]) == {"Totalt", "Män"}


def test_gap_in_procentenheter_from_the_counts(app_env: str) -> None:
    at = open_app(page=PAGE)
    gaps = table_with(at, "Skillnad kvinnor − män (procentenheter, beräknat av verktyget)")  # the first such table
    rows = transcribed("ar2022_kaa").set_index(["measure", "period", "gender", "kind"])

    def share(gender: str) -> float:
        return 100 * rows.loc[("kaa_nadda", "2021", gender, "utfall"), "value"] / rows.loc[
            ("kaa_uppsokta", "2021", gender, "utfall"), "value"]

    hit = gaps[(gaps["Period"] == "2021") & (gaps["Steg"] == "Nådda")]
    assert hit["Kvinnor"].iat[0] == format_value(share("kvinnor"), "procent", 1)
    assert hit["Män"].iat[0] == format_value(share("män"), "procent", 1)
    column = "Skillnad kvinnor − män (procentenheter, beräknat av verktyget)"
    assert hit[column].iat[0] == format_value(share("kvinnor") - share("män"), "procentenheter", 1)
    assert (gaps[gaps["Period"] == "2022"][column] == "uppgift saknas").all()


def test_published_shares_by_kön_with_gap(app_env: str) -> None:
    rows = transcribed("t1_2021_indikatorer")
    rows = rows[(rows["measure"] == "ind_kaa_ingang_16_19_utskrivna_studier") & (rows["kind"] == "utfall")]
    split = rows[rows["gender"].isin(["kvinnor", "män"])].set_index("gender")
    assert set(split.index) == {"kvinnor", "män"}
    at = open_app(page=PAGE)
    table = table_with(at, "Mått")
    hit = table[(table["Period"] == "tertial 1 2021") & table["Kvinnor"].notna()]
    assert hit["Kvinnor"].iat[0] == format_value(split.at["kvinnor", "value"], "procent")
    assert hit["Män"].iat[0] == format_value(split.at["män", "value"], "procent")
    gap = split.at["kvinnor", "value"] - split.at["män", "value"]
    column = "Skillnad kvinnor − män (procentenheter, beräknat av verktyget)"
    assert hit[column].iat[0] == format_value(gap, "procentenheter", 1)


def test_no_kön_switch_where_the_funnel_has_no_split(app_env: str) -> None:
    at = open_app(page=PAGE, query={"jmf": "jan_mars"})
    assert at.segmented_control(key="kon").disabled
    assert any("inte publicerat uppdelat på kvinnor och män" in c.value for c in at.caption)


def test_first_months_of_2021(app_env: str) -> None:
    at = open_app(page=PAGE, query={"jmf": "jan_mars"})
    assert not at.exception
    table = funnel(at)
    for row in transcribed("t1_2021_kaa").itertuples():
        if row.measure in STEP_LABELS and row.kind == "utfall" and row.gender == "totalt":
            period = "januari 2021 – mars 2021" if row.period.startswith("2021") else "januari 2020 – mars 2020"
            assert shown(table, period, "totalt", STEP_LABELS[row.measure]) == format_value(row.value, "antal")
    assert shown(table, "januari 2020 – mars 2020", "totalt", "Uppsökta") == "uppgift saknas"


def test_targets_are_shown_with_their_source(app_env: str) -> None:
    at = open_app(page=PAGE)
    targets = table_with(at, "Slag")
    goals = targets[targets["Slag"].isin(["Nämndens mål", "KF:s mål"])]
    ar2022 = transcribed("ar2022_kaa")
    target = ar2022[ar2022["kind"] == "mål"].iloc[0]
    hit = goals[(goals["Period"] == target.period) & (goals["Till"] == "Studier")]
    assert hit["Värde"].iat[0] == format_value(target.value, "procent")
    assert hit["Var i källan"].iat[0] == f"rad {target.line}"
    if (OBS / "vp2026_indikatorer.csv").exists():
        vp = transcribed("vp2026_indikatorer")
        for row in vp[vp["measure"].str.startswith("ind_kaa")].itertuples():
            goal = "Arbete" if "arbete" in row.measure else "Studier"
            hit = goals[(goals["Period"] == row.period) & (goals["Till"] == goal)]
            assert format_value(row.value, "procent") in set(hit["Värde"])


@pytest.mark.parametrize("needle", ["54,4 procent", "cirka 47 procent"])
def test_notes_are_shown_near_the_numbers(app_env: str, needle: str) -> None:
    at = open_app(page=PAGE)
    notes = table_with(at, "Anmärkning")
    assert notes["Anmärkning"].str.contains(needle, regex=False).any()
    assert any("Anmärkningar" in e.label for e in at.expander)


def test_glossary_quotes_explain_the_register(app_env: str) -> None:
    at = open_app(page=PAGE)
    text = " ".join(m.value for m in at.markdown)
    assert "Ombytessökande" in text and "ej föremål för det uppsökande arbetet" in text
    assert "rad 1780" in text
