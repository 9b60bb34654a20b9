"""Frozen quarters, freezing one, and the quarterly report download, for the data page."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from carriermap.asof import CHINA
from carriermap.boundaries import district_names, districts
from carriermap.editing import freeze_quarter
from carriermap.formatting import local_time
from carriermap.permissions import User, can_manage_city, can_report
from carriermap.report import FORMATS, build_report
from carriermap.report.fonts import FontMissingError
from carriermap.snapshots import freeze_history, frozen_quarters, quarter_of, refreeze
from carriermap.ui.context import PageContext
from carriermap.ui.editor import flash
from carriermap.ui.refusals import WRITE_REFUSALS, refusal_text

RECENT_QUARTERS = 6
MIME = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _recent_quarters() -> list[str]:
    """This quarter and the ones before it, newest first."""
    quarter, out = quarter_of(datetime.now(CHINA)), []  # quarters end on China's calendar
    for _ in range(RECENT_QUARTERS):
        out.append(str(quarter))
        quarter = quarter.previous()
    return out


def quarters_panel(ctx: PageContext, user: User) -> None:
    """The city's frozen quarters; freeze (admins, city officials); the report (officials)."""
    frozen = frozen_quarters(ctx.store, ctx.city.adcode)
    st.subheader(ctx.t("data.quarter.frozen_title"))
    if frozen.empty:
        st.caption(ctx.t("data.quarter.none_frozen"))
    else:
        shown = frozen.assign(frozen_at=frozen["frozen_at"].map(local_time))
        headers = {c: ctx.t(f"data.quarter.col.{c}") for c in frozen.columns}
        headers["frozen_at"] = ctx.t("finish.quarter.frozen_at_col")
        st.dataframe(shown.rename(columns=headers), hide_index=True, width="stretch")
    if can_manage_city(user, ctx.city.adcode):
        _freeze_form(ctx, user, set(frozen["quarter"]) if not frozen.empty else set())
    if not frozen.empty:
        _freeze_history(ctx)
        if user.role == "admin":
            _refreeze_form(ctx, user, list(frozen["quarter"]))
    _report_form(ctx, user)


def _freeze_history(ctx: PageContext) -> None:
    """Every freeze, the kept earlier ones included, with the reason for each re-freeze."""
    history = freeze_history(ctx.store, ctx.city.adcode)
    with st.expander(ctx.t("figures.freeze.history", count=len(history))):
        st.dataframe(history.rename(columns={c: ctx.t(f"figures.freeze.col.{c}") for c in history.columns}),
                     hide_index=True, width="stretch")


def _refreeze_form(ctx: PageContext, user: User, frozen: list[str]) -> None:
    """Admins: freeze a frozen quarter again from the history, with a reason that is kept."""
    with st.form("data.refreeze"):
        st.caption(ctx.t("figures.freeze.refreeze_note"))
        quarter = st.selectbox(ctx.t("data.quarter.pick"), frozen, key="data.refreeze.quarter")
        reason = st.text_input(ctx.t("figures.freeze.reason"), key="data.refreeze.reason", max_chars=500)
        submitted = st.form_submit_button(ctx.t("figures.freeze.refreeze"))
    if submitted:
        try:
            row = refreeze(ctx.store, ctx.city.adcode, quarter, user, reason)
        except WRITE_REFUSALS as error:
            st.error(refusal_text(ctx, error))
            return
        flash("success", ctx.t("figures.freeze.refrozen", quarter=row["quarter"], revision=row["revision"]))
        st.rerun()


def _freeze_form(ctx: PageContext, user: User, already: set[str]) -> None:
    ended = [q for q in _recent_quarters()[1:] if q not in already]
    st.caption(ctx.t("data.quarter.rule"))
    if not ended:
        return
    with st.form("data.freeze"):
        quarter = st.selectbox(ctx.t("data.quarter.pick"), ended, key="data.freeze.quarter")
        sure = st.checkbox(ctx.t("data.quarter.confirm", city=ctx.city.display_name(ctx.lang)), key="data.freeze.sure")
        submitted = st.form_submit_button(ctx.t("data.quarter.freeze"))
    if submitted:
        if not sure:
            st.warning(ctx.t("data.quarter.tick_first"))
            return
        try:
            row = freeze_quarter(ctx.store, user, ctx.city.adcode, quarter)
        except WRITE_REFUSALS as error:
            st.error(refusal_text(ctx, error))
            return
        st.session_state.pop("data.freeze.sure", None)  # the next freeze needs its own confirmation
        flash("success", ctx.t("data.quarter.frozen", quarter=row["quarter"], count=len(row["carriers"])))
        st.rerun()


def _report_form(ctx: PageContext, user: User) -> None:
    names = district_names(ctx.lang)
    options = ["", *districts(ctx.city.adcode)["adcode"]]  # "": the whole city
    options = [code for code in options if can_report(user, ctx.city.adcode, code or None)]
    if not options:
        return
    st.subheader(ctx.t("data.report.heading"))
    cols = st.columns(3)
    quarter = cols[0].selectbox(ctx.t("data.quarter.pick"), _recent_quarters(), key="data.report.quarter")
    district = cols[1].selectbox(ctx.t("data.report.scope"), options, key="data.report.district",
                                 format_func=lambda c: names.get(c, c) if c else ctx.city.display_name(ctx.lang))
    fmt = cols[2].radio(ctx.t("data.report.format"), FORMATS, horizontal=True, key="data.report.fmt",
                        format_func=lambda code: ctx.t(f"finish.report.format.{code}"))
    if st.button(ctx.t("data.report.prepare"), key="data.report.make"):
        name = f"carriermap-{ctx.city.adcode}{'-' + district if district else ''}-{quarter}.{fmt}"
        try:
            with st.spinner(ctx.t("data.report.working")):
                data = build_report(ctx.store, ctx.city.adcode, quarter, fmt, district_adcode=district or None,
                                    lang=ctx.lang)
        except FontMissingError:
            st.session_state.pop("data.report.file", None)
            st.error(ctx.t("finish.report.no_font"))
            return
        st.session_state["data.report.file"] = (name, data, fmt)
    ready = st.session_state.get("data.report.file")
    if ready:
        name, data, kind = ready
        st.success(ctx.t("finish.report.ready", name=name))
        st.download_button(ctx.t("data.report.download", name=name), data, file_name=name, mime=MIME[kind],
                           key="data.report.download")
