"""Choosing a carrier, the quick-edit form, and delist/relist, for the data page.

The form remembers the version the editor first saw (``data.base``); saving sends it as the
expected version, so when someone else saved in between the editor is told, shown the new
values, and nothing is overwritten.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from carriermap.boundaries import district_names
from carriermap.editing import EditError, quick_edit, set_status
from carriermap.formatting import display_value, local_time, number
from carriermap.i18n import label
from carriermap.permissions import User, can_change_status, editable_mask
from carriermap.store import ConflictError, NotFoundError
from carriermap.ui.context import PageContext
from carriermap.ui.refusals import WRITE_REFUSALS, refusal_text

BASE_KEY, FLASH_KEY, CARRIER_KEY = "data.base", "data.flash", "data.carrier"


def flash(kind: str, text: str) -> None:
    """Keep a message to show after the next rerun (``success``, ``warning`` or ``error``)."""
    st.session_state[FLASH_KEY] = (kind, text)


def show_flash() -> None:
    """Show and forget the kept message."""
    kept = st.session_state.pop(FLASH_KEY, None)
    if kept:
        getattr(st, kept[0])(kept[1])


def choose_carrier(ctx: PageContext, user: User, carriers: pd.DataFrame) -> dict[str, Any] | None:
    """A picker over the carriers of this city the user may change; the chosen record, fresh from the store."""
    mine = carriers[editable_mask(user, carriers)] if not carriers.empty else carriers
    if mine.empty:
        st.info(ctx.t("data.edit.none_in_scope", city=ctx.city.display_name(ctx.lang)))
        return None
    names = district_names(ctx.lang)
    label_of = {int(r["id"]): f"{r['name']} · {names.get(r['district_adcode'], r['district_adcode'] or '')} · #{r['id']}"
                for r in mine.to_dict("records")}
    if st.session_state.get(CARRIER_KEY) not in label_of:  # e.g. removed by undoing the import that created it
        st.session_state.pop(CARRIER_KEY, None)
    chosen = st.selectbox(ctx.t("data.edit.carrier", count=len(label_of)), list(label_of), key=CARRIER_KEY,
                          format_func=lambda cid: label_of.get(cid, str(cid)))
    try:
        record = ctx.store.carrier(int(chosen))
    except NotFoundError:
        st.session_state.pop(CARRIER_KEY, None)
        st.info(ctx.t("finish.edit.gone"))
        return None
    base = st.session_state.get(BASE_KEY)
    if not base or base["id"] != record["id"]:
        st.session_state[BASE_KEY] = {"id": record["id"], "version": record["version"]}
    return record


def _describe(ctx: PageContext, record: dict[str, Any]) -> str:
    return ctx.t("data.edit.values", free=_number(record.get("available_m2")),
                 rent=_number(record.get("rent_cny_m2_month")), contact=record.get("contact") or "—",
                 status=label("status", record.get("status"), ctx.lang), version=record.get("version"),
                 at=local_time(record.get("updated_at")))


def _number(value: Any) -> str:
    return number(value)


def settle(ctx: PageContext, action, record: dict[str, Any], done_key: str = "data.edit.saved") -> None:
    """Run a write; turn each refusal into a message naming what to do; rerun on success or conflict."""
    try:
        result = action()
    except ConflictError as error:
        current = error.current or ctx.store.carrier(record["id"])
        st.session_state[BASE_KEY] = {"id": record["id"], "version": current["version"]}
        flash("warning", ctx.t("data.edit.conflict") + "\n\n" + _describe(ctx, current))
        st.rerun()
    except EditError as error:
        for problem in error.problems:
            st.error(ctx.t("data.edit.problem", field=ctx.t(f"data.field.{problem.field}"),
                           value=display_value(problem.value),
                           message=ctx.t(problem.key, **{k: display_value(v) for k, v in problem.params.items()})))
        return
    except WRITE_REFUSALS as error:
        st.error(refusal_text(ctx, error))
        return
    fresh = ctx.store.carrier(record["id"])
    st.session_state[BASE_KEY] = {"id": fresh["id"], "version": fresh["version"]}
    if result.review_id is not None:
        flash("info", ctx.t("review.submitted", review=result.review_id))
        st.rerun()
    key = done_key if result.changeset_id else "data.edit.unchanged"
    flash("success", ctx.t(key, changeset=result.changeset_id or "") + "\n\n" + _describe(ctx, fresh))
    st.rerun()


def quick_edit_form(ctx: PageContext, user: User, record: dict[str, Any]) -> None:
    """Free space, rent and contact in a small form, saved as the version first seen."""
    version = st.session_state[BASE_KEY]["version"]
    st.caption(_describe(ctx, record))
    with st.form(f"data.quick.{record['id']}.{version}"):
        cols = st.columns(3)
        free = cols[0].number_input(ctx.t("data.field.available_m2"), min_value=0.0, step=10.0, format="%.0f",
                                    value=_float(record.get("available_m2")), key=f"data.free.{record['id']}.{version}")
        rent = cols[1].number_input(ctx.t("data.field.rent_cny_m2_month"), min_value=0.0, step=1.0, format="%.1f",
                                    value=_float(record.get("rent_cny_m2_month")),
                                    key=f"data.rent.{record['id']}.{version}")
        contact = cols[2].text_input(ctx.t("data.field.contact"), value=record.get("contact") or "", max_chars=200,
                                     key=f"data.contact.{record['id']}.{version}")
        submitted = st.form_submit_button(ctx.t("data.edit.save"), type="primary")
    if submitted:
        values = {"available_m2": free, "rent_cny_m2_month": rent, "contact": contact}
        settle(ctx, lambda: quick_edit(ctx.store, user, record["id"], values, version), record)


def _float(value: Any) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def status_controls(ctx: PageContext, user: User, record: dict[str, Any]) -> None:
    """Delist (with a confirmation and a reason kept in history) or relist, for officials within scope.

    Both are versioned edits that undo can reverse.
    """
    if not can_change_status(user, record):
        return
    version = st.session_state[BASE_KEY]["version"]
    delisted = record.get("status") == "delisted"
    target, key = ("operating", "data.edit.relist") if delisted else ("delisted", "data.edit.delist")
    with st.expander(ctx.t(key)):
        with st.form(f"data.status.{record['id']}.{version}"):
            st.markdown(ctx.t("finish.relist.explain" if delisted else "finish.delist.explain"))
            reason = st.text_input(ctx.t("finish.delist.reason"), max_chars=200,
                                   key=f"data.status.reason.{record['id']}.{version}")
            sure = st.checkbox(ctx.t("finish.delist.sure" if not delisted else "finish.relist.sure"),
                               key=f"data.status.sure.{record['id']}.{version}")
            submitted = st.form_submit_button(ctx.t("finish.relist.confirm" if delisted else "finish.delist.confirm"))
    if submitted:
        if not sure:
            st.warning(ctx.t("data.quarter.tick_first"))
            return
        if not delisted and not reason.strip():
            st.error(ctx.t("finish.delist.reason_required"))
            return
        done = "finish.relist.done" if delisted else "finish.delist.done"
        settle(ctx, lambda: set_status(ctx.store, user, record["id"], target, version, reason=reason), record, done)
