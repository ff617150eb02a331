"""Importing the city's and the official statistics' files into the database (no Streamlit here).

One route for the page and the command line: `preview` reads and validates a file and says what importing it
would do, writing nothing; `commit` writes that, with its log entry, in one transaction. SCB's delområde tables
are read by a column mapping (`mapping_start` gives the page's form its start; profiles are saved on commit).
"""

from dashboard.ingest.errors import IngestError
from dashboard.ingest.mapping import ColumnRole, Mapping, MeasureDef
from dashboard.ingest.model import MeasureText
from dashboard.ingest.route import (
    FORMATS,
    MappingNeeded,
    MappingStart,
    Outcome,
    Preview,
    commit,
    mapping_start,
    preview,
)
from dashboard.ingest.who import current_user

__all__ = ["FORMATS", "ColumnRole", "IngestError", "Mapping", "MappingNeeded", "MappingStart", "MeasureDef",
           "MeasureText", "Outcome", "Preview", "commit", "current_user", "mapping_start", "preview"]
