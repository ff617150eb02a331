"""SCB-like table packages of arbetssökandestatistik för delområden, as a municipality gets them, in two layouts:

- `long_csv()`: a semicolon CSV in Windows-1252 (as SCB delivers CSV), title rows, then one row per område, kön,
  ålder and period: `Område;Kön;Ålder;Period;Öppet arbetslösa;Sökande i program;Befolkning`, the område and kön
  printed once per block (merged cells saved as CSV), stadsdelar by name ("FARSTA STRAND" in capitals), the
  stadsdelsområde as "Järva stadsdelsområde", the city as "Stockholm", a row "Ej fördelat på delområde", notes below.
- `wide_xlsx()`: an Excel sheet per 31 oktober, `Nyko | Delområde` and kön as column groups under a merged header
  (Kvinnor, Män, Totalt, each over Öppet arbetslösa | Sökande i program | Befolkning 16–64 år | Andel …, %), the
  shares stored as fractions in Excel's percent format, stadsdelsområden (Farsta and Skärholmen are stadsdelar
  too), the period and the ages only in the title rows, a hidden sheet and a sheet of notes.

The Nyko codes are invented for the tests (the project has no codes and matches by name). The counts are made up
but add up (totalt = kvinnor + män, 16–64 = 16–24 + 25–64); the same area, kön and day has the same counts in
both layouts. `BROKEN` holds broken variants, each with the Swedish message it must get.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from openpyxl import Workbook

PERIODS = ["2025-03-31", "2025-10-31"]
# canonical area → (population 16–64, share öppet arbetslösa, share in programme)
AREAS = {"Stockholm": (640000, 0.031, 0.022), "Järva": (52000, 0.071, 0.052), "Rinkeby": (11000, 0.085, 0.06),
         "Tensta": (12000, 0.078, 0.057), "Husby": (8500, 0.07, 0.05), "Akalla": (600, 0.066, 0.006),
         "Kista": (8800, 0.052, 0.041), "Skärholmen": (9000, 0.06, 0.045), "Bredäng": (6600, 0.058, 0.04),
         "Farsta strand": (5200, 0.037, 0.024), "Ej fördelat på delområde": (900, 0.05, 0.03),
         "Farsta": (39000, 0.036, 0.025), "Hägersten-Älvsjö": (70000, 0.024, 0.015),
         "Enskede-Årsta-Vantör": (68000, 0.033, 0.022), "Skärholmen sdo": (26000, 0.064, 0.047),
         "Farsta stadsdel": (5600, 0.04, 0.028), "Hökarängen": (6500, 0.035, 0.021), "Vårberg": (6900, 0.069, 0.05)}
AGES = {"16-24 år": 0.16, "25-64 år": 0.84}
GENDERS = {"Kvinnor": 0.49, "Män": 0.51}
MEASURES = ["Öppet arbetslösa", "Sökande i program", "Befolkning"]

# (canonical area, as the long file writes it, level it is stored at, the area's name in the database)
LONG_AREAS = [("Stockholm", "Stockholm", "stad", "Stockholms stad"),
              ("Järva", "Järva stadsdelsområde", "stadsdelsomrade", "Järva"),
              ("Rinkeby", "Rinkeby", "stadsdel", "Rinkeby"), ("Tensta", "Tensta", "stadsdel", "Tensta"),
              ("Husby", "Husby", "stadsdel", "Husby"), ("Akalla", "Akalla", "stadsdel", "Akalla"),
              ("Kista", "Kista", "stadsdel", "Kista"), ("Skärholmen", "Skärholmen", "stadsdel", "Skärholmen"),
              ("Bredäng", "Bredäng", "stadsdel", "Bredäng"),
              ("Farsta strand", "FARSTA STRAND", "stadsdel", "Farsta strand"),
              ("Ej fördelat på delområde", "Ej fördelat på delområde", None, None)]
WIDE_AREAS = [("Stockholm", "9000", "Stockholms stad", "stad", "Stockholms stad"),
              ("Järva", "9001", "Järva", "stadsdelsomrade", "Järva"),
              ("Skärholmen sdo", "9002", "Skärholmen", "stadsdelsomrade", "Skärholmen"),
              ("Farsta", "9003", "Farsta", "stadsdelsomrade", "Farsta"),
              ("Hägersten-Älvsjö", "9004", "Hägersten–Älvsjö", "stadsdelsomrade", "Hägersten-Älvsjö"),
              ("Enskede-Årsta-Vantör", "9005", "Enskede-Årsta-Vantör", "stadsdelsomrade", "Enskede-Årsta-Vantör")]

# Cells printed without a number: (area, kön, ålder, period, measure) → as printed
SPECIAL = {("Akalla", "Kvinnor", "16-24 år", "2025-03-31", "Sökande i program"): "<5",
           ("Kista", "Män", "16-24 år", "2025-03-31", "Öppet arbetslösa"): "..",
           ("Husby", "Kvinnor", "16-24 år", "2025-10-31", "Sökande i program"): "–",
           ("Tensta", "Män", "25-64 år", "2025-10-31", "Befolkning"): None}


def count(area: str, gender: str, age: str, period: str, measure: str) -> int:
    """A made-up count that adds up over kön and ålder."""
    if gender == "Totalt":
        return sum(count(area, g, age, period, measure) for g in GENDERS)
    if age == "16-64 år":
        return sum(count(area, gender, a, period, measure) for a in AGES)
    population, open_share, programme_share = AREAS[area]
    people = int(population * GENDERS[gender] * AGES[age])
    if measure == "Befolkning":
        return people
    factor = (1.0 if period == PERIODS[0] else 0.94) * (1.25 if age == "16-24 år" else 1.0)
    factor *= 0.9 if gender == "Kvinnor" else 1.0
    return int(people * (open_share if measure == "Öppet arbetslösa" else programme_share) * factor)


def printed(area: str, gender: str, age: str, period: str, measure: str) -> int | str | None:
    """What the long file prints: the count, or a special cell."""
    key = (area, gender, age, period, measure)
    return SPECIAL[key] if key in SPECIAL else count(*key)


def share(area: str, gender: str, period: str) -> float:
    """Öppet arbetslösa and sökande i program in percent of the population 16–64, one decimal."""
    people = count(area, gender, "16-64 år", period, "Befolkning")
    seekers = sum(count(area, gender, "16-64 år", period, m) for m in MEASURES[:2])
    return round(100 * seekers / people, 1)


# ------------------------------------------------------------------------------------------------ long CSV

LONG_TITLE = ["Arbetssökande i delområden, Stockholms stad",
              "Öppet arbetslösa och sökande i program med aktivitetsstöd samt befolkning, 16–64 år",
              "Framtaget av SCB på uppdrag av Stockholms stad", ""]
LONG_HEADER = ["Område", "Kön", "Ålder", "Period", *MEASURES]
LONG_NOTES = ["Källa: SCB, Arbetsförmedlingens register och registret över totalbefolkningen",
              "<5 = färre än 5 personer; .. = uppgift saknas; – = noll"]
LONG_AGES = [*AGES, "16-64 år"]
LONG_FIRST = len(LONG_TITLE) + 2  # the first data row's number in the file


def long_rows(periods: list[str] = PERIODS, ages: list[str] = LONG_AGES) -> list[list[object]]:
    rows: list[list[object]] = [[t] for t in LONG_TITLE] + [list(LONG_HEADER)]
    for period in periods:
        for area, written, _level, _name in LONG_AREAS:
            for g_index, gender in enumerate([*GENDERS, "Totalt"]):
                for a_index, age in enumerate(ages):
                    values = [printed(area, gender, age if age in LONG_AGES else "16-64 år", period, m)
                              for m in MEASURES]
                    rows.append([written if g_index == a_index == 0 else None,
                                 gender if a_index == 0 else None, age, period, *values])
    rows.append([])
    rows += [[n] for n in LONG_NOTES]
    return rows


def line_of(area: str, gender: str, age: str, period: str) -> int:
    """The row number in `long_csv()` of an område, kön, ålder and period."""
    a = [x[0] for x in LONG_AREAS].index(area)
    g = [*GENDERS, "Totalt"].index(gender)
    return (LONG_FIRST + PERIODS.index(period) * len(LONG_AREAS) * 9 + a * 9 + g * 3 + LONG_AGES.index(age))


def to_csv(rows: list[list[object]], encoding: str = "cp1252") -> bytes:
    width = len(LONG_HEADER)

    def text(cell: object) -> str:
        if cell is None:
            return ""
        if isinstance(cell, float):
            return f"{cell}".replace(".", ",")
        return str(cell)

    lines = [";".join(text(c) for c in (row + [None] * (width - len(row)))) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def long_csv(periods: list[str] = PERIODS) -> bytes:
    return to_csv(long_rows(periods))


def expected_long(area: str, gender: str, age: str, period: str, measure: str) -> int | str | None:
    return printed(area, gender, age, period, measure)


# ------------------------------------------------------------------------------------------------ wide xlsx

WIDE_PERIOD = "2025-10-31"
WIDE_TITLE = ["Arbetssökande per delområde (Nyko), Stockholms stad",
              "Öppet arbetslösa, sökande i program med aktivitetsstöd och befolkning 16–64 år per 31 oktober 2025",
              "Källa: SCB på uppdrag av Stockholms stad", ""]
WIDE_MEASURES = ["Öppet arbetslösa", "Sökande i program", "Befolkning 16–64 år",
                 "Andel öppet arbetslösa och sökande i program, %"]
WIDE_GENDERS = ["Kvinnor", "Män", "Totalt"]
WIDE_TOP = len(WIDE_TITLE) + 1  # the header's first row
WIDE_FIRST = WIDE_TOP + 2


def wide_value(area: str, gender: str, column: int) -> float:
    if column == 3:
        return share(area, gender, WIDE_PERIOD)
    return count(area, gender, "16-64 år", WIDE_PERIOD, MEASURES[column])


def wide_book(title: list[str] = WIDE_TITLE, names: bool = True) -> Workbook:
    """The wide sheet; `names=False` leaves the Delområde column out (the areas only as Nyko codes)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Tabell 1"
    first = 3 if names else 2  # the first measure column
    width = first - 1 + len(WIDE_GENDERS) * len(WIDE_MEASURES)
    for row, text in enumerate(title, start=1):
        if text:
            sheet.cell(row, 1, text)
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    for column, text in enumerate(["Nyko", "Delområde"][:first - 1], start=1):  # merged down over both rows
        sheet.cell(WIDE_TOP, column, text)
        sheet.merge_cells(start_row=WIDE_TOP, start_column=column, end_row=WIDE_TOP + 1, end_column=column)
    for g, gender in enumerate(WIDE_GENDERS):
        start = first + g * len(WIDE_MEASURES)
        sheet.cell(WIDE_TOP, start, gender)
        sheet.merge_cells(start_row=WIDE_TOP, start_column=start, end_row=WIDE_TOP,
                          end_column=start + len(WIDE_MEASURES) - 1)
        for m, measure in enumerate(WIDE_MEASURES):
            sheet.cell(WIDE_TOP + 1, start + m, measure)
    for r, (area, code, written, _level, _name) in enumerate(WIDE_AREAS):
        row = WIDE_FIRST + r
        sheet.cell(row, 1, code)
        if names:
            sheet.cell(row, 2, written)
        for g, gender in enumerate(WIDE_GENDERS):
            for m in range(len(WIDE_MEASURES)):
                cell = sheet.cell(row, first + g * len(WIDE_MEASURES) + m, wide_value(area, gender, m))
                if m == 3:
                    cell.value = cell.value / 100
                    cell.number_format = "0.0%"
    notes = WIDE_FIRST + len(WIDE_AREAS) + 1
    sheet.cell(notes, 1, "Källa: SCB. Befolkningen avser den 31 december året före.")
    sheet.cell(notes + 1, 1, ".. = uppgift saknas")
    book.create_sheet("Teckenförklaring").append(["<5", "färre än 5 personer"])
    hidden = book.create_sheet("Beställning")
    hidden.append(["dolt blad", "läses inte"])
    hidden.sheet_state = "hidden"
    return book


# ------------------------------------------------------------------------------------------------ two levels

TWO_LEVEL_PERIOD = "2025-03-31"
TWO_LEVEL_TITLE = ["Öppet arbetslösa och befolkning 16–64 år per stadsdelsområde och stadsdel, per 31 mars 2025", ""]
TWO_LEVEL_HEADER = ["Stadsdelsområde", "Stadsdel", "Kön", "Öppet arbetslösa", "Befolkning"]
# (canonical area, Stadsdelsområde as printed, Stadsdel as printed, level, name in the database); the
# stadsdelsområde is printed once per block, its own rows have the stadsdel blank (Farsta) or "Totalt"
# (Skärholmen), and a stadsdel once per kön block.
TWO_LEVEL_AREAS = [("Farsta", "Farsta", None, "stadsdelsomrade", "Farsta"),
                   ("Farsta stadsdel", None, "Farsta", "stadsdel", "Farsta"),
                   ("Hökarängen", None, "Hökarängen", "stadsdel", "Hökarängen"),
                   ("Skärholmen sdo", "Skärholmen", "Totalt", "stadsdelsomrade", "Skärholmen"),
                   ("Skärholmen", None, "Skärholmen", "stadsdel", "Skärholmen"),
                   ("Vårberg", None, "Vårberg", "stadsdel", "Vårberg")]


def two_level_xlsx() -> bytes:
    """Stadsdelsområde | Stadsdel | Kön | Öppet arbetslösa | Befolkning, kvinnor and män, per 31 mars 2025."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Per stadsdel"
    for text in TWO_LEVEL_TITLE:
        sheet.append([text or None])
    sheet.append(TWO_LEVEL_HEADER)
    for area, parent, name, _level, _db_name in TWO_LEVEL_AREAS:
        for g, gender in enumerate(GENDERS):
            sheet.append([parent if g == 0 else None, name if g == 0 else None, gender,
                          *(count(area, gender, "16-64 år", TWO_LEVEL_PERIOD, m) for m in ("Öppet arbetslösa",
                                                                                            "Befolkning"))])
    sheet.append([])
    sheet.append(["Källa: SCB"])
    return to_bytes(book)


def to_bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def wide_xlsx() -> bytes:
    return to_bytes(wide_book())


# ------------------------------------------------------------------------------------------------ broken files


def _long_with(change: Callable[[list[list[object]]], None], encoding: str = "cp1252") -> Callable[[], bytes]:
    def make() -> bytes:
        rows = long_rows()
        change(rows)
        return to_csv(rows, encoding)
    return make


def _set(line: int, column: int, value: object) -> Callable[[list[list[object]]], None]:
    def change(rows: list[list[object]]) -> None:
        rows[line - 1][column] = value
    return change


def _after_notes(rows: list[list[object]]) -> None:
    rows.append(["Rinkeby", "Kvinnor", "16-24 år", "2026-03-31", 1, 1, 1])


def _wide_with(change: Callable[[Workbook], None], **kwargs: object) -> Callable[[], bytes]:
    def make() -> bytes:
        book = wide_book(**kwargs)
        change(book)
        return to_bytes(book)
    return make


def _nothing(book: Workbook) -> None:
    return None


def _share_over_100(book: Workbook) -> None:
    book["Tabell 1"].cell(WIDE_FIRST + 1, 6).value = 1.234  # Järva, kvinnor: 123,4 %


def _extra_column(rows: list[list[object]]) -> None:
    rows[len(LONG_TITLE)].append("Arbetssökande totalt")


RINKEBY = line_of("Rinkeby", "Kvinnor", "16-24 år", PERIODS[0])
TENSTA_MAN = line_of("Tensta", "Män", "16-24 år", PERIODS[0])
H = len(LONG_TITLE) + 1  # the long file's header row
# name → (file name, file bytes, the whole message after "Fel i FILE, " or "Fel i FILE: ")
BROKEN: dict[str, tuple[str, Callable[[], bytes], str]] = {
    "text i antal": ("trasig.csv", _long_with(_set(RINKEBY, 4, "tolv")),
                     f"rad {RINKEBY}, kolumn E (Öppet arbetslösa): 'tolv' är inte ett antal (ett heltal, '<5', '..' "
                     "eller '–')"),
    "decimaltal i antal": ("trasig.csv", _long_with(_set(RINKEBY + 1, 5, "12,5")),
                           f"rad {RINKEBY + 1}, kolumn F (Sökande i program): '12,5' är inte ett heltal: ett antal "
                           "personer räknas i hela tal"),
    "negativt antal": ("trasig.csv", _long_with(_set(RINKEBY, 6, "-3")),
                       f"rad {RINKEBY}, kolumn G (Befolkning): −3 är mindre än 0: ett antal kan inte vara negativt"),
    "okänt kön": ("trasig.csv", _long_with(_set(TENSTA_MAN, 1, "Båda")),
                  f"rad {TENSTA_MAN}, kolumn B (Kön): 'Båda' är inte ett kön (Kvinnor, Män eller Totalt)"),
    "okänd ålder": ("trasig.csv", _long_with(_set(RINKEBY, 2, "unga")),
                    f"rad {RINKEBY}, kolumn C (Ålder): 'unga' är inte en åldersgrupp (t.ex. 16–24 år eller Totalt)"),
    "period med fel form": ("trasig.csv", _long_with(_set(RINKEBY, 3, "våren 2025")),
                            f"rad {RINKEBY}, kolumn D (Period): 'våren 2025' är inte en period (t.ex. 2025-03-31, "
                            "31 mars 2025 eller 2025-03)"),
    "formel": ("trasig.csv", _long_with(_set(RINKEBY, 4, "=SUMMA(E7:E9)")),
               f"rad {RINKEBY}, kolumn E (Öppet arbetslösa): cellen innehåller formeln '=SUMMA(E7:E9)'; spara filen "
               "med värden i stället för formler"),
    "dubblett med annat värde": (
        "trasig.csv", _long_with(_set(RINKEBY + 1, 2, "16-24 år")),
        f"rad {RINKEBY + 1}, kolumn E (Öppet arbetslösa): samma mått, period, område, kön och ålder står redan i "
        f"rad {RINKEBY}, kolumn E (Öppet arbetslösa) med ett annat värde"),
    "rad under anmärkningarna": (
        "trasig.csv", _long_with(_after_notes),
        f"rad {LONG_FIRST + len(PERIODS) * len(LONG_AREAS) * 9 + 1 + len(LONG_NOTES)}: raden ser ut som en tabellrad "
        "men står under en anmärkning; tabellen får inte fortsätta efter en anmärkning"),
    "andel över 100": ("trasig.xlsx", _wide_with(_share_over_100),
                       f"blad 'Tabell 1', rad {WIDE_FIRST + 1}, kolumn F (Kvinnor – Andel öppet arbetslösa och "
                       "sökande i program, %): 123,4 ligger utanför 0–100 procent"),
    "ingen period": ("trasig.xlsx", _wide_with(_nothing, title=[WIDE_TITLE[0], WIDE_TITLE[2], ""]),
                     f"blad 'Tabell 1', rad {WIDE_TOP}: filen säger inte vilken period värdena gäller: ingen "
                     "kolumn är mappad som period, och varken rubrikerna eller titelraderna har ett datum "
                     "(t.ex. 'per 31 mars 2025')"),
    "styrtecken i område": ("trasig.csv", _long_with(_set(RINKEBY, 0, "Rinke\u200bby"), "utf-8-sig"),
                            f"rad {RINKEBY}, kolumn A (Område): otillåtet tecken U+200B (ZERO WIDTH SPACE)"),
    "andra åldrar än måttens": ("trasig.csv", lambda: to_csv(long_rows(ages=["18-24 år", "25-64 år", "18-64 år"])),
                                f"rad {H}: filens åldrar (18–64 år) är inte måttens (16–64 år): måtten är definierade "
                                "för en annan befolkning; gör en ny mappning med mått för de här åldrarna"),
    "annan rubrikrad": ("trasig.csv", _long_with(_extra_column),
                        f"rad {H}: kolumnmappningen duger inte: mappningen har 7 kolumner men tabellen 8"),
}
