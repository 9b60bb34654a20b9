"""The public map of one city: the stable base map and the layers that follow the filters.

streamlit-folium remounts the map (flicker, lost view) whenever the map object changes, so
the page keeps :func:`city_base_map` (no tiles; it changes with the city only) apart from
:func:`city_layers`, passed as ``feature_group_to_add``: the view control (basemap tiles and
the view, :mod:`carriermap.mapview.view_control`), districts with their carrier counts and
labels, corridors and zones, and the carriers' canvas layer. On a GCJ-02 basemap
(Gaode) every geometry is shifted with :func:`carriermap.coords.wgs84_to_gcj02`.
Every text goes through :func:`carriermap.safety.html_text` before it reaches folium.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
import shapely
from shapely.geometry import mapping, shape

from carriermap import codes
from carriermap.cities import City
from carriermap.coords import wgs84_to_gcj02
from carriermap.i18n import label, labels, t
from carriermap.mapview.basemaps import base_map, needs_gcj02
from carriermap.mapview.carrier_layer import CarrierLayer, frame_mask
from carriermap.mapview.district_layer import DISTRICT_STROKE, district_layer, shift_geometry
from carriermap.mapview.raw_render import GeoJson
from carriermap.mapview.view_control import ViewControl
from carriermap.safety import html_text

__all__ = ["DISTRICT_STROKE", "city_base_map", "city_bounds", "city_layers", "district_counts", "district_layer",
           "feature_layer", "layer_control", "map_point", "shift_geometry", "view_group"]
FEATURE_COLOURS = {"corridor": "#c0392b", "cluster": "#d35400", "zone": "#8e44ad"}
SCHEMATIC_DASH = "8 6"


@cache
def city_bounds(city_adcode: str) -> tuple[float, float, float, float] | None:
    """(west, south, east, north) of a city's districts (WGS-84), or None without boundaries."""
    from carriermap.boundaries import shared_districts

    polygons = shared_districts(city_adcode)
    if polygons.empty:
        return None
    return tuple(float(v) for v in shapely.union_all(polygons.geometry.to_numpy()).bounds)  # type: ignore[return-value]


def city_base_map(city: City) -> folium.Map:
    """The stable map of a city: no tiles (the :class:`ViewControl` adds them), fitted to its districts.

    It depends on the city only, so switching basemap or filters never remounts it.
    """
    fmap = base_map(city.center, city.zoom, "none", tile_control=False)
    bounds = city_bounds(city.adcode)
    if bounds is not None:
        west, south, east, north = bounds
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


def feature_layer(features: list[dict[str, Any]], lang: str, gcj02: bool = False) -> folium.FeatureGroup:
    """Corridors, clusters and zones in one GeoJSON layer; schematic ones dashed and labelled as such.

    One layer (not one ``GeoJson`` each): every folium element costs a template compile on each rerun.
    """
    group = folium.FeatureGroup(name=html_text(t("map.layer.features", lang)))
    items = []
    for feature in features:
        schematic = bool(feature.get("schematic"))
        kind = str(feature.get("kind") or "zone")
        text = f"{feature['name']} · {label('feature_kind', kind, lang)}"
        if schematic:
            text += f" · {t('map.schematic', lang)}"
        if not feature.get("location_source"):
            text += f" · {t('provenance.feature.unsourced', lang)}"
        colour = FEATURE_COLOURS.get(kind, "#8e44ad")
        items.append({"type": "Feature", "geometry": mapping(shift_geometry(shape(feature["geometry"]), gcj02)),
                      "properties": {"text": html_text(text), "colour": colour,
                                     "weight": 4 if kind == "corridor" else 2, "dash": schematic}})
    if items:
        GeoJson(
            {"type": "FeatureCollection", "features": items},
            style_function=lambda f: {"color": f["properties"]["colour"], "weight": f["properties"]["weight"],
                                      "fillColor": f["properties"]["colour"], "fillOpacity": 0.12, "opacity": 0.85,
                                      "dashArray": SCHEMATIC_DASH if f["properties"]["dash"] else None},
            tooltip=folium.GeoJsonTooltip(fields=["text"], labels=False, sticky=True),
        ).add_to(group)
    return group


def carrier_group(carriers: pd.DataFrame, lang: str, gcj02: bool = False, selected: int | None = None,
                  interactive: bool = True, payload: tuple[str, Any] | None = None) -> folium.FeatureGroup:
    """The carriers (filtered) on the clustered canvas layer; ``selected`` is ringed.

    ``payload`` is ``(url, ids)`` of a :func:`~carriermap.mapview.carrier_layer.write_payload`
    file holding every carrier: then only a mask of ``carriers`` is sent.
    """
    group = folium.FeatureGroup(name=html_text(t("map.layer.carriers", lang)))
    source = {"src": payload[0], "mask": frame_mask(payload[1], carriers)} if payload else {}
    CarrierLayer(carriers, labels("type", codes.CARRIER_TYPES, lang), gcj02=gcj02,
                 cluster_text=t("map.tooltip.cluster", lang), selected=selected, interactive=interactive,
                 **source).add_to(group)
    return group


def view_group(control: ViewControl) -> folium.FeatureGroup:
    """A feature group holding only the view control (kept out of the layer switcher)."""
    group = folium.FeatureGroup(name="view", control=False)
    control.add_to(group)
    return group


def city_layers(city: City, carriers: pd.DataFrame, features: list[dict[str, Any]], lang: str,
                basemap: str = "osm", districts: gpd.GeoDataFrame | None = None, *,
                chosen_districts: Sequence[str] = (), selected: int | None = None,
                view: dict[str, Any] | None = None, tianditu_key: str = "",
                payload: tuple[str, Any] | None = None, shapes_url: str | None = None) -> list[folium.FeatureGroup]:
    """Every layer of the city map, in drawing order: the view control (tiles, view), districts
    (chosen ones outlined, all labelled), corridors/zones, carriers (``selected`` ringed).

    ``payload`` (the carriers) and ``shapes_url`` (the district polygons) name static files that
    hold what never changes with the filters (see :func:`carrier_group` and
    :func:`~carriermap.mapview.district_layer.district_layer`)."""
    from carriermap.boundaries import shared_districts
    from carriermap.location import placed_mask

    gcj02 = needs_gcj02(basemap)
    polygons = shared_districts(city.adcode) if districts is None else districts
    control = ViewControl(basemap, city.center, t("map.tiles_failed", lang), view=view, tianditu_key=tianditu_key)
    return [
        view_group(control),
        district_layer(polygons, district_counts(carriers), lang, gcj02, chosen=chosen_districts,
                       shapes_url=shapes_url),
        feature_layer(features, lang, gcj02),
        carrier_group(carriers[placed_mask(carriers)], lang, gcj02, selected=selected, payload=payload),  # unplaced: listed
    ]
