"""What the "Build a study" page shows of its draft: the check (every problem named by tab, row and
column, or by option and criterion), the ranking it gives now, and the ways out (use it, save it,
download it as YAML or as the workbook)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from ui import build_draft as draft
from ui import state
from ui.widgets import md_escape
from workbench.drafts.places import studies_dir, working_copy_dir
from workbench.errors import WorkbenchError
from workbench.evaluate import evaluate
from workbench.files import spreadsheet_edit as edit
from workbench.files.spreadsheet_build import BookStudy, book_to_study
from workbench.files.spreadsheet_format import CRITERIA, OPTIONS, SCORES, CellProblem, StudyBook, as_text
from workbench.files.spreadsheet_write import book_bytes
from workbench.files.spreadsheet_yaml import write_study, zip_bytes
from workbench.i18n import fmt_number, t
from workbench.study import build_study

MEMO = "_bd_built"
MAX_LISTED = 100  # problems listed one by one (a broken upload can have thousands)
IN_USE = "bd_in_use"
TAB_KEYS = {
    "study": "app.build.tab.study",
    "criteria": "app.build.tab.criteria",
    "options": "app.build.tab.options",
    "scores": "app.build.tab.scores",
    "levels": "app.build.tab.levels",
    "advanced": "app.build.tab.advanced",
}


def built(tables: dict[str, list[dict[str, Any]]]) -> BookStudy:
    """The draft built and checked, memoised on its stored revision (every rerun reuses it)."""
    key = (draft.token(), st.session_state.get(draft.REVISION))
    memo = st.session_state.get(MEMO)
    if memo and memo[0] == key:
        return memo[1]
    result = book_to_study(StudyBook.from_json("draft", tables))
    st.session_state[MEMO] = (key, result)
    return result


def _where(problem: CellProblem, tables: dict[str, list[dict[str, Any]]], lang: str) -> str:
    """A problem's place in the page's words: tab and row, or option and criterion for a score."""
    if not problem.sheet:
        return ""
    tab = t(TAB_KEYS.get(problem.sheet, "app.build.tab.study"), lang)
    if problem.sheet == SCORES and problem.line >= 2 and problem.line - 2 < len(tables.get(SCORES, [])):
        row = tables[SCORES][problem.line - 2]
        option, criterion = as_text(row.get("option")) or "?", as_text(row.get("criterion")) or "?"
        names = edit.names(tables, OPTIONS, lang) | edit.names(tables, CRITERIA, lang)
        return f"{tab} — {names.get(option, option)} / {names.get(criterion, criterion)}"
    if problem.line >= 2:
        return t("app.build.where_row", lang, tab=tab, row=problem.line - 1)
    return tab


def _lines(items: list[CellProblem], tables: dict[str, list[dict[str, Any]]], lang: str) -> str:
    """One bullet a problem: its place in bold, the column, the message (every text escaped)."""
    out = []
    for p in items[:MAX_LISTED]:
        where = _where(p, tables, lang)
        place = f"**{md_escape(where)}**" + (f" · {md_escape(p.field)}" if p.field else "")
        out.append(f"- {place} — {md_escape(p.message)}" if where or p.field else f"- {md_escape(p.message)}")
    if len(items) > MAX_LISTED:
        out.append(f"- … {t('app.build.more', lang, count=len(items) - MAX_LISTED)}")
    return "\n".join(out)


def show_check(result: BookStudy, tables: dict[str, list[dict[str, Any]]], lang: str) -> None:
    """Every problem (and warning) of the draft with its place, column and message."""
    if result.problems:
        st.warning(t("app.build.problems", lang, count=len(result.problems)))
        with st.container(key="bd_problems"):
            st.markdown(_lines(result.problems, tables, lang))
    elif result.ok:
        st.success(t("app.build.valid", lang))
    if result.warnings:
        title = f"{t('app.build.warnings', lang)} ({len(result.warnings)})"
        with st.expander(title), st.container(key="bd_warnings"):
            st.markdown(_lines(result.warnings, tables, lang))


def show_preview(result: BookStudy, lang: str) -> None:
    """The ranking the draft gives now (its own method; missing scores take the worst value)."""
    st.subheader(t("app.build.preview", lang))
    if not result.ok:
        st.caption(t("app.build.preview_invalid", lang))
        return
    try:
        study = build_study(result.criteria_set, result.providers, allow_missing=True)
        ev = evaluate(study, lang=lang)
    except WorkbenchError as exc:
        st.caption(t("app.build.preview_failed", lang, reason=md_escape(exc)))
        return
    lines = [f"| # | {t('col.provider', lang)} | {t('col.score', lang)} |", "|---|---|---|"]
    lines += [f"| {r.rank} | {md_escape(r.name)} | {fmt_number(r.score, lang, 3)} |" for r in ev.results]
    with st.container(key="bd_preview"):
        st.markdown("\n".join(lines))
    if int(study.missing.sum()):
        st.caption(t("app.build.preview_missing", lang, count=int(study.missing.sum())))


def refresh_working_copy(result: BookStudy) -> None:
    """When this draft is the study in use, rewrite its working copy so every page follows."""
    in_use = st.session_state.get(IN_USE)
    if result.ok and in_use and st.session_state.get("wb_criteria") == in_use:
        path = write_study(result, working_copy_dir(draft.token()), overwrite=True)
        if str(path) != in_use:  # the id changed: the pages switch to the renamed study
            st.session_state[IN_USE] = str(path)
            state.reset_for_set(path)


def _use(result: BookStudy, lang: str) -> None:
    path = write_study(result, working_copy_dir(draft.token()), overwrite=True)
    state.reset_for_set(path)
    st.session_state[IN_USE] = str(path)
    state.flash("success", t("app.build.used", lang, name=md_escape(result.criteria_set.name.get(lang))))


def _save(result: BookStudy, lang: str) -> None:
    path = write_study(result, studies_dir(), overwrite=True)
    state.flash("success", t("app.build.saved", lang, path=md_escape(path)))


def show_actions(result: BookStudy, tables: dict[str, list[dict[str, Any]]], lang: str) -> None:
    """Use this study, save it beside the shipped sets, download it (YAML zip or workbook)."""
    cols = st.columns(4)
    blocked = not result.ok
    cols[0].button(t("app.build.use", lang), type="primary", disabled=blocked, key="bd_use", on_click=_use,
                   args=(result, lang), width="stretch", icon=":material/play_arrow:")  # fmt: skip
    shipped = {e.criteria_set.id: e.path for e in state.catalogue()[0]}
    target = studies_dir() / "criteria" / f"{result.set_id}.yaml"
    taken = result.set_id in shipped and shipped[result.set_id] != target
    replace = True
    if not blocked and target.exists() and not taken:
        replace = cols[1].checkbox(t("app.build.replace", lang), key="bd_replace")
    cols[1].button(t("app.build.save", lang), disabled=blocked or taken or not replace, key="bd_save", on_click=_save,
                   args=(result, lang), width="stretch", icon=":material/save:")  # fmt: skip
    stem = result.set_id or "study"
    cols[2].download_button(t("app.build.download_xlsx", lang), data=lambda: book_bytes(StudyBook.from_json(
        f"{stem}.xlsx", tables)), file_name=f"{stem}.xlsx", on_click="ignore", key="bd_dl_xlsx", width="stretch",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", icon=":material/download:")  # fmt: skip
    cols[3].download_button(t("app.build.download_zip", lang), data=(lambda: zip_bytes(result)) if not blocked else b"",
                            file_name=f"{stem}.zip", mime="application/zip", on_click="ignore", key="bd_dl_zip",
                            disabled=blocked, width="stretch", icon=":material/folder_zip:")  # fmt: skip
    if taken:
        st.caption(t("app.build.id_taken", lang, id=md_escape(result.set_id)))
    elif blocked:
        st.caption(t("app.build.fix_first", lang))
