"""Find space's search mirrored in the URL (:mod:`carriermap.space.link`), like the map's filters.

When the URL names a search this session has not written itself (a link a founder sent), the
widgets take it (the point as typed WGS-84 coordinates); otherwise the widgets win and the
search is written back to the URL.
"""

from __future__ import annotations

import streamlit as st

from carriermap.space.link import DEFAULT_RADIUS_KM, PARAMS, SearchQuery, from_query
from carriermap.ui.url_params import write_params

_LAST = "fs_last_query"
DEFAULTS = {"fs_radius": DEFAULT_RADIUS_KM, "fs_area": 0, "fs_rent": 0}


def load_from_url(industries: list[str], address_ok: bool = False) -> None:
    """Call before the widgets: a new search in the URL is put into them.

    A typed address (``addr``) is taken back as an address when a geocoder is configured
    (``address_ok``); otherwise the point (``at``) is used as coordinates.
    """
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value)
    url = {name: st.query_params[name] for name in PARAMS if name in st.query_params}
    if not url or url == st.session_state.get(_LAST):
        return
    query = from_query(url)
    if query.address and address_ok:
        st.session_state["fs_mode"] = "address"
        st.session_state["fs_address"] = query.address
    elif query.point is not None:
        st.session_state["fs_mode"] = "coordinates"
        st.session_state["fs_text"] = f"{query.point[0]:.6f},{query.point[1]:.6f}"
        st.session_state["fs_crs"] = "wgs84"
    st.session_state["fs_radius"] = float(query.radius_km)
    st.session_state["fs_area"] = int(query.min_area)
    st.session_state["fs_rent"] = int(query.max_rent)
    st.session_state["fs_types"] = list(query.types)
    st.session_state["fs_industries"] = [i for i in query.industries if i in industries]
    st.session_state["fs_levels"] = list(query.levels)
    st.session_state[_LAST] = url


def write_to_url(query: SearchQuery) -> None:
    """Write the current search to the URL (defaults left out)."""
    params = query.to_query()
    write_params(params, PARAMS)
    st.session_state[_LAST] = params
