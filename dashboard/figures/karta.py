"""The map: areas coloured by a measure and named, missing areas grey and hatched, water and fokusområden on top."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import shapely
import shapely.affinity
import shapely.geometry
from plotly.colors import sample_colorscale
from shapely.ops import polylabel

from dashboard.core.numbers import MISSING, format_value
from dashboard.core.periods import period_label, period_midpoint, time_axis
from dashboard.figures.style import DEMO_LABEL, DIVERGING, MISSING_COLOUR, SEQUENTIAL, apply_style

WATER_COLOUR = "#e6eef5"
WATER_DETAIL = {"tolerance_m": 60.0, "decimals": 4, "min_area_m2": 200_000.0}  # lakes drawn, as simplified
HATCH_COLOUR = "#555555"
HATCH_SPACING = 0.009  # degrees of latitude between hatch lines, about 1 km
LABEL_LIMIT = 20  # areas named on the map itself (stadsdelsområden); more are named on hover
_LON_SCALE = math.cos(math.radians(59.32))  # east–west length of a degree of longitude in Stockholm


def ranked(values: pd.DataFrame) -> pd.DataFrame:
    """Adds 'rank' (1 = highest value, whatever is better) among the areas that have a value."""
    out = values.copy()
    out["rank"] = out["value"].rank(ascending=False, method="min").astype("Int64")
    return out


def hover_texts(values: pd.DataFrame, unit: str, city_text: str, demo: bool) -> list[str]:
    """Name, value with unit, the city's value, rank and source, one string per area."""
    total = int(values["value"].notna().sum())
    texts = []
    for row in values.itertuples():
        lines = [f"<b>{row.area}</b>", format_value(row.value, unit, qualifier=getattr(row, "qualifier", None))]
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


def _clockwise(geojson: dict[str, Any]) -> dict[str, Any]:
    """The rings turned as d3-geo (Plotly's geo subplot) wants them: outer rings clockwise, holes not.

    With the other orientation a polygon is read as the whole globe minus itself.
    """
    def turned(ring: list, outer: bool) -> list:
        area = sum(x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:], strict=False))
        return ring[::-1] if (area > 0) == outer else ring

    features = []
    for feature in geojson["features"]:
        geometry = feature["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
        fixed = [[turned(ring, i == 0) for i, ring in enumerate(polygon)] for polygon in polygons]
        features.append({**feature, "geometry": {
            "type": geometry["type"], "coordinates": fixed if geometry["type"] == "MultiPolygon" else fixed[0]}})
    return {"type": "FeatureCollection", "features": features}


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


def _planar(geometry: dict[str, Any]) -> shapely.Geometry:
    """A feature's shape with longitude scaled so that a unit is as long east–west as north–south."""
    return shapely.affinity.scale(shapely.geometry.shape(geometry), xfact=_LON_SCALE, yfact=1, origin=(0, 0))


def label_points(geojson: dict[str, Any]) -> tuple[list[float], list[float]]:
    """Lon/lat of a point well inside each area (pole of inaccessibility of its largest part)."""
    lons, lats = [], []
    for feature in geojson["features"]:
        shape = _planar(feature["geometry"])
        largest = max(shapely.get_parts(shape), key=lambda part: part.area)
        point = polylabel(largest, tolerance=0.0003)
        lons.append(round(point.x / _LON_SCALE, 4))
        lats.append(round(point.y, 4))
    return lons, lats


def label_text(name: str) -> str:
    """An area's name for the map, a long double name over two lines ("Enskede-<br>Årsta-Vantör")."""
    if len(name) > 12 and "-" in name:
        head, tail = name.split("-", 1)
        return f"{head}-<br>{tail}"
    return name


def label_colours(names: list[str], frame: pd.DataFrame, diverging: bool) -> list[str]:
    """Black names on light areas, white on dark ones (the fill as the colour scale draws it)."""
    values = frame.set_index("area")["value"]
    limit = float(values.abs().max()) if len(values) else 1.0
    low = -limit if diverging else min(0.0, float(values.min()) if len(values) else 0.0)
    out = []
    for name in names:
        if name not in values.index or pd.isna(values[name]):
            out.append("#111111")
            continue
        where = (float(values[name]) - low) / ((limit - low) or 1.0)
        fill = sample_colorscale(DIVERGING if diverging else SEQUENTIAL, [min(max(where, 0.0), 1.0)],
                                 colortype="tuple")[0]
        red, green, blue = (c / 255 if c > 1 else c for c in fill)
        out.append("#ffffff" if 0.299 * red + 0.587 * green + 0.114 * blue < 0.55 else "#111111")
    return out


def hatch_lines(geojson: dict[str, Any], spacing: float = HATCH_SPACING) -> tuple[list, list]:
    """Diagonal hatching clipped to the areas, as lon/lat line segments separated by None."""
    lons: list[float | None] = []
    lats: list[float | None] = []
    for feature in geojson["features"]:
        shape = _planar(feature["geometry"])
        x0, y0, x1, y1 = shape.bounds
        offsets = np.arange(np.floor((y0 - x1) / spacing) * spacing, y1 - x0 + spacing, spacing)
        lines = shapely.MultiLineString([[(x0, x0 + c), (x1, x1 + c)] for c in offsets])
        for segment in shapely.get_parts(shapely.intersection(shape, lines)):
            if isinstance(segment, shapely.LineString) and not segment.is_empty:
                (ax, ay), (bx, by) = segment.coords[0], segment.coords[-1]
                lons += [round(ax / _LON_SCALE, 4), round(bx / _LON_SCALE, 4), None]
                lats += [round(ay, 4), round(by, 4), None]
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
    labels: bool | None = None,
    height: int = 680,
) -> go.Figure:
    """`values` has columns area, value, source (and optional group_note); areas without a value are missing.

    Drawn on Plotly's geo subplot (SVG, no tiles): names on the map need no fonts from the network, unlike
    the tile maps' text. `labels` names the areas on the map; by default when there are few of them (the
    stadsdelsområden), while the 117 stadsdelar are named on hover. Missing areas are grey and hatched,
    off the colour scale, so that they are never read as a value near zero.
    """
    names = [f["id"] for f in polygons["features"]]
    frame = ranked(values[values["area"].isin(names)])
    missing = [n for n in names if n not in set(frame["area"])]
    labels = len(names) <= LABEL_LIMIT if labels is None else labels
    fig = go.Figure()
    # A geo trace with lon/lat comes first: plotly.js looks only at the first trace when deciding whether to
    # fetch its world topojson from the internet (it is not needed: geo.visible is off).
    lons, lats = label_points(polygons) if labels else ([], [])
    fig.add_trace(go.Scattergeo(
        lon=lons or [None], lat=lats or [None], mode="text", text=[label_text(n) for n in names] if labels else [""],
        textfont={"size": 12, "color": label_colours(names, frame, diverging) if labels else "#111111",
                  "shadow": "auto"},
        hoverinfo="skip", showlegend=False, name="Namn",
    ))
    if missing:
        subset = _clockwise(_subset(polygons, missing))
        fig.add_trace(go.Choropleth(
            geojson=subset, locations=missing, z=[0] * len(missing), featureidkey="id",
            colorscale=[[0, MISSING_COLOUR], [1, MISSING_COLOUR]], showscale=False, name=MISSING,
            marker={"line": {"color": "white", "width": 0.8}},
            hovertext=[f"<b>{n}</b><br>{MISSING}" for n in missing], hoverinfo="text", showlegend=False,
        ))
        hatch_lon, hatch_lat = hatch_lines(subset)
        fig.add_trace(go.Scattergeo(  # the hatching
            lon=hatch_lon or [None], lat=hatch_lat or [None], mode="lines", name=f"{MISSING} (streckat)",
            line={"color": HATCH_COLOUR, "width": 1}, hoverinfo="skip", showlegend=False, legendgroup=MISSING,
        ))
        fig.add_trace(go.Scattergeo(  # the legend entry: a grey square crossed like the hatched areas
            lon=[None], lat=[None], mode="markers", name=f"{MISSING} (grått, streckat)", legendgroup=MISSING,
            marker={"symbol": "square-x", "size": 16, "color": MISSING_COLOUR,
                    "line": {"color": HATCH_COLOUR, "width": 1}},
        ))
    if not frame.empty:
        limit = float(frame["value"].abs().max()) or 1.0
        # Sequential scales start at zero, so that a few published values do not look far apart.
        low = 0.0 if not diverging and float(frame["value"].min()) >= 0 else None
        suffix = {"procent": " %", "procentenheter": " p.e."}.get(unit, "")
        fig.add_trace(go.Choropleth(
            geojson=_clockwise(_subset(polygons, frame["area"])), locations=frame["area"], z=frame["value"],
            featureidkey="id", colorscale=DIVERGING if diverging else SEQUENTIAL,
            zmid=0 if diverging else None, zmin=-limit if diverging else low, zmax=limit,
            marker={"line": {"color": "white", "width": 0.8}},
            colorbar={"title": {"text": legend_title, "side": "right"}, "ticksuffix": suffix, "thickness": 14,
                      "separatethousands": True},
            hovertext=hover_texts(frame, unit, city_text, demo), hoverinfo="text", name=legend_title,
            showlegend=False,
        ))
    if water:
        fig.add_trace(go.Choropleth(
            geojson=_clockwise(water), locations=[f["id"] for f in water["features"]], z=[0] * len(water["features"]),
            featureidkey="id", colorscale=[[0, WATER_COLOUR], [1, WATER_COLOUR]], showscale=False,
            marker={"line": {"width": 0}}, hoverinfo="skip", name="Vatten", showlegend=False,
        ))
    if fokus:
        # Black outlines (safe on every palette and for colour-blind readers); the name shows on hover.
        for i, feature in enumerate(fokus["features"]):
            lons, lats = outline_coordinates({"features": [feature]})
            fig.add_trace(go.Scattergeo(
                lon=lons, lat=lats, mode="lines", name="Fokusområden", legendgroup="fokus", showlegend=i == 0,
                hovertext=f"Fokusområde {feature['id']}", hoverinfo="text",
                line={"color": "#111111" if highlight_fokus else "#555555", "width": 3.5 if highlight_fokus else 1.5},
            ))
    fig.update_layout(
        geo={"visible": False, "fitbounds": "locations", "projection": {"type": "mercator"}, "bgcolor": "white"},
        legend={"orientation": "v", "y": 0.02, "x": 0.01, "yanchor": "bottom", "bgcolor": "rgba(255,255,255,0.85)"},
        clickmode="event+select", hoverlabel={"font": {"size": 15}},
    )
    # A map needs none of the template's axis and chart defaults (7 KiB in every figure).
    fig = apply_style(fig, demo=demo, height=height, template="none")
    return fig.update_layout(paper_bgcolor="white", margin={"l": 0, "r": 0})


def profile_chart(series: pd.DataFrame, area: str, unit: str, demo: bool = False) -> go.Figure:
    """The measure over time for one area against the city; one point per published period.

    The time axis is labelled in Swedish (periods as the reports write them) on a true time scale;
    with a single period there is no time to draw, so each series is a bar at that period.
    """
    fig = go.Figure()
    periods = list(dict.fromkeys(series["period"])) if not series.empty else []
    single = len(periods) == 1
    for name, rows in series.groupby("series", sort=False):
        words = list(rows["qualifier"]) if "qualifier" in rows else [None] * len(rows)
        texts = [format_value(v, unit, qualifier=q) for v, q in zip(rows["value"], words, strict=True)]
        hover = [f"{name}, {period_label(p)}: {t}" + (f"<br><b>{DEMO_LABEL}</b>" if demo else "")
                 for p, t in zip(rows["period"], texts, strict=True)]
        if single:
            fig.add_trace(go.Bar(
                x=[period_label(p) for p in rows["period"]], y=rows["value"], name=name,
                text=texts, textposition="outside", cliponaxis=False,
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
