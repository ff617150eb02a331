"""Validated, all-or-nothing load of the bundled sources into the database."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

from sqlalchemy import Connection, Engine, String, Table, insert, select, tuple_, union, update

from dashboard.core import config
from dashboard.core.numbers import parse_swedish_number
from dashboard.core.periods import period_bounds
from dashboard.db import schema

# insatsomrade: a set of areas the nämnd directs work to (e.g. the fokusområden plus Hässelby-Vällingby)
LEVELS = {"riket", "lan", "kommun", "stad", "stadsdelsomrade", "stadsdel", "fokusomrade", "rapportgrupp",
          "insatsomrade", "enhet"}
GENDERS = {"kvinnor", "män", "totalt"}
KINDS = {"utfall", "mål", "kf-mål", "prognos", "budget", "jämförelse"}
UNITS = {
    "antal", "procent", "procentenheter", "kr", "tkr", "mnkr", "platser", "månader", "dagar", "index", "ton", "poäng"
}
SOURCE_KINDS = {"dokument", "fil", "beslut", "artikel", "rapport", "demo"}
YES_NO = {"ja": True, "nej": False, "": None}
MEASURE_ID = re.compile(r"[a-z][a-z0-9_]*")
# Only ASCII digits are digits: a full-width "２０２２" is not the year 2022 (nor a key equal to it).
DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
PERIOD_CHARS = re.compile(r"[0-9T/-]+")
YEARS = range(1990, 2101)  # plausible years for periods, dates and sources
COUNT_UNITS = {"antal", "platser"}  # whole numbers, never negative
NON_NEGATIVE_UNITS = {"antal", "platser", "månader", "dagar", "ton"}  # money may be a deficit
SHARE_RANGE = (0.0, 100.0)  # procent, unless the measure gives its own min/max
FORMULA_START = ("=", "+", "-", "@")  # what Excel and LibreOffice read as the start of a formula
# Control characters, format characters (e.g. bidi overrides, zero-width space), line/paragraph separators,
# private-use and unassigned code points.
BAD_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
_ASCII_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class LoadError(Exception):
    """A bad cell in an input file, told in Swedish: file, row, column and why."""

    def __init__(self, file: str, row: int, column: str, reason: str) -> None:
        self.file, self.row, self.column, self.reason = file, row, column, reason
        where = f"{file}, rad {row}, kolumn '{column}'" if row else file  # row 0: the whole file
        super().__init__(f"Fel i {where}: {reason}")


@dataclass
class Bundle:
    """Everything to be loaded, validated, as rows ready for the database."""

    sources: dict[str, dict] = field(default_factory=dict)
    datasets: dict[str, dict] = field(default_factory=dict)
    areas: dict[tuple[str, str], dict] = field(default_factory=dict)
    memberships: list[dict] = field(default_factory=list)
    measures: dict[str, dict] = field(default_factory=dict)
    observations: list[dict] = field(default_factory=list)
    indicators: dict[str, dict] = field(default_factory=dict)
    indicator_status: list[dict] = field(default_factory=list)
    glossary: list[dict] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    # measure → (min, max) given in its measures file, overriding what its unit allows
    ranges: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)
    # Further tables (e.g. the individual-level demo), in insertion order; rows may name an area as
    # ("area", (name, level)), which becomes its area_id.
    extra_tables: list[tuple[Table, list[dict]]] = field(default_factory=list)


@cache
def display_path(path: Path) -> str:
    for base in (config.REPO, config.REPO.parent):
        if path.is_relative_to(base):
            return str(path.relative_to(base))
    return str(path)


def _text_of(path: Path, name: str) -> str:
    """The file as text: UTF-8 (a BOM is allowed), no NUL bytes; otherwise a LoadError on the line at fault."""
    data = path.read_bytes()
    if b"\x00" in data:
        line = data.count(b"\n", 0, data.index(b"\x00")) + 1
        raise LoadError(name, line, "(hela raden)",
                        "filen innehåller NUL-tecken: den är binär eller trasig, inte en CSV-fil i UTF-8")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise LoadError(name, line, "(hela raden)", f"filen är inte sparad som UTF-8 (byte 0x{data[error.start]:02x}, "
                        "t.ex. Latin-1 eller Windows-1252): spara den som CSV UTF-8") from None


def _csv_problem(error: csv.Error) -> str:
    text = str(error)
    if "unexpected end of data" in text:
        return "ett citattecken (\") öppnas men stängs aldrig"
    if "expected after" in text:
        return "tecken direkt efter ett avslutande citattecken (\"): citera hela fältet"
    if "field larger than field limit" in text:
        return f"ett fält är längre än {csv.field_size_limit()} tecken"
    return f"raden kan inte läsas som CSV ({text})"


def cell_problem(value: str) -> str | None:
    """Why a cell's text is refused in any column, or None: control characters, non-ASCII digits, formulas."""
    for char in value if not value.isascii() else _ASCII_CONTROL.findall(value):
        if unicodedata.category(char) in BAD_CATEGORIES:
            return f"otillåtet tecken U+{ord(char):04X} ({unicodedata.name(char, 'kontrolltecken')})"
        if unicodedata.category(char) == "Nd" and not char.isascii():
            return f"'{char}' är inte en siffra 0–9: skriv siffror med vanliga tecken"
        if "\uff00" <= char <= "\uffef":
            return f"fullbreddstecknet '{char}' är inte tillåtet: skriv med vanliga tecken"
    if value.startswith(FORMULA_START) and not _is_number(value):
        return (f"texten börjar med '{value[0]}' och skulle läsas som en formel i Excel; "
                "skriv om den (t.ex. med ett ord först)")
    return None


def _is_number(value: str) -> bool:
    try:
        parse_swedish_number(value)
    except ValueError:
        return bool(DECIMAL.fullmatch(value))
    return True


def read_rows(path: Path, required: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a CSV file with their line numbers (the header is line 1); any bad cell is a LoadError.

    A file is UTF-8 with a header row and at least one data row; a cell holds no control characters,
    no non-ASCII digits and nothing Excel would take for a formula.
    """
    name = display_path(path)
    reader = csv.reader(io.StringIO(_text_of(path, name), newline=""), strict=True)
    line, rows = 0, 0
    header: list[str] | None = None
    while True:
        start = line + 1
        try:
            cells = next(reader, None)
        except csv.Error as error:
            raise LoadError(name, start, "(hela raden)", _csv_problem(error)) from None
        if cells is None:
            break
        line = reader.line_num
        if header is None:
            header = [cell.strip() for cell in cells]
            for column in header:
                if header.count(column) > 1:
                    raise LoadError(name, 1, column, "kolumnen finns två gånger i rubrikraden")
            for column in required:
                if column not in header:
                    raise LoadError(name, 1, column, "kolumnen saknas i rubrikraden")
            continue
        if not cells:
            continue  # a blank line
        if len(cells) > len(header):
            raise LoadError(name, start, "(hela raden)", "raden har fler fält än rubrikraden")
        row = dict(zip(header, (cell.strip() for cell in cells), strict=False))
        for column in header:
            value = row.setdefault(column, "")
            problem = cell_problem(value)
            if problem:
                raise LoadError(name, start, column, problem)
        rows += 1
        yield start, row
    if header is None:
        raise LoadError(name, 1, "(rubrikrad)", "filen är tom: rubrikraden saknas")
    if not rows:
        raise LoadError(name, 2, "(hela raden)", "filen har bara en rubrikrad och inga datarader; "
                        "ta bort filen om den inte ska läsas in")


class CellChecker:
    """Helpers that raise LoadError naming the cell."""

    def __init__(self, path: Path, line: int, row: dict[str, str]) -> None:
        self.file, self.line, self.row = display_path(path), line, row

    def fail(self, column: str, reason: str) -> LoadError:
        return LoadError(self.file, self.line, column, reason)

    def text(self, column: str, required: bool = True) -> str | None:
        value = self.row.get(column, "")
        if required and not value:
            raise self.fail(column, "värde saknas")
        return value or None

    def choice(self, column: str, allowed: set[str]) -> str:
        value = self.row.get(column, "")
        if value not in allowed:
            raise self.fail(column, f"'{value}' är inte ett av {', '.join(sorted(allowed))}")
        return value

    def yes_no(self, column: str) -> bool | None:
        return YES_NO[self.choice(column, set(YES_NO))]

    def integer(self, column: str, required: bool = False) -> int | None:
        value = self.text(column, required)
        if value is None:
            return None
        if not re.fullmatch(r"[0-9]+", value):
            raise self.fail(column, f"'{value}' är inte ett heltal")
        return int(value)

    def year(self, column: str) -> int | None:
        year = self.integer(column)
        if year is not None and year not in YEARS:
            raise self.fail(column, f"året {year} är inte rimligt (tillåtet {YEARS.start}–{YEARS.stop - 1})")
        return year

    def period(self, column: str = "period") -> tuple[date, date]:
        """First and last day of the period in `column`; only ASCII digits, years within YEARS."""
        value = self.text(column)
        try:
            if not PERIOD_CHARS.fullmatch(value):
                raise ValueError(f"'{value}' är inte en period (siffror 0–9, '-', 'T' och '/')")
            start, end = period_bounds(value)
        except ValueError as error:
            raise self.fail(column, str(error)) from None
        if start.year not in YEARS or end.year not in YEARS:
            raise self.fail(column, f"perioden '{value}' ligger utanför {YEARS.start}–{YEARS.stop - 1}")
        return start, end

    def fits(self, table: Table, row: dict, names: dict[str, str] | None = None) -> None:
        """Every text fits its database column (PostgreSQL refuses what SQLite would store)."""
        for column in table.columns:
            value, length = row.get(column.name), getattr(column.type, "length", None)
            if isinstance(column.type, String) and length and isinstance(value, str) and len(value) > length:
                raise self.fail((names or {}).get(column.name, column.name),
                                f"texten är {len(value)} tecken lång; högst {length} får plats "
                                f"({table.name}.{column.name})")

    def day(self, column: str) -> date | None:
        value = self.text(column, required=False)
        if value is None:
            return None
        try:
            if not ISO_DAY.fullmatch(value):
                raise ValueError(value)
            day = date.fromisoformat(value)
        except ValueError:
            raise self.fail(column, f"'{value}' är inte ett datum ÅÅÅÅ-MM-DD") from None
        if day.year not in YEARS:
            raise self.fail(column, f"datumet {value} är inte rimligt (år {YEARS.start}–{YEARS.stop - 1})")
        return day

    def number(self, column: str) -> float:
        value = self.text(column)
        if value.lower().lstrip("+-") in ("nan", "inf", "infinity"):
            raise self.fail(column, f"'{value}' är inte ett tal: en lucka lämnas som en saknad rad")
        if not DECIMAL.fullmatch(value):
            raise self.fail(column, f"'{value}' är inte ett tal med decimalpunkt (siffror 0–9, t.ex. 54.5)")
        return float(value)

    def in_range(self, bundle: Bundle, column: str, value: float, unit: str, measure: str) -> None:
        """A count is a whole number ≥ 0, a share lies in 0–100, unless the measure gives its own min/max."""
        text = self.row.get(column)
        if unit in COUNT_UNITS and not value.is_integer():
            raise self.fail(column, f"'{text}' är inte ett heltal: enheten {unit} räknas i hela tal")
        low, high = SHARE_RANGE if unit == "procent" else (0.0 if unit in NON_NEGATIVE_UNITS else None, None)
        given_low, given_high = bundle.ranges.get(measure, (None, None))
        low = low if given_low is None else given_low
        high = high if given_high is None else given_high
        if low is not None and value < low:
            raise self.fail(column, f"{text} är mindre än {low:g}: måttet '{measure}' ({unit}) kan inte vara "
                            "negativt" if low == 0 else f"{text} är mindre än {low:g}, det minsta '{measure}' kan vara")
        if high is not None and value > high:
            raise self.fail(column, f"{text} är större än {high:g}, det största måttet '{measure}' ({unit}) kan vara "
                            "(ange max för måttet i data/measures/ om det kan bli större)")

    def source(self, bundle: Bundle, column: str = "source", required: bool = True) -> str | None:
        value = self.text(column, required)
        if value is not None and value not in bundle.sources:
            raise self.fail(column, f"källan '{value}' finns inte i data/sources.csv")
        return value

    def location(self, bundle: Bundle, source: str | None, column: str = "line") -> str | None:
        """'rad 123' in a seed document; a document source must name its line."""
        line = self.integer(column)
        if source and bundle.sources[source]["kind"] == "dokument" and line is None:
            raise self.fail(column, "radnummer i källdokumentet saknas")
        if line is not None and line < 1:
            raise self.fail(column, f"rad {line} finns inte: raderna räknas från 1")
        if line is not None and source and bundle.sources[source]["kind"] == "dokument":
            lines = document_lines(bundle.sources[source]["path"])
            if line > lines:
                raise self.fail(column, f"rad {line} finns inte i källdokumentet "
                                f"{bundle.sources[source]['path']}, som har {lines} rader")
        return f"rad {line}" if line is not None else None

    def area(self, bundle: Bundle, name_col: str, level_col: str) -> tuple[str, str]:
        key = (self.text(name_col), self.choice(level_col, LEVELS))
        if key not in bundle.areas:
            raise self.fail(name_col, f"området '{key[0]}' ({key[1]}) finns inte i data/areas/")
        return key


def document_lines(file_name: str) -> int:
    """How many lines a seed document has, counted as the tests and the citations count them."""
    return _line_count(config.seeds_dir() / file_name)


@cache
def _line_count(path: Path) -> int:
    return len(path.read_text(encoding="utf-8").splitlines())


def _csv_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.csv")) if folder.is_dir() else []


def collect(data_dir: Path | None = None) -> Bundle:
    """Read and validate every bundled file. Raises LoadError on the first bad cell.

    Any other error while reading becomes a LoadError naming the file being read, never a traceback.
    """
    bundle = Bundle()
    try:
        return _collect(bundle, data_dir or config.DATA_DIR)
    except LoadError:
        raise
    except Exception as error:  # noqa: BLE001 - whatever it is, the user gets the file and a Swedish reason
        name = display_path(bundle.files[-1]) if bundle.files else str(data_dir or config.DATA_DIR)
        raise LoadError(name, 0, "(fil)", f"filen kunde inte läsas in ({type(error).__name__}: {error})") from error


def _collect(bundle: Bundle, data_dir: Path) -> Bundle:
    from dashboard.ingest import published  # the shared published-figures file has its own adapter

    _sources(bundle, data_dir / "sources.csv")
    _datasets(bundle, data_dir / "datasets.csv")
    for path in _csv_files(data_dir / "areas"):
        _areas(bundle, path)
    for path in _csv_files(data_dir / "memberships"):
        _memberships(bundle, path)
    for path in _csv_files(data_dir / "measures"):
        _measures(bundle, path)
    for path in _csv_files(data_dir / "observations"):
        _observations(bundle, path, path.stem)
    published.collect(bundle, data_dir)
    for path in _csv_files(data_dir / "indicators"):
        _indicators(bundle, path)
    for path in _csv_files(data_dir / "indicator_status"):
        _indicator_status(bundle, path)
    for path in _csv_files(data_dir / "glossary"):
        _glossary(bundle, path)
    for dataset, info in bundle.datasets.items():
        if not info["used"]:
            raise LoadError("data/datasets.csv", info["line"], "dataset", f"data setet '{dataset}' har inga rader")
    return bundle


def _sources(bundle: Bundle, path: Path) -> None:
    bundle.files.append(path)
    for line, row in read_rows(path, ["source", "kind", "title", "publisher", "year", "path", "url", "note"]):
        c = CellChecker(path, line, row)
        key = c.text("source")
        if key in bundle.sources:
            raise c.fail("source", f"källan '{key}' finns redan")
        bundle.sources[key] = {
            "source": key, "kind": c.choice("kind", SOURCE_KINDS), "title": c.text("title"),
            "publisher": c.text("publisher", False), "year": c.year("year"), "path": c.text("path", False),
            "url": c.text("url", False), "note": c.text("note", False),
        }
        c.fits(schema.sources, bundle.sources[key])
        document = bundle.sources[key]["path"]
        if bundle.sources[key]["kind"] == "dokument" and not (document and (config.seeds_dir() / document).is_file()):
            raise c.fail("path", f"källdokumentet '{document}' finns inte i {config.seeds_dir()}")


def _datasets(bundle: Bundle, path: Path) -> None:
    bundle.files.append(path)
    for line, row in read_rows(path, ["dataset", "title", "description"]):
        c = CellChecker(path, line, row)
        key = c.text("dataset")
        if key in bundle.datasets:
            raise c.fail("dataset", f"data setet '{key}' finns redan")
        bundle.datasets[key] = {"dataset": key, "title": c.text("title"), "is_demo": False,
                                "origin": "", "description": c.text("description", False),
                                "line": line, "used": False}
        c.fits(schema.datasets, bundle.datasets[key])


def _areas(bundle: Bundle, path: Path) -> None:
    bundle.files.append(path)
    for line, row in read_rows(path, ["area", "level", "geo_name", "note"]):
        c = CellChecker(path, line, row)
        key = (c.text("area"), c.choice("level", LEVELS))
        if key in bundle.areas:
            raise c.fail("area", f"området '{key[0]}' ({key[1]}) finns redan")
        geo_name = c.text("geo_name", required=False)
        if geo_name and key[1] not in ("stadsdel", "kommun"):
            raise c.fail("geo_name", "bara stadsdelar (namnet i gränsfilen) och kommuner (kommunkoden) har en geo_name")
        if key[1] == "kommun" and not re.fullmatch(r"[0-9]{4}", geo_name or ""):
            raise c.fail("geo_name", f"'{geo_name}' är ingen kommunkod (fyra siffror, som 0184)")
        bundle.areas[key] = {"name": key[0], "level": key[1], "geo_name": geo_name, "note": c.text("note", False)}
        c.fits(schema.areas, bundle.areas[key], {"name": "area"})


def _memberships(bundle: Bundle, path: Path) -> None:
    bundle.files.append(path)
    columns = ["member", "member_level", "parent", "parent_level", "valid_from", "valid_to", "source", "line", "note"]
    for line, row in read_rows(path, columns):
        c = CellChecker(path, line, row)
        member, parent = c.area(bundle, "member", "member_level"), c.area(bundle, "parent", "parent_level")
        valid_from, valid_to = c.day("valid_from"), c.day("valid_to")
        if valid_from and valid_to and valid_to < valid_from:
            raise c.fail("valid_to", "slutdatum före startdatum")
        source = c.source(bundle)
        bundle.memberships.append({
            "member": member, "parent": parent, "valid_from": valid_from, "valid_to": valid_to,
            "source": source, "source_location": c.location(bundle, source), "note": c.text("note", False),
        })


def _measures(bundle: Bundle, path: Path) -> None:
    bundle.files.append(path)
    columns = ["measure", "name", "definition", "unit", "topic", "higher_is_better", "population_base",
               "source", "line"]
    for line, row in read_rows(path, columns):
        c = CellChecker(path, line, row)
        key = c.text("measure")
        if not MEASURE_ID.fullmatch(key):
            raise c.fail("measure", f"'{key}' är inte ett giltigt id (små bokstäver a–z, siffror, _)")
        if key in bundle.measures:
            raise c.fail("measure", f"måttet '{key}' finns redan")
        source = c.source(bundle, required=False)
        bundle.measures[key] = {
            "measure": key, "name": c.text("name"), "definition": c.text("definition", False),
            "unit": c.choice("unit", UNITS), "topic": c.text("topic", False),
            "higher_is_better": c.yes_no("higher_is_better"), "population_base": c.text("population_base", False),
            "source": source, "source_location": c.location(bundle, source),
        }
        c.fits(schema.measures, bundle.measures[key])
        # optional columns: a measure whose values may lie outside what its unit allows (a share over 100 %)
        bundle.ranges[key] = (c.number("min") if row.get("min") else None, c.number("max") if row.get("max") else None)


OBSERVATION_COLUMNS = ["measure", "period", "area", "area_level", "gender", "group", "value", "printed", "unit",
                       "kind", "source", "line", "note"]


def _observations(bundle: Bundle, path: Path, dataset: str) -> None:
    bundle.files.append(path)
    if dataset not in bundle.datasets:
        raise LoadError(display_path(path), 1, "(filnamn)", f"data setet '{dataset}' saknas i data/datasets.csv")
    bundle.datasets[dataset].update(used=True, origin=display_path(path))
    seen: dict[tuple, int] = {}
    for line, row in read_rows(path, OBSERVATION_COLUMNS):
        c = CellChecker(path, line, row)
        bundle.observations.append(observation(bundle, c, dataset, seen))


def observation(bundle: Bundle, c: CellChecker, dataset: str, seen: dict[tuple, int],
                location: str | None = None) -> dict:
    """One validated observation row; `location` overrides the source location (data-file sources)."""
    measure = c.text("measure")
    if measure not in bundle.measures:
        raise c.fail("measure", f"måttet '{measure}' finns inte i data/measures/")
    period = c.text("period")
    start, end = c.period("period")
    area = c.area(bundle, "area", "area_level")
    value = c.number("value")
    printed = c.text("printed", required=False)
    if printed is not None:
        try:
            as_printed = parse_swedish_number(printed)
        except ValueError as error:
            raise c.fail("printed", str(error)) from None
        if abs(as_printed - value) > 1e-9:
            raise c.fail("printed", f"'{printed}' är inte samma tal som value {value}")
    unit = c.choice("unit", UNITS)
    if unit != bundle.measures[measure]["unit"]:
        raise c.fail("unit", f"måttet '{measure}' har enheten {bundle.measures[measure]['unit']}, inte {unit}")
    source = c.source(bundle)
    source_location = location or c.location(bundle, source)
    if source_location is None:
        raise c.fail("line", "källans plats saknas")
    row = {
        "dataset": dataset, "measure": measure, "period": period, "period_start": start, "period_end": end,
        "area": area, "gender": c.choice("gender", GENDERS), "population_group": c.text("group"),
        "value": value, "printed": printed, "qualifier": c.text("qualifier", required=False), "unit": unit,
        "kind": c.choice("kind", KINDS),
        "source": source, "source_location": source_location, "note": c.text("note", False),
    }
    c.in_range(bundle, "value", value, unit, measure)
    c.fits(schema.observations, row, {"population_group": "group"})
    key = (measure, period, area, row["gender"], row["population_group"], row["kind"])
    if key in seen:
        raise c.fail("measure", f"samma mått, period, område, kön, grupp och slag finns redan på rad {seen[key]}")
    seen[key] = c.line
    return row


def _indicators(bundle: Bundle, path: Path) -> None:
    bundle.files.append(path)
    columns = ["indicator", "name", "measure", "source", "line", "inriktningsmal", "kf_mal", "namndmal",
               "periodicity", "by_gender", "note"]
    for line, row in read_rows(path, columns):
        c = CellChecker(path, line, row)
        key = c.text("indicator")
        if key in bundle.indicators:
            raise c.fail("indicator", f"indikatorn '{key}' finns redan")
        measure = c.text("measure", required=False)
        if measure and measure not in bundle.measures:
            raise c.fail("measure", f"måttet '{measure}' finns inte i data/measures/")
        source = c.source(bundle)
        bundle.indicators[key] = {
            "indicator": key, "name": c.text("name"), "measure": measure, "source": source,
            "source_location": c.location(bundle, source), "inriktningsmal": c.text("inriktningsmal", False),
            "kf_mal": c.text("kf_mal", False), "namndmal": c.text("namndmal", False),
            "periodicity": c.text("periodicity", False), "by_gender": c.yes_no("by_gender"),
            "note": c.text("note", False),
        }
        c.fits(schema.indicators, bundle.indicators[key])


def _indicator_status(bundle: Bundle, path: Path) -> None:
    bundle.files.append(path)
    for line, row in read_rows(path, ["indicator", "period", "status", "source", "line", "note"]):
        c = CellChecker(path, line, row)
        indicator = c.text("indicator")
        if indicator not in bundle.indicators:
            raise c.fail("indicator", f"indikatorn '{indicator}' finns inte i data/indicators/")
        period = c.text("period")
        c.period("period")
        source = c.source(bundle)
        bundle.indicator_status.append({
            "indicator": indicator, "period": period, "status": c.text("status"), "source": source,
            "source_location": c.location(bundle, source), "note": c.text("note", False),
        })
        c.fits(schema.indicator_status, bundle.indicator_status[-1])


def _glossary(bundle: Bundle, path: Path) -> None:
    bundle.files.append(path)
    seen: set[tuple[str, str]] = set()
    for line, row in read_rows(path, ["term", "definition", "source", "line"]):
        c = CellChecker(path, line, row)
        term, source = c.text("term"), c.source(bundle)
        if (term, source) in seen:
            raise c.fail("term", f"termen '{term}' finns redan för källan '{source}'")
        seen.add((term, source))
        bundle.glossary.append({"term": term, "definition": c.text("definition"), "source": source,
                                "source_location": c.location(bundle, source)})
        c.fits(schema.glossary, bundle.glossary[-1])


def _keep_areas(conn: Connection, bundle: Bundle) -> dict[tuple[str, str], int]:
    """Areas by (name, level) → area_id: the bundle's areas updated in place or added; an area the bundle no
    longer has is removed unless imported values still point at it."""
    a = schema.areas
    existing = {(r.name, r.level): r.area_id for r in conn.execute(select(a.c.name, a.c.level, a.c.area_id))}
    for key, row in bundle.areas.items():
        if key in existing:
            conn.execute(update(a).where(a.c.area_id == existing[key]).values(geo_name=row["geo_name"],
                                                                             note=row["note"]))
    new = [row for key, row in bundle.areas.items() if key not in existing]
    if new:
        conn.execute(insert(a), new)
    used = union(select(schema.observations.c.area_id), *[
        select(column) for table in schema.EXTRA_TABLES for column in table.c
        if any(fk.column.table is a for fk in column.foreign_keys)])  # imported individual rows point at areas too
    conn.execute(a.delete().where(a.c.area_id.not_in(used), tuple_(a.c.name, a.c.level).not_in(list(bundle.areas)))
                 if bundle.areas else a.delete().where(a.c.area_id.not_in(used)))
    return {(r.name, r.level): r.area_id for r in conn.execute(select(a.c.name, a.c.level, a.c.area_id))}


def fingerprint(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(display_path(path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _with_area_ids(row: dict, ids: dict[tuple[str, str], int]) -> dict:
    return {(k.removesuffix("_area") + "_area_id" if k.endswith("_area") else k): (ids[v] if k.endswith("_area") else v)
            for k, v in row.items()}


def _refuse_clash(conn: Connection, table: Table, key: str, wanted: set[str], what: str) -> None:
    """A bundled row whose key an imported row already has: the rebuild stops rather than overwrite it."""
    taken = set(conn.execute(select(table.c[key]).where(table.c.provenance == schema.IMPORT)).scalars()) & wanted
    if taken:
        raise LoadError(f"data/ ({table.name})", 0, key, f"{what} '{sorted(taken)[0]}' finns redan som importerat "
                        "i databasen; byt namn på det i data/ (det importerade lämnas orört)")


def write(engine: Engine, bundle: Bundle, extra: list[dict] | None = None) -> dict[str, int]:
    """Replace the bundled contents of the database with the bundle in one transaction; on any error nothing
    changes. Imported data sets (provenance 'import'), their measures and sources, the import log and the decks
    are left as they are, and areas keep their area_id (matched by name and level), so imported values keep
    pointing at them."""
    from dashboard.db.upgrade import upgrade

    schema.metadata.create_all(engine)
    with engine.begin() as conn:
        upgrade(conn)
        for table in schema.metadata.sorted_tables:  # indexes added since the tables were created
            for index in table.indexes:
                index.create(conn, checkfirst=True)
        _refuse_clash(conn, schema.datasets, "dataset", set(bundle.datasets), "data setet")
        _refuse_clash(conn, schema.measures, "measure", set(bundle.measures), "måttet")
        _refuse_clash(conn, schema.sources, "source", set(bundle.sources), "källan")
        bundled = select(schema.datasets.c.dataset).where(schema.datasets.c.provenance == schema.BUNDLE)
        for table in reversed(schema.EXTRA_TABLES):  # individual-level rows: only the bundled data sets'
            conn.execute(table.delete().where(table.c.dataset.in_(bundled)) if "dataset" in table.c
                         else table.delete())
        for table in (schema.indicator_status, schema.glossary):
            conn.execute(table.delete())
        conn.execute(schema.observations.delete().where(schema.observations.c.dataset.in_(bundled)))
        for table in (schema.indicators, schema.area_memberships, schema.build_info):
            conn.execute(table.delete())
        for table in (schema.measures, schema.datasets, schema.sources):
            conn.execute(table.delete().where(table.c.provenance == schema.BUNDLE))
        conn.execute(insert(schema.sources), [{**s, "provenance": schema.BUNDLE} for s in bundle.sources.values()])
        conn.execute(insert(schema.datasets), [
            {**{k: v for k, v in d.items() if k not in ("line", "used")}, "provenance": schema.BUNDLE}
            for d in bundle.datasets.values()
        ])
        ids = _keep_areas(conn, bundle)
        if bundle.memberships:
            conn.execute(insert(schema.area_memberships), [
                {**{k: v for k, v in m.items() if k not in ("member", "parent")},
                 "member_id": ids[m["member"]], "parent_id": ids[m["parent"]]} for m in bundle.memberships
            ])
        conn.execute(insert(schema.measures), [{**m, "provenance": schema.BUNDLE} for m in bundle.measures.values()])
        rows = [{"qualifier": None, "status": None, **{k: v for k, v in o.items() if k != "area"},
                 "area_id": ids[o["area"]]} for o in bundle.observations]
        for start in range(0, len(rows), 5000):
            conn.execute(insert(schema.observations), rows[start:start + 5000])
        for table, content in ((schema.indicators, list(bundle.indicators.values())),
                               (schema.indicator_status, bundle.indicator_status),
                               (schema.glossary, bundle.glossary)):
            if content:
                conn.execute(insert(table), content)
        for table, content in bundle.extra_tables:
            for start in range(0, len(content), 5000):
                conn.execute(insert(table), [_with_area_ids(r, ids) for r in content[start:start + 5000]])
        conn.execute(insert(schema.build_info), [
            {"key": "fingerprint", "value": fingerprint(bundle.files)},
            {"key": "built_at", "value": datetime.now(UTC).isoformat(timespec="seconds")},
        ])
    return {"källor": len(bundle.sources), "områden": len(bundle.areas), "mått": len(bundle.measures),
            "observationer": len(bundle.observations), "indikatorer": len(bundle.indicators),
            "begrepp": len(bundle.glossary)}
