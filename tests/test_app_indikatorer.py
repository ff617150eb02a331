"""The indicator page: every indicator reachable, its values exactly as transcribed, filters and URL state."""

from __future__ import annotations

import csv

import pytest

from dashboard.core.numbers import NBSP, UNIT_SUFFIX
from tests.apptest import open_app
from tests.seeds import REPO

PAGE = "pages/indikatorer.py"


def _rows(folder: str, name: str) -> list[dict[str, str]]:
    with (REPO / "data" / folder / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


INDICATORS = {doc: _rows("indicators", f"{doc}.csv") for doc in ("vp2026", "t1_2021")}
OBSERVATIONS = _rows("observations", "vp2026_indikatorer.csv") + _rows("observations", "t1_2021_indikatorer.csv")


def _swedish(printed: str, unit: str) -> str:
    """The printed number the Swedish way, written independently of the app: '1 000' → '1 000' (no-break)."""
    text = printed.strip().replace(" ", NBSP)
    if text.startswith("-"):
        text = "\u2212" + text[1:]
    return text + UNIT_SUFFIX.get(unit, f" {unit}")


def _indicator(indicator: str) -> dict[str, str]:
    return next(r for rows in INDICATORS.values() for r in rows if r["indicator"] == indicator)


def _listed(at) -> set[str]:
    """The ids of the indicators the filters let through (the summary table lists exactly those)."""
    return set(next(d.value for d in at.dataframe if "Status (rapporterad)" in d.value.columns)["Id"])


def _values_table(at):
    return next(d.value for d in at.dataframe if "Tryckt i källan" in d.value.columns)


def test_every_indicator_of_both_documents_is_reachable(app_env: str) -> None:
    at = open_app(PAGE)
    assert not at.exception
    assert len(INDICATORS["vp2026"]) == 38 and len(INDICATORS["t1_2021"]) == 48
    options = at.selectbox(key="ind").options
    assert len(options) == 86
    buttons = {b.key for b in at.button}
    summary = next(d.value for d in at.dataframe if "Status (rapporterad)" in d.value.columns)
    for rows in INDICATORS.values():
        for row in rows:
            assert f"pick_{row['indicator']}" in buttons, row["indicator"]
            assert row["indicator"] in set(summary["Id"])
    assert any("38 av 38" in c.value and "48 av 48" in c.value for c in at.caption)


def test_every_indicator_renders_when_chosen(app_env: str) -> None:
    at = open_app(PAGE)
    for rows in INDICATORS.values():
        for row in rows:
            at.button(key=f"pick_{row['indicator']}").click().run()
            assert not at.exception, row["indicator"]
            assert at.selectbox(key="ind").value == row["indicator"]
            assert any(row["name"] in m.value for m in at.markdown), row["indicator"]


@pytest.mark.parametrize("indicator", ["t1_2021_01", "vp2026_16", "t1_2021_32", "vp2026_12", "t1_2021_21"])
def test_chosen_indicator_shows_the_transcribed_values(app_env: str, indicator: str) -> None:
    measure = _indicator(indicator)["measure"]
    at = open_app(PAGE, {"ind": indicator})
    assert not at.exception
    table = _values_table(at)
    expected = sorted((r["printed"], _swedish(r["printed"], r["unit"])) for r in OBSERVATIONS
                      if r["measure"] == measure and r["kind"] in ("utfall", "mål", "kf-mål", "prognos"))
    assert expected, "the transcription has values for this measure"
    assert sorted(zip(table["Tryckt i källan"], table["Värde"], strict=True)) == expected
    # Every row names its source and line.
    assert table["Källa"].str.len().gt(0).all() and table["Var i källan"].str.startswith("rad ").all()


def test_targets_of_the_own_document_are_shown_at_the_top(app_env: str) -> None:
    at = open_app(PAGE, {"ind": "vp2026_12"})
    text = " ".join(m.value for m in at.markdown)
    assert f"1{NBSP}000" in text  # Nämndens mål and KF:s mål 2026, printed "1 000"
    at = open_app(PAGE, {"ind": "t1_2021_01"})
    text = " ".join(m.value for m in at.markdown)
    assert "75,28 %" in text and "72 %" in text


def test_gender_split_and_gap_computed_by_the_tool(app_env: str) -> None:
    at = open_app(PAGE, {"ind": "t1_2021_01"})
    gaps = next(d.value for d in at.dataframe if "Kvinnor" in d.value.columns and "Män" in d.value.columns)
    gap_column = next(c for c in gaps.columns if c.startswith("Skillnad kvinnor − män"))
    assert "procentenheter" in gap_column and "beräknat av verktyget" in gap_column
    row = gaps.iloc[0]
    assert (row["Kvinnor"], row["Män"], row["Totalt"]) == ("73,69 %", "76,45 %", "75,28 %")
    assert row[gap_column] == "\u22122,76 procentenheter"


def test_indicator_without_gender_split_says_so(app_env: str) -> None:
    at = open_app(PAGE, {"ind": "vp2026_12"})
    assert any("Redovisas per kön:** nej" in m.value for m in at.markdown)


def test_status_is_shown_with_its_note(app_env: str) -> None:
    at = open_app(PAGE, {"ind": "t1_2021_27"})
    assert any("Status tertial 1 2021:** Uppfylls helt" in m.value for m in at.markdown)
    assert any("status per mål, inte per indikator" in c.value for c in at.caption)
    at = open_app(PAGE, {"ind": "vp2026_01"})
    assert any("ingen status rapporterad" in m.value for m in at.markdown)


def test_indicator_without_measure_is_shown_with_its_note(app_env: str) -> None:
    at = open_app(PAGE, {"ind": "t1_2021_30"})
    assert not at.exception
    assert any("Arbetskraftsbrist i Stockholm" in m.value for m in at.markdown)
    assert any("två tal" in i.value for i in at.info)
    assert any("inget mått" in w.value for w in at.warning)


@pytest.mark.parametrize(("query", "expected"), [
    ({"dok": "vp2026"}, {r["indicator"] for r in INDICATORS["vp2026"]}),
    ({"dok": "t1_2021"}, {r["indicator"] for r in INDICATORS["t1_2021"]}),
    ({"perkon": "ja"}, {r["indicator"] for rows in INDICATORS.values() for r in rows if r["by_gender"] == "ja"}),
    ({"frekvens": "halvår"},
     {r["indicator"] for rows in INDICATORS.values() for r in rows if r["periodicity"] == "halvår"}),
    ({"mal": "vp2026:3.2.2"}, {r["indicator"] for r in INDICATORS["vp2026"] if r["namndmal"].startswith("3.2.2 ")}),
    ({"mal": "t1_2021:1.1"}, {r["indicator"] for r in INDICATORS["t1_2021"] if r["kf_mal"].startswith("1.1 ")}),
    ({"amne": "inget"}, {r["indicator"] for rows in INDICATORS.values() for r in rows if not r["measure"]}),
])
def test_filters(app_env: str, query: dict[str, str], expected: set[str]) -> None:
    at = open_app(PAGE, query)
    assert not at.exception
    assert expected
    assert _listed(at) == expected
    assert len(at.selectbox(key="ind").options) == len(expected)


def test_filter_by_topic_and_empty_result(app_env: str) -> None:
    at = open_app(PAGE, {"amne": "KAA"})
    assert {"vp2026_01", "vp2026_02"} <= _listed(at)
    at = open_app(PAGE, {"amne": "KAA", "frekvens": "år"})
    assert any("Inga indikatorer matchar" in i.value for i in at.info)


def test_url_state_round_trips_and_survives_a_page_switch(app_env: str) -> None:
    wanted = {"dok": "t1_2021", "frekvens": "tertial", "perkon": "ja", "ind": "t1_2021_32"}
    at = open_app(PAGE, wanted)
    assert not at.exception
    for key, value in wanted.items():
        assert at.query_params[key] in ([value], value)
        assert at.selectbox(key=key).value == value
    at.switch_page("../pages/data.py")
    at.run()
    at.switch_page("../" + PAGE)
    at.run()
    for key, value in wanted.items():
        assert at.selectbox(key=key).value == value


def test_chart_joins_both_documents_through_the_measure(app_env: str) -> None:
    at = open_app(PAGE, {"ind": "vp2026_16"})
    chart = next(c for c in at.get("plotly_chart"))
    spec = chart.proto.spec
    assert "tertial 1 2021" in spec and "2026" in spec and "2020" in spec
    assert any("Tertialrapport 1 2021" in c.value and "verksamhetsplan 2026" in c.value for c in at.caption)
