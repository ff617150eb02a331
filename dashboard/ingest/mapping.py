"""A column mapping: which column of a table is the area, kön, ålder and period, and which measure each figure
column is (with its definition and population base). Saved as a named profile (dashboard/ingest/profiles.py)
and used at once for the next file with the same header (its signature)."""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field

from dashboard.core import labels

ROLES = {"": "läses inte", "område": "Område", "stadsdelsområde": "Stadsdelsområde (överordnat område)",
         "kod": "Områdeskod (Nyko)", "kön": "Kön", "ålder": "Ålder", "period": "Period", "mått": "Mått"}
ONE_COLUMN = ("område", "stadsdelsområde", "kod", "kön", "ålder", "period")  # at most one column each
AREA_LEVELS = {"auto": "känns igen ur namnen", **{k: labels.LEVELS[k] for k in ("stadsdel", "stadsdelsomrade")}}
UNITS = ("antal", "procent")
GENDERS = {"": "ur kolumnen Kön (annars totalt)", **{k: labels.GENDERS[k] for k in ("kvinnor", "män", "totalt")}}
MEASURE_ID = re.compile(r"[a-z][a-z0-9_]{0,79}")
PROFILE_NAME = re.compile(r"[^\x00-\x1f\x7f]{1,120}")


@dataclass
class ColumnRole:
    """What one column is. A measure column may carry its own kön and ålder (a wide table's column groups)."""

    role: str = ""
    measure: str = ""
    gender: str = ""  # '' = from the kön column, else totalt
    group: str = ""  # '' = from the ålder column, else alla


@dataclass
class MeasureDef:
    name: str
    definition: str
    unit: str = "antal"
    population_base: str = ""
    higher_is_better: bool | None = False
    topic: str = "arbetslöshet"


@dataclass
class Mapping:
    columns: list[ColumnRole]
    measures: dict[str, MeasureDef] = field(default_factory=dict)
    area_level: str = "auto"  # the level of the område column (auto: decided from the names)
    band: str = ""  # the ages the measures are defined for ("16–64"); a file with other ages is refused
    profile: str = ""  # the profile's name: loaded from, or to be saved under on import
    signature: str = ""  # the header it was made for
    header: list[str] = field(default_factory=list)  # the column names, for people

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Mapping:
        data = json.loads(text)
        return cls(columns=[ColumnRole(**c) for c in data["columns"]],
                   measures={k: MeasureDef(**v) for k, v in data["measures"].items()},
                   area_level=data.get("area_level", "auto"), band=data.get("band", ""),
                   profile=data.get("profile", ""), signature=data.get("signature", ""),
                   header=list(data.get("header", [])))

    def same_as(self, other: Mapping) -> bool:
        """The same mapping, whatever the profile is called."""
        mine, theirs = asdict(self), asdict(other)
        mine.pop("profile"), theirs.pop("profile")
        return mine == theirs

    def column_of(self, role: str) -> int | None:
        return next((i for i, c in enumerate(self.columns) if c.role == role), None)

    def measure_columns(self) -> list[int]:
        return [i for i, c in enumerate(self.columns) if c.role == "mått"]

    def used_measures(self) -> list[str]:
        return list(dict.fromkeys(self.columns[i].measure for i in self.measure_columns()))


def problem(mapping: Mapping, labels: list[str]) -> str | None:
    """Why the mapping cannot be used for a table with these column labels (Swedish), or None."""
    if len(mapping.columns) != len(labels):
        return f"mappningen har {len(mapping.columns)} kolumner men tabellen {len(labels)}"
    for index, column in enumerate(mapping.columns):
        if column.role not in ROLES:
            return f"kolumn {labels[index]}: rollen '{column.role}' finns inte"
    for role in ONE_COLUMN:
        chosen = [labels[i] for i, c in enumerate(mapping.columns) if c.role == role]
        if len(chosen) > 1:
            return f"flera kolumner är mappade som {ROLES[role].lower()} ({', '.join(chosen)}); välj en"
    if mapping.column_of("område") is None and mapping.column_of("stadsdelsområde") is None:
        if mapping.column_of("kod") is not None:
            return (f"kolumnen {labels[mapping.column_of('kod')]} har bara områdeskoder (Nyko), och projektet har "
                    "inga koder för stadens områden (varken data/areas eller stadens öppna geodata har dem, bara "
                    "namn); mappa en kolumn med områdenas namn, eller beställ tabellen med namn")
        return "ingen kolumn är mappad som område"
    if not mapping.measure_columns():
        return "ingen kolumn är mappad som mått"
    if mapping.area_level not in AREA_LEVELS:
        return f"områdesnivån '{mapping.area_level}' finns inte"
    for index in mapping.measure_columns():
        column = mapping.columns[index]
        if not column.measure:
            return f"kolumn {labels[index]} är ett mått men saknar måttets id"
        if column.measure not in mapping.measures:
            return f"kolumn {labels[index]}: måttet '{column.measure}' är inte beskrivet"
        if column.gender not in GENDERS:
            return f"kolumn {labels[index]}: '{column.gender}' är inte ett kön"
    for key in mapping.used_measures():
        if not MEASURE_ID.fullmatch(key):
            return (f"'{key}' duger inte som id för ett mått: små bokstäver a–z, siffror och _, börjar med en "
                    "bokstav, högst 80 tecken")
        measure = mapping.measures[key]
        if not measure.name.strip():
            return f"måttet '{key}' saknar namn"
        if not measure.definition.strip():
            return f"måttet '{key}' saknar definition (vad som räknas, och mot vilken befolkning)"
        if measure.unit not in UNITS:
            return f"måttet '{key}': enheten '{measure.unit}' finns inte (antal eller procent)"
        if measure.unit == "procent" and not measure.population_base.strip():
            return f"måttet '{key}' är en andel men saknar befolkningsbas (andel av vilken befolkning)"
    if mapping.profile and not PROFILE_NAME.fullmatch(mapping.profile):
        return "profilens namn får vara högst 120 tecken, utan styrtecken"
    return None


def measure_row(key: str, measure: MeasureDef) -> dict:
    """The measure as a row of schema.measures."""
    return {"measure": key, "name": " ".join(measure.name.split()), "definition": " ".join(measure.definition.split()),
            "unit": measure.unit, "topic": measure.topic, "higher_is_better": measure.higher_is_better,
            "population_base": " ".join(measure.population_base.split()) or None, "source": None,
            "source_location": None}
