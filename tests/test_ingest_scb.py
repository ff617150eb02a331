"""SCB's arbetssökandestatistik för delområden: a column mapping, saved profiles, areas by name at stadsdel and
stadsdelsområde level, cells without numbers, broken files — on SQLite and PostgreSQL, each test on a fresh
database built without the demo data (the fixtures of tests/test_ingest.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import Engine, func, select, text

from dashboard.db import schema
from dashboard.db.build import build_db
from dashboard.ingest import IngestError, MappingNeeded, commit, mapping_start, preview
from dashboard.ingest import scb as reader
from dashboard.ingest.mapping import Mapping, MeasureDef
from tests import fixtures_scb as f
from tests import test_ingest as base

BACKENDS, checksum = base.BACKENDS, base.checksum
empty_url, db = base.empty_url, base.db  # the fixtures: a fresh database per test, SQLite and PostgreSQL

LONG, WIDE = "arbetssokande_delomraden_2025.csv", "delomraden_nyko_2025-10.xlsx"
PROFILE = "SCB delområden, lång"
OPEN, PROGRAMME, POPULATION = "scb_oppet_arbetslosa_16_64", "scb_sokande_program_16_64", "scb_befolkning_16_64"
SHARE = "scb_andel_arbetslosa_och_program_16_64"
GENDERS = {"Kvinnor": "kvinnor", "Män": "män", "Totalt": "totalt"}


def suggested(data: bytes, name: str, profile: str = PROFILE) -> Mapping:
    """What the page's form proposes for the file, named `profile`."""
    return replace(reader.suggest(reader.layout(data, name)), profile=profile)


def everything(db: Engine) -> str:
    """The import's tables and the saved profiles, as one digest."""
    with db.connect() as conn:
        profiles = (conn.execute(select(schema.import_profiles)).all()
                    if db.dialect.has_table(conn, "import_profiles") else [])
    return checksum(db) + repr(sorted(map(repr, profiles)))


def stored(db: Engine, dataset: str) -> dict[tuple, tuple]:
    o, a = schema.observations, schema.areas
    with db.connect() as conn:
        return {(r.measure, r.period, r.name, r.level, r.gender, r.population_group): (r.value, r.status, r.printed)
                for r in conn.execute(select(o.c.measure, o.c.period, a.c.name, a.c.level, o.c.gender,
                                             o.c.population_group, o.c.value, o.c.status, o.c.printed)
                                      .join(a, a.c.area_id == o.c.area_id).where(o.c.dataset == dataset))}


def profile_names(db: Engine) -> list[str]:
    with db.connect() as conn:
        return list(conn.execute(select(schema.import_profiles.c.name).order_by(schema.import_profiles.c.name))
                    .scalars())


@BACKENDS
def test_without_a_profile_the_file_says_which_columns_need_mapping(db: Engine) -> None:
    before = everything(db)
    with pytest.raises(MappingNeeded) as caught:
        preview(f.long_csv(), LONG, db)
    message = str(caught.value)
    assert message.startswith(f"Fel i {LONG}, rad {f.H}: filen ser ut som SCB, arbetssökandestatistik för "
                              "delområden, men ingen sparad kolumnmappning passar dess rubrikrad. Mappa kolumnerna "
                              "på sidan Importera")
    for column in ("A (Område): Stockholm, Järva stadsdelsområde, Rinkeby …", "B (Kön)", "C (Ålder)", "D (Period)",
                   "E (Öppet arbetslösa)", "F (Sökande i program)", "G (Befolkning)"):
        assert column in message
    assert "--profile NAMN" in message
    assert caught.value.start.mapping.columns[4].measure == OPEN  # the page's form starts from a proposal
    assert everything(db) == before


@BACKENDS
def test_the_long_layout_previews_by_its_mapping_and_writes_nothing(db: Engine) -> None:
    before = everything(db)
    shown = preview(f.long_csv(), LONG, db, mapping=suggested(f.long_csv(), LONG))
    assert everything(db) == before
    assert (shown.format, shown.dataset, shown.recognised) == ("scb_delomraden", "scb_delomraden", False)
    assert shown.unmatched == {"Ej fördelat på delområde": 54}  # listed with its rows, never dropped silently
    areas = set(shown.counts("område"))
    assert {"Stockholms stad (staden)", "Järva (stadsdelsområde)", "Skärholmen (stadsdel)",
            "Farsta strand (stadsdel)"} <= areas and len(areas) == 10
    assert dict(shown.statuses()) == {"färre än 5": 1, "uppgift saknas (prickad)": 1}
    assert shown.parsed.blank_cells == 1
    assert dict(shown.counts("grupp")) == {"16–24 år": 180, "25–64 år": 179, "alla": 180}  # 16–64 is the whole
    assert set(shown.counts("period")) == set(f.PERIODS)
    assert f"Kolumnmappning: ny eller ändrad, sparas som profilen '{PROFILE}' vid importen" in shown.notes
    assert "Områdesnivå: stadsdel (känns igen ur namnen)" in shown.notes
    assert "Teckenkodning: Windows-1252" in shown.notes
    assert (shown.new, shown.replaced, shown.unchanged) == (539, 0, 0)


@BACKENDS
def test_the_import_stores_every_value_and_saves_the_profile(db: Engine) -> None:
    done = commit(preview(f.long_csv(), LONG, db, mapping=suggested(f.long_csv(), LONG)), db,
                  description="SCB, beställning för delområden, levererad 2025-12-01")
    values = stored(db, done.dataset)
    checked = 0
    for area, _written, level, name in f.LONG_AREAS:
        for period in f.PERIODS:
            for gender in GENDERS:
                for age in f.LONG_AGES:
                    group = "alla" if age == "16-64 år" else age.replace("-", "–")
                    for measure, column in zip((OPEN, PROGRAMME, POPULATION), f.MEASURES, strict=True):
                        want = f.expected_long(area, gender, age, period, column)
                        got = values.get((measure, period, name, level, GENDERS[gender], group))
                        if level is None or want is None:
                            assert got is None
                            continue
                        checked += 1
                        if want == "<5":
                            assert got == (None, "under_5", "<5")
                        elif want == "..":
                            assert got == (None, "prickad", "..")
                        elif want == "–":
                            assert got == (0.0, None, "–")
                        else:
                            assert got == (want, None, None), (area, period, gender, age, column)
    assert checked == len(values) == 539
    assert profile_names(db) == [PROFILE]
    with db.connect() as conn:
        (log,) = conn.execute(select(schema.imports)).all()
        measure = conn.execute(select(schema.measures).where(schema.measures.c.measure == OPEN)).one()
    assert f"Kolumnmappning: profilen '{PROFILE}'" in log.note and "Ej fördelat på delområde" in log.note
    assert (log.format, log.rows) == ("scb_delomraden", 539)
    assert measure.population_base == "Befolkningen 16–64 år" and "16–64 år" in measure.definition


@BACKENDS
def test_the_next_file_of_the_same_kind_is_read_by_the_profile_at_once(db: Engine, empty_url: str,
                                                                        tmp_path, monkeypatch, capsys) -> None:  # noqa: ANN001
    from dashboard.__main__ import main

    first = commit(preview(f.long_csv(), LONG, db, mapping=suggested(f.long_csv(), LONG)), db, description="SCB")
    after_first = everything(db)
    again = preview(f.long_csv(), LONG, db)  # the same file: recognised, nothing to change
    assert again.recognised and again.mapping.profile == PROFILE
    assert (again.new, again.replaced, again.unchanged) == (0, 0, first.new)
    assert commit(again, db, description="SCB").import_id is None
    assert everything(db) == after_first
    start = mapping_start(f.long_csv(["2026-03-31"]), "nasta.csv", db)
    assert start.recognised and start.mapping.profile == PROFILE
    path = tmp_path / "arbetssokande_2026-03.csv"
    path.write_bytes(f.long_csv(["2026-03-31"]))
    monkeypatch.setenv("DATABASE_URL", empty_url)
    assert main(["import", str(path), "--yes", "--description", "SCB, våren 2026"]) == 0
    out = capsys.readouterr().out
    assert f"Kolumnmappning: profilen '{PROFILE}' (sparad för samma rubrikrad)" in out
    assert "till data setet scb_delomraden: 270 nya" in out
    assert main(["import", str(path), "--profile", PROFILE, "--dry-run"]) == 0
    assert "Inget att ändra" in capsys.readouterr().out
    assert main(["import", str(path), "--profile", "Finns inte", "--dry-run"]) == 1
    assert f"profilen 'Finns inte' finns inte; sparade profiler: '{PROFILE}'" in capsys.readouterr().err
    wide = tmp_path / WIDE
    wide.write_bytes(f.wide_xlsx())
    assert main(["import", str(wide), "--dry-run"]) == 1
    err = capsys.readouterr().err
    assert "ingen sparad kolumnmappning passar dess rubrikrad" in err and "C (Kvinnor – Öppet arbetslösa)" in err
    assert main(["import", str(wide), "--profile", PROFILE, "--dry-run"]) == 1
    assert f"profilen '{PROFILE}' gäller en annan rubrikrad (Område | Kön |" in capsys.readouterr().err


@BACKENDS
def test_the_wide_layout_reads_kon_from_its_column_groups(db: Engine) -> None:
    commit(preview(f.long_csv(), LONG, db, mapping=suggested(f.long_csv(), LONG)), db, description="SCB")
    shown = preview(f.wide_xlsx(), WIDE, db, mapping=suggested(f.wide_xlsx(), WIDE, "SCB delområden, Nyko"))
    assert "Områdesnivå: stadsdelsområde (känns igen ur namnen)" in shown.notes  # Farsta and Skärholmen too
    assert "Kolumner som inte läses in: A (Nyko): områdeskod (nyko)" in shown.notes
    assert "Blad som inte läses: Teckenförklaring" in shown.notes  # the hidden sheet is not even looked at
    assert not shown.unmatched
    # the long file had Järva and the city on 31 oktober: the same counts, so they are unchanged here
    assert (shown.new, shown.replaced, shown.unchanged) == (72 - 18, 0, 18)
    done = commit(shown, db, description="SCB, Nyko-tabell")
    values = stored(db, done.dataset)
    for area, _code, _written, level, name in f.WIDE_AREAS:
        for gender in f.WIDE_GENDERS:
            for m, measure in enumerate((OPEN, PROGRAMME, POPULATION, SHARE)):
                got = values[(measure, f.WIDE_PERIOD, name, level, GENDERS[gender], "alla")]
                assert got == (f.wide_value(area, gender, m), None, None), (area, gender, measure)
    assert values[(SHARE, "2025-10-31", "Järva", "stadsdelsomrade", "kvinnor", "alla")][0] == 10.8  # not 0,108
    assert profile_names(db) == ["SCB delområden, Nyko", PROFILE]


@BACKENDS
def test_a_stadsdelsomrade_column_over_the_stadsdelar_gives_both_levels(db: Engine) -> None:
    data = f.two_level_xlsx()
    mapping = suggested(data, "tva_nivaer.xlsx", "SCB delområden, två nivåer")
    assert [c.role for c in mapping.columns] == ["stadsdelsområde", "område", "kön", "mått", "mått"]
    assert mapping.area_level == "stadsdel"
    done = commit(preview(data, "tva_nivaer.xlsx", db, mapping=mapping), db, description="SCB")
    values = stored(db, done.dataset)
    want = {(measure, f.TWO_LEVEL_PERIOD, name, level, GENDERS[gender], "alla"):
            (float(f.count(area, gender, "16-64 år", f.TWO_LEVEL_PERIOD, column)), None, None)
            for area, _parent, _name, level, name in f.TWO_LEVEL_AREAS for gender in f.GENDERS
            for measure, column in ((OPEN, "Öppet arbetslösa"), (POPULATION, "Befolkning"))}
    assert values == want  # Farsta and Skärholmen at both levels, each where its column puts it


@BACKENDS
def test_a_figure_never_goes_into_a_measure_of_another_definition(db: Engine) -> None:
    commit(preview(f.long_csv(), LONG, db, mapping=suggested(f.long_csv(), LONG)), db, description="SCB")
    before = everything(db)
    mapping = suggested(f.wide_xlsx(), WIDE, "annan")
    mapping.measures[OPEN] = replace(mapping.measures[OPEN], definition="Arbetslösa enligt en annan räkning.")
    with pytest.raises(IngestError, match=f"måttet '{OPEN}' finns redan med en annan definition"):
        preview(f.wide_xlsx(), WIDE, db, mapping=mapping)
    bundled = suggested(f.wide_xlsx(), WIDE, "inbyggt")
    bundled.measures = {("arbetsloshet_ar2022_andel" if k == SHARE else k): v for k, v in bundled.measures.items()}
    for column in bundled.columns:
        if column.measure == SHARE:
            column.measure = "arbetsloshet_ar2022_andel"
    with pytest.raises(IngestError, match="hör till de inbyggda uppgifterna och kan inte få importerade värden"):
        preview(f.wide_xlsx(), WIDE, db, mapping=bundled)
    assert everything(db) == before


@BACKENDS
def test_areas_only_as_nyko_codes_are_told_and_not_guessed(db: Engine) -> None:
    data = f.to_bytes(f.wide_book(names=False))
    mapping = suggested(data, "koder.xlsx")
    assert mapping.columns[0].role == "kod"
    with pytest.raises(IngestError, match="kolumnen A \\(Nyko\\) har bara områdeskoder \\(Nyko\\), och projektet har "
                                          "inga koder för stadens områden"):
        preview(data, "koder.xlsx", db, mapping=mapping)
    mapping.columns[0].role = "område"  # the codes as area names: nothing matches, and the message says why
    with pytest.raises(IngestError, match="okända: 9000, 9001, .*områdena är bara koder"):
        preview(data, "koder.xlsx", db, mapping=mapping)


@BACKENDS
def test_a_profile_name_is_not_taken_from_another_header(db: Engine) -> None:
    commit(preview(f.long_csv(), LONG, db, mapping=suggested(f.long_csv(), LONG)), db, description="SCB")
    before = everything(db)
    shown = preview(f.wide_xlsx(), WIDE, db, mapping=suggested(f.wide_xlsx(), WIDE, PROFILE))
    with pytest.raises(IngestError, match=f"profilen '{PROFILE}' finns redan för en annan rubrikrad"):
        commit(shown, db, description="SCB")
    assert everything(db) == before  # neither the values nor the profile


@BACKENDS
def test_profiles_survive_a_rebuild_and_an_old_database_gets_the_table(db: Engine, empty_url: str) -> None:
    commit(preview(f.long_csv(), LONG, db, mapping=suggested(f.long_csv(), LONG)), db, description="SCB")
    build_db(empty_url, include_demo=False)
    assert profile_names(db) == [PROFILE]
    assert preview(f.long_csv(), LONG, db).recognised
    from dashboard.db.upgrade import upgrade

    with db.begin() as conn:  # a database of the version before profiles: every column, no profile table
        conn.execute(text("DROP TABLE import_profiles"))
    with db.connect() as conn:
        assert mapping_start(f.long_csv(), LONG, db).recognised is False  # reading creates nothing
        assert not db.dialect.has_table(conn, "import_profiles")
    with db.begin() as conn:
        assert upgrade(conn) == ["import_profiles"]
    with db.begin() as conn:
        assert upgrade(conn) == []
    assert profile_names(db) == []


@BACKENDS
def test_the_release_before_imports_is_upgraded_with_the_profile_table(empty_url: str) -> None:
    from dashboard.db.upgrade import upgrade

    old = base._old_release_database(empty_url)
    with old.begin() as conn:
        done = upgrade(conn)
    assert "provenance" in " ".join(done)  # the old columns were added, and create_all made the new tables
    with old.connect() as conn:
        assert old.dialect.has_table(conn, "import_profiles")
        assert conn.execute(select(func.count()).select_from(schema.import_profiles)).scalar() == 0


@BACKENDS
@pytest.mark.parametrize("name", list(f.BROKEN))
def test_a_broken_scb_file_gets_its_swedish_message_and_writes_nothing(db: Engine, name: str) -> None:
    file_name, make, message = f.BROKEN[name]
    good = f.long_csv() if file_name.endswith(".csv") else f.wide_xlsx()
    mapping = suggested(good, file_name)
    before = everything(db)
    with pytest.raises(IngestError) as caught:
        preview(make(), file_name, db, mapping=mapping)
    assert str(caught.value) in (f"Fel i {file_name}, {message}", f"Fel i {file_name}: {message}")
    assert everything(db) == before


@BACKENDS
def test_a_mapping_must_say_what_it_reads(db: Engine) -> None:
    mapping = suggested(f.long_csv(), LONG)
    mapping.columns[0].role = ""
    with pytest.raises(IngestError, match="kolumnmappningen duger inte: ingen kolumn är mappad som område"):
        preview(f.long_csv(), LONG, db, mapping=mapping)
    mapping = suggested(f.long_csv(), LONG)
    mapping.columns[3].role = "kön"
    with pytest.raises(IngestError, match="flera kolumner är mappade som kön \\(B \\(Kön\\), D \\(Period\\)\\)"):
        preview(f.long_csv(), LONG, db, mapping=mapping)
    mapping = suggested(f.long_csv(), LONG)
    mapping.measures[OPEN] = MeasureDef(name="Andel", definition="En andel.", unit="procent")
    with pytest.raises(IngestError, match=f"måttet '{OPEN}' är en andel men saknar befolkningsbas"):
        preview(f.long_csv(), LONG, db, mapping=mapping)


def test_the_area_names_are_matched_at_the_level_of_their_column() -> None:
    from dashboard.ingest.areas import AreaIndex

    index = AreaIndex([(1, "Farsta", "stadsdel", "FARSTA"), (2, "Farsta", "stadsdelsomrade", None),
                       (3, "Järva", "stadsdelsomrade", None), (4, "Stockholms stad", "stad", None),
                       (5, "Ulvsunda industriområde", "stadsdel", "ULVSUNDA INDUSTRIOMR"),
                       (6, "Hägersten-Älvsjö", "stadsdelsomrade", None), (7, "Rinkeby", "stadsdel", "RINKEBY")])
    assert index.match("Farsta", "stadsdel")[0] == 1 and index.match("Farsta", "stadsdelsomrade")[0] == 2
    assert index.match("Farsta sdo", "stadsdel")[0] == 2 and index.match("FARSTA STADSDELSOMRÅDE", "stadsdel")[0] == 2
    assert index.match("Järva", "stadsdel")[0] == 3  # only a stadsdelsområde
    assert index.match("ULVSUNDA INDUSTRIOMR", "stadsdel")[0] == 5
    assert index.match("Hägersten – Älvsjö", "stadsdelsomrade")[0] == 6
    assert index.match("9101 Rinkeby", "stadsdel")[0] == 7 and index.match("Rinkeby (9101)", "stadsdel")[0] == 7
    assert index.match("9101", "stadsdel") is None and index.match("Hjulsta", "stadsdel") is None
    assert index.match("Stockholm totalt", "stadsdel")[0] == 4
    assert index.resolve(["Farsta", "Rinkeby", "RINKEBY"]) == "stadsdel"
    assert index.resolve(["Farsta", "Järva"]) == "stadsdelsomrade"


def test_periods_and_ages_as_the_tables_write_them() -> None:
    from dashboard.ingest import table

    assert table.period_of("31 mars 2025") == "2025-03-31" and table.period_of("per 31 okt. 2025") == "2025-10-31"
    assert table.period_of("2025-10-31") == "2025-10-31" and table.period_of("2025M03") == "2025-03"
    assert table.period_of("mars 2025") == "2025-03" and table.period_of("31 februari 2025") is None
    assert table.dates_in("Befolkning per 31 oktober 2025 (uttag 2026-01-15)") == ["2025-10-31", "2026-01-15"]
    assert reader.age_of("16 - 24 år") == ("16–24 år", (16, 24), False)
    assert reader.age_of("Totalt 16–64 år") == ("alla", (16, 64), True)
    assert reader.age_of("Samtliga") == ("alla", None, True) and reader.age_of("unga") is None
    assert table.signature(["Område", "31 mars 2025"]) == table.signature(["Område", "31 mars 2026"])
