"""Export page: the current state as a publishable report, every format a download button.

The page computes what the report shows (the state's evaluation, the TCO table under the
settings in force, the robustness analysis when asked) and the report is built from those
results once per state (workbench.report.build_report); each format is rendered only when its
button is clicked (Streamlit's deferred download data), so opening the page stays fast even for
a large study.
"""

from __future__ import annotations

import streamlit as st

from ui import state
from ui.widgets import md_escape
from workbench import robustness
from workbench.costs import resolve_cost_settings, tco_table
from workbench.errors import WorkbenchError
from workbench.i18n import t
from workbench.report import (
    COST_SAMPLES,
    COST_SEED,
    FORMATS,
    MIME_TYPES,
    Report,
    build_report,
    effective_scenario,
    render,
)

MEMO_KEY = "_wb_export_report"


def _slug(text: str) -> str:
    """A file-name-safe version of an id: letters, digits and dashes only."""
    return "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in text)[:60] or "report"


def _report(lang: str, title: str, with_robustness: bool) -> Report:
    """The report of the state in force, memoised on that state and the page's options."""
    study = state.current_study()
    evaluation = state.current_evaluation()
    scenario = effective_scenario(study, evaluation, base=state.current_scenario())
    workshop = st.session_state.get("wb_workshop")  # left by the Workshop page when it applied weights
    key = (id(study), id(evaluation), lang, title, with_robustness, repr(scenario), repr(workshop))
    memo = st.session_state.get(MEMO_KEY)
    if memo and memo[0] == key:
        return memo[1]
    settings = resolve_cost_settings(study.criteria_set.cost_settings, scenario.cost_settings)
    costs = tco_table([(p.id, p.costs) for p in study.providers], settings, samples=COST_SAMPLES, seed=COST_SEED)
    analysis: robustness.Analysis | Exception | None = None
    if with_robustness:
        try:  # seed 0: a report regenerated from the same state shows the same shares
            analysis = robustness.analyse(
                study, method=evaluation.method, normalization=evaluation.normalization, seed=0
            )
        except (WorkbenchError, ValueError, ArithmeticError) as exc:
            analysis = exc  # the report says what failed
    report = build_report(
        study,
        evaluation,
        lang=lang,
        scenario=scenario,
        costs=costs,
        robustness=analysis,
        workshop=workshop if isinstance(workshop, dict) else None,
        title=title or None,
    )
    st.session_state[MEMO_KEY] = (key, report)
    return report


def _deferred(report: Report, fmt: str, lang: str):
    """Bytes of one format, produced when the button is clicked; a failure becomes a readable text."""

    def produce() -> bytes:
        try:
            return render(report, fmt)
        except (WorkbenchError, ValueError, OSError) as exc:  # the page cannot show an error from here
            return t("report.export.failed", lang, reason=exc).encode("utf-8")

    return produce


lang = state.get_lang()
st.title(t("report.export.title", lang))
st.write(t("report.export.intro", lang))

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

try:
    report = _report(report_lang, title, with_robustness)
except (WorkbenchError, ValueError) as exc:  # ValueError: cost settings the engine refuses
    st.error(t("report.export.failed", lang, reason=exc))
    st.stop()

stem = f"{_slug(report.study_id)}-{report.generated_at[:10]}-{report_lang}"
buttons = st.columns(3)
for k, fmt in enumerate(FORMATS):
    buttons[k % 3].download_button(
        t(f"report.export.{fmt}", lang),
        data=_deferred(report, fmt, lang),
        file_name=f"{stem}.{fmt}",
        mime=MIME_TYPES[fmt],
        key=f"export_{fmt}",
        on_click="ignore",
        icon=":material/download:",
        width="stretch",
    )

top = report.ranking[0] if report.ranking else None
summary = [
    f"{t('report.label.method', lang)}: {report.method_name}",
    f"{t('report.label.options', lang)}: {len(report.providers)}",
    f"{t('report.section.references', lang)}: {len(report.references)}",
    f"{t('report.section.assumptions', lang)}: {len(report.assumptions)}",
]
if top is not None:
    summary.insert(0, f"{t('report.label.winner', lang)}: {top.name}")
st.caption(" · ".join(md_escape(part) for part in summary))  # names come from profiles: escaped
