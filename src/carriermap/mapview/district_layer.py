"""District polygons with their names written on the map (readable with no basemap at all).

One ``GeoJson`` for the polygons (hover: name and how many carriers it holds) and one small
non-interactive label per district at a point inside it. Districts the user chose are drawn
with a thick outline (:data:`CHOSEN_STROKE`). Used by the city map and the picking map.
Every name goes through :func:`carriermap.safety.html_text` before it reaches folium.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

import folium
import geopandas as gpd
import numpy as np
import shapely
from jinja2 import Template
from shapely.geometry import mapping

from carriermap.coords import wgs84_to_gcj02
from carriermap.i18n import t
from carriermap.mapview.raw_render import GeoJson, RawRender
from carriermap.mapview.view_control import js_json
from carriermap.safety import html_text

DISTRICT_STROKE = "#34495e"
CHOSEN_STROKE = "#f39c12"  # amber: apart from the corridors (red) and clusters (orange)
_LABEL = ('<span class="cm-district-label{chosen}" style="position:absolute;transform:translate(-50%,-50%);'
          'white-space:nowrap;pointer-events:none;color:{colour};font:600 {size}px sans-serif;'
          'text-shadow:0 0 3px #fff,0 0 3px #fff,0 0 2px #fff">{name}</span>')


def shift_geometry(geometry: Any, gcj02: bool) -> Any:
    """``geometry`` (shapely) in GCJ-02 when ``gcj02``, else unchanged."""
    if not gcj02:
        return geometry
    return shapely.transform(geometry, lambda xy: np.column_stack(wgs84_to_gcj02(xy[:, 0], xy[:, 1])))


def district_bounds(districts: gpd.GeoDataFrame, adcodes: Collection[str]) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of the districts ``adcodes`` (WGS-84), or None when none match."""
    chosen = districts[districts["adcode"].astype(str).isin({str(a) for a in adcodes})]
    if chosen.empty:
        return None
    return tuple(float(v) for v in chosen.total_bounds)  # type: ignore[return-value]


_GEOMETRY_JSON: dict[tuple[int, bool], tuple[Any, dict[str, Any]]] = {}


def _geometry_json(geometry: Any, gcj02: bool) -> dict[str, Any]:
    """GeoJSON geometry of a district (shifted when ``gcj02``), computed once per shape object and process
    (the boundaries are read once; :func:`carriermap.boundaries.districts` copies share the shapes).

    Every rerun of the map page redraws the districts; their shapes never change, so the
    shapely → GeoJSON walk (tens of thousands of vertices) is done once. The dict is shared:
    callers must not change it.
    """
    key = (id(geometry), gcj02)
    found = _GEOMETRY_JSON.get(key)
    if found is None or found[0] is not geometry:  # shapely geometries are immutable; the entry keeps it alive
        if len(_GEOMETRY_JSON) > 4096:
            _GEOMETRY_JSON.clear()
        found = _GEOMETRY_JSON[key] = (geometry, mapping(shift_geometry(geometry, gcj02)))
    return found[1]


def district_layer(districts: gpd.GeoDataFrame, counts: dict[str, int] | None, lang: str, gcj02: bool = False,
                   chosen: Collection[str] = (), labels: bool = True) -> folium.FeatureGroup:
    """District polygons, chosen ones outlined, names as labels; hover shows the name (and count).

    ``counts`` (carriers per adcode) adds a count line to the hover text; None leaves it out.
    """
    name_column = "name_en" if lang == "en" else "name"
    chosen = {str(a) for a in chosen}
    features = []
    for row in sorted(districts.itertuples(index=False), key=lambda r: str(r.adcode) in chosen):  # chosen on top
        properties = {"name": html_text(getattr(row, name_column)), "chosen": str(row.adcode) in chosen}
        if counts is not None:
            properties["count"] = int(counts.get(str(row.adcode), 0))
        features.append({"type": "Feature", "geometry": _geometry_json(row.geometry, gcj02),
                         "properties": properties})
    group = folium.FeatureGroup(name=html_text(t("map.layer.districts", lang)))
    fields, aliases = ["name"], [html_text(t("map.tooltip.district", lang))]
    if counts is not None:
        fields.append("count")
        aliases.append(html_text(t("map.tooltip.count", lang)))
    GeoJson(
        {"type": "FeatureCollection", "features": features},
        style_function=_style,
        highlight_function=lambda _f: {"weight": 3, "fillOpacity": 0.15},
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases, sticky=True),
    ).add_to(group)
    if labels:
        items = []
        for row in districts.itertuples(index=False):
            point = shift_geometry(row.geometry.representative_point(), gcj02)
            is_chosen = str(row.adcode) in chosen
            html = _LABEL.format(name=html_text(getattr(row, name_column)), chosen=" cm-chosen" if is_chosen else "",
                                 colour="#a35200" if is_chosen else "#1f2d3d", size=14 if is_chosen else 12)
            items.append([round(point.y, 6), round(point.x, 6), html])
        DistrictLabels(items).add_to(group)
    return group


class DistrictLabels(RawRender):
    """Every district's name as a non-interactive label: one element (not a marker and an icon each)."""

    _template = Template("""
{% macro script(this, kwargs) %}
{{ this.items }}.forEach(function (item) {
  L.marker([item[0], item[1]], {interactive: false, keyboard: false,
    icon: L.divIcon({html: item[2], iconSize: [0, 0], className: 'cm-district-label-icon'})
  }).addTo({{ this._parent.get_name() }});
});
{% endmacro %}
""")

    def __init__(self, items: list[list[Any]]):
        super().__init__()
        self._name = "DistrictLabels"
        self.items = js_json(items)


def _style(feature: dict) -> dict:
    if feature["properties"].get("chosen"):
        return {"color": CHOSEN_STROKE, "weight": 4, "fillColor": CHOSEN_STROKE, "fillOpacity": 0.08}
    return {"color": DISTRICT_STROKE, "weight": 1.5, "fillColor": "#95a5a6", "fillOpacity": 0.06}
