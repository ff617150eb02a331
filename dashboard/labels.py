"""The words the interface shows for the data's own codes, in one place: kön, level, and the note on what
the tool computed itself. Pages, figures, views and exports all take them from here."""

from __future__ import annotations

import pandas as pd

GENDERS = {"totalt": "Totalt", "kvinnor": "Kvinnor", "män": "Män"}
GAP = "Kvinnor − män"  # the gap, always women minus men
GENDER_CHOICES = {**GENDERS, "skillnad": GAP}  # the kön control: the three and the gap

COMPUTED = "beräknat av verktyget"  # a share, change or gap the documents do not print

LEVELS = {"riket": "Riket", "lan": "Län", "stad": "Staden", "stadsdelsomrade": "Stadsdelsområde",
          "stadsdel": "Stadsdel", "fokusomrade": "Fokusområde", "enhet": "Enhet"}


def gender_label(code: object) -> str:
    """'Kvinnor' for 'kvinnor' (and the gap's label for 'skillnad'); an unknown code as it is."""
    return GENDER_CHOICES.get(str(code), str(code))


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
