"""A Kolada API v3 data response (`/v3/data/kpi/N00914/municipality/0180,0184,0001,0000`), made here, its KPI
description (`/v3/kpi/N00914`) and broken variants with their messages."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable

KPI = "N00914"
TITLE = "Invånare 20-64 år som är öppet arbetslösa eller i program, andel (%)"
DEFINITION = "Antal öppet arbetslösa och personer i program med aktivitetsstöd 20-64 år, dividerat med invånare 20-64 år."
MUNICIPALITIES = ["0180", "0184", "0001", "0000"]  # Stockholm, Solna, Region Stockholm, riket
YEARS = [2021, 2022, 2023]
GENDERS = ["T", "K", "M"]
MISSING = ("0180", 2023, "K")  # Kolada has no value: null, status "Missing"
# Stockholm, riket, the eight largest other kommuner in a shuffled order, Solna and Upplands Väsby: the comparison
COMPARED = ["0180", "0000", "0184", "1880", "1480", "0114", "1283", "1280", "0580", "0380", "1980", "0581"]


def value(code: str, year: int, gender: str, municipalities: list[str] = MUNICIPALITIES) -> float | None:
    if (code, year, gender) == MISSING:
        return None
    return round(4.0 + municipalities.index(code) + YEARS.index(year) / 10 + GENDERS.index(gender) / 100, 2)


def document(municipalities: list[str] = MUNICIPALITIES) -> dict:
    records = []
    for code in municipalities:
        for year in YEARS:
            cells = [{"count": 1, "gender": g, "status": "Missing" if value(code, year, g, municipalities) is None
                      else "", "value": value(code, year, g, municipalities)} for g in GENDERS]
            # Kolada writes the period as a number; one record as text, as some savers do
            records.append({"kpi": KPI, "municipality": code, "period": str(year) if year == 2021 else year,
                            "values": cells})
    return {"count": len(records), "values": records, "next_url": None}


def kolada_file(change: Callable[[dict], None] | None = None, municipalities: list[str] = MUNICIPALITIES) -> bytes:
    doc = copy.deepcopy(document(municipalities))
    if change:
        change(doc)
    return json.dumps(doc, ensure_ascii=False).encode()


def description_file(kpi: str = KPI) -> bytes:
    return json.dumps({"count": 1, "values": [{
        "id": kpi, "title": TITLE, "description": DEFINITION, "operating_area": "Arbetsmarknad",
        "is_divided_by_gender": True, "municipality_type": "K", "has_ou_data": False,
        "publication_date": "2024-03-01"}]}, ensure_ascii=False).encode()


def _set(path: list, item: object) -> Callable[[dict], None]:
    def change(doc: dict) -> None:
        target = doc
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = item
    return change


def _second_kpi(doc: dict) -> None:
    doc["values"][4]["kpi"] = "N00915"


BROKEN: dict[str, tuple[Callable[[], bytes], str]] = {
    "two KPIs in one file": (lambda: kolada_file(_second_kpi),
                             "kolumn 'values[4].kpi': filen har flera nyckeltal (N00914 och N00915); spara ett "
                             "nyckeltal per fil, så blir varje nyckeltal sitt eget data set"),
    "gender F": (lambda: kolada_file(_set(["values", 2, "values", 1, "gender"], "F")),
                 "kolumn 'values[2].values[1].gender': 'F' är inget kön i Kolada (T, K eller M)"),
    "text as value": (lambda: kolada_file(_set(["values", 0, "values", 0, "value"], "5,1")),
                      "kolumn 'values[0].values[0].value': '5,1' är inte ett tal"),
    "share over 100": (lambda: kolada_file(_set(["values", 1, "values", 2, "value"], 104.5)),
                       "kolumn 'values[1].values[2].value': 104,5 ligger utanför 0–100 procent"),
    "period not a year": (lambda: kolada_file(_set(["values", 3, "period"], "2023M01")),
                          "kolumn 'values[3].period': '2023M01' är inget år (ÅÅÅÅ)"),
    "the same gender twice": (lambda: kolada_file(_set(["values", 5, "values", 2, "gender"], "K")),
                              "kolumn 'values[5].values[2]': samma kommun, år och kön som values[5].values[1]"),
    "a value with a status": (lambda: kolada_file(_set(["values", 0, "values", 1, "status"], "B")),
                              "kolumn 'values[0].values[1].status': värdet 4,01 har statusen 'B'; verktyget sparar "
                              "en status bara för värden som saknas och läser inte in ett värde vars status det inte "
                              "kan visa"),
    "count says more were cut off": (lambda: kolada_file(_set(["count"], 3)),
                                     "kolumn 'count': 'count' säger 3 poster men 'values' har 12 (filen är inte hel)"),
    "no values": (lambda: kolada_file(_set(["values"], [])), "kolumn 'values': filen har inga värden ('values' är tom)"),
    "a municipality name": (lambda: kolada_file(_set(["values", 0, "municipality"], "Stockholm")),
                            "kolumn 'values[0].municipality': 'Stockholm' är ingen kommunkod i Kolada (fyra siffror "
                            "som 0180, eller en kommungrupp G…)"),
    "the KPI description instead of values": (description_file,
                                              "filen är Koladas beskrivning av nyckeltal (/v3/kpi/…), inte deras "
                                              "värden; läs in värdena (/v3/data/kpi/…) och ange den här filen som "
                                              "beskrivning av nyckeltalet"),
    "cut off": (lambda: kolada_file()[:-40], "filen är inte giltig JSON"),
}
