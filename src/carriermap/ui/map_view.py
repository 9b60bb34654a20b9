"""Where the map page's map looks, decided once per event and kept until the next one.

Events: a filter change (fit what the filters leave, :mod:`carriermap.mapview.fitting`) and a
carrier picked from the list or named by a link (centre on it at
:data:`~carriermap.mapview.fitting.FOCUS_ZOOM`). Each event gets a new view key; the browser
applies a view only when its key is new (:mod:`carriermap.mapview.view_control`), so any other
rerun (a click on the map, a basemap switch) leaves the user's pan and zoom alone.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from carriermap.boundaries import shared_districts
from carriermap.filters import MapFilters
from carriermap.mapview.city_map import city_bounds
from carriermap.mapview.fitting import FOCUS_ZOOM, filter_bounds
from carriermap.mapview.view_control import centre_view, fit_view

_VIEW = "map_view_intent"
_FILTERS = "map_view_filters"
_COUNT = "map_view_count"


def _next_key(kind: str) -> str:
    count = st.session_state.get(_COUNT, 0) + 1
    st.session_state[_COUNT] = count
    return f"{kind}:{count}"


def page_view(city_adcode: str, state: MapFilters, shown: pd.DataFrame, focus: pd.DataFrame,
              basemap: str) -> dict[str, Any] | None:
    """The view to send with this run's layers (None: leave the map where it is)."""
    filter_key = (city_adcode, tuple(sorted(state.to_query().items())))
    filters_changed = st.session_state.get(_FILTERS) != filter_key
    st.session_state[_FILTERS] = filter_key
    intent = st.session_state.get(_VIEW)
    if len(focus):
        row = focus.iloc[0]
        intent = {"kind": "carrier", "key": _next_key("carrier"), "lon": float(row["lon"]), "lat": float(row["lat"])}
    elif filters_changed:
        bounds = filter_bounds(shown, shared_districts(city_adcode), state.districts, city_bounds(city_adcode),
                               filtered=not state.is_default())
        intent = {"kind": "fit", "key": _next_key("fit"), "bounds": bounds} if bounds else None
    st.session_state[_VIEW] = intent
    if intent is None:
        return None
    if intent["kind"] == "carrier":
        return centre_view(intent["key"], intent["lon"], intent["lat"], FOCUS_ZOOM, basemap)
    return fit_view(intent["key"], intent["bounds"], basemap)
