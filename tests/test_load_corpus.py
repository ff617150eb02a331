"""A corpus of corrupted copies of data/ through `python -m dashboard build-db`, on SQLite and PostgreSQL.

Each kind of corruption must be refused with a Swedish message naming the file, the row (header = rad 1)
and the column where that is meaningful, and the database must be exactly as it was.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, select, text

from dashboard.__main__ import main
from dashboard.core import config
from dashboard.db.schema import metadata
from tests.conftest import IN_CI, POSTGRES_ADMIN_URL, _postgres_ready
from tests.seeds import REPO

KAA = "observations/ar2022_kaa.csv"


# ----------------------------------------------------------------------------------------------- editing a copy


def _rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def _save(path: Path, rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _row_where(path: Path, **match: str) -> int:
    """The row number (header = 1) of the first row whose cells equal `match`."""
    rows = _rows(path)
    header = rows[0]
    for number, row in enumerate(rows[1:], start=2):
        if all(row[header.index(k)] == v for k, v in match.items()):
            return number
    raise AssertionError(f"ingen rad med {match} i {path}")


def _set(path: Path, row: int, /, **cells: str) -> None:
    rows = _rows(path)
    for column, value in cells.items():
        rows[row - 1][rows[0].index(column)] = value
    _save(path, rows)


@dataclass(frozen=True)
class Case:
    kind: str
    file: str  # relative to data/ (or the file named in the message)
    corrupt: Callable[[Path], int | None]  # edits the copy, returns the row the message must name
    column: str | None  # None: the message names the file only
    reason: str  # a part of the Swedish reason


def _cell(file: str, column: str, value: str, **where: str) -> Callable[[Path], int]:
    def corrupt(data: Path) -> int:
        path = data / file
        row = _row_where(path, **where) if where else 2
        _set(path, row, **{column: value})
        return row
    return corrupt


def _cells(file: str, where: dict[str, str], **cells: str) -> Callable[[Path], int]:
    def corrupt(data: Path) -> int:
        path = data / file
        row = _row_where(path, **where)
        _set(path, row, **cells)
        return row
    return corrupt


def _raw(file: str, make: Callable[[bytes], tuple[bytes, int | None]]) -> Callable[[Path], int | None]:
    def corrupt(data: Path) -> int | None:
        path = data / file
        content, row = make(path.read_bytes())
        path.write_bytes(content)
        return row
    return corrupt


def _line_of(content: bytes, needle: bytes) -> int:
    return content.count(b"\n", 0, content.index(needle)) + 1


def _latin1(content: bytes) -> tuple[bytes, int]:
    encoded = content.decode("utf-8").encode("latin-1", errors="replace")
    first = next(i for i, byte in enumerate(encoded) if byte >= 0x80)
    return encoded, encoded.count(b"\n", 0, first) + 1


def _binary(seed: int, nul: bool) -> Callable[[bytes], tuple[bytes, int]]:
    def make(_content: bytes) -> tuple[bytes, int]:
        rng = random.Random(seed)
        data = bytes(rng.randrange(0x80, 0x100) for _ in range(4096))  # never valid UTF-8 at its first byte
        if nul:
            data = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + data
            return data, _line_of(data, b"\x00")
        return data, 1
    return make


def _insert_text(needle: str, replacement: str) -> Callable[[bytes], tuple[bytes, int]]:
    """Replace the first `needle` in a data row (not the header) by `replacement`, raw."""
    def make(content: bytes) -> tuple[bytes, int]:
        head, _, rest = content.partition(b"\n")
        index = rest.index(needle.encode())
        new = head + b"\n" + rest[:index] + replacement.encode() + rest[index + len(needle):]
        return new, rest.count(b"\n", 0, index) + 2
    return make


def _unclosed_quote_in_last_row(content: bytes) -> tuple[bytes, int]:
    lines = content.rstrip(b"\n").split(b"\n")
    lines[-1] = lines[-1].replace(b",", b',"', 1)
    return b"\n".join(lines) + b"\n", len(lines)


def _long_note(content: bytes) -> tuple[bytes, int]:
    """50 MB in the (empty, last) note cell of the first data row."""
    lines = content.split(b"\n")
    assert lines[1].endswith(b",")
    lines[1] += b"x" * 50_000_000
    return b"\n".join(lines), 2


def _header_only(content: bytes) -> tuple[bytes, int]:
    return content.partition(b"\n")[0] + b"\n", 2


def _drop_column(column: str) -> Callable[[bytes], tuple[bytes, int]]:
    def make(content: bytes) -> tuple[bytes, int]:
        rows = list(csv.reader(io.StringIO(content.decode(), newline="")))
        i = rows[0].index(column)
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows([r[:i] + r[i + 1:] for r in rows])
        return out.getvalue().encode(), 1
    return make


def _duplicate_row(change: dict[str, str]) -> Callable[[Path], int]:
    def corrupt(data: Path) -> int:
        path = data / KAA
        rows = _rows(path)
        copy = list(rows[1])
        for column, value in change.items():
            copy[rows[0].index(column)] = value
        rows.append(copy)
        _save(path, rows)
        return len(rows)
    return corrupt


def _directory_instead(file: str) -> Callable[[Path], None]:
    def corrupt(data: Path) -> None:
        (data / file).unlink()
        (data / file).mkdir()
        (data / file / "inuti.txt").write_text("en mapp, inte en fil", encoding="utf-8")
    return corrupt


def _new_observation_file(name: str) -> Callable[[Path], int]:
    def corrupt(data: Path) -> int:
        shutil.copy(data / KAA, data / "observations" / name)
        return 1
    return corrupt


CITY_KVINNOR_2022 = {"measure": "kaa_omfattade", "period": "2022", "gender": "kvinnor"}
SHARE = {"measure": "kaa_andel_nadda", "period": "2022"}

CASES = [
    Case("value nan", KAA, _cell(KAA, "value", "nan", **CITY_KVINNOR_2022), "value", "'nan' är inte ett tal"),
    Case("value inf", KAA, _cell(KAA, "value", "inf", **CITY_KVINNOR_2022), "value", "'inf' är inte ett tal"),
    Case("value Infinity", KAA, _cell(KAA, "value", "Infinity"), "value", "är inte ett tal"),
    Case("value -nan", KAA, _cell(KAA, "value", "-nan"), "value", "formel"),
    Case("value with exponent", KAA, _cell(KAA, "value", "3.3e3"), "value", "decimalpunkt"),
    Case("value with decimal comma", KAA, _cell(KAA, "value", "3329,0"), "value", "decimalpunkt"),
    Case("value as a word", KAA, _cell(KAA, "value", "sju"), "value", "'sju' är inte ett tal"),
    Case("value with full-width digits", KAA, _cell(KAA, "value", "３３２９"), "value", "inte en siffra 0–9"),
    Case("value with Arabic-Indic digits", KAA, _cell(KAA, "value", "٣٣٢٩"), "value", "inte en siffra 0–9"),
    Case("negative count", KAA, _cells(KAA, CITY_KVINNOR_2022, value="-5", printed="-5"), "value",
         "kan inte vara negativt"),
    Case("fractional count", KAA, _cells(KAA, CITY_KVINNOR_2022, value="3329.5", printed="3 329,5"), "value",
         "inte ett heltal"),
    Case("share above 100 %", KAA, _cells(KAA, SHARE, value="154.5", printed="154,5"), "value",
         "större än 100"),
    Case("negative share", KAA, _cells(KAA, SHARE, value="-4.5", printed="-4,5"), "value", "mindre än 0"),
    Case("printed differs from value", KAA, _cell(KAA, "printed", "1 000 000"), "printed", "inte samma tal"),
    Case("period year 0001", KAA, _cell(KAA, "period", "0001"), "period", "utanför 1990–2100"),
    Case("period year 2150", KAA, _cell(KAA, "period", "2150"), "period", "utanför 1990–2100"),
    Case("period month 13", KAA, _cell(KAA, "period", "2022-13"), "period", "månad 13 finns inte"),
    Case("period tertial 4", KAA, _cell(KAA, "period", "2022-T4"), "period", "är inte skriven som"),
    Case("period with full-width digits", KAA, _cell(KAA, "period", "２０２２"), "period", "inte en siffra 0–9"),
    Case("duplicate row", KAA, _duplicate_row({}), "measure", "finns redan på rad 2"),
    Case("duplicate key in full-width digits", KAA, _duplicate_row({"period": "２０２２"}), "period",
         "inte en siffra 0–9"),
    Case("unknown gender", KAA, _cell(KAA, "gender", "kvinna"), "gender", "är inte ett av"),
    Case("unknown measure", KAA, _cell(KAA, "measure", "finns_inte"), "measure", "finns inte i data/measures/"),
    Case("unknown area", KAA, _cell(KAA, "area", "Atlantis"), "area", "finns inte i data/areas/"),
    Case("group longer than its column", KAA, _cell(KAA, "group", "g" * 121), "group", "högst 120"),
    Case("formula =HYPERLINK", KAA, _cell(KAA, "note", '=HYPERLINK("http://example.com/x","Klicka")'), "note",
         "formel"),
    Case("formula +cmd", KAA, _cell(KAA, "note", "+cmd|' /C calc'!A0"), "note", "formel"),
    Case("formula -2+3", KAA, _cell(KAA, "group", "-2+3"), "group", "formel"),
    Case("formula @SUM", KAA, _cell(KAA, "group", "@SUM(A1:A9)"), "group", "formel"),
    Case("formula in a source title", "sources.csv", _cell("sources.csv", "title", "=1+1"), "title", "formel"),
    Case("formula in a glossary definition", "glossary/rapporter.csv",
         _cell("glossary/rapporter.csv", "definition", "@import"), "definition", "formel"),
    Case("NUL byte in a cell", KAA, _raw(KAA, _insert_text(",alla,", ",al\x00la,")), "(hela raden)", "NUL-tecken"),
    Case("bell character", KAA, _cell(KAA, "note", "ring\x07"), "note", "U+0007"),
    Case("tab in a cell", KAA, _cell(KAA, "group", "al\tla"), "group", "U+0009"),
    Case("line break in a quoted cell", KAA, _cell(KAA, "note", "två\nrader"), "note", "U+000A"),
    Case("zero-width space in an area", KAA, _cell(KAA, "area", "Stockholms\u200bstad"), "area", "U+200B"),
    Case("bidi override", KAA, _cell(KAA, "note", "\u202etxet"), "note", "U+202E"),
    Case("full-width letters", KAA, _cell(KAA, "group", "ａｌｌａ"), "group", "fullbreddstecknet"),
    Case("latin-1 file", KAA, _raw(KAA, _latin1), "(hela raden)", "inte sparad som UTF-8"),
    Case("binary file with NUL", KAA, _raw(KAA, _binary(7, nul=True)), "(hela raden)", "NUL-tecken"),
    Case("binary file without NUL", KAA, _raw(KAA, _binary(8, nul=False)), "(hela raden)", "UTF-8"),
    Case("50 MB field", KAA, _raw(KAA, _long_note), "(hela raden)", "längre än"),
    Case("header-only file", KAA, _raw(KAA, _header_only), "(hela raden)", "inga datarader"),
    Case("empty file", KAA, _raw(KAA, lambda _c: (b"", 1)), "(rubrikrad)", "filen är tom"),
    Case("unclosed quote", KAA, _raw(KAA, _unclosed_quote_in_last_row), "(hela raden)", "stängs aldrig"),
    Case("text after a closing quote", KAA, _raw(KAA, _insert_text(",alla,", ',"al"la,')), "(hela raden)",
         "avslutande citattecken"),
    Case("more fields than the header", KAA, _raw(KAA, _insert_text(",alla,", ",alla,extra,")), "(hela raden)",
         "fler fält"),
    Case("missing column", KAA, _raw(KAA, _drop_column("unit")), "unit", "saknas i rubrikraden"),
    Case("column twice in the header", KAA,
         _raw(KAA, lambda c: (c.replace(b",note\n", b",value\n", 1), 1)), "value", "två gånger"),
    Case("cited line beyond the document", KAA, _cell(KAA, "line", "999999"), "line",
         "finns inte i källdokumentet"),
    Case("cited line 0", KAA, _cell(KAA, "line", "0"), "line", "räknas från 1"),
    Case("cited line not a number", KAA, _cell(KAA, "line", "12a"), "line", "inte ett heltal"),
    Case("cited line with full-width digits", KAA, _cell(KAA, "line", "１３６７"), "line", "inte en siffra 0–9"),
    Case("source year 0001", "sources.csv", _cell("sources.csv", "year", "0001"), "year", "inte rimligt"),
    Case("seed document missing", "sources.csv", _cell("sources.csv", "path", "finns_inte.txt", kind="dokument"),
         "path", "finns inte i"),
    Case("source id longer than its column", "sources.csv", _cell("sources.csv", "source", "s" * 81), "source",
         "högst 80"),
    Case("measure id longer than its column", "measures/uppfoljning.csv",
         _cell("measures/uppfoljning.csv", "measure", "m" * 81), "measure", "högst 80"),
    Case("topic longer than its column", "measures/uppfoljning.csv",
         _cell("measures/uppfoljning.csv", "topic", "t" * 41), "topic", "högst 40"),
    Case("glossary term longer than its column", "glossary/rapporter.csv",
         _cell("glossary/rapporter.csv", "term", "t" * 201), "term", "högst 200"),
    Case("membership date in year 0001", "memberships/stadsdelsomraden.csv",
         _cell("memberships/stadsdelsomraden.csv", "valid_from", "0001-01-01"), "valid_from", "inte rimligt"),
    Case("membership date without dashes", "memberships/stadsdelsomraden.csv",
         _cell("memberships/stadsdelsomraden.csv", "valid_from", "20070101"), "valid_from", "inte ett datum"),
    Case("status period in 1899", "indicator_status/t1_2021.csv",
         _cell("indicator_status/t1_2021.csv", "period", "1899"), "period", "utanför 1990–2100"),
    Case("a folder where a file should be", "observations/ar2022_uvas.csv",
         _directory_instead("observations/ar2022_uvas.csv"), None, "kunde inte läsas in"),
    Case("observation file of an unknown data set", "observations/okant.csv",
         _new_observation_file("okant.csv"), "(filnamn)", "saknas i data/datasets.csv"),
]


def test_the_corpus_is_large_and_each_kind_is_named_once() -> None:
    kinds = [case.kind for case in CASES]
    assert len(kinds) >= 40 and len(set(kinds)) == len(kinds)


# --------------------------------------------------------------------------------------------- the databases


def _snapshot(url: str) -> str:
    """A checksum of every row of every table, in a fixed order."""
    from queries.db import engine

    digest = hashlib.sha256()
    with engine(url).connect() as conn:
        for table in metadata.sorted_tables:
            digest.update(table.name.encode())
            for row in conn.execute(select(table).order_by(*table.columns)):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def _contents(url: str) -> list[tuple]:
    """Every row but build_info's, without generated ids: an area is its (name, level), sorted.

    PostgreSQL's sequences go on counting after a rebuild, so the ids differ while the contents do not.
    """
    from queries.db import engine

    with engine(url).connect() as conn:
        areas = {r.area_id: (r.name, r.level) for r in conn.execute(select(metadata.tables["areas"]))}
        out = []
        for table in metadata.sorted_tables:
            if table.name == "build_info":
                continue
            generated = {c.name for c in table.primary_key.columns if c.autoincrement is True}
            to_area = {k.parent.name for k in table.foreign_keys if k.column.table.name == "areas"}
            for row in conn.execute(select(table)):
                out.append((table.name, *sorted(
                    (name, areas[value] if name in to_area else value)
                    for name, value in row._mapping.items() if name not in generated)))
    return sorted(out, key=repr)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def corpus_db(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database of its own per backend (the bundled data without demo), built once for the corpus."""
    from dashboard.db.build import build_db

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('corpus') / 'corpus.sqlite'}"
    else:
        problem = _postgres_ready()
        if problem:
            if IN_CI:
                pytest.fail(problem)
            pytest.skip(problem)
        name = f"dashboard_corpus_{os.getpid()}"
        url = POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
        admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    build_db(url, include_demo=False)
    yield url
    if request.param == "postgresql":
        from queries.db import engine

        engine(url).dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def pristine(corpus_db: str) -> str:
    """The database as it is before a test tries to corrupt it."""
    return _snapshot(corpus_db)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(config.DATA_DIR, target)
    return target


def _build(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], url: str, *args: str
           ) -> tuple[int, str]:
    monkeypatch.setenv("DATABASE_URL", url)
    code = main(["build-db", *args])
    return code, capsys.readouterr().err


@pytest.mark.parametrize("case", CASES, ids=[c.kind for c in CASES])
def test_corruption_is_refused_in_swedish_and_nothing_changes(
        case: Case, corpus_db: str, pristine: str, data_copy: Path,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    row = case.corrupt(data_copy)
    code, err = _build(monkeypatch, capsys, corpus_db, "--data", str(data_copy))
    assert code == 1
    message = err.strip().splitlines()[-1]
    where = f"Fel i {data_copy / case.file}"
    if case.column is None:
        assert message.startswith(f"{where}: "), message
    else:
        assert message.startswith(f"{where}, rad {row}, kolumn '{case.column}': "), message[:300]
    assert case.reason in message, message[:300]
    assert "Traceback" not in err and len(message) < 1000
    assert _snapshot(corpus_db) == pristine


def test_a_bad_file_through_the_command_line_gives_no_traceback(corpus_db: str, pristine: str,
                                                                data_copy: Path) -> None:
    (data_copy / KAA).write_bytes(bytes(range(256)) * 4)
    result = subprocess.run([sys.executable, "-m", "dashboard", "build-db", "--data", str(data_copy)], cwd=REPO,
                            capture_output=True, text=True, timeout=300,
                            env={**os.environ, "DATABASE_URL": corpus_db})
    assert result.returncode == 1
    assert result.stderr.startswith(f"Fel i {data_copy / KAA}, rad 1, kolumn '(hela raden)': filen innehåller NUL")
    assert "Traceback" not in result.stderr
    assert _snapshot(corpus_db) == pristine


# ------------------------------------------------------------------------------ what is accepted deliberately


def test_a_share_over_100_is_accepted_when_the_measure_says_so(data_copy: Path) -> None:
    from dashboard.ingest.load import LoadError, collect

    observations = data_copy / KAA
    _set(observations, _row_where(observations, **SHARE), value="154.5", printed="154,5")
    with pytest.raises(LoadError, match="större än 100"):
        collect(data_copy)
    measures = data_copy / "measures" / "uppfoljning.csv"
    rows = _rows(measures)
    rows[0].append("max")
    for row in rows[1:]:
        row.append("200" if row[0] == "kaa_andel_nadda" else "")
    _save(measures, rows)
    bundle = collect(data_copy)
    assert any(o["measure"] == "kaa_andel_nadda" and o["value"] == 154.5 for o in bundle.observations)


def test_a_bom_and_windows_line_ends_are_read(data_copy: Path) -> None:
    from dashboard.ingest.load import collect

    before = collect(data_copy)
    path = data_copy / KAA
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    after = collect(data_copy)
    assert after.observations == before.observations


# -------------------------------------------------------------------------------------- failures while writing


def _failing_write(bundle_change: Callable) -> Callable:
    from dashboard.db.build import full_bundle

    def bundle(include_demo: bool = True, data_dir: Path | None = None):
        made = full_bundle(False, data_dir)
        bundle_change(made)
        return made
    return bundle


def _duplicate_last_observation(bundle) -> None:
    bundle.observations.append(dict(bundle.observations[-1]))


def _glossary_without_definition(bundle) -> None:
    bundle.glossary[-1] = {**bundle.glossary[-1], "definition": None}


def _unknown_measure_in_last_observation(bundle) -> None:
    bundle.observations[-1] = {**bundle.observations[-1], "measure": "finns_inte"}


def _individual_in_an_unknown_area(bundle) -> None:
    from dashboard.db import individ_schema as individ

    dataset = next(iter(bundle.datasets))
    bundle.extra_tables.append((individ.personer, [{"person_id": "p1", "dataset": dataset, "gender": "kvinnor",
                                                    "age_band": "16–19", "home_area": ("Atlantis", "stadsdel")}]))


@pytest.mark.parametrize("change", [_duplicate_last_observation, _glossary_without_definition,
                                    _unknown_measure_in_last_observation, _individual_in_an_unknown_area])
def test_a_failed_write_is_told_in_swedish_and_rolled_back(
        change: Callable, corpus_db: str, pristine: str,
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr("dashboard.db.build.full_bundle", _failing_write(change))
    code, err = _build(monkeypatch, capsys, corpus_db, "--utan-demo")
    assert code == 1
    assert err.startswith("Fel i databasen ") and "skrivningen avbröts och inget ändrades" in err
    assert "Traceback" not in err
    assert _snapshot(corpus_db) == pristine


def test_a_rebuild_adds_missing_indexes_and_keeps_the_contents(corpus_db: str) -> None:
    """A database built before the foreign keys were indexed gets the indexes at its next rebuild."""
    from dashboard.db.build import build_db
    from queries.db import engine

    data = _contents(corpus_db)
    with engine(corpus_db).begin() as conn:
        conn.execute(text("DROP INDEX ix_individ_kontakter_kaa_id"))
    assert "ix_individ_kontakter_kaa_id" not in {i["name"] for i in inspect(engine(corpus_db)).get_indexes(
        "individ_kontakter")}
    build_db(corpus_db, include_demo=False)
    assert "ix_individ_kontakter_kaa_id" in {i["name"] for i in inspect(engine(corpus_db)).get_indexes(
        "individ_kontakter")}
    assert _contents(corpus_db) == data


def test_every_foreign_key_of_the_individual_tables_is_indexed() -> None:
    from dashboard.db import individ_schema as individ

    for table in individ.TABLES:
        leading = {index.columns[0].name for index in table.indexes} | {table.primary_key.columns[0].name}
        for key in table.foreign_keys:
            assert key.parent.name in leading, f"{table.name}.{key.parent.name} har inget index"
