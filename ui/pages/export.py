"""Export page: the current state as a publishable report and as a sealed decision record.

Opening the page computes nothing heavy: it shows the options, the ranking's headline and, in
red, any profile that could not be read (its option is missing from every report). Each format
has a button that builds it when asked, with a progress bar: the report's inputs (TCO table,
robustness analysis, rank-reversal audit, evidence coverage; `workbench.report.inputs`) are
computed once per state and kept, then the format is rendered and offered for download. A
format that cannot be produced says why, in red: never a button that silently gives nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import streamlit as st

from ui import state
from ui.frozen_view import FROZEN_KEY, SOURCE_KEY, forget, show_frozen, source_text
from ui.widgets import md_escape, show_problems
from workbench import record as records
from workbench.errors import Problem, WorkbenchError
from workbench.evaluate import Evaluation
from workbench.i18n import t
from workbench.report import FORMATS, MIME_TYPES, Report, build_report, effective_scenario, inputs, render
from workbench.report.chart_images import prefetch_png
from workbench.report.provenance import report_time
from workbench.study import Study

MEMO_KEY = "_wb_export_report"  # (state key, Report)
FILES_KEY = "_wb_export_files"  # (state key, {format: bytes})
RECORD_KEY = "_wb_export_record"  # (record key, {"json": bytes, "html": bytes})
STEPS = ("costs", "robustness", "reversal", "evidence", "build", "render")


def _slug(text: str) -> str:
    """A file-name-safe version of an id: letters, digits and dashes only."""
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in text)[:60] or "report"


def _state_key(study: Study, evaluation: Evaluation, lang: str, title: str, with_robustness: bool) -> tuple:
    scenario = effective_scenario(study, evaluation, base=state.current_scenario())
    workshop = st.session_state.get("wb_workshop")  # left by the Workshop page when it applied weights
    return (id(study), id(evaluation), lang, title, with_robustness, repr(scenario), repr(workshop))


def _report(key: tuple, lang: str, title: str, with_robustness: bool, step: Callable[[str], None]) -> Report:
    """The report of the state in force, built once per state key; `step` reports progress."""
    memo = st.session_state.get(MEMO_KEY)
    if memo and memo[0] == key:
        return memo[1]
    study, evaluation = state.current_study(), state.current_evaluation()
    scenario = effective_scenario(study, evaluation, base=state.current_scenario())
    workshop = st.session_state.get("wb_workshop")
    step("costs")
    costs = inputs.cost_table(study, scenario.cost_settings)
    step("robustness")
    analysis = inputs.robustness_analysis(study, evaluation) if with_robustness else None
    step("reversal")
    reversal = inputs.reversal_audit(study, evaluation)
    step("evidence")
    evidence = inputs.evidence_inputs(study)
    step("build")
    report = build_report(study, evaluation, lang=lang, scenario=scenario, costs=costs, robustness=analysis,
                          reversal=reversal, evidence=evidence, title=title or None,
                          workshop=workshop if isinstance(workshop, dict) else None)  # fmt: skip
    prefetch_png(report.charts.values())  # the charts' pictures, made once while the user reads on
    st.session_state[MEMO_KEY] = (key, report)
    return report


def _files(key: tuple) -> dict[str, bytes]:
    """The formats already produced for this state."""
    memo = st.session_state.get(FILES_KEY)
    if not memo or memo[0] != key:
        memo = (key, {})
        st.session_state[FILES_KEY] = memo
    return memo[1]


def _produce(fmt: str, key: tuple, options: dict[str, Any], lang: str) -> bytes | None:
    """Build (once per state) and render one format under a progress bar; None after showing why it failed."""
    bar = st.progress(0.0, text=t("report.export.progress.costs", lang))

    def step(name: str) -> None:
        bar.progress(STEPS.index(name) / len(STEPS), text=t(f"report.export.progress.{name}", lang))

    try:
        report = _report(key, step=step, **options)
        step("render")
        data = render(report, fmt)
    except Exception as exc:  # noqa: BLE001 - any failure is shown as a sentence, never as nothing
        bar.empty()
        st.error(t("report.export.failed", lang, reason=md_escape(f"{type(exc).__name__}: {exc}")))
        return None
    bar.empty()
    _files(key)[fmt] = data
    return data


def _broken_warning(broken: list[Problem], lang: str) -> None:
    """Profiles that could not be read: named at the top, as every report names them."""
    st.error(t("report.export.broken", lang, count=len(broken)), icon=":material/warning:")
    show_problems(broken, lang, title=t("report.export.broken_files", lang))


def _record(study: Study, lang: str) -> dict[str, bytes] | None:
    """The sealed record of the state in force (JSON) and its HTML page; None after showing why not."""
    method, normalization = state.current_method()
    weights = state.current_weights()
    frozen = st.session_state.get(FROZEN_KEY) or records.freeze(study, method, normalization, weights)
    try:
        sealed = records.seal(study, frozen, method, normalization, weights)
        page = records.render_html(sealed, lang)
    except records.SealRefused as exc:
        st.error(t("report.export.record.refused", lang, count=len(exc.differences)))
        st.code("\n".join(exc.differences), language=None)
        return None
    except WorkbenchError as exc:
        st.error(t("report.export.failed", lang, reason=md_escape(exc)))
        return None
    text = json.dumps(sealed, ensure_ascii=False, indent=2, allow_nan=False) + "\n"
    return {"json": text.encode("utf-8"), "html": page.encode("utf-8")}


def _frozen_panel(study: Study, lang: str) -> None:
    """Which freeze the record is sealed against (a workshop round's, or the current weights
    frozen here), shown read-only; without one, a button freezes the current weights."""
    document = st.session_state.get(FROZEN_KEY)
    if not isinstance(document, dict):
        st.caption(t("record.export.no_freeze", lang))
        if st.button(t("record.export.current", lang), key="export_freeze", icon=":material/ac_unit:",
                     help=t("record.export.current_help", lang)):  # fmt: skip
            method, normalization = state.current_method()
            st.session_state[FROZEN_KEY] = records.freeze(study, method, normalization, state.current_weights())
            st.session_state[SOURCE_KEY] = "current"
            st.rerun()
        return
    frozen = document.get("frozen") or {}
    source = source_text(st.session_state.get(SOURCE_KEY), lang)
    st.info(t("record.export.against", lang, sha=f"`{str(document.get('frozen_sha256'))[:16]}…`",
              at=md_escape(frozen.get("frozen_at", "—")), source=source), icon=":material/ac_unit:")  # fmt: skip
    with st.expander(t("record.export.frozen_title", lang)):
        show_frozen(document, study.criteria_set, lang, key="export_frozen",
                    file_stem=f"{_slug(study.criteria_set.id)}-frozen")  # fmt: skip
    st.button(t("record.export.forget", lang), key="export_forget", on_click=forget, icon=":material/close:")


lang = state.get_lang()
st.title(t("report.export.title", lang))
st.write(t("report.export.intro", lang))
study = state.current_study()
evaluation = state.current_evaluation()
broken = inputs.load_failures(study)
if broken:
    _broken_warning(broken, lang)

cols = st.columns([1, 2, 2])
report_lang = cols[0].selectbox(
    t("report.export.lang", lang),
    options=["fr", "en"],
    index=0 if lang == "fr" else 1,
    format_func=lambda code: {"fr": "Français", "en": "English"}[code],
    key="export_lang",
)
default_title = st.session_state.get("wb_title") or state.current_criteria_set().name.get(report_lang)
title = cols[1].text_input(t("report.export.title_input", lang), value=default_title, max_chars=300, key="export_title")
with_robustness = cols[2].checkbox(t("report.export.robustness", lang), value=True, key="export_robustness")

top = evaluation.results[0] if evaluation.results else None
names = {p.id: p.name.get(lang) for p in study.providers}
summary = [f"{t('report.label.options', lang)}: {len(evaluation.results)}"]
if top is not None:
    summary.insert(0, f"{t('report.label.winner', lang)}: {names.get(top.id, top.id)}")
if evaluation.references:
    summary.append(f"{t('report.label.reference_models', lang)}: {len(evaluation.references)}")
st.caption(" · ".join(md_escape(part) for part in summary))  # names come from profiles: escaped

key = _state_key(study, evaluation, report_lang, title, with_robustness)
options = {"lang": report_lang, "title": title, "with_robustness": with_robustness}
stem = f"{_slug(study.criteria_set.id)}-{report_time().date().isoformat()}-{report_lang}"
st.subheader(t("report.export.formats", lang))
st.caption(t("report.export.on_demand", lang))
done = _files(key)
slots = st.columns(3)
for k, fmt in enumerate(FORMATS):
    slot = slots[k % 3].empty()
    label = t(f"report.export.{fmt}", lang)
    if fmt not in done and slot.button(t("report.export.prepare", lang, format=label), key=f"prepare_{fmt}",
                                       icon=":material/build:", width="stretch"):  # fmt: skip
        with slots[k % 3]:
            _produce(fmt, key, options, lang)
    if fmt in done:
        slot.download_button(label, data=done[fmt], file_name=f"{stem}.{fmt}", mime=MIME_TYPES[fmt],
                             key=f"export_{fmt}", on_click="ignore", icon=":material/download:", width="stretch")  # fmt: skip

st.subheader(t("report.export.record.title", lang))
st.caption(t("report.export.record.intro", lang))
_frozen_panel(study, lang)
record_key = (key, repr(st.session_state.get(FROZEN_KEY)))
memo = st.session_state.get(RECORD_KEY)
files = memo[1] if memo and memo[0] == record_key else None
if files is None and st.button(t("report.export.record.seal", lang), key="export_record", icon=":material/verified:"):
    with st.spinner(t("report.export.record.sealing", lang)):
        files = _record(study, report_lang)
    if files is not None:
        st.session_state[RECORD_KEY] = (record_key, files)
if files is not None:
    left, right = st.columns(2)
    left.download_button(t("report.export.record.json", lang), data=files["json"], file_name=f"{stem}-record.json",
                         mime="application/json", key="export_record_json", on_click="ignore",
                         icon=":material/download:", width="stretch")  # fmt: skip
    right.download_button(t("report.export.record.html", lang), data=files["html"], file_name=f"{stem}-record.html",
                          mime="text/html; charset=utf-8", key="export_record_html", on_click="ignore",
                          icon=":material/download:", width="stretch")  # fmt: skip
