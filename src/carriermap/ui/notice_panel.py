"""The notice section of the data page: upload an official list, preview the matches, confirm.

All the work is in :mod:`carriermap.notices` (``plan_notice`` writes nothing; ``apply_notice``
checks the editor and writes one change set). Similar names are applied only where the
editor picks the register carrier; names not in the register only where the editor ticks
"add as unplaced"; carriers missing from the notice are listed, never changed. Names from
the file reach the screen only through ``st.dataframe`` and widget labels (never Markdown).
"""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from carriermap import codes
from carriermap.boundaries import district_names
from carriermap.i18n import label
from carriermap.notices import apply_notice, plan_notice
from carriermap.permissions import User, can_manage_city
from carriermap.ui.context import PageContext
from carriermap.ui.plan_writes import FAILED, write_plan

_PLAN_KEY = "data.notice.plan"
_FLASH = "data.notice.flash"
_LEVELS = tuple(code for code in codes.LEVELS if code != "unrated")


def _table(ctx: PageContext, frame: pd.DataFrame, columns: dict[str, str]) -> None:
    shown = frame[list(columns)].rename(columns={c: ctx.t(k) for c, k in columns.items()})
    st.dataframe(shown, hide_index=True, width="stretch")


def _similar_choices(ctx: PageContext, plan) -> dict[int, int]:
    """One picker per similar name: a candidate, or "none of these" (the default)."""
    confirm: dict[int, int] = {}
    if not plan.similar:
        return confirm
    st.markdown(f"**{ctx.t('lists.notice.similar', n=len(plan.similar))}**")
    for row, candidates in plan.similar:
        options = [0, *[c.carrier_id for c in candidates]]
        names = {c.carrier_id: f"#{c.carrier_id} {c.name} ({c.score:.2f})" for c in candidates}
        picked = st.selectbox(ctx.t("lists.notice.similar_row", row=row.row, name=row.name), options,
                              key=f"data.notice.similar.{row.row}",
                              format_func=lambda cid, names=names: names.get(cid, ctx.t("lists.notice.none_of_these")))
        if picked:
            confirm[row.row] = int(picked)
    return confirm


def _additions(ctx: PageContext, plan) -> set[int]:
    if not plan.unmatched:
        return set()
    st.markdown(f"**{ctx.t('lists.notice.unmatched', n=len(plan.unmatched))}**")
    names = district_names(ctx.lang)
    frame = plan.preview()["unmatched"]
    frame["district"] = frame["district_adcode"].map(lambda c: names.get(str(c), "") if c else "")
    frame["addable"] = frame["addable"].map(lambda a: ctx.t("lists.notice.addable" if a else "lists.notice.elsewhere"))
    _table(ctx, frame, {"row": "lists.notice.col.row", "name": "lists.notice.col.name",
                        "place": "lists.notice.col.place", "district": "lists.column.district",
                        "addable": "lists.notice.col.addable"})
    addable = [u.row.row for u in plan.unmatched if u.addable]
    by_row = {u.row.row: u.row.name for u in plan.unmatched}
    chosen = st.multiselect(ctx.t("lists.notice.add_unplaced", type=label("type", plan.type_for_new, ctx.lang)),
                            addable, key="data.notice.add", format_func=lambda r: f"{r} · {by_row[r]}")
    return set(chosen)


def _preview(ctx: PageContext, plan) -> tuple[dict[int, int], set[int]]:
    counts = plan.counts()
    st.info(ctx.t("lists.notice.cli.summary", **counts))
    frames = plan.preview()
    if plan.exact:
        st.markdown(f"**{ctx.t('lists.notice.exact', n=len(plan.exact))}**")
        exact = frames["exact"]
        exact["level_before"] = exact["level_before"].map(lambda c: label("level", c, ctx.lang) if c else "")
        exact["kept_newer"] = exact["kept_newer"].map(lambda k: ctx.t("lists.notice.kept" if k else "lists.notice.set"))
        _table(ctx, exact, {"row": "lists.notice.col.row", "name": "lists.notice.col.name",
                            "register_name": "lists.notice.col.register_name", "level_before": "lists.notice.col.before",
                            "notice_before": "lists.notice.col.notice_before", "kept_newer": "lists.notice.col.outcome"})
    confirm = _similar_choices(ctx, plan)
    add = _additions(ctx, plan)
    if plan.missing:
        with st.expander(ctx.t("lists.notice.missing", n=len(plan.missing))):
            _table(ctx, frames["missing"], {"carrier_id": "lists.notice.col.carrier", "name": "lists.notice.col.name",
                                            "level_notice": "lists.notice.col.notice_before",
                                            "level_notice_date": "lists.notice.col.date_before"})
    return confirm, add


def notice_panel(ctx: PageContext, user: User) -> None:
    """Upload, level / number / date, preview, confirm (one change set; undo under History)."""
    done = st.session_state.pop(_FLASH, None)
    if done:
        st.success(done)
    if not can_manage_city(user, ctx.city.adcode):
        st.info(ctx.t("lists.notice.officials_only"))
        return
    st.caption(ctx.t("lists.notice.intro"))
    upload = st.file_uploader(ctx.t("lists.notice.file"), type=["csv", "xlsx", "json", "txt"], key="data.notice.file")
    cols = st.columns(3)
    level = cols[0].selectbox(ctx.t("lists.notice.level"), _LEVELS, key="data.notice.level",
                              format_func=lambda c: label("level", c, ctx.lang))
    number = cols[1].text_input(ctx.t("lists.notice.number"), key="data.notice.number", max_chars=100)
    date = cols[2].text_input(ctx.t("lists.notice.date"), key="data.notice.date", max_chars=10,
                              placeholder="2023-12-29")
    if upload is None or not number.strip() or not date.strip():
        st.session_state.pop(_PLAN_KEY, None)
        return
    data = upload.getvalue()
    key = (hashlib.sha256(data).hexdigest(), level, number, date, ctx.city.adcode)
    cached = st.session_state.get(_PLAN_KEY)
    if cached is None or cached[0] != key:
        plan = plan_notice(ctx.store, data, upload.name, level=level, notice=number, date=date,
                           city=ctx.city.adcode)
        st.session_state[_PLAN_KEY] = (key, plan)
    plan = st.session_state[_PLAN_KEY][1]
    if not plan.ok:
        for problem in plan.problems:
            st.error(problem.message(ctx.lang))
        return
    confirm, add = _preview(ctx, plan)
    if st.button(ctx.t("lists.notice.apply"), type="primary", key="data.notice.apply"):
        changeset = write_plan(ctx, lambda: apply_notice(ctx.store, user, plan, confirm=confirm, add_unplaced=add),
                               _PLAN_KEY)
        if changeset is FAILED:
            return
        st.session_state[_FLASH] = (ctx.t("lists.notice.done", changeset=changeset) if changeset
                                    else ctx.t("lists.notice.nothing"))
        st.rerun()  # shown inside this tab, so the tab stays open
