"""The schema as the last release before imports had it (frozen copy of dashboard/db/schema.py at main dcc13be):
an upgrade test builds a database with it and checks that nothing in it is lost."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

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
)

datasets = Table(
    "datasets",
    metadata,
    Column("dataset", String(80), primary_key=True),
    Column("title", Text, nullable=False),
    Column("is_demo", Boolean, nullable=False, default=False),
    Column("origin", Text, nullable=False),  # the file it was loaded from
    Column("description", Text),
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
    Column("value", Float, nullable=False),
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

build_info = Table(
    "build_info",
    metadata,
    Column("key", String(40), primary_key=True),
    Column("value", Text, nullable=False),
)

# Children before parents: the order in which a rebuild empties the tables.
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
