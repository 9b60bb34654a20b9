"""A choropleth of one metric on the district polygons (and schematic zone outlines).

Pure builder: a frame of shapes and values in, a ``folium.Map`` out, on the self-hosted base
map. Every text reaching the map (names, values, legend) goes through
:func:`carriermap.safety.html_text`: ``GeoJsonTooltip`` writes properties with ``innerHTML``.
The legend is plain HTML in the map's page (branca's colormap legend loads d3 from a CDN).
"""

from __future__ import annotations

from collections.abc import Sequence

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from carriermap.coords import wgs84_to_gcj02
from carriermap.mapview.basemaps import Basemap, base_map, needs_gcj02
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


def choropleth(shapes: gpd.GeoDataFrame, *, title: str, value_texts: Sequence[str], legend_labels: Sequence[str],
               no_data_label: str, center: tuple[float, float], zoom: int, basemap: Basemap = "osm",
               name_alias: str = "", value_alias: str = "", bounds: Sequence[float] | None = None) -> folium.Map:
    """A map of ``shapes`` (WGS-84; columns ``name``, ``value``, optional ``schematic`` bool) filled by ``value``.

    ``value_texts`` are the values formatted for the tooltip (one per shape); ``legend_labels``
    name the classes of ``bounds`` (computed with :func:`breaks` when not given). Schematic
    shapes (zones whose outline the sources do not give) are drawn dashed on top.
    """
    values = pd.to_numeric(shapes["value"], errors="coerce").to_numpy(dtype=float)
    bounds = list(bounds) if bounds is not None else breaks(values)
    frame = gpd.GeoDataFrame({
        "name": [html_text(n) for n in shapes["name"]],
        "value_text": [html_text(v) for v in value_texts],
        "fill": [colour(v, bounds) for v in values],
        "schematic": shapes["schematic"].astype(bool) if "schematic" in shapes else False,
    }, geometry=shapes.geometry.to_numpy(), crs="EPSG:4326")
    if needs_gcj02(basemap):
        frame = frame.set_geometry(frame.geometry.map(_to_gcj02))
    fmap = base_map(center, zoom, basemap)
    aliases = [html_text(name_alias), html_text(value_alias)]
    for schematic, part in frame.groupby("schematic", sort=True):
        folium.GeoJson(
            part.__geo_interface__,
            style_function=lambda feature, dashed=bool(schematic): {
                "fillColor": feature["properties"]["fill"], "fillOpacity": 0.85 if not dashed else 0.6,
                "color": "#08306b" if dashed else "#555", "weight": 2 if dashed else 1,
                "dashArray": "6 4" if dashed else None},
            highlight_function=lambda feature: {"weight": 3, "color": "#e6550d"},
            tooltip=folium.GeoJsonTooltip(fields=["name", "value_text"], aliases=aliases, sticky=True),
        ).add_to(fmap)
    if len(frame):
        west, south, east, north = frame.total_bounds
        fmap.fit_bounds([[south, west], [north, east]])
    fmap.get_root().html.add_child(folium.Element(_legend_html(title, bounds, legend_labels, no_data_label)))
    return fmap


def unit_shapes(rows: pd.DataFrame, city_adcode: str, features: Sequence[dict], metric: str,
                names: Sequence[str] | None = None) -> gpd.GeoDataFrame:
    """Shapes of the units of :func:`carriermap.districts.metrics.unit_metrics` rows with their ``metric`` value.

    Districts use their polygons (matched on ``unit_code`` = adcode); a zone uses the polygon of
    the city's feature of the same name (flagged ``schematic``), and is left out when it has none.
    ``names`` are the display names, one per row (default: ``unit``).
    """
    from carriermap.boundaries import districts

    gdf = districts(city_adcode).set_index("adcode")
    polygons = {f["name"]: shapely.geometry.shape(f["geometry"]) for f in features
                if f.get("kind") in ("zone", "cluster") and f["geometry"]["type"] in ("Polygon", "MultiPolygon")}
    names = list(rows["unit"]) if names is None else list(names)
    out = []
    for name, unit, code, value in zip(names, rows["unit"], rows["unit_code"], rows[metric], strict=True):
        if code in gdf.index:
            out.append({"name": name, "value": value, "schematic": False, "geometry": gdf.at[code, "geometry"]})
        elif unit in polygons:
            out.append({"name": name, "value": value, "schematic": True, "geometry": polygons[unit]})
    return gpd.GeoDataFrame(out, columns=["name", "value", "schematic", "geometry"], geometry="geometry",
                            crs="EPSG:4326")
