"""Entry point: page config, the static country polygons, navigation. Pages live in pages/."""

import streamlit as st

from dashboard import data

st.set_page_config(page_title="Garrison", page_icon="🗺️", layout="wide")
data.publish_once()

pages = [
    st.Page("pages/map.py", title="Map", icon=":material/public:", default=True),
    st.Page("pages/submit.py", title="Submit", icon=":material/add_circle:", url_path="submit"),
    st.Page("pages/about.py", title="About", icon=":material/info:", url_path="about"),
]
st.navigation(pages).run()
