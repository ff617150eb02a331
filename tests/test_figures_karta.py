"""The map: areas named at stadsdelsområde level, readable hover, missing areas off the colour scale."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import shapely.geometry
from plotly.colors import hex_to_rgb

from dashboard.core.numbers import MISSING
from dashboard.figures import karta
from dashboard.figures.style import DIVERGING, MISSING_COLOUR


def square(name: str, lon: float, lat: float, size: float = 0.02, clockwise: bool = False) -> dict:
    ring = [[lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]
    return {"type": "Feature", "id": name, "properties": {"area": name},
            "geometry": {"type": "Polygon", "coordinates": [ring[::-1] if clockwise else ring]}}


POLYGONS = {"type": "FeatureCollection", "features": [
    square("Rinkeby-Kista", 17.90, 59.38), square("Skärholmen", 17.90, 59.27), square("Farsta", 18.08, 59.24),
    square("Enskede-Årsta-Vantör", 18.05, 59.28, clockwise=True)]}


def values(**by_area: float) -> pd.DataFrame:
    return pd.DataFrame({"area": list(by_area), "value": list(by_area.values()), "source": "AR 2022",
                         "source_location": "rad 40", "group_note": ""})


def draw(frame: pd.DataFrame, **options) -> go.Figure:
    return karta.area_map(POLYGONS, frame, unit="antal", legend_title="Antal", city_text="100", **options)


def test_stadsdelsomraden_are_named_on_the_map_inside_their_area() -> None:
    fig = draw(values(**{"Rinkeby-Kista": 10.0, "Skärholmen": 3.0, "Farsta": 0.5, "Enskede-Årsta-Vantör": 7.0}))
    names = next(t for t in fig.data if t.type == "scattergeo" and t.mode == "text")
    assert fig.data[0] is names  # first, so that plotly.js fetches no topojson from the internet
    assert [t.replace("<br>", "") for t in names.text] == [f["id"] for f in POLYGONS["features"]]
    for lon, lat, feature in zip(names.lon, names.lat, POLYGONS["features"], strict=True):
        assert shapely.geometry.shape(feature["geometry"]).contains(shapely.geometry.Point(lon, lat))
    assert fig.layout.hoverlabel.font.size >= 14
    assert fig.layout.geo.visible is False and fig.layout.map.style is None  # no tiles, no tile-map text


def test_many_areas_are_named_on_hover_only() -> None:
    fig = draw(values(**{"Rinkeby-Kista": 10.0}), labels=False)
    assert all(t.mode != "text" or list(t.text) == [""] for t in fig.data if t.type == "scattergeo")
    assert fig.layout.hoverlabel.font.size >= 14


def test_labels_contrast_with_their_fill() -> None:
    fig = draw(values(**{"Rinkeby-Kista": 10.0, "Skärholmen": 0.2}))
    colours = dict(zip(POLYGONS_IDS, fig.data[0].textfont.color, strict=True))
    assert colours["Rinkeby-Kista"] == "#ffffff" and colours["Skärholmen"] == "#111111"


POLYGONS_IDS = [f["id"] for f in POLYGONS["features"]]


def test_missing_is_hatched_grey_off_the_diverging_scale_and_in_the_legend() -> None:
    fig = draw(values(**{"Rinkeby-Kista": 4.0, "Skärholmen": -0.1, "Farsta": -4.0}), diverging=True)
    scale = next(t for t in fig.data if t.type == "choropleth" and t.showscale is not False)
    assert scale.zmid == 0 and "Enskede-Årsta-Vantör" not in scale.locations
    missing = next(t for t in fig.data if t.type == "choropleth" and t.name == MISSING)
    assert list(missing.locations) == ["Enskede-Årsta-Vantör"]
    assert {c for _, c in missing.colorscale} == {MISSING_COLOUR}
    near_zero = karta.sample_colorscale(DIVERGING, [0.5], colortype="tuple")[0]
    grey = [c / 255 for c in hex_to_rgb(MISSING_COLOUR)]
    # a value near zero is drawn clearly lighter than the missing grey (which is hatched besides)
    assert sum(near_zero) / 3 - sum(grey) / 3 > 0.2
    hatch = next(t for t in fig.data if t.type == "scattergeo" and t.name == f"{MISSING} (streckat)")
    legend = next(t for t in fig.data if t.type == "scattergeo" and t.name == f"{MISSING} (grått, streckat)")
    assert hatch.mode == "lines" and legend.showlegend is not False
    assert legend.marker.color == MISSING_COLOUR and legend.marker.symbol == "square-x"
    segments = [(a, b) for a, b in zip(hatch.lon, hatch.lon[1:], strict=False) if a is not None and b is not None]
    assert len(segments) >= 2  # the hatching really crosses the missing area
    inside = shapely.geometry.shape(POLYGONS["features"][3]["geometry"]).buffer(1e-3)
    assert all(inside.contains(shapely.geometry.Point(x, y)) for x, y in zip(hatch.lon, hatch.lat, strict=True)
               if x is not None)


def test_polygons_are_wound_for_d3() -> None:
    """Outer rings clockwise whatever the input, or d3 fills the globe outside the area."""
    fig = draw(values(**{"Rinkeby-Kista": 1.0, "Skärholmen": 2.0, "Farsta": 3.0, "Enskede-Årsta-Vantör": 4.0}))
    scale = next(t for t in fig.data if t.type == "choropleth" and t.showscale is not False)
    for feature in scale.geojson["features"]:
        ring = feature["geometry"]["coordinates"][0]
        assert shapely.geometry.LinearRing(ring).is_ccw is False
