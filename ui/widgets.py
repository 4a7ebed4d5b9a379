"""Widgets shared by the pages: the weight tree, provider colours, problem lists, safe text."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import ROUND_HALF_EVEN, Decimal

import streamlit as st

from workbench.charts.study import provider_colors as _chart_provider_colors
from workbench.errors import Problem
from workbench.i18n import fmt_percent, t
from workbench.model import CriteriaSet, Criterion
from workbench.report.safety import md_text
from workbench.report.safety import safe_url as safe_url  # the engine's one URL check, for the pages
from workbench.weights import node_shares, rebalance_locked


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


# --- weights ---------------------------------------------------------------------------------


def _siblings(criteria_set: CriteriaSet, node_id: str) -> list[Criterion]:
    parent = criteria_set.parents()[node_id]
    return criteria_set.criteria if parent is None else criteria_set.node(parent).children


def _on_weight_change(criteria_set: CriteriaSet, key_prefix: str, node_id: str, lang: str) -> None:
    """Widget callback: apply locks among the node's siblings before the rerun renders them."""
    last: dict[str, float] = st.session_state.get(f"{key_prefix}_last", {})
    sibling_ids = [n.id for n in _siblings(criteria_set, node_id)]
    old = {k: float(last.get(k, st.session_state.get(f"{key_prefix}{k}", 0.0))) for k in sibling_ids}
    locked = [k for k in sibling_ids if st.session_state.get(f"{key_prefix}lock_{k}")]
    new, ok = rebalance_locked(old, node_id, float(st.session_state[f"{key_prefix}{node_id}"] or 0.0), locked)
    if not ok:
        st.session_state[f"{key_prefix}_warning"] = t("app.weights.lock_blocked", lang)
    for k, v in new.items():
        st.session_state[f"{key_prefix}{k}"] = round(v, 6)


def weight_controls(
    criteria_set: CriteriaSet,
    weights: Mapping[str, float],
    *,
    key_prefix: str,
    lang: str,
    locks: bool = True,
    compact: bool = False,
) -> dict[str, float]:
    """The criteria tree with a number input and a lock per node, and each node's local share
    (within its group) and global share (of the whole) in % computed by workbench.weights.

    `weights` seeds widgets that have no value yet; the return value is the raw weight of every
    node as the controls now stand. `compact` (phones) puts each node on two lines, name with
    its global share above the input, since narrow screens stack columns one per line.
    """
    nodes = criteria_set.nodes()
    depth = node_depths(criteria_set)
    for node in nodes:
        key = f"{key_prefix}{node.id}"
        if key not in st.session_state:
            st.session_state[key] = float(weights.get(node.id, node.weight))
    values = {n.id: float(st.session_state[f"{key_prefix}{n.id}"] or 0.0) for n in nodes}
    st.session_state[f"{key_prefix}_last"] = dict(values)
    warning = st.session_state.pop(f"{key_prefix}_warning", None)
    if warning:
        st.warning(warning)
    try:
        local, glob = node_shares(criteria_set, values)
    except ValueError:
        st.error(t("app.weights.all_zero", lang))
        local = glob = dict.fromkeys(values, 0.0)
    if compact:
        _compact_controls(criteria_set, glob, key_prefix=key_prefix, lang=lang)
        return values
    head = st.columns([5, 2, 1, 1.3, 1.3] if locks else [5, 2, 1.3, 1.3], vertical_alignment="bottom")
    labels = ["col.criterion", "col.weight"] + (["app.weights.lock"] if locks else []) + [
        "app.weights.local", "app.weights.global"
    ]  # fmt: skip
    for col, label in zip(head, labels, strict=True):
        col.caption(t(label, lang))
    for node in nodes:
        cols = st.columns([5, 2, 1, 1.3, 1.3] if locks else [5, 2, 1.3, 1.3], vertical_alignment="center")
        indent = "\u00a0" * 5 * depth[node.id] + ("↳\u00a0" if depth[node.id] else "")
        name = node.name.get(lang)
        cols[0].markdown(indent + (f"**{md_escape(name)}**" if not node.is_leaf else md_escape(name)))
        _weight_input(cols[1], criteria_set, node, key_prefix=key_prefix, lang=lang)
        i = 2
        if locks:
            cols[2].checkbox("🔒", key=f"{key_prefix}lock_{node.id}", help=t("app.weights.lock_help", lang))
            i = 3
        cols[i].markdown(fmt_percent(local[node.id], lang, 1))
        cols[i + 1].markdown(
            f"**{fmt_percent(glob[node.id], lang, 1)}**" if node.is_leaf else fmt_percent(glob[node.id], lang, 1)
        )
    return values


def _weight_input(container, criteria_set: CriteriaSet, node: Criterion, *, key_prefix: str, lang: str) -> None:
    """One node's weight box; its callback applies the locks among the node's siblings."""
    container.number_input(
        node.name.get(lang),
        min_value=0.0,
        step=1.0,
        format="%g",
        key=f"{key_prefix}{node.id}",
        label_visibility="collapsed",
        on_change=_on_weight_change,
        args=(criteria_set, key_prefix, node.id, lang),
    )


def _compact_controls(criteria_set: CriteriaSet, glob: Mapping[str, float], *, key_prefix: str, lang: str) -> None:
    depth = node_depths(criteria_set)
    for node in criteria_set.nodes():
        indent = "\u00a0" * 3 * depth[node.id] + ("↳\u00a0" if depth[node.id] else "")
        name = md_escape(node.name.get(lang))
        share = fmt_percent(glob[node.id], lang, 1)
        st.markdown(f"{indent}{name if node.is_leaf else f'**{name}**'} · {share}")
        _weight_input(st, criteria_set, node, key_prefix=key_prefix, lang=lang)


def node_depths(criteria_set: CriteriaSet) -> dict[str, int]:
    parents = criteria_set.parents()
    out: dict[str, int] = {}
    for node_id in parents:
        d, p = 0, parents[node_id]
        while p is not None:
            d, p = d + 1, parents[p]
        out[node_id] = d
    return out


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
