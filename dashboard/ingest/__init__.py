"""Importing the city's and the official statistics' files into the database (no Streamlit here).

One route for the page and the command line: `preview` reads and validates a file and says what importing it
would do, writing nothing; `commit` writes that, with its log entry, in one transaction.
"""

from dashboard.ingest.errors import IngestError
from dashboard.ingest.model import MeasureText
from dashboard.ingest.route import FORMATS, Outcome, Preview, commit, preview
from dashboard.ingest.who import current_user

__all__ = ["FORMATS", "IngestError", "MeasureText", "Outcome", "Preview", "commit", "current_user", "preview"]
