"""Arbetsförmedlingen's monthly Excel files by län and kommun: the whole time series, one visible sheet per
breakdown (Total, Kön, Ålder, …), a header `PERIOD | LÄN | KOMMUN | KOEN | [group columns] | ARBETSLÖSA |
Utan arbete mer än 6 månader | … 12 … | … 24 …` after a few title rows, notes below the table.

The header may be split over two rows under a merged cell ("Utan arbete mer än" over "6 månader", "12 månader",
…). Counts under 5 are printed "<5", suppressed cells "..": both are stored as what they are, never as numbers.
The base's age band changed (16–64 until 2022, 16–65 for 2023–2025, 16–66 from 2026): each band is its own
measure, so a series never runs across a change of definition.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from datetime import date, datetime
from functools import cache

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from dashboard.core.numbers import format_number, parse_swedish_number
from dashboard.ingest.errors import IngestError
from dashboard.ingest.load import YEARS, cell_problem
from dashboard.ingest.model import Parsed, Value

NAME = "af_manad"
LABEL = "Arbetsförmedlingen, månadsstatistik per län och kommun (Excel)"
PUBLISHER = "Arbetsförmedlingen"
HEADER_SEARCH_ROWS = 15  # the header comes after a few title rows
REQUIRED = ["PERIOD", "LÄN", "KOMMUN", "KOEN"]
FIRST_MEASURE = "ARBETSLÖSA"
_SPELLINGS = {"LAN": "LÄN", "KÖN": "KOEN", "KON": "KOEN", "ARBETSLOSA": "ARBETSLÖSA"}
_LONG = re.compile(r"UTAN ARBETE MER ÄN (\d+) MÅNADER")
_PERIOD = re.compile(r"([0-9]{4})-([0-9]{2})")
_GENDERS = {"totalt": "totalt", "kvinnor": "kvinnor", "män": "män", "man": "män"}
# What a KOMMUN cell says when the row is the whole län.
_WHOLE_LAN = {"", "samtliga", "samtliga kommuner", "hela länet", "totalt", "länet"}
SUPPRESSED = {"<5": "under_5", "..": "prickad"}
ZERO = {"–", "-", "—"}


@cache
def band(period: str) -> tuple[str, str]:
    """The base's age band in `period` (ÅÅÅÅ-MM): id part and label."""
    year = int(period[:4])
    if year <= 2022:
        return "16_64", "16–64 år"
    if year <= 2025:
        return "16_65", "16–65 år"
    return "16_66", "16–66 år"


def _measure(months: int | None, period: str) -> tuple[str, dict]:
    return _measure_of(months, *band(period))


@cache
def _measure_of(months: int | None, band_id: str, band_label: str) -> tuple[str, dict]:
    if months is None:
        key, name = f"af_arbetslosa_{band_id}", f"Inskrivna arbetslösa {band_label} (Arbetsförmedlingen)"
        definition = (f"Inskrivna arbetslösa {band_label} hos Arbetsförmedlingen: öppet arbetslösa och sökande i "
                      "program med aktivitetsstöd, antal i slutet av månaden.")
    else:
        key = f"af_utan_arbete_{months}_man_{band_id}"
        name = f"Inskrivna arbetslösa {band_label} utan arbete mer än {months} månader (Arbetsförmedlingen)"
        definition = (f"Inskrivna arbetslösa {band_label} hos Arbetsförmedlingen som varit utan arbete i mer än "
                      f"{months} månader, antal i slutet av månaden.")
    return key, {"measure": key, "name": name, "definition": definition, "unit": "antal", "topic": "arbetslöshet",
                 "higher_is_better": False, "population_base": f"Befolkningen {band_label}", "source": None,
                 "source_location": None}


def _norm(cell: object) -> str:
    text = " ".join(str(cell).split()).upper() if cell is not None else ""
    return _SPELLINGS.get(text, text)


def _text(cell: object) -> str:
    return " ".join(str(cell).split()) if cell is not None else ""


def is_excel(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04"


def detect(data: bytes) -> bool:
    """Whether `data` is a workbook with an AF header on a visible sheet."""
    if not is_excel(data):
        return False
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # noqa: BLE001 - not readable as a workbook: not this format
        return False
    try:
        for sheet in book.worksheets:
            if sheet.sheet_state == "visible":
                for row in sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True):
                    names = {_norm(c) for c in row}
                    if {"PERIOD", "KOMMUN", FIRST_MEASURE} <= names:
                        return True
        return False
    finally:
        book.close()


def open_workbook(data: bytes, file_name: str):  # noqa: ANN201 - an openpyxl workbook
    """The workbook, or an IngestError saying in Swedish what the file is instead."""
    if not is_excel(data):
        if not data.strip():
            raise IngestError(file_name, "filen är tom")
        raise IngestError(file_name, "filen är inte en Excel-arbetsbok (.xlsx); spara den som Excel-arbetsbok "
                          "och försök igen")
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise IngestError(file_name, "filen är en zip-fil men ingen Excel-arbetsbok som går att läsa "
                          f"({type(error).__name__})") from None


def read(data: bytes, file_name: str, progress: Callable[[float, str], None] | None = None) -> Parsed:
    """Every visible sheet's values; IngestError on the first cell that cannot be read."""
    book = open_workbook(data, file_name)
    stem = re.sub(r"[^a-z0-9]+", "_", file_name.rsplit(".", 1)[0].lower().translate(str.maketrans("åäöé", "aaoe")))
    parsed = Parsed(format=NAME, file_name=file_name, publisher=PUBLISHER, dataset=f"af_{stem.strip('_')}"[:80],
                    title=f"Arbetsförmedlingen: {file_name}")
    seen: dict[tuple, Value] = {}
    try:
        sheets = [s for s in book.worksheets if s.sheet_state == "visible"]
        for number, sheet in enumerate(sheets):
            if progress:
                progress(number / len(sheets), f"Läser bladet '{sheet.title}'")
            _sheet(parsed, sheet, file_name, seen)
            parsed.sheets.append(sheet.title)
    finally:
        book.close()
    if not parsed.values:
        raise IngestError(file_name, "filen har inga värden att läsa in")
    return parsed


def _sheet(parsed: Parsed, sheet, file_name: str, seen: dict[tuple, Value]) -> None:  # noqa: ANN001
    rows = [tuple(row) for row in sheet.iter_rows(values_only=True)]
    if not any(any(c not in (None, "") for c in row) for row in rows):
        raise IngestError(file_name, "bladet är tomt; ta bort det eller dölj det", sheet=sheet.title)
    fail = _failer(file_name, sheet.title)
    header_at = next((i for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]) if "PERIOD" in map(_norm, row)), None)
    if header_at is None:
        raise fail(0, "", f"rubrikraden ({' | '.join([*REQUIRED, FIRST_MEASURE])}) finns inte bland de första "
                   f"{HEADER_SEARCH_ROWS} raderna")
    names, first_data = _header(rows, header_at)
    header_row = header_at + 1
    columns = {name: i for i, name in enumerate(names) if name}
    for name in [*REQUIRED, FIRST_MEASURE]:
        if name not in columns:
            raise fail(header_row, f"'{name}'", "kolumnen saknas i rubrikraden")
    for name in columns:
        if names.count(name) > 1:
            raise fail(header_row, _col(columns[name], name), "kolumnen finns två gånger i rubrikraden")
    measures: list[tuple[int, str, int | None]] = []  # (column index, header, months)
    groups: list[tuple[int, str]] = []
    for index, name in enumerate(names):
        if not name or name in REQUIRED:
            continue
        if name == FIRST_MEASURE:
            measures.append((index, name, None))
        elif m := _LONG.fullmatch(name):
            measures.append((index, name, int(m[1])))
        elif index < columns[FIRST_MEASURE]:
            groups.append((index, name))
        else:
            raise fail(header_row, _col(index, name), "kolumnen känns inte igen (väntade ARBETSLÖSA och "
                       "'Utan arbete mer än N månader')")
    in_notes = False
    texts: dict[tuple[int, object], str] = {}  # the same län, kommun, kön and group on row after row: check once
    periods: dict[object, str] = {}

    def text_at(cells: list, index: int, name: str, line: int) -> str:
        key = (index, cells[index])
        if key not in texts:
            texts[key] = _cell_text(cells[index], fail, line, _col(index, name))
        return texts[key]

    period_index = columns["PERIOD"]
    for offset, row in enumerate(rows[first_data:]):
        line = first_data + offset + 1
        cells = list(row) + [None] * (len(names) - len(row))
        period_cell = cells[period_index]
        if not (isinstance(period_cell, str) and _PERIOD.fullmatch(period_cell)):  # not a plain table row
            filled = [i for i, c in enumerate(cells)
                      if c not in (None, "") and not (isinstance(c, str) and not c.strip())]
            if not filled:
                continue
            if filled == [filled[0]] and isinstance(cells[filled[0]], str) and not _PERIOD.fullmatch(
                    cells[filled[0]].strip()):
                in_notes = True  # a note below the table ("Källa: …", "<5 = färre än fem")
                continue
        if in_notes:
            raise fail(line, "", "raden ser ut som en tabellrad men står under anmärkningarna; tabellen får inte "
                       "fortsätta efter en anmärkning")
        if period_cell not in periods:
            periods[period_cell] = _period(period_cell, fail, line, _col(period_index, "PERIOD"))
        period = periods[period_cell]
        lan = text_at(cells, columns["LÄN"], "LÄN", line)
        kommun = text_at(cells, columns["KOMMUN"], "KOMMUN", line)
        if not lan and not kommun:
            raise fail(line, _col(columns["LÄN"], "LÄN"), "varken län eller kommun är angivet")
        area = lan if kommun.lower() in _WHOLE_LAN else kommun
        gender_text = text_at(cells, columns["KOEN"], "KOEN", line)
        gender = _GENDERS.get(gender_text.lower())
        if gender is None:
            raise fail(line, _col(columns["KOEN"], "KOEN"),
                       f"'{gender_text}' är inte ett kön (Totalt, Kvinnor eller Män)")
        group_parts = []
        for index, name in groups:
            text = text_at(cells, index, name, line)
            if not text:
                raise fail(line, _col(index, name), "gruppen saknas")
            group_parts.append(text)
        group = ", ".join(group_parts) or "alla"
        for index, name, months in measures:
            value, status, printed = _count(cells[index], fail, line, _col(index, name))
            if value is None and status is None:
                parsed.blank_cells += 1
                continue
            key_id, measure = _measure(months, period)
            if key_id not in parsed.measures:
                parsed.measures[key_id] = dict(measure)
            item = Value(measure=key_id, period=period, area=area, gender=gender, group=group, value=value,
                         status=status, printed=printed,
                         location=f"blad '{sheet.title}', rad {line}, kolumn {_col(index, name)}")
            earlier = seen.get(item.key)
            if earlier is not None:
                if (earlier.value, earlier.status) != (value, status):
                    raise fail(line, _col(index, name), f"samma mått, period, område, kön och grupp står redan i "
                               f"{earlier.location} med ett annat värde")
                parsed.duplicates += 1
                continue
            seen[item.key] = item
            parsed.values.append(item)


def _header(rows: list[tuple], at: int) -> tuple[list[str], int]:
    """Column names and the index of the first data row. A second header row under a merged (or blank-continued)
    cell completes the names: 'Utan arbete mer än' + '6 månader'."""
    top = [_norm(c) for c in rows[at]]
    below = [_norm(c) for c in rows[at + 1]] if at + 1 < len(rows) else []
    period_index = top.index("PERIOD")
    below_cell = below[period_index] if period_index < len(below) else ""
    if not below or below_cell or not any(below):
        return top, at + 1
    names, carried = [], ""
    for index, name in enumerate(top):
        carried = name or carried
        sub = below[index] if index < len(below) else ""
        names.append(f"{carried} {sub}".strip() if sub else name)
    return names, at + 2


def _failer(file_name: str, sheet: str) -> Callable[[int, str, str], IngestError]:
    def fail(row: int, column: str, reason: str) -> IngestError:
        return IngestError(file_name, reason, sheet=sheet, row=row, column=column)
    return fail


def _col(index: int, name: str) -> str:
    return f"{get_column_letter(index + 1)} ({name})"


def _formula(cell: object) -> bool:
    return isinstance(cell, str) and cell.startswith("=") and len(cell) > 1


def _cell_text(cell: object, fail, line: int, column: str) -> str:  # noqa: ANN001
    if _formula(cell):
        raise fail(line, column, f"cellen innehåller formeln '{cell}'; spara filen med värden i stället för formler")
    text = _text(cell)
    problem = cell_problem(text)
    if problem:
        raise fail(line, column, problem)
    return text


def _period(cell: object, fail, line: int, column: str) -> str:  # noqa: ANN001
    if isinstance(cell, datetime | date):
        text = f"{cell.year:04d}-{cell.month:02d}"
        if cell.day != 1:
            raise fail(line, column, f"datumet {cell:%Y-%m-%d} är ingen månad; perioden skrivs ÅÅÅÅ-MM")
    else:
        text = _text(cell)
    m = _PERIOD.fullmatch(text)
    if not m:
        raise fail(line, column, f"'{text}' är inte en period ÅÅÅÅ-MM (t.ex. 2026-08)" if text else "perioden saknas")
    if not 1 <= int(m[2]) <= 12:
        raise fail(line, column, f"'{text}': månad {int(m[2])} finns inte")
    if int(m[1]) not in YEARS:
        raise fail(line, column, f"'{text}' ligger utanför {YEARS.start}–{YEARS.stop - 1}")
    return text


def _count(cell: object, fail, line: int, column: str) -> tuple[float | None, str | None, str | None]:  # noqa: ANN001
    """(value, status, printed) of a count cell; (None, None, None) for an empty cell."""
    if cell is None or (isinstance(cell, str) and not cell.strip()):
        return None, None, None
    if isinstance(cell, bool):
        raise fail(line, column, f"'{cell}' är inte ett antal")
    if isinstance(cell, int | float):
        number = float(cell)
    else:
        text = _text(cell)
        if text in SUPPRESSED:
            return None, SUPPRESSED[text], text
        if text in ZERO:
            return 0.0, None, text
        if _formula(text):
            raise fail(line, column, f"cellen innehåller formeln '{text}'; spara filen med värden i stället för "
                       "formler")
        try:
            number = parse_swedish_number(text)
        except ValueError:
            raise fail(line, column, f"'{text}' är inte ett antal (ett heltal, '<5' eller '..')") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise fail(line, column, "cellen är inget tal")
    if not number.is_integer():
        raise fail(line, column, f"'{format_number(number)}' är inte ett heltal: ett antal personer räknas i hela tal")
    if number < 0:
        raise fail(line, column, f"{format_number(number)} är mindre än 0: ett antal kan inte vara negativt")
    return number, None, None
