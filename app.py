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

# Global style (static, no user text): hides the element carrying the language script below, and
# makes keyboard focus plain (WCAG 2.4.7): a 2-px ring in the theme colour around the focused
# text, number or select box (Streamlit only tints its 1-px border) and inside the main area,
# which Streamlit makes a Tab stop for keyboard scrolling.
GLOBAL_CSS = """<style>
.st-key-wb_page_lang { display: none; }
:is([data-testid="stTextInputRootElement"], [data-testid="stNumberInputContainer"],
    [data-testid="stTextAreaRootElement"]):focus-within,
[data-testid="stSelectbox"] div:has(> input:focus) { outline: 2px solid #1f5f8b; outline-offset: 2px; }
[data-testid="stMain"]:focus-visible { outline: 2px solid #1f5f8b; outline-offset: -3px; }
</style>"""


def page_language(lang: str) -> None:
    """`<html lang>` follows the chosen language (Streamlit's page says "en" whatever the
    content): screen readers then pronounce French as French (WCAG 2.1 criterion 3.1.1).

    A one-line script in a hidden container, run again whenever the language changes; `lang` is
    one of LANGS, never user text."""
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}")
    st.html(GLOBAL_CSS)
    with st.container(key="wb_page_lang"):
        st.html(f'<script>document.documentElement.lang = "{lang}";</script>', unsafe_allow_javascript=True)


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
    page_language(lang)
    if not participant:
        scenario_link.replace_query_history()
    flash_messages()
    page.run()
    if not participant:
        scenario_link.sync_query_params()


main()
