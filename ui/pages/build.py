"""Build a study page: start from the template, an uploaded workbook or CSV, or a copy of any study;
edit the criteria tree, the options, the score grid and each score's evidence on screen; see every
problem by tab, row and column as you type; then use the study on every page, save it beside the
shipped sets, or download it.

The draft lives in the database under its secret link (ui.build_draft) and is saved on every
change, so a reload, a crash or a closed tab loses nothing, and the link can be passed on. The
engine builds and checks the draft (workbench.files.spreadsheet_*), the page only shows it.
"""

from __future__ import annotations

import streamlit as st

from ui import build_draft as draft
from ui import build_editors as editors
from ui import build_outputs as outputs
from ui import state
from ui.widgets import md_escape
from workbench.errors import LoadError
from workbench.files import spreadsheet_edit as edit
from workbench.files.spreadsheet_export import study_to_book
from workbench.files.spreadsheet_format import (
    ADVANCED,
    COLUMNS,
    CRITERIA,
    LEVELS,
    OPTIONS,
    STUDY,
    StudyBook,
    as_text,
    empty_book,
)
from workbench.files.spreadsheet_read import read_spreadsheet
from workbench.files.spreadsheet_write import book_bytes
from workbench.i18n import t

MAX_LISTED = 20  # reading problems listed when a file is opened (the check lists the rest)

lang = state.get_lang()
st.title(t("app.build.title", lang))
draft.adopt_link()


# --- starting a draft ----------------------------------------------------------------------------


def _opened(book: StudyBook) -> None:
    """Start a draft from a read file; what could not be read is said once, by cell."""
    problems = book.problems
    draft.start(book.to_json(), book.file)
    if problems:
        lines = "\n".join(f"- {md_escape(p)}" for p in problems[:MAX_LISTED])
        state.flash("warning", t("app.build.read_problems", lang, count=len(problems)) + "\n\n" + lines)


def _copy(path) -> None:
    cs, _ = state.load_set(path)
    providers, _ = state.providers_for(path)
    book = study_to_book(cs, providers, f"{cs.id}.xlsx")
    for row in book.rows(STUDY):
        if row.values.get("key") == "id":
            row.values["value"] = f"{cs.id}-copy"
    draft.start(book.to_json(), cs.name.get(lang))


def start_screen() -> None:
    st.write(t("app.build.intro", lang))
    col_template, col_upload, col_copy = st.columns(3, gap="large")
    with col_template:
        st.subheader(t("app.build.start.template", lang))
        st.caption(t("app.build.start.template_help", lang))
        if st.button(t("app.build.start.template_button", lang), key="bd_start_template", type="primary"):
            draft.start(empty_book("template.xlsx").to_json())
            st.rerun()
        st.download_button(t("app.build.start.template_download", lang), data=lambda: book_bytes(
            empty_book("template.xlsx")), file_name="study-template.xlsx", on_click="ignore", key="bd_template_dl",
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/download:")  # fmt: skip
    with col_upload:
        st.subheader(t("app.build.start.upload", lang))
        st.caption(t("app.build.start.upload_help", lang))
        upload = st.file_uploader(t("app.build.start.file", lang), type=["xlsx", "csv"], key="bd_upload")
        if upload is not None and st.button(t("app.build.start.upload_button", lang), key="bd_start_upload"):
            try:
                book = read_spreadsheet(upload.getvalue(), upload.name)
            except LoadError as exc:
                st.error(t("app.build.unreadable", lang, reason=md_escape(exc)))
            else:
                _opened(book)
                st.rerun()
    with col_copy:
        st.subheader(t("app.build.start.copy", lang))
        st.caption(t("app.build.start.copy_help", lang))
        sets, _ = state.catalogue()
        if sets:
            chosen = st.selectbox(t("app.build.start.set", lang), [e.path for e in sets], key="bd_copy_set",
                                  format_func=lambda p: next(e.criteria_set.name.get(lang) for e in sets if e.path == p))  # fmt: skip
            if st.button(t("app.build.start.copy_button", lang), key="bd_start_copy"):
                _copy(chosen)
                st.rerun()


if draft.token() is None:
    start_screen()
    draft.keep_link_in_address()  # ends the run

# --- the draft -----------------------------------------------------------------------------------

draft.refresh()
tables = draft.working_copy()
for sheet in COLUMNS:
    tables.setdefault(sheet, [])

head = st.columns([4, 1])
with head[0].expander(t("app.build.link", lang), icon=":material/link:"):
    st.caption(t("app.build.link_help", lang))
    st.code(draft.link(), language=None, wrap_lines=True)
if head[1].button(t("app.build.close", lang), key="bd_close", width="stretch"):
    draft.leave()
    st.rerun()

tab_names = [t(outputs.TAB_KEYS[k], lang) for k in ("study", "criteria", "options", "scores")]
tab_names += [t("app.build.tab.evidence", lang), t("app.build.tab.more", lang)]
tabs = st.tabs(tab_names)
changed = False


def _take(sheet: str, rows) -> None:
    global changed
    if editors.shown(rows, COLUMNS[sheet]) != editors.shown(tables[sheet], COLUMNS[sheet]):
        tables[sheet] = rows
        changed = True


with tabs[0]:
    st.caption(t("app.build.help.study", lang))
    _take(STUDY, editors.sheet_editor(STUDY, tables[STUDY], lang))
with tabs[1]:
    st.caption(t("app.build.help.criteria", lang))
    _take(CRITERIA, editors.sheet_editor(CRITERIA, tables[CRITERIA], lang))
with tabs[2]:
    st.caption(t("app.build.help.options", lang))
    _take(OPTIONS, editors.sheet_editor(OPTIONS, tables[OPTIONS], lang))
with tabs[3]:
    st.caption(t("app.build.help.scores", lang))
    grid_changes = editors.score_grid(tables, lang)
    if grid_changes:
        editors.apply_grid(tables, grid_changes)
        changed = True
with tabs[4]:
    st.caption(t("app.build.help.evidence", lang))
    submitted = editors.evidence_form(tables, lang)
with tabs[5]:
    st.caption(t("app.build.help.levels", lang))
    _take(LEVELS, editors.sheet_editor(LEVELS, tables[LEVELS], lang))
    st.caption(t("app.build.help.advanced", lang))
    _take(ADVANCED, editors.sheet_editor(ADVANCED, tables[ADVANCED], lang))

rebuild = False
if submitted is not None:
    option, criterion, first, sources = submitted
    edit.set_evidence(tables, option, criterion, first, sources)
    changed = rebuild = True  # the grid was drawn before the form: draw it again with the new value

if changed:
    names = {as_text(r.get("key")): r.get("value") for r in tables[STUDY]}
    title = as_text(names.get("name_fr" if lang == "fr" else "name_en")) or as_text(names.get("id")) or ""
    if not draft.commit(tables, title) or rebuild:
        st.session_state[draft.VERSION] = draft.version() + 1
        st.rerun()

result = outputs.built(draft.tables())
if changed:
    outputs.refresh_working_copy(result)
st.divider()
outputs.show_actions(result, draft.tables(), lang)
col_check, col_preview = st.columns([3, 2], gap="large")
with col_check:
    st.subheader(t("app.build.check", lang))
    outputs.show_check(result, draft.tables(), lang)
with col_preview:
    outputs.show_preview(result, lang)

draft.keep_link_in_address()
