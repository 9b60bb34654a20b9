"""The find-space map: the chosen point, the search radius and the ranked results.

Split so the page keeps one stable ``folium.Map`` (:func:`nearby_base`) and sends what changes
as one feature group (:func:`nearby_layer`) through ``st_folium(feature_group_to_add=...)``:
no remount, no flicker. The results are one canvas layer (:class:`ResultsLayer`), not one
marker each; the rest is core Leaflet, so the self-hosted Leaflet is all the map needs. Every text goes through
:func:`carriermap.safety.html_text`. On a Gaode basemap everything is shifted to GCJ-02, and a
click is shifted back (:func:`carriermap.mapview.picking_map.clicked_point`).
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path

import folium
import numpy as np
import pandas as pd
from jinja2 import Template

from carriermap.coords import wgs84_to_gcj02
from carriermap.i18n import t
from carriermap.mapview.basemaps import Basemap, base_map, needs_gcj02
from carriermap.mapview.carrier_layer import SCALE, deltas
from carriermap.mapview.picking_map import clicked_point
from carriermap.mapview.raw_render import RawRender
from carriermap.mapview.view_control import js_json
from carriermap.safety import html_text

__all__ = ["ResultsLayer", "chosen_marker", "circle_bounds", "clicked_point", "dot_payload", "nearby_base",
           "nearby_layer", "nearby_map", "shown_latlon", "zoom_for_radius"]

POINT_COLOUR = "#c0392b"
RESULT_COLOUR = "#1f6fb2"
_PIN = ('<div style="box-sizing:border-box;width:20px;height:20px;border-radius:50%;background:{colour};'
        'border:3px solid #fff;box-shadow:0 0 4px rgba(0,0,0,.6)"></div>')


def _icon(html: str, size: int) -> folium.DivIcon:
    """A ``DivIcon`` of ``size`` px centred on its point (no default white box)."""
    return folium.DivIcon(html=html, icon_size=(size, size), icon_anchor=(size // 2, size // 2),
                          class_name="carriermap-nearby-icon")


def shown_latlon(lon: float, lat: float, basemap: str) -> tuple[float, float]:
    """(lat, lon) for Leaflet, shifted to GCJ-02 when the basemap needs it."""
    if needs_gcj02(basemap):
        lon, lat = (float(v) for v in wgs84_to_gcj02(lon, lat))
    return float(lat), float(lon)


def circle_bounds(lon: float, lat: float, radius_m: float) -> tuple[float, float, float, float]:
    """(west, south, east, north) of a circle of ``radius_m`` around a WGS-84 point (spherical, ample)."""
    dlat = radius_m / 111_320.0
    dlon = radius_m / (111_320.0 * max(math.cos(math.radians(lat)), 0.01))
    return lon - dlon, lat - dlat, lon + dlon, lat + dlat


def zoom_for_radius(radius_m: float) -> int:
    """A zoom level at which a circle of ``radius_m`` fits a ~600 px map."""
    return int(max(8, min(17, math.floor(15 - math.log2(max(radius_m, 100.0) / 1000.0)))))


def nearby_base(center: tuple[float, float], zoom: int, basemap: Basemap = "osm") -> folium.Map:
    """The stable base map (WGS-84 ``center`` lon, lat), shifted for a Gaode basemap."""
    lat, lon = shown_latlon(*center, basemap)
    return base_map((lon, lat), zoom, basemap)


class ResultsLayer(RawRender):
    """Ranked results as numbered badges on one canvas (``results_layer.js``): one light layer,
    badges moved apart (with a line to their true point) so no number covers another."""

    _template = Template("""
{% macro script(this, kwargs) %}
{{ this.script }}
var {{ this.get_name() }} = makeResultsLayer({{ this.payload }}, {{ this.dots }}, {{ this.options }});
{{ this.get_name() }}.addTo({{ this._parent.get_name() }});
{% endmacro %}
""")

    def __init__(self, table: pd.DataFrame, basemap: str = "osm", lang: str = "zh",
                 everything: pd.DataFrame | None = None):
        super().__init__()
        self._name = "ResultsLayer"
        lats, lons = _drawn_points(table, basemap)
        tips = [html_text(t("find_space.map.tooltip", lang, rank=rank, name=name, km=f"{km:.2f}",
                            area=f"{float(area):g}"))
                for rank, name, km, area in zip(table["rank"], table["name"], table["distance_km"],
                                                table["available_m2"], strict=True)]
        rest = everything.iloc[len(table):] if everything is not None else table.iloc[:0]
        self.payload = js_json({"lat": lats, "lon": lons, "rank": [int(r) for r in table["rank"]], "tips": tips})
        self.dots = dot_payload(rest, basemap)
        self.options = js_json({"colour": RESULT_COLOUR, "radiusPx": 11})
        self.script = _results_script()


def _drawn_points(results: pd.DataFrame, basemap: str) -> tuple[list[float], list[float]]:
    """(lats, lons) of ``results`` where the basemap draws them, rounded to ~0.1 m (vectorised)."""
    lon = results["lon"].to_numpy(dtype=float)
    lat = results["lat"].to_numpy(dtype=float)
    if needs_gcj02(basemap):
        lon, lat = wgs84_to_gcj02(lon, lat)
    return np.round(lat, 6).tolist(), np.round(lon, 6).tolist()


def dot_payload(results: pd.DataFrame, basemap: str) -> str:
    """The small dots (the results after the numbered ones) as a JavaScript object literal:
    ``{"scale", "lat", "lon"}``, integers of 1/``scale`` degree (~1 m), sorted by latitude and
    delta-encoded, so thousands of dots cost a few bytes each to send and to parse."""
    lon = results["lon"].to_numpy(dtype=float)
    lat = results["lat"].to_numpy(dtype=float)
    if needs_gcj02(basemap):
        lon, lat = wgs84_to_gcj02(lon, lat)
    y, x = np.round(lat * SCALE).astype("int64"), np.round(lon * SCALE).astype("int64")
    order = np.lexsort((x, y))
    return f'{{"scale":{SCALE},"lat":[{deltas(y[order])}],"lon":[{deltas(x[order])}]}}'


@cache
def _results_script() -> str:
    return Path(__file__).with_name("results_layer.js").read_text(encoding="utf-8")


def chosen_marker(lon: float, lat: float, basemap: Basemap = "osm", tooltip: str = "") -> folium.Marker:
    """The chosen point (WGS-84) as a red pin in the marker pane, shifted for a GCJ-02 basemap.

    A ``DivIcon`` marker, not a ``CircleMarker``: a vector layer sent through
    ``feature_group_to_add`` after the map settled is clipped against the SVG renderer's stale
    bounds and drawn as an empty path (invisible) until the map moves.
    """
    return folium.Marker(shown_latlon(lon, lat, basemap), icon=_icon(_PIN.format(colour=POINT_COLOUR), 20),
                         interactive=False, tooltip=folium.Tooltip(html_text(tooltip)) if tooltip else None)


def nearby_layer(table: pd.DataFrame, point: tuple[float, float] | None, radius_m: float,
                 basemap: Basemap = "osm", lang: str = "zh", everything: pd.DataFrame | None = None,
                 ) -> folium.FeatureGroup:
    """The chosen point, the radius circle and the ranked results (a ``result_table``) as one layer.

    ``everything`` is every result (ranked, ``table`` its first rows): those after ``table`` are
    drawn as small dots, so thousands of results stay one light layer with numbers on the nearest."""
    group = folium.FeatureGroup(name="find_space", control=False)
    if point is not None:
        where = shown_latlon(*point, basemap)
        folium.Circle(where, radius=float(radius_m), color=POINT_COLOUR, weight=2, fill=True, fill_opacity=0.06,
                      interactive=False).add_to(group)
        chosen_marker(*point, basemap, t("find_space.map.point", lang)).add_to(group)
    if len(table):
        ResultsLayer(table, basemap, lang, everything).add_to(group)
    return group


def nearby_map(table: pd.DataFrame, point: tuple[float, float], radius_m: float, basemap: Basemap = "osm",
               lang: str = "zh") -> folium.Map:
    """A whole map (base + layer) centred on ``point``: for exports and tests."""
    fmap = nearby_base(point, zoom_for_radius(radius_m), basemap)
    nearby_layer(table, point, radius_m, basemap, lang).add_to(fmap)
    return fmap
