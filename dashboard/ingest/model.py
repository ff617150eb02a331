"""What a format reader returns: values with where they stand in the file, and the measures they belong to."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Value:
    """One cell read as a value. `value` is None exactly when `status` says what the publisher printed instead."""

    measure: str
    period: str
    area: str  # as written in the file
    gender: str  # kvinnor, män, totalt
    group: str
    value: float | None
    status: str | None  # None, or a key of schema.STATUSES
    printed: str | None  # the cell as printed when it was not a plain number ("<5", "–")
    location: str  # "blad 'Kön', rad 12, kolumn E (ARBETSLÖSA)"
    # The level the file puts the area at: '' = the format's own (kommun, län, riket), else 'stadsdel',
    # 'stadsdelsomrade' or 'auto' (decided from the names, dashboard/ingest/areas.py).
    level: str = ""

    @property
    def key(self) -> tuple[str, str, str, str, str, str]:
        return (self.measure, self.period, self.area, self.level, self.gender, self.group)


@dataclass
class Parsed:
    """A whole file, read and validated cell by cell (areas are matched later, against the database)."""

    format: str
    file_name: str
    publisher: str
    dataset: str  # proposed data set id
    title: str
    measures: dict[str, dict] = field(default_factory=dict)  # id → name, definition, unit, … (schema.measures)
    values: list[Value] = field(default_factory=list)
    blank_cells: int = 0  # cells left empty: no value, nothing stored
    duplicates: int = 0  # the same value again (e.g. totalt on both the Total and the Kön sheet), read once
    sheets: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the preview must say beyond the counts


@dataclass(frozen=True)
class MeasureText:
    """What a file does not say about its measure, given with it (a Kolada values file has only the KPI id): typed
    by the analyst, or the publisher's description saved beside the values (`described_by`: file name and bytes).
    Typed text wins over the description."""

    title: str = ""
    definition: str = ""
    unit: str = ""
    described_by: tuple[str, bytes] | None = None

    def __bool__(self) -> bool:
        return bool(self.title.strip() or self.definition.strip() or self.unit.strip() or self.described_by)
