"""Streamlit entry point: page config, language switch and navigation (`streamlit run app.py`).

Pages live in ui/pages/; every page of PAGES must exist (st.Page refuses a missing file). The
session's state is in ui/state.py, the language in ui/language.py, and ui/scenario_link.py keeps
the address in step with the state.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from ui import scenario_link, state
from ui.language import LANG_KEY, get_lang
from ui.study_files import load_set
from ui.widgets import flash_messages, md_escape
from workbench.i18n import LANGS, t

HERE = Path(__file__).resolve().parent
PAGES = (
    ("study.py", "app.nav.study", ":material/folder_open:", None),
    ("build.py", "app.nav.build", ":material/construction:", "build"),
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
PARTICIPANT_PAGE = "join"  # url path of the participant page


def main() -> None:
    st.set_page_config(page_title="Workbench", page_icon=":material/balance:", layout="wide")
    first_run = state.init_state()
    lang = get_lang()
    if first_run:
        scenario_link.open_link()
    pages = [
        st.Page(
            str(HERE / "ui" / "pages" / name),
            title=t(title, lang),
            icon=icon,
            url_path=url_path,
            default=name == "compare.py",
        )  # fmt: skip
        for name, title, icon, url_path in PAGES
    ]
    page = st.navigation(pages)
    # A workshop participant (the join page) gets no analyst navigation or sidebar; that page has
    # its own language switch, and its address keeps only its join code.
    participant = page.url_path == PARTICIPANT_PAGE
    if participant:
        page = st.navigation(pages, position="hidden")
    else:
        with st.sidebar:
            # Re-assert the language on every run: the sidebar may be remounted on a page switch, and a
            # remounted radio would otherwise report its first option (French) on the next rerun.
            st.session_state[LANG_KEY] = lang
            st.radio(
                t("app.language", lang),
                options=list(LANGS),
                format_func=lambda code: {"fr": "Français", "en": "English"}[code],
                key=LANG_KEY,
                horizontal=True,
            )
        criteria_set, _ = load_set(state.current_criteria_path())
        if criteria_set is not None:
            st.sidebar.caption(md_escape(criteria_set.name.get(lang)))
    flash_messages()
    page.run()
    if not participant:
        scenario_link.sync_query_params()


main()
