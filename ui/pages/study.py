"""Study page: pick a criteria set, see its providers and choose which to include.

Files that fail validation are listed with file, line and problem; the rest keeps working.
"""

from __future__ import annotations

import streamlit as st

from ui import state
from ui.weight_controls import node_depths
from ui.widgets import md_escape, page_chrome, show_problems
from workbench.i18n import fmt_input, t

lang = state.get_lang()
st.title(t("app.study.title", lang))
page_chrome(lang)

sets, set_problems = state.catalogue()
current = state.current_criteria_path()
paths = [e.path for e in sets]
if current not in paths:
    paths.append(current)  # the fallback fixture, or a set outside the folder
labels = {}
for path in paths:
    cs, _ = state.load_set(path)
    labels[path] = cs.name.get(lang) if cs else path.name


def _on_set_change() -> None:
    state.reset_for_set(st.session_state["study_set"])


st.session_state["study_set"] = current
st.selectbox(
    t("app.study.criteria_set", lang),
    options=paths,
    format_func=lambda p: f"{labels[p]} ({p.name})",
    key="study_set",
    on_change=_on_set_change,
    placeholder=t("app.choose_one", lang),
)
cs = state.current_criteria_set()
if cs.description:
    st.caption(md_escape(cs.description.get(lang)))  # "270 M$" is not maths

providers, provider_problems = state.providers_for(current)
every = [p.id for p in providers]
names = {p.id: p.name.get(lang) for p in providers}


def _on_providers_change() -> None:
    state.set_selected_providers(st.session_state["study_providers"])


st.session_state["study_providers"] = state.selected_provider_ids()
st.multiselect(
    t("app.study.providers", lang),
    options=every,
    format_func=lambda pid: names.get(pid, pid),
    key="study_providers",
    on_change=_on_providers_change,
    placeholder=t("app.choose_many", lang),
)
if not state.selected_provider_ids():  # a plain sentence, not the engine's "no providers" problem
    st.warning(t("app.study.none_selected", lang), icon=":material/info:")

chosen = set(state.selected_provider_ids())
st.dataframe(
    [
        {
            # A text mark: a checkbox here would look clickable but is read-only.
            t("app.study.included", lang): f"✓ {t('app.yes', lang)}" if p.id in chosen else "—",
            t("col.provider", lang): p.name.get(lang),
            t("app.study.kind", lang): p.kind.get(lang) if p.kind else "",
            t("app.study.summary", lang): p.summary.get(lang) if p.summary else "",
        }
        for p in providers
    ],
    hide_index=True,
    width="stretch",
    column_config={t("app.study.summary", lang): st.column_config.TextColumn(width="large")},
)

st.subheader(t("app.study.criteria", lang))
depth = node_depths(cs)
st.dataframe(
    [
        {
            t("col.criterion", lang): "\u00a0" * 4 * depth[node.id] + node.name.get(lang),
            t("col.weight", lang): fmt_input(node.weight, lang),
            t("app.study.direction", lang): t(f"app.direction.{node.direction}", lang) if node.is_leaf else "",
            t("app.study.must_have", lang): node.must_have.describe() if node.must_have else "",
        }
        for node in cs.nodes()
    ],
    hide_index=True,
    width="stretch",
)

problems = set_problems + provider_problems
st.subheader(t("app.study.problems", lang))
if problems:
    show_problems(problems, lang, title=t("app.study.problems_left_out", lang, count=len(problems)))
else:
    st.success(t("app.study.no_problems", lang))
