"""The nämnd's indicators in Verksamhetsplan 2026 (vp2026) and Tertialrapport 1 2021 (t1_2021).

Checks the files data/indicators/{vp2026,t1_2021}.csv, data/indicator_status/t1_2021.csv,
data/observations/{vp2026,t1_2021}_indikatorer.csv and data/measures/{indikatorer,indikatorer_komplettering}.csv.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pandas as pd
import pytest

REPO = Path(__file__).resolve().parents[1]
SEEDS = Path(os.environ.get("SEEDS_DIR", REPO.parent / "shared" / "seeds"))
DATA = REPO / "data"
SEED_FILES = {"vp2026": "000_3fbd965b55460893.txt", "t1_2021": "001_c14021f562127397.txt"}


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


MEASURES = pd.concat([_read(DATA / "measures" / "indikatorer.csv"),
                      _read(DATA / "measures" / "indikatorer_komplettering.csv")], ignore_index=True)
VP = _read(DATA / "indicators" / "vp2026.csv")
T1 = _read(DATA / "indicators" / "t1_2021.csv")
STATUS = _read(DATA / "indicator_status" / "t1_2021.csv")
OBS_VP = _read(DATA / "observations" / "vp2026_indikatorer.csv")
OBS_T1 = _read(DATA / "observations" / "t1_2021_indikatorer.csv")

# Indicators deliberately without a measure (and so without observations), by name start:
# cells that cannot be placed in a column. Each has a note saying why. (The indicators in ton,
# index and medelvärde på skala got their measures in data/measures/indikatorer_komplettering.csv.)
VP_WITHOUT_MEASURE: set[str] = set()
T1_WITHOUT_MEASURE = {
    "Arbetskraftsbrist i Stockholm",  # two numbers, five possible columns
}
# Measures that have an indicator but no transcribed number (targets are intervals "+/-1 %").
MEASURES_WITHOUT_TARGET = {"ind_prognossakerhet_t2"}


def _obs(frame: pd.DataFrame, measure: str, **where: str) -> pd.DataFrame:
    rows = frame[frame["measure"] == measure]
    for column, value in where.items():
        rows = rows[rows[column] == value]
    return rows


def _value(frame: pd.DataFrame, measure: str, **where: str) -> float:
    rows = _obs(frame, measure, **where)
    assert len(rows) == 1, f"{measure} {where}: {len(rows)} rader"
    return float(rows.iloc[0]["value"])


# --- structure ---------------------------------------------------------------------------


def test_vp2026_has_exactly_38_indicators() -> None:
    assert len(VP) == 38
    assert list(VP["indicator"]) == [f"vp2026_{i:02d}" for i in range(1, 39)]


def test_t1_2021_has_48_indicators() -> None:
    assert len(T1) == 48
    assert list(T1["indicator"]) == [f"t1_2021_{i:02d}" for i in range(1, 49)]


def test_measure_ids_are_unique_prefixed_and_ascii() -> None:
    assert MEASURES["measure"].is_unique
    for measure in MEASURES["measure"]:
        assert re.fullmatch(r"ind_[a-z0-9_]+", measure), measure


def test_measure_units_are_ones_the_loader_accepts() -> None:
    assert set(MEASURES["unit"]) <= {"antal", "procent", "månader", "ton", "index", "poäng"}
    assert set(MEASURES["higher_is_better"]) <= {"ja", "nej", ""}


@pytest.mark.parametrize(("frame", "without"), [(VP, VP_WITHOUT_MEASURE), (T1, T1_WITHOUT_MEASURE)])
def test_every_indicator_measure_exists_or_is_a_known_gap(frame: pd.DataFrame, without: set[str]) -> None:
    known = set(MEASURES["measure"])
    missing = []
    for _, row in frame.iterrows():
        if row["measure"]:
            assert row["measure"] in known, row["indicator"]
        else:
            missing.append(row["name"])
            assert row["note"], f"{row['indicator']} saknar mått men förklaras inte"
    assert len(missing) == len(without)
    for name in missing:
        assert any(name.startswith(start) for start in without), name


def test_every_measure_is_used_by_an_indicator() -> None:
    used = set(VP["measure"]) | set(T1["measure"])
    assert set(MEASURES["measure"]) <= used


def test_indicator_columns() -> None:
    for frame in (VP, T1):
        assert set(frame["periodicity"]) <= {"tertial", "halvår", "år"}
        assert set(frame["by_gender"]) <= {"ja", "nej"}
        assert (frame["inriktningsmal"] != "").all()
        assert (frame["kf_mal"] != "").all()


def test_vp2026_by_gender_follows_the_kvinnor_och_man_wording() -> None:
    """VP 2026 marks indicators to be reported by kön by naming them 'kvinnor och män'."""
    for _, row in VP.iterrows():
        expected = "ja" if "kvinnor och män" in row["name"].lower() else "nej"
        assert row["by_gender"] == expected, row["indicator"]
    assert (VP["by_gender"] == "ja").sum() == 11


def test_vp2026_goal_chain_counts() -> None:
    assert (VP["namndmal"] == "").sum() == 19  # indicators under KF:s mål för verksamhetsområdet
    assert VP["inriktningsmal"].str.startswith("3.").sum() == 33


# --- targets -----------------------------------------------------------------------------


def test_every_vp2026_indicator_with_a_measure_has_its_2026_target() -> None:
    for _, row in VP[VP["measure"] != ""].iterrows():
        if row["measure"] in MEASURES_WITHOUT_TARGET:
            continue
        rows = _obs(OBS_VP, row["measure"], kind="mål", period="2026", gender="totalt")
        assert len(rows) == 1, row["indicator"]


def test_every_t1_2021_indicator_with_a_measure_has_its_arsmal() -> None:
    for _, row in T1[T1["measure"] != ""].iterrows():
        if row["measure"] in MEASURES_WITHOUT_TARGET:
            continue
        rows = _obs(OBS_T1, row["measure"], kind="mål", period="2021", gender="totalt")
        assert len(rows) == 1, row["indicator"]


def test_observation_columns() -> None:
    for frame in (OBS_VP, OBS_T1):
        assert (frame["area"] == "Stockholms stad").all()
        assert (frame["area_level"] == "stad").all()
        assert (frame["group"] == "alla").all()
        assert set(frame["gender"]) <= {"kvinnor", "män", "totalt"}
        units = dict(zip(MEASURES["measure"], MEASURES["unit"]))
        assert all(units[m] == u for m, u in zip(frame["measure"], frame["unit"]))
    assert set(OBS_VP["kind"]) == {"mål", "kf-mål"} and set(OBS_VP["period"]) == {"2026"}
    t1_periods = OBS_T1.groupby("kind")["period"].agg(set).to_dict()
    assert t1_periods == {"utfall": {"2021-T1", "2020"}, "prognos": {"2021"}, "mål": {"2021"}, "kf-mål": {"2021"}}


def test_same_indicator_in_both_documents_shares_one_measure() -> None:
    shared = set(VP["measure"]) & set(T1["measure"]) - {""}
    assert shared == {
        "ind_godkant_sfi", "ind_aspiranter_stockholmsjobb", "ind_platser_feriejobb", "ind_platser_stockholmsjobb",
        "ind_praktikplatser_hogskola_vfu", "ind_avslutade_jobbtorg_18_29_arbete_studier",
        "ind_arbete_6_man_efter_yh_examen", "ind_yh_examen", "ind_sjukfranvaro", "ind_sjukfranvaro_dag_1_14",
        "ind_budgetfoljsamhet_efter_resultatoverforingar", "ind_budgetfoljsamhet_fore_resultatoverforingar",
        "ind_prognossakerhet_t2", "ind_eutbildning_informationshantering", "ind_eutbildning_dataskydd",
        "ind_eutbildning_informationssakerhet", "ind_aktivt_medskapandeindex",
    }


def test_different_definitions_are_different_measures() -> None:
    vp = dict(zip(VP["indicator"], VP["measure"]))
    t1 = dict(zip(T1["indicator"], T1["measure"]))
    # scale 1-4 (VP 2026) vs 1-5 (T1 2021); six vs three months; with vs without "inom 12 månader"
    assert vp["vp2026_18"] != t1["t1_2021_18"]
    assert vp["vp2026_20"] != t1["t1_2021_07"]
    assert vp["vp2026_09"] not in {t1["t1_2021_03"], t1["t1_2021_04"], t1["t1_2021_05"]}


# --- hand-checked values ------------------------------------------------------------------


def test_hand_checked_vp2026_values() -> None:
    assert _value(OBS_VP, "ind_kaa_utskrivna_arbete", kind="mål") == 20
    assert _value(OBS_VP, "ind_kaa_utskrivna_studier", kind="mål") == 60
    assert _value(OBS_VP, "ind_aspiranter_stockholmsjobb", kind="mål") == 1000
    assert _value(OBS_VP, "ind_aspiranter_stockholmsjobb", kind="kf-mål") == 1000
    assert _value(OBS_VP, "ind_platser_feriejobb", kind="mål") == 130
    assert _obs(OBS_VP, "ind_platser_feriejobb", kind="kf-mål").empty  # "Tas fram av nämnd/styrelse"
    assert _value(OBS_VP, "ind_sjukfranvaro", kind="mål") == 4.5
    assert _value(OBS_VP, "ind_godkant_grundlaggande_gymnasial_vux", kind="kf-mål") == 81
    assert _value(OBS_VP, "ind_delaktiga_planering_jobbtorg", kind="mål") == 85
    row = _obs(OBS_VP, "ind_elektroniska_inkop", kind="kf-mål").iloc[0]
    assert (row["printed"], row["line"]) == ("75", "1910")
    assert len(OBS_VP) == 46


def test_hand_checked_t1_2021_values() -> None:
    m = "ind_aspiranter_stockholmsjobb"
    assert _value(OBS_T1, m, kind="utfall", period="2021-T1", gender="totalt") == 247
    assert _value(OBS_T1, m, kind="utfall", period="2021-T1", gender="män") == 148
    assert _value(OBS_T1, m, kind="utfall", period="2021-T1", gender="kvinnor") == 99
    assert _value(OBS_T1, m, kind="utfall", period="2020") == 359
    assert _value(OBS_T1, m, kind="prognos") == 485
    assert _value(OBS_T1, m, kind="mål") == 485
    assert _value(OBS_T1, m, kind="kf-mål") == 800
    assert _value(OBS_T1, "ind_feriejobb_stadens_regi", kind="kf-mål") == 9000
    assert _value(OBS_T1, "ind_sjalvforsorjande_6_man_efter_jobbtorg", kind="utfall", gender="kvinnor") == 73.69
    assert _value(OBS_T1, "ind_sjukfranvaro", kind="utfall", period="2021-T1", gender="män") == 3.2
    assert _value(OBS_T1, "ind_sjukfranvaro", kind="utfall", period="2020") == 4.4
    assert _value(OBS_T1, "ind_kaa_ingang_16_19_utskrivna_studier", kind="prognos") == 45
    assert _value(OBS_T1, "ind_kaa_ingang_16_19_utskrivna_studier", kind="mål") == 50
    assert _value(OBS_T1, "ind_inskrivningstid_unga_18_29", kind="utfall", period="2021-T1", gender="kvinnor") == 6
    assert _value(OBS_T1, "ind_unga_20_29_uvas_nadda_insatser", kind="mål") == 1000
    assert len(OBS_T1) == 142


def test_ambiguous_cells_are_left_out() -> None:
    """Rows with an empty cell somewhere in the middle: only numbers whose column is certain are kept."""
    assert set(_obs(OBS_T1, "ind_handlingsplan_inom_5_dagar")["kind"]) == {"utfall", "mål", "kf-mål"}
    assert 90 not in set(_obs(OBS_T1, "ind_handlingsplan_inom_5_dagar")["value"].astype(float))
    assert 850 not in set(_obs(OBS_T1, "ind_unga_20_29_uvas_nadda_insatser")["value"].astype(float))
    for measure in ("ind_godkant_grundlaggande_vux", "ind_godkant_sfi", "ind_yh_examen",
                    "ind_budgetfoljsamhet_efter_resultatoverforingar"):
        assert set(_obs(OBS_T1, measure)["kind"]) <= {"mål", "kf-mål"}, measure
    assert _obs(OBS_T1, "ind_prognossakerhet_t2").empty
    assert _obs(OBS_VP, "ind_prognossakerhet_t2").empty


def test_count_parts_add_up_except_the_known_exception() -> None:
    """For counts split by kön, män + kvinnor = totalt — except one row where the report disagrees with itself."""
    known_exception = "ind_arbete_genom_partnerskap"  # t1_2021 rad 2476: totalt 22, män 11, kvinnor 1
    units = dict(zip(MEASURES["measure"], MEASURES["unit"]))
    utfall = OBS_T1[(OBS_T1["kind"] == "utfall") & (OBS_T1["period"] == "2021-T1")]
    checked = 0
    for measure, rows in utfall.groupby("measure"):
        if units[measure] != "antal" or set(rows["gender"]) != {"totalt", "män", "kvinnor"}:
            continue
        by = dict(zip(rows["gender"], rows["value"].astype(float)))
        if measure == known_exception:
            assert (by["totalt"], by["män"], by["kvinnor"]) == (22, 11, 1)
            assert "summerar inte" in rows[rows["gender"] == "totalt"].iloc[0]["note"]
        else:
            assert by["män"] + by["kvinnor"] == by["totalt"], measure
            checked += 1
    assert checked == 4


def test_inskrivningstid_printed_with_percent_sign_is_noted() -> None:
    rows = _obs(OBS_T1, "ind_inskrivningstid_jobbtorg", kind="utfall", period="2021-T1")
    assert rows[rows["gender"] != "totalt"]["note"].str.contains("'%'").all()
    assert set(rows["unit"]) == {"månader"}


def test_vb_2020_outcomes_are_year_2020_with_a_note() -> None:
    rows = OBS_T1[OBS_T1["period"] == "2020"]
    assert len(rows) == 16
    assert (rows["kind"] == "utfall").all()
    assert rows["note"].str.contains("VB 2020").all()


# --- status ------------------------------------------------------------------------------


def test_every_t1_indicator_has_a_status() -> None:
    assert list(STATUS["indicator"]) == list(T1["indicator"])
    assert set(STATUS["status"]) == {"Uppfylls helt"}
    assert set(STATUS["period"]) == {"2021-T1"}
    assert STATUS["note"].str.contains("status per mål").all()


# --- against the seed documents ------------------------------------------------------------

needs_seeds = pytest.mark.skipif(not SEEDS.is_dir(), reason=f"källdokumenten saknas i {SEEDS}")


def _lines(source: str) -> list[str]:
    return (SEEDS / SEED_FILES[source]).read_text(encoding="utf-8").splitlines()


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00a0", " ")).strip()


@needs_seeds
def test_printed_numbers_are_on_their_lines() -> None:
    for frame in (OBS_VP, OBS_T1):
        for _, row in frame.iterrows():
            line = _norm(_lines(row["source"])[int(row["line"]) - 1])
            body = re.escape(_norm(row["printed"])).replace(r"\ ", " ?")
            assert re.search(r"(?<![\d,.])" + body + r"(?![\d]|[,.]\d)", line), (row["measure"], row["line"], line)
            assert float(row["printed"].replace(" ", "").replace(",", ".")) == float(row["value"])


@needs_seeds
def test_indicator_lines_start_the_indicator_name() -> None:
    for frame in (VP, T1):
        for _, row in frame.iterrows():
            line = _norm(_lines(row["source"])[int(row["line"]) - 1])
            first_word = row["name"].split()[0]
            assert line.startswith(first_word), (row["indicator"], line)


@needs_seeds
def test_status_lines_say_uppfylls_helt() -> None:
    for _, row in STATUS.iterrows():
        assert _norm(_lines("t1_2021")[int(row["line"]) - 1]) == row["status"], row["indicator"]


@needs_seeds
def test_measure_lines_start_the_definition() -> None:
    for _, row in MEASURES.iterrows():
        line = _norm(_lines(row["source"])[int(row["line"]) - 1])
        assert line.split()[0] == row["name"].split()[0], (row["measure"], line)
