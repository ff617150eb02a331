"""The database schema: one SQLAlchemy Core model for SQLite and PostgreSQL."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from dashboard.core.numbers import STATUS_TEXT

metadata = MetaData()

# Where a row came from: 'bundle' (data/ and the demo generators: build-db replaces it) or 'import' (a file the
# city imported: it exists only in the database, and build-db never touches it).
BUNDLE, IMPORT = "bundle", "import"


def _provenance() -> Column:
    return Column("provenance", String(10), nullable=False, default=BUNDLE, server_default=BUNDLE)


sources = Table(
    "sources",
    metadata,
    Column("source", String(80), primary_key=True),
    Column("kind", String(20), nullable=False),  # dokument, fil, beslut, artikel, rapport, demo
    Column("title", Text, nullable=False),
    Column("publisher", Text),
    Column("year", Integer),
    Column("path", Text),
    Column("url", Text),
    Column("note", Text),
    _provenance(),
)

datasets = Table(
    "datasets",
    metadata,
    Column("dataset", String(80), primary_key=True),
    Column("title", Text, nullable=False),
    Column("is_demo", Boolean, nullable=False, default=False),
    Column("origin", Text, nullable=False),  # the file it was loaded from
    Column("description", Text),
    _provenance(),
)

areas = Table(
    "areas",
    metadata,
    Column("area_id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(120), nullable=False),
    # riket, lan, stad, stadsdelsomrade, stadsdel, fokusomrade, rapportgrupp, enhet
    Column("level", String(20), nullable=False),
    Column("geo_name", String(120)),
    Column("note", Text),
    UniqueConstraint("name", "level", name="uq_area_name_level"),
)

area_memberships = Table(
    "area_memberships",
    metadata,
    Column("membership_id", Integer, primary_key=True, autoincrement=True),
    Column("member_id", ForeignKey("areas.area_id"), nullable=False),
    Column("parent_id", ForeignKey("areas.area_id"), nullable=False),
    Column("valid_from", Date),
    Column("valid_to", Date),  # inclusive; NULL = still valid
    Column("source", ForeignKey("sources.source"), nullable=False),
    Column("source_location", Text),
    Column("note", Text),
)

measures = Table(
    "measures",
    metadata,
    Column("measure", String(80), primary_key=True),
    Column("name", Text, nullable=False),
    Column("definition", Text),
    Column("unit", String(20), nullable=False),
    Column("topic", String(40)),
    Column("higher_is_better", Boolean),
    Column("population_base", Text),
    Column("source", ForeignKey("sources.source")),
    Column("source_location", Text),
    _provenance(),
)

observations = Table(
    "observations",
    metadata,
    Column("observation_id", Integer, primary_key=True, autoincrement=True),
    Column("dataset", ForeignKey("datasets.dataset"), nullable=False),
    Column("measure", ForeignKey("measures.measure"), nullable=False, index=True),
    Column("period", String(24), nullable=False),
    Column("period_start", Date, nullable=False),
    Column("period_end", Date, nullable=False),
    Column("area_id", ForeignKey("areas.area_id"), nullable=False, index=True),
    Column("gender", String(10), nullable=False),  # kvinnor, män, totalt
    Column("population_group", String(120), nullable=False),
    Column("value", Float),  # NULL only with a status: a cell the publisher suppressed
    Column("status", String(20)),  # NULL = a number; STATUSES otherwise
    Column("printed", String(40)),
    Column("qualifier", String(40)),  # as printed before the number ("drygt", "omkring"); NULL = exact
    Column("unit", String(20), nullable=False),
    Column("kind", String(20), nullable=False),  # utfall, mål, kf-mål, prognos, budget, jämförelse
    Column("source", ForeignKey("sources.source"), nullable=False),
    Column("source_location", Text, nullable=False),
    Column("note", Text),
    UniqueConstraint(
        "dataset", "measure", "period", "area_id", "gender", "population_group", "kind", name="uq_observation"
    ),
)

indicators = Table(
    "indicators",
    metadata,
    Column("indicator", String(80), primary_key=True),
    Column("name", Text, nullable=False),
    Column("measure", ForeignKey("measures.measure")),
    Column("source", ForeignKey("sources.source"), nullable=False),
    Column("source_location", Text),
    Column("inriktningsmal", Text),
    Column("kf_mal", Text),
    Column("namndmal", Text),
    Column("periodicity", String(40)),
    Column("by_gender", Boolean),
    Column("note", Text),
)

indicator_status = Table(
    "indicator_status",
    metadata,
    Column("status_id", Integer, primary_key=True, autoincrement=True),
    Column("indicator", ForeignKey("indicators.indicator"), nullable=False),
    Column("period", String(24), nullable=False),
    Column("status", Text, nullable=False),
    Column("source", ForeignKey("sources.source"), nullable=False),
    Column("source_location", Text),
    Column("note", Text),
)

glossary = Table(
    "glossary",
    metadata,
    Column("entry_id", Integer, primary_key=True, autoincrement=True),
    Column("term", String(200), nullable=False),
    Column("definition", Text, nullable=False),
    Column("source", ForeignKey("sources.source"), nullable=False),
    Column("source_location", Text),
    UniqueConstraint("term", "source", name="uq_glossary_term_source"),
)

# Cells a publisher prints instead of a number, stored as what they are (value NULL), never as a number.
STATUSES = STATUS_TEXT  # "under_5": "<5", "prickad": ".."

# Every import, kept with its original file: what was read, from where, by whom.
imports = Table(
    "imports",
    metadata,
    Column("import_id", Integer, primary_key=True, autoincrement=True),
    Column("file_name", Text, nullable=False),
    Column("sha256", String(64), nullable=False, index=True),
    Column("format", String(40), nullable=False),
    Column("dataset", String(80), nullable=False),  # no foreign key: the log outlives a removed data set
    Column("rows", Integer, nullable=False),  # rows in the file that were read as values
    Column("new_rows", Integer, nullable=False),
    Column("replaced_rows", Integer, nullable=False),
    Column("unchanged_rows", Integer, nullable=False),
    Column("imported_at", DateTime(timezone=True), nullable=False),
    Column("description", Text, nullable=False),  # where the file came from, in the importer's words
    Column("imported_by", Text, nullable=False),
    Column("content", LargeBinary, nullable=False),  # the original file
    Column("note", Text),
)

# Column mappings saved as named profiles (dashboard/ingest/mapping.py): the next file with the same header
# signature is read by its profile at once. User content: build-db never empties it.
import_profiles = Table(
    "import_profiles",
    metadata,
    Column("name", String(120), primary_key=True),
    Column("format", String(40), nullable=False),
    Column("signature", String(64), nullable=False, index=True),
    Column("header", Text, nullable=False),  # the column names, for people
    Column("mapping", Text, nullable=False),  # JSON
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("created_by", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("updated_by", Text, nullable=False),
)

build_info = Table(
    "build_info",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("value", Text, nullable=False),
)

# Children before parents: the tables build-db rewrites (in sources, datasets, measures and observations only the
# bundled rows; areas are kept by name and level). Not here: imports, import_profiles and the decks, which build-db
# never touches.
TABLES_CHILD_FIRST = [
    indicator_status,
    glossary,
    observations,
    indicators,
    area_memberships,
    measures,
    areas,
    datasets,
    sources,
    build_info,
]

# Tables that other modules add to the same metadata (the individual-level demo), parents first.
EXTRA_TABLES: list[Table] = []
