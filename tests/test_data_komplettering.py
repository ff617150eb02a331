"""Gaps filled after the first transcription: indicators in ton, index and medelvärde på skala,
UVAS in Tertialrapport 1 2021 (t1_2021_uvas) and the Jobbtorg gender gaps in Arbetsmarknadsrapport
2022 (ar2022_jobbtorg_kon). Hand-checked values, and that every indicator now has a measure except
the named exceptions.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from dashboard.core.numbers import NBSP, format_value
from dashboard.ingest.load import UNITS
from tests.seeds import REPO, SEEDS, normalise, printed_pattern, seed_lines

DATA = REPO / "data"
SEED_FILES = {"vp2026": "000_3fbd965b55460893.txt", "t1_2021": "001_c14021f562127397.txt",
              "ar2022": "003_fca8bc5106e8f2da.txt"}


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


MEASURES = pd.concat([_read(p) for p in sorted((DATA / "measures").glob("*.csv"))], ignore_index=True)
KOMPLETTERING = _read(DATA / "measures" / "indikatorer_komplettering.csv")
INDICATORS = pd.concat([_read(DATA / "indicators" / f"{doc}.csv") for doc in ("vp2026", "t1_2021")],
                       ignore_index=True)
OBS_VP = _read(DATA / "observations" / "vp2026_indikatorer.csv")
OBS_T1 = _read(DATA / "observations" / "t1_2021_indikatorer.csv")
UVAS = _read(DATA / "observations" / "t1_2021_uvas.csv")
JT_KON = _read(DATA / "observations" / "ar2022_jobbtorg_kon.csv")

# Indicators that still have no measure, with the reason.
WITHOUT_MEASURE = {
    "t1_2021_30": "Arbetskraftsbrist: '1,1 1,1 2021' (rad 2205) – två tal för fem kolumner (utfall, VB 2020, "
                  "prognos, årsmål, KF:s årsmål) och analysen nämner en prognos; kolumnerna går inte att avgöra",
}
# Indicators with a measure but no numeric target: the targets are printed as intervals.
WITHOUT_TARGET = {
    "vp2026_08": "Prognossäkerhet T2: '+/-1 %' är ett intervall",
    "t1_2021_36": "Prognossäkerhet T2: '+/-1 %' är ett intervall",
}


def _one(frame: pd.DataFrame, **where: str) -> pd.Series:
    rows = frame
    for column, value in where.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, f"{where}: {len(rows)} rader"
    return rows.iloc[0]


def _check(frame: pd.DataFrame, expected: list[tuple]) -> None:
    """(measure, period, gender, kind, value, printed, line) for each expected row."""
    for measure, period, gender, kind, value, printed, line in expected:
        row = _one(frame, measure=measure, period=period, gender=gender, kind=kind)
        assert float(row["value"]) == value, (measure, period, gender, kind)
        assert (row["printed"], row["line"]) == (printed, str(line)), (measure, period, gender, kind)


# --- units --------------------------------------------------------------------------------


def test_new_units_are_known_and_formatted() -> None:
    assert {"index", "ton", "poäng"} <= UNITS
    assert format_value(0.46, "ton") == "0,46 ton"
    assert format_value(525, "ton") == "525 ton"
    assert format_value(81, "index") == "81"
    assert format_value(3.5, "poäng") == "3,5 poäng"
    assert format_value(1000, "antal") == f"1{NBSP}000"


# --- indicators ---------------------------------------------------------------------------


def test_komplettering_measures() -> None:
    assert KOMPLETTERING["measure"].is_unique
    assert KOMPLETTERING["measure"].str.fullmatch(r"ind_[a-z0-9_]+").all()
    units = dict(zip(KOMPLETTERING["measure"], KOMPLETTERING["unit"]))
    assert units == {
        "ind_plast_forbrukningsartiklar": "ton",
        "ind_rekommendera_skola_komvux_skala_1_4": "poäng",
        "ind_rekommendera_skola_sfi_skala_1_4": "poäng",
        "ind_aktivt_medskapandeindex": "index",
        "ind_halso_arbetsmiljoindex": "index",
        "ind_index_bra_arbetsgivare": "index",
        "ind_rekommendera_skola_komvux_skala_1_5": "poäng",
        "ind_rekommendera_skola_sfi_skala_1_5": "poäng",
        "ind_inflytande_undervisning_komvux_skala_1_5": "poäng",
        "ind_bestamma_lektioner_sfi_skala_1_5": "poäng",
    }
    # no measure id is defined twice across the measures files
    assert MEASURES["measure"].is_unique


def test_indicators_point_at_the_new_measures() -> None:
    measure = dict(zip(INDICATORS["indicator"], INDICATORS["measure"]))
    assert measure["vp2026_04"] == "ind_plast_forbrukningsartiklar"
    assert measure["vp2026_23"] == "ind_rekommendera_skola_komvux_skala_1_4"
    assert measure["vp2026_24"] == "ind_rekommendera_skola_sfi_skala_1_4"
    assert measure["vp2026_31"] == "ind_halso_arbetsmiljoindex"
    assert measure["t1_2021_40"] == "ind_index_bra_arbetsgivare"
    assert measure["t1_2021_47"] == "ind_inflytande_undervisning_komvux_skala_1_5"
    assert measure["t1_2021_48"] == "ind_bestamma_lektioner_sfi_skala_1_5"
    # same name in both documents, neither defines it: one measure
    assert measure["vp2026_25"] == measure["t1_2021_37"] == "ind_aktivt_medskapandeindex"
    # scale 1-4 (VP 2026) and 1-5 (T1 2021) are different measures
    assert measure["vp2026_23"] != measure["t1_2021_25"] == "ind_rekommendera_skola_komvux_skala_1_5"
    assert measure["vp2026_24"] != measure["t1_2021_26"] == "ind_rekommendera_skola_sfi_skala_1_5"


def test_every_indicator_has_a_measure_except_the_named_ones() -> None:
    missing = set(INDICATORS.loc[INDICATORS["measure"] == "", "indicator"])
    assert missing == set(WITHOUT_MEASURE)
    for indicator in missing:
        assert _one(INDICATORS, indicator=indicator)["note"], indicator


def test_every_indicator_with_a_measure_has_a_target_except_the_named_ones() -> None:
    observations = pd.concat([OBS_VP, OBS_T1], ignore_index=True)
    for row in INDICATORS[INDICATORS["measure"] != ""].itertuples():
        year = "2026" if row.source == "vp2026" else "2021"
        targets = observations[(observations["measure"] == row.measure) & (observations["source"] == row.source)
                               & (observations["period"] == year) & observations["kind"].isin(["mål", "kf-mål"])]
        if row.indicator in WITHOUT_TARGET:
            assert targets.empty, row.indicator
        else:
            assert not targets.empty, row.indicator


def test_hand_checked_vp2026_values() -> None:
    _check(OBS_VP, [
        ("ind_plast_forbrukningsartiklar", "2026", "totalt", "mål", 0.46, "0,46", 427),
        ("ind_plast_forbrukningsartiklar", "2026", "totalt", "kf-mål", 525, "525", 427),
        ("ind_rekommendera_skola_komvux_skala_1_4", "2026", "totalt", "mål", 3.5, "3,5", 1656),
        ("ind_rekommendera_skola_sfi_skala_1_4", "2026", "totalt", "mål", 3.5, "3,5", 1663),
        ("ind_aktivt_medskapandeindex", "2026", "totalt", "mål", 81, "81", 1755),
        ("ind_aktivt_medskapandeindex", "2026", "totalt", "kf-mål", 82, "82", 1755),
        ("ind_halso_arbetsmiljoindex", "2026", "totalt", "mål", 77, "77", 1882),
    ])
    new = OBS_VP[OBS_VP["measure"].isin(set(KOMPLETTERING["measure"]))]
    assert len(new) == 7
    # empty KF:s årsmål cells stay empty
    for measure in ("ind_rekommendera_skola_komvux_skala_1_4", "ind_rekommendera_skola_sfi_skala_1_4",
                    "ind_halso_arbetsmiljoindex"):
        assert set(new.loc[new["measure"] == measure, "kind"]) == {"mål"}, measure


def test_hand_checked_t1_2021_values() -> None:
    _check(OBS_T1, [
        ("ind_rekommendera_skola_komvux_skala_1_5", "2021", "totalt", "mål", 4.4, "4,4", 1432),
        ("ind_rekommendera_skola_sfi_skala_1_5", "2021", "totalt", "mål", 4.3, "4,3", 1439),
        ("ind_aktivt_medskapandeindex", "2021", "totalt", "mål", 81, "81", 2817),
        ("ind_aktivt_medskapandeindex", "2021", "totalt", "kf-mål", 82, "82", 2817),
        ("ind_index_bra_arbetsgivare", "2021", "totalt", "mål", 85, "85", 2836),
        ("ind_index_bra_arbetsgivare", "2021", "totalt", "kf-mål", 84, "84", 2836),
        ("ind_inflytande_undervisning_komvux_skala_1_5", "2021", "totalt", "mål", 4.1, "4,1", 3103),
        ("ind_bestamma_lektioner_sfi_skala_1_5", "2021", "totalt", "mål", 4, "4", 3112),
    ])
    new = OBS_T1[OBS_T1["measure"].isin(set(KOMPLETTERING["measure"]))]
    assert len(new) == 8
    # the first numbers of these rows cannot be placed in a column: only targets are transcribed
    assert set(new["kind"]) == {"mål", "kf-mål"}
    assert 83 not in set(new["value"].astype(float)) and 80 not in set(new["value"].astype(float))
    assert not (new["value"].astype(float) == 4.5).any() and not (new["value"].astype(float) == 4.2).any()


# --- UVAS, Tertialrapport 1 2021 ------------------------------------------------------------


def test_uvas_reuses_the_ar2022_measures() -> None:
    ar2022 = set(_read(DATA / "measures" / "ar2022_arbetsmarknad.csv")["measure"])
    own = _read(DATA / "measures" / "uvas_t1_2021.csv")
    assert set(own["measure"]) == {"uvas_avslut_jobb_studier_oppna_arbetsmarknaden_andel"}
    assert not set(own["measure"]) & ar2022
    assert set(UVAS["measure"]) == {"uvas_nadda_forsta_kontakt", "uvas_inskrivna", "uvas_avslut_arbete_studier_andel",
                                    "uvas_avslut_jobb_studier_oppna_arbetsmarknaden_andel"}
    assert set(UVAS["measure"]) <= ar2022 | set(own["measure"])


def test_hand_checked_uvas_values() -> None:
    q1_2021, q1_2020 = "2021-01/2021-03", "2020-01/2020-03"
    _check(UVAS, [
        ("uvas_nadda_forsta_kontakt", q1_2021, "totalt", "utfall", 351, "351", 824),
        ("uvas_nadda_forsta_kontakt", q1_2020, "totalt", "utfall", 565, "565", 825),
        ("uvas_inskrivna", q1_2021, "totalt", "utfall", 191, "191", 827),
        ("uvas_inskrivna", q1_2020, "totalt", "utfall", 213, "213", 828),
        ("uvas_inskrivna", "2021", "totalt", "mål", 1000, "1 000", 828),
        ("uvas_avslut_arbete_studier_andel", q1_2021, "totalt", "utfall", 74.5, "74,5", 840),
        ("uvas_avslut_jobb_studier_oppna_arbetsmarknaden_andel", q1_2021, "män", "utfall", 75, "75", 843),
        ("uvas_avslut_jobb_studier_oppna_arbetsmarknaden_andel", q1_2021, "kvinnor", "utfall", 74, "74", 843),
    ])
    assert len(UVAS) == 8
    assert "närmare" in _one(UVAS, gender="män")["note"]
    assert (UVAS["source"] == "t1_2021").all() and (UVAS["area"] == "Stockholms stad").all()
    # left out: 250 (the target spread over three months), 600 (earlier target, period not stated),
    # "drygt 5 procentenheter" (approximate change against T1 2020)
    assert not UVAS["value"].astype(float).isin([250, 600, 5]).any()


# --- Jobbtorg, gender gaps 2022 ---------------------------------------------------------------


def test_hand_checked_jobbtorg_gender_gaps() -> None:
    _check(JT_KON, [
        ("jobbtorg_skillnad_man_kvinnor_arbete_studier", "2022", "totalt", "utfall", 2.4, "2,4", 1153),
        ("jobbtorg_skillnad_kvinnor_man_studier", "2022", "totalt", "utfall", 2.6, "2,6", 1154),
        ("jobbtorg_skillnad_man_kvinnor_anstallning", "2022", "totalt", "utfall", 5, "5", 1156),
    ])
    assert len(JT_KON) == 3
    assert not (JT_KON["value"].astype(float) == 2.1).any()  # vuxna män, change since 2021: not a gender gap


def test_jobbtorg_gap_measures_state_their_direction() -> None:
    measures = _read(DATA / "measures" / "ar2022_jobbtorg_kon.csv").set_index("measure")
    assert set(measures["unit"]) == {"procentenheter"}
    assert "män minus kvinnor" in measures.loc["jobbtorg_skillnad_man_kvinnor_arbete_studier", "definition"]
    assert "kvinnor minus män" in measures.loc["jobbtorg_skillnad_kvinnor_man_studier", "definition"]
    assert "män minus kvinnor" in measures.loc["jobbtorg_skillnad_man_kvinnor_anstallning", "definition"]


def test_new_datasets_are_registered() -> None:
    with (DATA / "datasets.csv").open(encoding="utf-8") as handle:
        datasets = {r["dataset"]: r["title"] for r in csv.DictReader(handle)}
    assert datasets["t1_2021_uvas"] == "UVAS tertial 1 2021"
    assert "ar2022_jobbtorg_kon" in datasets


# --- against the seed documents ---------------------------------------------------------------

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"källdokumenten saknas i {SEEDS}")


@needs_seeds
def test_new_rows_are_on_their_lines() -> None:
    new_ind = pd.concat([OBS_VP, OBS_T1])
    new_ind = new_ind[new_ind["measure"].isin(set(KOMPLETTERING["measure"]))]
    for row in pd.concat([new_ind, UVAS, JT_KON]).itertuples():
        text = normalise(seed_lines(SEED_FILES[row.source])[int(row.line) - 1])
        assert printed_pattern(row.printed).search(text), (row.measure, row.line, text)


@needs_seeds
def test_new_measure_lines_start_the_name_or_quote_the_text() -> None:
    for row in KOMPLETTERING.itertuples():
        text = normalise(seed_lines(SEED_FILES[row.source])[int(row.line) - 1])
        assert text.split()[0] == row.name.split()[0], (row.measure, text)
    lines = seed_lines(SEED_FILES["ar2022"])
    assert "bättre resultat för män än för kvinnor" in normalise(lines[1151])
    assert "andel kvinnor än män som" in normalise(lines[1152])
    assert "andel män än kvinnor som får en anställning" in normalise(lines[1154])
    t1 = seed_lines(SEED_FILES["t1_2021"])
    assert "jobb eller" in normalise(t1[842]) and "öppna arbetsmarknaden" in normalise(t1[843])


@needs_seeds
def test_arbetskraftsbrist_row_is_really_ambiguous() -> None:
    assert normalise(seed_lines(SEED_FILES["t1_2021"])[2204]) == "1,1 1,1 2021"
