"""What `garrison serve` (and `make run`, the benchmark, the browser tests) starts: app.py as an ASGI app
whose pages name the map's code and data in their index.html (dashboard/preload.py)."""

import streamlit as st
from starlette.middleware import Middleware

from dashboard.preload import PreloadMiddleware

app = st.App("app.py", middleware=[Middleware(PreloadMiddleware)])
