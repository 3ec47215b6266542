"""Entry point: page config and navigation only."""

import streamlit as st

st.set_page_config(page_title="Garrison", page_icon="🗺️", layout="wide")


def placeholder() -> None:
    st.title("Garrison")
    st.write("Foreign military presence as of any date, from sourced reports.")


st.navigation([st.Page(placeholder, title="Map", default=True)]).run()
