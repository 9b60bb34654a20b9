"""Links that open a route to a carrier: Amap (GCJ-02 coordinates) and OpenStreetMap (WGS-84).

Amap's URI API expects GCJ-02 when ``coordinate=gaode``: a WGS-84 point passed unshifted
would land about 600 m off in these cities. OpenStreetMap uses WGS-84 as stored.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import quote

import numpy as np

from carriermap.coords import wgs84_to_gcj02

AMAP_NAVIGATION = "https://uri.amap.com/navigation"
OSM_DIRECTIONS = "https://www.openstreetmap.org/directions"
OSM_SITE = "https://www.openstreetmap.org/"


def _gcj(lon: float, lat: float) -> str:
    g_lon, g_lat = wgs84_to_gcj02(lon, lat)
    return f"{float(g_lon):.6f},{float(g_lat):.6f}"


def _label(name: str) -> str:
    return str(name or "").replace(",", " ").replace("&", " ").strip()[:60]


def amap_route_url(destination: tuple[float, float], name: str = "",
                   origin: tuple[float, float] | None = None, origin_name: str = "", mode: str = "bus") -> str:
    """An Amap route (``mode`` bus, car, walk or ride) to ``destination`` (WGS-84 lon, lat in, GCJ-02 out)."""
    return amap_route_urls([destination[0]], [destination[1]], [name], origin, origin_name, mode)[0]


def amap_route_urls(lons: Iterable[float], lats: Iterable[float], names: Iterable[str],
                    origin: tuple[float, float] | None = None, origin_name: str = "", mode: str = "bus") -> list[str]:
    """Amap routes (``mode`` bus, car, walk or ride) to many destinations (WGS-84 lon, lat in, GCJ-02 out):
    one GCJ-02 shift for all of them, the query text put together once."""
    g_lon, g_lat = wgs84_to_gcj02(np.asarray(list(lons), dtype="float64"), np.asarray(list(lats), dtype="float64"))
    start = f"&from={quote(f'{_gcj(*origin)},{_label(origin_name)}', safe=',')}" if origin is not None else ""
    rest = f"{start}&mode={quote(mode, safe=',')}&coordinate=gaode&callnative=0&src=carriermap"
    return [f"{AMAP_NAVIGATION}?to={x:.6f},{y:.6f},{quote(_label(name), safe=',')}{rest}"
            for x, y, name in zip(g_lon.tolist(), g_lat.tolist(), names, strict=True)]


def osm_route_urls(lons: Iterable[float], lats: Iterable[float],
                   origin: tuple[float, float] | None = None) -> list[str]:
    """OpenStreetMap directions from ``origin`` to each destination (WGS-84), or each place alone."""
    if origin is None:
        return [f"{OSM_SITE}?mlat={lat:.6f}&mlon={lon:.6f}#map=17/{lat:.6f}/{lon:.6f}"
                for lon, lat in zip(lons, lats, strict=True)]
    start = f"{OSM_DIRECTIONS}?route={origin[1]:.6f},{origin[0]:.6f}{quote(';')}"
    return [f"{start}{lat:.6f},{lon:.6f}" for lon, lat in zip(lons, lats, strict=True)]


def osm_route_url(destination: tuple[float, float], origin: tuple[float, float] | None = None) -> str:
    """:func:`osm_route_urls` of one destination."""
    return osm_route_urls([destination[0]], [destination[1]], origin)[0]
