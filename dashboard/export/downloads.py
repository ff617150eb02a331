"""Downloads (no Streamlit): Excel (the table on "Data", its sources and the small-number rule on "Källor"), CSV.

Every export is safe to open in a spreadsheet: text a spreadsheet would run as a formula (starting with
=, +, -, @, tab or CR) gets a leading apostrophe and is written as text (OWASP's advice on CSV injection).
In Excel numbers are numbers: a cell printed the dashboard's way ("7 154", "54,5 %") is written as the number
with a number format that shows it the same way, in the reader's own separators.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from io import BytesIO

import pandas as pd

from dashboard.core.numbers import NBSP, UNIT_SUFFIX, format_value
from dashboard.figures.style import DEMO_LABEL

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEMO_COLUMN = "Märkning"  # the same first column as dashboard.ui.labelled
# Column names that hold the source of each row, as the pages write them.
SOURCE_COLUMNS = ("Källa", "Dokument")
LOCATION_COLUMNS = ("Var i källan", "Plats i källan", "Rad")
CONTEXT_KEYS = ("Mått", "Period", "Kön", "Dataset")  # every download says what it is, on every row
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[-+]?\d+([.,]\d+)?([eE][-+]?\d+)?")
_PRINTED = re.compile(r"(\u2212?)(\d{1,3}(?:\u00a0\d{3})*)(?:,(\d+))?(.*)")
_UNITS = {suffix: unit for unit, suffix in UNIT_SUFFIX.items()}
NO_GROUPING = ("År", "Period", "Rad", "Id")  # integer columns shown without a thousands separator


def neutralised(value: object) -> object:
    """Text that a spreadsheet would run as a formula, with a leading apostrophe; anything else unchanged.

    A number written as text ("-3", "+5") is a number to a spreadsheet, not a formula, and stays as it is.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def neutralised_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every text cell and header neutralised (for CSV)."""
    out = frame.copy()
    out.columns = [neutralised(str(c)) for c in out.columns]
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutralised)
    return out


def csv_bytes(frame: pd.DataFrame, *, for_excel: bool = True) -> bytes:
    """CSV that opens as columns in Swedish Excel (semicolon, decimal comma, UTF-8 with BOM), or for programs
    (comma, decimal point, UTF-8). Text is neutralised either way."""
    out = neutralised_frame(frame)
    if for_excel:
        return out.to_csv(index=False, sep=";", decimal=",", lineterminator="\r\n").encode("utf-8-sig")
    return out.to_csv(index=False, lineterminator="\r\n").encode("utf-8")  # CRLF: a lone CR in a text is quoted


def with_context(frame: pd.DataFrame, context: Mapping[str, str | None]) -> pd.DataFrame:
    """The table with a column per context entry (same value on every row) in front; a column the table already
    has keeps its own per-row values, and a None value means the entry does not apply to this table."""
    missing = [k for k in CONTEXT_KEYS if k not in context]
    if missing:
        raise ValueError(f"download context lacks {', '.join(missing)}")
    out = frame.copy()
    position = 0
    for name, value in context.items():
        if value is None or name in out.columns:
            continue
        out.insert(position, name, value)
        position += 1
    return out


def _cell(value: object) -> object:
    """A value openpyxl can write: NaN/NA as an empty cell, numpy scalars as Python values."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value.item() if hasattr(value, "item") else value


def _format(decimals: int, suffix: str = "", grouping: bool = True) -> str:
    """An xlsx number format: '#,##0.0" %"' (Excel shows it with the reader's separators: '54,5 %')."""
    code = ("#,##0" if grouping else "0") + ("." + "0" * decimals if decimals else "")
    return code + (f'"{suffix}"' if suffix else "")


def printed_number(text: str) -> tuple[float | int, str] | None:
    """(number, xlsx number format) for text exactly as dashboard.core.numbers prints a number ('7 154', '54,5 %',
    '−3,2 procentenheter'); None for any other text (years such as '2021', 'drygt 57,5 %', 'uppgift saknas')."""
    match = _PRINTED.fullmatch(text)
    if not match or match.group(4) not in _UNITS:
        return None
    sign, whole, fraction, suffix = match.groups()
    decimals = len(fraction or "")
    number = float(whole.replace(NBSP, "") + ("." + fraction if fraction else ""))
    number = -number if sign else number
    if format_value(number, _UNITS[suffix], decimals) != text:  # not the dashboard's own way of printing it
        return None
    return (round(number) if decimals == 0 else number), _format(decimals, suffix)


def _decimals(values: pd.Series) -> int:
    """Decimals that show the column's values as the dashboard does (at most two)."""
    found = 0
    for value in values.dropna():
        value = float(value)
        if math.isfinite(value):
            found = max(found, next((d for d in (0, 1) if abs(round(value, d) - value) < 1e-9), 2))
    return found


def _column_formats(frame: pd.DataFrame) -> dict[int, str]:
    """Number formats of the frame's numeric columns, by position."""
    formats = {}
    for i, column in enumerate(frame.columns):
        series = frame.iloc[:, i]
        if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
            formats[i] = _format(_decimals(series), grouping=str(column) not in NO_GROUPING)
    return formats


def _write_row(sheet, values: Sequence[object], formats: Mapping[int, str] | None = None) -> None:
    """One row: text neutralised and typed as text; with `formats` (the data rows), numbers with their format and
    printed numbers ('7 154') as numbers."""
    cells, number_formats = [], {}
    for i, raw in enumerate(values):
        value = _cell(raw)
        if isinstance(value, str):
            parsed = printed_number(value) if formats is not None else None
            if parsed:
                value, number_formats[i] = parsed
            else:
                value = neutralised(value)
        elif formats and i in formats and isinstance(value, (int, float)) and not isinstance(value, bool):
            number_formats[i] = formats[i]
        cells.append(value)
    sheet.append(cells)
    if not cells:
        return
    for i, cell in enumerate(sheet[sheet.max_row]):
        if isinstance(cell.value, str):
            cell.data_type = "s"  # never a formula
        if i in number_formats:
            cell.number_format = number_formats[i]


def xlsx_bytes(frame: pd.DataFrame, *, is_demo: bool = False, sources: Sequence[str] = (),
               rule: str | None = None) -> bytes:
    """The workbook as bytes. `sources` are extra lines for "Källor"; `rule` is the small-number rule text."""
    out = frame.copy()
    if is_demo:
        out.insert(0, DEMO_COLUMN, DEMO_LABEL)
    from openpyxl import Workbook  # here, not at the top: a page imports this module on every first load
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    data = book.active
    data.title = "Data"
    _write_row(data, [str(c) for c in out.columns])
    formats = _column_formats(out)
    for row in out.itertuples(index=False):
        _write_row(data, list(row), formats)
    for cell in data[1]:
        cell.font = Font(bold=True)
    data.freeze_panes = "A2"
    for i, column in enumerate(out.columns, start=1):
        longest = max([len(str(column)), *(len(str(v)) for v in out[column].head(200))])
        data.column_dimensions[get_column_letter(i)].width = min(max(longest + 2, 8), 60)

    notes = book.create_sheet("Källor")
    _write_row(notes, ["Källa", "Var i källan"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for source, places in source_rows(frame):
        _write_row(notes, [source, places])
    for line in sources:
        _write_row(notes, [line, ""])
    if rule:
        _write_row(notes, [])
        _write_row(notes, ["Skydd av små tal", rule])
    if is_demo:
        _write_row(notes, [])
        _write_row(notes, [DEMO_COLUMN, DEMO_LABEL])
    notes.column_dimensions["A"].width = 60
    notes.column_dimensions["B"].width = 60

    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def source_rows(frame: pd.DataFrame) -> list[tuple[str, str]]:
    """(source, places) for every source named in the frame's source column, each once, in order."""
    column = next((c for c in SOURCE_COLUMNS if c in frame.columns), None)
    if column is None:
        return []
    where = next((c for c in LOCATION_COLUMNS if c in frame.columns), None)
    rows: dict[str, list[str]] = {}
    for i, source in enumerate(frame[column]):
        if _cell(source) in (None, ""):
            continue
        places = rows.setdefault(str(source), [])
        place = _cell(frame[where].iloc[i]) if where else None
        if place not in (None, "") and str(place) not in places:
            places.append(str(place))
    return [(source, ", ".join(places)) for source, places in rows.items()]

