"""Arbetsförmedlingen-like monthly Excel files, made with openpyxl: title rows, a merged two-row header on one
sheet, notes below the table, "<5" and "..", a hidden sheet, and a KOMMUN cell that names no kommun ("Uppgift saknas").

`af_file(**changes)` returns the bytes of one workbook; the keyword arguments break it in one known way each.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

PERIODS = ["2022-11", "2022-12", "2023-01", "2025-12", "2026-01", "2026-08"]
# (LÄN, KOMMUN) as the files write them; '' in KOMMUN is the whole län.
PLACES = [("Stockholms län", ""), ("Stockholms län", "Stockholm"), ("Stockholms län", "Solna"),
          ("Stockholms län", "Uppgift saknas"), ("Riket", "")]
HEADER = ["PERIOD", "LÄN", "KOMMUN", "KOEN", "ARBETSLÖSA", "Utan arbete mer än 6 månader",
          "Utan arbete mer än 12 månader", "Utan arbete mer än 24 månader"]
TITLE = ["Arbetsförmedlingen", "Inskrivna arbetslösa per län och kommun, månadsstatistik",
         "Antal, 16–64 år t.o.m. 2022, 16–65 år 2023–2025, 16–66 år från 2026", ""]
NOTES = ["Källa: Arbetsförmedlingen", "<5 = färre än fem personer; .. = uppgift saknas"]


SMALL = ("2026-08", 1, "Kvinnor", 3)  # Stockholm: '<5'
MISSING = ("2025-12", 0, "Totalt", 3)  # the län: '..'
BLANK = ("2022-11", 4, "Totalt", 3)  # riket: an empty cell


def count(period: str, place: int, gender: str, column: int) -> int | str | None:
    """A deterministic count; the unknown kommun's longest column is small and printed '<5', and SMALL, MISSING and BLANK
    are the special cells in areas the project knows."""
    here = (period, place, gender, column)
    if here == SMALL:
        return "<5"
    if here == MISSING:
        return ".."
    if here == BLANK:
        return None
    base = {0: 52000, 1: 24000, 2: 1300, 3: 140, 4: 350000}[place]
    share = {"Totalt": 1.0, "Kvinnor": 0.47, "Män": 0.53}[gender]
    value = int(base * share * (1 + PERIODS.index(period) / 50) / (1, 2, 3, 6)[column])
    if place == 3 and column == 3:
        return "<5"
    return value


def expected(period: str, area: str, gender: str, column: int) -> int | str | None:
    """What the file holds for an area the project knows ('Stockholms stad', 'Solna', 'Stockholms län', 'Riket')."""
    place = {"Stockholms län": 0, "Stockholms stad": 1, "Solna": 2, "Riket": 4}[area]
    return count(period, place, {"totalt": "Totalt", "kvinnor": "Kvinnor", "män": "Män"}[gender], column)


def _title(sheet: Worksheet, width: int) -> None:
    for row, text in enumerate(TITLE, start=1):
        sheet.cell(row, 1, text or None)
        if text:
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _notes(sheet: Worksheet) -> None:
    row = sheet.max_row + 2
    for text in NOTES:
        sheet.cell(row, 1, text)
        row += 1


def _table(sheet: Worksheet, genders: list[str], *, split_header: bool,
           cell: Callable[[str, int, str, int], object]) -> None:
    _title(sheet, len(HEADER))
    top = len(TITLE) + 1
    if split_header:  # 'Utan arbete mer än' merged over '6 månader' | '12 månader' | '24 månader'
        for index, name in enumerate(HEADER[:5], start=1):
            sheet.cell(top, index, name)
        sheet.cell(top, 6, "Utan arbete mer än")
        sheet.merge_cells(start_row=top, start_column=6, end_row=top, end_column=8)
        for index, months in enumerate((6, 12, 24), start=6):
            sheet.cell(top + 1, index, f"{months} månader")
        row = top + 2
    else:
        for index, name in enumerate(HEADER, start=1):
            sheet.cell(top, index, name)
        row = top + 1
    for period in PERIODS:
        for place, (lan, kommun) in enumerate(PLACES):
            for gender in genders:
                values = [period, lan, kommun or None, gender]
                values += [cell(period, place, gender, column) for column in range(4)]
                for index, value in enumerate(values, start=1):
                    sheet.cell(row, index, value)
                row += 1
    _notes(sheet)


def workbook(cell: Callable[[str, int, str, int], object] = count) -> Workbook:
    book = Workbook()
    total = book.active
    total.title = "Total"
    _table(total, ["Totalt"], split_header=False, cell=cell)
    _table(book.create_sheet("Kön"), ["Kvinnor", "Män"], split_header=True, cell=cell)
    hidden = book.create_sheet("Pivotdata")
    hidden.append(["detta blad är dolt", "och ska inte läsas"])
    hidden.sheet_state = "hidden"
    return book


def to_bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def af_file() -> bytes:
    return to_bytes(workbook())


# Data rows start after the title rows and the header: the Total sheet's first data row, and the Kön sheet's.
TOTAL_FIRST = len(TITLE) + 2
KON_FIRST = len(TITLE) + 3


def _set(sheet: str, row: int, column: int, value: object) -> Callable[[Workbook], None]:
    def change(book: Workbook) -> None:
        book[sheet].cell(row, column, value)
    return change


def _delete_column(sheet: str, column: int) -> Callable[[Workbook], None]:
    def change(book: Workbook) -> None:
        book[sheet].unmerge_cells(start_row=1, start_column=1, end_row=1, end_column=8)
        for row in (2, 3):
            book[sheet].unmerge_cells(start_row=row, start_column=1, end_row=row, end_column=8)
        book[sheet].delete_cols(column)
    return change


def _empty_sheet(book: Workbook) -> None:
    book.create_sheet("Ålder")


def _header_far_down(book: Workbook) -> None:
    book["Total"].insert_rows(1, 20)


def _row_after_notes(book: Workbook) -> None:
    sheet = book["Total"]
    sheet.append(["2026-09", "Stockholms län", "Stockholm", "Totalt", 1, 1, 1, 1])


def _unknown_column(book: Workbook) -> None:
    book["Total"].cell(len(TITLE) + 1, 9, "Sökande i program")


def broken(change: Callable[[Workbook], None]) -> bytes:
    book = workbook()
    change(book)
    return to_bytes(book)


H = len(TITLE) + 1  # the Total sheet's header row
# name → (file bytes, expected message: the whole Swedish text after the file name)
BROKEN: dict[str, tuple[Callable[[], bytes], str]] = {
    "saknad kolumn": (lambda: broken(_delete_column("Total", 5)),
                      f"blad 'Total', rad {H}, kolumn 'ARBETSLÖSA': kolumnen saknas i rubrikraden"),
    "text i antal": (lambda: broken(_set("Total", TOTAL_FIRST + 1, 5, "tolv")),
                     f"blad 'Total', rad {TOTAL_FIRST + 1}, kolumn E (ARBETSLÖSA): 'tolv' är inte ett antal "
                     "(ett heltal, '<5' eller '..')"),
    "decimaltal i antal": (lambda: broken(_set("Kön", KON_FIRST, 6, 12.5)),
                           f"blad 'Kön', rad {KON_FIRST}, kolumn F (UTAN ARBETE MER ÄN 6 MÅNADER): '12,5' är inte "
                           "ett heltal: ett antal personer räknas i hela tal"),
    "negativt antal": (lambda: broken(_set("Total", TOTAL_FIRST, 5, -3)),
                       f"blad 'Total', rad {TOTAL_FIRST}, kolumn E (ARBETSLÖSA): −3 är mindre än 0: ett antal "
                       "kan inte vara negativt"),
    "formel": (lambda: broken(_set("Total", TOTAL_FIRST, 5, "=SUM(E7:E9)")),
               f"blad 'Total', rad {TOTAL_FIRST}, kolumn E (ARBETSLÖSA): cellen innehåller formeln '=SUM(E7:E9)'; "
               "spara filen med värden i stället för formler"),
    "period med fel form": (lambda: broken(_set("Total", TOTAL_FIRST + 2, 1, "aug 2026")),
                            f"blad 'Total', rad {TOTAL_FIRST + 2}, kolumn A (PERIOD): 'aug 2026' är inte en period "
                            "ÅÅÅÅ-MM (t.ex. 2026-08)"),
    "månad 13": (lambda: broken(_set("Kön", KON_FIRST + 3, 1, "2026-13")),
                 f"blad 'Kön', rad {KON_FIRST + 3}, kolumn A (PERIOD): '2026-13': månad 13 finns inte"),
    "okänt kön": (lambda: broken(_set("Kön", KON_FIRST, 4, "Båda")),
                  f"blad 'Kön', rad {KON_FIRST}, kolumn D (KOEN): 'Båda' är inte ett kön (Totalt, Kvinnor eller Män)"),
    "dubblett med annat värde": (
        lambda: broken(_dup),
        f"blad 'Total', rad {TOTAL_FIRST + 1}, kolumn E (ARBETSLÖSA): samma mått, period, område, kön och grupp "
        f"står redan i blad 'Total', rad {TOTAL_FIRST}, kolumn E (ARBETSLÖSA) med ett annat värde"),
    "tomt blad": (lambda: broken(_empty_sheet), "blad 'Ålder': bladet är tomt; ta bort det eller dölj det"),
    "rubrik för långt ned": (lambda: broken(_header_far_down),
                             "blad 'Total': rubrikraden (PERIOD | LÄN | KOMMUN | KOEN | ARBETSLÖSA) finns inte bland "
                             "de första 15 raderna"),
    "rad under anmärkningarna": (
        lambda: broken(_row_after_notes),
        f"blad 'Total', rad {TOTAL_FIRST + len(PERIODS) * len(PLACES) + 1 + len(NOTES)}: raden ser ut som en "
        "tabellrad men står under anmärkningarna; tabellen får inte fortsätta efter en anmärkning"),
    "okänd kolumn": (lambda: broken(_unknown_column),
                     f"blad 'Total', rad {H}, kolumn I (SÖKANDE I PROGRAM): kolumnen känns inte igen (väntade "
                     "ARBETSLÖSA och 'Utan arbete mer än N månader')"),
    "styrtecken i kommun": (lambda: broken(_set("Total", TOTAL_FIRST + 1, 3, "Stock\u200bholm")),
                            f"blad 'Total', rad {TOTAL_FIRST + 1}, kolumn C (KOMMUN): otillåtet tecken U+200B "
                            "(ZERO WIDTH SPACE)"),
    "inte en Excel-fil": (lambda: b"PERIOD;KOMMUN\n2026-08;Stockholm\n",
                          "filtypen känns inte igen; kända filtyper: af_manad (Arbetsförmedlingen, månadsstatistik "
                          "per län och kommun (Excel)); kolada (Kolada (RKA), API v3, ett nyckeltal per fil "
                          "(JSON)); pxweb_jsonstat2 (SCB:s statistikdatabas, PxWeb JSON-stat 2 "
                          "(JSON)); individ_kaa (KAA, uttag ur verksamhetssystemet (en rad per ung person och år)); "
                          "individ_jobbtorg (Jobbtorg, uttag ur verksamhetssystemet (en rad per inskrivning)); "
                          "individ_stockholmsjobb (Stockholmsjobb, uttag ur verksamhetssystemet (en rad per "
                          "anställning)); scb_delomraden (SCB, arbetssökandestatistik för delområden (Excel eller "
                          "CSV, med kolumnmappning))"),
    "tom fil": (lambda: b"", "filen är tom"),
    "zip men inte xlsx": (lambda: _zip_of_text(), "filen är en zip-fil men ingen Excel-arbetsbok som går att läsa "
                          "(KeyError)"),
}


def _dup(book: Workbook) -> None:
    """The second data row repeats the first's place with another count."""
    sheet = book["Total"]
    for column in range(1, 5):
        sheet.cell(TOTAL_FIRST + 1, column).value = sheet.cell(TOTAL_FIRST, column).value


def _zip_of_text() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "inte en arbetsbok")
    return buffer.getvalue()
