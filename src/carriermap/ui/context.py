"""What every page needs: the chosen city and language, the store, and the cached data.

City and language live in the URL (``?city=440100&lang=en``) and in the session; the router
(``app.py``) calls :func:`sidebar` once per run so pages don't repeat the block.
Caches are shared by every user of the process: only shared data goes there (never
anything per user), keyed on the database URL and its data version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import streamlit as st

from carriermap import filters
from carriermap.cities import City, all_cities, city_or_default
from carriermap.districts.metrics import GroupBy
from carriermap.i18n import LANGUAGES, normalise_language, t
from carriermap.safety import MarkdownSafe, md_fields
from carriermap.settings import sample_data_enabled
from carriermap.space.search import NearbySearch
from carriermap.store import Store
from carriermap.store.engine import default_url
from carriermap.web.shared_carriers import SharedCarriers


@dataclass(frozen=True)
class PageContext:
    """The city, the language and the store of the current run."""

    city: City
    lang: str
    store: Store
    hide_samples: bool = False  # the page-wide "hide sample records" switch (always on in a sample-free deployment)

    def t(self, key: str, **fields: object) -> MarkdownSafe:
        """The catalogue text of ``key`` in this page's language, for places that render Markdown.

        Streamlit renders Markdown in titles, captions, alerts, labels and table cells, so every
        text field is escaped (:func:`carriermap.safety.md_text`): a carrier named
        ``![x](http://…)`` shows as those characters, never as an image or a link. Numbers and
        texts that are already :class:`~carriermap.safety.MarkdownSafe` (another ``ctx.t``) pass as they are.
        """
        return MarkdownSafe(t(key, self.lang, **md_fields(fields)))

    def plain(self, key: str, **fields: object) -> str:
        """The catalogue text unescaped, for places that show plain text (``st.text``, chart titles, file names)."""
        return t(key, self.lang, **fields)


@st.cache_resource(show_spinner=False)
def _store(url: str) -> Store:
    return Store.open(url)


def get_store() -> Store:
    """The process-wide store (one engine and pool per database URL)."""
    return _store(default_url())


@st.cache_resource(show_spinner=False)
def _shared(url: str) -> SharedCarriers:
    """The process's newest carrier frame per city of the database at ``url``, patched after each write."""
    store = _store(url)

    def read(city_adcode: str, ids: list[int] | None) -> pd.DataFrame:
        from carriermap.invented import with_flags
        from carriermap.web.memory import release_free_memory

        frame = with_flags(store.carriers(city_adcode, ids=ids))  # the pages count invented values on every rerun
        if ids is None:
            release_free_memory()  # the read's transient rows, handed back
        return frame

    return SharedCarriers(read, store.touched_since, store.data_version)


def _carriers(url: str, city_adcode: str, data_version: int, hide_samples: bool = False) -> pd.DataFrame:
    shared = _shared(url)
    if not hide_samples:
        return shared.frame(city_adcode, data_version)
    return shared.derived(city_adcode, data_version, "samples hidden",
                          lambda frame: filters.apply(frame, filters.MapFilters(statuses=(), hide_samples=True)))


def carriers(ctx: PageContext) -> pd.DataFrame:
    """All carriers of the context's city (delisted included; sample records left out when hidden):
    ONE shared frame, the newest the process has (:mod:`carriermap.web.shared_carriers`).

    Every session of the process gets the same object (no per-session or per-rerun copy: at
    100,000 carriers a copy is tens of MB), and a write replaces it by a patched one rather than
    a whole read. Treat it as read-only: filter or select from it (pandas copy-on-write keeps
    derived frames apart), never assign into it. It carries the ``invented:<field>`` flags of
    :func:`carriermap.invented.with_flags`.
    """
    return _carriers(default_url(), ctx.city.adcode, ctx.store.data_version(), ctx.hide_samples)


@st.cache_data(show_spinner=False, max_entries=64)
def _unit_metrics(url: str, city_adcode: str, by: str, data_version: int,
                  selection: filters.MapFilters | None) -> pd.DataFrame:
    from carriermap.districts.metrics_sql import unit_metrics_from_store

    return unit_metrics_from_store(_store(url), city_adcode, by, selection)


def unit_metrics(ctx: PageContext, by: GroupBy, selection: filters.MapFilters | None = None) -> pd.DataFrame:
    """:func:`carriermap.districts.metrics.unit_metrics` of the context's city under ``selection`` (the map's
    filters), counted by the database, cached per data version."""
    return _unit_metrics(default_url(), ctx.city.adcode, by, ctx.store.data_version(), selection).copy()


# What the map's carrier file is made of (:func:`carriermap.mapview.carrier_layer.encode`): an edit
# of anything else (free space, contacts, confirmations) keeps the file.
PAYLOAD_COLUMNS = ("id", "lon", "lat", "type", "name")


def _write_carrier_payload(frame: pd.DataFrame, gcj02: bool, lang: str) -> tuple[str, object]:
    from carriermap import codes
    from carriermap.i18n import labels
    from carriermap.mapview.carrier_layer import write_payload
    from carriermap.paths import STATIC_DIR

    name, ids = write_payload(frame, labels("type", codes.CARRIER_TYPES, lang), STATIC_DIR / "cache", gcj02=gcj02)
    return f"/app/static/cache/{name}", ids


def _retire_carrier_payload(payload: tuple[str, object]) -> None:
    from carriermap.mapview.static_files import retire
    from carriermap.paths import STATIC_DIR

    retire(STATIC_DIR / "cache" / payload[0].rsplit("/", 1)[-1])


def carrier_payload(ctx: PageContext, gcj02: bool) -> tuple[str, object]:
    """(URL, ids) of the file holding every carrier of the city for the map (written once per frame;
    a superseded file is deleted a while after, :func:`carriermap.mapview.static_files.retire`).

    Public data only (what the public map shows); shared by every session, like the carriers.
    """
    return _shared(default_url()).derived(
        ctx.city.adcode, ctx.store.data_version(), ("payload", gcj02, ctx.lang),
        lambda frame: _write_carrier_payload(frame, gcj02, ctx.lang), drop=_retire_carrier_payload,
        depends=PAYLOAD_COLUMNS)


def industry_options(ctx: PageContext) -> tuple[str, ...]:
    """Every industry named by a carrier of the city, most common first, worked out once per frame
    (the filters' options: exploding every carrier's list on each rerun costs ~0.1 s at 100,000); shared,
    so a tuple."""
    url, version = default_url(), ctx.store.data_version()
    return _shared(url).derived(
        ctx.city.adcode, version, ("industries", ctx.hide_samples),
        lambda _frame: tuple(filters.industries_of(_carriers(url, ctx.city.adcode, version, ctx.hide_samples))),
        depends=("industries", "is_sample"))


@st.cache_resource(show_spinner=False, max_entries=16)
def _district_shapes(city_adcode: str, gcj02: bool) -> str:
    from carriermap.boundaries import districts
    from carriermap.mapview.district_layer import write_shapes
    from carriermap.paths import STATIC_DIR

    return f"/app/static/cache/{write_shapes(districts(city_adcode), gcj02, STATIC_DIR / 'cache')}"


def district_shapes(ctx: PageContext, gcj02: bool) -> str:
    """URL of the file holding the city's district polygons for a map (written once per process),
    so a rerun sends names and counts, not the polygons."""
    return _district_shapes(ctx.city.adcode, gcj02)


@st.cache_data(show_spinner=False, max_entries=32)
def _recent_changes(url: str, city_adcode: str, data_version: int, since: date, limit: int) -> pd.DataFrame:
    from carriermap import changes

    return changes.recent_changes(_store(url), city_adcode, since, limit=limit)


def recent_changes(ctx: PageContext, since: date, limit: int) -> pd.DataFrame:
    """The newest ``limit`` events of the city since local day ``since``
    (:func:`carriermap.changes.recent_changes`): read from the history once per city, day and
    data version, not on every rerun. Shared by every session: the list is public (no editor
    names), the same for everyone; ``cache_data`` hands each caller its own copy."""
    return _recent_changes(default_url(), ctx.city.adcode, ctx.store.data_version(), since, int(limit))


@st.cache_data(show_spinner=False, max_entries=32)
def _target_progress(url: str, city_adcode: str, data_version: int, hide_samples: bool, day: str) -> list[dict]:
    from carriermap.districts.targets import store_target_progress

    # the live figures from the shared frame of this version (a second read of the city cost 3.7 s at 100,000)
    return store_target_progress(_store(url), city_adcode, live=_carriers(url, city_adcode, data_version),
                                 hide_samples=hide_samples)


def target_progress(ctx: PageContext) -> list[dict]:
    """The city's targets judged as of their deadlines (:mod:`carriermap.districts.targets`), cached
    per data version and day (a deadline passing changes the answer without a write)."""
    from datetime import UTC, datetime

    day = datetime.now(UTC).date().isoformat()
    return _target_progress(default_url(), ctx.city.adcode, ctx.store.data_version(), ctx.hide_samples, day)


def nearby_search(ctx: PageContext) -> NearbySearch:
    """The find-space search over the context's city, built once per frame and shared (read-only).

    On PostGIS its candidates come from the database (:meth:`Store.nearby_source`), on
    SQLite from its in-memory index; the results are the same.
    """
    url, version, city = default_url(), ctx.store.data_version(), ctx.city.adcode
    return _shared(url).derived(
        city, version, ("nearby", ctx.hide_samples),
        lambda _frame: NearbySearch(_carriers(url, city, version, ctx.hide_samples),
                                    source=_store(url).nearby_source(city)))


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
    ctx = PageContext(city=city, lang=lang, store=get_store(), hide_samples=_samples_switch(lang, draw))
    st.session_state["_page_context"] = ctx
    return ctx


_SAMPLES_KEY = "ui_hide_samples"


def _samples_switch(lang: str, draw: bool = True) -> bool:
    """The public "hide sample records" switch, kept in the URL (``samples=hide``); True when hidden.

    A sample-free deployment (:func:`carriermap.settings.sample_data_enabled` false) hides
    sample records always and draws no switch.
    """
    if not sample_data_enabled():
        return True
    in_url = filters.samples_hidden(st.query_params.to_dict())
    if not draw:  # embedded: the URL decides, no widget
        return in_url
    named_anew = filters.SAMPLES_PARAM in st.query_params and in_url != st.session_state.get(filters.SAMPLES_PARAM)
    if _SAMPLES_KEY not in st.session_state or named_anew:  # a shared link wins; otherwise the switch does
        st.session_state[_SAMPLES_KEY] = in_url
    with st.sidebar:
        hidden = st.toggle(t("figures.samples.hide", lang), key=_SAMPLES_KEY, help=t("figures.samples.help", lang))
    st.session_state[filters.SAMPLES_PARAM] = hidden
    if hidden and st.query_params.get(filters.SAMPLES_PARAM) != filters.SAMPLES_HIDDEN:
        st.query_params[filters.SAMPLES_PARAM] = filters.SAMPLES_HIDDEN
    elif not hidden and filters.SAMPLES_PARAM in st.query_params:
        del st.query_params[filters.SAMPLES_PARAM]
    return hidden


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
