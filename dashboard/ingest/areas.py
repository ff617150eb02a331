"""Matching the city's sub-areas as a file writes them (stadsdel and stadsdelsområde, by name) to the areas table.

A name is compared in lower case with one space and '-' for every dash; the boundary files' capitals
("ULVSUNDA INDUSTRIOMR") count as a name too. A code before or after the name ("9101 Rinkeby", "Rinkeby (9101)")
is set aside and the name matched: the project has no Nyko codes (neither data/areas nor the city's CC0
boundaries carry any), so a bare code matches nothing and is listed as unmatched. "Farsta sdo" and
"Farsta stadsdelsområde" are the stadsdelsområde; "Stockholm", "Stockholms stad" and "Totalt" the city.

Names that are a stadsdel and a stadsdelsområde alike (Farsta, Skärholmen, Kungsholmen …) go to the level the
column stands for; a name that exists only at the other level (Järva in a stadsdel column) goes there.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

SUB_LEVELS = ("stadsdel", "stadsdelsomrade")
CITY = ("Stockholms stad", "stad")
CITY_NAMES = {"stockholm", "stockholms stad", "stockholms kommun", "hela staden", "staden", "totalt", "summa",
              "samtliga", "samtliga områden", "alla områden", "stockholm totalt", "totalt stockholm",
              "stockholms stad totalt", "hela stockholm", "0180 stockholm"}
_SDO_SUFFIX = re.compile(r"\s+(sdo|sdn|stadsdelsområde|stadsdelsnämndsområde|stadsdelsnämnd)$")
_CODE_BEFORE = re.compile(r"^[0-9][0-9 .:/-]*\s+(?=[^\W\d_])")
_CODE_AFTER = re.compile(r"\s*[(\[]\s*[0-9][0-9 .:/-]*[)\]]$")
_CODE = re.compile(r"[0-9][0-9 .:/-]*")


def normalise(text: str) -> str:
    """Lower case, one space, '-' for every dash (with no spaces around it)."""
    text = " ".join(text.replace("\u2013", "-").replace("\u2014", "-").replace("\u2212", "-").split()).lower()
    return re.sub(r"\s*-\s*", "-", text)


def name_part(text: str) -> str:
    """The name without a code before or after it (normalised)."""
    low = normalise(text)
    return _CODE_AFTER.sub("", _CODE_BEFORE.sub("", low)).strip()


def is_code(text: str) -> bool:
    """Whether the cell is a bare code (digits, with dashes or spaces)."""
    return bool(_CODE.fullmatch(normalise(text)))


class AreaIndex:
    """The areas a sub-area file may name: stadsdelar, stadsdelsområden and the city (by name and level)."""

    def __init__(self, rows: Iterable[tuple[int, str, str, str | None]]) -> None:
        """`rows`: (area_id, name, level, geo_name) for every area."""
        self.by_level: dict[str, dict[str, tuple[int, str]]] = {}
        for area_id, name, level, geo_name in rows:
            names = self.by_level.setdefault(level, {})
            names.setdefault(normalise(name), (area_id, name))
            if geo_name:
                names.setdefault(normalise(geo_name), (area_id, name))
        self.city = self.by_level.get(CITY[1], {}).get(normalise(CITY[0]))

    def _at(self, name: str, level: str) -> tuple[int, str] | None:
        return self.by_level.get(level, {}).get(name)

    def levels_of(self, text: str) -> set[str]:
        """The sub-area levels at which the name exists."""
        name = name_part(text)
        return {level for level in SUB_LEVELS if self._at(name, level)}

    def resolve(self, texts: Iterable[str]) -> str:
        """The level of a column whose level the mapping leaves open: the level more of its names exist at only
        (a column of 117 stadsdelar has Farsta too, a column of stadsdelsområden has Kungsholmen)."""
        only: Counter = Counter()
        for text in set(texts):
            levels = self.levels_of(text)
            if len(levels) == 1:
                only[next(iter(levels))] += 1
        if only["stadsdel"] == only["stadsdelsomrade"]:
            return "stadsdelsomrade" if len(set(texts)) <= 14 else "stadsdel"
        return max(SUB_LEVELS, key=lambda level: only[level])

    def match(self, text: str, level: str) -> tuple[int, str, str] | None:
        """(area_id, name, level) of the area `text` names in a column of `level` (stadsdel or stadsdelsomrade),
        or None."""
        full = normalise(text)
        name = name_part(text)
        if (full in CITY_NAMES or name in CITY_NAMES) and self.city:
            return (*self.city, CITY[1])
        if suffix := _SDO_SUFFIX.search(name):
            found = self._at(name[:suffix.start()], "stadsdelsomrade")
            return (*found, "stadsdelsomrade") if found else None
        if not name or is_code(text):
            return None
        other = "stadsdelsomrade" if level == "stadsdel" else "stadsdel"
        for at in (level, other, "stad", "lan", "riket"):
            found = self._at(name, at)
            if found:
                return (*found, at)
        return None
