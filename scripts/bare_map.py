"""The benchmark's baseline: a bare Streamlit choropleth of the map's own polygons, with one radio for kön.

    DATABASE_URL=... streamlit run scripts/bare_map.py   (query parameters: niva, dag)

No tiles (map style "white-bg"), so it works offline like the app. The values are made up per kön: only the
drawing is compared. Used by scripts/benchmark_map.py; not part of the app.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import streamlit as st

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from dashboard.core import config  # noqa: E402
from queries.areas import polygons as query_polygons  # noqa: E402
from queries.db import engine  # noqa: E402


@st.cache_resource(show_spinner=False)
def polygons(database: str, level: str, day: date) -> dict:
    return query_polygons(level, day, engine(database))


level = st.query_params.get("niva", "stadsdelsomrade")
day = date.fromisoformat(st.query_params.get("dag", date.today().isoformat()))
geojson = polygons(config.database_url(), level, day)
names = [f["id"] for f in geojson["features"]]

st.title("Bar karta")
kon = st.radio("Kön", ["totalt", "kvinnor", "män"], horizontal=True, key="kon")
values = np.random.default_rng(["totalt", "kvinnor", "män"].index(kon)).uniform(2, 20, len(names)).round(1)
fig = go.Figure(go.Choroplethmap(geojson=geojson, locations=names, z=values, featureidkey="id",
                                 colorscale="Blues", marker={"line": {"color": "white", "width": 0.8}}))
fig.update_layout(map={"style": "white-bg", "center": {"lon": 18.03, "lat": 59.32}, "zoom": 9.3}, height=680,
                  margin={"l": 0, "r": 0, "t": 0, "b": 0})
st.subheader(f"Bar karta, {kon}")
st.plotly_chart(fig, key="kartan", config={"displaylogo": False})
