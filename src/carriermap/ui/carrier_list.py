"""The map page's carrier list: one server-side page at a time, with a CSV built only on click.

Only the visible page (:data:`carriermap.listing.PAGE_SIZE` rows) goes over the websocket; the
sort order and page are widgets (kept when filters change, reset to page 1 when the list
shrinks under them). The download callback holds the filter state, not the filtered frame,
so a session keeps no copy of the city's carriers between reruns.
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from carriermap import carrier_view, filters, listing
from carriermap.export import write_export
from carriermap.ui import map_selection
from carriermap.ui.context import PageContext, carriers

_SORT = "map_list_sort"
_DESCENDING = "map_list_desc"
_PAGE = "map_list_page"


def _csv_of(ctx: PageContext, state: filters.MapFilters) -> bytes:
    """The CSV of exactly the rows the filters leave, built when the button is clicked."""
    return write_export(filters.apply(carriers(ctx), state), "csv", None, ctx.lang)


def _pick(ids: list[int]) -> None:
    map_selection.pick_from_list(ids)


def carrier_list(ctx: PageContext, shown: pd.DataFrame, state: filters.MapFilters) -> None:
    """Draw the list of ``shown`` (one page), its sort and page pickers and the CSV download."""
    st.subheader(ctx.t("map.list"))
    st.caption(ctx.t("list.caption"))
    if shown.empty:
        st.info(ctx.t("map.empty"))
        return
    sort_column, order_column, page_column = st.columns([2, 1, 1])
    with sort_column:
        key = st.selectbox(ctx.t("list.sort"), listing.SORT_KEYS, key=_SORT,
                           format_func=lambda code: ctx.t(f"list.sort.{code}"))
    with order_column:
        descending = st.toggle(ctx.t("list.descending"), key=_DESCENDING)
    pages = listing.page_count(len(shown))
    if st.session_state.get(_PAGE, 1) > pages:
        st.session_state[_PAGE] = 1
    with page_column:
        number = st.number_input(ctx.t("list.page"), min_value=1, max_value=pages, step=1, key=_PAGE)
    page = listing.page_of(shown, key, descending, number)
    ids = page.rows["id"].astype(int).tolist()
    st.dataframe(carrier_view.list_frame(page.rows, ctx.lang), width="stretch", key=map_selection.LIST_KEY,
                 on_select=partial(_pick, ids), selection_mode="single-row")
    st.caption(ctx.t("list.position", first=f"{page.first:,}", last=f"{page.last:,}", total=f"{page.total:,}",
                     page=page.number, pages=page.count))
    st.download_button(ctx.t("map.download", n=f"{len(shown):,}"), partial(_csv_of, ctx, state),
                       file_name=f"carriers_{ctx.city.adcode}.csv", mime="text/csv", icon=":material/download:")
