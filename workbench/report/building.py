"""`build_report`: the report of results the caller computed, in one language.

The caller evaluates the study (`workbench.evaluate`), prices the options
(`workbench.costs.tco_table`) and runs the robustness analysis (`workbench.robustness.analyse`);
this module only gathers those results with the study's texts and evidence into the typed
sections of `sections.py`, then lays them out once into a document (`contents.py`) that every
renderer draws. It computes no score, cost or draw itself.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from .. import __version__
from ..costs import TcoTable
from ..evaluate import Evaluation
from ..files.scenario_io import scenario_to_yaml
from ..i18n import normalize_lang, t
from ..methods import get_method
from ..model import Criterion, Scenario
from ..robustness import Analysis
from ..study import Study
from .contents import document
from .evidence import References, matrix_cells
from .extra_sections import chart_specs, cost_section, robustness_section, workshop_section
from .provenance import effective_scenario, input_files, long_date, report_time, timestamp
from .safety import clean_text, one_line
from .sections import Assumption, Failure, RankRow, Report, WeightRow

# Draws and seed of the cost percentiles a report shows: fixed, so a regenerated report shows
# the same P10/P50/P90. Callers pass them to `tco_table`.
COST_SAMPLES = 2000
COST_SEED = 0


def build_report(
    study: Study,
    evaluation: Evaluation,
    *,
    lang: str = "fr",
    weights: Mapping[str, float] | None = None,
    scenario: Scenario | None = None,
    costs: TcoTable | None = None,
    robustness: Analysis | Exception | None = None,
    workshop: Mapping[str, Any] | None = None,
    title: str | None = None,
    charts: bool = True,
    now: dt.datetime | None = None,
) -> Report:
    """The report of `evaluation` on `study`.

    `weights` are the node-id raw weights in force on top of the scenario's (as given to
    `evaluate`); `scenario` is the state to embed (default: the study's scenario with those
    weights and the evaluation's method merged in). `costs` is the TCO table to show, and
    `robustness` the analysis, or the error that stopped it (the report then says what failed);
    either None leaves its section out, as does `workshop` (a results summary). The date comes
    from SOURCE_DATE_EPOCH when set, so the same inputs give the same bytes.
    """
    lang = normalize_lang(lang)
    weights = dict(weights or {})
    moment = now or report_time()
    refs = References()
    embedded = scenario or effective_scenario(study, evaluation, weights)
    method = get_method(evaluation.method)
    norm = evaluation.normalization
    weight_rows = _weight_rows(study, weights, lang)
    matrix = matrix_cells(study, evaluation, refs, lang)
    cost_data, unpriced = cost_section(costs, study, lang) if costs is not None else (None, [])
    report = Report(
        lang=lang,
        title=one_line(title or embedded.title or study.criteria_set.name.get(lang)),
        date=long_date(moment, lang),
        generated_at=timestamp(moment),
        study_id=study.criteria_set.id,
        study_name=one_line(study.criteria_set.name.get(lang)),
        study_description=_text(study.criteria_set.description, lang),
        scenario_title=one_line(embedded.title),
        scenario_notes=clean_text(embedded.notes),
        method=method.name,
        method_name=one_line(method.label[lang]),
        method_explanation=one_line(method.explanation.get(lang) or t("report.explain.method.generic", lang)),
        normalization=norm,
        normalization_name=t(f"norm.{norm}", lang) if norm else "",
        normalization_explanation=t(f"report.explain.norm.{norm}", lang) if norm else "",
        higher_is_better=evaluation.higher_is_better,
        providers=_providers(study, lang),
        criteria=_criteria(study, lang),
        weights=weight_rows,
        ranking=_ranking(study, evaluation, lang),
        matrix=matrix,
        references=refs.items,
        assumptions=_assumptions(study, weight_rows, matrix, lang) + unpriced,
        costs=cost_data,
        robustness=robustness_section(robustness, study, lang) if robustness is not None else None,
        workshop=workshop_section(workshop, study, lang) if workshop is not None else None,
        details=_jsonable(evaluation.details),
        version=__version__,
        inputs=input_files(study),
        scenario_yaml=scenario_to_yaml(embedded),
        charts=chart_specs(evaluation, study, lang) if charts else {},
    )
    report.document = document(report)
    return report


def _text(text: Any, lang: str) -> str:
    return clean_text(text.get(lang)) if text is not None else ""


def _providers(study: Study, lang: str) -> list[dict[str, str]]:
    return [
        {
            "id": p.id,
            "name": one_line(p.name.get(lang)),
            "kind": one_line(_text(p.kind, lang)),
            "summary": _text(p.summary, lang),
        }
        for p in study.providers
    ]


def _criteria(study: Study, lang: str) -> list[dict[str, Any]]:
    return [
        {
            "id": leaf.id,
            "name": one_line(leaf.name.get(lang)),
            "description": _text(leaf.description, lang),
            "direction": leaf.direction,
            "unit": leaf.scale.unit if leaf.scale else "",
            "min": leaf.scale.min if leaf.scale else None,
            "max": leaf.scale.max if leaf.scale else None,
        }
        for leaf in study.leaves
    ]


def _scale_text(node: Criterion, lang: str) -> str:
    scale = node.scale
    if scale is None:
        return ""
    if scale.ordinal:
        return " / ".join(f"{lv.value:g} = {one_line(lv.label.get(lang))}" for lv in scale.levels)
    unit = f" {scale.unit}" if scale.unit else ""
    return f"{scale.min:g}–{scale.max:g}{unit}"


def _weight_rows(study: Study, weights: dict[str, float], lang: str) -> list[WeightRow]:
    merged = {**study.scenario.weights, **weights}
    local, glob = study.node_shares(weights)
    parents = study.criteria_set.parents()
    depth: dict[str, int] = {}
    rows = []
    for node in study.criteria_set.nodes():
        parent = parents[node.id]
        depth[node.id] = 0 if parent is None else depth[parent] + 1
        raw = float(merged.get(node.id, node.weight))
        rows.append(
            WeightRow(
                id=node.id,
                name=one_line(node.name.get(lang)),
                depth=depth[node.id],
                parent=parent,
                is_leaf=node.is_leaf,
                raw_weight=raw,
                local_share=local[node.id],
                global_share=glob[node.id],
                changed=node.id in merged and raw != float(node.weight),
                direction=node.direction if node.is_leaf else "",
                scale=_scale_text(node, lang),
                must_have=node.must_have.describe() if node.must_have else "",
            )
        )
    return rows


def _ranking(study: Study, evaluation: Evaluation, lang: str) -> list[RankRow]:
    names = {p.id: one_line(p.name.get(lang)) for p in study.providers}
    leaves = {leaf.id: leaf for leaf in study.leaves}
    return [
        RankRow(
            rank=r.rank,
            id=r.id,
            name=names[r.id],
            score=float(r.score),
            eligible=r.eligible,
            failed=[
                Failure(f.criterion, one_line(leaves[f.criterion].name.get(lang)), f.required, float(f.actual))
                for f in r.failed_must_haves
            ],
            missing=list(r.missing),
            overridden=list(r.overridden),
            contributions={k: float(v) for k, v in r.contributions.items()},
        )
        for r in evaluation.results
    ]


def _assumptions(study: Study, weights: list[WeightRow], matrix: list, lang: str) -> list[Assumption]:
    """What departs from the published study: overrides, switched-off rules, changed weights, gaps."""
    names = {p.id: one_line(p.name.get(lang)) for p in study.providers}
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
        if cell.missing:
            text = t("report.assume.missing", lang, provider=names[cell.provider], criterion=crit[cell.criterion])
            out.append(Assumption("missing", text))
    for key, value in sorted(study.scenario.cost_settings.items()):
        out.append(Assumption("cost_setting", t("report.assume.cost", lang, key=key, value=one_line(value))))
    return out


def _jsonable(value: Any) -> Any:
    """Numpy scalars to Python, NaN and infinities to None (JSON has neither)."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if hasattr(value, "item"):
        return _jsonable(value.item())
    return value
