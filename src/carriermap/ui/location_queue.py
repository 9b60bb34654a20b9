"""The "needs a location" queue of the data page: the carriers without a point an editor may place.

Each carrier shows its address and what is known of its district; the editor picks the point
on a map (districts and carriers drawn for orientation), pastes coordinates (WGS-84, GCJ-02
or BD-09) or chooses a named place, sees where that is, and confirms. The write is
:func:`carriermap.placing.place_carrier` (scope, city and frozen quarters checked; one
change set that undo reverses). Addresses are shown with ``st.text`` (never Markdown).
"""

from __future__ import annotations

from typing import Any

import folium
import pandas as pd
import streamlit as st

from carriermap.boundaries import district_names, districts
from carriermap.location import placed_mask
from carriermap.mapview.nearby_map import chosen_marker
from carriermap.mapview.picking_map import pick_point
from carriermap.mapview.view_control import fit_view
from carriermap.permissions import User
from carriermap.places import place_name, places
from carriermap.placing import PlacingError, place_carrier, queue
from carriermap.pointinput import PointInputError, check_point, parse_point
from carriermap.store import ConflictError
from carriermap.ui.context import PageContext, carrier_payload, district_shapes
from carriermap.ui.geocode_panel import geocode_panel
from carriermap.ui.refusals import WRITE_REFUSALS, refusal_text

CRS_CHOICES = ("wgs84", "gcj02", "bd09")
METHODS = ("map", "paste", "place")
_PENDING = "data.queue.pending"
_FLASH = "data.queue.flash"


def _label(ctx: PageContext, row: dict[str, Any]) -> str:
    names = district_names(ctx.lang)
    district = row.get("district_adcode")
    where = names.get(str(district), str(district)) if district and not pd.isna(district) else \
        ctx.t("lists.district_unknown")
    return f"{row['name']} · {where} · #{row['id']}"


def _district_view(ctx: PageContext, row: dict[str, Any]):
    """Fit the picking map to the carrier's district when it is known (else the city view)."""
    district = row.get("district_adcode")
    shapes = districts(ctx.city.adcode)
    shapes = shapes[shapes["adcode"] == str(district)] if district and not pd.isna(district) else shapes.iloc[0:0]
    if shapes.empty:
        return None
    return fit_view(f"queue:{row['id']}", tuple(shapes.total_bounds), "osm")


def _chosen_layer(point: tuple[float, float] | None, basemap: str) -> list[folium.FeatureGroup]:
    if point is None:
        return []
    group = folium.FeatureGroup(name="chosen", control=False)
    chosen_marker(*point, basemap).add_to(group)
    return [group]


def _pick(ctx: PageContext, row: dict[str, Any], carriers: pd.DataFrame) -> tuple[float, float, str] | None:
    """The point the editor chose with one of the three methods (lon, lat, crs), or None."""
    method = st.radio(ctx.t("lists.queue.method"), METHODS, horizontal=True, key=f"data.queue.method.{row['id']}",
                      format_func=lambda m: ctx.t(f"lists.queue.method.{m}"))
    pending = st.session_state.get(_PENDING)
    if pending and pending[0] != row["id"]:
        pending = None
    if method == "map":
        shown = (pending[1], pending[2]) if pending and pending[3] == "wgs84" else None
        click = pick_point("data_queue", ctx.city, carriers[placed_mask(carriers)], ctx.lang, height=420,
                           view=_district_view(ctx, row), layers=_chosen_layer(shown, "osm"),
                           payload=carrier_payload(ctx, False), shapes_url=district_shapes(ctx, False))
        if click is not None:
            st.session_state[_PENDING] = (row["id"], click[0], click[1], "wgs84")
            st.rerun()
        return (pending[1], pending[2], pending[3]) if pending else None
    if method == "paste":
        cols = st.columns([3, 2])
        text = cols[0].text_input(ctx.t("lists.queue.paste"), key=f"data.queue.text.{row['id']}",
                                  placeholder="113.3245, 23.1190")
        crs = cols[1].radio(ctx.t("lists.queue.crs"), CRS_CHOICES, horizontal=True, key=f"data.queue.crs.{row['id']}",
                            format_func=lambda c: ctx.t(f"lists.queue.crs.{c}"))
        if not text.strip():
            return None
        try:
            point = parse_point(text, crs, ctx.city.adcode)
        except PointInputError as error:
            st.error(error.message(ctx.lang))
            return None
        return point.input_lon, point.input_lat, crs
    named = places(ctx.city.adcode)
    if named.empty:
        st.info(ctx.t("lists.queue.no_places"))
        return None
    index = st.selectbox(ctx.t("lists.queue.place"), list(range(len(named))), key=f"data.queue.place.{row['id']}",
                         format_func=lambda i: place_name(named.iloc[i], ctx.lang), index=None)
    if index is None:
        return None
    chosen = named.iloc[int(index)]
    return float(chosen["lon"]), float(chosen["lat"]), "wgs84"


def _confirm(ctx: PageContext, user: User, row: dict[str, Any], point: tuple[float, float, str]) -> None:
    lon, lat, crs = point
    st.caption(ctx.t("lists.queue.chosen", lon=f"{lon:.6f}", lat=f"{lat:.6f}", crs=ctx.t(f"lists.queue.crs.{crs}")))
    try:
        checked = check_point(lon, lat, crs, ctx.city.adcode)
    except PointInputError as error:
        st.error(error.message(ctx.lang))  # e.g. a click outside the city: say so before any write
        return
    where = district_names(ctx.lang).get(str(checked.district_adcode), ctx.t("lists.district_unknown"))
    st.caption(ctx.t("lists.queue.lands_in", district=where))
    if not st.button(ctx.t("lists.queue.confirm"), type="primary", key=f"data.queue.confirm.{row['id']}"):
        return
    try:
        result = place_carrier(ctx.store, user, int(row["id"]), lon, lat, crs=crs,
                               expected_version=int(row["version"]))
    except PlacingError as error:
        st.error(error.message(ctx.lang))
        return
    except WRITE_REFUSALS as error:
        st.error(refusal_text(ctx, error))
        return
    except ConflictError:
        st.warning(ctx.t("data.edit.conflict"))
        return
    st.session_state.pop(_PENDING, None)
    placed = ctx.store.carrier(int(row["id"]))
    where = district_names(ctx.lang).get(str(placed.get("district_adcode")), "")
    st.session_state[_FLASH] = ctx.t("lists.queue.placed", name=row["name"], district=where,
                                     changeset=result.changeset_id)
    st.rerun()  # shown inside this tab, so the tab stays open


def location_queue(ctx: PageContext, user: User, carriers: pd.DataFrame) -> None:
    """The queue: pick a carrier without a point, choose where it is, confirm (a versioned edit)."""
    done = st.session_state.pop(_FLASH, None)
    if done:
        st.success(done)
    waiting = queue(user, carriers)
    if waiting.empty:
        st.info(ctx.t("lists.queue.empty"))
        return
    placed = geocode_panel(ctx, user, waiting)
    if placed:
        st.session_state[_FLASH] = placed
        st.rerun()
    counts = waiting["placement"].value_counts()
    st.caption(ctx.t("lists.queue.intro", n=len(waiting), unlocated=int(counts.get("unlocated", 0))))
    rows = {int(r["id"]): r for r in waiting.to_dict("records")}
    chosen = st.selectbox(ctx.t("lists.queue.carrier"), list(rows), key="data.queue.carrier",
                          format_func=lambda cid: _label(ctx, rows[cid]))
    row = rows[int(chosen)]
    st.text(ctx.t("lists.queue.address", address=row.get("address") or "—"))
    point = _pick(ctx, row, carriers)
    if point is not None:
        _confirm(ctx, user, row, point)
