"""What a view model says about a download: the table, its file name and the context every row carries
(Mått, Period, Kön, Dataset), with the texts for that context. No Streamlit: the page hands a Download to
`ui.download_table`, and the tests compare it with what the page offered."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from dashboard.core.numbers import MISSING


@dataclass
class Download:
    table: pd.DataFrame
    file_name: str
    context: dict[str, str | None]
    is_demo: bool = False
    rule: str | None = None  # the small-number rule, on every row and on the sheet Källor
    key: str | None = None  # the widget key of the page's download buttons


def dataset_names(frame: pd.DataFrame, titles: Mapping[str, str]) -> str:
    """The titles of the data sets behind the rows ('dataset' column), each once; an unknown id as it is."""
    if frame.empty or "dataset" not in frame.columns:
        return MISSING
    return "; ".join(str(titles.get(d, d)) for d in dict.fromkeys(frame["dataset"]))
