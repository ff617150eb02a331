"""The KAA figure builders: DataFrame in, table or Plotly figure out."""

from __future__ import annotations

import math

import pandas as pd

from dashboard.figures import kaa


def obs(*rows: tuple[str, str, str, float, str]) -> pd.DataFrame:
    """Observation rows as the queries return them: (measure, period, gender, value, kind)."""
    return pd.DataFrame([
        {"measure": m, "period": p, "gender": g, "value": v, "kind": k, "unit": "antal", "source": "Rapport",
         "source_location": f"rad {i + 1}", "note": None, "period_start": pd.Timestamp(p[:4] + "-01-01")}
        for i, (m, p, g, v, k) in enumerate(rows)
    ])


SAMPLE = obs(
    ("kaa_omfattade", "2022", "totalt", 1000.0, "utfall"),
    ("kaa_uppsokta", "2022", "totalt", 800.0, "utfall"),
    ("kaa_nadda", "2022", "totalt", 400.0, "utfall"),
    ("kaa_andel_nadda", "2022", "totalt", 50.5, "utfall"),
    ("kaa_avslutade", "2022", "totalt", 100.0, "utfall"),
    ("kaa_andel_avslutade_arbete", "2022", "totalt", 20.0, "utfall"),
    ("kaa_omfattade", "2022", "kvinnor", 500.0, "utfall"),
    ("kaa_uppsokta", "2022", "kvinnor", 300.0, "utfall"),
    ("kaa_omfattade", "2022", "män", 500.0, "utfall"),
    ("kaa_uppsokta", "2022", "män", 400.0, "utfall"),
    ("kaa_andel_avslutade_studier", "2022", "totalt", 45.0, "mål"),
)


def test_steps_are_ordered_and_complete() -> None:
    assert [s.key for s in kaa.STEPS] == ["omfattade", "uppsokta", "nadda", "inskrivna", "avslutade", "arbete",
                                          "studier"]
    for step in kaa.STEPS:
        assert step.base is None or step.base in kaa.STEP_BY_KEY
    assert len(kaa.all_measures()) == len(set(kaa.all_measures()))


def test_funnel_table_keeps_gaps_as_gaps() -> None:
    table = kaa.funnel_table(SAMPLE, ("2022",)).set_index(["gender", "step"])
    assert table.at[("totalt", "uppsokta"), "share_computed"] == 80.0
    assert table.at[("totalt", "nadda"), "share_published"] == 50.5
    assert table.at[("totalt", "nadda"), "share_computed"] == 50.0
    # No inskrivna published: no count, and no share for avslutade either (its base is missing).
    assert math.isnan(table.at[("totalt", "inskrivna"), "count"])
    assert math.isnan(table.at[("totalt", "avslutade"), "share_computed"])
    assert math.isnan(table.at[("kvinnor", "nadda"), "count"])
    # A target is not an outcome.
    assert math.isnan(table.at[("totalt", "studier"), "share_published"])


def test_bar_text_marks_computed_shares_and_missing_counts() -> None:
    table = kaa.funnel_table(SAMPLE, ("2022",)).set_index(["gender", "step"])
    assert kaa.bar_text(table.loc[("totalt", "uppsokta")]) == "800 · 80,0 %*"
    assert kaa.bar_text(table.loc[("totalt", "nadda")]) == "400 · 50,5 %"
    assert kaa.bar_text(table.loc[("totalt", "arbete")]) == "antal: uppgift saknas · 20 %"
    assert kaa.bar_text(table.loc[("totalt", "inskrivna")]) == "uppgift saknas"


def test_funnel_figure_draws_no_bar_for_a_missing_count() -> None:
    table = kaa.funnel_table(SAMPLE, ("2021", "2022"))
    fig = kaa.funnel_figure(table, ("totalt",), ("2021", "2022"))
    bars = [t for t in fig.data if t.type == "bar"]
    texts = [t for t in fig.data if t.type == "scatter"]
    assert len(bars) == 2
    assert len(bars[0].x) == 0  # 2021: nothing published, nothing drawn
    assert list(bars[1].x) == [1000.0, 800.0, 400.0, 100.0]
    assert all(0 not in b.x for b in bars)
    assert "uppgift saknas" in texts[0].text
    assert fig.layout.separators == ",\u00a0"


def test_funnel_figure_puts_women_and_men_side_by_side() -> None:
    table = kaa.funnel_table(SAMPLE, ("2022",))
    fig = kaa.funnel_figure(table, ("kvinnor", "män"), ("2022",))
    bars = [t for t in fig.data if t.type == "bar"]
    assert [b.name for b in bars] == ["Kvinnor", "Män"]
    assert bars[0].y[0] < bars[1].y[0]


def test_gap_table_in_procentenheter() -> None:
    gaps = kaa.gap_table(kaa.funnel_table(SAMPLE, ("2022",), ("kvinnor", "män"))).set_index("step")
    assert gaps.at["uppsokta", "kvinnor"] == 60.0
    assert gaps.at["uppsokta", "män"] == 80.0
    assert gaps.at["uppsokta", "gap"] == -20.0
    assert math.isnan(gaps.at["nadda", "gap"])


def test_targets_figure_draws_the_target() -> None:
    fig = kaa.targets_figure(SAMPLE.assign(unit="procent"))
    marks = [t for t in fig.data if t.type == "scatter" and len(t.y)]
    assert [list(t.y) for t in marks] == [[45.0]]
    assert marks[0].text[0] == "Mål 45 % (Rapport, rad 11)"
    assert [a.text for a in fig.layout.annotations if a.text.startswith("Mål")] == ["Mål 45 %"]


def target_sample() -> pd.DataFrame:
    rows = obs(("kaa_andel_avslutade_studier", "2021", "totalt", 50.0, "mål"),
               ("ind_kaa_utskrivna_studier", "2021", "totalt", 50.0, "mål"),  # the same target, another measure
               ("ind_kaa_utskrivna_studier", "2021", "totalt", 52.0, "kf-mål"),
               ("kaa_andel_avslutade_studier", "2021", "kvinnor", 45.1, "utfall"),
               ("kaa_andel_avslutade_studier", "2021", "män", 32.1, "utfall"),
               ("kaa_andel_avslutade_studier", "2021", "totalt", 37.0, "utfall"),
               ("kaa_andel_avslutade_studier", "2022", "totalt", 8.0, "utfall"))
    return rows.assign(unit="procent")


def test_the_same_target_twice_is_one_mark_with_both_places() -> None:
    fig = kaa.targets_figure(target_sample())
    labels = [a for a in fig.layout.annotations if a.text.startswith(("Mål", "KF-mål"))]
    assert sorted(a.text for a in labels) == ["KF-mål 52 %", "Mål 50 %"]  # "Mål 50 %" once, not twice
    mark = next(t for t in fig.data if t.type == "scatter" and t.name == "Nämndens mål" and len(t.y))
    assert list(mark.y) == [50.0] and "rad 1" in mark.text[0] and "rad 2" in mark.text[0]
    # two targets 2 procentenheter apart: one label above its mark, the other below
    assert sorted(a.yshift for a in labels) == [-16, 16]


def test_bar_numbers_sit_inside_their_bars_away_from_target_labels() -> None:
    fig = kaa.targets_figure(target_sample())
    bars = {t.name: t for t in fig.data if t.type == "bar" and len(t.y)}
    assert list(bars["Män"].text) == ["32,1 %"] and list(bars["Män"].textposition) == ["inside"]
    assert bars["Män"].insidetextanchor == "start"  # at the foot of the bar: a label at 37 % cannot cover it
    assert list(bars["Totalt"].textposition) == ["inside", "outside"]  # 8 % is too short for its number


def test_short_period() -> None:
    assert kaa.short_period("2021-01/2021-03") == "jan–mars 2021"
    assert kaa.short_period("2022") == "2022"


def test_published_gender_gaps() -> None:
    rows = obs(("ind_x", "2021-T1", "kvinnor", 45.1, "utfall"), ("ind_x", "2021-T1", "män", 32.1, "utfall"),
               ("ind_x", "2021-T1", "totalt", 37.0, "utfall"), ("ind_y", "2021", "kvinnor", 50.0, "utfall"))
    rows = rows.assign(unit="procent", measure_name=rows["measure"])
    gaps = kaa.published_gender_gaps(rows)
    assert list(gaps["measure"]) == ["ind_x"]
    assert round(gaps["gap"].iat[0], 6) == 13.0
