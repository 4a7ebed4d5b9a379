"""Weights page: the criteria tree with a control per node and live shares, plus rank-order
centroid, swing and AHP helpers that fill one group's weights (all computed by workbench.weights)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from ui import state
from ui.widgets import weight_controls
from workbench.i18n import fmt_number, fmt_percent, t
from workbench.model import CriteriaSet, Criterion
from workbench.weights import CR_THRESHOLD, ahp, reciprocal_matrix, roc_weights, swing_weights

SCALE = 100.0  # helper weights (shares summing to 1) become points out of 100
AHP_KEY = "ahp_matrix"

lang = state.get_lang()
cs = state.current_criteria_set()
st.title(t("app.weights.title", lang))
st.caption(t("app.weights.intro", lang))


def _reset() -> None:
    state.set_weights(state.default_weights(state.current_criteria_set()))


st.button(t("app.weights.reset", lang), on_click=_reset, key="weights_reset", icon=":material/restart_alt:")


def _groups(criteria_set: CriteriaSet) -> dict[str, list[Criterion]]:
    """Sibling groups a helper can fill: the top level ('') and every group node."""
    out = {"": list(criteria_set.criteria)}
    for node in criteria_set.nodes():
        if not node.is_leaf:
            out[node.id] = list(node.children)
    return out


def _apply(shares: dict[str, float]) -> None:
    """Put a helper's shares (summing to 1) into the weights in force as points out of 100, to one
    decimal: the boxes then show what is in force ('19,3', not '19.2897')."""
    weights = state.current_weights()
    weights.update({k: round(v * SCALE, 1) for k, v in shares.items()})
    state.set_weights(weights)
    state.flash("success", t("app.weights.applied", state.get_lang()))


tab_direct, tab_roc, tab_swing, tab_ahp = st.tabs(
    [
        t("app.weights.tab.direct", lang),
        t("app.weights.tab.roc", lang),
        t("app.weights.tab.swing", lang),
        t("app.weights.tab.ahp", lang),
    ]  # fmt: skip
)

with tab_direct:
    values = weight_controls(cs, state.current_weights(), key_prefix=state.WEIGHT_PREFIX, lang=lang, text_entry=True)
    st.session_state["wb_weights"] = values

groups = _groups(cs)
names = {n.id: n.name.get(lang) for n in cs.nodes()}


def _group_picker(key: str) -> list[Criterion]:
    group = st.selectbox(
        t("app.weights.group", lang),
        options=list(groups),
        format_func=lambda g: t("app.weights.top_level", lang) if g == "" else names[g],
        key=key,
    )
    return groups[group]


with tab_roc:
    st.caption(t("app.weights.roc.help", lang))
    children = _group_picker("roc_group")
    ids = [c.id for c in children]
    order = st.multiselect(
        t("app.weights.roc.order", lang), options=ids, format_func=names.get, key=f"roc_order_{'-'.join(ids)}"
    )
    if len(order) == len(ids):
        shares = roc_weights(order)
        st.dataframe(
            pd.DataFrame(
                {
                    t("col.criterion", lang): [names[i] for i in order],
                    t("app.weights.share", lang): [fmt_percent(shares[i], lang, 1) for i in order],
                }  # fmt: skip
            ),
            hide_index=True,
        )
        st.button(t("app.weights.apply", lang), key="roc_apply", on_click=_apply, args=(shares,))
    else:
        st.info(t("app.weights.roc.incomplete", lang, missing=len(ids) - len(order)))

with tab_swing:
    st.caption(t("app.weights.swing.help", lang))
    children = _group_picker("swing_group")
    points = {}
    for child in children:
        points[child.id] = st.slider(names[child.id], 0, 100, 100, key=f"swing_{child.id}")
    try:
        shares = swing_weights(points)
    except ValueError:
        st.error(t("app.weights.swing.zero", lang))
    else:
        st.caption(" · ".join(f"{names[k]} {fmt_percent(v, lang, 1)}" for k, v in shares.items()))
        st.button(t("app.weights.apply", lang), key="swing_apply", on_click=_apply, args=(shares,))

with tab_ahp:
    st.caption(t("app.weights.ahp.help", lang))
    children = _group_picker("ahp_group")
    ids = [c.id for c in children]
    labels = [names[i] for i in ids]
    if len(ids) < 2:
        st.info(t("app.weights.ahp.too_few", lang))
    else:
        base = pd.DataFrame(np.ones((len(ids), len(ids))), index=labels, columns=labels)
        edited = st.data_editor(
            base,
            key=f"{AHP_KEY}_{'-'.join(ids)}",
            column_config={
                label: st.column_config.NumberColumn(label, min_value=1 / 9, max_value=9.0, format="%.3g")
                for label in labels
            },
        )
        try:
            result = ahp(ids, reciprocal_matrix(np.asarray(edited, dtype=float)))
        except ValueError as exc:
            st.error(str(exc))
        else:
            cols = st.columns(3)
            cols[0].metric(t("app.weights.ahp.cr", lang), fmt_number(result.cr, lang, 3))
            cols[1].metric("λmax", fmt_number(result.lambda_max, lang, 3))
            cols[2].metric("CI", fmt_number(result.ci, lang, 3))
            if not result.consistent:
                st.warning(t("app.weights.ahp.inconsistent", lang, cr=fmt_number(result.cr, lang, 3),
                             limit=fmt_number(CR_THRESHOLD, lang, 1)))  # fmt: skip
            st.dataframe(
                pd.DataFrame(
                    {
                        t("col.criterion", lang): labels,
                        t("app.weights.share", lang): [fmt_percent(result.weights[i], lang, 1) for i in ids],
                    }  # fmt: skip
                ),
                hide_index=True,
            )
            st.caption(t("app.weights.ahp.reciprocal", lang))
            st.button(t("app.weights.apply", lang), key="ahp_apply", on_click=_apply, args=(result.weights,))
