"""创新载体地图 carriermap — the router: pages, city and language in the sidebar.

Start with ``streamlit run app.py``. Pages live in ``pages/`` and only draw; the work is
done by the ``carriermap`` library.
"""

import streamlit as st

from carriermap.i18n import t
from carriermap.mapview.assets import ensure_assets
from carriermap.ui.context import ensure_router, is_embedded, sidebar

st.set_page_config(page_title="创新载体地图 · carriermap", page_icon=":material/map:", layout="wide")

ensure_router()  # a fresh server's first run must go through this router, not legacy pages/ mode
ensure_assets()  # Leaflet served by the app itself: the map works with no CDN
embedded = is_embedded()  # a portal's iframe: no sidebar, no page menu; the URL sets city, language, filters
ctx = sidebar(draw=not embedded)
PAGES = (  # file, catalogue key, icon, URL path
    ("pages/map.py", "page.map", ":material/map:", "map"),
    ("pages/districts.py", "page.districts", ":material/bar_chart:", "districts"),
    ("pages/find_space.py", "page.find_space", ":material/location_on:", "find_space"),
    ("pages/data.py", "page.data", ":material/edit_note:", "data"),
)
pages = [st.Page(path, title=t(key, ctx.lang), icon=icon, url_path=url, default=(url == "map"))
         for path, key, icon, url in PAGES]
navigation = st.navigation(pages, position="hidden" if embedded else "sidebar")
navigation.run()
