"""Page: find_space (placeholder until its issue lands)."""

import streamlit as st

from carriermap.ui.context import current

ctx = current()
st.title(ctx.t("page.find_space"))
st.info(ctx.t("page.placeholder"))
