"""创新载体地图 carriermap — the router: pages, city and language in the sidebar.

Start with ``streamlit run app.py``. Pages live in ``pages/`` and only draw; the work is
done by the ``carriermap`` library.
"""

import streamlit as st

from carriermap.i18n import t
from carriermap.ui.context import sidebar

st.set_page_config(page_title="创新载体地图 · carriermap", page_icon=":material/map:", layout="wide")

ctx = sidebar()
pages = [
    st.Page("pages/map.py", title=t("page.map", ctx.lang), icon=":material/map:", url_path="map", default=True),
    st.Page("pages/districts.py", title=t("page.districts", ctx.lang), icon=":material/bar_chart:", url_path="districts"),
    st.Page("pages/find_space.py", title=t("page.find_space", ctx.lang), icon=":material/location_on:", url_path="find_space"),
    st.Page("pages/data.py", title=t("page.data", ctx.lang), icon=":material/edit_note:", url_path="data"),
]
navigation = st.navigation(pages, position="sidebar")
navigation.run()
