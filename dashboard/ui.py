"""Shared pieces of the Streamlit pages: cached queries, Swedish tables and source lines."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.numbers import format_value
from queries import coverage, observations

DEMO_LABEL = "Demodata – inte verkliga siffror"


@st.cache_data(show_spinner=False)
def datasets_overview() -> pd.DataFrame:
    return coverage.datasets_overview()


@st.cache_data(show_spinner=False)
def dataset_coverage(dataset: str) -> pd.DataFrame:
    return coverage.dataset_coverage(dataset)


@st.cache_data(show_spinner=False)
def measure_catalogue() -> pd.DataFrame:
    return observations.measure_catalogue()


def with_formatted_values(frame: pd.DataFrame) -> pd.DataFrame:
    """Adds 'Värde' in Swedish format, from the value and unit columns."""
    out = frame.copy()
    out["Värde"] = [format_value(v, u) for v, u in zip(out["value"], out["unit"], strict=True)]
    return out
