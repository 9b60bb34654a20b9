"""The base map: OpenStreetMap, Gaode (GCJ-02), Tianditu (天地图, CGCS2000) or no tiles, on self-hosted Leaflet.

Gaode tiles are drawn in GCJ-02: anything drawn over them must be shifted with
:func:`carriermap.coords.wgs84_to_gcj02` first (:func:`needs_gcj02`). Tianditu is the national
official map service in CGCS2000, which agrees with WGS-84 to well under a metre: nothing is
shifted. It needs a key (``CARRIERMAP_TIANDITU_KEY`` or ``tianditu_key`` in Streamlit secrets,
:func:`tianditu_key`); without one it is not offered. With no internet the tiles are missing;
the page's view control says so once and falls back to the no-tiles view
(:mod:`carriermap.mapview.view_control`).
"""

from __future__ import annotations

import os
from typing import Any, Literal

import folium

from carriermap.mapview.assets import LEAFLET_CSS, LEAFLET_JS, localise

Basemap = Literal["osm", "gaode", "tianditu", "none"]
BASEMAPS: tuple[str, ...] = ("osm", "gaode", "tianditu", "none")
TIANDITU_KEY_ENV = "CARRIERMAP_TIANDITU_KEY"
_TIANDITU = ("https://t{s}.tianditu.gov.cn/{layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0"
             "&LAYER={layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}"
             "&TILECOL={x}&tk={key}")
MAX_ZOOM = 18

_TILES = {
    "osm": ("https://tile.openstreetmap.org/{z}/{x}/{y}.png",
            '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>', None),
    "gaode": ("https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1&style=8&x={x}&y={y}&z={z}",
              "&copy; 高德地图 AutoNavi", "1234"),
}


def needs_gcj02(basemap: str) -> bool:
    """True when features must be shifted to GCJ-02 to sit on the right street (Gaode only)."""
    return basemap == "gaode"


def tianditu_key(secrets: Any = None) -> str:
    """The Tianditu browser key: the environment first, then Streamlit secrets (``tianditu_key``); "" if none."""
    key = os.environ.get(TIANDITU_KEY_ENV, "").strip()
    if key:
        return key
    if secrets is None:
        return ""
    try:
        return str(secrets.get("tianditu_key", "") or "").strip()
    except Exception:  # no secrets file: Streamlit raises rather than returning nothing
        return ""


def available_basemaps(key: str = "") -> tuple[str, ...]:
    """The basemaps this deployment can offer (Tianditu only with a key)."""
    return tuple(b for b in BASEMAPS if b != "tianditu" or key)


def tile_layers(basemap: str, key: str = "") -> list[dict[str, Any]]:
    """Leaflet tile layers (``url``, ``attribution``, ``subdomains``) for ``basemap``; [] for none.

    Tianditu is two layers: the vector map and its annotation (place names) on top.
    """
    if basemap in _TILES:
        url, attribution, subdomains = _TILES[basemap]
        return [{"url": url, "attribution": attribution, "subdomains": subdomains or "abc"}]
    if basemap == "tianditu" and key:
        attribution = "&copy; 天地图 Tianditu"
        return [{"url": _TIANDITU.format(layer=layer, key=key, s="{s}", x="{x}", y="{y}", z="{z}"),
                 "attribution": attribution, "subdomains": "01234567"} for layer in ("vec", "cva")]
    return []


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
