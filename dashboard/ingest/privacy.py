"""The privacy guard: a file from a case system that holds what identifies a person is refused before anything
is read into the database, with a Swedish message naming the file, sheet, column and the first row where it was
seen — never the value itself.

Refused: personnummer and samordningsnummer (ÅÅMMDD-NNNN, ÅÅMMDD+NNNN, ÅÅÅÅMMDDNNNN, ÅÅÅÅMMDD-NNNN with a valid
date — day + 60 for samordningsnummer — and a valid Luhn check digit; ten digits without a separator only when
most of a column's values are such numbers, since a case system's own numeric ids pass by chance in 0,4 % of
cases), names (a column called namn, förnamn, efternamn …, or values written "Förnamn Efternamn"), addresses
(a column called adress, gatuadress …, or a street with a number: "Rinkebystråket 12 B"), phone numbers and
e-mail addresses. Postnummer are refused too: the project has no postnummer → stadsdel table (none is published
that could be bundled offline), so the file must carry the stadsdel itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date

from dashboard.ingest.errors import IngestError

NAME_COLUMNS = {"namn", "förnamn", "efternamn", "fullständigt namn", "tilltalsnamn", "mellannamn", "name",
                "first name", "last name", "vårdnadshavare", "förälder", "handläggare", "kontaktperson"}
PNR_COLUMNS = {"personnummer", "personnr", "pnr", "person nr", "personnummer/samordningsnummer",
               "samordningsnummer", "samordningsnr", "personidentitet", "ssn"}
ADDRESS_COLUMNS = {"adress", "gatuadress", "bostadsadress", "hemadress", "postadress", "folkbokföringsadress",
                   "c/o", "co-adress", "lägenhetsnummer", "postort", "address"}
PHONE_COLUMNS = {"telefon", "telefonnummer", "tel", "tfn", "mobil", "mobilnummer", "mobiltelefon", "hemtelefon",
                 "phone"}
EMAIL_COLUMNS = {"e-post", "epost", "e-postadress", "epostadress", "email", "e-mail", "mejl", "mail"}
POSTCODE_COLUMNS = {"postnummer", "postnr", "post nr", "postkod"}

_PNR_SEPARATED = re.compile(r"((?:19|20)?\d{2})(\d{2})(\d{2})[-+](\d{4})")
_PNR_12 = re.compile(r"((?:19|20)\d{2})(\d{2})(\d{2})(\d{4})")
_PNR_10 = re.compile(r"(\d{2})(\d{2})(\d{2})(\d{4})")
_NAME_PART = r"[A-ZÅÄÖÉÜ][a-zåäöéüèáíóú]+(?:-[A-ZÅÄÖÉÜ][a-zåäöéüèáíóú]+)?"
_NAME = re.compile(rf"{_NAME_PART}(?: {_NAME_PART}){{1,3}}")
_STREET = re.compile(
    r"(?i)\b[\wåäöé-]*(?:gatan|gata|vägen|väg|gränd|gränden|stigen|stig|backe|backen|allé|allén|torg|torget|plan|"
    r"platsen|leden|stråket|gången|slingan|kajen|esplanaden|promenaden|terrassen|ringen|kroken|vägen)"
    r"\s+\d{1,4}\s?[a-z]?\b")
_CARE_OF = re.compile(r"(?i)\bc/o\b")
_PHONE = re.compile(r"(?:\+46|0046|0)[\s-]?\(?0?\)?\d{1,3}(?:[\s-]?\d{2,4}){1,4}")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_POSTCODE = re.compile(r"\d{3} \d{2}")
_DATE_LIKE = re.compile(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}")
PNR_10_SHARE = 0.5  # a column of plain ten-digit numbers is personnummer when more than half of them pass


def _norm(name: object) -> str:
    return " ".join(str(name).replace("_", " ").split()).lower() if name is not None else ""


def luhn(digits: str) -> bool:
    """The Luhn check of a personnummer's last ten digits."""
    total = 0
    for i, ch in enumerate(digits):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _valid_date(year: str, month: str, day: str) -> bool:
    y = int(year) if len(year) == 4 else 2000 + int(year)
    d = int(day) - 60 if int(day) > 60 else int(day)  # samordningsnummer: day + 60
    try:
        date(y, int(month), d)
    except ValueError:
        return False
    return True


def is_personnummer(text: str, *, plain_ten: bool = False) -> bool:
    """Whether `text` is a personnummer or samordningsnummer (valid date and Luhn digit); ten digits without a
    separator only with `plain_ten`."""
    text = text.strip()
    for pattern in (_PNR_SEPARATED, _PNR_12, *([_PNR_10] if plain_ten else [])):
        m = pattern.fullmatch(text)
        if m and _valid_date(m[1], m[2], m[3]):
            return luhn(m[1][-2:] + m[2] + m[3] + m[4])
    return False


def _cell_text(cell: object) -> str:
    if cell is None or isinstance(cell, bool | date):
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _phone(text: str) -> bool:
    """+46 70-123 45 67, 08-123 456 78, 0701234567; not a date, not a plain id with a leading zero."""
    if not _PHONE.fullmatch(text) or _DATE_LIKE.fullmatch(text):
        return False
    digits = sum(c.isdigit() for c in text)
    if text.isdigit():
        return digits == 10 and text.startswith("07")
    return 7 <= digits <= 13


def check(file_name: str, sheet: str, header: Sequence[object], rows: Iterable[tuple[int, Sequence[object]]],
          *, header_row: int, allowed: set[str], column_label) -> None:  # noqa: ANN001 - column_label(i, name)
    """Refuse the table if a column's name or values identify a person. `rows` are (row number, cells);
    `allowed` are lower-case values known not to identify anyone (area names, the formats' codes)."""
    where = {"file": file_name, "sheet": sheet}

    def refuse(index: int, row: int, what: str) -> IngestError:
        return IngestError(file_name, f"{what}. Filen läses inte in och ingenting har sparats; ta bort kolumnen "
                           "(eller uppgiften) ur exporten och försök igen. Värdet visas inte här.",
                           sheet=where["sheet"], row=row, column=column_label(index, header[index]))

    for index, name in enumerate(header):
        key = _norm(name)
        if key in POSTCODE_COLUMNS:
            raise _postcode(file_name, sheet, header_row, column_label(index, name))
        for names, what in ((PNR_COLUMNS, "kolumnen heter som en kolumn med personnummer eller samordningsnummer"),
                            (NAME_COLUMNS, "kolumnen heter som en kolumn med namn"),
                            (ADDRESS_COLUMNS, "kolumnen heter som en kolumn med adresser"),
                            (PHONE_COLUMNS, "kolumnen heter som en kolumn med telefonnummer"),
                            (EMAIL_COLUMNS, "kolumnen heter som en kolumn med e-postadresser")):
            if key in names:
                raise refuse(index, header_row, what)
    ten: dict[int, list[int]] = {}  # column → [values of ten plain digits, of them passing, first such row]
    for line, cells in rows:
        for index, cell in enumerate(cells):
            if index >= len(header):
                break
            text = _cell_text(cell)
            if not text or text.lower() in allowed:
                continue
            if is_personnummer(text):
                raise refuse(index, line, "kolumnen innehåller personnummer eller samordningsnummer")
            if len(text) == 10 and text.isdigit():
                seen = ten.setdefault(index, [0, 0, 0])
                seen[0] += 1
                if is_personnummer(text, plain_ten=True):
                    seen[1] += 1
                    seen[2] = seen[2] or line
                continue
            if _EMAIL.search(text):
                raise refuse(index, line, "kolumnen innehåller e-postadresser")
            if _phone(text):
                raise refuse(index, line, "kolumnen innehåller telefonnummer")
            if _POSTCODE.fullmatch(text):
                raise _postcode(file_name, sheet, line, column_label(index, header[index]))
            if _STREET.search(text) or _CARE_OF.search(text):
                raise refuse(index, line, "kolumnen innehåller adresser (gata och nummer)")
            if _NAME.fullmatch(text):
                raise refuse(index, line, "kolumnen innehåller något som ser ut som namn (Förnamn Efternamn)")
    for index, (count, passing, first) in ten.items():
        if passing and passing > PNR_10_SHARE * count:
            raise refuse(index, first, "kolumnen innehåller personnummer (tio siffror med giltigt datum och "
                         "kontrollsiffra)")


def _postcode(file_name: str, sheet: str, row: int, column: str) -> IngestError:
    return IngestError(file_name, "filen har postnummer. Postnummer sparas inte och kan inte översättas till "
                       "stadsdel här: projektet har ingen tabell postnummer → stadsdel (ingen sådan finns att lägga "
                       "in utan nät). Exportera filen med en kolumn Stadsdel i stället för postnumret; ingenting "
                       "har sparats", sheet=sheet, row=row, column=column)
