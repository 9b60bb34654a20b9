"""Streamlit glue shared by the pages: the page context (city, language, store) and cached loaders.

Kept apart from the pure library so that everything else imports without Streamlit.
"""
