"""The words the interface shows for the data's own codes, in one place: kön, level, the note on what the tool
computed itself, and a footnote's source line. Pages, figures, views and exports all take them from here."""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from dashboard.core.periods import period_label

GENDERS = {"totalt": "Totalt", "kvinnor": "Kvinnor", "män": "Män"}
GAP = "Kvinnor − män"  # the gap, always women minus men
GENDER_CHOICES = {**GENDERS, "skillnad": GAP}  # the kön control: the three and the gap

COMPUTED = "beräknat av verktyget"  # a share, change or gap the documents do not print

LEVELS = {"riket": "Riket", "lan": "Län", "kommun": "Kommun", "stad": "Staden",
          "stadsdelsomrade": "Stadsdelsområde", "stadsdel": "Stadsdel", "fokusomrade": "Fokusområde",
          "rapportgrupp": "Rapportgrupp", "insatsomrade": "Insatsområde", "enhet": "Enhet (inte en plats)"}


def gender_label(code: object) -> str:
    """'Kvinnor' for 'kvinnor' (and the gap's label for 'skillnad'); an unknown code as it is."""
    return GENDER_CHOICES.get(str(code), str(code))


def measures_text(frame: pd.DataFrame) -> str:
    """The names of the measures behind the rows ('measure_name' column), each once, for a download's context."""
    if frame.empty or "measure_name" not in frame.columns:
        return "uppgift saknas"
    return "; ".join(str(m) for m in dict.fromkeys(frame["measure_name"]))


def periods_text(frame: pd.DataFrame) -> str:
    """The periods of the rows ('period' column) in time order, as labels, for a download's context."""
    if frame.empty or "period" not in frame.columns:
        return "uppgift saknas"
    ordered = frame.sort_values("period_start") if "period_start" in frame.columns else frame
    return "; ".join(period_label(p) for p in dict.fromkeys(ordered["period"]))


def genders_text(frame: pd.DataFrame) -> str:
    """The kön of the rows ('gender' column), each once ('Kvinnor; Män; Totalt'), for a download's context."""
    if frame.empty or "gender" not in frame.columns:
        return "uppgift saknas"
    return "; ".join(gender_label(g) for g in dict.fromkeys(frame["gender"]))


def source_places(frame: pd.DataFrame) -> str:
    """'Title (rad 12, 14); Other (file.csv, rad 3, 5)': each source once, its places compacted."""
    parts = []
    for source, locations in frame.groupby("source", sort=False)["source_location"]:
        places: dict[str, list[str]] = {}
        for location in dict.fromkeys(locations):
            prefix, _, row = str(location).rpartition("rad ")
            places.setdefault(prefix, []).append(row)
        parts.append(f"{source} (" + "; ".join(f"{prefix}rad {', '.join(rows)}" for prefix, rows in places.items())
                     + ")")
    return "; ".join(parts)


NEAR_LINES = 20  # cited lines at most this far apart are one range in a footnote ("rad 40–70")
FOOTNOTE_SOURCES = 4  # sources named in a footnote; the full list is on the sheet "Källor" of the Excel download
_LINE = re.compile(r"(?:(.+), )?rad (\d+)")
_PATH = re.compile(r"\s*\(?[\w.-]*/[\w./-]*\.\w+\)?")  # 'genererad (dashboard/demo.py)' → 'genererad'


def line_ranges(lines: Iterable[int], near: int = NEAR_LINES) -> str:
    """'40–70, 163' for lines 40, 41, 45 … 70 and 163: lines at most `near` apart are joined into one range."""
    ranges: list[list[int]] = []
    for line in sorted(set(lines)):
        if ranges and line - ranges[-1][1] <= near:
            ranges[-1][1] = line
        else:
            ranges.append([line, line])
    return ", ".join(str(a) if a == b else f"{a}\u2013{b}" for a, b in ranges)


def source_text(frame: pd.DataFrame) -> str:
    """'Källa: Arbetsmarknadsrapport 2022, rad 40–70; Tertialrapport 1 2021, rad 163': each publication by its
    title, its cited lines as ranges; a line of a data file (not of the publication) is called so, without the
    file's path. At most FOOTNOTE_SOURCES sources (those with most rows first), then how many more there are."""
    if frame.empty:
        return "Källa: uppgift saknas"
    parts = []
    grouped = frame.groupby("source", sort=False)["source_location"]
    ordered = sorted(grouped, key=lambda item: -len(item[1]))
    for source, locations in ordered[:FOOTNOTE_SOURCES]:
        in_text: list[int] = []
        in_file: list[int] = []
        other: list[str] = []
        for location in dict.fromkeys(str(x) for x in locations):
            match = _LINE.fullmatch(location)
            if match is None:
                other.append(_PATH.sub("", location) or location)
            else:
                (in_file if match.group(1) else in_text).append(int(match.group(2)))
        places = ([f"rad {line_ranges(in_text)}"] if in_text else []) + \
                 ([f"datafilens rad {line_ranges(in_file)}"] if in_file else []) + other
        parts.append(f"{source}, " + ", ".join(places) if places else str(source))
    more = len(ordered) - FOOTNOTE_SOURCES
    if more > 0:
        parts.append(f"och {more} källor till (alla står på bladet Källor i vyns Excel-nedladdning)")
    return "Källa: " + "; ".join(parts)
