"""Geodata för kartorna (utan Streamlit): stadsdelsgränser och vatten."""

from geo.boundaries import (
    GeoDataMissing,
    area_polygons,
    geo_dir,
    load_stadsdelar,
    load_water,
    water_geojson,
)

__all__ = ["GeoDataMissing", "area_polygons", "geo_dir", "load_stadsdelar", "load_water", "water_geojson"]
