"""A folium map drawn as a plain same-origin frame, for maps that send nothing back (the choropleths).

``st_folium`` is a component: when it mounts it reports the map's state to the server, which
runs the page's script once more. On ``/districts`` that was a second full run per visit, and a
rerun names new files for the page's deferred downloads (a click landing in it fetched
nothing). A choropleth only shows, so it is drawn with ``st.iframe``: its HTML (folium's whole
document; every text in it escaped by :mod:`carriermap.mapview.choropleth`) goes out once and
nothing comes back. The frame is ``srcdoc``, so the self-hosted Leaflet files and the units'
static file load from the app's own address.
"""

from __future__ import annotations

import folium


def map_html(fmap: folium.Map) -> str:
    """The map as one HTML document (folium's own template, assets from the map's basemap)."""
    return fmap.get_root().render()


def draw_static_map(html: str, height: int) -> None:
    """Draw a map's :func:`map_html` ``height`` pixels high across its column; no value comes back,
    no rerun follows."""
    import streamlit as st

    st.iframe(html, height=height)
