"""The map's sidebar: filter widgets and the basemap, mirrored in the URL query.

The districts page draws the same filters (:data:`FIGURE_FIELDS`, no basemap) with its own
widget state, so a figure and the map select carriers the same way.

A link reproduces the view: when the URL names a state this session has not written
itself (a shared link, an edited address), the widgets take it; otherwise the widgets win
and their state is written back to the URL (defaults left out). The filtering itself is
:mod:`carriermap.filters` (pure, tested without Streamlit).
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from carriermap import codes, filters
from carriermap.boundaries import shared_districts
from carriermap.i18n import label
from carriermap.mapview.basemaps import BASEMAPS, available_basemaps
from carriermap.ui.context import PageContext, industry_options
from carriermap.ui.url_params import write_params

MAP_FIELDS: tuple[str, ...] = ("query", "types", "levels", "specialisations", "industries", "districts", "statuses")
# The districts page: what a figure counts (its rows are the districts, so no district filter).
FIGURE_FIELDS: tuple[str, ...] = ("types", "levels", "specialisations", "industries", "statuses")
_PARAM_OF = {"types": "type", "levels": "level", "specialisations": "spec", "industries": "industry",
             "statuses": "status", "districts": "district", "query": "q"}
_BASEMAP_KEY = "map_basemap"


def _keys(prefix: str, fields: tuple[str, ...]) -> dict[str, str]:
    """MapFilters attribute -> widget key (``map_f_types`` on the map)."""
    short = {"specialisations": "spec"}
    return {attribute: f"{prefix}_f_{short.get(attribute, attribute)}" for attribute in fields}


def _params(fields: tuple[str, ...], with_basemap: bool) -> tuple[str, ...]:
    return (*(_PARAM_OF[f] for f in fields), *(("basemap",) if with_basemap else ()))


def _url_state(names: tuple[str, ...]) -> dict[str, str]:
    return {name: st.query_params[name] for name in names if name in st.query_params}


def _load_into_widgets(keys: dict[str, str], state: filters.MapFilters, basemap: str | None,
                       options: dict[str, list[str]]) -> None:
    for attribute, key in keys.items():
        value = getattr(state, attribute)
        if attribute == "query":
            st.session_state[key] = value
        else:
            st.session_state[key] = [v for v in value if v in options[attribute]]
    if basemap is not None:
        st.session_state[_BASEMAP_KEY] = basemap


def url_filters(ctx: PageContext, offered: tuple[str, ...] = BASEMAPS) -> tuple[filters.MapFilters, str]:
    """The map's filter state and basemap as the URL names them, drawing nothing (the embedded map)."""
    url = _url_state(_params(MAP_FIELDS, True))
    basemap = url.get("basemap", "osm")
    return replace(filters.from_query(url), hide_samples=ctx.hide_samples), basemap if basemap in offered else "osm"


def filter_sidebar(ctx: PageContext, *, prefix: str = "map",
                   fields: tuple[str, ...] = MAP_FIELDS, with_basemap: bool = True,
                   tianditu_key: str = "") -> tuple[filters.MapFilters, str]:
    """Draw the filters (``fields``) and, on the map, the basemap choice; return the filter state and the basemap.

    ``prefix`` keeps each page's widget state apart. The state carries the page-wide "hide
    sample records" switch (``ctx.hide_samples``). Tianditu is offered only with its key.
    """
    lang = ctx.lang
    offered = available_basemaps(tianditu_key)
    keys = _keys(prefix, fields)
    last = f"{prefix}_last_query"
    names = _params(fields, with_basemap)
    city_districts = shared_districts(ctx.city.adcode)
    district_label = dict(zip(city_districts["adcode"], city_districts["name_en" if lang == "en" else "name"],
                              strict=True))
    options = {
        "types": list(codes.CARRIER_TYPES), "levels": list(codes.LEVELS),
        "specialisations": list(codes.SPECIALISATIONS), "industries": industry_options(ctx),
        "statuses": list(codes.STATUSES), "districts": list(district_label),
    }
    url = _url_state(names)
    known = st.session_state.get(last)
    widget_keys = (*keys.values(), *((_BASEMAP_KEY,) if with_basemap else ()))
    if known is None or (url != known and url):
        basemap = url.get("basemap", "osm")
        _load_into_widgets(keys, filters.from_query(url), (basemap if basemap in offered else "osm")
                           if with_basemap else None, options)
    elif any(key not in st.session_state for key in widget_keys):
        # Back from another page: Streamlit dropped the widgets' state; restore the last view.
        basemap = known.get("basemap", "osm")
        _load_into_widgets(keys, filters.from_query(known), (basemap if basemap in offered else "osm")
                           if with_basemap else None, options)
    else:  # keep selections valid when the city changed under them
        for attribute in ("industries", "districts"):
            if attribute in keys:
                key = keys[attribute]
                st.session_state[key] = [v for v in st.session_state.get(key, []) if v in options[attribute]]

    vocab = {"types": "type", "levels": "level", "specialisations": "specialisation", "statuses": "status"}
    with st.sidebar:
        st.subheader(ctx.t("map.filters"))
        if "query" in keys:
            st.text_input(ctx.t("map.filter.query"), key=keys["query"], max_chars=filters.MAX_QUERY_LENGTH)
        for attribute, title in (("types", "map.filter.type"), ("levels", "map.filter.level"),
                                 ("specialisations", "map.filter.specialisation")):
            if attribute in keys:
                st.multiselect(ctx.t(title), options[attribute], key=keys[attribute],
                               placeholder=ctx.t("map.filter.any"),
                               format_func=lambda code, v=vocab[attribute]: label(v, code, lang))
        if "industries" in keys:
            st.multiselect(ctx.t("map.filter.industry"), options["industries"], key=keys["industries"],
                           placeholder=ctx.t("map.filter.any"))
        if "districts" in keys:
            st.multiselect(ctx.t("map.filter.district"), options["districts"], key=keys["districts"],
                           placeholder=ctx.t("map.filter.any"), format_func=lambda code: district_label.get(code, code))
        if "statuses" in keys:
            st.multiselect(ctx.t("map.filter.status"), options["statuses"], key=keys["statuses"],
                           placeholder=ctx.t("map.filter.any"), format_func=lambda code: label("status", code, lang))
        if with_basemap:
            if st.session_state.get(_BASEMAP_KEY) not in offered:
                st.session_state[_BASEMAP_KEY] = "osm"
            st.radio(ctx.t("map.basemap"), offered, key=_BASEMAP_KEY, horizontal=False,
                     format_func=lambda code: ctx.t(f"map.basemap.{code}"))
        st.button(ctx.t("map.filter.reset"), on_click=_reset, args=(keys, options), key=f"{prefix}_f_reset")

    state = filters.MapFilters(**{attribute: (st.session_state[key].strip() if attribute == "query"
                                              else tuple(st.session_state[key]))
                                  for attribute, key in keys.items()})
    state = filters.from_query(state.to_query())  # normalised (vocabulary order, trimmed text)
    basemap = st.session_state[_BASEMAP_KEY] if with_basemap else "osm"
    query = {**state.to_query(), **({"basemap": basemap} if basemap != "osm" else {})}
    write_params(query, names)
    st.session_state[last] = query
    return replace(state, hide_samples=ctx.hide_samples), basemap


def _reset(keys: dict[str, str], options: dict[str, list[str]]) -> None:
    """Back to the defaults (keeps the basemap)."""
    _load_into_widgets(keys, filters.MapFilters(), None, options)
