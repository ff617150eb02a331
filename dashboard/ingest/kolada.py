"""Kolada (RKA, Rådet för främjande av kommunala analyser), API v3: a data response saved as JSON, one KPI a file.

    {"values": [{"kpi": "N00914", "municipality": "0180", "period": 2023,
                 "values": [{"gender": "T", "value": 5.1, "status": "", "count": 1}, …]}, …],
     "count": 3, "next_url": null}

as `/v3/data/kpi/N00914/municipality/0180,0000` returns it. Each KPI is its own data set and measure
(`kolada_n00914`). The values hold only the KPI's id: its title, definition and unit come from the analyst or from
Kolada's description of the KPI (`/v3/kpi/N00914`, saved beside it); nothing is guessed but a unit the title
states. Stockholm (0180), riket (0000) and every other kommun (by its kommunkod, data/areas/kommuner.csv) are read;
regions (00LL) and groups (G…) are reported as unmatched and not read, as in the other formats. Kön T/K/M →
totalt/kvinnor/män. A value Kolada does not have (value null with a status such as "Missing") is stored as what it
is: prickad, printed as Kolada's status.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from dashboard.core.numbers import format_number
from dashboard.ingest import jsonfile
from dashboard.ingest.errors import IngestError
from dashboard.ingest.load import UNITS, YEARS, cell_problem
from dashboard.ingest.model import MeasureText, Parsed, Value

NAME = "kolada"
LABEL = "Kolada (RKA), API v3, ett nyckeltal per fil (JSON)"
PUBLISHER = "RKA (Kolada)"
AREAS = {"0180": "Stockholms stad", "0000": "Riket"}  # written as the areas table names them
GENDERS = {"T": "totalt", "K": "kvinnor", "M": "män"}
KPI_ID = re.compile(r"[A-Z][0-9]{5}")
MUNICIPALITY = re.compile(r"[0-9]{4}|G[0-9]{1,9}")
PAGING = ("next_url", "next_page")  # v3 names the next page next_url; v2 named it next_page
_HEAD = 1 << 16
_DATA = re.compile(rb'"kpi"\s*:')
_DESCRIPTION = re.compile(rb'"(is_divided_by_gender|operating_area)"\s*:')


def detect(data: bytes) -> bool:
    """A JSON object with Kolada's keys near its start (a KPI description too: its reader says what it is)."""
    head = data[:_HEAD]
    return (jsonfile.is_object(data) and b'"dimension"' not in head
            and bool(_DATA.search(head) or _DESCRIPTION.search(head)))


def _area(code: str) -> str:
    """The area as the import matches it: Stockholm and riket by name, another kommun by its kommunkod."""
    if code in AREAS:
        return AREAS[code]
    if code.startswith("G"):
        return f"kommungrupp {code}"
    return f"region {code}" if code.startswith("00") else code


def _year(period: object, fail: Callable[..., IngestError], where: str) -> int:
    if isinstance(period, bool) or not isinstance(period, int | str) or not re.fullmatch(r"[0-9]{4}", str(period)):
        raise fail(f"{period!r} är inget år (ÅÅÅÅ)", where)
    if int(period) not in YEARS:
        raise fail(f"{period} ligger utanför {YEARS.start}–{YEARS.stop - 1}", where)
    return int(period)


def _text(value: object, fail: Callable[..., IngestError], where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise fail(f"{value!r} är ingen text", where)
    text = " ".join(value.split())
    problem = cell_problem(text) if text else None
    if problem:
        raise fail(problem, where)
    return text


def description(data: bytes, file_name: str, kpi: str) -> MeasureText:
    """Title and definition of `kpi` from Kolada's description of KPIs (`/v3/kpi/N00914`, saved as JSON)."""
    document = jsonfile.load(data, file_name)

    def fail(reason: str, where: str = "") -> IngestError:
        return IngestError(file_name, reason, column=f"'{where}'" if where else "")

    entries = [document] if isinstance(document, dict) and "id" in document else (
        document.get("values") if isinstance(document, dict) else None)
    if not isinstance(entries, list):
        raise fail("filen är ingen beskrivning av nyckeltal från Koladas API (/v3/kpi/…: ett objekt med listan "
                   "'values')", "values")
    for i, entry in enumerate(entries):
        if isinstance(entry, dict) and entry.get("id") == kpi:
            return MeasureText(title=_text(entry.get("title"), fail, f"values[{i}].title"),
                               definition=_text(entry.get("description"), fail, f"values[{i}].description"))
    found = [str(e.get("id")) for e in entries if isinstance(e, dict)]
    raise fail(f"filen beskriver inte nyckeltalet {kpi}" + (f" (den beskriver {', '.join(found[:5])})" if found
                                                            else ""))


def unit_in_title(title: str) -> str:
    """The unit a Kolada title states at its end ("…, andel (%)", "…, antal", "…, kr/inv"), or ''."""
    low = title.lower()
    if "(%)" in low:
        return "procent"
    if re.search(r",\s*antal\s*$", low):
        return "antal"
    if re.search(r",\s*(kr|kronor)\b[^,]*$", low):
        return "kr"
    return ""


def _measure(kpi: str, given: MeasureText | None, file_name: str) -> tuple[dict, list[str]]:
    """The KPI's measure row, and what the preview must say about where its texts came from."""
    given = given or MeasureText()

    def fail(reason: str, where: str = "") -> IngestError:
        return IngestError(file_name, reason, column=where)

    described = description(given.described_by[1], given.described_by[0], kpi) if given.described_by \
        else MeasureText()
    title = _text(given.title, fail, "titel") or described.title
    definition = _text(given.definition, fail, "definition") or described.definition
    unit, notes = given.unit.strip().lower(), []
    if not unit and described.unit:
        unit = described.unit
    stated = next((t for t in (title, described.title) if unit_in_title(t)), "")  # Kolada's own title too
    if not unit and stated:
        unit = unit_in_title(stated)
        notes.append(f"Enheten {unit} står i titeln ('{stated}')")
    if not unit:
        raise fail(f"filen säger inte vilken enhet nyckeltalet {kpi} har"
                   + (" och titeln säger det inte heller" if title else "")
                   + "; ange enheten (" + ", ".join(sorted(UNITS)) + "), eller titeln: i Kolada slutar den oftast "
                   "med enheten (', andel (%)', ', antal')", "enhet")
    if unit not in UNITS:
        raise fail(f"'{unit}' är ingen enhet verktyget känner ({', '.join(sorted(UNITS))})", "enhet")
    if not title:
        notes.append(f"Ingen titel eller definition angavs: måttet heter 'Kolada-nyckeltal {kpi}'. Ange titel och "
                     f"definition, eller Koladas beskrivning av nyckeltalet (/v3/kpi/{kpi}), så heter det som i "
                     "Kolada")
    if given.described_by:
        notes.append(f"Titel och definition ur {given.described_by[0]}"
                     + (" (det som skrevs in går före)" if given.title or given.definition else ""))
    key = f"kolada_{kpi.lower()}"
    if not definition:
        definition = f"Nyckeltal {kpi} i Kolada (RKA)" + (f": {title}" if title else "") + \
            ". Ingen definition angavs vid importen."
    return {"measure": key, "name": f"{title} (Kolada {kpi})" if title else f"Kolada-nyckeltal {kpi}",
            "definition": definition, "unit": unit, "topic": None, "higher_is_better": None,
            "population_base": None, "source": None, "source_location": None}, notes


def read(data: bytes, file_name: str, progress: Callable[[float, str], None] | None = None,
         text: MeasureText | None = None) -> Parsed:
    document = jsonfile.load(data, file_name)

    def fail(reason: str, where: str = "") -> IngestError:
        return IngestError(file_name, reason, column=f"'{where}'" if where else "")

    records = document.get("values") if isinstance(document, dict) else None
    first = records[0] if isinstance(records, list) and records else document
    if isinstance(first, dict) and "kpi" not in first and "id" in first and "title" in first:
        raise fail("filen är Koladas beskrivning av nyckeltal (/v3/kpi/…), inte deras värden; läs in värdena "
                   "(/v3/data/kpi/…) och ange den här filen som beskrivning av nyckeltalet")
    if not isinstance(records, list):
        raise fail("filen är inget svar från Koladas API (ett objekt med listan 'values' väntades)", "values")
    if not records:
        raise fail("filen har inga värden ('values' är tom)", "values")
    count = document.get("count")
    if count is not None and (isinstance(count, bool) or not isinstance(count, int) or count < len(records)):
        raise fail(f"'count' säger {count!r} poster men 'values' har {len(records)} (filen är inte hel)", "count")
    kpi, seen, cells = None, {}, []
    for i, record in enumerate(records):
        at = f"values[{i}]"
        if not isinstance(record, dict):
            raise fail("en post ska vara ett objekt med kpi, municipality, period och values", at)
        if "ou" in record and "municipality" not in record:
            raise fail("filen har värden per organisatorisk enhet (oudata), inte per kommun", f"{at}.ou")
        for key in ("kpi", "municipality", "period", "values"):
            if key not in record:
                raise fail(f"'{key}' saknas", at)
        this = record["kpi"]
        if not isinstance(this, str) or not KPI_ID.fullmatch(this):
            raise fail(f"{this!r} är inget nyckeltal i Kolada (som N00914)", f"{at}.kpi")
        if kpi is None:
            kpi = this
        elif this != kpi:
            raise fail(f"filen har flera nyckeltal ({kpi} och {this}); spara ett nyckeltal per fil, så blir varje "
                       "nyckeltal sitt eget data set", f"{at}.kpi")
        code = record["municipality"]
        if not isinstance(code, str) or not MUNICIPALITY.fullmatch(code):
            raise fail(f"{code!r} är ingen kommunkod i Kolada (fyra siffror som 0180, eller en kommungrupp G…)",
                       f"{at}.municipality")
        year = _year(record["period"], fail, f"{at}.period")
        if not isinstance(record["values"], list):
            raise fail("'values' ska vara en lista med ett värde per kön", f"{at}.values")
        for j, cell in enumerate(record["values"]):
            where = f"{at}.values[{j}]"
            if not isinstance(cell, dict):
                raise fail("ett värde ska vara ett objekt med gender, value och status", where)
            gender = GENDERS.get(cell.get("gender")) if isinstance(cell.get("gender"), str) else None
            if gender is None:
                raise fail(f"{cell.get('gender')!r} är inget kön i Kolada (T, K eller M)", f"{where}.gender")
            if (code, year, gender) in seen:
                raise fail(f"samma kommun, år och kön som {seen[code, year, gender]}", where)
            seen[code, year, gender] = where
            value, status = cell.get("value"), _text(cell.get("status"), fail, f"{where}.status")
            if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)
                                      or not math.isfinite(value)):
                raise fail(f"{value!r} är inte ett tal", f"{where}.value")
            if value is not None and status:
                raise fail(f"värdet {format_number(value)} har statusen '{status}'; verktyget sparar en status bara "
                           "för värden som saknas och läser inte in ett värde vars status det inte kan visa",
                           f"{where}.status")
            cells.append((code, year, gender, value, status, where, cell["gender"]))
    measure, notes = _measure(kpi, text, file_name)
    parsed = Parsed(format=NAME, file_name=file_name, publisher=PUBLISHER, dataset=f"kolada_{kpi.lower()}",
                    title=f"Kolada {kpi}" + (f": {measure['name']}" if measure["name"] else ""), sheets=[],
                    measures={measure["measure"]: measure}, notes=notes)
    if any(document.get(key) for key in PAGING):
        parsed.notes.append("Filen är en sida av ett längre svar från Kolada (next_url): värdena på följande sidor "
                            "finns inte i den; spara och importera också nästa sida")
    unit = measure["unit"]
    for n, (code, year, gender, value, status, where, letter) in enumerate(cells):
        if value is None:
            if not status:
                parsed.blank_cells += 1
                continue
        elif unit == "antal" and (value < 0 or not float(value).is_integer()):
            raise fail(f"{format_number(value)} är inte ett antal (ett heltal ≥ 0)", f"{where}.value")
        elif unit == "procent" and not 0 <= value <= 100:
            raise fail(f"{format_number(value)} ligger utanför 0–100 procent", f"{where}.value")
        parsed.values.append(Value(
            measure=measure["measure"], period=str(year), area=_area(code), gender=gender, group="alla",
            value=None if value is None else float(value), status="prickad" if value is None else None,
            printed=status or None, location=f"{where} ({kpi}, kommun {code}, år {year}, kön {letter})"))
        if progress and n % 5000 == 0:
            progress(n / len(cells), "Läser värdena")
    if not parsed.values:
        raise IngestError(file_name, "filen har inga värden att läsa in (alla saknas)")
    return parsed
