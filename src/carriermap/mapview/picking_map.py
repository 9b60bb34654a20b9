"""A map to pick a point on: districts (named) and carriers for orientation; a click returns the point.

Reusable by any page that needs a location from a click (find space's search point, a
placement queue that sets where a carrier sits, ...)::

    from carriermap.mapview.picking_map import pick_point

    clicked = pick_point("fs_pick", ctx.city, carriers, ctx.lang, basemap=basemap,
                         layers=[my_group], view=fit_view("search-1", bounds))
    if clicked is not None:          # a NEW click only (None on every other rerun)
        lon, lat = clicked           # WGS-84, whatever the basemap

- ``key`` names this map in the session (use one key per picking map on a page).
- ``carriers`` is any frame with ``id``, ``lon``, ``lat`` (WGS-84), ``type``, ``name``: drawn
  clustered, named on hover, not clickable (a click always picks a point).
- ``layers`` are extra ``folium.FeatureGroup`` s drawn on top (e.g. the chosen point and
  results); build their coordinates with :func:`carriermap.mapview.view_control.drawn` so
  they sit right on a GCJ-02 basemap.
- ``view`` (:func:`~carriermap.mapview.view_control.fit_view` /
  :func:`~carriermap.mapview.view_control.centre_view`) moves the map once per view key; None
  keeps the user's pan and zoom. The base map depends on the city only, so nothing here
  remounts the map (no flicker) when the layers, the view or the basemap change.

:func:`picking_layers` and :func:`clicked_point` are the pure parts (tested without Streamlit).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import folium
import geopandas as gpd
import pandas as pd

from carriermap.cities import City
from carriermap.coords import gcj02_to_wgs84
from carriermap.i18n import t
from carriermap.mapview.basemaps import needs_gcj02
from carriermap.mapview.city_map import carrier_group, city_base_map, view_group
from carriermap.mapview.district_layer import district_layer
from carriermap.mapview.view_control import ViewControl

CARRIER_COLUMNS = ("id", "lon", "lat", "type", "name")


def picking_layers(city: City, carriers: pd.DataFrame, lang: str, *, basemap: str = "osm",
                   layers: Sequence[folium.FeatureGroup] = (), view: dict[str, Any] | None = None,
                   districts: gpd.GeoDataFrame | None = None, chosen_districts: Sequence[str] = (),
                   tianditu_key: str = "", payload: tuple[str, Any] | None = None,
                   shapes_url: str | None = None) -> list[folium.FeatureGroup]:
    """The picking map's layers: view control, labelled districts, carriers (not clickable), then ``layers``.

    ``payload`` and ``shapes_url`` are the static files of the city map
    (:func:`~carriermap.mapview.city_map.city_layers`): with them a rerun sends a mask of the
    carriers and the districts' names, not every point and polygon."""
    from carriermap.boundaries import shared_districts

    gcj02 = needs_gcj02(basemap)
    polygons = shared_districts(city.adcode) if districts is None else districts
    control = ViewControl(basemap, city.center, t("map.tiles_failed", lang), view=view, tianditu_key=tianditu_key)
    from carriermap.location import placed_mask

    if payload is not None or not len(carriers):
        frame = carriers  # only ids reach the mask (unplaced ones are not in the file); the same frame: a cached mask
    else:
        frame = carriers.loc[placed_mask(carriers), list(CARRIER_COLUMNS)]  # points only
    return [
        view_group(control),
        district_layer(polygons, None, lang, gcj02, chosen=chosen_districts, shapes_url=shapes_url),
        carrier_group(frame, lang, gcj02, interactive=False, payload=payload),
        *layers,
    ]


def clicked_point(last_clicked: dict[str, Any] | None, basemap: str) -> tuple[float, float] | None:
    """The WGS-84 (lon, lat) of a map click as ``st_folium`` reports it (``{"lat", "lng"}``), or None."""
    if not last_clicked or last_clicked.get("lat") is None or last_clicked.get("lng") is None:
        return None
    lon, lat = float(last_clicked["lng"]), float(last_clicked["lat"])
    if needs_gcj02(basemap):
        lon, lat = (float(v) for v in gcj02_to_wgs84(lon, lat))
    return lon, lat


def pick_point(key: str, city: City, carriers: pd.DataFrame, lang: str, *, basemap: str = "osm",
               layers: Sequence[folium.FeatureGroup] = (), view: dict[str, Any] | None = None,
               chosen_districts: Sequence[str] = (), tianditu_key: str = "",
               height: int = 460, payload: tuple[str, Any] | None = None,
               shapes_url: str | None = None) -> tuple[float, float] | None:
    """Draw the picking map; return the WGS-84 (lon, lat) of a new click, else None (see the module doc)."""
    import streamlit as st
    from streamlit_folium import st_folium

    state = st_folium(
        city_base_map(city), key=f"{key}_{city.adcode}", height=height, width=None,
        returned_objects=["last_clicked"],
        feature_group_to_add=picking_layers(city, carriers, lang, basemap=basemap, layers=layers, view=view,
                                            chosen_districts=chosen_districts, tianditu_key=tianditu_key,
                                            payload=payload, shapes_url=shapes_url),
    )
    click = clicked_point((state or {}).get("last_clicked"), basemap)
    seen = f"{key}_{city.adcode}_last_click"
    if click is None or st.session_state.get(seen) == click:
        return None
    st.session_state[seen] = click
    return click
