"""A PxWeb JSON-stat 2 response as SCB's API returns it (format json-stat2), with its broken variants."""

from __future__ import annotations

import copy
import json
import math
from collections.abc import Callable

REGIONS = {"00": "Riket", "01": "Stockholms län", "0180": "Stockholm", "0184": "Solna"}
GENDERS = {"1": "män", "2": "kvinnor", "1+2": "totalt"}
AGES = {"16-24": "16-24 år", "25-64": "25-64 år"}
CONTENTS = {"AM0210A1": ("arbetslösa", "antal", 0), "AM0210A2": ("relativt arbetslösa, procent", "procent", 1)}
MONTHS = ["2026M06", "2026M07", "2026M08"]
IDS = ["Region", "Kon", "Alder", "ContentsCode", "Tid"]
SIZES = [len(REGIONS), len(GENDERS), len(AGES), len(CONTENTS), len(MONTHS)]
PRICKAD = ("0180", "2", "16-24", "AM0210A1", "2026M08")  # Stockholm, kvinnor 16–24, August: ".."


def value(region: str, gender: str, age: str, content: str, month: str) -> float | None:
    if (region, gender, age, content, month) == PRICKAD:
        return None
    r, g = list(REGIONS).index(region), list(GENDERS).index(gender)
    if content == "AM0210A1":
        return float((10000, 4000, 2000, 300)[r] * (1, 1, 2)[g] // (1 + list(AGES).index(age)) + MONTHS.index(month))
    return round(5.5 + r + g / 10 + MONTHS.index(month) / 10, 1)


def document() -> dict:
    cells, status = [], {}
    codes = [list(REGIONS), list(GENDERS), list(AGES), list(CONTENTS), MONTHS]
    for flat in range(math.prod(SIZES)):
        strides = [math.prod(SIZES[i + 1:]) for i in range(len(SIZES))]
        pick = [codes[i][(flat // strides[i]) % SIZES[i]] for i in range(len(SIZES))]
        cells.append(value(*pick))
        if cells[-1] is None:
            status[str(flat)] = ".."
    return {
        "version": "2.0", "class": "dataset",
        "label": "Befolkningen 16-64 år efter region, kön, ålder, tabellinnehåll och månad",
        "source": "SCB", "updated": "2026-10-14T06:00:00Z",
        "id": IDS, "size": SIZES,
        "dimension": {
            "Region": {"label": "region", "category": {"index": {c: i for i, c in enumerate(REGIONS)},
                                                       "label": REGIONS}},
            "Kon": {"label": "kön", "category": {"index": {c: i for i, c in enumerate(GENDERS)}, "label": GENDERS}},
            "Alder": {"label": "ålder", "category": {"index": {c: i for i, c in enumerate(AGES)}, "label": AGES}},
            "ContentsCode": {"label": "tabellinnehåll", "category": {
                "index": {c: i for i, c in enumerate(CONTENTS)},
                "label": {c: v[0] for c, v in CONTENTS.items()},
                "unit": {c: {"base": v[1], "decimals": v[2]} for c, v in CONTENTS.items()}}},
            "Tid": {"label": "månad", "category": {"index": {c: i for i, c in enumerate(MONTHS)},
                                                   "label": {c: c for c in MONTHS}}},
        },
        "role": {"time": ["Tid"], "metric": ["ContentsCode"]},
        "value": cells, "status": status,
        "extension": {"px": {"tableid": "AM0210A", "decimals": 1, "language": "sv"}},
    }


def jsonstat_file(change: Callable[[dict], None] | None = None) -> bytes:
    doc = copy.deepcopy(document())
    if change:
        change(doc)
    return json.dumps(doc, ensure_ascii=False).encode()


def _set(path: list, item: object) -> Callable[[dict], None]:
    def change(doc: dict) -> None:
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = item
    return change


def _drop(key: str) -> Callable[[dict], None]:
    return lambda doc: doc["dimension"].pop(key)


BROKEN: dict[str, tuple[Callable[[], bytes], str]] = {
    "ogiltig JSON": (lambda: jsonstat_file()[:-5], "rad 1, kolumn 2265: filen är inte giltig JSON: fel vid tecken "
                     "2265 (filen är trasig eller inte hel)"),
    "latin-1": (lambda: jsonstat_file().decode().encode("latin-1"), "filen är inte sparad som UTF-8 (byte 0xe5 på plats 68); "
                "spara svaret från API:t som det kom"),
    "en samling": (lambda: json.dumps({"version": "2.0", "class": "collection", "link": {}}).encode(),
                   "filen är en JSON-stat-collection; spara en tabell i taget (format json-stat2)"),
    "utan Tid": (lambda: jsonstat_file(lambda d: (d["id"].pop(), d["size"].pop(), d["role"].pop("time"))),
                 "kolumn 'id': tabellen saknar dimensionen Tid"),
    "dimension saknas": (lambda: jsonstat_file(_drop("Alder")),
                         "kolumn 'dimension.Alder': dimensionen 'Alder' saknas eller saknar category"),
    "månad 13": (lambda: jsonstat_file(_set(["dimension", "Tid", "category", "index"],
                                            {"2026M06": 0, "2026M07": 1, "2026M13": 2})),
                 "kolumn 'dimension.Tid.category.index.2026M13': '2026M13': månad 13 finns inte"),
    "text som värde": (lambda: jsonstat_file(_set(["value", 0], "tolv")), "kolumn 'value[0]': 'tolv' är inte ett tal"),
    "för få värden": (lambda: jsonstat_file(lambda d: d["value"].pop()),
                      f"kolumn 'value': 'value' har {math.prod(SIZES) - 1} celler men dimensionerna ger "
                      f"{math.prod(SIZES)}"),
    "okänd enhet": (lambda: jsonstat_file(_set(["dimension", "ContentsCode", "category", "unit", "AM0210A1"],
                                               {"base": "liter"})),
                    "kolumn 'dimension.ContentsCode.category.unit.AM0210A1': enheten 'liter' för 'arbetslösa' känns "
                    "inte igen (antal, procent, kronor)"),
    "andel över 100": (lambda: jsonstat_file(_pct),
                       "kolumn 'value[3]': 130 ligger utanför 0–100 procent"),
}


def _pct(doc: dict) -> None:
    doc["value"][3] = 130.0  # Riket, män, 16–24, relativt arbetslösa (index 3), June
