"""The one import route: detect → read → validate → Preview → (on confirmation) write in one transaction."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from functools import cache

from sqlalchemy import Connection, Engine, insert, inspect, select, update

from dashboard.core.periods import period_bounds
from dashboard.db import schema
from dashboard.ingest import af, individ, individ_store, jsonstat, kolada, profiles, scb
from dashboard.ingest.areas import AreaIndex, is_code
from dashboard.ingest.errors import IngestError
from dashboard.ingest.mapping import ROLES, Mapping
from dashboard.ingest.model import MeasureText, Parsed, Value
from dashboard.ingest.table import Layout
from dashboard.ingest.who import current_user

# name → (label, detect(data), read(data, file name, progress))
FORMATS: dict[str, tuple[str, Callable[[bytes], bool], Callable[..., Parsed]]] = {
    af.NAME: (af.LABEL, af.detect, af.read),
    kolada.NAME: (kolada.LABEL, kolada.detect, kolada.read),  # before JSON-stat, which takes any JSON object
    jsonstat.NAME: (jsonstat.LABEL, jsonstat.detect, jsonstat.read),
    **{spec.name: (spec.label, individ.detector(spec), individ.reader(spec)) for spec in individ.SPECS.values()},
    scb.NAME: (scb.LABEL, scb.detect, scb.read),  # read by a column mapping: see preview
}
# Formats whose file does not say what its measure is: the preview takes a MeasureText (title, definition, unit).
NEEDS_TEXT = {kolada.NAME}
# Formats read by a column mapping (a saved profile, or one made on the page).
MAPPED = {scb.NAME}
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
    "0180": ("Stockholms stad", "stad"),
    "00 riket": ("Riket", "riket"),
    "0000": ("Riket", "riket"),
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
    # formats read by a column mapping: the table, the mapping used, and what the preview tells about them
    layout: Layout | None = None
    mapping: Mapping | None = None
    recognised: bool = False  # the mapping is a saved profile for this header
    notes: list[str] = field(default_factory=list)

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
    """Lower-case name → (area_id, name) for the areas a file may name: riket, län, the city and the other kommuner,
    a kommun also by its kommunkod ('0184', '0184 Solna')."""
    a = schema.areas
    rows = conn.execute(select(a.c.name, a.c.level, a.c.area_id, a.c.geo_name)
                        .where(a.c.level.in_(["stad", "kommun", "lan", "riket"]))).all()
    found = {(r.name, r.level): r.area_id for r in rows}
    named = {r.name.lower(): (r.area_id, r.name) for r in rows}
    for r in rows:
        if r.level == "kommun" and r.geo_name:
            named[r.geo_name] = named[f"{r.geo_name} {r.name.lower()}"] = (r.area_id, r.name)
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
    match = _matcher(conn, preview)
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
    taken: dict[tuple, dict] = {}
    for value in preview.parsed.values:
        area = match(value)
        if area is None:
            unmatched[value.area] += 1
            continue
        row = _row(value, area, preview.dataset, source, preview.parsed.measures[value.measure]["unit"])
        key = (value.measure, value.period, area[0], value.gender, value.group)
        if key in taken:  # two ways of writing the same area ('Stockholm' and 'Totalt')
            if (taken[key]["value"], taken[key]["status"]) != (row["value"], row["status"]):
                raise IngestError(preview.parsed.file_name, f"{value.location}: '{value.area}' är samma område som "
                                  f"i {taken[key]['source_location']} ({area[1]}) men har ett annat värde")
            continue
        taken[key] = row
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


def _matcher(conn: Connection, preview: Preview) -> Callable[[Value], tuple[int, str] | None]:
    """Value → (area_id, name shown) for the file's areas: kommun, län and riket by name and alias, or the
    city's sub-areas at the level the mapping gives (dashboard/ingest/areas.py)."""
    if preview.parsed.format not in MAPPED:
        named = _areas(conn)
        return lambda value: named.get(value.area.lower())
    a = schema.areas
    index = AreaIndex(conn.execute(select(a.c.area_id, a.c.name, a.c.level, a.c.geo_name)).all())
    auto = [v.area for v in preview.parsed.values if v.level == "auto"]
    resolved = index.resolve(auto) if auto else ""
    if auto:
        preview.notes = [n for n in preview.notes if not n.startswith("Områdesnivå")]
        preview.notes.append(f"Områdesnivå: {LEVEL_WORDS[resolved]} (känns igen ur namnen)")
    found: dict[tuple[str, str], tuple[int, str] | None] = {}

    def match(value: Value) -> tuple[int, str] | None:
        key = (value.area, value.level)
        if key not in found:
            hit = index.match(value.area, resolved if value.level == "auto" else value.level)
            found[key] = (hit[0], f"{hit[1]} ({LEVEL_WORDS[hit[2]]})") if hit else None
        return found[key]
    return match


LEVEL_WORDS = {"stadsdel": "stadsdel", "stadsdelsomrade": "stadsdelsområde", "stad": "staden", "lan": "län",
               "riket": "riket"}


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


class MappingNeeded(IngestError):
    """A file of a mapped format without a mapping: no saved profile fits its header. `start` holds the table and
    a proposed mapping for the page's form."""

    def __init__(self, start: MappingStart, reason: str) -> None:
        lay = start.layout
        super().__init__(lay.file_name, reason, sheet=lay.sheet, row=lay.header_lines[0])
        self.start = start


@dataclass
class MappingStart:
    """What the mapping form starts from: the file's table, the mapping to show (a saved profile for the same
    header when there is one, else a proposal from the header's words) and the saved profiles."""

    format: str
    layout: Layout
    mapping: Mapping
    recognised: bool
    profiles: list[dict]


def mapping_start(data: bytes, file_name: str, engine: Engine, *, format: str | None = None,
                  profile: str | None = None) -> MappingStart | None:
    """For a file read by a column mapping: its table and the mapping to start from; None for other formats."""
    name = format or detect(data, file_name)
    if name not in MAPPED:
        return None
    lay = scb.layout(data, file_name)
    with engine.connect() as conn:
        _ready(conn, file_name)
        saved = profiles.saved(conn, name)
        chosen = _named_profile(conn, lay, profile, saved) if profile else profiles.by_signature(
            conn, name, lay.signature)
    return MappingStart(name, lay, chosen or scb.suggest(lay), chosen is not None, saved)


def _named_profile(conn: Connection, lay: Layout, name: str, saved: list[dict]) -> Mapping:
    chosen = profiles.by_name(conn, name)
    if chosen is None:
        raise IngestError(lay.file_name, f"profilen '{name}' finns inte; " + (
            "sparade profiler: " + ", ".join(f"'{p['name']}'" for p in saved) if saved
            else "inga profiler är sparade än: mappa kolumnerna på sidan Importera"), column="profil")
    if chosen.signature != lay.signature:
        raise IngestError(lay.file_name, f"profilen '{name}' gäller en annan rubrikrad (" + " | ".join(chosen.header)
                          + "); filens är " + " | ".join(c.label for c in lay.columns), sheet=lay.sheet,
                          row=lay.header_lines[0], column="profil")
    return chosen


def _mapping_needed(start: MappingStart) -> MappingNeeded:
    lay = start.layout
    columns = "; ".join(f"{c.name}" + (f": {', '.join(c.samples[:3])} …" if c.samples else "")
                        for c in lay.columns if c.label or c.samples)
    known = ", ".join(f"'{p['name']}'" for p in start.profiles)
    return MappingNeeded(start, f"filen ser ut som {scb.LABEL.split(' (')[0]}, men ingen sparad kolumnmappning "
                         "passar dess rubrikrad. Mappa kolumnerna på sidan Importera: vilken kolumn som är område, "
                         "kön, ålder och period, och vilket mått (med definition och befolkningsbas) varje "
                         f"sifferkolumn är. Kolumnerna: {columns}. Spara mappningen som en profil; sedan läses filer "
                         "med samma rubrikrad med den direkt, här med --profile NAMN"
                         + (f" (sparade profiler, för andra rubrikrader: {known})" if known else ""))


def _mapped_notes(result: Preview) -> None:
    lay, mapping = result.layout, result.mapping
    if result.recognised:
        result.notes.append(f"Kolumnmappning: profilen '{mapping.profile}' (sparad för samma rubrikrad)")
    elif mapping.profile:
        result.notes.append(f"Kolumnmappning: ny eller ändrad, sparas som profilen '{mapping.profile}' vid importen")
    else:
        result.notes.append("Kolumnmappning: sparas inte (ingen profil namngiven)")
    roles = [f"{c.name}: {ROLES[mapping.columns[c.index].role].lower()}" for c in lay.columns
             if mapping.columns[c.index].role in ("", "kod") and (c.label or c.samples)]
    if roles:
        result.notes.append("Kolumner som inte läses in: " + "; ".join(roles))
    if lay.other_sheets:
        result.notes.append("Blad som inte läses: " + ", ".join(lay.other_sheets))
    if lay.encoding and lay.encoding != "UTF-8":
        result.notes.append(f"Teckenkodning: {lay.encoding}")


def preview(data: bytes, file_name: str, engine: Engine, *, format: str | None = None, dataset: str | None = None,
            progress: Callable[[float, str], None] | None = None, text: MeasureText | None = None,
            mapping: Mapping | None = None, profile: str | None = None) -> Preview:
    """Read and validate `data` (the file's bytes) and say what importing it would do; writes nothing. `text`:
    title, definition and unit of a file that does not carry them (a Kolada values file).
    A mapped format (SCB's delområde tables) is read by `mapping`, else by the saved profile `profile`, else by
    the profile saved for the same header; without any, MappingNeeded says which columns need mapping."""
    if format is not None and format not in FORMATS:
        raise IngestError(file_name, f"filtypen '{format}' finns inte; kända filtyper: {', '.join(FORMATS)}")
    name = format or detect(data, file_name)
    if text and name not in NEEDS_TEXT:
        raise IngestError(file_name, "titel, definition, enhet och beskrivning av nyckeltalet anges bara för "
                          "filtyper vars fil inte själv säger vad måttet är (" + ", ".join(sorted(NEEDS_TEXT)) + ")")
    if name in INDIVIDUAL:
        return _preview_individual(name, data, file_name, engine, dataset, progress)
    lay, recognised = None, False
    if name in MAPPED:
        if mapping is None:
            start = mapping_start(data, file_name, engine, format=name, profile=profile)
            if not start.recognised:
                raise _mapping_needed(start)
            mapping, recognised = start.mapping, True
        lay = scb.layout(data, file_name)
        mapping = replace(mapping, signature=mapping.signature or lay.signature,
                          header=mapping.header or [c.label for c in lay.columns])
        parsed = scb.read(lay, mapping, progress)
    else:
        reader = FORMATS[name][2]
        parsed = reader(data, file_name, progress, text=text) if name in NEEDS_TEXT else \
            reader(data, file_name, progress)
    with engine.connect() as conn:
        _ready(conn, file_name)
        chosen = dataset or parsed.dataset
        result = Preview(parsed=parsed, sha256=sha256(data), content=data, dataset=chosen,
                         dataset_exists=_check_dataset(conn, chosen, file_name), layout=lay, mapping=mapping,
                         recognised=recognised)
        if lay is not None:
            saved = profiles.by_name(conn, mapping.profile) if mapping.profile else None
            result.recognised = saved is not None and saved.same_as(mapping)
            _mapped_notes(result)
        _check_measures(conn, parsed)
        _classify(conn, result)
        if inspect(conn).has_table("imports"):
            i = schema.imports
            result.earlier_imports = [dict(r._mapping) for r in conn.execute(
                select(i.c.import_id, i.c.dataset, i.c.imported_at, i.c.imported_by)
                .where(i.c.sha256 == result.sha256).order_by(i.c.import_id))]
    if not result.rows:
        codes = all(is_code(name) for name in result.unmatched)
        raise IngestError(file_name, "inget område i filen finns i databasen, så inget kan läsas in (okända: "
                          + ", ".join(list(result.unmatched)[:10]) + ")" + (
                              "; områdena är bara koder, och projektet har inga områdeskoder (Nyko): mappa en "
                              "kolumn med områdenas namn" if codes else ""))
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
    schema.metadata.create_all(engine, tables=[schema.imports, schema.import_profiles])
    with engine.begin() as conn:
        _ready(conn, file_name)
        upgrade(conn)
        preview.dataset_exists = _check_dataset(conn, preview.dataset, file_name)
        _check_measures(conn, preview.parsed)
        _classify(conn, preview)
        if preview.mapping is not None and preview.mapping.profile:  # the analyst's mapping, with the import
            profiles.save(conn, preview.mapping, preview.format, who(), file_name)
        if not preview.changes:
            return Outcome(None, preview.dataset, 0, 0, preview.unchanged)
        _write(conn, preview, description)
        result = conn.execute(insert(schema.imports).values(
            file_name=file_name, sha256=preview.sha256, format=preview.format, dataset=preview.dataset,
            rows=len(preview.rows), new_rows=preview.new, replaced_rows=preview.replaced,
            unchanged_rows=preview.unchanged, imported_at=datetime.now(UTC), description=description,
            imported_by=who(), content=preview.content, note=_log_note(preview)))
        return Outcome(int(result.inserted_primary_key[0]), preview.dataset, preview.new, preview.replaced,
                       preview.unchanged)


def _log_note(preview: Preview) -> str | None:
    parts = []
    if preview.mapping is not None:
        parts.append(f"Kolumnmappning: profilen '{preview.mapping.profile}'" if preview.mapping.profile
                     else "Kolumnmappning utan sparad profil")
    if preview.unmatched:
        parts.append(f"{sum(preview.unmatched.values())} rader med okända områden lästes inte in: "
                     + ", ".join(preview.unmatched))
    return ". ".join(parts) or None


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
