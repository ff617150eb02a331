"""Case-system extracts of KAA, Jobbtorg and Stockholmsjobb as a city analyst would get them: Swedish headers,
title rows above the table in Excel, "Ja"/"Nej", dates written 2023-03-01 or stored as Excel dates, notes and
trailing blank rows. Made up, deterministic, with known counts (`kaa_expected` etc.).

`kaa_csv()`, `kaa_xlsx()`, `jobbtorg_csv()`, … return the file's bytes; keyword arguments change it.
"""

from __future__ import annotations

import io
from collections import Counter
from datetime import date, timedelta

from openpyxl import Workbook

STADSDELAR = ["Rinkeby", "Tensta", "Husby", "Skärholmen", "Bredäng", "Farsta", "Hagsätra", "Rågsved", "Södermalm",
              "Kungsholmen", "Hässelby gård", "Norra Djurgården"]
YEAR = 2023

KAA_HEADER = ["Pseudonym-ID", "Kön", "Födelseår", "Stadsdel", "Datum i registret", "Uppsökt", "Nådd", "Inskriven",
              "Avslutad", "Orsak", "Arbete/studier"]
JT_HEADER = ["Person", "Målgrupp", "Inskriven", "Avslutad", "Orsak", "Kön", "Födelseår", "Stadsdel"]
SJ_HEADER = ["Aspirant", "Anställningsform", "Start", "Slut", "Utfall 3 mån", "Finansiering", "Yrkeskurs", "Kön",
             "Födelseår", "Stadsdel"]
JT_GROUPS = ["Försörjningsstöd", "Ingång 20–29 år", "Övriga målgrupper", "KAA 16–19 år", "Stockholmsjobb"]
SJ_KINDS = ["Serviceassistent", "Arbetslag/introjobb", "Ungdomsanställning", "Övrig anställning"]


def _gender(i: int) -> str:
    return "Kvinna" if (i // 2) % 2 else "Man"


def _id(n: int) -> str:
    return f"U-{4711 + 37 * n:06d}"  # the case system's own pseudonymous id


def kaa_rows(n: int = 60) -> list[list]:
    """One row per young person in 2023: each fourth not sought, then fewer at every step."""
    out = []
    for i in range(n):
        uppsokt = i % 4 != 0
        nadd = uppsokt and i % 5 != 1
        inskriven = nadd and i % 3 != 2
        avslutad = inskriven and i % 2 == 0
        reason, outcome = ("", "")
        if avslutad:
            reason, outcome = [("Arbete", "Arbete"), ("Studier", "Studier"), ("Flytt", "Nej")][i % 3]
        out.append([_id(i), _gender(i), 2005 + i % 3, STADSDELAR[i % len(STADSDELAR)],
                    date(YEAR, 1 + i % 12, 1 + i % 27), "Ja" if uppsokt else "Nej", "Ja" if nadd else "Nej",
                    "Ja" if inskriven else "Nej", "Ja" if avslutad else "Nej", reason, outcome])
    return out


def kaa_expected(rows: list[list] | None = None) -> dict[str, Counter]:
    """The funnel of the fixture: gender → step → count (the city, 2023)."""
    out = {"kvinnor": Counter(), "män": Counter()}
    for r in rows or kaa_rows():
        c = out["kvinnor" if r[1] == "Kvinna" else "män"]
        c["omfattade"] += 1
        for step, col in (("uppsokta", 5), ("nadda", 6), ("inskrivna", 7), ("avslutade", 8)):
            c[step] += r[col] == "Ja"
        if r[8] == "Ja":
            c[{"Arbete": "arbete", "Studier": "studier"}.get(r[10], "annat")] += 1
    return out


def jobbtorg_rows(n: int = 50) -> list[list]:
    """One row per enrolment; the KAA målgrupp's people are the KAA file's (the same case-system ids)."""
    out = []
    for i in range(n):
        group = JT_GROUPS[i % len(JT_GROUPS)]
        start = date(YEAR, 1 + i % 12, 2)
        ended = i % 3 != 0
        end = start + timedelta(days=20 + i) if ended else None
        reason = ["Arbete", "Studier", "Annat", "Byte av målgrupp"][i % 4] if ended else ""
        person = _id(i) if group.startswith("KAA") else _id(500 + i)
        birth = 2005 + i % 3 if group.startswith("KAA") else 1975 + i % 20
        gender = _gender(i) if group.startswith("KAA") else ("Kvinna" if i % 3 else "Man")
        out.append([person, group, start, end, reason, gender, birth, STADSDELAR[i % len(STADSDELAR)]])
    return out


def jobbtorg_expected(rows: list[list] | None = None) -> Counter:
    """(målgrupp code, count) → n for the city in 2023, both kön: startade, avslutade (with an avslut), exits."""
    out = Counter()
    for r in rows or jobbtorg_rows():
        group = r[1].replace("–", "-")
        out[(group, "startade")] += 1
        if r[3] and r[4] != "Byte av målgrupp" and r[3].year == YEAR:
            out[(group, "avslutade")] += 1
            out[(group, r[4].lower())] += 1
    return out


def sj_rows(n: int = 30) -> list[list]:
    out = []
    for i in range(n):
        start = date(YEAR - 1 + (i % 2), 1 + i % 12, 1)
        end = start + timedelta(days=180) if i % 4 != 0 else None
        outcome = ["Arbete", "Studier", "Annat", ""][i % 4] if end else ""
        out.append([_id(900 + i), SJ_KINDS[i % 4], start, end, outcome,
                    "Arbetsmarknadsnämnden" if i % 3 else "Stadsdelsnämnd", "Ja" if i % 5 == 0 else "Nej",
                    "Kvinna" if i % 2 else "Man", 1970 + i % 30, STADSDELAR[i % len(STADSDELAR)]])
    return out


# ------------------------------------------------------------------------------------------- files


def _iso(cell: object) -> object:
    return cell.isoformat() if isinstance(cell, date) else cell


def csv_bytes(header: list, rows: list[list], *, sep: str = ";", bom: bool = True, blank_tail: int = 2) -> bytes:
    """A CSV export: dates as 2023-03-01, empty cells empty, blank lines after the table."""
    lines = [sep.join(header)]
    for row in rows:
        lines.append(sep.join("" if c is None else str(_iso(c)) for c in row))
    lines += [sep * (len(header) - 1)] * blank_tail
    return (("\ufeff" if bom else "") + "\r\n".join(lines) + "\r\n").encode("utf-8")


def xlsx_bytes(header: list, rows: list[list], *, title: str, sheet: str = "Uttag", excel_dates: bool = True,
               extra_sheets: dict[str, list[list]] | None = None) -> bytes:
    """An Excel export: two title rows and an empty row above the header, dates as real Excel dates (or as
    text), a note and blank rows below."""
    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append([title])
    ws.append([f"Uttag {YEAR + 1}-01-31 ur verksamhetssystemet"])
    ws.append([])
    ws.append(header)
    for number, row in enumerate(rows, start=5):
        ws.append([c if excel_dates or not isinstance(c, date) else c.isoformat() for c in row])
        for column, value in enumerate(row, start=1):
            if excel_dates and isinstance(value, date):
                ws.cell(number, column).number_format = "yyyy-mm-dd"
    ws.append([])
    ws.append(["Sekretess: uttaget är pseudonymiserat."])
    for _ in range(3):
        ws.append([None] * len(header))
    for name, content in (extra_sheets or {}).items():
        other = book.create_sheet(name)
        for row in content:
            other.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def kaa_csv(rows: list[list] | None = None, **kwargs) -> bytes:
    return csv_bytes(KAA_HEADER, kaa_rows() if rows is None else rows, **kwargs)


def kaa_xlsx(rows: list[list] | None = None, **kwargs) -> bytes:
    return xlsx_bytes(KAA_HEADER, kaa_rows() if rows is None else rows, title="KAA – ungdomar i registret 2023",
                      **kwargs)


def jobbtorg_csv(rows: list[list] | None = None, **kwargs) -> bytes:
    return csv_bytes(JT_HEADER, jobbtorg_rows() if rows is None else rows, **kwargs)


def jobbtorg_xlsx(rows: list[list] | None = None, **kwargs) -> bytes:
    return xlsx_bytes(JT_HEADER, jobbtorg_rows() if rows is None else rows, title="Jobbtorg – inskrivningar", **kwargs)


def sj_csv(rows: list[list] | None = None, **kwargs) -> bytes:
    return csv_bytes(SJ_HEADER, sj_rows() if rows is None else rows, **kwargs)


def sj_xlsx(rows: list[list] | None = None, **kwargs) -> bytes:
    return xlsx_bytes(SJ_HEADER, sj_rows() if rows is None else rows, title="Stockholmsjobb – anställningar",
                      **kwargs)


def with_column(header: list, rows: list[list], name: str, values: list, at: int = 1) -> tuple[list, list[list]]:
    """The table with one more column (`values` cycled over the rows)."""
    return ([*header[:at], name, *header[at:]],
            [[*r[:at], values[i % len(values)], *r[at:]] for i, r in enumerate(rows)])


# Identifying files: (header, rows) → the column and the row the refusal must name (rows counted in the CSV,
# where the header is line 1). Values are made up; the personnummer have valid dates and check digits.
def luhn_digit(nine: str) -> str:
    total = 0
    for i, ch in enumerate(nine):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return str((10 - total % 10) % 10)


def pnr(birth: str, serial: str) -> str:
    """A personnummer ÅÅMMDD-NNNN with a valid check digit (`serial` has three digits)."""
    return f"{birth}-{serial}{luhn_digit(birth + serial)}"


IDENTIFYING: dict[str, tuple[str, list, int, str]] = {
    # kind → (column name, values (first rows fine, then the identifying one), row number, what the message says)
    "personnummer i id-kolumnen": ("Pseudonym-ID", None, 4, "personnummer eller samordningsnummer"),
    "samordningsnummer": ("Intern referens", ["A1", "A2", pnr("050163", "238")], 4, "samordningsnummer"),
    "personnummer med tolv siffror": ("Referens", ["", "", "20" + pnr("050101", "123").replace("-", "")], 4,
                                      "personnummer"),
    "personnummer som tal i kolumnen": ("Löpnr ext", None, 2, "personnummer (tio siffror"),
    "kolumnen Personnummer": ("Personnummer", [""], 1, "personnummer eller samordningsnummer"),
    "kolumnen Namn": ("Namn", [""], 1, "namn"),
    "kolumnen Efternamn": ("Efternamn", [""], 1, "namn"),
    "namn i en annan kolumn": ("Handläggare ref", ["", "", "Anna Lindqvist"], 4, "namn (Förnamn Efternamn)"),
    "kolumnen Gatuadress": ("Gatuadress", [""], 1, "adresser"),
    "adress i en kolumn": ("Övrigt", ["", "Rinkebystråket 12 B"], 3, "adresser (gata och nummer)"),
    "telefonnummer": ("Kontakt", ["", "", "", "070-123 45 67"], 5, "telefonnummer"),
    "kolumnen Mobil": ("Mobil", [""], 1, "telefonnummer"),
    "e-post": ("Kontakt", ["", "anna.lindqvist@example.se"], 3, "e-postadresser"),
    "postnummer": ("Postnummer", ["163 55"], 1, "postnummer"),
    "postnummer i en kolumn": ("Ort", ["", "", "163 55"], 4, "postnummer"),
}


def identifying_kaa(kind: str) -> tuple[list, list[list], int]:
    """The KAA table with one identifying column or value (see IDENTIFYING); (header, rows, row number)."""
    name, values, row, _what = IDENTIFYING[kind]
    rows = kaa_rows(12)
    if kind == "personnummer i id-kolumnen":
        rows[2][0] = pnr("060412", "571")
        return KAA_HEADER, rows, row
    if kind == "personnummer som tal i kolumnen":  # ten digits, no separator, every one a valid personnummer
        numbers = [pnr(f"0{5 + i % 2}0{1 + i % 9}1{i % 9}", f"{100 + i}").replace("-", "") for i in range(12)]
        header, rows = with_column(KAA_HEADER, rows, name, numbers)
        return header, rows, row
    filled = values + [""] * (len(rows) - len(values))
    header, rows = with_column(KAA_HEADER, rows, name, filled, at=len(KAA_HEADER))
    return header, rows, row
