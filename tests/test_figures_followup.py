"""Figure and table builders of the follow-up pages: DataFrame in, figure out, no number invented."""

from __future__ import annotations

import math

import pandas as pd

from dashboard.figures import followup as fig


def frame(rows: list[dict]) -> pd.DataFrame:
    base = {"measure": "m", "measure_name": "Mått", "period": "2022", "period_start": "2022-01-01",
            "area": "Stockholms stad", "gender": "totalt", "group": "alla", "unit": "procent", "kind": "utfall",
            "source": "Rapport", "source_location": "rad 1", "note": None, "printed": None, "value": math.nan}
    return pd.DataFrame([{**base, **r} for r in rows])


def test_values_keep_the_printed_decimals() -> None:
    assert fig.shown_value(52.94, "procent", "52,94") == "52,94 %"
    assert fig.shown_value(7154.0, "antal", "7 154") == "7\u00a0154"
    assert fig.shown_value(math.nan, "procent", None) == "uppgift saknas"


def test_a_missing_value_is_written_not_drawn_as_zero() -> None:
    data = frame([{"period": "2021", "value": 50.0, "printed": "50"}, {"period": "2022", "value": math.nan}])
    figure = fig.bar_chart(data, x="period", series=None, unit="procent", source="Rapport (rad 1)")
    bars = [t for t in figure.data if t.type == "bar"]
    assert list(bars[0].x) == ["2021"] and list(bars[0].y) == [50.0]
    texts = [t for t in figure.data if t.type == "scatter" and t.mode == "text"]
    assert list(texts[0].text) == ["uppgift saknas"] and list(texts[0].x) == ["2022"]
    assert figure.layout.separators == ",\u00a0"
    assert any("Källa: Rapport (rad 1)" in a.text for a in figure.layout.annotations)


def test_a_target_is_a_mark_at_its_own_year_labelled_with_year_and_source() -> None:
    data = frame([{"kind": "mål", "period": "2026", "period_start": "2026-01-01", "value": 55.0, "printed": "55",
                   "source_location": "rad 1231"}]
                 + [{"kind": "utfall", "period": str(y), "period_start": f"{y}-01-01", "value": 50.0 + y - 2019,
                     "printed": None} for y in (2019, 2020, 2021, 2022)])
    targets = fig.target_lines(data)
    assert list(targets["label"]) == ["Nämndens mål 2026: 55 % (Rapport, rad 1231)"]
    outcomes = data[data["kind"] == "utfall"]
    figure = fig.bar_chart(outcomes, x="period", series=None, unit="procent", targets=targets)
    assert not figure.layout.shapes  # no line running across 2019–2022
    mark = next(t for t in figure.data if t.name == targets["label"].iat[0])
    assert list(mark.x) == ["2026"] and list(mark.y) == [55.0] and list(mark.text) == ["Mål 55 %"]
    assert list(figure.layout.xaxis.categoryarray) == ["2019", "2020", "2021", "2022", "2026"]


def test_a_target_of_a_drawn_period_sits_on_that_period_s_bar() -> None:
    data = frame([{"kind": "mål", "value": 55.0, "printed": "55"}, {"kind": "utfall", "value": 57.5, "printed": "57,5"}])
    outcomes = data[data["kind"] == "utfall"].assign(Period="Avslutade<br>2022")
    figure = fig.bar_chart(outcomes, x="Period", series=None, unit="procent", targets=fig.target_lines(data))
    mark = next(t for t in figure.data if t.type == "scatter" and t.mode == "markers+text")
    assert list(mark.x) == ["Avslutade<br>2022"]
    assert list(figure.layout.xaxis.categoryarray) == ["Avslutade<br>2022"]


def test_gender_gap_is_kvinnor_minus_man_in_procentenheter() -> None:
    data = frame([{"gender": "kvinnor", "value": 57.14, "printed": "57,14"},
                  {"gender": "män", "value": 50.0, "printed": "50"},
                  {"gender": "totalt", "value": 52.94, "printed": "52,94"}])
    gaps = fig.gender_gaps(data)
    assert len(gaps) == 1
    assert fig.gap_value(gaps.iloc[0]) == "7,14 procentenheter"
    table = fig.gap_table(gaps)
    assert table.iloc[0]["Kvinnor"] == "57,14 %"
    assert "Skillnad kvinnor − män (beräknat av verktyget)" in table.columns


def test_no_gap_without_both_kvinnor_and_man() -> None:
    data = frame([{"gender": "totalt", "value": 50.0, "printed": "50"}, {"gender": "män", "value": 4.0}])
    assert fig.gender_gaps(data).empty


def test_export_table_has_swedish_headers_and_the_source() -> None:
    out = fig.export_table(frame([{"value": 1.0, "kind": "mål"}]))
    assert list(out.columns) == list(fig.EXPORT_HEADERS.values())
    assert out.iloc[0]["Källa"] == "Rapport" and out.iloc[0]["Slag"] == "Nämndens mål"


def test_a_published_zero_is_written_beside_its_row_not_left_empty() -> None:
    data = frame([{"area": "Rinkeby-Kista", "value": 45.0, "unit": "antal", "printed": "45"},
                  {"area": "Enheten för hemlösa", "value": 0.0, "unit": "antal", "printed": "0"}])
    figure = fig.bar_chart(data, x="area", series=None, unit="antal", horizontal=True)
    bar = next(t for t in figure.data if t.type == "bar")
    assert list(bar.text) == ["45", "0"] and bar.textposition == "outside"
    assert figure.layout.xaxis.range[1] > 45


def enrolled(rows: list[dict]) -> pd.DataFrame:
    return frame([{"measure": fig.JOBBTORG_ENROLLED, "unit": "antal", **r} for r in rows])


def test_the_enrolled_pivot_has_a_column_per_period_and_kon_and_the_computed_gap() -> None:
    data = enrolled([{"group": "Försörjningsstöd", "gender": "kvinnor", "value": 1486.0, "printed": "1 486"},
                     {"group": "Försörjningsstöd", "gender": "män", "value": 1743.0, "printed": "1 743"},
                     {"group": "alla", "gender": "totalt", "value": 7352.0, "printed": "7 352"},
                     {"group": "KAA", "gender": "totalt", "value": 40.0, "printed": "40", "period": "2021",
                      "period_start": "2021-01-01"}])
    pivot = fig.enrolled_pivot(data).set_index("Målgrupp")
    assert list(pivot.index) == ["Försörjningsstöd", "KAA", "Totalt inskrivna"]  # the total last
    assert list(pivot.columns[:4]) == ["2022: kvinnor", "2022: män", "2022: totalt",
                                       "2022: kvinnor − män (beräknat av verktyget)"]  # newest period first
    assert pivot.at["Försörjningsstöd", "2022: kvinnor − män (beräknat av verktyget)"] == "\u2212257"
    assert pivot.at["Försörjningsstöd", "2022: totalt"] == "uppgift saknas"
    assert pivot.at["KAA", "2022: totalt"] == "uppgift saknas" and pivot.at["KAA", "2021: totalt"] == "40"
    assert pivot.at["Totalt inskrivna", "2022: kvinnor − män (beräknat av verktyget)"] == "uppgift saknas"


def test_the_cohort_chart_gives_every_series_every_type_of_exit() -> None:
    data = frame([{"measure": fig.COHORT_WORK[0], "group": "arbete", "value": 60.5, "printed": "60,5"},
                  {"measure": fig.COHORT_WORK[1], "group": "arbete", "value": 64.0, "printed": "64"},
                  {"measure": fig.COHORT_AID_AFTER, "group": "övriga avslut", "value": 20.0, "printed": "20",
                   "qualifier": "drygt"}])
    figure = fig.cohort_figure(data)
    bars = {t.name: dict(zip(t.x, t.text, strict=True)) for t in figure.data if t.type == "bar"}
    assert bars[fig.SHORT_NAMES[fig.COHORT_WORK[0]]] == {"Arbete": "60,5 %"}
    assert bars[fig.SHORT_NAMES[fig.COHORT_AID_AFTER]] == {"Övriga avslut": "drygt 20 %"}  # as printed
    missing = [t for t in figure.data if t.type == "scatter" and t.mode == "text"]
    assert sorted(x for t in missing for x in t.x) == ["Arbete", "Övriga avslut", "Övriga avslut"]
    assert figure.layout.title.text == fig.COHORT_TITLE


def test_the_budget_chart_has_every_district_largest_first_and_no_invented_zero() -> None:
    data = frame([{"area": "Skärholmen", "value": 30.0, "unit": "antal", "printed": "30"},
                  {"area": "Rinkeby-Kista", "value": 45.0, "unit": "antal", "printed": "45"}])
    figure = fig.budget_figure(data, ["Rinkeby-Kista", "Skärholmen", "Farsta"], "Budget")
    bar = next(t for t in figure.data if t.type == "bar")
    assert list(bar.y) == ["Rinkeby-Kista", "Skärholmen"] and list(bar.x) == [45.0, 30.0]
    gap = next(t for t in figure.data if t.type == "scatter")
    assert list(gap.y) == ["Farsta"] and list(gap.text) == ["uppgift saknas"]
    assert list(figure.layout.yaxis.categoryarray) == ["Rinkeby-Kista", "Skärholmen", "Farsta"]


def test_indicators_by_kon_show_only_figures_published_for_both_and_the_gap_in_procentenheter() -> None:
    data = frame([{"measure_name": "Andel i arbete", "gender": g, "value": v, "printed": p}
                  for g, v, p in (("kvinnor", 71.3, "71,3"), ("män", 71.2, "71,2"), ("totalt", 71.25, "71,25"))]
                 + [{"measure": "n", "measure_name": "Bara totalt", "value": 50.0, "printed": "50"},
                    {"measure_name": "Andel i arbete", "gender": "kvinnor", "kind": "mål", "value": 80.0},
                    {"measure_name": "Andel i arbete", "gender": "män", "kind": "mål", "value": 80.0}])
    women = fig.indicators_by_gender(data, "kvinnor")
    assert list(women["value"]) == [71.3] and list(women["Indikator"]) == ["Andel i arbete (2022)"]
    assert list(fig.indicators_by_gender(data, "totalt")["value"]) == [71.25]  # not "Bara totalt"
    gap = fig.indicators_by_gender(data, "skillnad")
    assert list(gap["value"]) == [0.1] and set(gap["unit"]) == {"procentenheter"}
