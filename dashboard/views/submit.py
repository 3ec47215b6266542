"""Submit page: one report through the form (optionally drafted from a pasted article), or many
through a CSV upload."""

import streamlit as st

from dashboard import article, csv_import, report_form

st.title("Submit reports")
st.write(
    "A report is one dated, sourced observation: *whose* forces, *where*, *how many*, *according to whom*. "
    "Every field is checked before anything is stored."
)
form_tab, upload_tab = st.tabs(["One report", "Upload a CSV"])
with form_tab:
    article.show()
    report_form.show()
with upload_tab:
    csv_import.show()
