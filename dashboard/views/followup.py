"""Pieces of the Stockholmsjobb and Jobbtorg view models: a number as a metric shows it, a table with its
download, the kön options and a measure's definition for a footnote. No Streamlit here."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from dashboard.core import labels
from dashboard.core.numbers import MISSING
from dashboard.figures import followup as fig

ALL_KON = ["totalt", "kvinnor", "män", "skillnad"]


@dataclass
class Metric:
    label: str
    value: str  # as printed, with its qualifier; "uppgift saknas" for a gap
    help: str | None = None  # where the number comes from


@dataclass
class Table:
    """A table as the page shows it, and its download: the same observations, the file's context on every row."""

    name: str  # the file's stem
    frame: pd.DataFrame  # the observations behind it (sources, data sets, demo)
    rows: pd.DataFrame  # what the page shows
    download: pd.DataFrame  # the file's rows
    measures: str  # the context "Mått", "Period" and "Kön" of the file
    periods: str
    kon: str
    rows_demo: list[bool] | bool  # the demo label of each shown row, or of the whole table

    @property
    def demo(self) -> bool:
        return fig.is_demo(self.frame)


def observations_table(frame: pd.DataFrame, name: str, rows: pd.DataFrame | None = None,
                       kon: str | None = None) -> Table:
    """The observations as a Swedish table with the source of every row (or as `rows`, e.g. a pivot, labelled
    demo as a whole), and as the download; `kon` overrides the download's Kön context."""
    return Table(name=name, frame=frame, rows=fig.shown_table(frame) if rows is None else rows,
                 download=fig.export_table(frame), measures=labels.measures_text(frame),
                 periods=labels.periods_text(frame), kon=kon or labels.genders_text(frame),
                 rows_demo=[bool(d) for d in frame["is_demo"]] if rows is None else fig.is_demo(frame))


def kon_options(frame: pd.DataFrame) -> list[str]:
    """Totalt, and kvinnor, män and the gap where the rows have both kvinnor and män."""
    return ALL_KON if {"kvinnor", "män"} <= set(frame["gender"]) else ["totalt"]


def row_metric(row: pd.Series | None, label: str, unit: str | None = None, sep: str = ", ") -> Metric:
    """A published value as a metric, with its source as help; "uppgift saknas" when there is no row."""
    if row is None:
        return Metric(label, MISSING)
    return Metric(label, fig.shown_row(row, unit), f"Källa: {row['source']}{sep}{row['source_location']}")


def definition_text(definitions: pd.DataFrame, measures: list[str]) -> str:
    """'Name: definition (source, rad n)' per measure, in the given order (from queries.followup's
    measure_definitions); 'anges inte i källan' where none is stored."""
    found = definitions.set_index("measure") if "measure" in definitions else pd.DataFrame()
    parts = []
    for measure in dict.fromkeys(measures):
        if measure not in found.index:
            continue
        row = found.loc[measure]
        text = row["definition"] if pd.notna(row["definition"]) and row["definition"] else "anges inte i källan"
        where = ", ".join(str(x) for x in (row["source"], row["source_location"]) if pd.notna(x) and x)
        parts.append(f"{row['name']}: {text}" + (f" ({where})" if where else ""))
    return " ".join(parts) or "anges inte i källan"


def periods_in_order(frame: pd.DataFrame) -> str:
    """The periods of the rows in time order, e.g. '2021; 2022' ('uppgift saknas' if none), for a footnote."""
    from dashboard.core.periods import period_label

    ordered = frame.sort_values(["period_start", "period_end"] if "period_end" in frame else ["period_start"])
    return "; ".join(period_label(p) for p in dict.fromkeys(ordered["period"])) or MISSING
