"""District polygons with their names written on the map (readable with no basemap at all).

One ``GeoJson`` for the polygons (hover: name and how many carriers it holds) and one small
non-interactive label per district at a point inside it. Districts the user chose are drawn
with a thick outline (:data:`CHOSEN_STROKE`). Used by the city map and the picking map.
Every name goes through :func:`carriermap.safety.html_text` before it reaches folium.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from pathlib import Path
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
from carriermap.mapview.static_files import write_named_by_content
from carriermap.mapview.view_control import js_json
from carriermap.safety import html_text

DISTRICT_STROKE = "#34495e"
HIGHLIGHT = {"weight": 3, "fillOpacity": 0.15}
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


_PER_SHAPE: dict[tuple[str, int, bool], tuple[Any, Any]] = {}


def _per_shape(kind: str, geometry: Any, gcj02: bool, compute) -> Any:
    """``compute(geometry shifted when gcj02)``, worked out once per shape object and process
    (the boundaries are read once; :func:`carriermap.boundaries.districts` copies share the shapes).

    Every rerun of the map page redraws the districts; their shapes never change, so the
    shapely walks (tens of thousands of vertices) are done once. Results are shared: callers
    must not change them.
    """
    key = (kind, id(geometry), gcj02)
    found = _PER_SHAPE.get(key)
    if found is None or found[0] is not geometry:  # shapely geometries are immutable; the entry keeps it alive
        if len(_PER_SHAPE) > 4096:
            _PER_SHAPE.clear()
        found = _PER_SHAPE[key] = (geometry, compute(shift_geometry(geometry, gcj02)))
    return found[1]


def _geometry_json(geometry: Any, gcj02: bool) -> dict[str, Any]:
    """GeoJSON geometry of a district (shifted when ``gcj02``)."""
    return _per_shape("geojson", geometry, gcj02, mapping)


def _label_point(geometry: Any, gcj02: bool) -> tuple[float, float]:
    """``(lat, lon)`` of a point inside a district, where its name is written (shifted when ``gcj02``)."""
    return _per_shape("label", geometry, gcj02, lambda shape: _rounded(shape.representative_point()))


def _rounded(point: Any) -> tuple[float, float]:
    return round(point.y, 6), round(point.x, 6)


def write_shapes(districts: gpd.GeoDataFrame, gcj02: bool, directory: Path) -> str:
    """Write the districts' polygons (``adcode`` and geometry, shifted when ``gcj02``) as GeoJSON
    under ``directory``, named by their content; return the file name."""
    features = [{"type": "Feature", "properties": {"adcode": str(row.adcode)},
                 "geometry": _geometry_json(row.geometry, gcj02)} for row in districts.itertuples(index=False)]
    text = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
    return write_named_by_content(directory, "districts", text)


def district_layer(districts: gpd.GeoDataFrame, counts: dict[str, int] | None, lang: str, gcj02: bool = False,
                   chosen: Collection[str] = (), labels: bool = True,
                   shapes_url: str | None = None) -> folium.FeatureGroup:
    """District polygons, chosen ones outlined, names as labels; hover shows the name (and count).

    ``counts`` (carriers per adcode) adds a count line to the hover text; None leaves it out.
    ``shapes_url`` is where :func:`write_shapes` put these districts' polygons (for this ``gcj02``):
    then the polygons are fetched from it once per page instead of sent on every rerun.
    """
    name_column = "name_en" if lang == "en" else "name"
    chosen = {str(a) for a in chosen}
    group = folium.FeatureGroup(name=html_text(t("map.layer.districts", lang)))
    if shapes_url:
        DistrictShapes(shapes_url, _hover_texts(districts, counts, lang), chosen).add_to(group)
    else:
        _inline_polygons(districts, counts, lang, gcj02, chosen).add_to(group)
    if labels:
        DistrictLabels(_label_items(districts, name_column, gcj02, chosen)).add_to(group)
    return group


def _hover_texts(districts: gpd.GeoDataFrame, counts: dict[str, int] | None, lang: str) -> dict[str, str]:
    """The hover text (HTML, escaped) of each district: its name, and how many carriers when counted."""
    name_column = "name_en" if lang == "en" else "name"
    texts = {}
    for row in districts.itertuples(index=False):
        text = f"<b>{html_text(getattr(row, name_column))}</b>"
        if counts is not None:
            text += f"<br>{html_text(t('map.tooltip.count', lang))} {int(counts.get(str(row.adcode), 0)):,}"
        texts[str(row.adcode)] = text
    return texts


def _label_items(districts: gpd.GeoDataFrame, name_column: str, gcj02: bool, chosen: set[str]) -> list[list[Any]]:
    """``[lat, lon, html]`` of each district's name label, at a point inside the district."""
    items = []
    for row in districts.itertuples(index=False):
        lat, lon = _label_point(row.geometry, gcj02)
        is_chosen = str(row.adcode) in chosen
        html = _LABEL.format(name=html_text(getattr(row, name_column)), chosen=" cm-chosen" if is_chosen else "",
                             colour="#a35200" if is_chosen else "#1f2d3d", size=14 if is_chosen else 12)
        items.append([lat, lon, html])
    return items


def _inline_polygons(districts: gpd.GeoDataFrame, counts: dict[str, int] | None, lang: str, gcj02: bool,
                     chosen: set[str]) -> GeoJson:
    """The polygons as one inline ``GeoJson`` (for maps without a static file server)."""
    name_column = "name_en" if lang == "en" else "name"
    features = []
    for row in sorted(districts.itertuples(index=False), key=lambda r: str(r.adcode) in chosen):  # chosen on top
        properties = {"name": html_text(getattr(row, name_column)), "chosen": str(row.adcode) in chosen}
        if counts is not None:
            properties["count"] = int(counts.get(str(row.adcode), 0))
        features.append({"type": "Feature", "geometry": _geometry_json(row.geometry, gcj02),
                         "properties": properties})
    fields, aliases = ["name"], [html_text(t("map.tooltip.district", lang))]
    if counts is not None:
        fields.append("count")
        aliases.append(html_text(t("map.tooltip.count", lang)))
    return GeoJson(
        {"type": "FeatureCollection", "features": features},
        style_function=_style,
        highlight_function=lambda _f: HIGHLIGHT,
        tooltip=folium.GeoJsonTooltip(fields=fields, aliases=aliases, sticky=True),
    )


class DistrictShapes(RawRender):
    """The district polygons fetched from a static file (once per page; kept parsed across reruns),
    styled by which are chosen, with a hover text per district. Drawn under the corridors."""

    _template = Template("""
{% macro script(this, kwargs) %}
(function (group, o) {
  var store = window.cmShapes = window.cmShapes || {};
  function draw(data) {
    var layer = L.geoJson(data, {
      filter: function (f) { return o.texts.hasOwnProperty(f.properties.adcode); },
      style: function (f) { return o.chosen.indexOf(f.properties.adcode) >= 0 ? o.chosenStyle : o.style; },
      onEachFeature: function (f, l) {
        l.bindTooltip(o.texts[f.properties.adcode], {sticky: true});
        l.on('mouseover', function () { l.setStyle(o.highlight); });
        l.on('mouseout', function () { layer.resetStyle(l); });
      }
    });
    layer.on('add', function () {  /* under the corridors (drawn before them or fetched after), chosen on top */
      layer.eachLayer(function (l) { if (o.chosen.indexOf(l.feature.properties.adcode) >= 0) { l.bringToBack(); } });
      layer.eachLayer(function (l) { if (o.chosen.indexOf(l.feature.properties.adcode) < 0) { l.bringToBack(); } });
    });
    layer.addTo(group);
  }
  if (store[o.src] && store[o.src].data) { draw(store[o.src].data); return; }
  if (!store[o.src]) {
    store[o.src] = {waiting: []};
    fetch(o.src).then(function (r) { return r.json(); }).then(function (data) {
      var entry = store[o.src];
      entry.data = data;
      entry.waiting.forEach(function (f) { f(data); });
      entry.waiting = [];
    });
  }
  store[o.src].waiting.push(draw);
})({{ this._parent.get_name() }}, {{ this.options }});
{% endmacro %}
""")

    def __init__(self, src: str, texts: dict[str, str], chosen: Collection[str]):
        super().__init__()
        self._name = "DistrictShapes"
        self.options = js_json({"src": src, "texts": texts, "chosen": sorted(str(a) for a in chosen),
                                "style": _style({"properties": {}}), "highlight": HIGHLIGHT,
                                "chosenStyle": _style({"properties": {"chosen": True}})})


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
