"""The public map of one city: the stable base map and the layers that follow the filters.

streamlit-folium remounts the map (flicker, lost view) whenever the map object changes, so
the page keeps :func:`city_base_map` (tiles only; it changes with the city or the basemap)
apart from :func:`city_layers`, passed as ``feature_group_to_add``: districts with their
carrier counts, corridors and zones, and the carriers' canvas layer. On a GCJ-02 basemap
(Gaode) every geometry is shifted with :func:`carriermap.coords.wgs84_to_gcj02`.
Every text goes through :func:`carriermap.safety.html_text` before it reaches folium.
"""

from __future__ import annotations

from typing import Any

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import mapping, shape

from carriermap import codes
from carriermap.cities import City
from carriermap.coords import wgs84_to_gcj02
from carriermap.i18n import label, labels, t
from carriermap.mapview.basemaps import base_map, needs_gcj02
from carriermap.mapview.carrier_layer import CarrierLayer
from carriermap.safety import html_text

DISTRICT_STROKE = "#34495e"
FEATURE_COLOURS = {"corridor": "#c0392b", "cluster": "#d35400", "zone": "#8e44ad"}
SCHEMATIC_DASH = "8 6"


def shift_geometry(geometry: Any, gcj02: bool) -> Any:
    """``geometry`` (shapely) in GCJ-02 when ``gcj02``, else unchanged."""
    if not gcj02:
        return geometry
    return shapely.transform(geometry, lambda xy: np.column_stack(wgs84_to_gcj02(xy[:, 0], xy[:, 1])))


def city_base_map(city: City, basemap: str = "osm", districts: gpd.GeoDataFrame | None = None) -> folium.Map:
    """The stable map of a city: tiles, fitted to its districts (no data layers)."""
    from carriermap.boundaries import districts as load_districts

    gcj02 = needs_gcj02(basemap)
    lon, lat = city.center
    if gcj02:
        lon, lat = (float(v) for v in wgs84_to_gcj02(lon, lat))
    fmap = base_map((lon, lat), city.zoom, basemap, tile_control=False)  # type: ignore[arg-type]
    polygons = load_districts(city.adcode) if districts is None else districts
    if not polygons.empty:
        west, south, east, north = shift_geometry(shapely.union_all(polygons.geometry.to_numpy()), gcj02).bounds
        fmap.fit_bounds([[south, west], [north, east]])
        fitting = next(child for child in fmap._children.values() if isinstance(child, folium.FitBounds))
        fitting.options["animate"] = False  # no zoom animation on load: the first view is the fitted one
    return fmap


def map_point(carrier: pd.Series, basemap: str = "osm") -> tuple[float, float]:
    """``(lat, lon)`` where a carrier is drawn on ``basemap`` (shifted on GCJ-02 tiles)."""
    lon, lat = float(carrier["lon"]), float(carrier["lat"])
    if needs_gcj02(basemap):
        lon, lat = (float(v) for v in wgs84_to_gcj02(lon, lat))
    return lat, lon


def layer_control() -> folium.LayerControl:
    """The control that switches the data layers on and off (given to ``st_folium``)."""
    return folium.LayerControl(collapsed=False, position="topright")


def district_counts(carriers: pd.DataFrame) -> dict[str, int]:
    """Carriers per district adcode."""
    if carriers.empty:
        return {}
    return {str(k): int(v) for k, v in carriers["district_adcode"].dropna().value_counts().items()}


def district_layer(districts: gpd.GeoDataFrame, counts: dict[str, int], lang: str,
                   gcj02: bool = False) -> folium.FeatureGroup:
    """District polygons; hover shows the name and how many (filtered) carriers it holds."""
    name_column = "name_en" if lang == "en" else "name"
    features = []
    for row in districts.itertuples(index=False):
        features.append({
            "type": "Feature",
            "geometry": mapping(shift_geometry(row.geometry, gcj02)),
            "properties": {"name": html_text(getattr(row, name_column)),
                           "count": int(counts.get(str(row.adcode), 0))},
        })
    group = folium.FeatureGroup(name=html_text(t("map.layer.districts", lang)))
    folium.GeoJson(
        {"type": "FeatureCollection", "features": features},
        style_function=lambda _f: {"color": DISTRICT_STROKE, "weight": 1.5, "fillColor": "#95a5a6",
                                   "fillOpacity": 0.06},
        highlight_function=lambda _f: {"weight": 3, "fillOpacity": 0.15},
        tooltip=folium.GeoJsonTooltip(
            fields=["name", "count"],
            aliases=[html_text(t("map.tooltip.district", lang)), html_text(t("map.tooltip.count", lang))],
            sticky=True),
    ).add_to(group)
    return group


def feature_layer(features: list[dict[str, Any]], lang: str, gcj02: bool = False) -> folium.FeatureGroup:
    """Corridors, clusters and zones; schematic ones dashed and labelled as such."""
    group = folium.FeatureGroup(name=html_text(t("map.layer.features", lang)))
    for feature in features:
        schematic = bool(feature.get("schematic"))
        kind = str(feature.get("kind") or "zone")
        text = f"{feature['name']} · {label('feature_kind', kind, lang)}"
        if schematic:
            text += f" · {t('map.schematic', lang)}"
        if not feature.get("location_source"):
            text += f" · {t('provenance.feature.unsourced', lang)}"
        colour = FEATURE_COLOURS.get(kind, "#8e44ad")
        geometry = mapping(shift_geometry(shape(feature["geometry"]), gcj02))
        style = {"color": colour, "weight": 4 if kind == "corridor" else 2, "fillColor": colour,
                 "fillOpacity": 0.12, "dashArray": SCHEMATIC_DASH if schematic else None, "opacity": 0.85}
        folium.GeoJson(
            {"type": "Feature", "geometry": geometry, "properties": {}},
            style_function=lambda _f, style=style: style,
            tooltip=folium.Tooltip(html_text(text), sticky=True),
        ).add_to(group)
    return group


def carrier_group(carriers: pd.DataFrame, lang: str, gcj02: bool = False) -> folium.FeatureGroup:
    """The carriers (filtered) on the clustered canvas layer."""
    group = folium.FeatureGroup(name=html_text(t("map.layer.carriers", lang)))
    CarrierLayer(carriers, labels("type", codes.CARRIER_TYPES, lang), gcj02=gcj02,
                 cluster_text=t("map.tooltip.cluster", lang)).add_to(group)
    return group


def city_layers(city: City, carriers: pd.DataFrame, features: list[dict[str, Any]], lang: str,
                basemap: str = "osm", districts: gpd.GeoDataFrame | None = None) -> list[folium.FeatureGroup]:
    """Every data layer of the city map, in drawing order (districts, corridors/zones, carriers)."""
    from carriermap.boundaries import districts as load_districts

    gcj02 = needs_gcj02(basemap)
    polygons = load_districts(city.adcode) if districts is None else districts
    return [
        district_layer(polygons, district_counts(carriers), lang, gcj02),
        feature_layer(features, lang, gcj02),
        carrier_group(carriers, lang, gcj02),
    ]
