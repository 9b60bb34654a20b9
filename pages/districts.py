"""Page: districts (placeholder until its issue lands)."""

import streamlit as st

from carriermap.ui.context import current

ctx = current()
st.title(ctx.t("page.districts"))
st.info(ctx.t("page.placeholder"))
