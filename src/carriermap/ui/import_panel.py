"""IMPORT SECTION of the data page — a placeholder until the importer's final API lands.

For now it previews a file with the importer functions on main (``read_table``/``prepare``):
every row problem with its row and column, or the rows that would be imported. It writes
nothing. At merge, the lead replaces the body of :func:`import_panel` with the importer
branch's ``plan_import`` / ``commit_import`` / ``template_bytes`` (upload, preview, confirm,
template download).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from carriermap.importer import ImportFileError, prepare, read_table
from carriermap.permissions import User
from carriermap.ui.context import PageContext


def import_panel(ctx: PageContext, user: User) -> None:
    """Upload a CSV/XLSX/GeoJSON and preview it (no write yet; see the module docstring)."""
    if user.role == "operator":
        st.info(ctx.t("data.import.officials_only"))
        return
    st.caption(ctx.t("data.import.placeholder"))
    upload = st.file_uploader(ctx.t("data.import.file"), type=["csv", "xlsx", "geojson", "json"], key="data.import.file")
    if upload is None:
        return
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(upload.name).name
        path.write_bytes(upload.getvalue())
        try:
            frame, first_row = read_table(path)
        except ImportFileError as error:
            st.error(ctx.t(error.key, **error.params))
            return
    plan = prepare(frame, first_row, ctx.city.adcode)
    if plan.problems:
        st.error(ctx.t("data.import.problems", count=len(plan.problems)))
        st.dataframe(pd.DataFrame([{ctx.t("data.import.row"): p.row, ctx.t("data.import.column"): p.column,
                                    ctx.t("data.import.value"): str(p.value),
                                    ctx.t("data.import.message"): ctx.t(p.key, **p.params)} for p in plan.problems]),
                     hide_index=True, width="stretch")
        return
    st.success(ctx.t("data.import.ok", count=len(plan.records)))
    st.dataframe(pd.DataFrame(plan.records), hide_index=True, width="stretch")
