"""The list of carriers without a point, under a map (they are listed, never drawn as if precise)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from carriermap.location import placed_mask
from carriermap.ui.context import PageContext
from carriermap.unplaced_view import unplaced_frame


def unplaced_list(ctx: PageContext, carriers: pd.DataFrame) -> None:
    """A note with how many carriers have no point, and their list (nothing when all are placed)."""
    missing = int((~placed_mask(carriers)).sum()) if not carriers.empty else 0
    if not missing:
        return
    with st.expander(ctx.t("lists.map.unplaced", n=missing)):
        st.caption(ctx.t("lists.map.unplaced_note"))
        st.dataframe(unplaced_frame(carriers, ctx.lang), width="stretch", key="map.unplaced")
