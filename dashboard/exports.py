"""Excel downloads: the table on a sheet "Data", its sources (and the small-number rule) on a sheet "Källor"."""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO

import pandas as pd
import streamlit as st
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from dashboard.figures.style import DEMO_LABEL

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DEMO_COLUMN = "Märkning"  # the same first column as dashboard.ui.labelled
# Column names that hold the source of each row, as the pages write them.
SOURCE_COLUMNS = ("Källa", "Dokument")
LOCATION_COLUMNS = ("Var i källan", "Plats i källan", "Rad")


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


def xlsx_bytes(frame: pd.DataFrame, *, is_demo: bool = False, sources: Sequence[str] = (),
               rule: str | None = None) -> bytes:
    """The workbook as bytes. `sources` are extra lines for "Källor"; `rule` is the small-number rule text."""
    out = frame.copy()
    if is_demo:
        out.insert(0, DEMO_COLUMN, DEMO_LABEL)
    book = Workbook()
    data = book.active
    data.title = "Data"
    data.append([str(c) for c in out.columns])
    for row in out.itertuples(index=False):
        data.append([_cell(v) for v in row])
    for cell in data[1]:
        cell.font = Font(bold=True)
    data.freeze_panes = "A2"
    for i, column in enumerate(out.columns, start=1):
        longest = max([len(str(column)), *(len(str(v)) for v in out[column].head(200))])
        data.column_dimensions[get_column_letter(i)].width = min(max(longest + 2, 8), 60)

    notes = book.create_sheet("Källor")
    notes.append(["Källa", "Var i källan"])
    for cell in notes[1]:
        cell.font = Font(bold=True)
    for source, places in source_rows(frame):
        notes.append([source, places])
    for line in sources:
        notes.append([line, ""])
    if rule:
        notes.append([])
        notes.append(["Skydd av små tal", rule])
    if is_demo:
        notes.append([])
        notes.append([DEMO_COLUMN, DEMO_LABEL])
    notes.column_dimensions["A"].width = 60
    notes.column_dimensions["B"].width = 60

    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def download_xlsx(frame: pd.DataFrame, file_name: str, *, is_demo: bool = False, key: str | None = None,
                  sources: Sequence[str] = (), rule: str | None = None) -> None:
    """An Excel download of the table, with Swedish headers as given and a sheet listing its sources."""
    st.download_button("Ladda ner Excel", xlsx_bytes(frame, is_demo=is_demo, sources=sources, rule=rule),
                       file_name=file_name, mime=XLSX_MIME, key=key)
