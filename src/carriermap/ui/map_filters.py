"""The map's sidebar: filter widgets and the basemap, mirrored in the URL query.

A link reproduces the view: when the URL names a state this session has not written
itself (a shared link, an edited address), the widgets take it; otherwise the widgets win
and their state is written back to the URL (defaults left out). The filtering itself is
:mod:`carriermap.filters` (pure, tested without Streamlit).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from carriermap import codes, filters
from carriermap.boundaries import districts
from carriermap.i18n import label
from carriermap.mapview.basemaps import BASEMAPS, available_basemaps
from carriermap.ui.context import PageContext

_KEYS = {  # MapFilters attribute -> widget key
    "types": "map_f_types", "levels": "map_f_levels", "specialisations": "map_f_spec",
    "industries": "map_f_industries", "statuses": "map_f_statuses", "districts": "map_f_districts",
    "query": "map_f_query",
}
_BASEMAP_KEY = "map_basemap"
_LAST = "map_last_query"


def _url_state() -> dict[str, str]:
    names = (*filters.query_param_names(), "basemap")
    return {name: st.query_params[name] for name in names if name in st.query_params}


def _load_into_widgets(state: filters.MapFilters, basemap: str, options: dict[str, list[str]]) -> None:
    for attribute, key in _KEYS.items():
        value = getattr(state, attribute)
        if attribute == "query":
            st.session_state[key] = value
        else:
            st.session_state[key] = [v for v in value if v in options[attribute]]
    st.session_state[_BASEMAP_KEY] = basemap


def _write_url(query: dict[str, str]) -> None:
    for name in (*filters.query_param_names(), "basemap"):
        if name in query:
            if st.query_params.get(name) != query[name]:
                st.query_params[name] = query[name]
        elif name in st.query_params:
            del st.query_params[name]


def url_filters(offered: tuple[str, ...] = BASEMAPS) -> tuple[filters.MapFilters, str]:
    """The filter state and basemap the URL names, without drawing anything (the embedded map)."""
    url = _url_state()
    basemap = url.get("basemap", "osm")
    return filters.from_query(url), basemap if basemap in offered else "osm"


def filter_sidebar(ctx: PageContext, carriers: pd.DataFrame,
                   tianditu_key: str = "") -> tuple[filters.MapFilters, str]:
    """Draw the filters and the basemap choice; return the filter state and the basemap code.

    Tianditu is offered only when the deployment has its key (``tianditu_key``).
    """
    lang = ctx.lang
    offered = available_basemaps(tianditu_key)
    city_districts = districts(ctx.city.adcode)
    district_label = dict(zip(city_districts["adcode"], city_districts["name_en" if lang == "en" else "name"],
                              strict=True))
    options = {
        "types": list(codes.CARRIER_TYPES), "levels": list(codes.LEVELS),
        "specialisations": list(codes.SPECIALISATIONS), "industries": filters.industries_of(carriers),
        "statuses": list(codes.STATUSES), "districts": list(district_label),
    }
    url = _url_state()
    known = st.session_state.get(_LAST)
    if known is None or (url != known and url):
        basemap = url.get("basemap", "osm")
        _load_into_widgets(filters.from_query(url), basemap if basemap in offered else "osm", options)
    elif any(key not in st.session_state for key in (*_KEYS.values(), _BASEMAP_KEY)):
        # Back from another page: Streamlit dropped the widgets' state; restore the last view.
        basemap = known.get("basemap", "osm")
        _load_into_widgets(filters.from_query(known), basemap if basemap in offered else "osm", options)
    else:  # keep selections valid when the city changed under them
        for attribute in ("industries", "districts"):
            key = _KEYS[attribute]
            st.session_state[key] = [v for v in st.session_state.get(key, []) if v in options[attribute]]

    vocab = {"types": "type", "levels": "level", "specialisations": "specialisation", "statuses": "status"}
    with st.sidebar:
        st.subheader(ctx.t("map.filters"))
        st.text_input(ctx.t("map.filter.query"), key=_KEYS["query"], max_chars=filters.MAX_QUERY_LENGTH)
        for attribute, title in (("types", "map.filter.type"), ("levels", "map.filter.level"),
                                 ("specialisations", "map.filter.specialisation")):
            st.multiselect(ctx.t(title), options[attribute], key=_KEYS[attribute],
                           placeholder=ctx.t("map.filter.any"),
                           format_func=lambda code, v=vocab[attribute]: label(v, code, lang))
        st.multiselect(ctx.t("map.filter.industry"), options["industries"], key=_KEYS["industries"],
                       placeholder=ctx.t("map.filter.any"))
        st.multiselect(ctx.t("map.filter.district"), options["districts"], key=_KEYS["districts"],
                       placeholder=ctx.t("map.filter.any"), format_func=lambda code: district_label.get(code, code))
        st.multiselect(ctx.t("map.filter.status"), options["statuses"], key=_KEYS["statuses"],
                       placeholder=ctx.t("map.filter.any"), format_func=lambda code: label("status", code, lang))
        if st.session_state.get(_BASEMAP_KEY) not in offered:
            st.session_state[_BASEMAP_KEY] = "osm"
        st.radio(ctx.t("map.basemap"), offered, key=_BASEMAP_KEY, horizontal=False,
                 format_func=lambda code: ctx.t(f"map.basemap.{code}"))
        st.button(ctx.t("map.filter.reset"), on_click=_reset, args=(options,))

    state = filters.MapFilters(**{attribute: (st.session_state[key].strip() if attribute == "query"
                                              else tuple(st.session_state[key]))
                                  for attribute, key in _KEYS.items()})
    state = filters.from_query(state.to_query())  # normalised (vocabulary order, trimmed text)
    basemap = st.session_state[_BASEMAP_KEY]
    query = {**state.to_query(), **({"basemap": basemap} if basemap != "osm" else {})}
    _write_url(query)
    st.session_state[_LAST] = query
    return state, basemap


def _reset(options: dict[str, list[str]]) -> None:
    """Back to the defaults (keeps the basemap)."""
    _load_into_widgets(filters.MapFilters(), st.session_state.get(_BASEMAP_KEY, "osm"), options)
