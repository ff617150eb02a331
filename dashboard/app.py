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
SECTIONS = {
        "Analys": [
            ("karta.py", dict(title="Karta", icon=":material/map:", url_path="karta")),
            ("kaa.py", dict(title="KAA-tratten", icon=":material/filter_alt:", url_path="kaa")),
            ("stockholmsjobb.py", dict(title="Stockholmsjobb", icon=":material/work:", url_path="stockholmsjobb")),
            ("jobbtorg.py", dict(title="Jobbtorg Stockholm", icon=":material/storefront:", url_path="jobbtorg")),
        ],
        "Data": [
            ("data.py", dict(title="Data och källor", icon=":material/database:", url_path="data", default=True)),
        ],
}
# While the follow-up pages are being written, only pages whose file exists are offered.
navigation = st.navigation({
    section: [st.Page(PAGES / file, **spec) for file, spec in pages if (PAGES / file).exists()]
    for section, pages in SECTIONS.items()
})
navigation.run()
