"""Folium map builders. Pure functions: data in, ``folium`` objects out (no Streamlit here).

Importing the package makes folium's elements render without compiling their output as
Jinja templates (:func:`carriermap.mapview.raw_render.install`).
"""

from carriermap.mapview.raw_render import install as _install_raw_render

_install_raw_render()
