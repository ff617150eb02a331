"""Validated, all-or-nothing load of the bundled sources into the database."""

from __future__ import annotations

import csv
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import Engine, Table, insert, select

from dashboard import config, schema
from dashboard.numbers import parse_swedish_number
from dashboard.periods import period_bounds

# insatsomrade: a set of areas the nämnd directs work to (e.g. the fokusområden plus Hässelby-Vällingby)
LEVELS = {"riket", "lan", "stad", "stadsdelsomrade", "stadsdel", "fokusomrade", "rapportgrupp", "insatsomrade",
          "enhet"}
GENDERS = {"kvinnor", "män", "totalt"}
KINDS = {"utfall", "mål", "kf-mål", "prognos", "budget", "jämförelse"}
UNITS = {
    "antal", "procent", "procentenheter", "kr", "tkr", "mnkr", "platser", "månader", "dagar", "index", "ton", "poäng"
}
SOURCE_KINDS = {"dokument", "fil", "beslut", "artikel", "rapport", "demo"}
YES_NO = {"ja": True, "nej": False, "": None}
MEASURE_ID = re.compile(r"[a-z][a-z0-9_]*")


class LoadError(Exception):
    """A bad cell in an input file, told in Swedish: file, row, column and why."""

    def __init__(self, file: str, row: int, column: str, reason: str) -> None:
        self.file, self.row, self.column, self.reason = file, row, column, reason
        super().__init__(f"Fel i {file}, rad {row}, kolumn '{column}': {reason}")


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
    # Further tables (e.g. the individual-level demo), in insertion order; rows may name an area as
    # ("area", (name, level)), which becomes its area_id.
    extra_tables: list[tuple[Table, list[dict]]] = field(default_factory=list)


def display_path(path: Path) -> str:
    for base in (config.REPO, config.REPO.parent):
        if path.is_relative_to(base):
            return str(path.relative_to(base))
    return str(path)


def read_rows(path: Path, required: list[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """Rows of a CSV file with their line numbers; a missing column is a LoadError on line 1."""
    name = display_path(path)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = reader.fieldnames or []
        for column in required:
            if column not in header:
                raise LoadError(name, 1, column, "kolumnen saknas i rubrikraden")
        for row in reader:
            if None in row:
                raise LoadError(name, reader.line_num, "(hela raden)", "raden har fler fält än rubrikraden")
            yield reader.line_num, {key: (value or "").strip() for key, value in row.items()}


class _Checker:
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
        if not re.fullmatch(r"\d+", value):
            raise self.fail(column, f"'{value}' är inte ett heltal")
        return int(value)

    def day(self, column: str) -> date | None:
        value = self.text(column, required=False)
        if value is None:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.fail(column, f"'{value}' är inte ett datum ÅÅÅÅ-MM-DD") from None

    def number(self, column: str) -> float:
        value = self.text(column)
        try:
            return float(value)
        except ValueError:
            raise self.fail(column, f"'{value}' är inte ett tal med decimalpunkt") from None

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
        return f"rad {line}" if line is not None else None

    def area(self, bundle: Bundle, name_col: str, level_col: str) -> tuple[str, str]:
        key = (self.text(name_col), self.choice(level_col, LEVELS))
        if key not in bundle.areas:
            raise self.fail(name_col, f"området '{key[0]}' ({key[1]}) finns inte i data/areas/")
        return key


def _csv_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.csv")) if folder.is_dir() else []


def collect(data_dir: Path | None = None) -> Bundle:
    """Read and validate every bundled file. Raises LoadError on the first bad cell."""
    from dashboard import published  # the shared published-figures file has its own adapter

    data_dir = data_dir or config.DATA_DIR
    bundle = Bundle()
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
        c = _Checker(path, line, row)
        key = c.text("source")
        if key in bundle.sources:
            raise c.fail("source", f"källan '{key}' finns redan")
        bundle.sources[key] = {
            "source": key, "kind": c.choice("kind", SOURCE_KINDS), "title": c.text("title"),
            "publisher": c.text("publisher", False), "year": c.integer("year"), "path": c.text("path", False),
            "url": c.text("url", False), "note": c.text("note", False),
        }


def _datasets(bundle: Bundle, path: Path) -> None:
    bundle.files.append(path)
    for line, row in read_rows(path, ["dataset", "title", "description"]):
        c = _Checker(path, line, row)
        key = c.text("dataset")
        if key in bundle.datasets:
            raise c.fail("dataset", f"data setet '{key}' finns redan")
        bundle.datasets[key] = {"dataset": key, "title": c.text("title"), "is_demo": False,
                                "origin": "", "description": c.text("description", False),
                                "line": line, "used": False}


def _areas(bundle: Bundle, path: Path) -> None:
    bundle.files.append(path)
    for line, row in read_rows(path, ["area", "level", "geo_name", "note"]):
        c = _Checker(path, line, row)
        key = (c.text("area"), c.choice("level", LEVELS))
        if key in bundle.areas:
            raise c.fail("area", f"området '{key[0]}' ({key[1]}) finns redan")
        geo_name = c.text("geo_name", required=False)
        if geo_name and key[1] != "stadsdel":
            raise c.fail("geo_name", "bara stadsdelar har egna gränser")
        bundle.areas[key] = {"name": key[0], "level": key[1], "geo_name": geo_name, "note": c.text("note", False)}


def _memberships(bundle: Bundle, path: Path) -> None:
    bundle.files.append(path)
    columns = ["member", "member_level", "parent", "parent_level", "valid_from", "valid_to", "source", "line", "note"]
    for line, row in read_rows(path, columns):
        c = _Checker(path, line, row)
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
        c = _Checker(path, line, row)
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


OBSERVATION_COLUMNS = ["measure", "period", "area", "area_level", "gender", "group", "value", "printed", "unit",
                       "kind", "source", "line", "note"]


def _observations(bundle: Bundle, path: Path, dataset: str) -> None:
    bundle.files.append(path)
    if dataset not in bundle.datasets:
        raise LoadError(display_path(path), 1, "(filnamn)", f"data setet '{dataset}' saknas i data/datasets.csv")
    bundle.datasets[dataset].update(used=True, origin=display_path(path))
    seen: dict[tuple, int] = {}
    for line, row in read_rows(path, OBSERVATION_COLUMNS):
        c = _Checker(path, line, row)
        bundle.observations.append(observation(bundle, c, dataset, seen))


def observation(bundle: Bundle, c: _Checker, dataset: str, seen: dict[tuple, int],
                location: str | None = None) -> dict:
    """One validated observation row; `location` overrides the source location (data-file sources)."""
    measure = c.text("measure")
    if measure not in bundle.measures:
        raise c.fail("measure", f"måttet '{measure}' finns inte i data/measures/")
    period = c.text("period")
    try:
        start, end = period_bounds(period)
    except ValueError as error:
        raise c.fail("period", str(error)) from None
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
        c = _Checker(path, line, row)
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


def _indicator_status(bundle: Bundle, path: Path) -> None:
    bundle.files.append(path)
    for line, row in read_rows(path, ["indicator", "period", "status", "source", "line", "note"]):
        c = _Checker(path, line, row)
        indicator = c.text("indicator")
        if indicator not in bundle.indicators:
            raise c.fail("indicator", f"indikatorn '{indicator}' finns inte i data/indicators/")
        period = c.text("period")
        try:
            period_bounds(period)
        except ValueError as error:
            raise c.fail("period", str(error)) from None
        source = c.source(bundle)
        bundle.indicator_status.append({
            "indicator": indicator, "period": period, "status": c.text("status"), "source": source,
            "source_location": c.location(bundle, source), "note": c.text("note", False),
        })


def _glossary(bundle: Bundle, path: Path) -> None:
    bundle.files.append(path)
    seen: set[tuple[str, str]] = set()
    for line, row in read_rows(path, ["term", "definition", "source", "line"]):
        c = _Checker(path, line, row)
        term, source = c.text("term"), c.source(bundle)
        if (term, source) in seen:
            raise c.fail("term", f"termen '{term}' finns redan för källan '{source}'")
        seen.add((term, source))
        bundle.glossary.append({"term": term, "definition": c.text("definition"), "source": source,
                                "source_location": c.location(bundle, source)})


def fingerprint(files: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(display_path(path).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _with_area_ids(row: dict, ids: dict[tuple[str, str], int]) -> dict:
    return {(k.removesuffix("_area") + "_area_id" if k.endswith("_area") else k): (ids[v] if k.endswith("_area") else v)
            for k, v in row.items()}


def write(engine: Engine, bundle: Bundle, extra: list[dict] | None = None) -> dict[str, int]:
    """Replace the database contents with the bundle in one transaction; on any error nothing changes."""
    schema.metadata.create_all(engine)
    with engine.begin() as conn:
        for table in [*reversed(schema.EXTRA_TABLES), *schema.TABLES_CHILD_FIRST]:
            conn.execute(table.delete())
        conn.execute(insert(schema.sources), list(bundle.sources.values()))
        conn.execute(insert(schema.datasets), [
            {k: v for k, v in d.items() if k not in ("line", "used")} for d in bundle.datasets.values()
        ])
        conn.execute(insert(schema.areas), list(bundle.areas.values()))
        ids = {(r.name, r.level): r.area_id for r in conn.execute(select(schema.areas))}
        if bundle.memberships:
            conn.execute(insert(schema.area_memberships), [
                {**{k: v for k, v in m.items() if k not in ("member", "parent")},
                 "member_id": ids[m["member"]], "parent_id": ids[m["parent"]]} for m in bundle.memberships
            ])
        conn.execute(insert(schema.measures), list(bundle.measures.values()))
        rows = [{"qualifier": None, **{k: v for k, v in o.items() if k != "area"}, "area_id": ids[o["area"]]}
                for o in bundle.observations]
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
