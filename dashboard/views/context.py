"""What a view model says about a download: the table, its file name and the context every row carries
(Mått, Period, Kön, Dataset), with the texts for that context. No Streamlit: the page hands a Download to
`ui.download_table`, and the tests compare it with what the page offered."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from dashboard.core.labels import gender_label
from dashboard.core.numbers import MISSING
from dashboard.core.periods import period_label


@dataclass
class Download:
    table: pd.DataFrame
    file_name: str
    context: dict[str, str | None]
    is_demo: bool = False
    rule: str | None = None  # the small-number rule, on every row and on the sheet Källor
    key: str | None = None  # the widget key of the page's download buttons


def periods_text(frame: pd.DataFrame) -> str:
    """The periods of the rows ('period' column) in time order, as labels, for a download's context."""
    if frame.empty or "period" not in frame.columns:
        return MISSING
    ordered = frame.sort_values("period_start") if "period_start" in frame.columns else frame
    return "; ".join(period_label(p) for p in dict.fromkeys(ordered["period"]))


def genders_text(frame: pd.DataFrame) -> str:
    """The kön of the rows ('gender' column), each once ('Kvinnor; Män; Totalt'), for a download's context."""
    if frame.empty or "gender" not in frame.columns:
        return MISSING
    return "; ".join(gender_label(g) for g in dict.fromkeys(frame["gender"]))


def dataset_names(frame: pd.DataFrame, titles: Mapping[str, str]) -> str:
    """The titles of the data sets behind the rows ('dataset' column), each once; an unknown id as it is."""
    if frame.empty or "dataset" not in frame.columns:
        return MISSING
    return "; ".join(str(titles.get(d, d)) for d in dict.fromkeys(frame["dataset"]))
