"""The "Build a study" page's editors: the study, criteria, options, levels and advanced sheets as
`st.data_editor` tables, the score grid (options x leaf criteria) and one score's evidence form.

Each editor is drawn from a base table kept in the session until the draft changes from outside
(another tab, a colleague, the evidence form): Streamlit keeps an editor's edits relative to the
table it was first given, so handing it the same base run after run, and reading back the edited
table, gives every change exactly once. Each function returns the sheet's new rows (or the grid's
changed cells); the page decides what to save.
"""

from __future__ import annotations

import zlib
from typing import Any

import pandas as pd
import streamlit as st

from ui import build_draft as draft
from workbench.files import spreadsheet_edit as edit
from workbench.files.spreadsheet_format import COLUMNS, CRITERIA, OPTIONS, as_text, is_blank
from workbench.i18n import t
from workbench.model import CONFIDENCES, ROLES, SOURCE_KINDS, STATUSES

SELECTS = {
    (CRITERIA, "direction"): ("benefit", "cost"),
    (OPTIONS, "role"): ROLES,
    ("levels", "kind"): ("level", "anchor"),
}
SOURCE_FIELDS = ("source_title", "source_url", "source_published", "source_accessed", "source_kind")


def display(value: Any) -> str | None:
    """A cell as the editors show it: text, numbers without a useless '.0', blanks as None."""
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return str(value)


def shown(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> list[dict[str, str | None]]:
    """Rows as the editors show them (the comparison that tells an edit from a rerun)."""
    return [{c: display(r.get(c)) for c in columns} for r in rows]


def _frame(rows: list[dict[str, Any]], columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame(shown(rows, columns), columns=list(columns), dtype=object)


def _rows(frame: pd.DataFrame, columns: tuple[str, ...]) -> list[dict[str, str | None]]:
    return [{c: display(record.get(c)) for c in columns} for record in frame.to_dict("records")]


def _base(name: str, stamp: object, widget: str, build) -> pd.DataFrame:
    """The editor's base table, rebuilt when the draft moves on (`stamp`) or when the editor
    itself is new: Streamlit forgets a widget's edits when its page is left, so an editor drawn
    again must start from the draft as it is now, not from an older base."""
    key = f"bd_base_{name}"
    kept = st.session_state.get(key)
    if kept is None or kept[0] != stamp or widget not in st.session_state:
        kept = (stamp, build())
        st.session_state[key] = kept
    return kept[1]


def sheet_editor(sheet: str, rows: list[dict[str, Any]], lang: str) -> list[dict[str, str | None]]:
    """A sheet as an editable table with its spreadsheet column names; returns its rows as edited."""
    columns = COLUMNS[sheet]
    config: dict[str, Any] = {c: st.column_config.TextColumn(c) for c in columns}
    for (name, column), options in SELECTS.items():
        if name == sheet:
            config[column] = st.column_config.SelectboxColumn(column, options=list(options))
    widget = f"bd_{sheet}_{draft.version()}"
    frame = _base(sheet, draft.version(), widget, lambda: _frame(rows, columns))
    edited = st.data_editor(
        frame,
        key=widget,
        num_rows="dynamic",
        hide_index=True,
        width="stretch",
        column_config=config,
    )
    return _rows(edited, columns)


def score_grid(tables: dict[str, list[dict[str, Any]]], lang: str) -> dict[tuple[str, str], str | None]:
    """The score grid, options down and leaf criteria across; returns the cells that now differ
    from the draft ((option, criterion) -> new value)."""
    options, leaves = edit.option_ids(tables), edit.leaf_ids(tables)
    if not options or not leaves:
        st.info(t("app.build.grid.empty", lang))
        return {}
    option_names = edit.names(tables, OPTIONS, lang)
    leaf_names = edit.names(tables, CRITERIA, lang)
    values = edit.grid(tables)
    name_col = "_option"  # never a criterion id (ids start with a letter or a digit)

    def build() -> pd.DataFrame:
        data = {name_col: [option_names[o] for o in options]}
        data |= {leaf: [display(values.get((o, leaf))) for o in options] for leaf in leaves}
        return pd.DataFrame(data, index=options, dtype=object)

    signature = (tuple(options), tuple(leaves))
    widget = f"bd_grid_{draft.version()}_{zlib.crc32(repr(signature).encode()):08x}"
    frame = _base("grid", (draft.version(), signature), widget, build)
    config: dict[str, Any] = {name_col: st.column_config.TextColumn(t("app.build.grid.option", lang), disabled=True)}
    config |= {leaf: st.column_config.TextColumn(leaf_names.get(leaf, leaf), help=leaf) for leaf in leaves}
    edited = st.data_editor(
        frame,
        key=widget,
        hide_index=True,
        width="stretch",
        column_config=config,
        num_rows="fixed",
    )
    changes: dict[tuple[str, str], str | None] = {}
    for option, record in zip(options, edited.to_dict("records"), strict=True):
        for leaf in leaves:
            new = display(record.get(leaf))
            if new != display(values.get((option, leaf))):
                changes[(option, leaf)] = new
    return changes


def evidence_form(tables: dict[str, list[dict[str, Any]]], lang: str) -> tuple[str, str, dict, list[dict]] | None:
    """One score's evidence (value, range, status, confidence, rationale, sources) in a form;
    returns (option, criterion, first-row fields, sources) when submitted."""
    options, leaves = edit.option_ids(tables), edit.leaf_ids(tables)
    if not options or not leaves:
        st.info(t("app.build.grid.empty", lang))
        return None
    option_names, leaf_names = edit.names(tables, OPTIONS, lang), edit.names(tables, CRITERIA, lang)
    cols = st.columns(2)
    option = cols[0].selectbox(t("app.build.evidence.option", lang), options, format_func=option_names.get,
                               key="bd_ev_option")  # fmt: skip
    leaf = cols[1].selectbox(t("app.build.evidence.criterion", lang), leaves, format_func=leaf_names.get,
                             key="bd_ev_criterion")  # fmt: skip
    first, sources = edit.evidence(tables, option, leaf)
    suffix = f"{option}|{leaf}|{draft.version()}"
    with st.form(f"bd_ev_form_{suffix}", border=True):
        row = st.columns(3)
        value = row[0].text_input("value", value=display(first["value"]) or "", key=f"bd_ev_value_{suffix}")
        low = row[1].text_input("low", value=display(first["low"]) or "", key=f"bd_ev_low_{suffix}")
        high = row[2].text_input("high", value=display(first["high"]) or "", key=f"bd_ev_high_{suffix}")
        row = st.columns(2)
        status = row[0].selectbox("status", ("", *STATUSES), index=_index(("", *STATUSES), first["status"]),
                                  key=f"bd_ev_status_{suffix}")  # fmt: skip
        confidence = row[1].selectbox("confidence", ("", *CONFIDENCES), index=_index(("", *CONFIDENCES),
                                      first["confidence"]), key=f"bd_ev_confidence_{suffix}")  # fmt: skip
        rationale_fr = st.text_area(
            "rationale_fr", value=display(first["rationale_fr"]) or "", key=f"bd_ev_rfr_{suffix}"
        )
        rationale_en = st.text_area(
            "rationale_en", value=display(first["rationale_en"]) or "", key=f"bd_ev_ren_{suffix}"
        )
        st.caption(t("app.build.evidence.sources", lang))
        config: dict[str, Any] = {c: st.column_config.TextColumn(c) for c in SOURCE_FIELDS}
        config["source_kind"] = st.column_config.SelectboxColumn("source_kind", options=list(SOURCE_KINDS))
        edited = st.data_editor(_frame(sources, SOURCE_FIELDS), key=f"bd_ev_sources_{suffix}", num_rows="dynamic",
                                hide_index=True, width="stretch", column_config=config)  # fmt: skip
        if not st.form_submit_button(t("app.build.evidence.save", lang), type="primary"):
            return None
    fields = {"value": value, "low": low, "high": high, "status": status, "confidence": confidence,
              "rationale_fr": rationale_fr, "rationale_en": rationale_en}  # fmt: skip
    return option, leaf, {k: None if is_blank(v) else v for k, v in fields.items()}, _rows(edited, SOURCE_FIELDS)


def _index(options: tuple[str, ...], value: Any) -> int:
    text = as_text(value) or ""
    return options.index(text) if text in options else 0


def apply_grid(tables: dict[str, list[dict[str, Any]]], changes: dict[tuple[str, str], str | None]) -> None:
    for (option, leaf), value in changes.items():
        edit.set_value(tables, option, leaf, value)
