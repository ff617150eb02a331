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

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import lru_cache

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from dashboard.ingest import mapping as maps
from dashboard.ingest.areas import normalise
from dashboard.ingest.errors import IngestError
from dashboard.ingest.mapping import ColumnRole, Mapping, MeasureDef
from dashboard.ingest.model import Parsed, Value
from dashboard.load import YEARS, cell_problem
from dashboard.numbers import format_number, parse_swedish_number

NAME = "scb_delomraden"
LABEL = "SCB, arbetssökandestatistik för delområden (Excel eller CSV, med kolumnmappning)"
PUBLISHER = "SCB (Arbetsförmedlingens register), beställd för stadens delområden"
DATASET = "scb_delomraden"
SEARCH_ROWS = 20  # title rows and the header lie among the first rows
MEASURE_WORDS = ("öppet arbetslösa", "sökande i program", "program med aktivitetsstöd", "arbetssökande")
AREA_WORDS = ("delområde", "nyko", "stadsdel", "område")
HEADER_WORDS = ("område", "nyko", "stadsdel", "kön", "ålder", "period", "arbetslösa", "program", "befolkning",
                "kvinnor", "män", "totalt", "andel", "kod", "namn", "datum")
SUPPRESSED = {"<5": "under_5", "..": "prickad", ".": "prickad"}
ZERO = {"–", "-", "—"}
GENDER_WORDS = {"kvinnor": "kvinnor", "kvinna": "kvinnor", "k": "kvinnor", "män": "män", "man": "män", "m": "män",
                "totalt": "totalt", "total": "totalt", "båda könen": "totalt", "kvinnor och män": "totalt",
                "män och kvinnor": "totalt", "samtliga": "totalt", "alla": "totalt"}
TOTAL_AGES = {"totalt", "total", "samtliga", "alla", "alla åldrar", "samtliga åldrar", "summa"}
TOTAL_AREAS = {"totalt", "summa", "samtliga", "hela stadsdelsområdet", "stadsdelsområdet totalt"}
MONTHS = {"januari": 1, "jan": 1, "februari": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4, "apr": 4, "maj": 5,
          "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augusti": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
          "oktober": 10, "okt": 10, "november": 11, "nov": 11, "december": 12, "dec": 12}
_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY_TEXT = re.compile(rf"(?<!\d)(\d{{1,2}})\s+{_MONTH}\s+(\d{{4}})(?!\d)")
_ISO_DAY = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_MONTH_TEXT = re.compile(rf"(?<![\w]){_MONTH}\s+(\d{{4}})(?!\d)")
_ISO_MONTH = re.compile(r"(?<![\d-])(\d{4})(?:-|m)(\d{2})(?![\d-])")
_SPAN = re.compile(r"(\d{1,2})-(\d{1,3})(?: ?år)?")
_PLUS = re.compile(r"(\d{1,2}) ?(?:\+|år och äldre|och äldre|år-)(?: ?år)?")
_BAND = re.compile(r"(?<!\d)(\d{2}) ?- ?(\d{2}) ?år")
_NOTE = re.compile(r"^(källa|källor|anm|not|obs|förklaring|teckenförklaring|kommentar|uppgifterna|statistiken|"
                   r"definition|\*|\.\.|<\s*5|[–—-]\s*=|\.\s*=|x\s*=)", re.IGNORECASE)


# ------------------------------------------------------------------------------------------------ the table


@dataclass(frozen=True)
class Column:
    index: int
    letter: str
    label: str  # the header's parts, joined with ' – ' ('' when the column has no header)
    parts: tuple[str, ...]
    samples: tuple[str, ...]  # the first few different values, for the mapping form

    @property
    def name(self) -> str:
        """'C (Kvinnor – Öppet arbetslösa)', as errors name it."""
        return f"{self.letter} ({self.label})" if self.label else self.letter


@dataclass
class Layout:
    file_name: str
    sheet: str  # '' for a CSV
    other_sheets: list[str]  # visible sheets with content that are not read
    titles: list[str]  # the texts above the header
    header_lines: list[int]  # row numbers in the file
    columns: list[Column]
    rows: list[tuple[int, tuple]]  # data rows (row number, cells), blank rows left out
    percent_cells: set[tuple[int, int]] = field(default_factory=set)  # Excel cells formatted as percent
    encoding: str = ""

    @property
    def signature(self) -> str:
        return signature([c.label for c in self.columns])

    @property
    def labels(self) -> list[str]:
        return [c.name for c in self.columns]


def signature(labels: list[str]) -> str:
    """The header's fingerprint: column names in order, in lower case, with years and dates left out (the next
    half-year's file of the same order has the same signature)."""
    import hashlib

    def clean(label: str) -> str:
        text = _DAY_TEXT.sub("<datum>", _ISO_DAY.sub("<datum>", normalise(label)))
        return re.sub(r"(?<!\d)(19|20)\d{2}(?!\d)", "<år>", text)

    return hashlib.sha256("|".join(clean(label) for label in labels).encode()).hexdigest()[:32]


def is_excel(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def _decode(data: bytes) -> tuple[str, str] | None:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return None


def _csv_rows(text: str) -> list[list[str]]:
    lines = text.splitlines()[:SEARCH_ROWS]
    counts = {d: max((line.count(d) for line in lines), default=0) for d in (";", "\t", ",")}
    delimiter = max(counts, key=lambda d: (counts[d], d == ";"))
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


def _blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def _filled(rows) -> list[tuple[int, tuple]]:  # noqa: ANN001 - rows of cells
    out = []
    for number, row in enumerate(rows, start=1):
        cells = tuple(None if _blank(c) else c for c in row)
        if any(c is not None for c in cells):
            out.append((number, cells))
    return out


def _top_text(rows: list[tuple[int, tuple]]) -> str:
    return " ".join(str(c) for _n, cells in rows[:SEARCH_ROWS] for c in cells if isinstance(c, str)).lower()


def _looks_like_scb(rows: list[tuple[int, tuple]]) -> bool:
    text = " ".join(_top_text(rows).split())
    return any(w in text for w in MEASURE_WORDS) and any(w in text for w in AREA_WORDS)


def _sheets(data: bytes, file_name: str) -> list[tuple[str, list[tuple[int, tuple]], set]]:
    """(title, filled rows, percent-formatted cells) of every visible sheet; a CSV is one sheet titled ''."""
    if is_excel(data):
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        except Exception as error:  # noqa: BLE001 - told in Swedish
            raise IngestError(file_name, "filen är en zip-fil men ingen Excel-arbetsbok som går att läsa "
                              f"({type(error).__name__})") from None
        out = []
        try:
            for sheet in book.worksheets:
                if sheet.sheet_state != "visible":
                    continue
                values, percent = [], set()
                for number, row in enumerate(sheet.iter_rows(), start=1):
                    values.append([c.value for c in row])
                    for index, c in enumerate(row):
                        if isinstance(c.value, int | float) and "%" in str(getattr(c, "number_format", "")):
                            percent.add((number, index))
                out.append((sheet.title, _filled(values), percent))
        finally:
            book.close()
        return out
    decoded = _decode(data)
    if decoded is None:
        raise IngestError(file_name, "filen är varken UTF-8 eller Windows-1252; spara den som CSV UTF-8")
    try:
        return [("", _filled(_csv_rows(decoded[0])), set())]
    except csv.Error as error:
        raise IngestError(file_name, f"filen går inte att läsa som CSV ({error})") from None


def detect(data: bytes) -> bool:
    """Whether the file is an Excel workbook or a CSV whose first rows name SCB's measures and areas."""
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        return False
    try:
        return any(_looks_like_scb(rows) for _title, rows, _p in _sheets(data, ""))
    except IngestError:
        return False


def _cell_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else cell.isoformat(sep=" ")
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return " ".join(str(cell).split())


def _is_value_cell(cell: object) -> bool:
    """A number, a status sign or a date: a row holding one is not a header row."""
    if isinstance(cell, bool):
        return False
    if isinstance(cell, int | float | date):
        return True
    text = _cell_text(cell)
    if text in SUPPRESSED or text in ZERO:
        return True
    try:
        parse_swedish_number(text)
        return True
    except ValueError:
        return bool(_ISO_DAY.fullmatch(text))


def _header_at(rows: list[tuple[int, tuple]]) -> int | None:
    """Index of the header's first row: the first row of two or more cells naming a column SCB's tables have,
    else the first row of three or more text cells."""
    candidates = rows[:SEARCH_ROWS]
    for index, (_n, cells) in enumerate(candidates):
        texts = [_cell_text(c).lower() for c in cells if c is not None]
        if len(texts) >= 2 and not any(_is_value_cell(c) for c in cells if c is not None) \
                and any(w in t for t in texts for w in HEADER_WORDS):
            return index
    for index, (_n, cells) in enumerate(candidates):
        if sum(isinstance(c, str) for c in cells) >= 3:
            return index
    return None


def layout(data: bytes, file_name: str) -> Layout:
    """The table of the file: the first visible sheet that looks like SCB's (else the first with content), its
    header over one to three rows and its data rows. IngestError when there is no table to read."""
    return _layout(data, file_name)


@lru_cache(maxsize=4)
def _layout(data: bytes, file_name: str) -> Layout:
    if not data.strip():
        raise IngestError(file_name, "filen är tom")
    sheets = _sheets(data, file_name)
    filled = [s for s in sheets if s[1]]
    if not filled:
        raise IngestError(file_name, "filen har inga rader")
    chosen = next((s for s in filled if _looks_like_scb(s[1])), filled[0])
    title, rows, percent = chosen
    at = _header_at(rows)
    if at is None:
        raise IngestError(file_name, f"ingen rubrikrad (minst två kolumnnamn) bland de första {SEARCH_ROWS} raderna",
                          sheet=title)
    end = at + 1
    while end < min(len(rows), at + 3) and not any(_is_value_cell(c) for c in rows[end][1] if c is not None):
        end += 1
    header = [cells for _n, cells in rows[at:end]]
    data_rows = rows[end:]
    if not data_rows:
        raise IngestError(file_name, "tabellen har inga rader under rubrikraden", sheet=title, row=rows[at][0])
    width = max(len(cells) for _n, cells in rows[at:])
    labels = _labels(header, width)
    samples: list[list[str]] = [[] for _ in range(width)]
    for _n, cells in data_rows[:400]:
        for index, cell in enumerate(cells):
            text = format_number(cell) if isinstance(cell, float) else _cell_text(cell)
            if text and text not in samples[index] and len(samples[index]) < 6:
                samples[index].append(text)
    columns = [Column(i, get_column_letter(i + 1), " – ".join(parts), parts, tuple(samples[i]))
               for i, parts in enumerate(labels)]
    while columns and not columns[-1].label and not columns[-1].samples:  # empty columns at the right
        columns.pop()
    titles = [_cell_text(c) for _n, cells in rows[:at] for c in cells if c is not None]
    decoded = "" if is_excel(data) else _decode(data)[1]
    return Layout(file_name=file_name, sheet=title, other_sheets=[s[0] for s in filled if s is not chosen],
                  titles=titles, header_lines=[n for n, _c in rows[at:end]], columns=columns,
                  rows=[(n, cells) for n, cells in data_rows], percent_cells=percent,
                  encoding={"utf-8-sig": "UTF-8", "cp1252": "Windows-1252"}.get(decoded, ""))


def _labels(header: list[tuple], width: int) -> list[tuple[str, ...]]:
    """Each column's header parts, top to bottom. A blank cell in an upper row under a merged (or blank-
    continued) cell takes the text to its left, as far as the rows below have names."""
    grid = [[_cell_text(cells[i]) if i < len(cells) else "" for i in range(width)] for cells in header]
    for depth in range(len(grid) - 1):
        carried = ""
        for index in range(width):
            if grid[depth][index]:
                carried = grid[depth][index]
            elif carried and any(grid[d][index] for d in range(depth + 1, len(grid))):
                grid[depth][index] = carried
            else:
                carried = ""
    return [tuple(dict.fromkeys(grid[d][i] for d in range(len(grid)) if grid[d][i])) for i in range(width)]


# ------------------------------------------------------------------------------------------------ values


def period_of(text: str) -> str | None:
    """'2025-03-31', '31 mars 2025' → '2025-03-31'; '2025-03', 'mars 2025', '2025M03' → '2025-03'; else None."""
    low = " ".join(text.lower().split())
    low = re.sub(r"^(per|den|avser)\s+", "", low)
    if m := _ISO_DAY.fullmatch(low):
        year, month, day = int(m[1]), int(m[2]), int(m[3])
    elif m := _DAY_TEXT.fullmatch(low):
        year, month, day = int(m[3]), MONTHS[m[2]], int(m[1])
    elif (m := _ISO_MONTH.fullmatch(low)) or (m := _MONTH_TEXT.fullmatch(low)):
        year, month = (int(m[1]), int(m[2])) if m.re is _ISO_MONTH else (int(m[2]), MONTHS[m[1]])
        if not 1 <= month <= 12 or year not in YEARS:
            return None
        return f"{year}-{month:02d}"
    else:
        return None
    try:
        when = date(year, month, day)
    except ValueError:
        return None
    return when.isoformat() if year in YEARS else None


def dates_in(text: str) -> list[str]:
    """Every period written in a running text (a title row, a header part), in the order they stand."""
    low = " ".join(text.lower().split())
    spans: list[tuple[int, int, str]] = []
    for pattern in (_ISO_DAY, _DAY_TEXT, _ISO_MONTH, _MONTH_TEXT):  # a day before the month inside it
        for m in pattern.finditer(low):
            period = period_of(m[0])
            if period and not any(s < m.end() and m.start() < e for s, e, _p in spans):
                spans.append((m.start(), m.end(), period))
    return list(dict.fromkeys(p for _s, _e, p in sorted(spans)))


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
            found = age_of(_cell_text(cell)) if cell is not None else None
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
            unit="antal", population_base="", higher_is_better=None)
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
        text = _cell_text(cell)
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
        if role == "område" and "stadsdelsområde" in self.dims:
            return ""  # the stadsdelsområde's own row
        return self.last.get(role, "")

    def area(self, cells: tuple) -> tuple[str, str]:
        level = self.mapping.area_level
        if "stadsdelsområde" in self.dims:
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
            raise self.fail(f"'{_cell_text(cell)}' är inte ett tal", index)
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
