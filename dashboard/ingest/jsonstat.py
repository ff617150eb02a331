"""PxWeb JSON-stat 2: a table saved from SCB's statistical database API (format json-stat2), for kommun, län and
riket.

Parsed here rather than with pyjstat (2.4.0, last released 2023-03): pyjstat turns the table into a DataFrame but
drops the per-cell `status` SCB uses for ".." (and would give a bare NaN), and a JSON-stat 2 dataset is a short
specification — dimension ids and sizes, categories with an index, and `value`/`status` in row-major order.
Every measure (ContentsCode category) becomes its own measure; a dimension with one category goes into the
measure's definition, one with several (ålder, …) into the group.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

from dashboard.core.numbers import format_number
from dashboard.ingest import jsonfile
from dashboard.ingest.errors import IngestError
from dashboard.ingest.load import YEARS, cell_problem
from dashboard.ingest.model import Parsed, Value

NAME = "pxweb_jsonstat2"
LABEL = "SCB:s statistikdatabas, PxWeb JSON-stat 2 (JSON)"
PUBLISHER = "SCB"
_MONTH = re.compile(r"([0-9]{4})M([0-9]{2})")
_QUARTER = re.compile(r"([0-9]{4})K([1-4])")
_YEAR = re.compile(r"[0-9]{4}")
_GENDERS = {"män": "män", "kvinnor": "kvinnor", "totalt": "totalt", "män och kvinnor": "totalt",
            "kvinnor och män": "totalt", "båda könen": "totalt", "1": "män", "2": "kvinnor", "1+2": "totalt"}
_UNITS = {"antal": "antal", "personer": "antal", "st": "antal", "procent": "procent", "%": "procent",
          "kronor": "kr", "kr": "kr", "tkr": "tkr"}
_CONTENTS = ("contentscode", "tabellinnehåll")
_TIME = ("tid", "time", "år", "månad")
_REGION = ("region",)
_GENDER = ("kon", "kön", "sex")


def detect(data: bytes) -> bool:
    """A JSON document (its errors are the reader's to tell)."""
    return jsonfile.is_object(data)


def _load(data: bytes, file_name: str) -> dict:
    document = jsonfile.load(data, file_name)
    if not isinstance(document, dict):
        raise IngestError(file_name, "filen är inget JSON-stat-dataset (ett objekt väntades)")
    if document.get("class") in ("collection", "bundle"):
        raise IngestError(file_name, f"filen är en JSON-stat-{document['class']}; spara en tabell i taget "
                          "(format json-stat2)")
    for key in ("id", "size", "dimension", "value"):
        if key not in document:
            raise IngestError(file_name, f"filen är inget JSON-stat 2-dataset: '{key}' saknas", column=key)
    return document


def _dimension_kind(dim_id: str, role: dict) -> str:
    low = dim_id.lower()
    if low in _CONTENTS or dim_id in role.get("metric", []):
        return "measure"
    if low in _TIME or dim_id in role.get("time", []):
        return "time"
    if low in _REGION or dim_id in role.get("geo", []):
        return "region"
    if low in _GENDER:
        return "gender"
    return "other"


def _categories(document: dict, dim_id: str, size: int, fail: Callable[..., IngestError]) -> list[tuple[str, str]]:
    """(code, label) of a dimension's categories in index order."""
    dimension = document["dimension"].get(dim_id)
    if not isinstance(dimension, dict) or not isinstance(dimension.get("category"), dict):
        raise fail(f"dimensionen '{dim_id}' saknas eller saknar category", f"dimension.{dim_id}")
    category = dimension["category"]
    index = category.get("index")
    labels = category.get("label") or {}
    if index is None:
        codes = list(labels)
    elif isinstance(index, list):
        codes = list(index)
    elif isinstance(index, dict):
        codes = [code for code, _ in sorted(index.items(), key=lambda item: item[1])]
    else:
        raise fail("category.index är varken en lista eller ett objekt", f"dimension.{dim_id}")
    if len(codes) != size:
        raise fail(f"dimensionen har {len(codes)} kategorier men size säger {size}", f"dimension.{dim_id}")
    out = []
    for code in codes:
        label = " ".join(str(labels.get(code, code)).split())
        problem = cell_problem(label)
        if problem:
            raise fail(problem, f"dimension.{dim_id}.category.label.{code}")
        out.append((str(code), label))
    return out


def _period(code: str, fail: Callable[..., IngestError], where: str) -> str:
    if m := _MONTH.fullmatch(code):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise fail(f"'{code}': månad {month} finns inte", where)
        period = f"{year}-{month:02d}"
    elif m := _QUARTER.fullmatch(code):
        year, quarter = int(m[1]), int(m[2])
        period = f"{year}-{3 * quarter - 2:02d}/{year}-{3 * quarter:02d}"
    elif _YEAR.fullmatch(code):
        year, period = int(code), code
    else:
        raise fail(f"'{code}' är inte en period (ÅÅÅÅ, ÅÅÅÅMmm eller ÅÅÅÅKn)", where)
    if year not in YEARS:
        raise fail(f"'{code}' ligger utanför {YEARS.start}–{YEARS.stop - 1}", where)
    return period


def _cells(document: dict, total: int, key: str, fail: Callable[..., IngestError]) -> Callable[[int], object]:
    """value or status at a flat index: JSON-stat allows an array, an object by index, or (status) one string."""
    cells = document.get(key)
    if cells is None:
        return lambda i: None
    if isinstance(cells, str) and key == "status":
        return lambda i: cells
    if isinstance(cells, list):
        if len(cells) != total:
            raise fail(f"'{key}' har {len(cells)} celler men dimensionerna ger {total}", key)
        return cells.__getitem__
    if isinstance(cells, dict):
        return lambda i: cells.get(str(i))
    raise fail(f"'{key}' är varken en lista eller ett objekt", key)


def read(data: bytes, file_name: str, progress: Callable[[float, str], None] | None = None) -> Parsed:
    document = _load(data, file_name)

    def fail(reason: str, column: str = "") -> IngestError:
        return IngestError(file_name, reason, column=f"'{column}'" if column else "")

    ids, sizes = document["id"], document["size"]
    if not (isinstance(ids, list) and isinstance(sizes, list) and len(ids) == len(sizes)
            and all(isinstance(s, int) and s > 0 for s in sizes)):
        raise fail("'id' och 'size' måste vara listor lika långa, med storlekar ≥ 1", "size")
    role = document.get("role") or {}
    kinds = {dim_id: _dimension_kind(dim_id, role) for dim_id in ids}
    for needed, label in (("measure", "ContentsCode (tabellinnehåll)"), ("time", "Tid"), ("region", "Region")):
        if needed not in kinds.values():
            raise fail(f"tabellen saknar dimensionen {label}", "id")
    categories = {dim_id: _categories(document, dim_id, size, fail) for dim_id, size in zip(ids, sizes, strict=True)}
    extension = document.get("extension") or {}
    table = str((extension.get("px") or {}).get("tableid") or "tabell")
    slug = re.sub(r"[^a-z0-9]+", "_", table.lower()).strip("_") or "tabell"
    parsed = Parsed(format=NAME, file_name=file_name, publisher=PUBLISHER, dataset=f"scb_{slug}"[:80],
                    title=f"SCB {table}: {document.get('label') or file_name}", sheets=[])
    measure_dim = next(d for d in ids if kinds[d] == "measure")
    fixed = [f"{document['dimension'][d].get('label', d)}: {categories[d][0][1]}" for d in ids
             if kinds[d] == "other" and len(categories[d]) == 1]
    units = (document["dimension"][measure_dim]["category"].get("unit") or {})
    measure_ids = {}
    for code, label in categories[measure_dim]:
        base = str((units.get(code) or {}).get("base") or "antal").strip().lower()
        unit = _UNITS.get(base)
        if unit is None:
            raise fail(f"enheten '{base}' för '{label}' känns inte igen (antal, procent, kronor)",
                       f"dimension.{measure_dim}.category.unit.{code}")
        key = f"scb_{slug}_{re.sub(r'[^a-z0-9]+', '_', code.lower()).strip('_')}"[:80]
        measure_ids[code] = (key, unit)
        parsed.measures[key] = {
            "measure": key, "name": f"{label} (SCB {table})",
            "definition": f"SCB, tabell {table}: {label}." + (f" {'; '.join(fixed)}." if fixed else ""),
            "unit": unit, "topic": "arbetsmarknad", "higher_is_better": None,
            "population_base": "; ".join(fixed) or None, "source": None, "source_location": None}
    periods = {}
    time_dim = next(d for d in ids if kinds[d] == "time")
    for code, _label in categories[time_dim]:
        periods[code] = _period(code, fail, f"dimension.{time_dim}.category.index.{code}")
    genders = {}
    for dim_id in (d for d in ids if kinds[d] == "gender"):
        for code, label in categories[dim_id]:
            gender = _GENDERS.get(label.lower()) or _GENDERS.get(code.lower())
            if gender is None:
                raise fail(f"'{label}' är inte ett kön (män, kvinnor, totalt)", f"dimension.{dim_id}.category.{code}")
            genders[code] = gender
    total = math.prod(sizes)
    value_at = _cells(document, total, "value", fail)
    status_at = _cells(document, total, "status", fail)
    strides = [math.prod(sizes[i + 1:]) for i in range(len(sizes))]
    grouped = [d for d in ids if kinds[d] == "other" and len(categories[d]) > 1]
    for flat in range(total):
        picks = {d: categories[d][(flat // strides[i]) % sizes[i]] for i, d in enumerate(ids)}
        value, status = value_at(flat), status_at(flat)
        where = f"value[{flat}] (" + ", ".join(f"{d}={picks[d][0]}" for d in ids) + ")"
        key, unit = measure_ids[picks[measure_dim][0]]
        if value is None:
            if status in ("..", "."):
                value_status, printed = "prickad", status
            elif status in ("<5",):
                value_status, printed = "under_5", status
            else:
                parsed.blank_cells += 1
                continue
        elif isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise fail(f"'{value}' är inte ett tal", f"value[{flat}]")
        else:
            value_status, printed = None, None
            if unit == "antal" and (value < 0 or not float(value).is_integer()):
                raise fail(f"{format_number(value)} är inte ett antal (ett heltal ≥ 0)", f"value[{flat}]")
            if unit == "procent" and not 0 <= value <= 100:
                raise fail(f"{format_number(value)} ligger utanför 0–100 procent", f"value[{flat}]")
        gender_dims = [d for d in ids if kinds[d] == "gender"]
        parsed.values.append(Value(
            measure=key, period=periods[picks[time_dim][0]],
            area=next(picks[d][1] for d in ids if kinds[d] == "region"),
            gender=genders[picks[gender_dims[0]][0]] if gender_dims else "totalt",
            group=", ".join(picks[d][1] for d in grouped) or "alla",
            value=None if value is None else float(value), status=value_status, printed=printed, location=where))
        if progress and flat % 50000 == 0:
            progress(flat / total, "Läser värdena")
    if not parsed.values:
        raise IngestError(file_name, "tabellen har inga värden att läsa in")
    return parsed
