"""Start the app with its sign-in cookie routes: ``streamlit run serve.py``.

``app.py`` is the Streamlit script (the router). This file wraps it in ``st.App`` so two
small HTTP routes (:mod:`carriermap.web.session_cookie`) can set and clear the editors'
HttpOnly session cookie; everything else is served exactly as ``streamlit run app.py`` does
(which still works, but then a reload signs the editor out).
"""

# The libraries the pages draw with, imported once as the server starts rather than in the first
# visitor's run (about 3 s together: folium 1.5 s, altair 0.65 s, openpyxl 0.7 s).
import altair  # noqa: F401
import folium  # noqa: F401
import openpyxl  # noqa: F401
import streamlit as st

from carriermap.web.memory import tune_allocator
from carriermap.web.session_cookie import routes

tune_allocator()  # before any session's thread: see carriermap.web.memory

app = st.App("app.py", routes=routes())
