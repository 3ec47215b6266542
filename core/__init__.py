"""Garrison core: domain, storage, queries and ingest. Imports no Streamlit."""
