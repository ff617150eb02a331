"""Importing the case systems' extracts (KAA, Jobbtorg, Stockholmsjobb): round trip to the funnel queries, the
privacy guard (nothing written), pseudonyms, idempotence, unknown stadsdelar and a rebuild that keeps the import.
Both databases, each test on its own small database built without the demo data."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import Engine, func, select

from dashboard.db import individ_schema as ischema
from dashboard.db import schema
from dashboard.db.build import build_db
from dashboard.ingest import IngestError, commit, preview
from dashboard.ingest.privacy import is_personnummer
from queries import individ as q
from tests import fixtures_individ as fx
from tests import test_ingest

BACKENDS = test_ingest.BACKENDS
empty_url, db = test_ingest.empty_url, test_ingest.db  # the fixtures: a database built without the demo

TABLES = [schema.datasets, schema.imports, *ischema.TABLES, ischema.skyddat, ischema.nyckel]


def checksum(db: Engine) -> str:
    """Every table an individual-level import could touch, as one digest."""
    digest = hashlib.sha256()
    with db.connect() as conn:
        for table in TABLES:
            if db.dialect.has_table(conn, table.name):
                digest.update(table.name.encode())
                digest.update(repr(sorted(map(repr, conn.execute(select(table)).all()))).encode())
    return digest.hexdigest()


def count(db: Engine, table) -> int:  # noqa: ANN001
    with db.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar())


def imp(db: Engine, data: bytes, name: str):  # noqa: ANN201
    return commit(preview(data, name, db), db, description="Uttag ur verksamhetssystemet, test")


FORMATS = {"kaa.csv (semikolon)": ("kaa", lambda: fx.kaa_csv()),
           "kaa.csv (komma, utan BOM)": ("kaa", lambda: fx.kaa_csv(sep=",", bom=False)),
           "kaa.xlsx (Excel-datum)": ("kaa", lambda: fx.kaa_xlsx()),
           "kaa.xlsx (datum som text)": ("kaa", lambda: fx.kaa_xlsx(excel_dates=False)),
           "jobbtorg.csv": ("jobbtorg", lambda: fx.jobbtorg_csv()),
           "jobbtorg.xlsx": ("jobbtorg", lambda: fx.jobbtorg_xlsx()),
           "stockholmsjobb.csv": ("stockholmsjobb", lambda: fx.sj_csv(sep=",")),
           "stockholmsjobb.xlsx": ("stockholmsjobb", lambda: fx.sj_xlsx())}


@BACKENDS
@pytest.mark.parametrize("name", list(FORMATS))
def test_a_format_round_trips_to_the_funnel_queries(db: Engine, name: str) -> None:
    register, make = FORMATS[name]
    shown = preview(make(), name.split(" ")[0], db)
    assert shown.format == f"individ_{register}" and shown.refusal is None and shown.unmatched == {}
    done = commit(shown, db, description="test")
    assert done.import_id is not None and done.protected_cells > 0
    city = lambda frame, g: frame[frame["gender"] == g].iloc[0]  # noqa: E731
    if register == "kaa":
        funnel = q.kaa_funnel(years=[fx.YEAR], dataset=done.dataset, engine=db)
        for gender, want in fx.kaa_expected().items():
            got = city(funnel, gender)
            for step in q.KAA_COUNTS:
                assert got[step] == want[step], (gender, step)
        shown_funnel = q.protected_levels("kaa", fx.YEAR, dataset=done.dataset, engine=db)
        assert set(shown_funnel["level"]) == {"stad", "stadsdelsomrade", "fokusomrade"}
    elif register == "jobbtorg":
        flows = q.jobbtorg_flows(years=[fx.YEAR], dataset=done.dataset, engine=db)
        got = flows.groupby("malgrupp")[["startade", "avslutade", "arbete", "studier", "annat"]].sum()
        for (group, what), n in fx.jobbtorg_expected().items():
            assert got.loc[group, what] == n, (group, what)
        assert got["startade"].sum() == len(fx.jobbtorg_rows())
    else:
        outcomes = q.stockholmsjobb_outcomes(years=[fx.YEAR - 1, fx.YEAR], dataset=done.dataset, engine=db)
        rows = fx.sj_rows()
        assert outcomes["startade"].sum() == len(rows)
        nämnden = sum(r[5] == "Arbetsmarknadsnämnden" for r in rows if r[2].year == fx.YEAR)
        assert outcomes[outcomes["year"] == fx.YEAR]["finansierade_namnden"].sum() >= nämnden
        assert count(db, ischema.stockholmsjobb) == len(rows)


@BACKENDS
@pytest.mark.parametrize("kind", list(fx.IDENTIFYING))
def test_an_identifying_file_is_refused_and_nothing_is_written(db: Engine, kind: str) -> None:
    header, rows, line = fx.identifying_kaa(kind)
    column, values, _row, what = fx.IDENTIFYING[kind]
    before = checksum(db)
    with pytest.raises(IngestError) as caught:
        preview(fx.csv_bytes(header, rows), "kaa_uttag.csv", db)
    message = str(caught.value)
    assert message.startswith("Fel i kaa_uttag.csv, ") and f"rad {line}," in message, message
    assert f"({column})" in message and what in message, message
    secret = [str(c) for r in rows for c in r if c and (is_personnummer(str(c), plain_ten=True) or "@" in str(c)
                                                         or str(c)[:1].isdigit() and " " in str(c))]
    for value in [*(v for v in values or [] if v), *secret]:
        assert value not in message  # the value itself is never echoed
    assert checksum(db) == before


@BACKENDS
def test_the_guard_names_the_sheet_and_looks_at_every_sheet(db: Engine) -> None:
    data = fx.kaa_xlsx(extra_sheets={"Kontakter": [["Löpnr", "Telefon"], ["1", ""]]})
    before = checksum(db)
    with pytest.raises(IngestError, match=r"Fel i kaa\.xlsx, blad 'Kontakter', rad 1, kolumn B \(Telefon\): "
                                          "kolumnen heter som en kolumn med telefonnummer"):
        preview(data, "kaa.xlsx", db)
    header, rows = fx.with_column(fx.KAA_HEADER, fx.kaa_rows(8), "Postnummer", ["163 55"], at=4)
    with pytest.raises(IngestError, match="blad 'Uttag', rad 4, kolumn E \\(Postnummer\\): filen har postnummer.*"
                                          "kolumn Stadsdel i stället"):
        preview(fx.xlsx_bytes(header, rows, title="KAA"), "kaa.xlsx", db)
    assert checksum(db) == before


@BACKENDS
def test_the_command_line_refuses_an_identifying_file_and_writes_nothing(db: Engine, empty_url: str,
                                                                          tmp_path, monkeypatch, capsys) -> None:  # noqa: ANN001
    from dashboard.__main__ import main

    header, rows, _line = fx.identifying_kaa("kolumnen Namn")
    path = tmp_path / "kaa.csv"
    path.write_bytes(fx.csv_bytes(header, rows))
    monkeypatch.setenv("DATABASE_URL", empty_url)
    before = checksum(db)
    assert main(["import", str(path), "--yes", "--description", "test"]) == 1
    assert "kolumnen heter som en kolumn med namn" in capsys.readouterr().err
    assert checksum(db) == before
    path.write_bytes(fx.kaa_csv())
    assert main(["import", str(path), "--yes", "--description", "test"]) == 0
    out = capsys.readouterr().out
    assert "60 nya" in out and "Skyddade tabeller för Uppföljning per område beräknade igen" in out


@BACKENDS
def test_pseudonyms_are_stable_across_files_and_the_case_systems_id_is_not_stored(db: Engine) -> None:
    imp(db, fx.kaa_csv(), "kaa.csv")
    imp(db, fx.jobbtorg_xlsx(), "jobbtorg.xlsx")
    raw = {r[0] for r in fx.kaa_rows()} | {r[0] for r in fx.jobbtorg_rows()}
    assert count(db, ischema.personer) == len(raw)  # the KAA målgrupp's people are the KAA file's
    kaa_people = {r.person_id for r in _rows(db, ischema.kaa)}
    jt_kaa = {r.person_id for r in _rows(db, ischema.jobbtorg) if r.malgrupp == "KAA 16-19 år"}
    assert jt_kaa and jt_kaa <= kaa_people
    stored = [str(v) for table in [*TABLES, schema.sources, schema.observations] for r in _rows(db, table)
              for v in r if v is not None]
    for value in stored:
        for identifier in raw:
            assert identifier not in value
    assert all(r.content == b"" for r in _rows(db, schema.imports))  # the file is not kept either


def _rows(db: Engine, table) -> list:  # noqa: ANN001
    with db.connect() as conn:
        return conn.execute(select(table)).all()


@BACKENDS
def test_importing_twice_changes_nothing_and_a_later_extract_replaces_rows(db: Engine) -> None:
    first = imp(db, fx.kaa_csv(), "kaa.csv")
    after = checksum(db)
    again = preview(fx.kaa_xlsx(), "kaa.xlsx", db)  # the same rows as Excel
    assert (again.new, again.replaced, again.unchanged) == (0, 0, first.new)
    assert commit(again, db, description="igen").import_id is None
    assert checksum(db) == after
    rows = fx.kaa_rows()
    rows[3][8], rows[3][9], rows[3][10] = "Ja", "Studier", "Studier"  # inskriven, now avslutad
    assert rows[3][7] == "Ja"
    later = preview(fx.kaa_csv(rows), "kaa_senare.csv", db)
    assert (later.new, later.replaced) == (0, 1)
    commit(later, db, description="senare uttag")
    assert count(db, ischema.kaa) == len(rows)


@BACKENDS
def test_an_unknown_stadsdel_is_listed_and_the_import_refused(db: Engine) -> None:
    rows = fx.kaa_rows()
    for r in rows[:3]:
        r[3] = "Rinkeby-Kista"  # a stadsdelsområde, not a stadsdel
    shown = preview(fx.kaa_csv(rows), "kaa.csv", db)
    assert shown.unmatched == {"Rinkeby-Kista": 3}
    assert "inte finns bland stadens stadsdelar" in shown.refusal
    before = checksum(db)
    with pytest.raises(IngestError, match="3 rader har en stadsdel som inte finns"):
        commit(shown, db, description="test")
    assert checksum(db) == before


@BACKENDS
def test_a_rebuild_keeps_the_imported_individual_data(db: Engine, empty_url: str) -> None:
    done = imp(db, fx.kaa_csv(), "kaa.csv")
    imp(db, fx.jobbtorg_csv(), "jobbtorg.csv")
    before = {t.name: sorted(map(repr, _rows(db, t))) for t in ischema.TABLES}
    protected = q.protected_levels("kaa", fx.YEAR, dataset=done.dataset, engine=db)
    build_db(empty_url, include_demo=False)
    assert {t.name: sorted(map(repr, _rows(db, t))) for t in ischema.TABLES} == before
    assert q.protected_levels("kaa", fx.YEAR, dataset=done.dataset, engine=db).equals(protected)
    assert preview(fx.kaa_csv(), "kaa.csv", db).unchanged == len(fx.kaa_rows())  # same key, same pseudonyms


def test_personnummer_need_a_valid_date_and_check_digit() -> None:
    good = fx.pnr("850101", "123")
    assert is_personnummer(good) and is_personnummer("19" + good) and is_personnummer("19" + good.replace("-", ""))
    assert not is_personnummer(good[:-1] + str((int(good[-1]) + 1) % 10))  # wrong check digit
    assert not is_personnummer(fx.pnr("851301", "123"))  # month 13
    assert is_personnummer(fx.pnr("850161", "123"))  # samordningsnummer: day + 60
    assert not is_personnummer(good.replace("-", "")) and is_personnummer(good.replace("-", ""), plain_ten=True)



@BACKENDS
def test_the_follow_up_page_shows_the_imported_data_set(db: Engine, empty_url: str, monkeypatch) -> None:  # noqa: ANN001
    from tests.apptest import open_app
    from tests.conftest import clear_streamlit_caches

    for data, name in ((fx.kaa_csv(), "kaa.csv"), (fx.jobbtorg_csv(), "jobbtorg.csv"), (fx.sj_csv(), "sj.csv")):
        imp(db, data, name)
    monkeypatch.setenv("DATABASE_URL", empty_url)
    clear_streamlit_caches()
    try:
        at = open_app("pages/omraden.py", timeout=300)
        assert not at.exception
        text = " ".join(str(e.value) for kind in ("markdown", "info", "caption", "error") for e in at.get(kind))
        assert "inlästa från verksamhetssystemens uttag" in text and "Demodata" not in text
        (years,) = [s for s in at.selectbox if s.label == "År"]
        spells = [(r[2], r[3]) for r in fx.jobbtorg_rows()] + [(r[2], r[3]) for r in fx.sj_rows()]
        wanted = sorted({str(fx.YEAR)} | {str(d.year) for pair in spells for d in pair if d})  # every spell's years
        assert (years.options, years.value) == (wanted, wanted[-1]) and len(wanted) > 1  # the latest by default
        assert not [s for s in at.selectbox if s.label == "Data set"]  # only one data set: no choice to make
        assert at.dataframe  # the protected tables are drawn
    finally:
        clear_streamlit_caches()
