"""A frozen decision record in the app: shown read-only, offered as a file, and made the one the
Export page seals against.

A frozen document is `{"frozen": ..., "frozen_sha256": ...}` (workbench.record.freeze). It comes
from a workshop round (ui/pages/workshop.py, stored in the workshop database) or from the
current weights (the Export page). Putting it "in force" stores it under FROZEN_KEY, with a note
of where it came from under SOURCE_KEY, and makes the weights, method and normalisation it froze
the session's, so that sealing the current state checks it against exactly what was frozen.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from ui import state
from ui.widgets import md_escape
from workbench.i18n import fmt_percent, t
from workbench.methods import method_label
from workbench.model import CriteriaSet

FROZEN_KEY = "wb_frozen_record"  # the frozen document sealing is checked against, if any
SOURCE_KEY = "wb_frozen_source"  # where it came from: {"kind": "workshop", "title", "round", "aggregate"} or "current"


def _nodes(nodes: list[Mapping[str, Any]]) -> Iterator[Mapping[str, Any]]:
    for node in nodes:
        yield node
        yield from _nodes(node.get("criteria") or [])


def node_weights(document: Mapping[str, Any]) -> dict[str, float]:
    """Each node's weight as frozen (the tree's own numbers, so applying them is exact)."""
    tree = document["frozen"]["criteria_set"].get("criteria") or []
    return {str(n["id"]): float(n["weight"]) for n in _nodes(tree) if "weight" in n}


def method_text(frozen: Mapping[str, Any], lang: str) -> str:
    label = method_label(str(frozen.get("method")), lang)
    norm = frozen.get("normalization")
    return f"{label} · {t(f'norm.{norm}', lang)}" if norm else label


def source_text(source: Any, lang: str) -> str:
    """Where the frozen record in force came from, in words (titles escaped)."""
    if isinstance(source, dict) and source.get("kind") == "workshop":
        return t("record.source.workshop", lang, title=md_escape(source.get("title", "")), round=source.get("round"),
                 kind=t(f"workshop.agg.{source.get('aggregate', 'mean')}", lang))  # fmt: skip
    return t("record.source.current", lang)


def show_frozen(document: Mapping[str, Any], criteria_set: CriteriaSet, lang: str, *, key: str,
                file_stem: str, round_number: int | None = None) -> None:  # fmt: skip
    """The frozen record, read-only: its hash, time, round, method and weights, and the file."""
    frozen = document["frozen"]
    st.markdown(t("record.frozen.hash", lang))
    st.code(document["frozen_sha256"], language=None)
    facts = [t("record.frozen.at", lang, at=frozen.get("frozen_at", "—"))]
    if round_number is not None:
        facts.append(t("record.frozen.round", lang, round=round_number))
    facts.append(t("record.frozen.method", lang, method=method_text(frozen, lang)))
    st.caption(" · ".join(facts))
    names = {leaf.id: leaf.name.get(lang) for leaf in criteria_set.leaves()}
    table = pd.DataFrame(
        [{t("col.criterion", lang): names.get(leaf_id, leaf_id), t("col.weight", lang): fmt_percent(w, lang, 1)}
         for leaf_id, w in frozen.get("weights", {}).items()]
    )  # fmt: skip
    # st.dataframe shows cells as plain text: names from files cannot inject markup.
    st.dataframe(table, hide_index=True, width="stretch", key=f"{key}_table")
    text = json.dumps(document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    st.download_button(t("record.frozen.download", lang), data=text.encode("utf-8"), file_name=f"{file_stem}.json",
                       mime="application/json", key=f"{key}_download", on_click="ignore",
                       icon=":material/download:")  # fmt: skip


def in_force(document: Mapping[str, Any]) -> bool:
    """Whether `document` is the frozen record the Export page seals against."""
    current = st.session_state.get(FROZEN_KEY)
    return isinstance(current, dict) and current.get("frozen_sha256") == document.get("frozen_sha256")


def put_in_force(document: Mapping[str, Any], source: Any, criteria_path: Path | None = None) -> None:
    """Seal against `document` from now on, with its weights, method and normalisation in force
    (switching to its criteria set first when `criteria_path` is another one)."""
    if criteria_path is not None and Path(state.current_criteria_path()).resolve() != Path(criteria_path).resolve():
        state.reset_for_set(Path(criteria_path))
    state.set_weights(node_weights(document))
    state.set_method(document["frozen"].get("method"), document["frozen"].get("normalization"))
    st.session_state[FROZEN_KEY] = dict(document)
    st.session_state[SOURCE_KEY] = source


def forget() -> None:
    """Seal against a freeze of the state itself again (the Export page's default)."""
    st.session_state.pop(FROZEN_KEY, None)
    st.session_state.pop(SOURCE_KEY, None)
