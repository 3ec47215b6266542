"""What `garrison serve` (and `make run`, the benchmark, the browser tests) starts: app.py as an ASGI app
whose pages name the map's code and data in their index.html (dashboard/preload.py)."""

import streamlit as st
from starlette.middleware import Middleware

from dashboard.data import publish_polygons
from dashboard.preload import PreloadMiddleware

# Before the first request, not at the app script's first run: each page's index.html asks for the
# polygons before any script runs, so a first visit after a fresh install would get a 404 (and a map
# without countries, as the browser reuses the failed preload).
publish_polygons()
app = st.App("app.py", middleware=[Middleware(PreloadMiddleware)])
