"""Entry point: page config, the static country polygons, the login control, navigation.
Pages live in pages/; the Review page is in the navigation only for a logged-in editor."""

import streamlit as st

from dashboard import auth, data

st.set_page_config(page_title="Garrison", page_icon="🗺️", layout="wide")
data.publish_once()
actor = auth.sidebar()

pages = [
    st.Page("pages/map.py", title="Map", icon=":material/public:", default=True),
    st.Page("pages/compare.py", title="Compare", icon=":material/compare_arrows:", url_path="compare"),
    st.Page("pages/submit.py", title="Submit", icon=":material/add_circle:", url_path="submit"),
]
if actor.is_editor:
    waiting = data.pending_count(data.database_url(), data.version())
    pages.append(
        st.Page(
            "pages/review.py",
            title=f"Review ({waiting:,})" if waiting else "Review",
            icon=":material/fact_check:",
            url_path="review",
        )
    )
pages.append(st.Page("pages/about.py", title="About", icon=":material/info:", url_path="about"))
st.navigation(pages).run()
