"""The map: areas coloured by a measure, missing areas grey, water and fokusområden drawn on top."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.figures.style import DEMO_LABEL, DIVERGING, MISSING_COLOUR, SEQUENTIAL, apply_style
from dashboard.numbers import MISSING, format_value
from dashboard.periods import period_label, period_midpoint, time_axis

WATER_COLOUR = "#e6eef5"
CENTRE = {"lat": 59.322, "lon": 17.985}


def ranked(values: pd.DataFrame, higher_is_better: bool | None) -> pd.DataFrame:
    """Adds 'rank' (1 = highest value) among the areas that have a value."""
    out = values.copy()
    out["rank"] = out["value"].rank(ascending=False, method="min").astype("Int64")
    return out


def hover_texts(values: pd.DataFrame, unit: str, city_text: str, demo: bool) -> list[str]:
    """Name, value with unit, the city's value, rank and source, one string per area."""
    total = int(values["value"].notna().sum())
    texts = []
    for row in values.itertuples():
        lines = [f"<b>{row.area}</b>", format_value(row.value, unit)]
        if getattr(row, "group_note", ""):
            lines.append(row.group_note)
        lines.append(f"Staden: {city_text}")
        if pd.notna(row.rank):
            lines.append(f"Plats {row.rank} av {total} (1 = högst)")
        lines.append(f"Källa: {row.source}, {row.source_location}")
        if demo:
            lines.append(f"<b>{DEMO_LABEL}</b>")
        texts.append("<br>".join(lines))
    return texts


def _subset(geojson: dict[str, Any], names) -> dict[str, Any]:
    """Only the features a trace draws: each polygon is written into the figure once."""
    wanted = set(names)
    return {"type": "FeatureCollection", "features": [f for f in geojson["features"] if f["id"] in wanted]}


def outline_coordinates(geojson: dict[str, Any]) -> tuple[list[float | None], list[float | None]]:
    """Lon/lat of every ring, rings separated by None, for drawing outlines as lines."""
    lons: list[float | None] = []
    lats: list[float | None] = []
    for feature in geojson["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        for polygon in polygons:
            ring = polygon[0]
            lons += [p[0] for p in ring] + [None]
            lats += [p[1] for p in ring] + [None]
    return lons, lats


def area_map(
    polygons: dict[str, Any],
    values: pd.DataFrame,
    *,
    unit: str,
    legend_title: str,
    city_text: str,
    water: dict[str, Any] | None = None,
    fokus: dict[str, Any] | None = None,
    highlight_fokus: bool = False,
    diverging: bool = False,
    demo: bool = False,
    height: int = 680,
) -> go.Figure:
    """`values` has columns area, value, source (and optional group_note); areas without a value are missing."""
    names = [f["id"] for f in polygons["features"]]
    frame = ranked(values[values["area"].isin(names)], None)
    missing = [n for n in names if n not in set(frame["area"])]
    fig = go.Figure()
    if missing:
        fig.add_trace(go.Choroplethmap(
            geojson=_subset(polygons, missing), locations=missing, z=[0] * len(missing), featureidkey="id",
            colorscale=[[0, MISSING_COLOUR], [1, MISSING_COLOUR]], showscale=False, name=MISSING,
            marker={"line": {"color": "white", "width": 0.8}},
            hovertext=[f"<b>{n}</b><br>{MISSING}" for n in missing], hoverinfo="text", showlegend=False,
        ))
        fig.add_trace(go.Scattermap(  # a legend entry in the grey of the missing areas
            lon=[None], lat=[None], mode="markers", marker={"size": 14, "color": MISSING_COLOUR}, name=MISSING,
        ))
    if not frame.empty:
        limit = float(frame["value"].abs().max()) or 1.0
        # Sequential scales start at zero, so that a few published values do not look far apart.
        low = 0.0 if not diverging and float(frame["value"].min()) >= 0 else None
        suffix = {"procent": " %", "procentenheter": " p.e."}.get(unit, "")
        fig.add_trace(go.Choroplethmap(
            geojson=_subset(polygons, frame["area"]), locations=frame["area"], z=frame["value"], featureidkey="id",
            colorscale=DIVERGING if diverging else SEQUENTIAL,
            zmid=0 if diverging else None, zmin=-limit if diverging else low, zmax=limit,
            marker={"line": {"color": "white", "width": 0.8}},
            colorbar={"title": {"text": legend_title, "side": "right"}, "ticksuffix": suffix, "thickness": 14,
                      "separatethousands": True},
            hovertext=hover_texts(frame, unit, city_text, demo), hoverinfo="text", name=legend_title,
            showlegend=False,
        ))
    if water:
        fig.add_trace(go.Choroplethmap(
            geojson=water, locations=[f["id"] for f in water["features"]], z=[0] * len(water["features"]),
            featureidkey="id", colorscale=[[0, WATER_COLOUR], [1, WATER_COLOUR]], showscale=False,
            marker={"line": {"width": 0}}, hoverinfo="skip", name="Vatten", showlegend=False,
        ))
    if fokus:
        # Black outlines (safe on every palette and for colour-blind readers); the name shows on hover.
        # Text on the map itself would need fonts from the network.
        for i, feature in enumerate(fokus["features"]):
            lons, lats = outline_coordinates({"features": [feature]})
            fig.add_trace(go.Scattermap(
                lon=lons, lat=lats, mode="lines", name="Fokusområden", legendgroup="fokus", showlegend=i == 0,
                hovertext=f"Fokusområde {feature['id']}", hoverinfo="text",
                line={"color": "#111111" if highlight_fokus else "#555555", "width": 3.5 if highlight_fokus else 1.5},
            ))
    fig.update_layout(
        map={"style": "white-bg", "center": CENTRE, "zoom": 9.75},
        legend={"orientation": "v", "y": 0.02, "x": 0.01, "yanchor": "bottom", "bgcolor": "rgba(255,255,255,0.85)"},
        clickmode="event+select",
    )
    fig = apply_style(fig, demo=demo, height=height)
    # A map needs none of the template's axis and chart defaults (7 KiB in every figure).
    return fig.update_layout(template="none", paper_bgcolor="white")


def profile_chart(series: pd.DataFrame, area: str, unit: str, demo: bool = False) -> go.Figure:
    """The measure over time for one area against the city; one point per published period.

    The time axis is labelled in Swedish (periods as the reports write them) on a true time scale;
    with a single period there is no time to draw, so each series is a bar at that period.
    """
    fig = go.Figure()
    periods = list(dict.fromkeys(series["period"])) if not series.empty else []
    single = len(periods) == 1
    for name, rows in series.groupby("series", sort=False):
        hover = [f"{name}, {period_label(p)}: {format_value(v, unit)}" + (f"<br><b>{DEMO_LABEL}</b>" if demo else "")
                 for p, v in zip(rows["period"], rows["value"], strict=True)]
        if single:
            fig.add_trace(go.Bar(
                x=[period_label(p) for p in rows["period"]], y=rows["value"], name=name,
                text=[format_value(v, unit) for v in rows["value"]], textposition="outside", cliponaxis=False,
                marker={"color": "#2c3e50" if name == area else "#95a5a6"}, hovertext=hover, hoverinfo="text",
            ))
            continue
        fig.add_trace(go.Scatter(
            x=[period_midpoint(p).isoformat() for p in rows["period"]], y=rows["value"], mode="lines+markers",
            name=name, line={"width": 3 if name == area else 2, "dash": "solid" if name == area else "dot"},
            hovertext=hover, hoverinfo="text",
        ))
    if series.empty:
        fig.add_annotation(text=MISSING, x=0.5, y=0.5, xref="paper", yref="paper", showarrow=False)
    if single:
        fig.update_xaxes(type="category")
        fig.update_layout(barmode="group")
    elif periods:
        fig.update_xaxes(**time_axis(periods))
    fig.update_yaxes(title={"procent": "Procent", "procentenheter": "Procentenheter"}.get(unit, "Antal"),
                     rangemode="tozero")
    return apply_style(fig, demo=demo, height=360)
