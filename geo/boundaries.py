"""Stockholms stadsdelsgränser för kartorna.

Gränserna (CC0, Stockholms stads dataportal) läses från en mapp utanför repot: miljövariabeln GEO_DIR,
annars ``$SHARED_DIR/geo`` (``dashboard.core.config.geo_dir``). De kopieras aldrig in i repot.

Val av underlag: filen ``stadsdelar_utan_vatten`` (och de förenklade filerna) är förenklade en stadsdel i
taget, så grannar har olika gränslinjer (glipor och överlapp på sammanlagt ca 2 ha) – ingen giltig täckning.
Vi utgår därför från fullstora stadsdelar (med vatten, EPSG:3011), lagar dem till en giltig täckning
och förenklar hela täckningen på en gång med ``shapely.coverage_simplify``: grannar behåller en enda
gemensam gräns. Sjöar och hav ritas ovanpå som ett eget lager (``water_geojson``, ca 31 KiB). Med
toleransen 20 m blir JSON för 117 stadsdelar ca 96 KiB och för 11–14 stadsdelsområden 27–31 KiB.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from pyproj import Transformer

from dashboard.core import config

STADSDELAR_FILE = Path("stockholm-stadsdelar/shapefiles/fullsize/stadsdelar.shp")
WATER_FILE = Path("stockholm-stadsdelar/geojson/simplified/vatten.geo.json")
METRIC_CRS = 3011  # SWEREF99 18 00, meter
DEFAULT_TOLERANCE_M = 20.0
SNAP_GRID_M = 1.0  # källans gränser möts inte exakt (glipor/överlapp < 1 m); vi snäpper till 1 m-rutnät


class GeoDataMissing(FileNotFoundError):
    """Geodatamappen eller stadsdelsfilen saknas."""


def _missing(path: Path) -> GeoDataMissing:
    return GeoDataMissing(
        f"Geodata för Stockholms stadsdelar saknas: hittar inte {path}. "
        "Gränserna är öppna data (CC0) från Stockholms stads dataportal, dataportalen.stockholm.se "
        '(datamängden "Stadskarta", lagret stadsdelar). Lägg dem i en mapp med samma uppställning '
        f"({STADSDELAR_FILE}, {WATER_FILE}) och peka ut mappen med miljövariabeln GEO_DIR, "
        f"t.ex. GEO_DIR=/sökväg/till/geo. Utan GEO_DIR letar vi i {config.shared_dir() / 'geo'} "
        "(SHARED_DIR/geo)."
    )


def geo_dir() -> Path:
    """Mappen med geodata: GEO_DIR, annars SHARED_DIR/geo (se ``dashboard.core.config.geo_dir``)."""
    folder = config.geo_dir()
    for path in (folder, folder / STADSDELAR_FILE):
        if not path.exists():
            raise _missing(path)
    return folder


def _read(relative: Path) -> gpd.GeoDataFrame:
    path = geo_dir() / relative
    if not path.exists():
        raise _missing(path)
    return gpd.read_file(path).to_crs(METRIC_CRS)


def _as_coverage(geoms: np.ndarray) -> np.ndarray:
    """Gör stadsdelarna till en giltig täckning: nodade gränser, varje yta till den stadsdel den mest tillhör."""
    lines = shapely.union_all(shapely.boundary(geoms), grid_size=SNAP_GRID_M)
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(lines)))
    face_idx, geom_idx = shapely.STRtree(geoms).query(faces, predicate="intersects")
    overlap = shapely.area(shapely.intersection(faces[face_idx], geoms[geom_idx]))
    owner = np.full(len(faces), -1)
    best = np.zeros(len(faces))
    for f, g, a in zip(face_idx, geom_idx, overlap, strict=True):
        if a > best[f] and a > 0.5 * shapely.area(faces[f]):  # ytor utanför alla stadsdelar förblir glipor
            owner[f], best[f] = g, a
    parts = [faces[owner == i] for i in range(len(geoms))]
    if any(len(p) == 0 for p in parts):
        raise ValueError("En stadsdel försvann när gränserna lagades – kontrollera geodatafilen.")
    return np.array([shapely.coverage_union_all(p) for p in parts])


@functools.lru_cache(maxsize=1)
def load_stadsdelar() -> gpd.GeoDataFrame:
    """De 117 stadsdelarna (geo_name, geometry) i EPSG:3011 som en giltig täckning. Delas: ändra inte."""
    raw = _read(STADSDELAR_FILE)
    gdf = gpd.GeoDataFrame(
        {"geo_name": raw["name"].to_numpy()}, geometry=_as_coverage(raw.geometry.to_numpy()), crs=METRIC_CRS
    )
    return gdf.sort_values("geo_name", ignore_index=True)


@functools.lru_cache(maxsize=1)
def load_water() -> gpd.GeoDataFrame:
    """Sjöar och hav inom staden som en (multi)polygon i EPSG:3011. Delas: ändra inte."""
    return _read(WATER_FILE)[["geometry"]]


@functools.lru_cache(maxsize=8)
def _simplified(tolerance_m: float) -> dict[str, shapely.Geometry]:
    gdf = load_stadsdelar()
    geoms = shapely.coverage_simplify(gdf.geometry.to_numpy(), tolerance_m)
    return dict(zip(gdf["geo_name"], geoms, strict=True))


@functools.lru_cache(maxsize=1)
def _transformer() -> Transformer:
    return Transformer.from_crs(METRIC_CRS, 4326, always_xy=True)


def _to_wgs84(geom: shapely.Geometry, decimals: int) -> dict[str, Any]:
    def project(xy: np.ndarray) -> np.ndarray:
        lon, lat = _transformer().transform(xy[:, 0], xy[:, 1])
        return np.round(np.column_stack([lon, lat]), decimals)

    # Grannar har samma hörn, så avrundningen ger fortfarande en gemensam gräns.
    return shapely.geometry.mapping(shapely.transform(geom, project))


def _collection(features: list[dict[str, Any]]) -> dict[str, Any]:
    return {"type": "FeatureCollection", "features": features}


@functools.lru_cache(maxsize=32)
def area_polygons(
    mapping: tuple[tuple[str, str], ...], tolerance_m: float = DEFAULT_TOLERANCE_M, decimals: int = 5
) -> dict[str, Any]:
    """GeoJSON (WGS84) med en yta per område; ``mapping`` är par (geo_name, område).

    Stadsdelar utanför ``mapping`` ritas inte. Feature-``id`` och egenskapen ``area`` är områdets namn.
    Resultatet cachas och delas mellan anrop: ändra inte i det.
    """
    simplified = _simplified(float(tolerance_m))
    groups: dict[str, list[shapely.Geometry]] = {}
    seen: dict[str, str] = {}
    for geo_name, area in mapping:
        if geo_name not in simplified:
            raise ValueError(f"Stadsdelen '{geo_name}' finns inte i gränsfilen.")
        if seen.setdefault(geo_name, area) != area:
            raise ValueError(f"Stadsdelen '{geo_name}' hör till både '{seen[geo_name]}' och '{area}'.")
        groups.setdefault(area, []).append(simplified[geo_name])
    features = [
        {
            "type": "Feature",
            "id": area,
            "properties": {"area": area},
            "geometry": _to_wgs84(shapely.coverage_union_all(geoms), decimals),
        }
        for area, geoms in sorted(groups.items())
    ]
    return _collection(features)


@functools.lru_cache(maxsize=8)
def water_geojson(
    tolerance_m: float = DEFAULT_TOLERANCE_M, decimals: int = 5, min_area_m2: float = 10_000.0
) -> dict[str, Any]:
    """Vatten att rita ovanpå områdena (GeoJSON, WGS84); sjöar under ``min_area_m2`` utelämnas."""
    parts = shapely.get_parts(load_water().geometry.to_numpy())
    water = shapely.simplify(shapely.multipolygons(parts[shapely.area(parts) >= min_area_m2]), tolerance_m)
    feature = {
        "type": "Feature",
        "id": "vatten",
        "properties": {"name": "Vatten"},
        "geometry": _to_wgs84(water, decimals),
    }
    return _collection([feature])
