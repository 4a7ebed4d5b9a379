"""Widgets shared by the pages: provider colours, problem lists, safe text, numbers shown in the
user's language, and Streamlit's own texts translated. The weight controls are in
ui/weight_controls.py, the number boxes in ui/numbers_input.py."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import ROUND_HALF_EVEN, Decimal

import streamlit as st

from workbench.charts.study import provider_colors as _chart_provider_colors
from workbench.errors import Problem
from workbench.i18n import t
from workbench.report.safety import md_text
from workbench.report.safety import safe_url as safe_url  # the engine's one URL check, for the pages


def provider_colors(provider_ids: Sequence[str]) -> dict[str, str]:
    """Colour-blind-safe colour per provider (same mapping as every chart's)."""
    return _chart_provider_colors(provider_ids)


def md_escape(text: object) -> str:
    """Untrusted text made inert for st.markdown: the reports' Markdown escaping
    (`workbench.report.safety.md_text`) plus Streamlit's own maths and directive syntax."""
    return md_text(text, streamlit=True)


def show_problems(problems: Iterable[Problem], lang: str, *, title: str | None = None) -> None:
    """List file, line, field and message of each problem in a table (no traceback, no markup)."""
    problems = list(problems)
    if not problems:
        return
    st.warning(title or t("app.problems.title", lang, count=len(problems)))
    st.dataframe(
        [
            {
                t("app.problems.file", lang): p.file,
                t("app.problems.line", lang): p.line,
                t("app.problems.field", lang): p.field,
                t("app.problems.message", lang): p.message,
            }
            for p in problems
        ],
        hide_index=True,
        width="stretch",
    )


def flash_messages() -> None:
    """Show (once) the messages queued by ui.state.flash."""
    for kind, message in st.session_state.get("wb_flash") or []:
        getattr(st, kind, st.info)(message)
    st.session_state["wb_flash"] = []


# --- Streamlit's own English texts ------------------------------------------------------------


def _css_string(text: str) -> str:
    """A catalogue text as a CSS string literal (quotes, backslashes and '<' escaped)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3C ")
    return f'"{escaped}"'


def page_chrome(lang: str) -> None:
    """Put the user's language on the few texts Streamlit draws in English and offers no option
    for (CSS over its own elements; catalogue texts only, never user text):

    - "Press Enter to apply" under a text box and "Press Ctrl+Enter to apply" under a text area;
    - the file uploader's "Upload" button and its "200MB per file • YAML" line.

    What stays English (no element to reach): "Drag and drop a file here" while a file is dragged
    over the uploader, "No results" when a menu's search matches nothing, and the data tables'
    own menus (sort, search, download). Menus pass an explicit `placeholder` instead of
    "Choose an option"."""
    hints = {
        "enter": _css_string(t("app.hint.enter", lang)),
        "ctrl": _css_string(t("app.hint.ctrl_enter", lang)),
        "upload": _css_string(t("app.hint.upload", lang)),
        "limit": _css_string(t("app.hint.upload_limit", lang, mb=st.get_option("server.maxUploadSize"))),
    }
    # st.html, not st.markdown: a style-only block is not an element of the page (nor of AppTest's list).
    st.html(
        "<style>"
        '[data-testid="stTextInput"] [data-testid="InputInstructions"] > span:first-child,'
        '[data-testid="stTextArea"] [data-testid="InputInstructions"] > span:first-child {font-size: 0;}'
        '[data-testid="stTextInput"] [data-testid="InputInstructions"] > span:first-child::after'
        f" {{content: {hints['enter']}; font-size: 0.75rem;}}"
        '[data-testid="stTextArea"] [data-testid="InputInstructions"] > span:first-child::after'
        f" {{content: {hints['ctrl']}; font-size: 0.75rem;}}"
        '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {font-size: 0;}'
        '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after'
        f" {{content: {hints['upload']}; font-size: 1rem;}}"
        '[data-testid="stFileUploaderDropzoneInstructions"] span {font-size: 0;}'
        f'[data-testid="stFileUploaderDropzoneInstructions"] span::after {{content: {hints["limit"]};'
        " font-size: 0.875rem;}"
        "</style>"
    )


def options_chosen(lang: str) -> bool:
    """False, after saying so with a way to the Study page, when no option is selected: pages that
    rank options have nothing to show (and the engine's 'no providers' is not for a user)."""
    from ui import state  # ui.state imports this module

    if state.selected_provider_ids():
        return True
    st.warning(t("app.study.none_selected", lang), icon=":material/info:")
    st.page_link("ui/pages/study.py", label=t("app.study.choose_options", lang), icon=":material/folder_open:")
    return False


def fast_number(value: float, lang: str, decimals: int = 3) -> str:
    """Same text as workbench.i18n.fmt_number (half-even rounding of the decimal repr, French
    '1\u202f234,5' with a narrow no-break space, en-CA '1,234.5'), about 50× faster: the score
    matrix formats thousands of cells on every rerun."""
    quantum = Decimal(1).scaleb(-decimals)
    number = Decimal(repr(float(value))).quantize(quantum, rounding=ROUND_HALF_EVEN)
    text = f"{number:,.{decimals}f}"
    if lang == "fr":
        text = text.replace(",", "\u202f").replace(".", ",")
    return text


def fmt_score(value: float | None, lang: str) -> str:
    """A score with up to 3 decimals, trailing zeros dropped ('7', '0,125')."""
    if value is None:
        return "—"
    text = fast_number(value, lang, 3)
    sep = "," if lang == "fr" else "."
    return text.rstrip("0").rstrip(sep) if sep in text else text
