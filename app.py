"""Streamlit entry point: page config, language switch and navigation (`streamlit run app.py`).

Pages live in ui/pages/; a page is listed only when its file exists, so developers can add
theirs independently. State handling is in ui/state.py.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui import state
from ui.widgets import flash_messages, md_escape
from workbench.i18n import LANGS, t

HERE = Path(__file__).resolve().parent
PAGES = (
    ("study.py", "app.nav.study", ":material/folder_open:", None),
    ("weights.py", "app.nav.weights", ":material/tune:", None),
    ("compare.py", "app.nav.compare", ":material/leaderboard:", None),
    ("provider.py", "app.nav.provider", ":material/badge:", None),
    ("robustness.py", "app.nav.robustness", ":material/ssid_chart:", None),
    ("costs.py", "app.nav.costs", ":material/payments:", None),
    ("scenario.py", "app.nav.scenario", ":material/save:", None),
    ("export.py", "app.nav.export", ":material/description:", None),
    ("workshop.py", "app.nav.workshop", ":material/groups:", None),
    ("join.py", "app.nav.join", ":material/how_to_vote:", "join"),
)


def main() -> None:
    st.set_page_config(page_title="Workbench", page_icon=":material/balance:", layout="wide")
    state.init_state()
    lang = state.get_lang()
    with st.sidebar:
        # Re-assert the language on every run: the sidebar may be remounted on a page switch, and a
        # remounted radio would otherwise report its first option (French) on the next rerun.
        st.session_state[state.LANG_KEY] = lang
        st.radio(
            t("app.language", lang),
            options=list(LANGS),
            format_func=lambda code: {"fr": "Français", "en": "English"}[code],
            key=state.LANG_KEY,
            horizontal=True,
        )
    lang = state.get_lang()
    criteria_set, _ = state.load_set(state.current_criteria_path())
    if criteria_set is not None:
        st.sidebar.caption(md_escape(criteria_set.name.get(lang)))
    pages = [
        st.Page(
            str(HERE / "ui" / "pages" / name),
            title=t(title, lang),
            icon=icon,
            url_path=url_path,
            default=name == "compare.py",
        )  # fmt: skip
        for name, title, icon, url_path in PAGES
        if (HERE / "ui" / "pages" / name).is_file()
    ]
    page = st.navigation(pages)
    flash_messages()
    page.run()
    state.sync_query_params()


main()
