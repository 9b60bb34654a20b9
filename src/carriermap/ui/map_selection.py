"""Which carrier the map page's details panel shows: the last clicked on the map or picked in the list.

A map click arrives as streamlit-folium's return value, which repeats on every rerun; only a
new value counts as a click. Picking a row in the list also re-centres the map on that
carrier once (``st_folium(center=…)`` moves the view without remounting the map).
"""

from __future__ import annotations

import streamlit as st

from carriermap.mapview.carrier_layer import clicked_carrier_id
from carriermap.text_rules import parse_count

_SELECTED = "map_selected"
_LAST_CLICK = "map_last_click"
_FOCUS = "map_focus"
LIST_KEY = "map_list"


def note_map_click(returned: dict | None) -> bool:
    """Select the carrier a new map click reports; True when it was new."""
    clicked = clicked_carrier_id(returned)
    if clicked is not None and clicked != st.session_state.get(_LAST_CLICK):
        st.session_state[_LAST_CLICK] = clicked
        st.session_state[_SELECTED] = clicked
        return True
    return False


def pick_from_list(ids: list[int]) -> None:
    """``on_select`` callback of the list: select (and focus) the carrier of the picked row."""
    rows = st.session_state[LIST_KEY].selection.rows
    if rows and rows[0] < len(ids):
        st.session_state[_SELECTED] = st.session_state[_FOCUS] = int(ids[rows[0]])


def selected() -> int | None:
    """The selected carrier id, if any."""
    return st.session_state.get(_SELECTED)


def take_focus() -> int | None:
    """The carrier to centre the map on, once (None afterwards)."""
    return st.session_state.pop(_FOCUS, None)


_URL_PARAM = "carrier"
_LAST_URL = "map_last_url_carrier"


def follow_link() -> None:
    """Select and focus the carrier a shared link names (``?carrier=ID``), once per new value."""
    raw = st.query_params.get(_URL_PARAM, "")
    carrier_id = parse_count(raw)  # "²", "１e9", a 30-digit number or "../" name no carrier: ignored
    if carrier_id is not None and raw != st.session_state.get(_LAST_URL):
        st.session_state[_LAST_URL] = raw
        st.session_state[_SELECTED] = st.session_state[_FOCUS] = carrier_id


def publish_selection() -> None:
    """Write the selected carrier to the URL, so the address bar is a link to it."""
    current = selected()
    if current is not None and st.query_params.get(_URL_PARAM) != str(current):
        st.session_state[_LAST_URL] = str(current)
        st.query_params[_URL_PARAM] = str(current)
