"""Folium map builders. Pure functions: data in, ``folium`` objects out (no Streamlit here)."""
