"""Stadsdelsgränser, stadsdelsområdenas indelning över tid och fokusområden."""

from __future__ import annotations

import csv
import itertools
import json
import os
from datetime import date
from pathlib import Path

import numpy as np
import pytest
import shapely
from pyproj import Transformer

from dashboard.core import config
from geo import GeoDataMissing, area_polygons, geo_dir, load_stadsdelar, water_geojson
from geo.boundaries import STADSDELAR_FILE, WATER_FILE, load_water

DATA = Path(__file__).resolve().parents[1] / "data"
SDO_COUNT = {"2019-12-31": 14, "2020-07-01": 13, "2023-06-30": 13, "2023-07-01": 11, "2025-01-01": 11}
MAX_KIB = {"stadsdelsomrade": 50, "stadsdel": 120}


def _rows(folder: str, stem: str | None = None) -> list[dict[str, str]]:
    files = [DATA / folder / f"{stem}.csv"] if stem else sorted((DATA / folder).glob("*.csv"))
    return [row for path in files for row in csv.DictReader(path.open(encoding="utf-8"))]


AREAS = _rows("areas")
STADSDELAR = [r for r in AREAS if r["level"] == "stadsdel"]
GEO_NAME = {r["area"]: r["geo_name"] for r in STADSDELAR}
SDO_ROWS = [r for r in _rows("memberships", "stadsdelsomraden") if r["parent_level"] == "stadsdelsomrade"]


def _active(row: dict[str, str], day: str) -> bool:
    d = date.fromisoformat(day)
    start = date.fromisoformat(row["valid_from"]) if row["valid_from"] else date.min
    end = date.fromisoformat(row["valid_to"]) if row["valid_to"] else date.max
    return start <= d <= end


def _sdo_mapping(day: str) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((GEO_NAME[r["member"]], r["parent"]) for r in SDO_ROWS if _active(r, day)))


def _stadsdel_mapping() -> tuple[tuple[str, str], ...]:
    return tuple(sorted((geo_name, area) for area, geo_name in GEO_NAME.items()))


def _kib(obj: dict) -> float:
    return len(json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()) / 1024


def _metric(fc: dict) -> dict[str, shapely.Geometry]:
    to_3011 = Transformer.from_crs(4326, 3011, always_xy=True)

    def project(xy: np.ndarray) -> np.ndarray:
        return np.column_stack(to_3011.transform(xy[:, 0], xy[:, 1]))

    return {f["id"]: shapely.transform(shapely.geometry.shape(f["geometry"]), project) for f in fc["features"]}


@pytest.fixture(scope="module")
def geodata() -> Path:
    """Geodata finns i ../shared/geo på utvecklarmaskiner och i CI; hoppa bara över om mappen saknas."""
    try:
        return geo_dir()
    except GeoDataMissing:
        if os.environ.get("GEO_DIR"):
            raise
        pytest.skip(f"Geodata saknas ({config.geo_dir()} finns inte); sätt GEO_DIR för att köra geotesterna.")


# --- data/ files (no geodata needed) -------------------------------------------------------------


def test_stadsdelar_file_has_117_unique_rows():
    assert len(STADSDELAR) == 117
    assert len(set(GEO_NAME)) == 117 and len(set(GEO_NAME.values())) == 117
    assert all(r["geo_name"] for r in STADSDELAR)


def test_area_keys_are_unique_across_area_files():
    keys = [(r["area"], r["level"]) for r in AREAS]
    assert len(keys) == len(set(keys))


@pytest.mark.parametrize("day", list(SDO_COUNT))
def test_every_stadsdel_in_exactly_one_stadsdelsomrade(day):
    parents: dict[str, list[str]] = {name: [] for name in GEO_NAME}
    for r in SDO_ROWS:
        assert r["member"] in GEO_NAME, r["member"]
        if _active(r, day):
            parents[r["member"]].append(r["parent"])
    assert {k: v for k, v in parents.items() if len(v) != 1} == {}
    assert len({p[0] for p in parents.values()}) == SDO_COUNT[day]


def test_stadsdelsomraden_exist_and_sources_are_cited():
    sdo = {r["area"] for r in AREAS if r["level"] == "stadsdelsomrade"}
    sources = {r["source"] for r in csv.DictReader((DATA / "sources.csv").open(encoding="utf-8"))}
    for r in SDO_ROWS:
        assert r["parent"] in sdo, r["parent"]
        assert r["source"] in sources, r["source"]
        assert r["valid_from"] >= "2007-01-01"


def test_fokusomraden_contain_only_existing_stadsdelar():
    fokus = {r["area"] for r in AREAS if r["level"] == "fokusomrade"}
    rows = _rows("memberships", "fokusomraden")
    assert {r["parent"] for r in rows} == fokus == {"Järva", "Farsta", "Hagsätra-Rågsved", "Skärholmen"}
    for r in rows:
        assert r["member_level"] == "stadsdel" and r["member"] in GEO_NAME, r["member"]
        assert r["parent_level"] == "fokusomrade" and r["source"] == "fokusomraden_stockholm_vaxer"  # the city's pages
    assert len({(r["member"], r["parent"]) for r in rows}) == len(rows)


# --- boundary files -------------------------------------------------------------------------------


def test_missing_geo_dir_names_the_path(monkeypatch, tmp_path):
    missing = tmp_path / "finns-inte"
    monkeypatch.setenv("GEO_DIR", str(missing))
    with pytest.raises(GeoDataMissing) as err:
        geo_dir()
    assert str(missing) in str(err.value)
    assert "GEO_DIR" in str(err.value) and "dataportalen.stockholm.se" in str(err.value)
    assert isinstance(err.value, FileNotFoundError)


def test_shared_dir_alone_locates_the_geodata(monkeypatch, tmp_path, geodata):
    """With only SHARED_DIR set (as the README says), the boundaries are read from SHARED_DIR/geo."""
    (tmp_path / "geo").symlink_to(geodata, target_is_directory=True)
    monkeypatch.delenv("GEO_DIR", raising=False)
    monkeypatch.setenv("SHARED_DIR", str(tmp_path))
    assert geo_dir() == tmp_path / "geo"
    assert (geo_dir() / STADSDELAR_FILE).exists()
    assert not load_water.__wrapped__().empty  # read through the SHARED_DIR path, not the cache


def test_missing_shared_geo_names_shared_dir_path(monkeypatch, tmp_path):
    monkeypatch.delenv("GEO_DIR", raising=False)
    monkeypatch.setenv("SHARED_DIR", str(tmp_path))
    with pytest.raises(GeoDataMissing) as err:
        geo_dir()
    assert str(tmp_path / "geo") in str(err.value) and "SHARED_DIR" in str(err.value)


def test_geo_dir_overrides_shared_dir(monkeypatch, tmp_path):
    own = tmp_path / "egen"
    (own / STADSDELAR_FILE).parent.mkdir(parents=True)
    (own / STADSDELAR_FILE).touch()
    (own / WATER_FILE).parent.mkdir(parents=True)
    monkeypatch.setenv("SHARED_DIR", str(tmp_path / "annan"))
    monkeypatch.setenv("GEO_DIR", str(own))
    assert geo_dir() == own


def test_117_stadsdelar_match_the_csv(geodata):
    gdf = load_stadsdelar()
    assert len(gdf) == 117
    assert gdf.crs.to_epsg() == 3011
    assert set(gdf["geo_name"]) == set(GEO_NAME.values())
    assert shapely.coverage_is_valid(gdf.geometry.to_numpy())


@pytest.mark.parametrize("day", list(SDO_COUNT))
def test_sdo_polygons_have_no_overlaps_or_gaps(geodata, day):
    fc = area_polygons(_sdo_mapping(day))
    assert len(fc["features"]) == SDO_COUNT[day]
    assert all(f["id"] == f["properties"]["area"] for f in fc["features"])
    sdo = _metric(fc)
    assert all(g.is_valid for g in sdo.values())
    for a, b in itertools.combinations(sdo.values(), 2):
        assert shapely.intersection(a, b).area < 1.0  # m²
    parts = _metric(area_polygons(_stadsdel_mapping()))
    assert len(parts) == 117 and shapely.coverage_is_valid(list(parts.values()))
    total = sum(g.area for g in parts.values())
    assert shapely.union_all(list(sdo.values())).area == pytest.approx(total, rel=0.005)
    assert sum(g.area for g in sdo.values()) == pytest.approx(total, rel=0.005)


def test_json_sizes(geodata):
    for day in SDO_COUNT:
        assert _kib(area_polygons(_sdo_mapping(day))) < MAX_KIB["stadsdelsomrade"]
    assert _kib(area_polygons(_stadsdel_mapping())) < MAX_KIB["stadsdel"]
    assert _kib(water_geojson()) < 60


def test_fokusomraden_polygons(geodata):
    rows = _rows("memberships", "fokusomraden")
    fc = area_polygons(tuple(sorted((GEO_NAME[r["member"]], r["parent"]) for r in rows)))
    assert [f["id"] for f in fc["features"]] == ["Farsta", "Hagsätra-Rågsved", "Järva", "Skärholmen"]


def test_unknown_geo_name_is_an_error(geodata):
    with pytest.raises(ValueError, match="finns inte"):
        area_polygons((("ATLANTIS", "X"),))


def test_geo_package_does_not_import_streamlit():
    for path in (Path(__file__).resolve().parents[1] / "geo").glob("*.py"):
        assert "streamlit" not in path.read_text(encoding="utf-8"), path.name
