"""The words the interface shows for the data's own codes, in one place: kön, level, and the note on what
the tool computed itself. Pages, figures, views and exports all take them from here."""

from __future__ import annotations

GENDERS = {"totalt": "Totalt", "kvinnor": "Kvinnor", "män": "Män"}
GAP = "Kvinnor − män"  # the gap, always women minus men
GENDER_CHOICES = {**GENDERS, "skillnad": GAP}  # the kön control: the three and the gap

COMPUTED = "beräknat av verktyget"  # a share, change or gap the documents do not print

LEVELS = {"riket": "Riket", "lan": "Län", "stad": "Staden", "stadsdelsomrade": "Stadsdelsområde",
          "stadsdel": "Stadsdel", "fokusomrade": "Fokusområde", "enhet": "Enhet"}


def gender_label(code: object) -> str:
    """'Kvinnor' for 'kvinnor' (and the gap's label for 'skillnad'); an unknown code as it is."""
    return GENDER_CHOICES.get(str(code), str(code))
