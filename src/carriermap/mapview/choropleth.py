"""A choropleth of one metric on the district polygons (and schematic zone outlines).

Pure builder: a frame of shapes and values in, a ``folium.Map`` out, on the self-hosted base
map. Every text reaching the map (names, values, legend) goes through
:func:`carriermap.safety.html_text`: ``GeoJsonTooltip`` writes properties with ``innerHTML``.
The legend is plain HTML in the map's page (branca's colormap legend loads d3 from a CDN).

On a page the polygons come from a static file (:func:`write_unit_shapes`, fetched once and
cached by the browser): a rerun then sends each unit's fill and hover text, not its outline.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from jinja2 import Template
from shapely.geometry import mapping

from carriermap.coords import wgs84_to_gcj02
from carriermap.mapview.basemaps import Basemap, base_map, needs_gcj02
from carriermap.mapview.raw_render import RawRender
from carriermap.mapview.static_files import write_named_by_content
from carriermap.mapview.view_control import js_json
from carriermap.safety import html_text

# ColorBrewer "Blues", 5 classes: readable when printed in grey, colour-blind safe.
PALETTE: tuple[str, ...] = ("#eff3ff", "#bdd7e7", "#6baed6", "#3182bd", "#08519c")
NO_DATA = "#d9d9d9"


def breaks(values: Sequence[float], classes: int = len(PALETTE)) -> list[float]:
    """Upper bounds of up to ``classes`` quantile classes of the finite ``values`` (ascending, unique)."""
    finite = np.asarray([v for v in values if v is not None and np.isfinite(v)], dtype=float)
    if finite.size == 0:
        return []
    bounds = np.unique(np.quantile(finite, np.linspace(0, 1, classes + 1)[1:]))
    return [float(b) for b in bounds]


def colour(value: float | None, bounds: Sequence[float]) -> str:
    """The fill of ``value``: the first class whose upper bound holds it; grey for no data."""
    if value is None or not np.isfinite(value) or not bounds:
        return NO_DATA
    index = int(np.searchsorted(bounds, value, side="left"))
    offset = len(PALETTE) - len(bounds)  # few classes: use the darker end of the palette
    return PALETTE[min(index, len(bounds) - 1) + offset]


def _to_gcj02(geometry):
    def shift(coords: np.ndarray) -> np.ndarray:
        lon, lat = wgs84_to_gcj02(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    return shapely.transform(geometry, shift)


def _legend_html(title: str, bounds: Sequence[float], labels: Sequence[str], no_data: str) -> str:
    offset = len(PALETTE) - len(bounds)
    items = "".join(
        f'<div><span style="background:{PALETTE[i + offset]}"></span>{html_text(text)}</div>'
        for i, text in enumerate(labels))
    items += f'<div><span style="background:{NO_DATA}"></span>{html_text(no_data)}</div>'
    return ('<div class="cm-legend" style="position:absolute;right:10px;bottom:24px;z-index:1000;'
            'background:rgba(255,255,255,.92);padding:6px 8px;border-radius:4px;font:12px sans-serif;'
            'box-shadow:0 1px 4px rgba(0,0,0,.3)">'
            f'<b>{html_text(title)}</b>{items}</div>'
            '<style>.cm-legend span{display:inline-block;width:14px;height:10px;margin-right:6px;'
            'border:1px solid #999}</style>')


def _tooltip_html(name: str, value_text: str, name_alias: str, value_alias: str) -> str:
    """The hover text of one unit (escaped HTML): the table ``GeoJsonTooltip`` would draw."""
    return (f"<table><tr><th>{html_text(name_alias)}</th><td>{html_text(name)}</td></tr>"
            f"<tr><th>{html_text(value_alias)}</th><td>{html_text(value_text)}</td></tr></table>")


def _style(fill: str, dashed: bool) -> dict:
    return {"fillColor": fill, "fillOpacity": 0.85 if not dashed else 0.6, "color": "#08306b" if dashed else "#555",
            "weight": 2 if dashed else 1, "dashArray": "6 4" if dashed else None}


_HIGHLIGHT = {"weight": 3, "color": "#e6550d"}


def choropleth(shapes: gpd.GeoDataFrame, *, title: str, value_texts: Sequence[str], legend_labels: Sequence[str],
               no_data_label: str, center: tuple[float, float], zoom: int, basemap: Basemap = "osm",
               name_alias: str = "", value_alias: str = "", bounds: Sequence[float] | None = None,
               shapes_url: str | None = None) -> folium.Map:
    """A map of ``shapes`` (WGS-84; columns ``name``, ``value``, optional ``schematic`` bool) filled by ``value``.

    ``value_texts`` are the values formatted for the tooltip (one per shape); ``legend_labels``
    name the classes of ``bounds`` (computed with :func:`breaks` when not given). Schematic
    shapes (zones whose outline the sources do not give) are drawn dashed on top.
    ``shapes_url`` is where :func:`write_unit_shapes` put the polygons of ``shapes`` (their ``key``
    column; shifted when the basemap needs GCJ-02): the map then fetches them instead of holding them.
    """
    values = pd.to_numeric(shapes["value"], errors="coerce").to_numpy(dtype=float)
    bounds = list(bounds) if bounds is not None else breaks(values)
    fmap = base_map(center, zoom, basemap)
    if shapes_url is not None:
        UnitShapes(shapes_url, {
            str(key): {"fill": colour(value, bounds), "dashed": bool(dashed),
                       "tip": _tooltip_html(name, text, name_alias, value_alias)}
            for key, name, value, text, dashed in zip(shapes["key"], shapes["name"], values, value_texts,
                                                      _schematic(shapes), strict=True)}).add_to(fmap)
    else:
        _inline(shapes, values, bounds, value_texts, basemap, [html_text(name_alias), html_text(value_alias)], fmap)
    if len(shapes):
        drawn = gpd.GeoSeries(shapes.geometry.map(_to_gcj02)) if needs_gcj02(basemap) else shapes.geometry
        west, south, east, north = drawn.total_bounds
        fmap.fit_bounds([[south, west], [north, east]])
    fmap.get_root().html.add_child(folium.Element(_legend_html(title, bounds, legend_labels, no_data_label)))
    return fmap


def _schematic(shapes: gpd.GeoDataFrame) -> pd.Series:
    return shapes["schematic"].astype(bool) if "schematic" in shapes else pd.Series(False, index=shapes.index)


def _inline(shapes: gpd.GeoDataFrame, values: np.ndarray, bounds: Sequence[float], value_texts: Sequence[str],
            basemap: Basemap, aliases: list[str], fmap: folium.Map) -> None:
    """The polygons held in the map itself, one ``GeoJson`` per outline kind (for maps without the file server)."""
    frame = gpd.GeoDataFrame({
        "name": [html_text(n) for n in shapes["name"]],
        "value_text": [html_text(v) for v in value_texts],
        "fill": [colour(v, bounds) for v in values],
        "schematic": _schematic(shapes),
    }, geometry=shapes.geometry.to_numpy(), crs="EPSG:4326")
    if needs_gcj02(basemap):
        frame = frame.set_geometry(frame.geometry.map(_to_gcj02))
    for schematic, part in frame.groupby("schematic", sort=True):
        folium.GeoJson(
            part.__geo_interface__,
            style_function=lambda feature, dashed=bool(schematic): _style(feature["properties"]["fill"], dashed),
            highlight_function=lambda feature: _HIGHLIGHT,
            tooltip=folium.GeoJsonTooltip(fields=["name", "value_text"], aliases=aliases, sticky=True),
        ).add_to(fmap)


class UnitShapes(RawRender):
    """The units' polygons fetched from a static file (once per page), each filled and hovered as ``items``
    says (``{key: {fill, dashed, tip}}``; keys not in it are not drawn); schematic outlines on top."""

    _template = Template("""
{% macro header(this, kwargs) %}
<style>.foliumtooltip table{margin:auto}.foliumtooltip tr{text-align:left}
.foliumtooltip th{padding:2px;padding-right:8px}</style>
{% endmacro %}
{% macro script(this, kwargs) %}
(function (map, o) {
  function style(f) {
    var item = o.items[f.properties.key], s = item.dashed ? o.dashed : o.plain, out = {};
    for (var k in s) { out[k] = s[k]; }
    out.fillColor = item.fill;
    return out;
  }
  fetch(o.src).then(function (r) { return r.json(); }).then(function (data) {
    var layer = L.geoJson(data, {
      filter: function (f) { return o.items.hasOwnProperty(f.properties.key); },
      style: style,
      onEachFeature: function (f, l) {
        l.bindTooltip(o.items[f.properties.key].tip, {sticky: true, className: 'foliumtooltip'});
        l.on('mouseover', function () { l.setStyle(o.highlight); });
        l.on('mouseout', function () { layer.resetStyle(l); });
      }
    }).addTo(map);
    layer.eachLayer(function (l) { if (o.items[l.feature.properties.key].dashed) { l.bringToFront(); } });
    map.getContainer().dataset.units = layer.getLayers().length;
  });
})({{ this._parent.get_name() }}, {{ this.options }});
{% endmacro %}
""")

    def __init__(self, src: str, items: dict[str, dict]):
        super().__init__()
        self._name = "UnitShapes"
        self.options = js_json({"src": src, "items": items, "plain": _style("", False), "dashed": _style("", True),
                                "highlight": _HIGHLIGHT})


def unit_polygons(city_adcode: str, features: Sequence[dict]) -> gpd.GeoDataFrame:
    """Every shape a unit of the city can have: ``key`` (a district's adcode, or the name of a zone or
    cluster feature with a polygon), ``schematic`` (the zone's outline, not an official boundary), geometry."""
    from carriermap.boundaries import districts

    gdf = districts(city_adcode)
    rows = [{"key": str(code), "schematic": False, "geometry": geometry}
            for code, geometry in zip(gdf["adcode"], gdf.geometry, strict=True)]
    rows += [{"key": f["name"], "schematic": True, "geometry": shapely.geometry.shape(f["geometry"])}
             for f in features
             if f.get("kind") in ("zone", "cluster") and f["geometry"]["type"] in ("Polygon", "MultiPolygon")]
    return gpd.GeoDataFrame(rows, columns=["key", "schematic", "geometry"], geometry="geometry",
                            crs="EPSG:4326").drop_duplicates("key", keep="last")  # a name given twice: the last


def write_unit_shapes(polygons: gpd.GeoDataFrame, directory: Path, gcj02: bool = False) -> str:
    """Write ``polygons`` (:func:`unit_polygons`) as GeoJSON with a ``key`` property under ``directory``,
    named by their content (shifted to GCJ-02 when ``gcj02``); return the file name."""
    features = [{"type": "Feature", "properties": {"key": key},
                 "geometry": mapping(_to_gcj02(geometry) if gcj02 else geometry)}
                for key, geometry in zip(polygons["key"], polygons.geometry, strict=True)]
    text = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
    return write_named_by_content(directory, "units", text)


def unit_shapes(rows: pd.DataFrame, city_adcode: str, features: Sequence[dict], metric: str,
                names: Sequence[str] | None = None) -> gpd.GeoDataFrame:
    """Shapes of the units of :func:`carriermap.districts.metrics.unit_metrics` rows with their ``metric`` value.

    Districts use their polygons (matched on ``unit_code`` = adcode); a zone uses the polygon of
    the city's feature of the same name (flagged ``schematic``), and is left out when it has none.
    ``names`` are the display names, one per row (default: ``unit``). ``key`` names the polygon
    in :func:`unit_polygons`.
    """
    polygons = unit_polygons(city_adcode, features)
    official = polygons[~polygons["schematic"]].set_index("key")
    drawn = polygons[polygons["schematic"]].set_index("key")
    names = list(rows["unit"]) if names is None else list(names)
    out = []
    for name, unit, code, value in zip(names, rows["unit"], rows["unit_code"], rows[metric], strict=True):
        if str(code) in official.index:
            out.append({"key": str(code), "name": name, "value": value, "schematic": False,
                        "geometry": official.at[str(code), "geometry"]})
        elif unit in drawn.index:
            out.append({"key": unit, "name": name, "value": value, "schematic": True,
                        "geometry": drawn.at[unit, "geometry"]})
    return gpd.GeoDataFrame(out, columns=["key", "name", "value", "schematic", "geometry"], geometry="geometry",
                            crs="EPSG:4326")
