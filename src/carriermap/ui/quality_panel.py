"""The districts page's data-quality section: the table, a map of the share confirmed, the chase list."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from carriermap import districts_quality as dq
from carriermap.export import to_xlsx_bytes
from carriermap.freshness.age import utc_now
from carriermap.freshness.settings import city_settings
from carriermap.review.queue import pending_counts
from carriermap.store.engine import default_url
from carriermap.ui.context import PageContext
from carriermap.ui.districts_view import choropleth_html
from carriermap.ui.static_map import draw_static_map
from carriermap.ui.unit_shapes import unit_shapes_url

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHASE_ON_SCREEN = 200  # rows of the chase list drawn on the page (the download has them all)


def _zones(ctx: PageContext) -> dict[str, str]:
    """English names by Chinese name of the city's units: its districts (a reporting unit that is a
    district is keyed by its name, not its adcode) and its zones."""
    from carriermap.boundaries import districts

    gdf = districts(ctx.city.adcode)
    return {**dict(zip(gdf["name"], gdf["name_en"], strict=True)),
            **{zone.name: zone.name_en for zone in ctx.city.zones}}


@st.cache_resource(show_spinner=False, max_entries=8)
def _annotation(url: str, city_adcode: str, by: str, data_version: int, hide_samples: bool, hour: str,
                _carriers: pd.DataFrame) -> pd.DataFrame:
    return dq.annotate(_carriers, city_adcode, by, city_settings(city_adcode), utc_now())


def annotation(ctx: PageContext, carriers: pd.DataFrame, by: str) -> pd.DataFrame:
    """:func:`carriermap.districts_quality.annotate` of the city's shared carriers, worked out once per
    data version and hour and shared read-only (day counts move by the hour at most; pending reviews,
    which write no change set, are counted fresh on every run)."""
    hour = utc_now().strftime("%Y-%m-%dT%H")
    return _annotation(default_url(), ctx.city.adcode, by, ctx.store.data_version(), ctx.hide_samples, hour, carriers)


@st.cache_resource(show_spinner=False, max_entries=8)
def _unit_quality(url: str, city_adcode: str, by: str, data_version: int, hide_samples: bool, hour: str,
                  _annotated: pd.DataFrame) -> pd.DataFrame:
    return dq.unit_quality(_annotated)


@st.cache_resource(show_spinner=False, max_entries=32)
def _chase_rows(url: str, city_adcode: str, by: str, data_version: int, hide_samples: bool, hour: str,
                unit_code: str, _carriers: pd.DataFrame, _annotated: pd.DataFrame) -> pd.DataFrame:
    return dq.chase_list(_carriers, city_adcode, by, unit_code, city_settings(city_adcode), utc_now(),
                         annotated=_annotated)


def _kept(ctx: PageContext, by: str) -> tuple:
    """The key of what is kept per data version and hour (see :func:`annotation`)."""
    return (default_url(), ctx.city.adcode, by, ctx.store.data_version(), ctx.hide_samples,
            utc_now().strftime("%Y-%m-%dT%H"))


def table_now(ctx: PageContext, by: str, annotated: pd.DataFrame) -> pd.DataFrame:
    """The quality table (:func:`carriermap.districts_quality.quality_table`): its per-unit figures kept per
    data version and hour, the pending reviews counted on this run."""
    return dq.with_pending(_unit_quality(*_kept(ctx, by), annotated), annotated,
                           pending_counts(ctx.store, ctx.city.adcode))


def chase_rows(ctx: PageContext, carriers: pd.DataFrame, by: str, unit_code: str,
               annotated: pd.DataFrame) -> pd.DataFrame:
    """:func:`carriermap.districts_quality.chase_list` of one unit, kept per data version and hour and
    shared read-only (at 100,000 carriers a unit's list is tens of thousands of rows)."""
    return _chase_rows(*_kept(ctx, by), unit_code, carriers, annotated)


def quality_sheets(ctx: PageContext, carriers: pd.DataFrame, by: str) -> dict[str, pd.DataFrame]:
    """The quality table and the whole city's chase list, as sheets for the districts XLSX."""
    settings, now = city_settings(ctx.city.adcode), utc_now()
    table = dq.quality_table(carriers, ctx.city.adcode, by, settings, now, pending_counts(ctx.store, ctx.city.adcode))
    chase = dq.chase_list(carriers, ctx.city.adcode, by, None, settings, now)
    chase["unit"] = [dq.unit_name(u, u, ctx.lang, _zones(ctx)) for u in chase["unit"]]
    return {ctx.t("quality.sheet.table"): dq.display_table(table, ctx.lang, _zones(ctx)),
            ctx.t("quality.sheet.chase"): dq.display_chase(chase, ctx.lang)}


def with_quality(build, ctx: PageContext, carriers: pd.DataFrame, by: str) -> bytes:
    """The districts workbook ``build()`` makes, plus the quality sheets (built only when clicked)."""
    return dq.add_sheets(build(), quality_sheets(ctx, carriers, by))


def quality_section(ctx: PageContext, carriers: pd.DataFrame, by: str) -> None:
    """Per unit: complete, confirmed recently, unplaced, pending reviews, oldest unconfirmed; map; chase list."""
    lang, city = ctx.lang, ctx.city
    settings = city_settings(city.adcode)
    annotated = annotation(ctx, carriers, by)
    table = table_now(ctx, by, annotated)
    st.subheader(ctx.t("quality.header"))
    st.caption(ctx.t("quality.note", days=settings.quality_days))
    shown = dq.display_table(table, lang, _zones(ctx))
    shares = (ctx.t("quality.col.complete_share"), ctx.t("quality.col.confirmed_share"))
    st.dataframe(dq.on_screen(shown, shares, (ctx.t("quality.col.oldest_days"),)), hide_index=True,
                 width="stretch", key="quality_table")
    units = table[~table["unit_code"].isin([dq.TOTAL])]
    left, right = st.columns([3, 2])
    with left:
        placed = units[units["unit_code"] != dq.UNPLACED]
        html, _ = choropleth_html(placed, [dq.unit_name(u, c, lang, _zones(ctx))
                                           for u, c in zip(placed["unit"], placed["unit_code"], strict=True)],
                                  "confirmed_share", "share", ctx.plain("quality.col.confirmed_share"),
                                  ctx.plain("quality.col.unit"), city, lang, ctx.store.features(city.adcode),
                                  unit_shapes_url(ctx))
        draw_static_map(html, height=380)
    with right:
        _chase(ctx, carriers, by, units, annotated)


def _chase(ctx: PageContext, carriers: pd.DataFrame, by: str, units: pd.DataFrame, annotated: pd.DataFrame) -> None:
    st.markdown(f"**{ctx.t('quality.chase.header')}**")
    if units.empty:
        st.info(ctx.t("quality.chase.none"))
        return
    codes = list(units["unit_code"])
    names = dict(zip(codes, [dq.unit_name(u, c, ctx.lang, _zones(ctx))
                             for u, c in zip(units["unit"], units["unit_code"], strict=True)], strict=True))
    code = st.selectbox(ctx.t("quality.chase.unit"), codes, format_func=names.get, key=f"quality_unit_{by}")
    settings = city_settings(ctx.city.adcode)
    chase = chase_rows(ctx, carriers, by, code, annotated)
    if chase.empty:
        st.success(ctx.t("quality.chase.clean"))
        return
    st.caption(ctx.t("quality.chase.count", count=len(chase), days=settings.quality_days))
    if len(chase) > CHASE_ON_SCREEN:  # the whole list of a large city would ship megabytes to every visitor
        st.caption(ctx.t("quality.chase.first", shown=CHASE_ON_SCREEN, count=f"{len(chase):,}"))
    shown = chase_sheet(chase.head(CHASE_ON_SCREEN), names.get(code, code), ctx.lang)
    st.dataframe(dq.on_screen(shown.drop(columns=[ctx.t("quality.chase.id")]), (),
                              (ctx.t("quality.chase.confirmed_days"),)), hide_index=True, width="stretch", height=260)
    st.download_button(ctx.t("quality.chase.download"), key=f"quality_chase_{by}_{code}",
                       data=partial(_chase_workbook, chase, names.get(code, code), ctx),  # built only when clicked
                       file_name=f"chase_{ctx.city.adcode}_{code}.xlsx", mime=XLSX, icon=":material/call:")


def chase_sheet(chase: pd.DataFrame, unit: str, lang: str) -> pd.DataFrame:
    """Rows of a unit's chase list for people (:func:`carriermap.districts_quality.display_chase`), the unit
    named ``unit``; ``chase`` itself is not changed (it may be the kept list)."""
    return dq.display_chase(chase.assign(unit=unit), lang)


def _chase_workbook(chase: pd.DataFrame, unit: str, ctx: PageContext) -> bytes:
    return to_xlsx_bytes({ctx.t("quality.sheet.chase"): chase_sheet(chase, unit, ctx.lang)})
