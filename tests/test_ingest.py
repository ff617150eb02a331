"""Importing Arbetsförmedlingen's monthly files: preview, write, idempotence, rebuild, upgrade, broken files.

Each backend gets its own small database (built without the demo data), so rebuilding it here never disturbs
the session's shared test database.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Connection, Engine, MetaData, Table, create_engine, func, insert, select, text

from dashboard.db import schema
from dashboard.db.build import build_db
from dashboard.ingest import IngestError, commit, preview
from dashboard.ingest.af import band
from dashboard.ingest.load import LoadError
from queries.db import engine as make_engine
from queries.observations import observations_of
from tests import fixtures_af as af
from tests import fixtures_jsonstat as js
from tests.conftest import IN_CI, POSTGRES_ADMIN_URL, _postgres_ready

FILE = "arbetslosa_kommun_2026-08.xlsx"
KNOWN = ["Riket", "Solna", "Stockholms län", "Stockholms stad"]


def _new_postgres(name: str) -> str:
    problem = _postgres_ready()
    if problem:
        if IN_CI:
            pytest.fail(problem)
        pytest.skip(problem)
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"


def _drop_postgres(name: str, url: str) -> None:
    make_engine(url).dispose()
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def empty_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:  # noqa: ANN001
    """A database with no tables, SQLite or PostgreSQL (the test's `backend` parameter)."""
    import os

    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ingest.sqlite'}"
        return
    name = f"dashboard_ingest_{os.getpid()}"
    url = _new_postgres(name)
    yield url
    _drop_postgres(name, url)


BACKENDS = pytest.mark.parametrize("empty_url", ["sqlite", "postgresql"], indirect=True)


@pytest.fixture
def db(empty_url: str) -> Engine:
    build_db(empty_url, include_demo=False)
    return make_engine(empty_url)


def _rows(conn: Connection, table: Table) -> bytes:
    return repr(sorted(map(repr, conn.execute(select(table)).all()))).encode()


def checksum(db: Engine) -> str:
    """Everything an import or a rebuild could touch, as one digest."""
    digest = hashlib.sha256()
    with db.connect() as conn:
        for table in (schema.observations, schema.datasets, schema.measures, schema.sources, schema.areas):
            digest.update(_rows(conn, table))
        if db.dialect.has_table(conn, "imports"):
            digest.update(repr(conn.execute(select(func.count()).select_from(schema.imports)).scalar()).encode())
    return digest.hexdigest()


def table_checksums(db: Engine) -> dict[str, str]:
    """Every table the database holds (read from the database, not the schema), each as a digest of its rows."""
    with db.connect() as conn:
        tables = MetaData()
        tables.reflect(conn)
        return {name: hashlib.sha256(_rows(conn, table)).hexdigest() for name, table in tables.tables.items()}


def imported(db: Engine, dataset: str) -> dict[tuple, tuple]:
    o, a = schema.observations, schema.areas
    with db.connect() as conn:
        return {(r.measure, r.period, r.name, r.gender): (r.value, r.status, r.printed, r.area_id)
                for r in conn.execute(select(o.c.measure, o.c.period, a.c.name, a.c.area_id, o.c.gender, o.c.value,
                                             o.c.status, o.c.printed)
                                      .join(a, a.c.area_id == o.c.area_id).where(o.c.dataset == dataset))}


def _expected_measure(period: str, column: int) -> str:
    base = ["af_arbetslosa", "af_utan_arbete_6_man", "af_utan_arbete_12_man", "af_utan_arbete_24_man"][column]
    return f"{base}_{band(period)[0]}"


@BACKENDS
def test_preview_counts_everything_and_writes_nothing(db: Engine) -> None:
    before = checksum(db)
    shown = preview(af.af_file(), FILE, db)
    assert checksum(db) == before
    assert (shown.format, shown.dataset, shown.dataset_exists) == ("af_manad", "af_arbetslosa_kommun_2026_08", False)
    assert shown.parsed.sheets == ["Total", "Kön"]  # the hidden sheet is not read
    values = len(af.PERIODS) * len(KNOWN) * 3 * 4 - 1  # one cell is blank
    assert (shown.new, shown.replaced, shown.unchanged) == (values, 0, 0)
    assert shown.unmatched == {"Uppgift saknas": 72}  # never dropped silently
    assert sorted(shown.counts("område")) == KNOWN
    assert dict(shown.counts("kön")) == {"totalt": 95, "kvinnor": 96, "män": 96}
    assert len(shown.counts("measure")) == 12 and len(shown.counts("period")) == len(af.PERIODS)
    assert dict(shown.statuses()) == {"färre än 5": 1, "uppgift saknas (prickad)": 1}
    assert shown.parsed.blank_cells == 1


@BACKENDS
def test_import_stores_every_value_in_its_age_band_and_logs_it(db: Engine) -> None:
    data = af.af_file()
    done = commit(preview(data, FILE, db), db, description="Arbetsförmedlingens webbplats, 2026-09-15")
    assert done.import_id is not None
    stored = imported(db, done.dataset)
    for period in af.PERIODS:
        for area in KNOWN:
            for gender in ("totalt", "kvinnor", "män"):
                for column in range(4):
                    want = af.expected(period, area, gender, column)
                    got = stored.get((_expected_measure(period, column), period, area, gender))
                    if want is None:
                        assert got is None
                    elif want == "<5":
                        assert got[:3] == (None, "under_5", "<5")
                    elif want == "..":
                        assert got[:3] == (None, "prickad", "..")
                    else:
                        assert got[:2] == (want, None), (period, area, gender, column)
    # 16–64 until 2022, 16–65 for 2023–2025, 16–66 from 2026: never one series across the change
    bands = {(m[-5:], p[:4]) for m, p, *_ in stored}
    assert bands == {("16_64", "2022"), ("16_65", "2023"), ("16_65", "2025"), ("16_66", "2026")}
    with db.connect() as conn:
        (log,) = conn.execute(select(schema.imports)).all()
    assert (log.file_name, log.sha256, log.format, log.dataset) == (
        FILE, hashlib.sha256(data).hexdigest(), "af_manad", done.dataset)
    assert (log.rows, log.new_rows, log.imported_by) == (len(stored), len(stored), "lokal användare")
    assert log.description == "Arbetsförmedlingens webbplats, 2026-09-15" and log.content == data
    assert "Uppgift saknas" in log.note and "Solna" not in log.note


@BACKENDS
def test_importing_the_same_file_twice_changes_nothing(db: Engine) -> None:
    data = af.af_file()
    first = commit(preview(data, FILE, db), db, description="AF")
    after_first = checksum(db)
    again = preview(data, FILE, db)
    assert (again.new, again.replaced, again.unchanged) == (0, 0, first.new)
    assert [e["import_id"] for e in again.earlier_imports] == [first.import_id]
    assert commit(again, db, description="AF").import_id is None
    assert checksum(db) == after_first


@BACKENDS
def test_a_changed_value_replaces_only_that_value(db: Engine) -> None:
    commit(preview(af.af_file(), FILE, db), db, description="AF")
    book = af.workbook()
    book["Total"].cell(af.TOTAL_FIRST + 1, 5).value = 1  # Stockholm, totalt, the first period
    shown = preview(af.to_bytes(book), FILE, db)
    assert (shown.new, shown.replaced) == (0, 1)
    commit(shown, db, description="AF, rättad")
    stored = imported(db, shown.dataset)
    assert stored[("af_arbetslosa_16_64", af.PERIODS[0], "Stockholms stad", "totalt")][:2] == (1.0, None)


@BACKENDS
def test_a_rebuild_keeps_imported_values_and_their_areas(db: Engine, empty_url: str) -> None:
    done = commit(preview(af.af_file(), FILE, db), db, description="AF")
    before = imported(db, done.dataset)
    build_db(empty_url, include_demo=False)  # what build-db and scripts/start.sh do
    assert imported(db, done.dataset) == before  # same values, same area_ids
    with db.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.imports)).scalar() == 1
    shown = observations_of("af_utan_arbete_24_man_16_66", dataset=done.dataset, area_names=["Stockholms stad"],
                            engine=db)
    assert len(shown) == 2 * 3 and set(shown["status"].dropna()) == {"under_5"}
    assert preview(af.af_file(), FILE, db).unchanged == len(before)


@BACKENDS
def test_a_failed_write_writes_nothing(db: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    shown = preview(af.af_file(), FILE, db)
    before = checksum(db)
    shown.rows[-1]["measure"] = "finns_inte"  # breaks a foreign key at the end of the write
    monkeypatch.setattr("dashboard.ingest.route._classify", lambda conn, p: None)
    with pytest.raises(Exception):  # noqa: B017 - the database's own integrity error
        commit(shown, db, description="AF")
    assert checksum(db) == before


@BACKENDS
@pytest.mark.parametrize("name", list(af.BROKEN))
def test_a_broken_file_gets_its_swedish_message_and_writes_nothing(db: Engine, name: str) -> None:
    make, message = af.BROKEN[name]
    before = checksum(db)
    with pytest.raises(IngestError) as caught:
        preview(make(), "trasig.xlsx", db)
    assert str(caught.value) in (f"Fel i trasig.xlsx, {message}", f"Fel i trasig.xlsx: {message}")
    assert isinstance(caught.value, LoadError)
    assert checksum(db) == before


@BACKENDS
def test_names_that_are_not_the_imports_own_are_refused(db: Engine) -> None:
    with pytest.raises(IngestError, match="hör till de inbyggda uppgifterna i data/"):
        preview(af.af_file(), FILE, db, dataset="ar2022_kaa")
    with pytest.raises(IngestError, match="duger inte som namn"):
        preview(af.af_file(), FILE, db, dataset="Mitt data set")
    with pytest.raises(IngestError, match="filtypen 'pdf' finns inte"):
        preview(af.af_file(), FILE, db, format="pdf")
    with pytest.raises(IngestError, match="beskriv varifrån filen kommer"):
        commit(preview(af.af_file(), FILE, db, dataset="af_x"), db, description="  ")
    with db.begin() as conn:  # a measure of the same id but another definition, from an earlier import
        conn.execute(insert(schema.measures).values(measure="af_arbetslosa_16_66", name="x", definition="annan",
                                                    unit="antal", provenance="import"))
    with pytest.raises(IngestError, match="finns redan med en annan definition"):
        preview(af.af_file(), FILE, db)


def _old_release_database(url: str):  # noqa: ANN202
    """A database as the release before imports built it (tests/schema_before_import.py), with one observation."""
    from tests import schema_before_import as old

    db = make_engine(url, create=True)
    old.metadata.create_all(db)
    with db.begin() as conn:
        conn.execute(insert(old.sources).values(source="s", kind="fil", title="t"))
        conn.execute(insert(old.datasets).values(dataset="d", title="t", is_demo=False, origin="o"))
        conn.execute(insert(old.areas).values(name="Stockholms stad", level="stad"))
        conn.execute(insert(old.measures).values(measure="m", name="m", unit="antal"))
        conn.execute(insert(old.observations).values(
            dataset="d", measure="m", period="2022", period_start=date(2022, 1, 1), period_end=date(2022, 12, 31),
            area_id=1, gender="totalt", population_group="alla", value=7.0, unit="antal", kind="utfall",
            source="s", source_location="rad 1"))
    return db


@BACKENDS
def test_an_older_database_is_upgraded_without_losing_anything(empty_url: str) -> None:
    from dashboard.db.upgrade import upgrade

    db = _old_release_database(empty_url)
    with pytest.raises(IngestError, match="byggd av en äldre version; kör python -m dashboard build-db"):
        preview(af.af_file(), FILE, db)  # a preview only reads: it asks for the upgrade
    with db.begin() as conn:
        assert upgrade(conn)
    with db.connect() as conn:
        (row,) = conn.execute(select(schema.observations)).all()
        assert (row.value, row.status, row.area_id) == (7.0, None, 1)
        assert conn.execute(select(schema.datasets.c.provenance)).scalar() == "bundle"
        assert conn.execute(select(schema.measures.c.provenance)).scalar() == "bundle"
    with db.begin() as conn:
        assert upgrade(conn) == []  # nothing more to do
    build_db(empty_url, include_demo=False)  # the old rows were bundled data: replaced by data/
    done = commit(preview(af.af_file(), FILE, db), db, description="AF")
    assert imported(db, done.dataset)


@BACKENDS
def test_the_command_line_previews_asks_and_imports(db: Engine, empty_url: str, tmp_path,  # noqa: ANN001
                                                    monkeypatch: pytest.MonkeyPatch, capsys) -> None:  # noqa: ANN001
    from dashboard.__main__ import main

    path = tmp_path / FILE
    path.write_bytes(af.af_file())
    monkeypatch.setenv("DATABASE_URL", empty_url)
    before = checksum(db)
    assert main(["import", str(path), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Filtyp: Arbetsförmedlingen" in out and "Uppgift saknas: 72 rader" in out and "Inget skrevs (--dry-run)." in out
    answers = iter(["AF:s webbplats", "n"])
    monkeypatch.setattr("builtins.input", lambda prompt: next(answers))
    assert main(["import", str(path)]) == 1
    assert "Avbrutet: inget skrevs." in capsys.readouterr().out
    assert checksum(db) == before
    assert main(["import", str(path), "--yes", "--dataset", "af_cli", "--description", "AF"]) == 0
    assert "till data setet af_cli: 287 nya" in capsys.readouterr().out
    assert main(["import", str(tmp_path / "finns_inte.xlsx")]) == 1
    assert "Fel i finns_inte.xlsx: filen kan inte läsas" in capsys.readouterr().err


@BACKENDS
def test_removing_a_data_set_leaves_no_trace_and_names_the_decks_first(db: Engine) -> None:
    from dashboard.db import decks
    from dashboard.ingest.remove import impact, remove_dataset
    from queries.coverage import datasets_overview

    before = checksum(db)
    done = commit(preview(af.af_file(), FILE, db), db, description="AF")
    deck = decks.create_deck("Nämnden december", db)
    decks.add_slide(deck, "karta", {"matt": "af_arbetslosa_16_66", "kon": "kvinnor"}, "Arbetslösa", db)
    decks.add_slide(decks.create_deck("Annat", db), "kaa", {"kon": "totalt"}, "KAA", db)
    told = impact(done.dataset, db)
    assert (told.rows, told.decks, len(told.measures)) == (done.new, ["Nämnden december"], 12)
    assert checksum(db) != before
    removed = remove_dataset(done.dataset, db)
    assert removed.decks == ["Nämnden december"] and removed.rows == done.new
    assert observations_of(dataset=done.dataset, engine=db).empty
    assert done.dataset not in set(datasets_overview(db)["dataset"])
    with db.connect() as conn:
        assert conn.execute(select(func.count()).select_from(schema.imports)).scalar() == 1  # the log stays
    with db.begin() as conn:  # the log and the decks aside, the database is as before the import
        conn.execute(schema.imports.delete())
    assert checksum(db) == before
    with pytest.raises(IngestError, match="hör till de inbyggda uppgifterna"):
        remove_dataset("ar2022_kaa", db)


# ------------------------------------------------------------------------------------------- PxWeb JSON-stat 2
@BACKENDS
def test_a_pxweb_jsonstat_table_imports_with_its_status_and_units(db: Engine) -> None:

    shown = preview(js.jsonstat_file(), "am0210a.json", db)
    assert (shown.format, shown.dataset) == ("pxweb_jsonstat2", "scb_am0210a")
    assert shown.unmatched == {}  # Solna is a kommun the project knows
    assert dict(shown.counts("grupp")) == {"16-24 år": 72, "25-64 år": 72}
    done = commit(shown, db, description="SCB:s API, tabell AM0210A, sparad 2026-10-15")
    stored = observations_of(dataset=done.dataset, engine=db)
    assert len(stored) == 144
    areas = {"Riket": "00", "Stockholms län": "01", "Stockholms stad": "0180", "Solna": "0184"}
    genders = {v: k for k, v in js.GENDERS.items()}
    ages = {v: k for k, v in js.AGES.items()}
    for row in stored.itertuples():
        content = "AM0210A1" if row.measure.endswith("a1") else "AM0210A2"
        month = row.period.replace("-", "M")
        want = js.value(areas[row.area], genders[row.gender], ages[row.group], content, month)
        assert row.unit == ("antal" if content == "AM0210A1" else "procent")
        if want is None:
            assert (row.status, row.printed) == ("prickad", "..") and row.value != row.value  # NaN
        else:
            assert row.value == want and not isinstance(row.status, str)
    assert preview(js.jsonstat_file(), "am0210a.json", db).unchanged == 144


@BACKENDS
@pytest.mark.parametrize("name", list(js.BROKEN))
def test_a_broken_jsonstat_file_gets_its_swedish_message_and_writes_nothing(db: Engine, name: str) -> None:

    make, message = js.BROKEN[name]
    before = checksum(db)
    with pytest.raises(IngestError) as caught:
        preview(make(), "scb.json", db)
    assert str(caught.value).startswith("Fel i scb.json") and str(caught.value).endswith(message)
    assert checksum(db) == before


def test_an_interrupted_sqlite_copy_is_finished(tmp_path) -> None:  # noqa: ANN001
    """SQLite commits DDL at once: a crash after renaming the old table must not strand its rows."""
    from dashboard.db.upgrade import OLD, upgrade

    db = _old_release_database(f"sqlite:///{tmp_path / 'avbruten.sqlite'}")
    with db.begin() as conn:
        conn.execute(text(f"ALTER TABLE observations RENAME TO {OLD}"))  # where the crash left it
    with db.begin() as conn:
        upgrade(conn)
    with db.connect() as conn:
        assert [r.value for r in conn.execute(select(schema.observations))] == [7.0]
        assert not db.dialect.has_table(conn, OLD)
