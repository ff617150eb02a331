"""Pieces shared by the Stockholmsjobb and Jobbtorg pages."""

from __future__ import annotations

import pandas as pd

from dashboard import ui
from dashboard.figures import followup as fig


def load(measures: list[str]) -> pd.DataFrame:
    """Every observation of the measures (cached per measure); measures not in the database give no rows."""
    frames = [f for f in (ui.observations_of(m) for m in dict.fromkeys(measures)) if not f.empty]
    return pd.concat(frames, ignore_index=True) if frames else ui.observations_of("__ingen__")


def table_with_download(frame: pd.DataFrame, name: str) -> None:
    """The rows as a Swedish table, their sources, and CSV/Excel downloads."""
    ui.table(fig.shown_table(frame), is_demo=frame["is_demo"].to_numpy())
    ui.sources_caption(frame)
    ui.download_table(fig.export_table(frame), f"{name}.csv", is_demo=bool(frame["is_demo"].any()), key=f"csv_{name}",
                      context={"Mått": ui.measures_text(frame), "Period": ui.periods_text(frame),
                               "Kön": ui.genders_text(frame), "Dataset": ui.dataset_names(frame)})
