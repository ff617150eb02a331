"""Pieces shared by the Stockholmsjobb and Jobbtorg pages."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from dashboard import ui
from dashboard.views.followup import Metric, Table
from queries import followup
from queries.db import engine, with_database_url


@with_database_url
@st.cache_data(show_spinner=False)
def load(database: str, measures: tuple[str, ...]) -> pd.DataFrame:
    """Every observation of the measures, as the view's slide loads them; measures not in the database give no
    rows."""
    return followup.observations_of(measures, engine(database))


@with_database_url
@st.cache_data(show_spinner=False)
def measure_definitions(database: str, measures: tuple[str, ...]) -> pd.DataFrame:
    return followup.measure_definitions(measures, engine(database))


@with_database_url
@st.cache_data(show_spinner=False)
def glossary_entries(database: str, terms: tuple[str, ...]) -> pd.DataFrame:
    return followup.glossary_entries(terms, engine(database))


def table_with_download(table: Table, *, sources: bool = True) -> None:
    """The view model's table, its sources, and CSV/Excel downloads of the rows behind it."""
    ui.table(table.rows, is_demo=table.rows_demo)
    if sources:
        ui.sources_caption(table.frame)
    download(table)


def download(table: Table) -> None:
    """CSV and Excel of the rows behind the table, with its context on every row."""
    ui.download_table(table.download, f"{table.name}.csv", is_demo=table.demo, key=f"csv_{table.name}",
                      context={"Mått": table.measures, "Period": table.periods, "Kön": table.kon,
                               "Dataset": ui.dataset_names(table.frame)})


def metric(column: DeltaGenerator, item: Metric, **kwargs: object) -> None:
    """The view model's metric in a column, its source as help."""
    column.metric(item.label, item.value, help=item.help, **kwargs)
