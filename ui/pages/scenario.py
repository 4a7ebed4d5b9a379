"""Scenario page: save the session as a scenario YAML (download), load one (upload), and
compare the state in force with another scenario of the same set (ui.scenario_compare).

An upload that does not fit (bad YAML, unknown ids, wrong types) is refused with the file, line
and field of each problem, and the session keeps its state.
"""

from __future__ import annotations

import hashlib
from urllib.parse import urlencode

import streamlit as st

from ui import state
from ui.scenario_compare import compare_section, upload_text
from ui.widgets import page_chrome, show_problems
from workbench.errors import LoadError
from workbench.files.loading import parse_scenario
from workbench.files.scenario_io import scenario_to_params, scenario_to_yaml
from workbench.files.yamlfile import parse_yaml
from workbench.i18n import t

lang = state.get_lang()
cs = state.current_criteria_set()
st.title(t("app.scenario.title", lang))
page_chrome(lang)  # the uploader's "Upload" and "… per file" in the user's language


def _copy(key: str, target: str) -> None:
    st.session_state[target] = st.session_state[key]


st.session_state["scn_title"] = st.session_state.get("wb_title") or ""
st.session_state["scn_notes"] = st.session_state.get("wb_notes") or ""
st.text_input(t("app.scenario.name", lang), key="scn_title", max_chars=200, on_change=_copy,
              args=("scn_title", "wb_title"))  # fmt: skip
st.text_area(t("app.scenario.notes", lang), key="scn_notes", max_chars=20_000, on_change=_copy,
             args=("scn_notes", "wb_notes"))  # fmt: skip

scenario = state.current_scenario()
text = scenario_to_yaml(scenario)
file_name = f"scenario-{cs.id}.yaml"
st.download_button(
    t("app.scenario.download", lang),
    data=text.encode("utf-8"),
    file_name=file_name,
    mime="application/x-yaml",
    key="scn_download",
    icon=":material/download:",
)
with st.expander(t("app.scenario.preview", lang)):
    st.code(text, language="yaml")

st.subheader(t("app.scenario.share", lang))
params = scenario_to_params(scenario, state.default_weights(cs))
params["lang"] = lang
st.code("?" + urlencode(params), language=None, wrap_lines=True)
st.caption(t("app.scenario.share_help", lang))

st.subheader(t("app.scenario.load", lang))
upload = st.file_uploader(t("app.scenario.upload", lang), type=["yaml", "yml"], key="scn_upload")


def _target_set(data: object):
    """The criteria set an uploaded scenario names (the current one when it names none)."""
    set_id = data.get("criteria") if isinstance(data, dict) else None
    if not set_id or set_id in (cs.id, state.current_criteria_path().name):
        return state.SetEntry(state.current_criteria_path(), cs)
    return state.find_set(str(set_id))


def _load(name: str, raw: bytes) -> bool:
    """Check and apply an uploaded scenario; on any problem say why and keep the state."""
    text_in = upload_text(name, raw, lang)
    if text_in is None:
        return False
    try:
        entry = _target_set(parse_yaml(text_in, name).data)
        if entry is None:
            st.error(t("app.scenario.unknown_set", lang, name=name))
            return False
        providers, _ = state.providers_for(entry.path)
        loaded = parse_scenario(text_in, name, entry.criteria_set, [p.id for p in providers])
    except LoadError as exc:
        st.error(t("app.scenario.refused", lang, name=name))
        show_problems(exc.problems, lang)
        return False
    if entry.path != state.current_criteria_path():
        state.reset_for_set(entry.path)
    state.apply_scenario(loaded, entry.criteria_set)
    return True


if upload is not None:
    raw = upload.getvalue()
    stamp = (upload.name, hashlib.sha256(raw).hexdigest())
    if st.session_state.get("scn_loaded") == stamp:
        st.success(t("app.scenario.loaded", lang, name=upload.name))
    elif _load(upload.name, raw):
        st.session_state["scn_loaded"] = stamp
        st.rerun()

compare_section(lang)
