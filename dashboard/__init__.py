"""Garrison's Streamlit app: pages draw what core computes."""
