"""SCB's arbetssökandestatistik för delområden: the table package a municipality orders for its own sub-areas
(öppet arbetslösa and sökande i program med aktivitetsstöd per 31 mars and 31 oktober, by delområde, kön and
ålder, against the population, often with shares in percent), as Excel or CSV.

The layout varies from order to order (title rows, notes below, a header over one to three rows with merged or
blank cells, kön as column groups or as a column, areas as names, "code name" or Nyko codes), so the file is read
in two steps: `layout` finds the table (sheet, header, columns, the header's signature) and `read` reads it by a
column mapping (dashboard/ingest/mapping.py) that the analyst makes on the page and saves as a profile.

Cells: "<5" and ".." (also ".") are stored as what they are (observations.status), "–" as 0 (SCB's sign for
zero), an empty cell not at all. A blank area, kön, ålder or period cell takes the value above (a merged cell,
or a value printed once per block).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date, datetime

from dashboard.core.numbers import format_number, parse_swedish_number
from dashboard.ingest import mapping as maps
from dashboard.ingest import table
from dashboard.ingest.areas import normalise
from dashboard.ingest.errors import IngestError
from dashboard.ingest.load import cell_problem
from dashboard.ingest.mapping import ColumnRole, Mapping, MeasureDef
from dashboard.ingest.model import Parsed, Value
from dashboard.ingest.table import SEARCH_ROWS, SUPPRESSED, ZERO, Layout, cell_text, dates_in, period_of, sheets

NAME = "scb_delomraden"
LABEL = "SCB, arbetssökandestatistik för delområden (Excel eller CSV, med kolumnmappning)"
PUBLISHER = "SCB (Arbetsförmedlingens register), beställd för stadens delområden"
DATASET = "scb_delomraden"
MEASURE_WORDS = ("öppet arbetslösa", "sökande i program", "program med aktivitetsstöd", "arbetssökande")
AREA_WORDS = ("delområde", "nyko", "stadsdel", "område")
HEADER_WORDS = ("område", "nyko", "stadsdel", "kön", "ålder", "period", "arbetslösa", "program", "befolkning",
                "kvinnor", "män", "totalt", "andel", "kod", "namn", "datum")
GENDER_WORDS = {"kvinnor": "kvinnor", "kvinna": "kvinnor", "k": "kvinnor", "män": "män", "man": "män", "m": "män",
                "totalt": "totalt", "total": "totalt", "båda könen": "totalt", "kvinnor och män": "totalt",
                "män och kvinnor": "totalt", "samtliga": "totalt", "alla": "totalt"}
TOTAL_AGES = {"totalt", "total", "samtliga", "alla", "alla åldrar", "samtliga åldrar", "summa"}
TOTAL_AREAS = {"totalt", "summa", "samtliga", "hela stadsdelsområdet", "stadsdelsområdet totalt"}
_SPAN = re.compile(r"(\d{1,2})-(\d{1,3})(?: ?år)?")
_PLUS = re.compile(r"(\d{1,2}) ?(?:\+|år och äldre|och äldre|år-)(?: ?år)?")
_BAND = re.compile(r"(?<!\d)(\d{2}) ?- ?(\d{2}) ?år")
_NOTE = re.compile(r"^(källa|källor|anm|not|obs|förklaring|teckenförklaring|kommentar|uppgifterna|statistiken|"
                   r"definition|\*|\.\.|<\s*5|[–—-]\s*=|\.\s*=|x\s*=)", re.IGNORECASE)


# ------------------------------------------------------------------------------------------------ the table


def _looks_like_scb(rows: list[tuple[int, tuple]]) -> bool:
    text = " ".join(" ".join(str(c) for _n, cells in rows[:SEARCH_ROWS] for c in cells if isinstance(c, str))
                    .lower().split())
    return any(w in text for w in MEASURE_WORDS) and any(w in text for w in AREA_WORDS)


def detect(data: bytes) -> bool:
    """Whether the file is an Excel workbook or a CSV whose first rows name SCB's measures and areas."""
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        return False
    try:
        return any(_looks_like_scb(rows) for _title, rows, _p in sheets(data, "", SEARCH_ROWS))
    except IngestError:
        return False


def layout(data: bytes, file_name: str) -> Layout:
    """The file's table: the first visible sheet that looks like SCB's (else the first with content)."""
    return table.layout(data, file_name, _looks_like_scb, HEADER_WORDS)


# ------------------------------------------------------------------------------------------------ values


def age_of(text: str) -> tuple[str, tuple[int, int] | None, bool] | None:
    """(group, span, explicit total) of an ålder cell: '16-24' → ('16–24 år', (16, 24), False), 'Totalt' →
    ('alla', None, True), 'Totalt 16–64 år' → ('alla', (16, 64), True); None when it is no age."""
    low = normalise(text)
    total = low in TOTAL_AGES or any(low.startswith(w + " ") for w in TOTAL_AGES)
    rest = low
    for word in sorted(TOTAL_AGES, key=len, reverse=True):
        if rest.startswith(word):
            rest = rest[len(word):].strip(" :,")
            break
    if total and not rest:
        return "alla", None, True
    if m := _SPAN.fullmatch(rest):
        low_age, high_age = int(m[1]), int(m[2])
        if low_age > high_age:
            return None
        return ("alla" if total else f"{low_age}–{high_age} år"), (low_age, high_age), total
    if m := _PLUS.fullmatch(rest):
        return ("alla" if total else f"{int(m[1])}+ år"), (int(m[1]), 200), total
    return None


def band_label(span: tuple[int, int]) -> str:
    return f"{span[0]}+" if span[1] >= 200 else f"{span[0]}–{span[1]}"


def _covering(spans: set[tuple[int, int]]) -> tuple[int, int] | None:
    """The one span that covers all the others (the file's total), if there is one."""
    if not spans:
        return None
    wide = (min(s[0] for s in spans), max(s[1] for s in spans))
    return wide if wide in spans else None


def file_band(lay: Layout, age_column: int | None) -> str:
    """The ages the file's totals are for ('16–64'): the ålder column's total, else a band in the title or the
    header ('16–64 år'); '' when the file does not say."""
    if age_column is not None:
        spans, explicit = set(), None
        for _n, cells in lay.rows:
            cell = cells[age_column] if age_column < len(cells) else None
            found = age_of(cell_text(cell)) if cell is not None else None
            if found and found[1]:
                if found[2]:
                    explicit = found[1]
                spans.add(found[1])
        wide = explicit or _covering(spans)
        if wide:
            return band_label(wide)
    for text in [*lay.titles, *(c.label for c in lay.columns)]:
        if m := _BAND.search(normalise(text)):
            return f"{int(m[1])}–{int(m[2])}"
    return ""


# ------------------------------------------------------------------------------------------------ suggestion

_KINDS = {  # kind → (what is counted, the SCB-style definition's body)
    "oppet_arbetslosa": ("Öppet arbetslösa", "öppet arbetslösa {b}inskrivna hos Arbetsförmedlingen"),
    "sokande_program": ("Sökande i program med aktivitetsstöd",
                        "sökande i program med aktivitetsstöd {b}inskrivna hos Arbetsförmedlingen"),
    "arbetslosa_och_program": ("Öppet arbetslösa och sökande i program",
                               "öppet arbetslösa och sökande i program med aktivitetsstöd {b}inskrivna hos "
                               "Arbetsförmedlingen"),
}
_TAIL = "efter det delområde där de är folkbokförda, på mätdagen (SCB:s arbetssökandestatistik för delområden)"


def _kind(label: str) -> str | None:
    text = normalise(label)
    share = "andel" in text or "%" in text or "procent" in text
    open_ = "öppet arbetslös" in text
    programme = "program" in text
    if "befolkning" in text or "invånare" in text:
        return None if share else "befolkning"
    numerator = ("arbetslosa_och_program" if open_ and programme else "oppet_arbetslosa" if open_
                 else "sokande_program" if programme else None)
    if numerator is None and share and ("arbetslös" in text or "arbetssökande" in text):
        numerator = "arbetslosa_och_program"
    if numerator is None:
        return None
    return f"andel_{numerator}" if share else numerator


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def suggested_measure(kind: str, band: str) -> tuple[str, MeasureDef]:
    """The id and description the form proposes for a column of `kind` in a file of ages `band`."""
    b = f"{band} år " if band else ""
    suffix = "_" + band.replace("–", "_").replace("+", "_plus") if band else ""
    base = f"Befolkningen {band} år" if band else ""
    if kind == "befolkning":
        return f"scb_befolkning{suffix}", MeasureDef(
            name=f"Befolkning {b}(SCB, delområden)".replace("  ", " "),
            definition=f"Folkbokförd befolkning {b}i delområdet på mätdagen, den befolkning andelarna räknas mot "
                       "(SCB:s arbetssökandestatistik för delområden).",
            unit="antal", population_base="", higher_is_better=None, topic="befolkning")
    share = kind.startswith("andel_")
    what, body = _KINDS[kind.removeprefix("andel_")]
    if share:
        return f"scb_{kind}{suffix}", MeasureDef(
            name=f"Andel {what.lower()} {b}(SCB, delområden)".replace("  ", " "),
            definition=f"{_first_upper(body.format(b=b))} i procent av den folkbokförda befolkningen {b}i "
                       f"delområdet, {_TAIL}.",
            unit="procent", population_base=base)
    return f"scb_{kind}{suffix}", MeasureDef(
        name=f"{what} {b}(SCB, delområden)".replace("  ", " "),
        definition=f"{_first_upper(body.format(b=b))}, antal, {_TAIL}.", unit="antal", population_base=base)


_ROLE_WORDS = [  # (role, header words), the first that fits
    ("stadsdelsområde", ("stadsdelsområde", "sdo", "stadsdelsnämndsområde", "stadsdelsnämnd")),
    ("kod", ("nyko", "kod", "nyckelkod", "områdeskod", "delområdeskod", "deso", "regso")),
    ("kön", ("kön", "kon")),
    ("ålder", ("ålder", "åldersgrupp", "ålder (år)", "åldersklass")),
    ("period", ("period", "tid", "datum", "mätdag", "mättidpunkt", "tidpunkt", "månad")),
    ("område", ("område", "delområde", "namn", "områdesnamn", "stadsdel", "basområde", "region")),
]


def suggest(lay: Layout) -> Mapping:
    """A mapping proposed from the header's words; the analyst checks and completes it on the page."""
    columns: list[ColumnRole] = []
    taken: set[str] = set()
    for column in lay.columns:
        words = [normalise(p) for p in column.parts]
        role = next((r for r, names in _ROLE_WORDS if r not in taken and words and words[-1] in names), "")
        if role:
            taken.add(role)
        columns.append(ColumnRole(role=role))
    if "stadsdelsområde" in taken and "område" not in taken:  # the only area column
        index = next(i for i, c in enumerate(columns) if c.role == "stadsdelsområde")
        columns[index] = ColumnRole(role="område")
        level = "stadsdelsomrade"
    else:
        level = "auto"
        area = next((lay.columns[i] for i, c in enumerate(columns) if c.role == "område"), None)
        if area and normalise(area.parts[-1]) == "stadsdel":
            level = "stadsdel"
    if "område" not in {c.role for c in columns} and "kod" in taken:  # 'code name' in the code column
        index = next(i for i, c in enumerate(columns) if c.role == "kod")
        if any(not re.fullmatch(r"[0-9 -]+", s) for s in lay.columns[index].samples):
            columns[index] = ColumnRole(role="område")
    band = file_band(lay, next((i for i, c in enumerate(columns) if c.role == "ålder"), None))
    measures: dict[str, MeasureDef] = {}
    for index, column in enumerate(lay.columns):
        if columns[index].role:
            continue
        parts = [p for p in column.parts if normalise(p) not in GENDER_WORDS and age_of(p) is None]
        kind = _kind(" ".join(parts))
        if kind is None:
            continue
        key, measure = suggested_measure(kind, band)
        measures.setdefault(key, measure)
        gender = next((GENDER_WORDS[normalise(p)] for p in column.parts if normalise(p) in GENDER_WORDS), "")
        age = next((age_of(p) for p in column.parts if normalise(p) not in GENDER_WORDS and age_of(p)), None)
        columns[index] = ColumnRole(role="mått", measure=key, gender=gender, group=age[0] if age else "")
    wide = any(c.gender for c in columns)
    return Mapping(columns=columns, measures=measures, area_level=level, band=band,
                   profile="SCB delområden, " + ("kön i kolumngrupper" if wide else "en rad per område och kön"),
                   signature=lay.signature, header=[c.label for c in lay.columns])


# ------------------------------------------------------------------------------------------------ reading


def read(lay: Layout, mapping: Mapping, progress: Callable[[float, str], None] | None = None) -> Parsed:
    """Every value of the table by `mapping`; IngestError on the first cell that cannot be read."""
    file_name, sheet = lay.file_name, lay.sheet
    problem = maps.problem(mapping, lay.labels)
    if problem:
        raise IngestError(file_name, f"kolumnmappningen duger inte: {problem}", sheet=sheet,
                          row=lay.header_lines[0])
    if mapping.signature and mapping.signature != lay.signature:
        raise IngestError(file_name, "kolumnmappningen gäller en annan rubrikrad (" + " | ".join(mapping.header)
                          + "); filens är " + " | ".join(c.label for c in lay.columns), sheet=sheet,
                          row=lay.header_lines[0])
    dims = {role: mapping.column_of(role) for role in maps.ONE_COLUMN if mapping.column_of(role) is not None}
    band = file_band(lay, dims.get("ålder"))
    if mapping.band and band and band != mapping.band:
        raise IngestError(file_name, f"filens åldrar ({band} år) är inte måttens ({mapping.band} år): måtten är "
                          "definierade för en annan befolkning; gör en ny mappning med mått för de här åldrarna",
                          sheet=sheet, row=lay.header_lines[0])
    parsed = Parsed(format=NAME, file_name=file_name, publisher=PUBLISHER, dataset=DATASET,
                    title="SCB: arbetssökandestatistik för stadens delområden", sheets=[sheet] if sheet else [])
    for key in mapping.used_measures():
        parsed.measures[key] = maps.measure_row(key, mapping.measures[key])
    reader = _Reader(lay, mapping, dims, parsed)
    reader.run(progress)
    _total_age(parsed)
    if not parsed.values:
        raise IngestError(file_name, "tabellen har inga värden att läsa in", sheet=sheet)
    return parsed


def _total_age(parsed: Parsed) -> None:
    """Without an explicit 'Totalt', the age band that covers all others is the whole population ('alla')."""
    spans = {}
    for value in parsed.values:
        found = age_of(value.group) if value.group != "alla" else None
        if found and found[1]:
            spans[found[1]] = value.group
    if any(v.group == "alla" for v in parsed.values):
        return
    wide = _covering(set(spans))
    if wide:
        label = spans[wide]
        parsed.values = [replace(v, group="alla") if v.group == label else v for v in parsed.values]


class _Reader:
    def __init__(self, lay: Layout, mapping: Mapping, dims: dict[str, int], parsed: Parsed) -> None:
        self.lay, self.mapping, self.dims, self.parsed = lay, mapping, dims, parsed
        self.columns = {c.index: c for c in lay.columns}
        self.measure_columns = mapping.measure_columns()
        self.last: dict[str, str] = {}
        self.seen: dict[tuple, Value] = {}
        self.line = 0
        self.column_periods = {i: self._header_period(i) for i in self.measure_columns}
        self.title_period = self._title_period() if "period" not in dims else None

    def fail(self, reason: str, index: int | None = None, row: int | None = None) -> IngestError:
        column = self.columns[index].name if index is not None and index in self.columns else ""
        return IngestError(self.lay.file_name, reason, sheet=self.lay.sheet,
                           row=self.line if row is None else row, column=column)

    def _header_period(self, index: int) -> str | None:
        found = [d for p in self.columns[index].parts for d in dates_in(p)]
        return found[0] if found else None

    def _title_period(self) -> str | None:
        if all(self.column_periods.values()):
            return None
        marked = [d for t in self.lay.titles for m in re.finditer(r"(?:per|den|avser)\s+(.+)", t.lower())
                  for d in dates_in(m[1])[:1]]
        found = list(dict.fromkeys(marked or [d for t in self.lay.titles for d in dates_in(t)]))
        if len(found) > 1:
            raise self.fail("titelraderna nämner flera datum (" + ", ".join(found) + ") och ingen kolumn är "
                            "mappad som period; mappa periodkolumnen", row=self.lay.header_lines[0])
        if not found:
            raise self.fail("filen säger inte vilken period värdena gäller: ingen kolumn är mappad som period, och "
                            "varken rubrikerna eller titelraderna har ett datum (t.ex. 'per 31 mars 2025')",
                            row=self.lay.header_lines[0])
        return found[0]

    def text(self, cells: tuple, index: int) -> str:
        cell = cells[index] if index < len(cells) else None
        if isinstance(cell, str) and cell.startswith("=") and len(cell) > 1:
            raise self.fail(f"cellen innehåller formeln '{cell}'; spara filen med värden i stället för formler",
                            index)
        text = cell_text(cell)
        problem = cell_problem(text)
        if problem:
            raise self.fail(problem, index)
        return text

    def run(self, progress: Callable[[float, str], None] | None) -> None:
        rows = self.lay.rows
        last_data = max((n for n, (_l, cells) in enumerate(rows)
                         if any(i < len(cells) and cells[i] is not None for i in self.measure_columns)), default=-1)
        in_notes = False
        for number, (line, cells) in enumerate(rows):
            self.line = line
            if progress and number % 2000 == 0:
                progress(number / max(len(rows), 1), "Läser raderna")
            if number > last_data:
                break  # notes below the table
            filled = [i for i, c in enumerate(cells) if c is not None]
            has_values = any(i in filled for i in self.measure_columns)
            if len(filled) == 1 and isinstance(cells[filled[0]], str) and _NOTE.match(cells[filled[0]].strip()):
                in_notes = True
                continue
            if in_notes and has_values:
                raise self.fail("raden ser ut som en tabellrad men står under en anmärkning; tabellen får inte "
                                "fortsätta efter en anmärkning")
            if not has_values:
                for role, index in self.dims.items():  # a heading row: its values hold for the rows below
                    if index in filled:
                        if role == "stadsdelsområde":
                            self.last.pop("område", None)
                        self.last[role] = self.text(cells, index)
                if len(filled) > 1:
                    self.parsed.blank_cells += len(self.measure_columns)
                continue
            self.row(cells)

    def dim(self, cells: tuple, role: str) -> str:
        index = self.dims.get(role)
        if index is None:
            return ""
        text = self.text(cells, index)
        if text:
            self.last[role] = text
            return text
        return self.last.get(role, "")

    def area(self, cells: tuple) -> tuple[str, str]:
        level = self.mapping.area_level
        if "stadsdelsområde" in self.dims:
            if self.text(cells, self.dims["stadsdelsområde"]):
                self.last.pop("område", None)  # a new block: a blank stadsdel is the stadsdelsområde's own row
            parent = self.dim(cells, "stadsdelsområde")
            name = self.dim(cells, "område") if "område" in self.dims else ""
            if name and normalise(name) not in TOTAL_AREAS:
                return name, ("stadsdel" if level == "auto" else level)
            if not parent:
                raise self.fail("stadsdelsområdet saknas (och ingen rad ovanför anger det)",
                                self.dims["stadsdelsområde"])
            return parent, "stadsdelsomrade"
        name = self.dim(cells, "område")
        if not name:
            code = self.dim(cells, "kod")
            raise self.fail("området saknas (och ingen rad ovanför anger det)" + (f"; bara koden '{code}' står "
                            "på raden, och projektet har inga områdeskoder" if code else ""), self.dims["område"])
        return name, level

    def gender(self, cells: tuple, column: ColumnRole) -> str:
        if column.gender:
            return column.gender
        if "kön" not in self.dims:
            return "totalt"
        text = self.dim(cells, "kön")
        gender = GENDER_WORDS.get(normalise(text))
        if gender is None:
            raise self.fail(f"'{text}' är inte ett kön (Kvinnor, Män eller Totalt)" if text else "könet saknas",
                            self.dims["kön"])
        return gender

    def group(self, cells: tuple, column: ColumnRole) -> str:
        text, index = (column.group, None) if column.group else (self.dim(cells, "ålder"), self.dims.get("ålder"))
        if not text:
            if index is not None:
                raise self.fail("åldern saknas", index)
            return "alla"
        found = age_of(text)
        if found is None:
            raise self.fail(f"'{text}' är inte en åldersgrupp (t.ex. 16–24 år eller Totalt)", index)
        return found[0]

    def period(self, cells: tuple, index: int) -> str:
        if "period" in self.dims:
            column = self.dims["period"]
            cell = cells[column] if column < len(cells) else None
            text = self.dim(cells, "period")
            if isinstance(cell, datetime | date):
                return (cell.date() if isinstance(cell, datetime) else cell).isoformat()
            period = period_of(text) if text else None
            if period is None:
                raise self.fail(f"'{text}' är inte en period (t.ex. 2025-03-31, 31 mars 2025 eller 2025-03)"
                                if text else "perioden saknas", column)
            return period
        return self.column_periods[index] or self.title_period

    def row(self, cells: tuple) -> None:
        area, level = self.area(cells)
        for index in self.measure_columns:
            column = self.mapping.columns[index]
            unit = self.mapping.measures[column.measure].unit
            value, status, printed = self.cell(cells, index, unit)
            if value is None and status is None:
                self.parsed.blank_cells += 1
                continue
            item = Value(measure=column.measure, period=self.period(cells, index), area=area, level=level,
                         gender=self.gender(cells, column), group=self.group(cells, column), value=value,
                         status=status, printed=printed,
                         location=(f"blad '{self.lay.sheet}', " if self.lay.sheet else "")
                         + f"rad {self.line}, kolumn {self.columns[index].name}")
            earlier = self.seen.get(item.key)
            if earlier is not None:
                if (earlier.value, earlier.status) != (value, status):
                    raise self.fail("samma mått, period, område, kön och ålder står redan i "
                                    f"{earlier.location} med ett annat värde", index)
                self.parsed.duplicates += 1
                continue
            self.seen[item.key] = item
            self.parsed.values.append(item)

    def cell(self, cells: tuple, index: int, unit: str) -> tuple[float | None, str | None, str | None]:
        cell = cells[index] if index < len(cells) else None
        if cell is None:
            return None, None, None
        if isinstance(cell, bool | datetime | date):
            raise self.fail(f"'{cell_text(cell)}' är inte ett tal", index)
        if isinstance(cell, int | float):
            number = float(cell)
            if (self.line, index) in self.lay.percent_cells:
                number = round(number * 100, 10)  # 0,034 formatted as 3,4 %
        else:
            text = " ".join(cell.split())
            if text in SUPPRESSED:
                return None, SUPPRESSED[text], text
            if text in ZERO:
                return 0.0, None, text
            if text.startswith("=") and len(text) > 1:
                raise self.fail(f"cellen innehåller formeln '{text}'; spara filen med värden i stället för formler",
                                index)
            try:
                number = parse_swedish_number(text.removesuffix("%").strip())
            except ValueError:
                what = "ett antal (ett heltal" if unit == "antal" else "en andel (ett tal i procent"
                raise self.fail(f"'{text}' är inte {what}, '<5', '..' eller '–')", index) from None
        if number != number or number in (float("inf"), float("-inf")):
            raise self.fail("cellen är inget tal", index)
        if unit == "antal":
            if not number.is_integer():
                raise self.fail(f"'{format_number(number)}' är inte ett heltal: ett antal personer räknas i hela tal",
                                index)
            if number < 0:
                raise self.fail(f"{format_number(number)} är mindre än 0: ett antal kan inte vara negativt", index)
        elif not 0 <= number <= 100:
            raise self.fail(f"{format_number(number)} ligger utanför 0–100 procent", index)
        return number, None, None
