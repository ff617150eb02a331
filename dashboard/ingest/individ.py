"""The case systems' extracts of KAA, Jobbtorg and Stockholmsjobb: one row per person and KAA year, per Jobbtorg
enrolment and per Stockholmsjobb employment, as CSV (UTF-8, ';' or ',') or Excel, recognised by their headers.

Reading goes: the raw table (title rows above the header, blank rows skipped) → the privacy guard
(`dashboard.ingest.privacy`, before any value is interpreted or shown) → every cell checked and mapped to the
schema's codes (Kvinna/Man → kvinnor/män, Ja/Nej, dates as 2023-03-01 or as Excel dates). The case system's
id stays in memory: the route re-keys it to the project's pseudonym (`dashboard.ingest.pseudonym`) and never
stores it, nor the file itself.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from dashboard.db.individ_schema import AGE_BANDS, FINANCING, MALGRUPPER, SJ_KINDS
from dashboard.ingest import privacy
from dashboard.ingest.errors import IngestError
from dashboard.ingest.load import YEARS, cell_problem
from dashboard.ingest.model import Parsed

PUBLISHER = "Stockholms stad, arbetsmarknadsförvaltningen (verksamhetssystem)"
DATASET = "individ_stockholm"
TITLE = "Individuppgifter från verksamhetssystemen: KAA, Jobbtorg och Stockholmsjobb"
HEADER_SEARCH_ROWS = 15


def norm(text: object) -> str:
    """A header or code as compared: lower case, one space, '–' as '-', no trailing ':' or '.'."""
    if text is None:
        return ""
    out = " ".join(str(text).replace("–", "-").replace("—", "-").replace("_", " ").split()).lower()
    return out.rstrip(":.").strip()


@dataclass(frozen=True)
class Spec:
    name: str
    label: str
    register: str  # kaa, jobbtorg, stockholmsjobb
    marks: frozenset[str]  # fields whose header tells this format from the others
    columns: dict[str, tuple[str, ...]]  # field → how a case system heads it (normalised)
    required: tuple[str, ...]


_ID = ("pseudonym", "pseudonym-id", "pseudonymid", "pseudonymiserat id", "person-id", "personid", "id", "löpnummer",
       "löpnr", "individ-id", "person")
_COMMON = {"kon": ("kön", "kon"), "fodelsear": ("födelseår", "fodelsear", "född år", "födelse år"),
           "stadsdel": ("stadsdel", "folkbokförd stadsdel", "bostadsstadsdel", "stadsdel (folkbokföring)")}
KAA = Spec("individ_kaa", "KAA, uttag ur verksamhetssystemet (en rad per ung person och år)", "kaa",
           frozenset({"uppsokt", "nadd"}), {
               "id": _ID, **_COMMON, "ar": ("år", "registerår", "kalenderår"),
               "registrerad": ("datum i registret", "i registret från", "registreringsdatum", "registrerad",
                               "datum registrerad"),
               "uppsokt": ("uppsökt", "uppsokt"), "nadd": ("nådd", "nadd", "kontakt etablerad"),
               "inskriven": ("inskriven", "tagit del av stöd", "inskriven i insats"),
               "inskriven_datum": ("inskriven datum", "datum inskriven", "inskrivningsdatum"),
               "avslutad": ("avslutad",), "avslutad_datum": ("avslutad datum", "datum avslutad", "avslutsdatum"),
               "orsak": ("orsak", "avslutsorsak", "orsak till avslut"),
               "arbete_studier": ("arbete/studier", "till arbete/studier", "arbete eller studier", "utfall"),
           }, ("id", "kon", "fodelsear", "stadsdel", "registrerad", "uppsokt", "nadd", "inskriven", "avslutad",
               "orsak"))
JOBBTORG = Spec("individ_jobbtorg", "Jobbtorg, uttag ur verksamhetssystemet (en rad per inskrivning)", "jobbtorg",
                frozenset({"malgrupp"}), {
                    "id": ("deltagare", "deltagar-id", *_ID), **_COMMON, "malgrupp": ("målgrupp", "malgrupp"),
                    "inskriven": ("inskriven", "inskriven datum", "inskrivningsdatum", "startdatum", "start"),
                    "avslutad": ("avslutad", "avslutad datum", "avslutsdatum", "slutdatum", "slut"),
                    "orsak": ("orsak", "avslutsorsak", "orsak till avslut"),
                }, ("id", "malgrupp", "inskriven", "avslutad", "orsak", "kon", "fodelsear", "stadsdel"))
STOCKHOLMSJOBB = Spec(
    "individ_stockholmsjobb", "Stockholmsjobb, uttag ur verksamhetssystemet (en rad per anställning)",
    "stockholmsjobb", frozenset({"anstallningsform"}), {
        "id": ("aspirant", "aspirant-id", "aspirantid", *_ID), **_COMMON,
        "anstallningsform": ("anställningsform", "anstallningsform", "typ av anställning"),
        "start": ("start", "startdatum", "anställd från", "anställningens start"),
        "slut": ("slut", "slutdatum", "anställd till", "anställningens slut"),
        "utfall_3m": ("utfall 3 mån", "utfall 3 månader", "utfall efter 3 månader", "sysselsättning 3 mån",
                      "sysselsättning efter 3 månader"),
        "finansiering": ("finansiering", "finansieras av", "finansiär"),
        "yrkeskurs": ("yrkeskurs", "yrkesutbildning"),
    }, ("id", "anstallningsform", "start", "slut", "utfall_3m", "finansiering", "yrkeskurs", "kon", "fodelsear",
        "stadsdel"))
SPECS = {s.name: s for s in (KAA, JOBBTORG, STOCKHOLMSJOBB)}

GENDERS = {"kvinna": "kvinnor", "kvinnor": "kvinnor", "k": "kvinnor", "flicka": "kvinnor", "man": "män",
           "män": "män", "m": "män", "pojke": "män"}
YES = {"ja", "j", "1", "x", "sant", "true"}
NO = {"nej", "n", "0", "", "falskt", "false"}
WORK = {"arbete", "anställning", "jobb", "började arbeta", "eget företag", "till arbete"}
STUDY = {"studier", "utbildning", "började studera", "återgång till studier", "gymnasium", "till studier",
         "studier/utbildning"}
NO_OUTCOME = {"", "nej", "ingen", "-"}
# Jobbtorg: an end without an avslut (the person moved to another målgrupp or to next year's KAA registration).
JT_MOVED = {"byte av målgrupp", "bytt målgrupp", "ny målgrupp", "ny registrering", "fortsätter i kaa",
            "ny kaa-registrering", "flyttad till annan målgrupp"}
MALGRUPP_CODES = {norm(m): m for m in MALGRUPPER} | {"kaa": "KAA 16-19 år", "kaa 16-19": "KAA 16-19 år",
                                                     "ingång 20-29": "Ingång 20-29 år", "övriga": "Övriga målgrupper",
                                                     "ekonomiskt bistånd": "Försörjningsstöd"}
KIND_CODES = {norm(k): k for k in SJ_KINDS} | {"arbetslag": "arbetslag/introjobb", "introjobb": "arbetslag/introjobb",
                                               "övrig": "övrig anställning", "övrigt": "övrig anställning"}
FINANCING_CODES = {norm(f): f for f in FINANCING} | {"nämnden": "arbetsmarknadsnämnden",
                                                     "arbetsmarknadsförvaltningen": "arbetsmarknadsnämnden",
                                                     "amn": "arbetsmarknadsnämnden", "sdn": "stadsdelsnämnd",
                                                     "stadsdelsförvaltning": "stadsdelsnämnd"}
EXCEL_EPOCH = date(1899, 12, 30)
EXCEL_SERIALS = range(32874, 54789)  # 1990-01-01 … 2049-12-31 as Excel day numbers


def vocabulary() -> set[str]:
    """Values of the formats' own columns that the privacy guard need not look at (lower case)."""
    words = set(GENDERS) | YES | NO | WORK | STUDY | JT_MOVED | set(MALGRUPP_CODES) | set(KIND_CODES)
    words |= set(FINANCING_CODES) | {m.lower() for m in MALGRUPPER} | {k.lower() for k in SJ_KINDS}
    return words | {"annat", "annan orsak", "flytt", "fyllt 20", "fyllt 20 år", "avliden", "okänd"}


# --------------------------------------------------------------------------------------------- raw tables


@dataclass
class Sheet:
    title: str  # '' for CSV
    rows: list[tuple[int, tuple]]  # (row number in the file, cells), blank rows left out


@lru_cache(maxsize=4)
def _sheets(data: bytes) -> tuple[Sheet, ...] | str:
    """The file's sheets (a CSV is one sheet without a title), or a Swedish reason it cannot be read."""
    if data[:4] == b"PK\x03\x04":
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as error:  # noqa: BLE001 - told in Swedish
            return f"filen är en zip-fil men ingen Excel-arbetsbok som går att läsa ({type(error).__name__})"
        try:
            return tuple(Sheet(s.title, _filled(s.iter_rows(values_only=True))) for s in book.worksheets)
        finally:
            book.close()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return "filen är inte UTF-8; spara den som CSV UTF-8 (kommaavgränsad eller semikolonavgränsad)"
    lines = text.splitlines()
    head = next((line for line in lines[:HEADER_SEARCH_ROWS] if line.count(";") + line.count(",") >= 3), "")
    delimiter = ";" if head.count(";") >= head.count(",") else ","
    try:
        rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    except csv.Error as error:
        return f"filen går inte att läsa som CSV ({error})"
    return (Sheet("", _filled(rows)),)


def _filled(rows) -> list[tuple[int, tuple]]:  # noqa: ANN001 - rows of cells
    out = []
    for number, row in enumerate(rows, start=1):
        cells = tuple(None if (isinstance(c, str) and not c.strip()) else c for c in row)
        if any(c is not None for c in cells):
            out.append((number, cells))
    return out


def _header_at(sheet: Sheet, spec: Spec) -> int | None:
    """Index in sheet.rows of the header row of `spec`, among the first rows."""
    for index, (_number, cells) in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        names = {norm(c) for c in cells}
        if all(names & set(spec.columns[mark]) for mark in spec.marks):
            return index
    return None


def _find(data: bytes) -> tuple[Spec, Sheet, int] | None:
    sheets = _sheets(data)
    if isinstance(sheets, str):
        return None
    for spec in (STOCKHOLMSJOBB, JOBBTORG, KAA):  # the most particular header first
        for sheet in sheets:
            at = _header_at(sheet, spec)
            if at is not None:
                return spec, sheet, at
    return None


def detector(spec: Spec) -> Callable[[bytes], bool]:
    def detect(data: bytes) -> bool:
        found = _find(data)
        return found is not None and found[0] is spec
    return detect


# --------------------------------------------------------------------------------------------- reading


@dataclass
class Person:
    gender: str
    birth_year: int
    stadsdel: str
    first_day: date  # the earliest event of the person in the file: the home and age band are taken there
    line: int
    age_band: str


@dataclass
class Extract:
    """What an individual-level file holds, before re-keying: the case system's ids are only in memory."""

    people: dict[str, Person] = field(default_factory=dict)  # raw id → person
    records: list[dict] = field(default_factory=list)  # register rows; "raw_id", "stadsdel", "line", fields
    ignored: list[str] = field(default_factory=list)  # columns that are not read


def reader(spec: Spec) -> Callable[..., Parsed]:
    def read(data: bytes, file_name: str, progress: Callable[[float, str], None] | None = None, *,
             known: set[str] = frozenset()) -> Parsed:
        return read_extract(spec, data, file_name, progress, known=known)
    return read


def _label(index: int, name: object) -> str:
    text = " ".join(str(name).split()) if name is not None else ""
    return f"{get_column_letter(index + 1)} ({text})" if text else get_column_letter(index + 1)


def read_extract(spec: Spec, data: bytes, file_name: str, progress: Callable[[float, str], None] | None = None, *,
                 known: set[str] = frozenset()) -> Parsed:
    """Guard, read and map the file; IngestError on the first thing that cannot be imported. `known` are the
    area names in lower case (left alone by the guard's name check)."""
    sheets = _sheets(data)
    if isinstance(sheets, str):
        raise IngestError(file_name, sheets)
    found = _find(data)
    if found is None or found[0] is not spec:
        raise IngestError(file_name, f"rubrikraden för {spec.label} finns inte bland de första "
                          f"{HEADER_SEARCH_ROWS} raderna")
    _spec, sheet, at = found
    allowed = vocabulary() | set(known)
    if progress:
        progress(0.1, "Kontrollerar att filen inte innehåller personuppgifter")
    for other in sheets:  # every sheet, hidden ones too: nothing identifying may come in with the file
        other_at = at if other is sheet else 0
        if not other.rows:
            continue
        header_line, header = other.rows[other_at]
        privacy.check(file_name, other.title, header, other.rows[other_at + 1:], header_row=header_line,
                      allowed=allowed, column_label=_label)
    if progress:
        progress(0.4, "Läser raderna")
    header_line, header = sheet.rows[at]
    fields: dict[str, int] = {}
    ignored = []
    for index, name in enumerate(header):
        key = norm(name)
        hit = next((f for f, names in spec.columns.items() if key in names and f not in fields), None)
        if hit is None:
            if key:
                ignored.append(_label(index, name))
            continue
        fields[hit] = index
    for wanted in spec.required:
        if wanted not in fields:
            raise IngestError(file_name, f"kolumnen {spec.columns[wanted][0].capitalize()} saknas i rubrikraden",
                              sheet=sheet.title, row=header_line)
    extract = Extract(ignored=ignored)
    cells_of = _Row(file_name, sheet.title, header, fields)
    handle = {"kaa": _kaa_row, "jobbtorg": _jobbtorg_row, "stockholmsjobb": _sj_row}[spec.register]
    seen: dict[tuple, int] = {}
    in_notes = False
    for line, cells in sheet.rows[at + 1:]:
        filled = [c for c in cells if c is not None]
        if len(filled) == 1 and isinstance(filled[0], str):
            in_notes = True  # a note below the table ("Uttag 2024-01-31 ur …")
            continue
        if in_notes:
            raise IngestError(file_name, "raden ser ut som en tabellrad men står under en anmärkning; tabellen får "
                              "inte fortsätta efter en anmärkning", sheet=sheet.title, row=line)
        row = cells_of.at(line, cells)
        record = handle(row)
        _person(extract, row, record)
        key = (record["raw_id"], *record["_key"])
        if key in seen:
            raise IngestError(file_name, f"samma {record['_what']} står redan på rad {seen[key]}",
                              sheet=sheet.title, row=line)
        seen[key] = line
        extract.records.append(record)
    if not extract.records:
        raise IngestError(file_name, "filen har inga rader att läsa in", sheet=sheet.title)
    parsed = Parsed(format=spec.name, file_name=file_name, publisher=PUBLISHER, dataset=DATASET, title=TITLE,
                    sheets=[sheet.title] if sheet.title else [])
    parsed.extract = extract  # type: ignore[attr-defined]
    parsed.register = spec.register  # type: ignore[attr-defined]
    return parsed


class _Row:
    """One table row's cells by field, with Swedish errors that name the cell (and never echo an id)."""

    def __init__(self, file_name: str, sheet: str, header: tuple, fields: dict[str, int]) -> None:
        self.file_name, self.sheet, self.header, self.fields = file_name, sheet, header, fields
        self.line, self.cells = 0, ()

    def at(self, line: int, cells: tuple) -> _Row:
        self.line, self.cells = line, cells
        return self

    def fail(self, name: str, reason: str) -> IngestError:
        index = self.fields.get(name)
        column = _label(index, self.header[index]) if index is not None else ""
        return IngestError(self.file_name, reason, sheet=self.sheet, row=self.line, column=column)

    def raw(self, name: str) -> object:
        index = self.fields.get(name)
        if index is None or index >= len(self.cells):
            return None
        return self.cells[index]

    def text(self, name: str) -> str:
        cell = self.raw(name)
        if cell is None:
            return ""
        if isinstance(cell, float) and cell.is_integer():
            cell = int(cell)
        text = " ".join(str(cell).split())
        problem = cell_problem(text)
        if problem:
            raise self.fail(name, problem)
        return text

    def ident(self) -> str:
        text = self.text("id")
        if not text:
            raise self.fail("id", "id saknas")
        if len(text) > 100:
            raise self.fail("id", "id är längre än 100 tecken")
        return text

    def gender(self) -> str:
        text = self.text("kon")
        if norm(text) not in GENDERS:
            raise self.fail("kon", f"'{text}' är inte ett kön (Kvinna eller Man)" if text else "kön saknas")
        return GENDERS[norm(text)]

    def year(self, name: str) -> int:
        text = self.text(name)
        if not re.fullmatch(r"[0-9]{4}", text) or int(text) not in YEARS:
            raise self.fail(name, f"'{text}' är inte ett år ÅÅÅÅ" if text else "året saknas")
        return int(text)

    def birth_year(self) -> int:
        text = self.text("fodelsear")
        if not re.fullmatch(r"[0-9]{4}", text) or not 1930 <= int(text) <= 2030:
            raise self.fail("fodelsear", f"'{text}' är inte ett födelseår ÅÅÅÅ" if text else "födelseåret saknas")
        return int(text)

    def day(self, name: str, required: bool = True) -> date | None:
        cell = self.raw(name)
        if isinstance(cell, datetime):
            return cell.date()
        if isinstance(cell, date):
            return cell
        if isinstance(cell, int | float) and not isinstance(cell, bool) and float(cell).is_integer() \
                and int(cell) in EXCEL_SERIALS:
            return EXCEL_EPOCH + timedelta(days=int(cell))  # an Excel date without its date format
        text = self.text(name)
        if not text:
            if required:
                raise self.fail(name, "datumet saknas")
            return None
        m = re.fullmatch(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[ T]00:00(?::00)?)?", text)
        if not m:
            raise self.fail(name, f"'{text}' är inte ett datum ÅÅÅÅ-MM-DD (t.ex. 2023-03-01)")
        try:
            day = date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            raise self.fail(name, f"datumet '{text}' finns inte") from None
        if day.year not in YEARS:
            raise self.fail(name, f"'{text}' ligger utanför {YEARS.start}–{YEARS.stop - 1}")
        return day

    def yes(self, name: str) -> bool:
        cell = self.raw(name)
        if isinstance(cell, bool):
            return cell
        text = norm(self.text(name))
        if text in YES:
            return True
        if text in NO:
            return False
        raise self.fail(name, f"'{self.text(name)}' är varken Ja eller Nej")

    def yes_or_day(self, name: str, day_name: str) -> tuple[bool, date | None]:
        """A step written Ja/Nej (the day in its own column, if any) or as the day it happened."""
        cell = self.raw(name)
        if isinstance(cell, date | datetime) or (isinstance(cell, str) and re.match(r"[0-9]{4}-", cell.strip())):
            return True, self.day(name)
        if isinstance(cell, int | float) and not isinstance(cell, bool) and int(cell) in EXCEL_SERIALS:
            return True, self.day(name)
        flag = self.yes(name)
        when = self.day(day_name, required=False) if day_name in self.fields else None
        if when and not flag:
            raise self.fail(day_name, "datumet är ifyllt men steget är Nej")
        return flag, when

    def code(self, name: str, codes: dict[str, str], what: str) -> str:
        text = self.text(name)
        if norm(text) not in codes:
            raise self.fail(name, f"'{text}' är inte {what}" if text else f"{what.split(' (')[0]} saknas")
        return codes[norm(text)]


def _outcome(row: _Row, name: str) -> str | None:
    """arbete, studier, annat, or None where the column says nothing."""
    text = norm(row.text(name))
    if text in NO_OUTCOME:
        return None
    if text in WORK:
        return "arbete"
    if text in STUDY:
        return "studier"
    return "annat"


def _age_band(row: _Row, birth_year: int, year: int) -> str:
    age = year - birth_year
    for band in AGE_BANDS:
        low, high = (int(x) for x in band.split("–"))
        if low <= age <= high:
            return band
    raise row.fail("fodelsear", f"åldern {age} år {year} ligger utanför de åldrar som redovisas (16–64 år)")


def _common(row: _Row, first_day: date) -> dict:
    return {"raw_id": row.ident(), "gender": row.gender(), "birth_year": row.birth_year(),
            "stadsdel": row.text("stadsdel"), "line": row.line, "_first_day": first_day}


def _kaa_row(row: _Row) -> dict:
    registered = row.day("registrerad")
    year = row.year("ar") if row.text("ar") else registered.year
    if registered.year != year:
        raise row.fail("registrerad", f"datumet i registret ligger inte i året {year}")
    uppsokt, nadd = row.yes("uppsokt"), row.yes("nadd")
    inskriven, inskriven_from = row.yes_or_day("inskriven", "inskriven_datum")
    avslutad, avslutad_on = row.yes_or_day("avslutad", "avslutad_datum")
    for step, done, needs, before in (("nadd", nadd, uppsokt, "uppsökt"), ("inskriven", inskriven, nadd, "nådd"),
                                      ("avslutad", avslutad, inskriven, "inskriven")):
        if done and not needs:
            raise row.fail(step, f"steget är Ja men {before} är Nej (trattens steg följer på varandra)")
    orsak = _outcome(row, "orsak")
    said = _outcome(row, "arbete_studier") if "arbete_studier" in row.fields else None
    if said == "annat":
        said = None
    if orsak in ("arbete", "studier") and said not in (None, orsak):
        raise row.fail("arbete_studier", "kolumnen säger något annat än orsaken")
    utfall = (said or orsak or "annat") if avslutad else None
    if not avslutad and (orsak or said):
        raise row.fail("orsak", "en orsak till avslut är ifylld men avslutad är Nej")
    record = {**_common(row, registered), "year": year, "registered_from": registered, "registered_to": None,
              "uppsokt": uppsokt, "nadd": nadd, "inskriven": inskriven, "inskriven_from": inskriven_from,
              "avslutad": avslutad, "avslutad_on": avslutad_on, "utfall": utfall}
    if avslutad_on and avslutad_on < registered:
        raise row.fail("avslutad_datum" if "avslutad_datum" in row.fields else "avslutad",
                       "avslutet ligger före datumet i registret")
    record["_age_year"] = year
    record["_key"], record["_what"] = (year,), "person och år"
    return record


def _jobbtorg_row(row: _Row) -> dict:
    start = row.day("inskriven")
    end = row.day("avslutad", required=False)
    if end and end < start:
        raise row.fail("avslutad", "avslutet ligger före inskrivningen")
    text = norm(row.text("orsak"))
    if end is None:
        if text:
            raise row.fail("orsak", "en orsak till avslut är ifylld men avslutsdatum saknas")
        exit_ = None
    elif not text:
        raise row.fail("orsak", "orsak till avslut saknas (t.ex. Arbete, Studier, Annat eller Byte av målgrupp)")
    else:
        exit_ = None if text in JT_MOVED else _outcome(row, "orsak")
    malgrupp = row.code("malgrupp", MALGRUPP_CODES, "en målgrupp (" + ", ".join(MALGRUPPER) + ")")
    record = {**_common(row, start), "malgrupp": malgrupp, "start_date": start, "end_date": end, "exit": exit_}
    record["_age_year"] = start.year
    record["_key"], record["_what"] = (malgrupp, start), "person, målgrupp och inskrivningsdag"
    return record


def _sj_row(row: _Row) -> dict:
    start = row.day("start")
    end = row.day("slut", required=False)
    if end and end < start:
        raise row.fail("slut", "anställningen slutar före sin start")
    outcome = _outcome(row, "utfall_3m")
    if outcome and end is None:
        raise row.fail("utfall_3m", "ett utfall efter 3 månader är ifyllt men anställningen har inget slutdatum")
    record = {**_common(row, start), "kind": row.code("anstallningsform", KIND_CODES, "en anställningsform (" +
                                                      ", ".join(SJ_KINDS) + ")"),
              "start_date": start, "end_date": end, "outcome_3m": outcome,
              "financing": row.code("finansiering", FINANCING_CODES, "en finansiering (Arbetsmarknadsnämnden eller "
                                    "Stadsdelsnämnd)"), "yrkeskurs": row.yes("yrkeskurs")}
    record["_age_year"] = start.year
    record["_key"], record["_what"] = (start,), "aspirant och startdag"
    return record


def _person(extract: Extract, row: _Row, record: dict) -> None:
    """The person behind the row: the same id must have the same kön and födelseår on every row."""
    raw, first = record["raw_id"], record["_first_day"]
    record["age_band"] = _age_band(row, record["birth_year"], record["_age_year"])
    if not record["stadsdel"]:
        raise row.fail("stadsdel", "stadsdelen saknas")
    had = extract.people.get(raw)
    if had is None:
        extract.people[raw] = Person(record["gender"], record["birth_year"], record["stadsdel"], first, row.line,
                                     record["age_band"])
        return
    if had.gender != record["gender"]:
        raise row.fail("kon", f"samma id har ett annat kön på rad {had.line}")
    if had.birth_year != record["birth_year"]:
        raise row.fail("fodelsear", f"samma id har ett annat födelseår på rad {had.line}")
    if first < had.first_day:  # home and age band at the person's first event in the file
        had.stadsdel, had.first_day, had.line, had.age_band = record["stadsdel"], first, row.line, record["age_band"]
