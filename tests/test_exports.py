"""Excel exports read back: Swedish headers, the source of every row, the demo label and the Källor sheet."""

from __future__ import annotations

from io import BytesIO

import pandas as pd
from openpyxl import load_workbook

from dashboard.exports import xlsx_bytes
from dashboard.figures.style import DEMO_LABEL

FRAME = pd.DataFrame({
    "Period": ["tertial 1 2021", "2021"],
    "Kön": ["Kvinnor", "Totalt"],
    "Värde": ["73,69 %", "72 %"],
    "Antal": [7154, None],
    "Källa": ["Tertialrapport 1 2021 arbetsmarknadsnämnden", "Tertialrapport 1 2021 arbetsmarknadsnämnden"],
    "Var i källan": ["rad 163", "rad 169"],
})


def _book(data: bytes):
    return load_workbook(BytesIO(data))


def test_data_sheet_has_swedish_headers_values_and_source_column() -> None:
    book = _book(xlsx_bytes(FRAME))
    assert book.sheetnames == ["Data", "Källor"]
    rows = list(book["Data"].iter_rows(values_only=True))
    assert rows[0] == ("Period", "Kön", "Värde", "Antal", "Källa", "Var i källan")
    assert rows[1] == ("tertial 1 2021", "Kvinnor", "73,69 %", 7154, "Tertialrapport 1 2021 arbetsmarknadsnämnden",
                       "rad 163")
    assert rows[2][3] is None  # a gap stays empty, never 0
    assert len(rows) == 3


def test_sources_sheet_lists_each_source_once_with_its_lines_and_the_rule() -> None:
    book = _book(xlsx_bytes(FRAME, sources=["Egen rad"], rule="Antal under 5 visas som <5."))
    rows = [r for r in book["Källor"].iter_rows(values_only=True) if any(r)]
    assert rows[0] == ("Källa", "Var i källan")
    assert ("Tertialrapport 1 2021 arbetsmarknadsnämnden", "rad 163, rad 169") in rows
    assert ("Egen rad", None) in rows or ("Egen rad", "") in rows
    assert ("Skydd av små tal", "Antal under 5 visas som <5.") in rows


def test_demo_data_is_labelled_in_a_first_column() -> None:
    book = _book(xlsx_bytes(FRAME, is_demo=True))
    rows = list(book["Data"].iter_rows(values_only=True))
    assert rows[0][0] == "Märkning"
    assert all(r[0] == DEMO_LABEL for r in rows[1:])
    assert any(DEMO_LABEL in (r[1] or "") for r in book["Källor"].iter_rows(values_only=True))


def test_no_demo_column_for_published_data() -> None:
    rows = list(_book(xlsx_bytes(FRAME))["Data"].iter_rows(values_only=True))
    assert "Märkning" not in rows[0]
