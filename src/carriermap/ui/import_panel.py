"""The import section of the data page: template, upload, preview with row errors, confirm.

All the work is in :func:`carriermap.importer.plan_import` (read, validate, match; writes
nothing) and :func:`carriermap.editing.import_plan` (scope check, one transaction). The plan
is kept in the session between the preview and the confirmation, keyed on the file's bytes.
"""

from __future__ import annotations

import hashlib
from functools import partial

import pandas as pd
import streamlit as st

from carriermap.boundaries import district_names
from carriermap.editing import import_plan
from carriermap.formatting import display_value
from carriermap.importer import plan_import, template_bytes
from carriermap.importing.plan import UPLOAD_ROW_LIMIT
from carriermap.permissions import User
from carriermap.ui.context import PageContext
from carriermap.ui.editor import flash
from carriermap.ui.plan_writes import FAILED, write_plan

_UPLOAD_ROUND = "data.import.round"  # a new uploader after each write: the written file's preview is gone

_PLAN_KEY = "data.import.plan"
_MIME = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "csv": "text/csv"}


def _templates(ctx: PageContext) -> None:
    columns = st.columns(2)
    for column, fmt in zip(columns, ("xlsx", "csv"), strict=True):
        column.download_button(ctx.t(f"data.import.template_{fmt}"), partial(template_bytes, fmt, ctx.lang),
                               file_name=f"carriermap-template.{fmt}", mime=_MIME[fmt], key=f"data.import.tpl.{fmt}")


def _show_problems(ctx: PageContext, plan) -> None:
    st.error(ctx.t("data.import.problems", count=len(plan.problems)))
    errors = plan.errors(ctx.lang)
    st.dataframe(pd.DataFrame([{ctx.t("data.import.row"): e["row"], ctx.t("data.import.column"): e["column"],
                                ctx.t("data.import.value"): display_value(e["value"]),
                                ctx.t("data.import.message"): e["message"]} for e in errors]),
                 hide_index=True, width="stretch")


def _show_preview(ctx: PageContext, plan) -> None:
    counts = plan.counts
    st.success(ctx.t("data.import.ok_counts", **counts))
    st.info(ctx.t("lists.cli.placement", **plan.placement_counts))
    _show_left_out(ctx, plan)
    preview = plan.preview()
    preview["action"] = preview["action"].map(lambda a: ctx.t(f"data.import.action.{a}"))
    names = district_names(ctx.lang)
    preview["placement"] = preview["placement"].map(lambda s: ctx.t(f"lists.placement.{s}"))
    preview["district_adcode"] = preview["district_adcode"].map(
        lambda c: names.get(str(c), str(c)) if c is not None and not pd.isna(c) else ctx.t("lists.district_unknown"))
    preview.columns = [ctx.t(f"data.import.preview.{c}") for c in preview.columns]
    st.dataframe(preview, hide_index=True, width="stretch")


def _show_left_out(ctx: PageContext, plan) -> None:
    """Rows not imported (another city) and columns not read, each with its reason (nothing silent)."""
    refusals = plan.refusals(ctx.lang)
    if refusals:
        st.warning(ctx.t("lists.import.refused", n=len(refusals)))
        st.dataframe(pd.DataFrame([{ctx.t("data.import.row"): e["row"], ctx.t("data.import.column"): e["column"],
                                    ctx.t("data.import.value"): "" if e["value"] is None else str(e["value"]),
                                    ctx.t("data.import.message"): e["message"]} for e in refusals]),
                     hide_index=True, width="stretch", key="data.import.refused")
    for hint in plan.ignored_hints(ctx.lang):
        st.text(hint)


def import_panel(ctx: PageContext, user: User) -> None:
    """Template download, upload, preview (new / changed / unchanged or every problem), confirm."""
    if user.role == "operator":
        st.info(ctx.t("data.import.officials_only"))
        return
    st.caption(ctx.t("data.import.intro"))
    _templates(ctx)
    upload = st.file_uploader(ctx.t("data.import.file"), type=["csv", "xlsx", "geojson", "json"],
                              key=f"data.import.file.{st.session_state.get(_UPLOAD_ROUND, 0)}")
    if upload is None:
        st.session_state.pop(_PLAN_KEY, None)
        return
    data = upload.getvalue()
    digest = hashlib.sha256(data).hexdigest()
    cached = st.session_state.get(_PLAN_KEY)
    if cached is None or cached[0] != digest:
        plan = plan_import(data, upload.name, city=ctx.city.adcode, lang=ctx.lang, store=ctx.store,
                           max_rows=UPLOAD_ROW_LIMIT)
        st.session_state[_PLAN_KEY] = (digest, plan)
    plan = st.session_state[_PLAN_KEY][1]
    if plan.sheet:  # which sheet of the workbook was read, always said
        st.caption(ctx.t("import.sheet_read", sheet=plan.sheet))
    if not plan.ok:
        _show_problems(ctx, plan)
        return
    _show_preview(ctx, plan)
    if plan.counts["new"] + plan.counts["changed"] == 0:
        st.info(ctx.t("data.import.nothing"))
        return
    if st.button(ctx.t("data.import.confirm"), type="primary", key="data.import.confirm"):
        changeset = write_plan(ctx, lambda: import_plan(ctx.store, user, plan), _PLAN_KEY)
        if changeset is FAILED:
            return
        st.session_state[_UPLOAD_ROUND] = st.session_state.get(_UPLOAD_ROUND, 0) + 1
        flash("success", ctx.t("data.import.done", changeset=changeset, **plan.counts) + " "
              + ctx.t("finish.import.in_picker"))
        st.rerun()
