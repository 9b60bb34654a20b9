"""Where the map should look: the part of the city the filters leave, or a picked carrier.

Pure functions on bounds ``(west, south, east, north)`` in WGS-84 degrees. A chosen district
is fitted whole (its outline is the context); otherwise the carriers the filters leave, padded
so a handful of points close together still show their streets; with no filter, the city.
"""

from __future__ import annotations

import math
from collections.abc import Collection

import geopandas as gpd
import pandas as pd

from carriermap.mapview.district_layer import district_bounds

Bounds = tuple[float, float, float, float]
MIN_SPAN_M = 1500.0  # a fitted view is at least this wide: surroundings, not one dot
FOCUS_ZOOM = 13  # a shared carrier link opens here: the carrier and its neighbourhood (about 5 km across)


def padded(bounds: Bounds, min_span_m: float = MIN_SPAN_M) -> Bounds:
    """``bounds`` widened (about its centre) to at least ``min_span_m`` each way."""
    west, south, east, north = bounds
    lat = (south + north) / 2.0
    min_dlat = min_span_m / 111_320.0
    min_dlon = min_span_m / (111_320.0 * max(math.cos(math.radians(lat)), 0.01))
    if north - south < min_dlat:
        middle = (north + south) / 2.0
        south, north = middle - min_dlat / 2.0, middle + min_dlat / 2.0
    if east - west < min_dlon:
        middle = (east + west) / 2.0
        west, east = middle - min_dlon / 2.0, middle + min_dlon / 2.0
    return west, south, east, north


def points_bounds(carriers: pd.DataFrame) -> Bounds | None:
    """Bounds of the carriers' points (``lon``, ``lat``), or None when there are none."""
    lon, lat = carriers["lon"].astype(float), carriers["lat"].astype(float)
    placed = lon.notna() & lat.notna()  # unplaced carriers have no point
    if not placed.any():
        return None
    lon, lat = lon[placed], lat[placed]
    return float(lon.min()), float(lat.min()), float(lon.max()), float(lat.max())


def filter_bounds(shown: pd.DataFrame, districts: gpd.GeoDataFrame, chosen_districts: Collection[str],
                  city_bounds: Bounds | None, filtered: bool) -> Bounds | None:
    """What to fit after a filter change: the chosen districts, else the shown carriers (when
    filtered), else the city. None when there is nothing to fit."""
    if chosen_districts:
        bounds = district_bounds(districts, chosen_districts)
        if bounds is not None:
            return bounds
    if filtered:
        bounds = points_bounds(shown)
        if bounds is not None:
            return padded(bounds)
    return city_bounds
