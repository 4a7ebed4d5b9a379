"""The language in force: the sidebar switch, seeded by ?lang= or else the browser's locale."""

from __future__ import annotations

import streamlit as st

from workbench.i18n import normalize_lang

LANG_KEY = "wb_lang"


def browser_lang() -> str:
    """'fr' or 'en' from the browser (st.context.locale); French when unknown."""
    try:
        locale = st.context.locale
    except Exception:  # noqa: BLE001 - no browser context (bare mode)
        locale = None
    return normalize_lang(locale)


def get_lang() -> str:
    """The language in force: the sidebar switch, seeded by ?lang= or the browser locale."""
    if LANG_KEY not in st.session_state:
        st.session_state[LANG_KEY] = (
            normalize_lang(st.query_params.get("lang")) if st.query_params.get("lang") else browser_lang()
        )
    return normalize_lang(st.session_state[LANG_KEY])
