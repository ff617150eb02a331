"""Importing Kolada API v3 files: one KPI a file, Stockholm and riket read, the KPI's title, definition and unit
typed or from Kolada's description, missing values stored as what they are, idempotence, broken files.
Both databases, each test on its own small database built without the demo (tests/test_ingest.py's fixtures)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import Engine, func, select

from dashboard.db import schema
from dashboard.ingest import IngestError, MeasureText, commit, preview
from dashboard.ingest.kolada import unit_in_title
from dashboard.ingest.route import detect
from queries.observations import observations_of
from tests import fixtures_jsonstat as js
from tests import fixtures_kolada as kd
from tests import test_ingest
from tests.test_ingest import checksum

BACKENDS = test_ingest.BACKENDS
empty_url, db = test_ingest.empty_url, test_ingest.db  # the fixtures: a database built without the demo

FILE = "kolada_N00914.json"
DESCRIBED = MeasureText(described_by=("kpi_N00914.json", kd.description_file()))
AREAS = {"Stockholms stad": "0180", "Riket": "0000", "Solna": "0184"}
GENDERS = {"totalt": "T", "kvinnor": "K", "män": "M"}


def _imports(db: Engine) -> int:
    with db.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(schema.imports)).scalar())


@BACKENDS
def test_a_kolada_file_imports_stockholm_riket_and_other_kommuner_with_the_kpis_own_texts(db: Engine) -> None:
    assert detect(kd.kolada_file(), FILE) == "kolada"
    before = checksum(db)
    shown = preview(kd.kolada_file(), FILE, db, text=DESCRIBED)
    assert checksum(db) == before
    assert (shown.format, shown.dataset, shown.new) == ("kolada", "kolada_n00914", 27)
    assert shown.unmatched == {"region 0001": 9}  # reported, not read; Solna (0184) is a kommun
    assert dict(shown.counts("kön")) == {"totalt": 9, "kvinnor": 9, "män": 9}
    assert dict(shown.statuses()) == {"uppgift saknas (prickad)": 1}
    (measure,) = shown.parsed.measures.values()
    assert (measure["measure"], measure["name"], measure["definition"], measure["unit"]) == (
        "kolada_n00914", f"{kd.TITLE} (Kolada N00914)", kd.DEFINITION, "procent")
    assert shown.parsed.notes == [f"Enheten procent står i titeln ('{kd.TITLE}')",
                                  "Titel och definition ur kpi_N00914.json"]
    done = commit(shown, db, description="Koladas API v3, hämtat 2026-12-03")
    stored = observations_of(dataset=done.dataset, engine=db)
    assert len(stored) == 27 and set(stored["area"]) == set(AREAS) and set(stored["unit"]) == {"procent"}
    for row in stored.itertuples():
        want = kd.value(AREAS[row.area], int(row.period), GENDERS[row.gender])
        if want is None:
            assert (row.status, row.printed) == ("prickad", "Missing") and row.value != row.value  # NaN
        else:
            assert row.value == want and not isinstance(row.status, str)
    with db.connect() as conn:
        (log,) = conn.execute(select(schema.imports)).all()
        (source_location,) = conn.execute(
            select(schema.observations.c.source_location).where(schema.observations.c.status == "prickad")).scalars()
    assert log.format == "kolada" and "kommun 0184" not in log.note and "region 0001" in log.note
    assert source_location == "values[2].values[1] (N00914, kommun 0180, år 2023, kön K)"


@BACKENDS
def test_the_same_kolada_file_twice_changes_nothing(db: Engine) -> None:
    first = commit(preview(kd.kolada_file(), FILE, db, text=DESCRIBED), db, description="Kolada")
    after = checksum(db)
    again = preview(kd.kolada_file(), FILE, db, text=DESCRIBED)
    assert (again.new, again.replaced, again.unchanged) == (0, 0, first.new)
    assert commit(again, db, description="Kolada").import_id is None
    assert checksum(db) == after and _imports(db) == 1


@BACKENDS
def test_without_a_title_the_unit_must_be_given_and_the_measure_says_what_it_is(db: Engine) -> None:
    before = checksum(db)
    with pytest.raises(IngestError, match=r"^Fel i kolada_N00914.json, kolumn enhet: filen säger inte vilken enhet "
                                          r"nyckeltalet N00914 har; ange enheten \(antal, dagar, index"):
        preview(kd.kolada_file(), FILE, db)
    with pytest.raises(IngestError, match="'liter' är ingen enhet verktyget känner"):
        preview(kd.kolada_file(), FILE, db, text=MeasureText(unit="liter"))
    assert checksum(db) == before
    shown = preview(kd.kolada_file(), FILE, db, text=MeasureText(unit="procent"))
    (measure,) = shown.parsed.measures.values()
    assert measure["name"] == "Kolada-nyckeltal N00914"
    assert measure["definition"] == "Nyckeltal N00914 i Kolada (RKA). Ingen definition angavs vid importen."
    assert "Ingen titel eller definition angavs" in shown.parsed.notes[0]
    typed = preview(kd.kolada_file(), FILE, db, text=MeasureText(title=kd.TITLE))  # the title says (%)
    assert typed.parsed.measures["kolada_n00914"]["unit"] == "procent"
    assert typed.parsed.notes == [f"Enheten procent står i titeln ('{kd.TITLE}')"]


@BACKENDS
def test_typed_text_wins_over_the_description_and_another_definition_is_refused_later(db: Engine) -> None:
    text = MeasureText(title="Arbetslösa 20–64 år", described_by=DESCRIBED.described_by, unit="procent")
    shown = preview(kd.kolada_file(), FILE, db, text=text)
    measure = shown.parsed.measures["kolada_n00914"]
    assert (measure["name"], measure["definition"]) == ("Arbetslösa 20–64 år (Kolada N00914)", kd.DEFINITION)
    assert shown.parsed.notes == ["Titel och definition ur kpi_N00914.json (det som skrevs in går före)"]
    commit(shown, db, description="Kolada")
    with pytest.raises(IngestError, match="måttet 'kolada_n00914' finns redan med en annan definition"):
        preview(kd.kolada_file(), FILE, db, text=MeasureText(definition="Något annat", unit="procent"))
    with pytest.raises(IngestError, match=r"^Fel i kpi_N00915.json: filen beskriver inte nyckeltalet N00914 "
                                          r"\(den beskriver N00915\)$"):
        preview(kd.kolada_file(), FILE, db,
                text=MeasureText(described_by=("kpi_N00915.json", kd.description_file("N00915"))))
    with pytest.raises(IngestError, match="anges bara för filtyper vars fil inte själv säger vad måttet är"):
        preview(js.jsonstat_file(), "am0210a.json", db, text=MeasureText(title="x"))


@BACKENDS
def test_a_page_of_a_longer_answer_is_told(db: Engine) -> None:
    data = kd.kolada_file(lambda d: d.update(next_url="https://api.kolada.se/v3/data/kpi/N00914?page=2"))
    shown = preview(data, FILE, db, text=DESCRIBED)
    assert "Filen är en sida av ett längre svar från Kolada (next_url)" in shown.parsed.notes[-1]


@BACKENDS
@pytest.mark.parametrize("name", list(kd.BROKEN))
def test_a_broken_kolada_file_gets_its_swedish_message_and_writes_nothing(db: Engine, name: str) -> None:
    make, message = kd.BROKEN[name]
    before = checksum(db)
    with pytest.raises(IngestError) as caught:
        preview(make(), "kolada.json", db, text=MeasureText(title=kd.TITLE), format="kolada")
    told = str(caught.value)
    assert told.startswith("Fel i kolada.json") and (told.endswith(message) or message in told), told
    assert checksum(db) == before


def test_a_kolada_file_is_told_from_json_stat() -> None:
    assert detect(kd.kolada_file(), FILE) == "kolada"
    assert detect(kd.description_file(), "kpi.json") == "kolada"  # its reader says what it is
    assert detect(js.jsonstat_file(), "scb.json") == "pxweb_jsonstat2"
    assert detect(json.dumps({"values": [{"kpi": "N00914"}], "dimension": {}}).encode(), "x.json") != "kolada"


@pytest.mark.parametrize(("title", "unit"), [
    ("Arbetslöshet 16-64 år, andel (%)", "procent"), ("Invånare totalt, antal", "antal"),
    ("Nettokostnad arbetsmarknadsåtgärder, kr/inv", "kr"), ("Arbetslöshet 16-64 år", ""),
    ("Antal invånare per vårdplats", "")])
def test_only_a_unit_the_title_states_is_taken(title: str, unit: str) -> None:
    assert unit_in_title(title) == unit


@BACKENDS
def test_the_command_line_imports_a_kolada_file_with_its_description(db: Engine, empty_url: str, tmp_path,  # noqa: ANN001
                                                                      monkeypatch: pytest.MonkeyPatch,
                                                                      capsys: pytest.CaptureFixture) -> None:
    from dashboard.__main__ import main

    monkeypatch.setenv("DATABASE_URL", empty_url)
    (tmp_path / FILE).write_bytes(kd.kolada_file())
    (tmp_path / "kpi.json").write_bytes(kd.description_file())
    assert main(["import", str(tmp_path / FILE), "--dry-run"]) == 1
    assert "kolumn enhet: filen säger inte vilken enhet nyckeltalet N00914 har" in capsys.readouterr().err
    assert main(["import", str(tmp_path / FILE), "--nyckeltal", str(tmp_path / "kpi.json"), "--yes",
                 "--description", "Koladas API v3"]) == 0
    out = capsys.readouterr().out
    assert "Filtyp: Kolada (RKA), API v3" in out and f"Definition: {kd.DEFINITION}" in out and "Enhet: procent" in out
    assert "region 0001: 9 rader" in out and "till data setet kolada_n00914: 27 nya" in out
    assert main(["import", str(tmp_path / FILE), "--nyckeltal", str(tmp_path / "saknas.json")]) == 1
    assert "Fel i saknas.json: filen kan inte läsas" in capsys.readouterr().err
