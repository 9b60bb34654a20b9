"""Page: the public innovation map (placeholder until the map issue lands)."""

import streamlit as st

from carriermap.ui.context import current

ctx = current()
st.title(ctx.t("app.title"))
st.caption(ctx.t("app.tagline"))
st.info(ctx.t("page.placeholder"))
