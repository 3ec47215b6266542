"""Entry point: page config, the static country polygons, the login control, navigation.
Pages live in views/ (not pages/: beside a pages/ folder Streamlit runs the first page requested
after a start on its own, without this file's navigation). The Review page is listed in the navigation
only for a logged-in editor."""

import streamlit as st

from dashboard import auth, data

st.set_page_config(page_title="Garrison", page_icon="🗺️", layout="wide")
data.publish_once()
actor = auth.actor()

pages = [
    st.Page("views/map.py", title="Map", icon=":material/public:", default=True),
    st.Page("views/compare.py", title="Compare", icon=":material/compare_arrows:", url_path="compare"),
    st.Page("views/submit.py", title="Submit", icon=":material/add_circle:", url_path="submit"),
]
waiting = data.pending_count(data.database_url(), data.version()) if actor.is_editor else 0
# Always registered, so that /review (opened or reloaded) asks a visitor to sign in instead of "Page
# not found"; listed in the navigation only for an editor.
review = st.Page(
    "views/review.py",
    title=f"Review ({waiting:,})" if waiting else "Review",
    icon=":material/fact_check:",
    url_path="review",
    visibility="visible" if actor.is_editor else "hidden",
)
pages += [review, st.Page("views/about.py", title="About", icon=":material/info:", url_path="about")]
page = st.navigation(pages)
auth.sidebar(expand=page.url_path == review.url_path)
page.run()
data.settle_heap()  # reached once a page ran to its end (not on st.stop or st.rerun)
