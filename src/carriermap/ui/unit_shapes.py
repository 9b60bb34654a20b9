"""Where the districts page's choropleths fetch the city's unit polygons (a static file per data version)."""

from __future__ import annotations

import streamlit as st

from carriermap.store.engine import default_url
from carriermap.ui.context import PageContext, get_store


@st.cache_resource(show_spinner=False, max_entries=16)
def _unit_shapes_url(url: str, city_adcode: str, data_version: int) -> str:
    from carriermap.mapview.choropleth import unit_polygons, write_unit_shapes
    from carriermap.paths import STATIC_DIR

    polygons = unit_polygons(city_adcode, get_store().features(city_adcode))
    return f"/app/static/cache/{write_unit_shapes(polygons, STATIC_DIR / 'cache')}"


def unit_shapes_url(ctx: PageContext) -> str:
    """URL of the file holding every polygon a unit of the city can have (districts, zone outlines), for
    :func:`carriermap.mapview.choropleth.choropleth` on the self-hosted ``none`` basemap: written once per
    data version (zone outlines are data), so a rerun sends each unit's fill and hover text only."""
    return _unit_shapes_url(default_url(), ctx.city.adcode, ctx.store.data_version())
