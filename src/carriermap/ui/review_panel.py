"""Review before publishing on the data page: the city's switch, the pending list, approve/reject.

Editors see what is pending in their scope (by whom, since when, what it changes); reviewers
approve or send back with a reason; proposers see their own changes, with the reason when one
came back. Checks and writes are :mod:`carriermap.review`'s; this module only draws.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from carriermap.freshness.age import days_since, utc_now
from carriermap.i18n import label, t
from carriermap.messages import KeyedError
from carriermap.permissions import User, can_edit, can_manage_city
from carriermap.review.queue import approve, may_review, reject, reviews
from carriermap.review.settings import review_required, set_review_required
from carriermap.store import StoreError
from carriermap.ui.context import PageContext
from carriermap.ui.editor import flash
from carriermap.versions import EditRejected

_CODED = {"status": "status", "level": "level"}


def _value(ctx: PageContext, name: str, value: Any) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
        return "—"
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{float(value):,.0f}" if float(value).is_integer() else f"{float(value):,.1f}"
    return label(_CODED[name], value, ctx.lang) if name in _CODED else str(value)


def describe_change(ctx: PageContext, values: dict[str, Any], current: dict[str, Any]) -> str:
    """"Free space: 120 → 80; Contact: … → …" in the page's language (plain text; unchanged fields left out)."""
    parts = []
    for name, after in values.items():
        old, new = _value(ctx, name, current.get(name)), _value(ctx, name, after)
        if name == "district_adcode" or old == new:
            continue
        key = f"review.field.{name}"
        title = name if t(key, ctx.lang) == key else t(key, ctx.lang)
        parts.append(f"{title}: {old} → {new}")
    return "; ".join(parts)


def _table(ctx: PageContext, frame: pd.DataFrame, names: dict[int, dict[str, Any]]) -> pd.DataFrame:
    waited = days_since(frame["created_at"], utc_now())
    return pd.DataFrame({
        ctx.t("review.col.id"): frame["id"].map(lambda i: f"#{int(i)}"),
        ctx.t("review.col.carrier"): frame["carrier_id"].map(lambda i: names.get(int(i), {}).get("name", f"#{i}")),
        ctx.t("review.col.change"): [describe_change(ctx, v, names.get(int(c), {}))
                                     for v, c in zip(frame["values"], frame["carrier_id"], strict=True)],
        ctx.t("review.col.by"): frame["actor"],
        ctx.t("review.col.since"): [f"{at[:16].replace('T', ' ')} ({ctx.t('review.days', days=int(d))})"
                                    for at, d in zip(frame["created_at"], waited, strict=True)],
        ctx.t("review.col.level"): frame["level"].map(lambda lv: ctx.t(f"review.level.{lv}")),
        ctx.t("review.col.state"): frame["state"].map(lambda s: ctx.t(f"review.state.{s}")),
        ctx.t("review.col.reason"): frame["reason"].fillna(""),
    })


def _switch(ctx: PageContext, user: User) -> None:
    on = review_required(ctx.store, ctx.city.adcode)
    if not can_manage_city(user, ctx.city.adcode):
        st.caption(ctx.t("review.setting.on" if on else "review.setting.off", city=ctx.city.display_name(ctx.lang)))
        return
    wanted = st.toggle(ctx.t("review.setting.toggle", city=ctx.city.display_name(ctx.lang)), value=on,
                       key=f"review.toggle.{ctx.city.adcode}")
    if wanted != on:
        set_review_required(ctx.store, user, ctx.city.adcode, wanted)
        flash("success", ctx.t("review.setting.saved_on" if wanted else "review.setting.saved_off"))
        st.rerun()


def _decide(ctx: PageContext, user: User, review: dict[str, Any], names: dict[int, dict[str, Any]]) -> None:
    carrier = names.get(int(review["carrier_id"]), {})
    with st.form(f"review.form.{review['id']}"):
        st.markdown(ctx.t("review.decide.what", review=int(review["id"]), name=carrier.get("name", ""),
                      by=review["actor"], change=describe_change(ctx, review["values"], carrier)))
        reason = st.text_input(ctx.t("review.decide.reason"), max_chars=500, key=f"review.reason.{review['id']}")
        one, two = st.columns(2)
        approved = one.form_submit_button(ctx.t("review.decide.approve"), type="primary")
        rejected = two.form_submit_button(ctx.t("review.decide.reject"))
    if not (approved or rejected):
        return
    try:
        if approved:
            result = approve(ctx.store, user, int(review["id"]))
            flash("success", ctx.t("review.decide.approved", review=int(review["id"]), changeset=result.changeset_id))
        else:
            reject(ctx.store, user, int(review["id"]), reason)
            flash("success", ctx.t("review.decide.rejected", review=int(review["id"])))
    except KeyedError as error:
        st.error(ctx.t(error.key, **error.params))
        return
    except EditRejected as error:
        st.error(ctx.t("review.error.invalid_now", review=int(review["id"]),
                       problems="; ".join(f"{p.field}: {ctx.t(p.key, **p.params)}" for p in error.problems)))
        return
    except StoreError as error:
        st.error(ctx.t("review.error.store", reason=str(error)))
        return
    st.rerun()


def review_panel(ctx: PageContext, user: User, carriers: pd.DataFrame) -> None:
    """The review tab: the city's switch, changes waiting in the user's scope, and the user's own changes."""
    _switch(ctx, user)
    names = {int(r["id"]): r for r in carriers.to_dict("records")} if not carriers.empty else {}
    pending = reviews(ctx.store, ctx.city.adcode)
    visible = pending[[can_edit(user, names.get(int(c), {"id": c})) or a == user.name
                       for c, a in zip(pending["carrier_id"], pending["actor"], strict=True)]]
    st.subheader(ctx.t("review.pending.header", count=len(visible)))
    if visible.empty:
        st.info(ctx.t("review.pending.none"))
    else:
        st.dataframe(_table(ctx, visible, names), hide_index=True, width="stretch")
        for review in visible.to_dict("records"):
            if may_review(ctx.store, user, review):
                _decide(ctx, user, review, names)
    mine = reviews(ctx.store, ctx.city.adcode, state=None, actor=user.name)
    mine = mine[mine["state"] != "pending"].iloc[::-1].head(20)
    if not mine.empty:
        st.subheader(ctx.t("review.mine.header"))
        for review in mine[mine["state"] == "rejected"].head(5).to_dict("records"):
            carrier = names.get(int(review["carrier_id"]), {})
            st.warning(ctx.t("review.mine.rejected", review=int(review["id"]), name=carrier.get("name", ""),
                             by=review["decided_by"], reason=review["reason"],
                             change=describe_change(ctx, review["values"], carrier)))  # fields escaped by ctx.t
        st.dataframe(_table(ctx, mine, names), hide_index=True, width="stretch")


def pending_note(ctx: PageContext, record: dict[str, Any]) -> None:
    """In the edit tab: how many changes of this carrier wait for review (the public still sees the old values)."""
    waiting = reviews(ctx.store, ctx.city.adcode, carrier_id=int(record["id"]))
    if not waiting.empty:
        st.warning(ctx.t("review.pending.carrier", count=len(waiting),
                         by=", ".join(sorted(set(waiting["actor"])))))
