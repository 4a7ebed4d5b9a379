"""A shared link reopens the same view: the scenario travels in the query string, read on a
session's first run and written back at the end of every run (workbench.files.scenario_io
defines the parameters).

Streamlit's browser side adds a history entry (`history.pushState`) each time the query string
changes, so every moved weight was one more press of Back to leave a page. `replace_query_history`
makes a rewrite of the same page's address replace the current entry instead; a change of page
still adds one, so Back returns to the previous page in one press."""

from __future__ import annotations

import streamlit as st

from ui import state
from ui.language import get_lang
from ui.study_files import find_set, load_set, providers_for
from ui.widgets import md_escape
from workbench.files.scenario_io import PARAM_KEYS, LinkError, scenario_from_params, scenario_to_params
from workbench.i18n import t


def open_link() -> None:
    """Apply the query string to the session, when it carries a scenario; a part that does not
    fit the study is ignored with a warning naming it."""
    params = {k: st.query_params.get(k) for k in st.query_params}
    if not any(k in params for k in PARAM_KEYS):
        return
    lang = get_lang()
    set_id = params.get("set")
    if set_id:
        entry = find_set(set_id)
        if entry is None:
            state.flash("warning", t("app.url.unknown_set", lang, id=md_escape(set_id)))
            return
        st.session_state["wb_criteria"] = str(entry.path)
    path = state.current_criteria_path()
    cs, _ = load_set(path)
    if cs is None:
        return
    providers, _ = providers_for(path)
    try:
        scenario = scenario_from_params(params, cs, [p.id for p in providers])
    except LinkError as exc:
        problems = "\n".join(f"- {md_escape(p.field)}: {md_escape(p.message)}" for p in exc.problems)
        state.flash("warning", t("app.url.refused", lang) + "\n\n" + problems)
        scenario = exc.scenario  # the parts that fit
    state.apply_scenario(scenario, cs)


# Static script (no user text), installed once a browser tab: a history entry pushed for the same
# path (only the query string differs) replaces the current one. Streamlit looks up
# history.pushState at each call, so wrapping it is enough; page switches change the path and
# keep their entry.
HISTORY_SCRIPT = """<script>
if (!window.wbReplaceQueryHistory) {
  window.wbReplaceQueryHistory = true;
  const push = window.history.pushState.bind(window.history);
  window.history.pushState = function (data, unused, url) {
    let samePage = false;
    try { samePage = new URL(url, window.location.href).pathname === window.location.pathname; } catch (e) {}
    return samePage ? window.history.replaceState(data, unused, url) : push(data, unused, url);
  };
}
</script>"""


def replace_query_history() -> None:
    """Install HISTORY_SCRIPT in the page (a hidden element; call it on every run, before the page
    body, so it is in place before the run's address rewrite reaches the browser)."""
    with st.container(key="wb_history"):
        st.html("<style>.st-key-wb_history { display: none; }</style>")
        st.html(HISTORY_SCRIPT, unsafe_allow_javascript=True)


def sync_query_params() -> None:
    """Mirror the state in the URL (only what differs from the set's defaults)."""
    cs, _ = load_set(state.current_criteria_path())
    if cs is None:
        return
    params = scenario_to_params(state.current_scenario(), state.default_weights(cs))
    params["lang"] = get_lang()
    # Sent on every run, not only on change: it is one small message, and a page switch starts
    # from the page's bare address, so the parameters must be written again anyway.
    st.query_params.from_dict(params)
