"""The base map: OpenStreetMap, Gaode (GCJ-02) or no tiles, on self-hosted Leaflet.

Gaode tiles are drawn in GCJ-02: anything drawn over them must be shifted with
:func:`carriermap.coords.wgs84_to_gcj02` first (:func:`needs_gcj02`). With no internet the
tiles are simply missing; polygons and markers still draw (Leaflet is served by the app).
"""

from __future__ import annotations

from typing import Literal

import folium

from carriermap.mapview.assets import LEAFLET_CSS, LEAFLET_JS, localise

Basemap = Literal["osm", "gaode", "none"]
BASEMAPS: tuple[str, ...] = ("osm", "gaode", "none")
MAX_ZOOM = 18

_TILES = {
    "osm": ("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>', None),
    "gaode": ("https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
              "&copy; 高德地图 AutoNavi", "1234"),
}


def needs_gcj02(basemap: str) -> bool:
    """True when features must be shifted to GCJ-02 to sit on the right street."""
    return basemap == "gaode"


def base_map(center: tuple[float, float], zoom: int, basemap: Basemap = "osm", *, tile_control: bool = True,
             **options) -> folium.Map:
    """A ``folium.Map`` centred on ``center`` (lon, lat, WGS-84) using only self-hosted assets.

    ``center`` is always WGS-84; it is shifted for a Gaode basemap by the caller's choice of
    :func:`needs_gcj02`. ``tile_control=False`` keeps the tile layer out of a layer control
    (when the page offers the basemap choice itself). Extra ``options`` go to ``folium.Map``.
    """
    lon, lat = center
    fmap = folium.Map(location=[lat, lon], zoom_start=zoom, tiles=None, control_scale=True,
                      max_zoom=MAX_ZOOM, **options)
    fmap.options["max_zoom"] = MAX_ZOOM  # MarkerCluster refuses a map without maxZoom (no tile layer sets one)
    localise(fmap, LEAFLET_JS, LEAFLET_CSS)
    if basemap in _TILES:
        url, attribution, subdomains = _TILES[basemap]
        folium.TileLayer(tiles=url, attr=attribution, name=basemap, max_zoom=MAX_ZOOM, control=tile_control,
                         **({"subdomains": subdomains} if subdomains else {})).add_to(fmap)
    return fmap
