"""Streamlit UI: shared state (state.py), widgets (widgets.py) and the pages (pages/)."""
