"""Weights page: the criteria tree with a control per node and live shares, plus rank-order
centroid, swing and AHP helpers that fill one group's weights (all computed by workbench.weights)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import state
from ui.weight_controls import weight_controls
from ui.widgets import fmt_score, md_escape, options_chosen, page_chrome
from workbench.i18n import fmt_number, fmt_percent, t
from workbench.model import CriteriaSet, Criterion
from workbench.report.formatting import colon
from workbench.weights import (
    CR_THRESHOLD,
    VERBAL_SCALE,
    ahp,
    judgement_pairs,
    most_inconsistent,
    observed_swings,
    pairwise_matrix,
    roc_weights,
    swing_weights,
    verbal_step,
    verbal_value,
)

SCALE = 100.0  # helper weights (shares summing to 1) become points out of 100

lang = state.get_lang()
SEP = colon(lang)
cs = state.current_criteria_set()
st.title(t("app.weights.title", lang))
page_chrome(lang)
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
md_names = {k: md_escape(v) for k, v in names.items()}  # for labels, captions and options drawn as Markdown


def _group_picker(key: str) -> list[Criterion]:
    group = st.selectbox(
        t("app.weights.group", lang),
        options=list(groups),
        format_func=lambda g: t("app.weights.top_level", lang) if g == "" else names[g],
        key=key,
        placeholder=t("app.choose_one", lang),
    )
    return groups[group]


with tab_roc:
    st.caption(t("app.weights.roc.help", lang))
    children = _group_picker("roc_group")
    ids = [c.id for c in children]
    order = st.multiselect(
        t("app.weights.roc.order", lang),
        options=ids,
        format_func=names.get,
        key=f"roc_order_{'-'.join(ids)}",
        placeholder=t("app.choose_many", lang),
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


def _leaves_under(node: Criterion) -> list[Criterion]:
    return [node] if node.is_leaf else [leaf for child in node.children for leaf in _leaves_under(child)]


def _level(leaf: Criterion, value: float) -> str:
    """A level of a leaf as a person reads it (Markdown-safe): the scale's label, or the number
    with its unit."""
    scale = leaf.scale
    label = scale.label_of(value, lang) if scale else None
    if label:
        return md_escape(label)
    return fmt_score(value, lang) + (f" {md_escape(scale.unit)}" if scale and scale.unit else "")


def _anchor(leaf: Criterion, value: float) -> str | None:
    """The scale's description of exactly this value, when it has one."""
    scale = leaf.scale
    return next((a.label.get(lang) for a in (scale.anchors if scale else ()) if a.value == value), None)


def _swing_text(node: Criterion, swings: dict) -> str:
    """'2 points → 8 points' for a leaf; each leaf's swing for a group."""
    parts = [
        (f"{md_names[leaf.id]} " if not node.is_leaf else "")
        + f"{_level(leaf, swings[leaf.id].worst)} → {_level(leaf, swings[leaf.id].best)}"
        for leaf in _leaves_under(node)
        if leaf.id in swings
    ]
    return " ; ".join(parts) if lang == "fr" else "; ".join(parts)


def _swing_details(node: Criterion, swings: dict) -> str:
    """Under a slider: the worst -> best levels, with what the scale says of each when it describes
    exactly that value (its anchors)."""
    if not node.is_leaf or node.id not in swings:
        return t("app.weights.swing.levels", lang, levels=_swing_text(node, swings))
    swing = swings[node.id]
    ends = []
    for key, value in (("app.weights.swing.worst", swing.worst), ("app.weights.swing.best", swing.best)):
        anchor = _anchor(node, value)
        quoted = (f"« {md_escape(anchor)} »" if lang == "fr" else f"“{md_escape(anchor)}”") if anchor else ""
        ends.append(t(key, lang, level=_level(node, value)) + (f" ({quoted})" if anchor else ""))
    return " → ".join(ends)


def _swing_tab() -> None:
    """Swing weighting on the levels the options really reach: pick the swing worth most (100),
    then rate the others against it."""
    st.caption(t("app.weights.swing.help", lang))
    children = _group_picker("swing_group")
    if not options_chosen(lang):  # the levels are the options' own
        return
    study = state.current_study()
    swings = observed_swings(study.leaves, study.matrix)
    by_id = {c.id: c for c in children}
    group = "-".join(by_id)
    top = st.radio(
        t("app.weights.swing.first", lang),
        options=list(by_id),
        format_func=lambda c: f"{md_names[c]}{SEP}{_swing_text(by_id[c], swings)}",
        index=None,
        key=f"swing_top_{group}",
    )
    if top is None:
        st.info(t("app.weights.swing.pick_first", lang))
        return
    points = {top: 100.0}
    for child in children:
        if child.id == top:
            continue
        key = f"swing_{group}_{child.id}"
        st.session_state.setdefault(key, 50)
        points[child.id] = st.slider(
            t("app.weights.swing.rate", lang, name=md_names[child.id], top=md_names[top]), 0, 100, key=key,
            help=t("app.weights.swing.levels", lang, levels=_swing_text(child, swings)),
        )  # fmt: skip
        st.caption(_swing_details(child, swings))
    try:
        shares = swing_weights(points)
    except ValueError:
        st.error(t("app.weights.swing.zero", lang))
        return
    st.caption(" · ".join(f"{md_names[k]} {fmt_percent(v, lang, 1)}" for k, v in shares.items()))
    st.button(t("app.weights.apply", lang), key="swing_apply", on_click=_apply, args=(shares,))


with tab_swing:
    _swing_tab()

# The questionnaire's answers: verbal steps -4..4 (workbench.weights.verbal_value), by pair index.
DEGREES = (
    "",
    "app.weights.ahp.moderately",
    "app.weights.ahp.strongly",
    "app.weights.ahp.very_strongly",
    "app.weights.ahp.extremely",
)


def _verbal(step: int, x: str, y: str) -> str:
    """'« X » est fortement plus important que « Y »' for a verbal step (negative: Y over X)."""
    if step == 0:
        return t("app.weights.ahp.equal", lang, x=x, y=y)
    first, second = (x, y) if step > 0 else (y, x)
    return t("app.weights.ahp.more", lang, x=first, y=second, degree=t(DEGREES[abs(step)], lang))


def _reciprocal(step: int, x: str, y: str) -> str:
    """The same judgement read the other way: 'so « Y » weighs 1/5 of « X »'."""
    if step == 0:
        return t("app.weights.ahp.reciprocal_equal", lang)
    heavier, lighter = (x, y) if step > 0 else (y, x)
    return t("app.weights.ahp.reciprocal_of", lang, x=lighter, y=heavier, n=VERBAL_SCALE[abs(step)])


def _record(answers_key: str, index: int, radio_key: str) -> None:
    st.session_state[answers_key][index] = st.session_state[radio_key]


def _go(step_key: str, index: int, answers_key: str | None = None, radio_key: str | None = None, at: int = 0) -> None:
    """Move to pair `index` (recording the answer on screen for pair `at` first, when asked)."""
    if answers_key:
        st.session_state[answers_key][at] = st.session_state[radio_key]
    st.session_state[step_key] = index


def _ahp_tab() -> None:
    """AHP as a questionnaire: one pair at a time in words, the reciprocal shown, progress, then
    the priorities, the consistency ratio and the judgement that fits the others least."""
    st.caption(t("app.weights.ahp.help", lang))
    children = _group_picker("ahp_group")
    ids = [c.id for c in children]
    if len(ids) < 2:
        st.info(t("app.weights.ahp.too_few", lang))
        return
    pairs = judgement_pairs(len(ids))
    group = "-".join(ids)
    answers_key, step_key, radio_key = f"ahp_answers_{group}", f"ahp_step_{group}", f"ahp_q_{group}"
    answers: dict[int, int] = st.session_state.setdefault(answers_key, {})
    k = min(int(st.session_state.get(step_key, 0)), len(pairs) - 1)
    i, j = pairs[k]
    x, y = md_names[ids[i]], md_names[ids[j]]
    st.progress(
        len(answers) / len(pairs), text=t("app.weights.ahp.progress", lang, done=len(answers), total=len(pairs))
    )
    if st.session_state.get(f"{radio_key}_pair") != k:  # a new pair on screen: show its answer so far
        st.session_state[radio_key] = answers.get(k, 0)
        st.session_state[f"{radio_key}_pair"] = k
    with st.container(border=True, key="ahp_question"):
        st.markdown(t("app.weights.ahp.question", lang, n=k + 1, total=len(pairs), x=x, y=y))
        step = st.radio(
            t("app.weights.ahp.question_label", lang),
            options=list(range(len(VERBAL_SCALE) - 1, -len(VERBAL_SCALE), -1)),
            format_func=lambda s: _verbal(s, x, y),
            key=radio_key,
            on_change=_record,
            args=(answers_key, k, radio_key),
            label_visibility="collapsed",
        )
        st.caption(_reciprocal(step, x, y))
        cols = st.columns(2)
        cols[0].button(t("app.weights.ahp.previous", lang), key="ahp_prev", disabled=k == 0, on_click=_go,
                       args=(step_key, k - 1, answers_key, radio_key, k), icon=":material/arrow_back:", width="stretch")  # fmt: skip
        cols[1].button(t("app.weights.ahp.next", lang), key="ahp_next", on_click=_go, type="primary",
                       args=(step_key, min(k + 1, len(pairs) - 1), answers_key, radio_key, k),
                       icon=":material/arrow_forward:", width="stretch")  # fmt: skip
    if len(answers) < len(pairs):
        st.info(t("app.weights.ahp.remaining", lang, count=len(pairs) - len(answers)))
        return
    matrix = pairwise_matrix(len(ids), {pairs[p]: verbal_value(s) for p, s in answers.items()})
    result = ahp(ids, matrix)
    st.dataframe(
        pd.DataFrame(
            {
                t("col.criterion", lang): [names[c] for c in ids],
                t("app.weights.share", lang): [fmt_percent(result.weights[c], lang, 1) for c in ids],
            }  # fmt: skip
        ),
        hide_index=True,
    )
    cr = fmt_number(result.cr, lang, 2)
    worst = most_inconsistent(matrix, [result.weights[c] for c in ids])
    if worst is not None:
        a, b = md_names[ids[worst.i]], md_names[ids[worst.j]]
        said = _verbal(verbal_step(worst.given), a, b)
        fits = _verbal(verbal_step(worst.implied), a, b)
        text = t("app.weights.ahp.worst", lang, said=said, fits=fits)
        if result.consistent:
            st.caption(
                t("app.weights.ahp.consistent", lang, cr=cr, limit=fmt_number(CR_THRESHOLD, lang, 2)) + " " + text
            )
        else:
            st.warning(
                t("app.weights.ahp.inconsistent", lang, cr=cr, limit=fmt_number(CR_THRESHOLD, lang, 2)) + " " + text
            )
        st.button(t("app.weights.ahp.review", lang), key="ahp_review", on_click=_go,
                  args=(step_key, pairs.index((worst.i, worst.j))))  # fmt: skip
    st.caption(t("app.weights.ahp.method", lang))
    st.button(t("app.weights.apply", lang), key="ahp_apply", on_click=_apply, args=(result.weights,), type="primary")


with tab_ahp:
    _ahp_tab()
