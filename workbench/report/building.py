"""`build_report`: the report of results the caller computed, in one language.

The caller evaluates the study (`workbench.evaluate`), prices the options, runs the robustness
analysis and the rank-reversal audit and measures the evidence coverage (`inputs.py` does each
the same way for every caller); this module only gathers those results with the study's texts
and evidence into the typed sections of `sections.py`, then lays them out once into a document
(`contents.py`) that every renderer draws. It computes no score, cost, draw or coverage itself.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from .. import __version__
from ..costs import TcoTable
from ..evaluate import AlternativeResult, Evaluation
from ..files.scenario_io import scenario_to_yaml
from ..i18n import normalize_lang, t
from ..methods import get_method
from ..model import Criterion, Scenario
from ..robustness import Analysis, RankReversalAudit
from ..study import Study
from .changes import assumptions, changes
from .contents import document
from .evidence import References, evidence_section, matrix_cells
from .extra_sections import chart_specs, cost_section, reversal_section, robustness_section, workshop_section
from .inputs import COST_SAMPLES, COST_SEED, EvidenceInputs, load_failures
from .provenance import display_path, effective_scenario, input_files, long_date, report_time, timestamp
from .safety import clean_text, one_line
from .sections import Failure, LoadProblem, RankRow, Report, WeightRow

__all__ = ["COST_SAMPLES", "COST_SEED", "build_report"]


def build_report(
    study: Study,
    evaluation: Evaluation,
    *,
    lang: str = "fr",
    weights: Mapping[str, float] | None = None,
    scenario: Scenario | None = None,
    costs: TcoTable | None = None,
    robustness: Analysis | Exception | None = None,
    reversal: RankReversalAudit | Exception | None = None,
    evidence: EvidenceInputs | None = None,
    workshop: Mapping[str, Any] | None = None,
    title: str | None = None,
    charts: bool = True,
    now: dt.datetime | None = None,
) -> Report:
    """The report of `evaluation` on `study`.

    `weights` are the node-id raw weights in force on top of the scenario's (as given to
    `evaluate`); `scenario` is the state to embed (default: the study's scenario with those
    weights and the evaluation's method merged in). `costs` is the TCO table to show,
    `robustness` the analysis and `reversal` the rank-reversal audit (or the error that stopped
    either: the report then says what failed), `evidence` the coverage figures; each None leaves
    its section out, as does `workshop` (a results summary). Profiles that could not be read
    (`study.problems`) are named at the top of every format. The date comes from
    SOURCE_DATE_EPOCH when set, so the same inputs give the same bytes.
    """
    lang = normalize_lang(lang)
    weights = dict(weights or {})
    moment = now or report_time()
    refs = References(lang, evidence.policy if evidence else None)
    embedded = scenario or effective_scenario(study, evaluation, weights)
    method = get_method(evaluation.method)
    norm = evaluation.normalization
    weight_rows = _weight_rows(study, weights, lang)
    matrix = matrix_cells(study, evaluation, refs, lang)
    cost_data, unpriced = cost_section(costs, study, lang) if costs is not None else (None, [])
    specs, left_out = chart_specs(evaluation, study, lang) if charts else ({}, [])
    names = {p.id: one_line(p.name.get(lang)) for p in [*study.providers, *study.references]}
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
        ranking=[_rank_row(r, names, study, lang) for r in evaluation.results],
        matrix=matrix,
        references=refs.items,
        assumptions=assumptions(study, weight_rows, matrix, lang) + unpriced,
        costs=cost_data,
        robustness=robustness_section(robustness, study, lang) if robustness is not None else None,
        workshop=workshop_section(workshop, study, lang) if workshop is not None else None,
        details=_jsonable(evaluation.details),
        version=__version__,
        inputs=input_files(study, evidence.components if evidence else ()),
        scenario_yaml=scenario_to_yaml(embedded),
        reference_models=[_rank_row(r, names, study, lang) for r in evaluation.references],
        load_problems=[_load_problem(p) for p in load_failures(study)],
        changes=changes(study, evaluation, weight_rows, lang),
        evidence=evidence_section(evidence.coverage, [*study.providers, *study.references], evidence.components, lang)
        if evidence is not None
        else None,  # fmt: skip
        rank_reversal=reversal_section(reversal, study, lang) if reversal is not None else None,
        additive=any(r.contributions for r in evaluation.results),
        charts_left_out=left_out,
        charts=specs,
    )
    report.document = document(report)
    return report


def _load_problem(problem: Any) -> LoadProblem:
    file = display_path(problem.file) if problem.file else ""
    return LoadProblem(file, int(problem.line or 0), one_line(problem.field), one_line(problem.message))


def _text(text: Any, lang: str) -> str:
    return clean_text(text.get(lang)) if text is not None else ""


def _providers(study: Study, lang: str) -> list[dict[str, str]]:
    """The options, then the reference models (`role` says which)."""
    return [
        {
            "id": p.id,
            "name": one_line(p.name.get(lang)),
            "kind": one_line(_text(p.kind, lang)),
            "summary": _text(p.summary, lang),
            "role": p.role,
        }
        for p in [*study.providers, *study.references]
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


def _rank_row(r: AlternativeResult, names: dict[str, str], study: Study, lang: str) -> RankRow:
    leaves = {leaf.id: leaf for leaf in study.leaves}
    return RankRow(
        rank=r.rank,
        id=r.id,
        name=names.get(r.id, one_line(r.name)),
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
