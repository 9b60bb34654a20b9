"""Batch geocoding of the queue (only when an Amap key is configured): answers to accept or reject.

Each answer shows Amap's precision level; precise ones inside the city are pre-selected, vague
ones (a road, a district) are not. Accepted answers are placed one by one with
:func:`carriermap.placing.place_carrier` (each a versioned edit); refusals are listed.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from carriermap.boundaries import district_names
from carriermap.geocoding import SHARED_CACHE, AmapGeocoder, amap_key
from carriermap.permissions import User
from carriermap.placing import PlacingError, place_carrier
from carriermap.pointinput import place
from carriermap.store import ConflictError
from carriermap.ui.context import PageContext
from carriermap.ui.refusals import WRITE_REFUSALS, refusal_text

_RESULTS = "data.queue.geocoded"


def geocode_panel(ctx: PageContext, user: User, waiting: pd.DataFrame) -> str | None:
    """The batch section; returns a message to show after placing (None when nothing was placed)."""
    try:
        key = amap_key(st.secrets)
    except Exception:  # no secrets file at all
        key = amap_key()
    if not key:
        return None
    with st.expander(ctx.t("lists.geocode.title", n=len(waiting))):
        st.caption(ctx.t("lists.geocode.intro"))
        rows = [r for r in waiting.to_dict("records") if r.get("address")]
        if st.button(ctx.t("lists.geocode.run", n=len(rows)), key="data.geocode.run"):
            coder = AmapGeocoder(key, cache=SHARED_CACHE)
            with st.spinner(ctx.t("lists.geocode.running")):
                answers = coder.batch([(str(r["address"]), ctx.city.adcode) for r in rows])
            st.session_state[_RESULTS] = [(r["id"], r["name"], r["version"], a) for r, a in zip(rows, answers,
                                                                                              strict=True)]
        results = st.session_state.get(_RESULTS) or []
        if not results:
            return None
        names = district_names(ctx.lang)
        table, good = [], []
        for carrier_id, name, _, answer in results:
            city, district = place(answer.lon, answer.lat) if answer.outcome == "ok" else (None, None)
            inside = city == ctx.city.adcode
            table.append({ctx.t("lists.column.name"): name, ctx.t("lists.geocode.col.outcome"):
                          ctx.t(f"lists.geocode.outcome.{answer.outcome}"),
                          ctx.t("lists.geocode.col.level"): answer.level,
                          ctx.t("lists.column.district"): names.get(str(district), "") if inside else "",
                          ctx.t("lists.geocode.col.info"): answer.formatted or answer.info})
            if answer.outcome == "ok" and inside:
                good.append((carrier_id, answer.precise))
        st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch", key="data.geocode.table")
        by_id = {r[0]: r for r in results}
        chosen = st.multiselect(ctx.t("lists.geocode.accept"), [c for c, _ in good],
                                default=[c for c, precise in good if precise], key="data.geocode.accept",
                                format_func=lambda c: f"{by_id[c][1]} · {by_id[c][3].level}")
        if not st.button(ctx.t("lists.geocode.place", n=len(chosen)), key="data.geocode.place", disabled=not chosen):
            return None
        placed, problems = 0, []
        for carrier_id in chosen:
            _, name, version, answer = by_id[carrier_id]
            try:
                place_carrier(ctx.store, user, int(carrier_id), answer.lon, answer.lat, expected_version=int(version))
                placed += 1
            except PlacingError as error:
                problems.append(f"{name}: {error.message(ctx.lang)}")
            except WRITE_REFUSALS as error:
                problems.append(f"{name}: {refusal_text(ctx, error)}")
            except ConflictError:
                problems.append(f"{name}: {ctx.t('data.edit.conflict')}")
        st.session_state.pop(_RESULTS, None)
        return ctx.t("lists.geocode.done", placed=placed, failed=len(problems)) + "".join(
            "\n\n" + p for p in problems)
