"""Streamlit entry point: `streamlit run dashboard/app.py`."""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # so that `pages/` can import dashboard, queries and geo
    sys.path.insert(0, str(REPO))

import streamlit as st  # noqa: E402

from dashboard.ui import signin  # noqa: E402
from dashboard.ui.database import run_page  # noqa: E402

st.set_page_config(page_title="Arbetsmarknadsnämnden – analys", page_icon="📊", layout="wide")

PAGES = REPO / "pages"
SECTIONS = {
    "Översikt": [
        ("oversikt.py", {"title": "Översikt", "icon": ":material/dashboard:", "url_path": "oversikt"}),
    ],
    "Analys": [
        ("karta.py", {"title": "Karta", "icon": ":material/map:", "url_path": "karta"}),
        ("kaa.py", {"title": "KAA-tratten", "icon": ":material/filter_alt:", "url_path": "kaa"}),
        ("stockholmsjobb.py", {"title": "Stockholmsjobb", "icon": ":material/work:", "url_path": "stockholmsjobb"}),
        ("jobbtorg.py", {"title": "Jobbtorg Stockholm", "icon": ":material/storefront:", "url_path": "jobbtorg"}),
        ("feriejobb.py", {"title": "Feriejobb", "icon": ":material/wb_sunny:", "url_path": "feriejobb"}),
        ("omraden.py", {"title": "Uppföljning per område", "icon": ":material/location_city:", "url_path": "omraden"}),
        ("indikatorer.py", {"title": "Indikatorer", "icon": ":material/flag:", "url_path": "indikatorer"}),
    ],
    "Presentera": [
        ("presentation.py", {"title": "Presentation", "icon": ":material/slideshow:", "url_path": "presentation"}),
    ],
    "Data": [
        ("begrepp.py", {"title": "Begrepp", "icon": ":material/menu_book:", "url_path": "begrepp"}),
        ("data.py", {"title": "Data och källor", "icon": ":material/database:", "url_path": "data"}),
        ("importera.py", {"title": "Importera", "icon": ":material/upload_file:", "url_path": "importera"}),
    ],
}
START = "oversikt.py"

person = signin.gate()  # with sign-in configured, nothing below runs before it (nor for a person without a role)
# A page outside the person's role is hidden and refuses if its address is typed.
navigation = st.navigation({
    section: [signin.page(person, PAGES / file, spec, default=file == START) for file, spec in pages]
    for section, pages in SECTIONS.items()
})
run_page(navigation)  # the page, or one banner when the database cannot be read
