"""The one import route: detect → read → validate → Preview → (on confirmation) write in one transaction."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache

from sqlalchemy import Connection, Engine, insert, inspect, select, update

from dashboard.core.periods import period_bounds
from dashboard.db import schema
from dashboard.ingest import af, individ, individ_store, jsonstat, kolada
from dashboard.ingest.errors import IngestError
from dashboard.ingest.model import MeasureText, Parsed, Value
from dashboard.ingest.who import current_user

# name → (label, detect(data), read(data, file name, progress))
FORMATS: dict[str, tuple[str, Callable[[bytes], bool], Callable[..., Parsed]]] = {
    af.NAME: (af.LABEL, af.detect, af.read),
    kolada.NAME: (kolada.LABEL, kolada.detect, kolada.read),  # before JSON-stat, which takes any JSON object
    jsonstat.NAME: (jsonstat.LABEL, jsonstat.detect, jsonstat.read),
    **{spec.name: (spec.label, individ.detector(spec), individ.reader(spec)) for spec in individ.SPECS.values()},
}
# Formats whose file does not say what its measure is: the preview takes a MeasureText (title, definition, unit).
NEEDS_TEXT = {kolada.NAME}
# Individual-level extracts: rows of the individ_* tables, not observations (dashboard/ingest/individ_store.py).
INDIVIDUAL = set(individ.SPECS)
DATASET_ID = re.compile(r"[a-z][a-z0-9_]{0,79}")
KIND = "utfall"
# How files write the areas the project has (lower case) → (name, level) in the areas table.
ALIASES = {
    "stockholm": ("Stockholms stad", "stad"),
    "stockholms kommun": ("Stockholms stad", "stad"),
    "stockholms stad": ("Stockholms stad", "stad"),
    "stockholms län": ("Stockholms län", "lan"),
    "01 stockholms län": ("Stockholms län", "lan"),
    "riket": ("Riket", "riket"),
    "hela riket": ("Riket", "riket"),
    "sverige": ("Riket", "riket"),
    "0180 stockholm": ("Stockholms stad", "stad"),
    "00 riket": ("Riket", "riket"),
}


@dataclass
class Preview:
    """What an import would do, before anything is written."""

    parsed: Parsed
    sha256: str
    content: bytes
    dataset: str
    dataset_exists: bool
    rows: list[dict] = field(default_factory=list)  # observation rows for the matched values
    new: int = 0
    replaced: int = 0
    unchanged: int = 0
    unmatched: dict[str, int] = field(default_factory=dict)  # area name as written → rows
    earlier_imports: list[dict] = field(default_factory=list)  # the same file imported before
    # individual-level extracts: the rows to write, and why the import is refused (a stadsdel matching nothing)
    records: dict[str, list[dict]] = field(default_factory=dict)
    refusal: str | None = None

    @property
    def individual(self) -> bool:
        return self.parsed.format in INDIVIDUAL

    @property
    def format(self) -> str:
        return self.parsed.format

    @property
    def format_label(self) -> str:
        return FORMATS[self.parsed.format][0]

    @property
    def changes(self) -> int:
        return self.new + self.replaced

    def counts(self, what: str) -> Counter:
        """Rows per measure, period, area, gender ('kön') or group among the values that will be imported."""
        column = {"kön": "gender", "grupp": "population_group", "område": "area_name"}.get(what, what)
        return Counter(row[column] for row in self.rows)

    def statuses(self) -> Counter:
        return Counter(schema.STATUSES[row["status"]] for row in self.rows if row["status"])


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def detect(data: bytes, file_name: str) -> str:
    """The format of the file, or an IngestError saying which formats it is not."""
    for name, (_label, test, _read) in FORMATS.items():
        if test(data):
            return name
    if not data.strip():
        raise IngestError(file_name, "filen är tom")
    if af.is_excel(data):
        af.open_workbook(data, file_name).close()  # an unreadable workbook gets its own message
        raise IngestError(file_name, "Excel-filen har inget blad med rubrikraden PERIOD | LÄN | KOMMUN | KOEN | "
                          "ARBETSLÖSA bland de första raderna; ingen känd filtyp (" + ", ".join(FORMATS) + ")")
    raise IngestError(file_name, "filtypen känns inte igen; kända filtyper: " +
                      "; ".join(f"{name} ({label})" for name, (label, _d, _r) in FORMATS.items()))


def _ready(conn: Connection, file_name: str) -> None:
    """The database is built, by this version (an older one is upgraded by build-db, keeping everything)."""
    inspector = inspect(conn)
    if not inspector.has_table("areas"):
        raise IngestError(file_name, "databasen är inte byggd; kör först python -m dashboard build-db")
    if "provenance" not in {c["name"] for c in inspector.get_columns("datasets")}:
        raise IngestError(file_name, "databasen är byggd av en äldre version; kör python -m dashboard build-db, som "
                          "uppgraderar den och behåller allt som finns i den")


def _areas(conn: Connection) -> dict[str, tuple[int, str]]:
    """Lower-case name → (area_id, name) for the areas a file may name (kommun, län, riket level)."""
    found = {(r.name, r.level): r.area_id for r in conn.execute(
        select(schema.areas.c.name, schema.areas.c.level, schema.areas.c.area_id)
        .where(schema.areas.c.level.in_(["stad", "lan", "riket"])))}
    named = {name.lower(): (area_id, name) for (name, _level), area_id in found.items()}
    named.update({alias: (found[key], key[0]) for alias, key in ALIASES.items() if key in found})
    return named


def _check_dataset(conn: Connection, dataset: str, file_name: str) -> bool:
    """Whether the data set exists already (as an import); refuses a bad id or a bundled data set."""
    if not DATASET_ID.fullmatch(dataset):
        raise IngestError(file_name, f"'{dataset}' duger inte som namn på ett data set: små bokstäver a–z, siffror "
                          "och _, börjar med en bokstav, högst 80 tecken", column="data set")
    row = conn.execute(select(schema.datasets.c.provenance).where(schema.datasets.c.dataset == dataset)).first()
    if row is not None and row.provenance != schema.IMPORT:
        raise IngestError(file_name, f"data setet '{dataset}' hör till de inbyggda uppgifterna i data/ och kan inte "
                          "ersättas av en import; välj ett annat namn", column="data set")
    return row is not None


def _check_measures(conn: Connection, parsed: Parsed) -> None:
    """A figure goes only into a measure of the same definition, and never into a bundled measure."""
    m = schema.measures
    existing = {r.measure: r for r in conn.execute(select(m).where(m.c.measure.in_(list(parsed.measures))))}
    for key, wanted in parsed.measures.items():
        have = existing.get(key)
        if have is None:
            continue
        if have.provenance != schema.IMPORT:
            raise IngestError(parsed.file_name, f"måttet '{key}' hör till de inbyggda uppgifterna och kan inte få "
                              "importerade värden")
        for column in ("definition", "unit", "population_base"):
            if getattr(have, column) != wanted[column]:
                raise IngestError(parsed.file_name, f"måttet '{key}' finns redan med en annan {column} "
                                  f"('{getattr(have, column)}'); filens värden hör till ett annat mått")


def _classify(conn: Connection, preview: Preview) -> None:
    """Match areas, build the rows and count new / replacing / unchanged against the data set's values."""
    named = _areas(conn)
    o = schema.observations
    existing = {
        (r.measure, r.period, r.area_id, r.gender, r.population_group): (r.value, r.status)
        for r in conn.execute(select(o.c.measure, o.c.period, o.c.area_id, o.c.gender, o.c.population_group,
                                     o.c.value, o.c.status).where(o.c.dataset == preview.dataset, o.c.kind == KIND))
    }
    preview.rows, preview.unmatched = [], {}
    preview.new = preview.replaced = preview.unchanged = 0
    unmatched: Counter = Counter()
    source = source_id(preview.sha256)
    for value in preview.parsed.values:
        area = named.get(value.area.lower())
        if area is None:
            unmatched[value.area] += 1
            continue
        row = _row(value, area, preview.dataset, source, preview.parsed.measures[value.measure]["unit"])
        key = (value.measure, value.period, area[0], value.gender, value.group)
        if key not in existing:
            row["_state"] = "ny"
            preview.new += 1
        elif existing[key] == (row["value"], row["status"]):
            row["_state"] = "oförändrad"
            preview.unchanged += 1
        else:
            row["_state"] = "ersätter"
            preview.replaced += 1
        preview.rows.append(row)
    preview.unmatched = dict(sorted(unmatched.items(), key=lambda item: (-item[1], item[0])))


@cache
def _bounds(period: str) -> tuple[date, date]:
    return period_bounds(period)


def _row(value: Value, area: tuple[int, str], dataset: str, source: str, unit: str) -> dict:
    start, end = _bounds(value.period)
    return {"dataset": dataset, "measure": value.measure, "period": value.period, "period_start": start,
            "period_end": end, "area_id": area[0], "area_name": area[1], "gender": value.gender,
            "population_group": value.group, "value": value.value, "status": value.status,
            "printed": value.printed, "qualifier": None, "unit": unit, "kind": KIND, "source": source,
            "source_location": value.location, "note": None}


def source_id(digest: str) -> str:
    return f"fil_{digest[:16]}"


def preview(data: bytes, file_name: str, engine: Engine, *, format: str | None = None, dataset: str | None = None,
            progress: Callable[[float, str], None] | None = None, text: MeasureText | None = None) -> Preview:
    """Read and validate `data` (the file's bytes) and say what importing it would do; writes nothing. `text`:
    title, definition and unit of a file that does not carry them (a Kolada values file)."""
    if format is not None and format not in FORMATS:
        raise IngestError(file_name, f"filtypen '{format}' finns inte; kända filtyper: {', '.join(FORMATS)}")
    name = format or detect(data, file_name)
    if text and name not in NEEDS_TEXT:
        raise IngestError(file_name, "titel, definition, enhet och beskrivning av nyckeltalet anges bara för "
                          "filtyper vars fil inte själv säger vad måttet är (" + ", ".join(sorted(NEEDS_TEXT)) + ")")
    if name in INDIVIDUAL:
        return _preview_individual(name, data, file_name, engine, dataset, progress)
    reader = FORMATS[name][2]
    parsed = reader(data, file_name, progress, text=text) if name in NEEDS_TEXT else reader(data, file_name, progress)
    with engine.connect() as conn:
        _ready(conn, file_name)
        chosen = dataset or parsed.dataset
        result = Preview(parsed=parsed, sha256=sha256(data), content=data, dataset=chosen,
                         dataset_exists=_check_dataset(conn, chosen, file_name))
        _check_measures(conn, parsed)
        _classify(conn, result)
        if inspect(conn).has_table("imports"):
            i = schema.imports
            result.earlier_imports = [dict(r._mapping) for r in conn.execute(
                select(i.c.import_id, i.c.dataset, i.c.imported_at, i.c.imported_by)
                .where(i.c.sha256 == result.sha256).order_by(i.c.import_id))]
    if not result.rows:
        raise IngestError(file_name, "inget område i filen finns i databasen, så inget kan läsas in (okända: "
                          + ", ".join(list(result.unmatched)[:10]) + ")")
    return result


def _preview_individual(name: str, data: bytes, file_name: str, engine: Engine, dataset: str | None,
                        progress: Callable[[float, str], None] | None) -> Preview:
    """An individual-level extract: the privacy guard and the reading run before anything else is done."""
    with engine.connect() as conn:
        _ready(conn, file_name)
        parsed = FORMATS[name][2](data, file_name, progress, known=individ_store.known_names(conn))
        chosen = dataset or parsed.dataset
        result = Preview(parsed=parsed, sha256=sha256(data), content=b"", dataset=chosen,
                         dataset_exists=_check_dataset(conn, chosen, file_name))
        individ_store.classify(conn, result)
        _earlier(conn, result)
    return result


def _earlier(conn: Connection, result: Preview) -> None:
    if inspect(conn).has_table("imports"):
        i = schema.imports
        result.earlier_imports = [dict(r._mapping) for r in conn.execute(
            select(i.c.import_id, i.c.dataset, i.c.imported_at, i.c.imported_by)
            .where(i.c.sha256 == result.sha256).order_by(i.c.import_id))]


@dataclass
class Outcome:
    import_id: int | None  # None: nothing to change, nothing written
    dataset: str
    new: int
    replaced: int
    unchanged: int
    protected_cells: int = 0  # individual-level imports: cells of the protected tables computed again


def commit(preview: Preview, engine: Engine, *, description: str, dataset: str | None = None,
           who: Callable[[], str] = current_user) -> Outcome:
    """Write what `preview` showed, in one transaction, with its log entry. The comparison is made again inside
    the transaction, so a change since the preview is not overwritten unseen. A file whose every value is
    already there changes nothing and is not logged again."""
    from dashboard.db.upgrade import upgrade

    description = " ".join(description.split())
    if not description:
        raise IngestError(preview.parsed.file_name, "beskriv varifrån filen kommer (t.ex. 'Arbetsförmedlingens "
                          "webbplats, hämtad 2026-09-15')", column="beskrivning")
    if dataset and dataset != preview.dataset:
        preview.dataset = dataset
    file_name = preview.parsed.file_name
    if preview.individual:
        with engine.connect() as conn:
            _ready(conn, file_name)
            preview.dataset_exists = _check_dataset(conn, preview.dataset, file_name)
        import_id, cells = individ_store.commit(preview, engine, description=description, who=who)
        return Outcome(import_id, preview.dataset, preview.new if import_id else 0,
                       preview.replaced if import_id else 0, preview.unchanged, cells)
    schema.metadata.create_all(engine, tables=[schema.imports])
    with engine.begin() as conn:
        _ready(conn, file_name)
        upgrade(conn)
        preview.dataset_exists = _check_dataset(conn, preview.dataset, file_name)
        _check_measures(conn, preview.parsed)
        _classify(conn, preview)
        if not preview.changes:
            return Outcome(None, preview.dataset, 0, 0, preview.unchanged)
        _write(conn, preview, description)
        result = conn.execute(insert(schema.imports).values(
            file_name=file_name, sha256=preview.sha256, format=preview.format, dataset=preview.dataset,
            rows=len(preview.rows), new_rows=preview.new, replaced_rows=preview.replaced,
            unchanged_rows=preview.unchanged, imported_at=datetime.now(UTC), description=description,
            imported_by=who(), content=preview.content,
            note=(f"{sum(preview.unmatched.values())} rader med okända områden lästes inte in: "
                  + ", ".join(preview.unmatched)) if preview.unmatched else None))
        return Outcome(int(result.inserted_primary_key[0]), preview.dataset, preview.new, preview.replaced,
                       preview.unchanged)


def _write(conn: Connection, preview: Preview, description: str) -> None:
    parsed, source = preview.parsed, source_id(preview.sha256)
    if not conn.execute(select(schema.sources.c.source).where(schema.sources.c.source == source)).first():
        conn.execute(insert(schema.sources).values(
            source=source, kind="fil", title=f"{parsed.file_name} ({preview.format_label})",
            publisher=parsed.publisher, year=None, path=parsed.file_name, url=None,
            note=f"Importerad fil, sha256 {preview.sha256}. {description}", provenance=schema.IMPORT))
    if not preview.dataset_exists:
        conn.execute(insert(schema.datasets).values(
            dataset=preview.dataset, title=parsed.title, is_demo=False, origin=parsed.file_name,
            description=description, provenance=schema.IMPORT))
    else:
        conn.execute(update(schema.datasets).where(schema.datasets.c.dataset == preview.dataset)
                     .values(origin=parsed.file_name))
    m = schema.measures
    have = set(conn.execute(select(m.c.measure).where(m.c.measure.in_(list(parsed.measures)))).scalars())
    new_measures = [{**v, "provenance": schema.IMPORT} for k, v in parsed.measures.items() if k not in have]
    if new_measures:
        conn.execute(insert(m), new_measures)
    clean = [{k: v for k, v in row.items() if not k.startswith("_") and k != "area_name"}
             for row in preview.rows if row["_state"] == "ny"]
    for start in range(0, len(clean), 5000):
        conn.execute(insert(schema.observations), clean[start:start + 5000])
    o = schema.observations
    for row in preview.rows:
        if row["_state"] == "ersätter":
            conn.execute(update(o).where(
                o.c.dataset == row["dataset"], o.c.measure == row["measure"], o.c.period == row["period"],
                o.c.area_id == row["area_id"], o.c.gender == row["gender"],
                o.c.population_group == row["population_group"], o.c.kind == KIND,
            ).values(value=row["value"], status=row["status"], printed=row["printed"], source=row["source"],
                     source_location=row["source_location"]))
