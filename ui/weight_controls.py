"""The weight controls: the criteria tree with a box, a lock and the shares of every node (the
Weights page, the workshop ballot), and one slider a top-level group (the Compare page). Shares and
rebalancing come from workbench.weights; these widgets only show and collect."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import streamlit as st

from ui.numbers_input import number_box, set_number, show_number_error
from ui.widgets import md_escape
from workbench.i18n import fmt_percent, t
from workbench.model import CriteriaSet, Criterion
from workbench.weights import MAX_WEIGHT, MIN_WEIGHT, local_shares, node_shares, rebalance_locked, set_share


def _siblings(criteria_set: CriteriaSet, node_id: str) -> list[Criterion]:
    parent = criteria_set.parents()[node_id]
    return criteria_set.criteria if parent is None else criteria_set.node(parent).children


def _rebalance(
    criteria_set: CriteriaSet, key_prefix: str, node_id: str, new_value: float, lang: str
) -> dict[str, float]:
    """The node's sibling group after it moves to `new_value`, locks applied (a warning is queued
    when every other sibling is locked)."""
    last: dict[str, float] = st.session_state.get(f"{key_prefix}_last", {})
    sibling_ids = [n.id for n in _siblings(criteria_set, node_id)]
    old = {k: float(last.get(k, 0.0)) for k in sibling_ids}
    locked = [k for k in sibling_ids if st.session_state.get(f"{key_prefix}lock_{k}")]
    new, ok = rebalance_locked(old, node_id, new_value, locked)
    if not ok:
        st.session_state[f"{key_prefix}_warning"] = t("app.weights.lock_blocked", lang)
    return new


def _on_weight_change(criteria_set: CriteriaSet, key_prefix: str, node_id: str, lang: str) -> None:
    """Number-box callback: apply locks among the node's siblings before the rerun renders them."""
    new = _rebalance(criteria_set, key_prefix, node_id, float(st.session_state[f"{key_prefix}{node_id}"] or 0.0), lang)
    for k, v in new.items():
        st.session_state[f"{key_prefix}{k}"] = round(v, 6)


def _on_weight_text(criteria_set: CriteriaSet, key_prefix: str, node_id: str, lang: str, value: float) -> None:
    """Text-box callback (after `number_box` read a valid weight): apply locks among the siblings."""
    for k, v in _rebalance(criteria_set, key_prefix, node_id, value, lang).items():
        set_number(f"{key_prefix}{k}", round(v, 4), lang)


def weight_controls(
    criteria_set: CriteriaSet,
    weights: Mapping[str, float],
    *,
    key_prefix: str,
    lang: str,
    locks: bool = True,
    compact: bool = False,
    text_entry: bool = False,
) -> dict[str, float]:
    """The criteria tree with a weight box and a lock per node, and each node's local share
    (within its group) and global share (of the whole) in % computed by workbench.weights.

    `weights` seeds boxes that have no value yet; the return value is the raw weight of every
    node as the controls now stand. `compact` (phones) puts each node on two lines, name with
    its global share above the box. `text_entry` makes the boxes text read in the user's
    language (`number_box`: `12,5` in French), capped to MIN_WEIGHT..MAX_WEIGHT with a message;
    without it they are st.number_input (the workshop ballot, until its page moves over).
    """
    nodes = criteria_set.nodes()
    if text_entry:  # the number in force of each box (number_box keeps it at `{key}__value`)
        values = {
            n.id: float(st.session_state.get(f"{key_prefix}{n.id}__value", weights.get(n.id, n.weight))) for n in nodes
        }
    else:
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
        _compact_controls(criteria_set, values, glob, key_prefix=key_prefix, lang=lang, text_entry=text_entry)
        return values
    _tree_controls(
        criteria_set, values, local, glob, key_prefix=key_prefix, lang=lang, locks=locks, text_entry=text_entry
    )
    return values


def _tree_controls(
    criteria_set: CriteriaSet,
    values: Mapping[str, float],
    local: Mapping[str, float],
    glob: Mapping[str, float],
    *,
    key_prefix: str,
    lang: str,
    locks: bool,
    text_entry: bool,
) -> None:
    """One row a node: name, weight box, lock, local and global share, under a header row."""
    depth = node_depths(criteria_set)
    widths = [5, 2, 1, 1.3, 1.3] if locks else [5, 2, 1.3, 1.3]
    st.html(_tree_css(f"st-key-{key_prefix}tree", locks))
    with st.container(key=f"{key_prefix}tree"):
        head = st.columns(widths, vertical_alignment="bottom")
        labels = ["col.criterion", "col.weight"] + (["app.weights.lock"] if locks else []) + [
            "app.weights.local", "app.weights.global"
        ]  # fmt: skip
        for col, label in zip(head, labels, strict=True):
            if label == "app.weights.lock":  # a narrow column: the padlock, its name and use in the help
                col.caption("🔒", help=f"{t(label, lang)}. {t('app.weights.lock_help', lang)}")
            else:
                col.caption(t(label, lang))
        for node in criteria_set.nodes():
            cols = st.columns(widths, vertical_alignment="center")
            indent = "\u00a0" * 3 * depth[node.id] + ("↳\u00a0" if depth[node.id] else "")
            name = node.name.get(lang)
            cols[0].markdown(indent + (f"**{md_escape(name)}**" if not node.is_leaf else md_escape(name)))
            _weight_input(cols[1], criteria_set, node, values[node.id], key_prefix=key_prefix, lang=lang,
                          text_entry=text_entry)  # fmt: skip
            i = 2
            if locks:
                cols[2].checkbox(
                    f"🔒 {t('app.weights.lock', lang)} · {node.name.get(lang)}",
                    key=f"{key_prefix}lock_{node.id}",
                    label_visibility="collapsed",  # the header says what the box does (with its help)
                )
                i = 3
            cols[i].markdown(fmt_percent(local[node.id], lang, 1))
            cols[i + 1].markdown(
                f"**{fmt_percent(glob[node.id], lang, 1)}**" if node.is_leaf else fmt_percent(glob[node.id], lang, 1)
            )
            show_number_error(f"{key_prefix}{node.id}")


def _tree_css(tree_class: str, locks: bool) -> str:
    """Static CSS keeping each node on one line on a phone (Streamlit stacks columns below 640 px,
    which put every share on a line of its own, far from its name): name, box, lock and the global
    share side by side; the local share is left out there."""
    tree = f".{tree_class}"
    local = 4 if locks else 3
    flex = {1: "4 1 0", 2: "2.4 1 0", local + 1: "1.8 1 0"} | ({3: "0 0 1.6rem"} if locks else {})
    columns = "".join(
        f'{tree} [data-testid="stHorizontalBlock"] > [data-testid="stColumn"]:nth-child({n})'
        f" {{flex: {rule} !important;}}"
        for n, rule in flex.items()
    )
    return (
        "<style>@media (max-width: 640px) {"
        f'{tree} [data-testid="stHorizontalBlock"] {{flex-wrap: nowrap !important; gap: 0.4rem !important;}}'
        f'{tree} [data-testid="stColumn"] {{min-width: 0 !important; width: auto !important;}}'
        f"{columns}"
        f'{tree} [data-testid="stHorizontalBlock"] > [data-testid="stColumn"]:nth-child({local})'
        " {display: none !important;}"
        f'{tree} [data-testid="stVerticalBlock"] {{gap: 0.3rem;}}'
        f'{tree} [data-testid="stMarkdownContainer"] p {{font-size: 0.9rem; margin-bottom: 0;}}'
        "}</style>"
    )


def _weight_input(
    container,
    criteria_set: CriteriaSet,
    node: Criterion,
    value: float,
    *,
    key_prefix: str,
    lang: str,
    text_entry: bool = False,
) -> None:
    """One node's weight box; its callback applies the locks among the node's siblings."""
    key = f"{key_prefix}{node.id}"
    if text_entry:
        name = node.name.get(lang)
        number_box(
            name, value, key=key, lang=lang, low=MIN_WEIGHT, high=MAX_WEIGHT, container=container, show_errors=False,
            field=t("app.weights.field", lang, name=name), label_visibility="collapsed",
            on_value=lambda number: _on_weight_text(criteria_set, key_prefix, node.id, lang, number),
        )  # fmt: skip
        return
    container.number_input(
        node.name.get(lang),
        min_value=0.0,
        step=1.0,
        format="%g",
        key=key,
        label_visibility="collapsed",
        on_change=_on_weight_change,
        args=(criteria_set, key_prefix, node.id, lang),
    )


def _compact_controls(
    criteria_set: CriteriaSet,
    values: Mapping[str, float],
    glob: Mapping[str, float],
    *,
    key_prefix: str,
    lang: str,
    text_entry: bool = False,
) -> None:
    depth = node_depths(criteria_set)
    for node in criteria_set.nodes():
        indent = "\u00a0" * 3 * depth[node.id] + ("↳\u00a0" if depth[node.id] else "")
        name = md_escape(node.name.get(lang))
        share = fmt_percent(glob[node.id], lang, 1)
        st.markdown(f"{indent}{name if node.is_leaf else f'**{name}**'} · {share}")
        _weight_input(st, criteria_set, node, values[node.id], key_prefix=key_prefix, lang=lang, text_entry=text_entry)
        show_number_error(f"{key_prefix}{node.id}")


def _on_slider(
    criteria_set: CriteriaSet,
    key: str,
    node_id: str,
    get_weights: Callable[[], dict[str, float]],
    set_weights: Callable[[dict[str, float]], None],
) -> None:
    """Slider callback: the group gets the share asked for, its siblings keep their proportions."""
    weights = get_weights()
    top = {n.id: weights.get(n.id, n.weight) for n in criteria_set.criteria}
    set_weights({**weights, **set_share(top, node_id, st.session_state[key] / 100.0)})


def weight_sliders(
    criteria_set: CriteriaSet,
    *,
    lang: str,
    key_prefix: str,
    get_weights: Callable[[], dict[str, float]],
    set_weights: Callable[[dict[str, float]], None],
) -> None:
    """One slider a top-level criteria group: its share of the decision in whole percent. Moving one
    gives that group the share and the others keep their proportions (`workbench.weights.set_share`);
    the weights inside each group do not change. `set_weights` receives every node's raw weight."""
    nodes = criteria_set.criteria
    shares = local_shares(nodes, get_weights())
    fmt = "%d\u00a0%%" if lang == "fr" else "%d%%"
    with st.container(key=f"{key_prefix}sliders"):
        for node in nodes:
            key = f"{key_prefix}{node.id}"
            st.session_state[key] = int(round(shares[node.id] * 100))
            st.slider(
                md_escape(node.name.get(lang)),
                min_value=0,
                max_value=100,
                step=1,
                format=fmt,
                key=key,
                disabled=len(nodes) < 2,
                on_change=_on_slider,
                args=(criteria_set, key, node.id, get_weights, set_weights),
            )


def node_depths(criteria_set: CriteriaSet) -> dict[str, int]:
    parents = criteria_set.parents()
    out: dict[str, int] = {}
    for node_id in parents:
        d, p = 0, parents[node_id]
        while p is not None:
            d, p = d + 1, parents[p]
        out[node_id] = d
    return out
