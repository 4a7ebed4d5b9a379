"""What departs from the published study: the header's summary of changes (weights, method,
overrides, switched-off rules, cost settings, a selection of options) and the assumptions list."""

from __future__ import annotations

from dataclasses import replace

from ..evaluate import Evaluation, resolve_method
from ..i18n import t
from ..methods import get_method
from ..model import Scenario
from ..study import Study
from .formatting import counted
from .safety import one_line
from .sections import Assumption, Cell, WeightRow


def published_method(study: Study) -> tuple[str, str | None]:
    """The method and normalisation the criteria set itself names (no scenario)."""
    return resolve_method(replace(study, scenario=Scenario()), None, None)


def changes(study: Study, evaluation: Evaluation, weights: list[WeightRow], lang: str) -> list[str]:
    """Short phrases naming what this evaluation changes from the published study, in order:
    weights, method or normalisation, score overrides, must-have rules, cost settings, options."""
    scenario = study.scenario
    out: list[str] = []
    changed = [w for w in weights if w.changed]
    if changed:
        out.append(counted(len(changed), lang, "report.changes.weights.one", "report.changes.weights.other"))
    method, normalization = published_method(study)
    if evaluation.method != method:
        out.append(t("report.changes.method", lang, now=_method_name(evaluation.method, lang),
                     was=_method_name(method, lang)))  # fmt: skip
    elif evaluation.normalization != normalization:
        out.append(t("report.changes.normalization", lang, now=_norm_name(evaluation.normalization, lang),
                     was=_norm_name(normalization, lang)))  # fmt: skip
    if scenario.overrides:
        out.append(
            counted(len(scenario.overrides), lang, "report.changes.overrides.one", "report.changes.overrides.other")
        )
    if scenario.disabled_must_haves:
        out.append(
            counted(
                len(scenario.disabled_must_haves), lang, "report.changes.disabled.one", "report.changes.disabled.other"
            )
        )
    if scenario.must_haves:
        out.append(
            counted(len(scenario.must_haves), lang, "report.changes.must_haves.one", "report.changes.must_haves.other")
        )
    if scenario.cost_settings:
        out.append(t("report.changes.costs", lang, keys=", ".join(sorted(scenario.cost_settings))))
    if scenario.providers is not None:
        out.append(counted(len(study.providers), lang, "report.changes.options.one", "report.changes.options.other"))
    return out


def changes_text(items: list[str], lang: str) -> str:
    """The header's line: "none" or the phrases joined."""
    if not items:
        return t("report.changes.none", lang)
    return t("report.changes.some", lang, changes="; ".join(items))


def _method_name(method: str, lang: str) -> str:
    return one_line(get_method(method).label[lang])


def _norm_name(norm: str | None, lang: str) -> str:
    return t(f"norm.{norm}", lang) if norm else t("report.changes.no_norm", lang)


def assumptions(study: Study, weights: list[WeightRow], matrix: list[Cell], lang: str) -> list[Assumption]:
    """What departs from the published study: overrides, switched-off rules, changed weights, gaps."""
    names = {p.id: one_line(p.name.get(lang)) for p in [*study.providers, *study.references]}
    crit = {w.id: w.name for w in weights}
    out: list[Assumption] = []
    for o in study.scenario.overrides:
        if o.provider in names and o.criterion in crit:
            text = t("report.assume.override", lang, provider=names[o.provider], criterion=crit[o.criterion],
                     value=f"{o.value:g}", note=one_line(o.note) or "—")  # fmt: skip
            out.append(Assumption("override", text))
    for cid in study.scenario.disabled_must_haves:
        out.append(Assumption("disabled_must_have", t("report.assume.disabled", lang, criterion=crit.get(cid, cid))))
    for row in weights:
        if row.changed:
            default = float(study.criteria_set.node(row.id).weight)
            text = t("report.assume.weight", lang, criterion=row.name, value=f"{row.raw_weight:g}",
                     default=f"{default:g}")  # fmt: skip
            out.append(Assumption("weight", text))
    for cell in matrix:
        if cell.missing and not cell.reference:
            text = t("report.assume.missing", lang, provider=names[cell.provider], criterion=crit[cell.criterion])
            out.append(Assumption("missing", text))
    for key, value in sorted(study.scenario.cost_settings.items()):
        out.append(Assumption("cost_setting", t("report.assume.cost", lang, setting=key, value=one_line(value))))
    return out
