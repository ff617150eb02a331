"""Tables for pseudonymous individual-level data, on the shared `dashboard.db.schema.metadata`.

Every foreign key is indexed: without it, emptying a parent table on PostgreSQL checks each deleted row
against a sequential scan of its (just emptied, not yet vacuumed) child table.

One row per person, per KAA register year, per outreach contact, per Jobbtorg enrolment and per
Stockholmsjobb employment. Ids are strings (the case system's pseudonyms; the demo uses "demo-…"), so a
later export of real data can be loaded beside the demo without clashing sequences. Every table has
`dataset` (FK to datasets), and counts are always reported per data set.
"""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, Column, Date, ForeignKey, Index, Integer, String, Table

from dashboard.db import schema
from dashboard.db.schema import metadata

GENDERS = ("kvinnor", "män")
AGE_BANDS = ("16–19", "20–24", "25–29", "30–44", "45–64")
OUTCOMES = ("arbete", "studier", "annat")  # KAA utfall, Jobbtorg exit, Stockholmsjobb after 3 months
MALGRUPPER = ("Försörjningsstöd", "KAA 16-19 år", "Ingång 20-29 år", "Stockholmsjobb", "Övriga målgrupper")
FINANCING = ("arbetsmarknadsnämnden", "stadsdelsnämnd")
SJ_KINDS = ("serviceassistent", "arbetslag/introjobb", "ungdomsanställning", "övrig anställning")
CHANNELS = ("hembesök", "telefon", "sms", "brev", "digitalt", "skolan")


def _in(column: str, values: tuple[str, ...], nullable: bool = False) -> CheckConstraint:
    allowed = ", ".join(f"'{v}'" for v in values)
    condition = f"{column} IN ({allowed})"
    return CheckConstraint(f"{column} IS NULL OR {condition}" if nullable else condition)


def _dataset() -> Column:
    return Column("dataset", ForeignKey("datasets.dataset"), nullable=False, index=True)


personer = Table(
    "individ_personer",
    metadata,
    Column("person_id", String(40), primary_key=True),  # pseudonym, never a personnummer
    _dataset(),
    Column("gender", String(10), nullable=False),
    Column("age_band", String(10), nullable=False),  # at the first registration in the export
    Column("home_area_id", ForeignKey("areas.area_id"), nullable=False, index=True),  # stadsdel of residence
    _in("gender", GENDERS),
    _in("age_band", AGE_BANDS),
)

kaa = Table(
    "individ_kaa",
    metadata,
    Column("kaa_id", String(40), primary_key=True),
    _dataset(),
    Column("person_id", ForeignKey("individ_personer.person_id"), nullable=False, index=True),
    Column("year", Integer, nullable=False),  # one row per person and register year
    Column("registered_from", Date, nullable=False),  # first day in the register that year
    Column("registered_to", Date),  # left the register that year; NULL = still in it at year end
    Column("uppsokt", Boolean, nullable=False),
    Column("nadd", Boolean, nullable=False),
    Column("inskriven", Boolean, nullable=False),  # tagit del av stöd
    Column("inskriven_from", Date),
    Column("avslutad", Boolean, nullable=False),
    Column("avslutad_on", Date),
    Column("utfall", String(10)),  # arbete, studier, annat; only when avslutad
    _in("utfall", OUTCOMES, nullable=True),
    CheckConstraint("(NOT nadd) OR uppsokt", name="ck_kaa_nadd_uppsokt"),
    CheckConstraint("(NOT inskriven) OR nadd", name="ck_kaa_inskriven_nadd"),
    CheckConstraint("(NOT avslutad) OR inskriven", name="ck_kaa_avslutad_inskriven"),
    CheckConstraint("(avslutad AND utfall IS NOT NULL) OR (NOT avslutad AND utfall IS NULL)",
                    name="ck_kaa_utfall"),
    Index("ix_individ_kaa_person_year", "person_id", "year", unique=True),
)

kontakter = Table(
    "individ_kontakter",
    metadata,
    Column("contact_id", String(40), primary_key=True),
    _dataset(),
    Column("person_id", ForeignKey("individ_personer.person_id"), nullable=False, index=True),
    Column("kaa_id", ForeignKey("individ_kaa.kaa_id"), index=True),  # the register year it belongs to
    Column("contact_date", Date, nullable=False),
    Column("channel", String(20), nullable=False),
    Column("reached", Boolean, nullable=False),  # contact established
    _in("channel", CHANNELS),
)

jobbtorg = Table(
    "individ_jobbtorg",
    metadata,
    Column("enrolment_id", String(40), primary_key=True),
    _dataset(),
    Column("person_id", ForeignKey("individ_personer.person_id"), nullable=False, index=True),
    Column("malgrupp", String(40), nullable=False),
    Column("kaa_id", ForeignKey("individ_kaa.kaa_id"), index=True),  # målgrupp KAA: the register year
    Column("start_date", Date, nullable=False),
    Column("end_date", Date),  # NULL = still enrolled at the export
    # arbete, studier, annat = an avslut; NULL with an end date = moved to another målgrupp or to
    # next year's KAA registration (not an avslut).
    Column("exit", String(10)),
    _in("malgrupp", MALGRUPPER),
    _in("exit", OUTCOMES, nullable=True),
    CheckConstraint("end_date IS NULL OR end_date >= start_date", name="ck_jobbtorg_dates"),
    CheckConstraint("exit IS NULL OR end_date IS NOT NULL", name="ck_jobbtorg_exit"),
)

stockholmsjobb = Table(
    "individ_stockholmsjobb",
    metadata,
    Column("job_id", String(40), primary_key=True),
    _dataset(),
    Column("person_id", ForeignKey("individ_personer.person_id"), nullable=False, index=True),
    Column("enrolment_id", ForeignKey("individ_jobbtorg.enrolment_id"), index=True),  # the Jobbtorg enrolment
    Column("kind", String(30), nullable=False),
    Column("start_date", Date, nullable=False),
    Column("end_date", Date),  # NULL = still employed at the export
    Column("financing", String(30), nullable=False),
    # the paying unit: Stockholms stad (nämnden) or the stadsdelsnämnd's stadsdelsområde at the start
    Column("financing_area_id", ForeignKey("areas.area_id"), nullable=False, index=True),
    Column("yrkeskurs", Boolean, nullable=False),
    Column("outcome_3m", String(10)),  # arbete, studier, annat 3 months after the end; NULL = not followed up
    _in("kind", SJ_KINDS),
    _in("financing", FINANCING),
    _in("outcome_3m", OUTCOMES, nullable=True),
    CheckConstraint("end_date IS NULL OR end_date >= start_date", name="ck_sthlmsjobb_dates"),
    CheckConstraint("outcome_3m IS NULL OR end_date IS NOT NULL", name="ck_sthlmsjobb_outcome"),
)

# The protected tables of "Uppföljning per område", computed once per build (dashboard/db/protected.py):
# one row per register, data set, year, level, area, kön, målgrupp ("" where none) and count.
skyddat = Table(
    "individ_skyddat",
    metadata,
    Column("register", String(20), primary_key=True),
    Column("dataset", ForeignKey("datasets.dataset"), primary_key=True, index=True),
    Column("year", Integer, primary_key=True),
    Column("level", String(20), primary_key=True),
    Column("area", String(100), primary_key=True),
    Column("gender", String(10), primary_key=True),
    Column("malgrupp", String(40), primary_key=True),
    Column("count", String(30), primary_key=True),
    Column("value", Integer),  # NULL where hidden
    Column("display", String(10), nullable=False),  # as shown: "1 234", "<5" or ".."
    _in("register", ("kaa", "jobbtorg", "stockholmsjobb")),
)

# The secret that turns a case system's id into the project's pseudonym (dashboard/ingest/pseudonym.py): made
# once, on the first import of individual-level data, and never rewritten by build-db (not in EXTRA_TABLES), so
# the same person keeps the same pseudonym in every later import. DASHBOARD_PSEUDONYM_KEY overrides it.
nyckel = Table(
    "individ_nyckel",
    metadata,
    Column("name", String(20), primary_key=True),
    Column("secret", String(128), nullable=False),
)

# Parents first (write() empties them in reverse). The protected tables are derived: write() empties them
# too, and build-db computes them again after writing.
TABLES = [personer, kaa, kontakter, jobbtorg, stockholmsjobb]
for _table in [*TABLES, skyddat]:
    if _table not in schema.EXTRA_TABLES:
        schema.EXTRA_TABLES.append(_table)
