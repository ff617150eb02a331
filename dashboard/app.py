"""Streamlit entry point: `streamlit run dashboard/app.py`."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # so that `pages/` can import dashboard, queries and geo
    sys.path.insert(0, str(REPO))

import streamlit as st  # noqa: E402

st.set_page_config(page_title="Arbetsmarknadsnämnden – analys", page_icon="📊", layout="wide")

PAGES = REPO / "pages"
navigation = st.navigation(
    {
        "Data": [
            st.Page(PAGES / "data.py", title="Data och källor", icon="🗂️", url_path="data", default=True),
        ],
    }
)
navigation.run()
