"""Streamlit UI: shared state (state.py), widgets (widgets.py, weight_controls.py, numbers_input.py) and the pages (pages/)."""
