"""What every page needs: the chosen city and language, the store, and the cached data.

City and language live in the URL (``?city=440100&lang=en``) and in the session; the router
(``app.py``) calls :func:`sidebar` once per run so pages don't repeat the block.
Caches are shared by every user of the process: only shared data goes there (never
anything per user), keyed on the database URL and its data version.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from carriermap.cities import City, all_cities, city_or_default
from carriermap.i18n import LANGUAGES, normalise_language, t
from carriermap.metrics import GroupBy
from carriermap.nearby import NearbySearch
from carriermap.store import Store
from carriermap.store.engine import default_url


@dataclass(frozen=True)
class PageContext:
    """The city, the language and the store of the current run."""

    city: City
    lang: str
    store: Store

    def t(self, key: str, **fields: object) -> str:
        """Shortcut for :func:`carriermap.i18n.t` in this page's language."""
        return t(key, self.lang, **fields)


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    return Store.open(url)


def get_store() -> Store:
    """The process-wide store (one engine and pool per database URL)."""
    return _store(default_url())


@st.cache_data(show_spinner=False, max_entries=32)
def _carriers(url: str, city_adcode: str, data_version: int) -> pd.DataFrame:
    return _store(url).carriers(city_adcode)


def carriers(ctx: PageContext) -> pd.DataFrame:
    """All carriers of the context's city (delisted included), cached per data version."""
    store = ctx.store
    return _carriers(default_url(), ctx.city.adcode, store.data_version()).copy()


@st.cache_data(show_spinner=False, max_entries=32)
def _unit_metrics(url: str, city_adcode: str, by: str, data_version: int) -> pd.DataFrame:
    from carriermap.metrics_sql import unit_metrics_from_store

    return unit_metrics_from_store(_store(url), city_adcode, by)


def unit_metrics(ctx: PageContext, by: GroupBy) -> pd.DataFrame:
    """:func:`carriermap.metrics.unit_metrics` of the context's city, counted by the database, cached per data version."""
    return _unit_metrics(default_url(), ctx.city.adcode, by, ctx.store.data_version()).copy()


@st.cache_resource(show_spinner=False, max_entries=8)
def _nearby_search(url: str, city_adcode: str, data_version: int) -> NearbySearch:
    store = _store(url)
    return NearbySearch(_carriers(url, city_adcode, data_version), source=store.nearby_source(city_adcode))


def nearby_search(ctx: PageContext) -> NearbySearch:
    """The find-space search over the context's city, built once per data version and shared (read-only).

    On PostGIS its candidates come from the database (:meth:`Store.nearby_source`), on
    SQLite from its in-memory index; the results are the same.
    """
    return _nearby_search(default_url(), ctx.city.adcode, ctx.store.data_version())


def _remember(key: str, value: str) -> None:
    st.session_state[key] = value
    if st.query_params.get(key) != value:
        st.query_params[key] = value


def _sync_from_url(param: str, widget_key: str, value: str) -> None:
    """Let the URL set a widget when it names a value the session has not seen yet."""
    if st.query_params.get(param) and st.session_state.get(param) != value:
        st.session_state[widget_key] = value
    elif widget_key not in st.session_state:
        st.session_state[widget_key] = value


def is_embedded() -> bool:
    """True when the app runs in Streamlit's embed mode (``?embed=true``, e.g. a portal's iframe).

    Streamlit hides ``embed`` from ``st.query_params``; ``st.context.is_embedded`` reads it.
    """
    return bool(st.context.is_embedded)


def sidebar(draw: bool = True) -> PageContext:
    """Draw the city and language pickers (unless ``draw`` is False: embedded); return the page context.

    The URL wins when it names a new value (a shared link reproduces the view); otherwise
    the widgets do. The values are written back to the URL because Streamlit clears query
    parameters when the user switches pages.
    """
    city = city_or_default(st.query_params.get("city") or st.session_state.get("city"))
    lang = normalise_language(st.query_params.get("lang") or st.session_state.get("lang"))
    _sync_from_url("city", "ui_city", city.adcode)
    _sync_from_url("lang", "ui_lang", lang)
    lang = normalise_language(st.session_state["ui_lang"])
    if draw:
        with st.sidebar:
            st.selectbox(t("app.city", lang), [c.adcode for c in all_cities()], key="ui_city",
                         format_func=lambda code: city_or_default(code).display_name(lang))
            st.radio(t("app.language", lang), LANGUAGES, key="ui_lang", horizontal=True,
                     format_func=lambda code: t(f"app.language.{code}", code))
    city = city_or_default(st.session_state["ui_city"])
    lang = normalise_language(st.session_state["ui_lang"])
    _remember("city", city.adcode)
    _remember("lang", lang)
    ctx = PageContext(city=city, lang=lang, store=get_store())
    st.session_state["_page_context"] = ctx
    return ctx


def ensure_router() -> None:
    """Make sure ``app.py`` routes this session, even when the first visit is a sub-page.

    Streamlit (pinned 1.67) runs a fresh process in its legacy "pages/ directory" mode until
    some session calls ``st.navigation``; a first visit to ``/districts`` would then run the
    page alone, without the router's titles. Turning the legacy flag off and rerunning makes
    the router run and resolve the same URL path. (Internal flag; covered by a browser test.)
    """
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def current() -> PageContext:
    """The context set up by the router for this run."""
    ensure_router()
    ctx = st.session_state.get("_page_context")
    return ctx if ctx is not None else sidebar()
