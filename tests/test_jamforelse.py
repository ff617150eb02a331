"""'Jämfört med' on Översikt: Stockholm against the län, riket and other kommuner, by kön, from an imported Kolada
file and from the bundled figures: the table, chart and download of the view model, and the page."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from sqlalchemy import Engine

from dashboard.core.numbers import format_change
from dashboard.figures import jamforelse as fig_jmf
from dashboard.ingest import MeasureText, commit, preview
from dashboard.views.jamforelse import EMPTY, comparisons, jamforelse_view, summary_of
from queries import jamforelse as q
from tests import fixtures_af as af
from tests import fixtures_kolada as kd
from tests import test_ingest
from tests.apptest import open_app

BACKENDS = test_ingest.BACKENDS
empty_url, db = test_ingest.empty_url, test_ingest.db
NAMES = {"0180": "Stockholms stad", "0000": "Riket", "0184": "Solna", "1880": "Örebro", "1480": "Göteborg",
         "0114": "Upplands Väsby", "1283": "Helsingborg", "1280": "Malmö", "0580": "Linköping", "0380": "Uppsala",
         "1980": "Västerås", "0581": "Norrköping"}
TEXT = MeasureText(described_by=("kpi_N00914.json", kd.description_file()))


def _import(db: Engine) -> None:
    shown = preview(kd.kolada_file(municipalities=kd.COMPARED), "kolada_N00914.json", db, text=TEXT)
    assert not shown.unmatched
    commit(shown, db, description="Koladas API v3")


def _view(db: Engine, **state: str):  # noqa: ANN202
    return jamforelse_view(state, q.comparable_measures(db), lambda m: q.comparison_values(m, db), {})


def _percent(value: float) -> str:
    return f"{value:.2f}".replace(".", ",").rstrip("0").rstrip(",") + " %"


@BACKENDS
def test_stockholm_against_riket_and_kommuner_by_kon(db: Engine) -> None:
    _import(db)
    measures = q.comparable_measures(db)
    kolada = measures[measures["measure"] == "kolada_n00914"].iloc[0]
    assert kolada["areas"] == len(kd.COMPARED)
    view = _view(db, jmf_matt="kolada_n00914")
    assert view.measure == "kolada_n00914" and view.period == "2023" and view.kon == "totalt"
    assert view.kon_options == ["totalt", "kvinnor", "män", "skillnad"]
    assert "jämfört med riket och 10 andra kommuner" in view.title
    # Stockholm, riket, the large kommuner largest first, then the others by name
    assert list(view.table["Område"]) == ["Stockholms stad", "Riket", "Göteborg", "Malmö", "Uppsala", "Linköping",
                                          "Örebro", "Västerås", "Helsingborg", "Norrköping", "Solna", "Upplands Väsby"]
    by_area = view.table.set_index("Område")
    for code, area in NAMES.items():
        for gender, column in (("T", "Totalt"), ("K", "Kvinnor"), ("M", "Män")):
            want = kd.value(code, 2023, gender, kd.COMPARED)
            assert by_area.loc[area, column] == ("uppgift saknas (prickad)" if want is None else _percent(want))
    gap = by_area[fig_jmf.GAP_COLUMN]
    assert gap["Stockholms stad"] == "uppgift saknas"  # kvinnor 2023 is missing in Kolada
    assert gap["Göteborg"] == format_change(-0.01, "procentenheter") == "\u22120,01 procentenheter"
    # The chart: Stockholm, riket and eight kommuner; Solna and Upplands Väsby only in the table
    assert [t.name for t in view.figure.data] == list(view.table["Område"])[:10]
    assert any("8 av de 10 kommunerna" in n for n in view.notes)
    stockholm = next(t for t in view.figure.data if t.name == "Stockholms stad")
    assert list(stockholm.y) == [kd.value("0180", y, "T", kd.COMPARED) for y in kd.YEARS]
    gaps = _view(db, jmf_matt="kolada_n00914", jmf_kon="skillnad")
    goteborg = next(t for t in gaps.figure.data if t.name == "Göteborg")
    assert [round(v, 6) for v in goteborg.y] == [-0.01] * 3
    assert pd.isna(next(t for t in gaps.figure.data if t.name == "Stockholms stad").y[-1])
    # The download: every area, year and kön, as printed
    rows = view.download.table
    assert len(rows) == len(kd.COMPARED) * len(kd.YEARS) * 3
    assert set(rows["Område"]) == set(NAMES.values()) and set(rows["Nivå"]) == {"Staden", "Riket", "Kommun"}


@BACKENDS
def test_counts_are_not_compared_and_an_empty_database_says_what_to_import(db: Engine) -> None:
    assert list(q.comparable_measures(db)["measure"]) == ["arbetsloshet_ar2022_andel"]  # the bundled report
    commit(preview(af.af_file(), "af.xlsx", db), db, description="Arbetsförmedlingen")  # counts only: antal
    assert not any(m.startswith("af_") for m in q.comparable_measures(db)["measure"])
    empty = jamforelse_view({}, pd.DataFrame(columns=q.COLUMNS), lambda m: pytest.fail(m), {})
    assert empty.measure is None and empty.empty_text == EMPTY and empty.figure is None


@BACKENDS
def test_the_bundled_report_compares_stockholm_with_the_lan_and_riket(db: Engine) -> None:
    view = _view(db, jmf_matt="arbetsloshet_ar2022_andel", jmf_kon="nonsense")
    assert view.kon == "totalt" and view.period == "2022-12"
    assert list(view.table["Område"]) == ["Stockholms stad", "Stockholms län", "Riket"]
    assert view.table.set_index("Område").loc["Stockholms stad", "Totalt"] == "omkring 6,3 %"
    assert "jämfört med länet och riket" in view.title
    (bars,) = view.figure.data  # one period: bars, not lines
    assert type(bars).__name__ == "Bar" and list(bars.y) == ["Stockholms stad", "Stockholms län", "Riket"]
    assert list(bars.text) == ["omkring 6,3 %", "omkring 6,3 %", "runt 6,7 %"]  # as printed, with the qualifier
    assert "Arbetsmarknadsrapport 2022" in view.source


@BACKENDS
def test_oversikt_summarises_each_comparison_with_its_period_and_gap(db: Engine) -> None:
    _import(db)
    lines = [summary_of(view) for view in comparisons(q.comparable_measures(db), lambda m: q.comparison_values(m, db), {})]
    by_measure = {line.measure: line for line in lines}
    report = by_measure["arbetsloshet_ar2022_andel"]
    assert (report.period, report.gap) == ("december 2022", "\u22120,1 procentenheter")
    assert report.text == "Stockholms stad omkring 6,3 %, Stockholms län omkring 6,3 %, Riket runt 6,7 %"
    kolada = by_measure["kolada_n00914"]
    assert (kolada.period, kolada.gap) == ("2023", None)  # kvinnor 2023 is missing: no gap, and it says so
    assert kolada.text == "Stockholms stad 4,2 %, Riket 5,2 %"


def test_the_oversikt_page_shows_the_comparison(app_env: str) -> None:
    at = open_app()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "Arbetslöshet (procent) enligt Arbetsmarknadsrapport 2022**, december 2022: Stockholms stad omkring 6,3 %" \
        in text
    table = next(d.value for d in at.dataframe if fig_jmf.GAP_COLUMN in d.value.columns)
    assert list(table["Område"]) == ["Stockholms stad", "Stockholms län", "Riket"]
    spec = json.loads(next(c for c in at.get("plotly_chart") if "jmf_arbetsloshet" in c.proto.id).proto.spec)
    assert spec["data"][0]["text"] == ["omkring 6,3 %", "omkring 6,3 %", "runt 6,7 %"]
