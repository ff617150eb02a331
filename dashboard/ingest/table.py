"""A table as publishers lay it out in Excel or CSV: title rows, a header over one to three rows with merged or
blank cells, data rows, notes below. `layout` finds it; a format's reader reads its cells by a column mapping
(dashboard/ingest/scb.py). Dates in headers and titles ("per 31 oktober 2025") are read here too."""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from dashboard.core.numbers import format_number, parse_swedish_number
from dashboard.ingest.areas import normalise
from dashboard.ingest.errors import IngestError
from dashboard.ingest.load import YEARS

SEARCH_ROWS = 20  # title rows and the header lie among the first rows
SUPPRESSED = {"<5": "under_5", "..": "prickad", ".": "prickad"}
ZERO = {"–", "-", "—"}
MONTHS = {"januari": 1, "jan": 1, "februari": 2, "feb": 2, "mars": 3, "mar": 3, "april": 4, "apr": 4, "maj": 5,
          "juni": 6, "jun": 6, "juli": 7, "jul": 7, "augusti": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
          "oktober": 10, "okt": 10, "november": 11, "nov": 11, "december": 12, "dec": 12}
_MONTH = "(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
_DAY_TEXT = re.compile(rf"(?<!\d)(\d{{1,2}})\s+{_MONTH}\s+(\d{{4}})(?!\d)")
_ISO_DAY = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_MONTH_TEXT = re.compile(rf"(?<![\w]){_MONTH}\s+(\d{{4}})(?!\d)")
_ISO_MONTH = re.compile(r"(?<![\d-])(\d{4})(?:-|m)(\d{2})(?![\d-])")


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




def sheets(data: bytes, file_name: str, max_rows: int | None = None) -> list[tuple[str, list[tuple[int, tuple]], set]]:
    """(title, filled rows, percent-formatted cells) of every visible sheet (its first `max_rows` rows); a CSV is
    one sheet titled ''."""
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
                for number, row in enumerate(sheet.iter_rows(max_row=max_rows), start=1):
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
        rows = _csv_rows(decoded[0])
        return [("", _filled(rows[:max_rows] if max_rows else rows), set())]
    except csv.Error as error:
        raise IngestError(file_name, f"filen går inte att läsa som CSV ({error})") from None



def cell_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, datetime):
        return cell.date().isoformat() if cell.time() == datetime.min.time() else cell.isoformat(sep=" ")
    if isinstance(cell, date):
        return cell.isoformat()
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return " ".join(str(cell).split())


def is_value_cell(cell: object) -> bool:
    """A number, a status sign or a date: a row holding one is not a header row."""
    if isinstance(cell, bool):
        return False
    if isinstance(cell, int | float | date):
        return True
    text = cell_text(cell)
    if text in SUPPRESSED or text in ZERO:
        return True
    try:
        parse_swedish_number(text)
        return True
    except ValueError:
        return bool(_ISO_DAY.fullmatch(text))


def _header_at(rows: list[tuple[int, tuple]], header_words: tuple[str, ...]) -> int | None:
    """Index of the header's first row: the first row of two or more cells naming a column the format has,
    else the first row of three or more text cells."""
    candidates = rows[:SEARCH_ROWS]
    for index, (_n, cells) in enumerate(candidates):
        texts = [cell_text(c).lower() for c in cells if c is not None]
        if len(texts) >= 2 and not any(is_value_cell(c) for c in cells if c is not None) \
                and any(w in t for t in texts for w in header_words):
            return index
    for index, (_n, cells) in enumerate(candidates):
        if sum(isinstance(c, str) for c in cells) >= 3:
            return index
    return None


@lru_cache(maxsize=4)
def layout(data: bytes, file_name: str, prefer: Callable[[list[tuple[int, tuple]]], bool],
           header_words: tuple[str, ...]) -> Layout:
    """The table of the file: the first visible sheet `prefer` picks by its rows (else the first with content),
    its header over one to three rows and its data rows. IngestError when there is no table to read."""
    if not data.strip():
        raise IngestError(file_name, "filen är tom")
    filled = [s for s in sheets(data, file_name) if s[1]]
    if not filled:
        raise IngestError(file_name, "filen har inga rader")
    chosen = next((s for s in filled if prefer(s[1])), filled[0])
    title, rows, percent = chosen
    at = _header_at(rows, header_words)
    if at is None:
        raise IngestError(file_name, f"ingen rubrikrad (minst två kolumnnamn) bland de första {SEARCH_ROWS} raderna",
                          sheet=title)
    end = at + 1
    while end < min(len(rows), at + 3) and not any(is_value_cell(c) for c in rows[end][1] if c is not None):
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
            text = format_number(cell) if isinstance(cell, float) else cell_text(cell)
            if text and text not in samples[index] and len(samples[index]) < 6:
                samples[index].append(text)
    columns = [Column(i, get_column_letter(i + 1), " – ".join(parts), parts, tuple(samples[i]))
               for i, parts in enumerate(labels)]
    while columns and not columns[-1].label and not columns[-1].samples:  # empty columns at the right
        columns.pop()
    titles = [cell_text(c) for _n, cells in rows[:at] for c in cells if c is not None]
    decoded = "" if is_excel(data) else _decode(data)[1]
    return Layout(file_name=file_name, sheet=title, other_sheets=[s[0] for s in filled if s is not chosen],
                  titles=titles, header_lines=[n for n, _c in rows[at:end]], columns=columns,
                  rows=[(n, cells) for n, cells in data_rows], percent_cells=percent,
                  encoding={"utf-8-sig": "UTF-8", "cp1252": "Windows-1252"}.get(decoded, ""))


def _labels(header: list[tuple], width: int) -> list[tuple[str, ...]]:
    """Each column's header parts, top to bottom. A blank cell in an upper row under a merged (or blank-
    continued) cell takes the text to its left, as far as the rows below have names."""
    grid = [[cell_text(cells[i]) if i < len(cells) else "" for i in range(width)] for cells in header]
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
