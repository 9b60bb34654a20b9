"""One line saying which data a page's figures are as of (live data, and the last frozen quarter)."""

from __future__ import annotations

import streamlit as st

from carriermap.snapshots import frozen_quarters
from carriermap.ui.context import PageContext


def as_of_text(ctx: PageContext) -> str:
    """``本页数字截至:实时数据(最近冻结季度:2026Q2)`` in the page's language."""
    frozen = frozen_quarters(ctx.store, ctx.city.adcode)
    state = (ctx.t("finish.quarter.live", quarter=frozen["quarter"].iloc[0]) if not frozen.empty
             else ctx.t("finish.quarter.live_none"))
    return ctx.t("finish.quarter.as_of", quarter=state)


def as_of_caption(ctx: PageContext) -> None:
    """Draw :func:`as_of_text` as a caption."""
    st.caption(as_of_text(ctx))
