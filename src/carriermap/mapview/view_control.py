"""The map's basemap and view as one small layer, so neither needs the map to be rebuilt.

streamlit-folium remounts the map (lost view, flicker) when the ``folium.Map`` changes and
re-evaluates every feature group when any layer changes. :class:`ViewControl` rides in a
feature group (``feature_group_to_add``) and, in the browser (``view_control.js``):

- keeps the tile layers on the map itself, so a filter change does not reload them; a new
  basemap swaps them and keeps the view (shifted by the GCJ-02 offset between Gaode and the
  WGS-84 basemaps); when no tile loads (an intranet) it drops them and says so once;
- applies a view (:func:`fit_view` / :func:`centre_view`) only when its ``key`` is new, so a
  rerun that does not mean to move the map leaves the user's pan and zoom alone.

Everything here is plain data in, a folium element out (no Streamlit).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Template

from carriermap.coords import wgs84_to_gcj02
from carriermap.mapview.basemaps import needs_gcj02, tile_layers
from carriermap.mapview.raw_render import RawRender

TILE_TIMEOUT_MS = 8000


@cache
def _script() -> str:
    return Path(__file__).with_name("view_control.js").read_text(encoding="utf-8")


def js_json(value: object) -> str:
    """JSON safe inside a ``<script>`` and through streamlit-folium's variable renaming.

    Underscores are written ``\\u005f`` (streamlit-folium rewrites ``_<id>`` tokens) and
    ``</`` as ``<\\/`` (a string cannot end the script element).
    """
    return json.dumps(value, ensure_ascii=False).replace("_", "\\u005f").replace("</", "<\\/")


def drawn(lon: float, lat: float, gcj02: bool) -> tuple[float, float]:
    """``(lat, lon)`` where a WGS-84 point is drawn (shifted on a GCJ-02 basemap)."""
    if gcj02:
        lon, lat = (float(v) for v in wgs84_to_gcj02(lon, lat))
    return float(lat), float(lon)


def fit_view(key: str, bounds: tuple[float, float, float, float], basemap: str = "osm",
             max_zoom: int = 15) -> dict[str, Any]:
    """A view fitting WGS-84 ``bounds`` (west, south, east, north), applied once per ``key``."""
    west, south, east, north = bounds
    gcj02 = needs_gcj02(basemap)
    return {"key": key, "bounds": [list(drawn(west, south, gcj02)), list(drawn(east, north, gcj02))],
            "maxZoom": int(max_zoom)}


def centre_view(key: str, lon: float, lat: float, zoom: int, basemap: str = "osm") -> dict[str, Any]:
    """A view centred on a WGS-84 point at ``zoom``, applied once per ``key``."""
    return {"key": key, "center": list(drawn(lon, lat, needs_gcj02(basemap))), "zoom": int(zoom)}


def gcj_offset(center: tuple[float, float]) -> tuple[float, float]:
    """(dlat, dlon) from WGS-84 to GCJ-02 at ``center`` (lon, lat): how far the view moves on a switch."""
    lat, lon = drawn(center[0], center[1], True)
    return lat - center[1], lon - center[0]


class ViewControl(RawRender):
    """Basemap tiles and the view of the map the enclosing feature group is added to.

    ``center`` (lon, lat) is where the GCJ-02 offset is measured; ``fail_text`` is shown once
    when no tile loads; ``view`` is a :func:`fit_view`/:func:`centre_view` dict or None (keep the view).
    """

    _template = Template("""
{% macro script(this, kwargs) %}
{{ this.script }}
{{ this._parent.get_name() }}.addLayer(new CmViewLayer({{ this.spec }}));
{% endmacro %}
""")

    def __init__(self, basemap: str, center: tuple[float, float], fail_text: str, *,
                 view: dict[str, Any] | None = None, tianditu_key: str = "",
                 timeout_ms: int = TILE_TIMEOUT_MS):
        super().__init__()
        self._name = "ViewControl"
        self.spec_data = {"basemap": basemap, "gcj": needs_gcj02(basemap), "offset": list(gcj_offset(center)),
                          "tiles": tile_layers(basemap, tianditu_key), "failText": fail_text,
                          "view": view, "timeoutMs": int(timeout_ms)}
        self.spec = js_json(self.spec_data)
        self.script = _script()
