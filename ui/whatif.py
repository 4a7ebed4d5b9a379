"""The Compare page's what-if form: replace one score for the session, see the current score and
its valid range before typing, keep every field as typed on a refusal, list "original → new"."""

from __future__ import annotations

import streamlit as st

from ui import state
from ui.numbers_input import number_refusal
from ui.widgets import fmt_score, md_escape
from workbench.i18n import NumberError, parse_number, t
from workbench.model import Criterion, Override
from workbench.report.formatting import colon
from workbench.study import Study

OVERRIDDEN = "✎"


def whatif_section(study: Study, names: dict[str, str], leaf_names: dict[str, str], lang: str) -> None:
    """The form and the list of what-ifs in force (kept in the session's scenario by `ui.state`)."""
    sep = colon(lang)
    st.subheader(t("app.compare.whatif", lang))
    st.caption(t("app.compare.whatif_help", lang))
    originals = {p.id: p for p in state.all_providers()}

    def _original(provider_id: str, leaf_id: str) -> float | None:
        """The option's own score on a leaf (before any what-if), None when its profile has none."""
        provider = originals.get(provider_id)
        score = provider.scores.get(leaf_id) if provider else None
        return score.value if score else None

    def _score_text(leaf: Criterion, value: float | None) -> str:
        label = leaf.scale.label_of(value, lang) if (leaf.scale and value is not None) else None
        return fmt_score(value, lang) + (f" ({label})" if label else "")

    def _apply_whatif() -> None:
        """Button callback: check the new score; on a refusal say why and keep every field as typed."""
        provider_id, leaf_id = st.session_state["wi_provider"], st.session_state["wi_leaf"]
        leaf = study.leaves[study.leaf_ids.index(leaf_id)]
        if leaf.scale.ordinal:
            value = float(st.session_state["wi_level"])
        else:
            field = f"{names[provider_id]} · {leaf_names[leaf_id]}"
            try:
                value = parse_number(
                    st.session_state.get("wi_value", ""), lang, low=leaf.scale.min, high=leaf.scale.max
                )
            except NumberError as error:
                st.session_state["wi_error"] = number_refusal(error, field, lang)
                return
        state.add_override(Override(provider_id, leaf_id, value, (st.session_state.get("wi_note") or "").strip()))
        st.session_state["wi_value"] = st.session_state["wi_note"] = ""

    with st.container(border=True, key="whatif"):
        cols = st.columns(2)
        w_provider = cols[0].selectbox(
            t("col.provider", lang),
            study.provider_ids,
            format_func=names.get,
            key="wi_provider",
            placeholder=t("app.choose_one", lang),
        )
        w_leaf = cols[1].selectbox(
            t("col.criterion", lang),
            study.leaf_ids,
            format_func=leaf_names.get,
            key="wi_leaf",
            placeholder=t("app.choose_one", lang),
        )
        leaf = study.leaves[study.leaf_ids.index(w_leaf)]
        current = float(study.matrix[study.provider_ids.index(w_provider), study.leaf_ids.index(w_leaf)])
        scale = leaf.scale
        if scale.ordinal:
            levels = " · ".join(f"{fmt_score(lv.value, lang)} = {md_escape(lv.label.get(lang))}" for lv in scale.levels)
            st.caption(t("app.compare.whatif_levels", lang, value=md_escape(_score_text(leaf, current)), levels=levels))
        else:
            unit = f" {md_escape(scale.unit)}" if scale.unit else ""
            st.caption(t("app.compare.whatif_range", lang, value=fmt_score(current, lang), unit=unit,
                         low=fmt_score(scale.min, lang), high=fmt_score(scale.max, lang)))  # fmt: skip
        cols = st.columns([1.5, 3])
        if scale.ordinal:
            cols[0].selectbox(
                t("app.compare.whatif_value", lang),
                [lv.value for lv in scale.levels],
                format_func=lambda v: _score_text(leaf, v),
                key="wi_level",
                placeholder=t("app.choose_one", lang),
            )
        else:
            cols[0].text_input(
                t("app.compare.whatif_value", lang),
                key="wi_value",
                placeholder=f"{fmt_score(scale.min, lang)} – {fmt_score(scale.max, lang)}",
            )
        cols[1].text_input(t("app.compare.whatif_note", lang), key="wi_note", max_chars=500)
        st.button(t("app.compare.whatif_add", lang), key="wi_apply", on_click=_apply_whatif, type="primary")
        error = st.session_state.pop("wi_error", None)
        if error:
            st.error(error, icon=":material/error:")

    for o in st.session_state.get("wb_overrides") or []:
        o_leaf = next((lf for lf in study.leaves if lf.id == o.criterion), None)
        before = _score_text(o_leaf, _original(o.provider, o.criterion)) if o_leaf else "—"
        after = _score_text(o_leaf, o.value) if o_leaf else fmt_score(o.value, lang)
        cols = st.columns([6, 1])
        cols[0].markdown(
            f"{OVERRIDDEN} **{md_escape(names.get(o.provider, o.provider))}** · "
            f"{md_escape(leaf_names.get(o.criterion, o.criterion))}{sep}{md_escape(before)} → **{md_escape(after)}**"
            + (f" — {md_escape(o.note)}" if o.note else "")
        )
        cols[1].button(
            t("app.compare.whatif_remove", lang), key=f"wi_rm_{o.provider}_{o.criterion}",
            on_click=state.remove_override, args=(o.provider, o.criterion),
        )  # fmt: skip
