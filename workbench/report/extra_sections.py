"""The sections a report has only when the caller gives their results: costs, robustness,
workshop, and the chart specifications drawn from the evaluation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import robustness as robustness_engine
from ..costs import TcoTable
from ..evaluate import Evaluation
from ..i18n import fmt_percent, t
from ..robustness import Analysis, RankReversalAudit, Threshold
from ..robustness.rank_reversal import describe
from ..study import Study
from .safety import one_line
from .sections import (
    Assumption,
    CostRow,
    CostSection,
    ReversalSection,
    RobustnessSection,
    ThresholdRow,
    WorkshopSection,
)

WORKSHOP_AGGREGATES = ("mean", "geometric", "median")
CHARTS = ("contributions", "heatmap")  # builders `<name>_chart` of workbench.charts.study


def cost_section(table: TcoTable, study: Study, lang: str) -> tuple[CostSection | None, list[Assumption]]:
    """The TCO table cheapest first, and an assumption per option that could not be priced.

    None when no option could be priced (or none has a cost model).
    """
    names = {p.id: one_line(p.name.get(lang)) for p in study.providers}
    unpriced = [
        Assumption("unpriced", t("report.assume.unpriced", lang, provider=names.get(option, option),
                                 reason=one_line(f"{path}: {message}")))
        for option, path, message in table.problems
    ]  # fmt: skip
    rows = [
        CostRow(pid, names.get(pid, pid), float(r.npv), float(r.total), _opt(r.p10), _opt(r.p50), _opt(r.p90))
        for pid, r in table.ranked()
    ]
    if not rows:
        return None, unpriced
    settings = table.settings
    section = CostSection(settings.currency, settings.horizon, settings.discount_rate, table.samples, table.seed, rows)
    return section, unpriced


def robustness_section(analysis: Analysis | Exception, study: Study, lang: str) -> RobustnessSection:
    """SMAA-2 shares, flip thresholds and the verdict in plain words.

    An exception (the analysis could not run) or a verdict that cannot be worded becomes a
    sentence in `error`, so the report says what failed instead of showing nothing.
    """
    if isinstance(analysis, Exception):
        return RobustnessSection(error=t("report.robustness.failed", lang, reason=_reason(analysis)))
    res = analysis.smaa
    names = {p.id: one_line(p.name.get(lang)) for p in study.providers}
    thresholds = [
        ThresholdRow(leaf_id, float(th.current), _opt(th.lower), _opt(th.upper), th.leader_below, th.leader_above,
                     _threshold_text(th, names, lang))
        for leaf_id, th in analysis.thresholds.items()
    ]  # fmt: skip
    error = ""
    try:
        verdict = [one_line(v) for v in robustness_engine.verdict(analysis, study, lang)]
    except (KeyError, ValueError, IndexError) as exc:
        verdict, error = [], t("report.robustness.verdict_failed", lang, reason=_reason(exc))
    return RobustnessSection(
        samples=int(res.samples),
        seed=int(res.seed),
        weights_model=res.weights_model,
        scores_model=res.scores_model,
        standard_error=float(res.standard_error),
        leader=analysis.leader,
        verdict=verdict,
        acceptability={pid: [float(x) for x in res.rank_acceptability[i]] for i, pid in enumerate(res.provider_ids)},
        flip_thresholds=thresholds,
        error=error,
    )


def reversal_section(audit: RankReversalAudit | Exception, study: Study, lang: str) -> ReversalSection:
    """The audit's findings and its plain sentences (`rank_reversal.describe`); an exception
    (the audit could not run) becomes a sentence in `error`."""
    if isinstance(audit, Exception):
        return ReversalSection(error=t("report.reversal.failed", lang, reason=_reason(audit)))
    names = {p.id: one_line(p.name.get(lang)) for p in study.providers}
    data = audit.to_json()["rank_reversal"]
    return ReversalSection(
        method=audit.method,
        normalization=audit.normalization,
        degradation=float(audit.degradation),
        count=audit.count,
        removals=data["removals"],
        dominated_copies=data["dominated_copies"],
        sentences=[one_line(s) for s in describe(audit, names, lang)],
    )


def _reason(exc: Exception) -> str:
    return one_line(exc) or type(exc).__name__


def _threshold_text(th: Threshold, names: dict[str, str], lang: str) -> str:
    parts = [t("report.threshold.current", lang, value=fmt_percent(th.current, lang, 1))]
    if th.lower is not None:
        parts.append(t("report.threshold.below", lang, value=fmt_percent(th.lower, lang, 1),
                       name=names.get(th.leader_below, "?")))  # fmt: skip
    if th.upper is not None:
        parts.append(t("report.threshold.above", lang, value=fmt_percent(th.upper, lang, 1),
                       name=names.get(th.leader_above, "?")))  # fmt: skip
    if th.lower is None and th.upper is None:
        parts.append(t("report.robustness.no_flip", lang))
    return "; ".join(parts)


def _opt(value: float | None) -> float | None:
    return None if value is None else float(value)


def workshop_section(results: Mapping[str, Any], study: Study, lang: str) -> WorkshopSection:
    """A workshop summary as facts and a per-criterion table.

    Accepts either `workbench.workshop.export.report_summary(...)` (labelled facts, then the
    aggregates) or the raw `store.results(...)` (aggregates under `aggregate`, consensus and
    workshop as mappings). Texts and numbers become facts, in the order given; mappings of leaf
    id -> weight named mean, geometric, median or weights become columns, and the dispersion's
    standard deviation a last column.
    """
    results = _flatten_workshop(results)
    names = {n.id: one_line(n.name.get(lang)) for n in study.criteria_set.nodes()}
    facts: list[list[Any]] = []
    for key, value in results.items():
        if isinstance(value, bool) or value is None:
            continue
        if isinstance(value, (str, int, float)):
            facts.append([one_line(key), value if not isinstance(value, str) else one_line(value)])
        elif isinstance(value, list) and key in ("participants", "names"):
            facts.append([one_line(key), len(value)])
    columns = [k for k in (*WORKSHOP_AGGREGATES, "weights") if isinstance(results.get(k), dict) and results[k]]
    dispersion = results.get("dispersion") if isinstance(results.get("dispersion"), dict) else {}
    ids: list[str] = []
    for key in columns:
        ids += [i for i in results[key] if i not in ids]
    rows = []
    for node_id in ids:
        row: list[Any] = [names.get(node_id, one_line(node_id))]
        row += [_number_or_none(results[k].get(node_id)) for k in columns]
        if dispersion:
            spread = dispersion.get(node_id)
            row.append(_number_or_none(spread.get("sd")) if isinstance(spread, dict) else None)
        rows.append(row)
    return WorkshopSection(facts, columns + (["sd"] if dispersion else []), rows)


def _flatten_workshop(results: Mapping[str, Any]) -> dict[str, Any]:
    """The raw store shape lifted to the flat one (aggregates at the top, a few scalar facts)."""
    if not isinstance(results.get("aggregate"), dict):
        return dict(results)
    flat: dict[str, Any] = {}
    workshop = results.get("workshop")
    if isinstance(workshop, dict) and workshop.get("title"):
        flat["title"] = workshop["title"]
    for key in ("round", "participants", "ballots", "method"):
        if key in results:
            flat[key] = results[key]
    consensus = results.get("consensus")
    if isinstance(consensus, dict) and consensus.get("kendall_w") is not None:
        flat["kendall_w"] = consensus["kendall_w"]
    flat.update({k: v for k, v in results["aggregate"].items() if k in WORKSHOP_AGGREGATES})
    if isinstance(results.get("dispersion"), dict):
        flat["dispersion"] = results["dispersion"]
    return flat


def _number_or_none(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def chart_specs(evaluation: Evaluation, study: Study, lang: str) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Vega-Lite specs of the shared charts (workbench.charts.study) by name, and the names of
    those that could not be drawn (the report says they are left out)."""
    # Imported here: Altair takes half a second to load, and only HTML and PDF draw charts.
    from ..charts import study as study_charts

    out: dict[str, dict[str, Any]] = {}
    left_out: list[str] = []
    for name in CHARTS:
        try:
            chart = getattr(study_charts, f"{name}_chart")(evaluation, study, lang)
        except (ValueError, TypeError, KeyError):  # a chart that cannot be drawn is left out, the report ships
            chart = None
        if chart is None:
            left_out.append(name)
        else:
            out[name] = chart.to_dict()
    return out, left_out
