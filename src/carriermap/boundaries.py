"""District boundaries (WGS-84, ``geo/districts.geojson``) and the joins that use them."""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd
import numpy as np
import shapely
from numpy.typing import ArrayLike

from carriermap.paths import DISTRICTS_FILE

WGS84 = "EPSG:4326"
# Albers equal-area conic fitted to China: areas in m² without the distortion of degrees.
CHINA_EQUAL_AREA = "+proj=aea +lat_0=0 +lon_0=105 +lat_1=25 +lat_2=47 +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"


@lru_cache(maxsize=1)
def _all_districts() -> gpd.GeoDataFrame:
    gdf = gpd.read_file(DISTRICTS_FILE)
    gdf = gdf.set_crs(WGS84, allow_override=True)
    for column in ("adcode", "city_adcode"):
        gdf[column] = gdf[column].astype(str)
    area = gdf.to_crs(CHINA_EQUAL_AREA).geometry.area / 1e6
    gdf["area_km2"] = area.round(2)
    return gdf


def districts(city_adcode: str | None = None) -> gpd.GeoDataFrame:
    """Districts (``adcode``, ``name``, ``name_en``, ``city_adcode``, ``area_km2``, geometry).

    Returns a copy: callers may change it freely.
    """
    return shared_districts(city_adcode).copy()


@lru_cache(maxsize=64)
def shared_districts(city_adcode: str | None = None) -> gpd.GeoDataFrame:
    """:func:`districts` read once per city and shared: for the map's every rerun. Never change it."""
    gdf = _all_districts()
    if city_adcode is not None:
        gdf = gdf[gdf["city_adcode"] == str(city_adcode)]
    return gdf.reset_index(drop=True)


def district_names(lang: str = "zh") -> dict[str, str]:
    """``{adcode: name}`` of every district in ``lang``."""
    gdf = _all_districts()
    column = "name_en" if lang == "en" else "name"
    return dict(zip(gdf["adcode"], gdf[column], strict=True))


def locate(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """District and city adcodes of WGS-84 points (``None`` where a point is in no district).

    Uses the boundaries' STRtree: a vectorised point-in-polygon join, not a loop.
    """
    gdf = _all_districts()
    points = shapely.points(np.asarray(lon, dtype="float64"), np.asarray(lat, dtype="float64"))
    district = np.full(len(points), None, dtype=object)
    city = np.full(len(points), None, dtype=object)
    if len(points) == 0:
        return district, city
    point_idx, poly_idx = gdf.sindex.query(points, predicate="intersects")
    # A point on a shared edge matches two districts: keep the first match.
    first = np.unique(point_idx, return_index=True)[1]
    point_idx, poly_idx = point_idx[first], poly_idx[first]
    district[point_idx] = gdf["adcode"].to_numpy()[poly_idx]
    city[point_idx] = gdf["city_adcode"].to_numpy()[poly_idx]
    return district, city


def city_outline(city_adcode: str):
    """The union of a city's districts (a shapely geometry)."""
    return shapely.union_all(districts(city_adcode).geometry.to_numpy())
