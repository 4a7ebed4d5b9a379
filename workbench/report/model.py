"""One report model built from the engine's results; every renderer reads only this.

`build_report` gathers, in the chosen language: title, date, study and scenario; the weights
tree with local and global shares; the method and normalisation in plain words; the ranking
with eligibility and failed must-haves; the side-by-side matrix with each score's rationale,
confidence and numbered source references (plus the reference list); chart specifications;
robustness and workshop summaries when given; overrides and assumptions; the cost section;
and the provenance (workbench version, SHA-256 of every input file, the scenario as YAML) that
lets anyone regenerate the report.

Nothing here formats for a medium: texts are plain (cleaned, not escaped) and numbers are
floats; each renderer escapes and formats for its own format and locale.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .. import __version__
from ..costs import CostsError, CostSettings, TcoResult, tco
from ..evaluate import Evaluation, evaluate
from ..files.scenario_io import scenario_to_yaml
from ..i18n import normalize_lang, t
from ..model import Criterion, Scenario
from ..study import REPO_ROOT, Study
from .safety import clean_text, one_line, safe_url

COST_SAMPLES = 2000
COST_SEED = 0


@dataclass
class SourceRef:
    """An entry of the reference list; `url` is kept only when it is http(s)."""

    number: int
    title: str
    url: str
    date: str


@dataclass
class WeightRow:
    id: str
    name: str
    depth: int
    parent: str | None
    is_leaf: bool
    raw_weight: float
    local_share: float
    global_share: float
    changed: bool
    direction: str
    scale: str
    must_have: str


@dataclass
class Failure:
    criterion: str
    name: str
    required: str
    actual: float


@dataclass
class RankRow:
    rank: int
    id: str
    name: str
    score: float
    eligible: bool
    failed: list[Failure]
    missing: list[str]
    overridden: list[str]
    contributions: dict[str, float]


@dataclass
class Cell:
    """One provider's score on one leaf, with its evidence."""

    provider: str
    criterion: str
    value: float | None
    display: str
    normalized: float | None
    rationale: str
    confidence: str | None
    sources: list[int]
    disputed: bool
    range: list[float] | None
    missing: bool
    overridden: bool
    note: str


@dataclass
class Assumption:
    kind: str  # override | disabled_must_have | weight | missing | cost_setting
    text: str


@dataclass
class CostRow:
    id: str
    name: str
    npv: float
    total: float
    p10: float | None
    p50: float | None
    p90: float | None


@dataclass
class InputFile:
    role: str
    path: str
    sha256: str


@dataclass
class Report:
    lang: str
    title: str
    date: str
    generated_at: str
    study_id: str
    study_name: str
    study_description: str
    scenario_title: str
    scenario_notes: str
    method: str
    method_name: str
    method_explanation: str
    normalization: str | None
    normalization_name: str
    normalization_explanation: str
    higher_is_better: bool
    providers: list[dict[str, str]]
    criteria: list[dict[str, Any]]
    weights: list[WeightRow]
    ranking: list[RankRow]
    matrix: list[Cell]
    references: list[SourceRef]
    assumptions: list[Assumption]
    costs: dict[str, Any] | None
    robustness: dict[str, Any] | None
    workshop: dict[str, Any] | None
    details: dict[str, Any]
    version: str
    inputs: list[InputFile]
    scenario_yaml: str
    charts: dict[str, dict[str, Any]] = field(default_factory=dict)

    def cell(self, provider: str, criterion: str) -> Cell:
        return self._cells()[(provider, criterion)]

    def _cells(self) -> dict[tuple[str, str], Cell]:
        cache = self.__dict__.get("_cell_index")
        if cache is None:
            cache = {(c.provider, c.criterion): c for c in self.matrix}
            self.__dict__["_cell_index"] = cache
        return cache

    def leaf_rows(self) -> list[WeightRow]:
        return [w for w in self.weights if w.is_leaf]

    def to_json(self) -> dict[str, Any]:
        """Everything but the chart specifications, in a stable order, JSON-ready."""
        data = {k: v for k, v in asdict(self).items() if k != "charts"}
        data["format"] = "workbench-report/1"
        return data


# --------------------------------------------------------------------------- entry point


def build_report(
    study: Study,
    evaluation: Evaluation | None = None,
    *,
    lang: str = "fr",
    weights: dict[str, float] | None = None,
    scenario: Scenario | None = None,
    robustness: dict[str, Any] | None = None,
    workshop: dict[str, Any] | None = None,
    title: str | None = None,
    charts: bool = True,
    cost_samples: int = COST_SAMPLES,
    now: dt.datetime | None = None,
) -> Report:
    """The report of `evaluation` (computed here if None) on `study`.

    `weights` are the node-id raw weights in force on top of the scenario's (as given to
    `evaluate`); `scenario` is the state to embed (default: the study's scenario with those
    weights and the evaluation's method merged in). `robustness` and `workshop` are optional
    summaries (see `robustness_section` and the workshop store). The date comes from
    SOURCE_DATE_EPOCH when set, so the same inputs give the same bytes.
    """
    lang = normalize_lang(lang)
    weights = dict(weights or {})
    if evaluation is None:
        evaluation = evaluate(study, weights=weights, lang=lang)
    moment = now or report_time()
    refs = _References()
    leaves_by_id = {leaf.id: leaf for leaf in study.leaves}
    embedded = scenario or effective_scenario(study, evaluation, weights)
    report = Report(
        lang=lang,
        title=one_line(title or embedded.title or study.criteria_set.name.get(lang)),
        date=_format_date(moment, lang),
        generated_at=moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
        study_id=study.criteria_set.id,
        study_name=one_line(study.criteria_set.name.get(lang)),
        study_description=clean_text(_text(study.criteria_set.description, lang)),
        scenario_title=one_line(embedded.title),
        scenario_notes=clean_text(embedded.notes),
        method=evaluation.method,
        method_name=t(f"method.{evaluation.method}", lang),
        method_explanation=t(f"report.explain.method.{evaluation.method}", lang),
        normalization=evaluation.normalization,
        normalization_name=t(f"norm.{evaluation.normalization}", lang) if evaluation.normalization else "",
        normalization_explanation=(
            t(f"report.explain.norm.{evaluation.normalization}", lang) if evaluation.normalization else ""
        ),
        higher_is_better=evaluation.higher_is_better,
        providers=_providers(study, lang),
        criteria=_criteria(study, lang),
        weights=_weight_rows(study, weights, lang),
        ranking=_ranking(study, evaluation, leaves_by_id, lang),
        matrix=_matrix(study, evaluation, refs, lang),
        references=refs.items,
        assumptions=[],
        costs=cost_section(study, lang, samples=cost_samples),
        robustness=robustness,
        workshop=workshop_section(workshop, study, lang) if workshop is not None else None,
        details=_jsonable(evaluation.details),
        version=__version__,
        inputs=input_files(study),
        scenario_yaml=scenario_to_yaml(embedded),
    )
    report.assumptions = _assumptions(study, report, weights, lang)
    if charts:
        report.charts = chart_specs(evaluation, study, lang)
    return report


def report_time() -> dt.datetime:
    """UTC now, or the moment SOURCE_DATE_EPOCH names (reproducible builds convention)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC).replace(microsecond=0)


def effective_scenario(
    study: Study,
    evaluation: Evaluation,
    weights: dict[str, float] | None = None,
    base: Scenario | None = None,
) -> Scenario:
    """`base` (default: the study's scenario) with the weights in force, the evaluation's method,
    the providers shown and the criteria file's path, i.e. what `--scenario` needs to regenerate."""
    base = base or study.scenario
    criteria = base.criteria
    if study.criteria_set.path is not None:
        criteria = display_path(study.criteria_set.path)
    return Scenario(
        criteria=criteria,
        providers=list(study.provider_ids),
        method=evaluation.method,
        normalization=evaluation.normalization,
        weights={**base.weights, **(weights or {})},
        notes=base.notes,
        overrides=list(base.overrides),
        disabled_must_haves=list(base.disabled_must_haves),
        cost_settings=dict(base.cost_settings),
        title=base.title,
        path=base.path,
    )


# --------------------------------------------------------------------------- sections


def _text(text: Any, lang: str) -> str:
    return text.get(lang) if text is not None else ""


def _providers(study: Study, lang: str) -> list[dict[str, str]]:
    return [
        {
            "id": p.id,
            "name": one_line(p.name.get(lang)),
            "kind": one_line(_text(p.kind, lang)),
            "summary": clean_text(_text(p.summary, lang)),
        }
        for p in study.providers
    ]


def _criteria(study: Study, lang: str) -> list[dict[str, Any]]:
    return [
        {
            "id": leaf.id,
            "name": one_line(leaf.name.get(lang)),
            "description": clean_text(_text(leaf.description, lang)),
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


def _ranking(study: Study, evaluation: Evaluation, leaves: dict[str, Criterion], lang: str) -> list[RankRow]:
    names = {p.id: one_line(p.name.get(lang)) for p in study.providers}
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


class _References:
    """Numbers sources in order of first citation; the same (title, url, date) keeps its number."""

    def __init__(self) -> None:
        self.items: list[SourceRef] = []
        self._index: dict[tuple[str, str, str], int] = {}

    def number(self, title: str, url: str, date: str) -> int:
        key = (one_line(title), url.strip(), str(date))
        if key not in self._index:
            self._index[key] = len(self.items) + 1
            self.items.append(SourceRef(self._index[key], key[0], safe_url(key[1]) or "", key[2]))
        return self._index[key]


def _display_value(leaf: Criterion, value: float | None, lang: str) -> str:
    from ..i18n import fmt_number

    if value is None:
        return "—"
    label = leaf.scale.label_of(value, lang) if leaf.scale else None
    if label is not None:
        return f"{one_line(label)} ({value:g})"
    decimals = 0 if float(value).is_integer() else 2
    unit = f" {leaf.scale.unit}" if leaf.scale and leaf.scale.unit else ""
    return fmt_number(value, lang, decimals) + unit


def _matrix(study: Study, evaluation: Evaluation, refs: _References, lang: str) -> list[Cell]:
    """Cells criterion by criterion, providers in study order (so references number by criterion)."""
    notes = {(o.provider, o.criterion): o.note for o in study.scenario.overrides}
    cells = []
    for j, leaf in enumerate(study.leaves):
        for i, provider in enumerate(study.providers):
            score = provider.scores.get(leaf.id)
            missing = bool(study.missing[i, j])
            value = None if missing else float(study.matrix[i, j])
            numbers = [refs.number(s.title, s.url, s.date) for s in score.sources] if score else []
            cells.append(
                Cell(
                    provider=provider.id,
                    criterion=leaf.id,
                    value=value,
                    display=_display_value(leaf, value, lang),
                    normalized=None if missing else float(evaluation.normalized[i, j]),
                    rationale=clean_text(_text(score.rationale, lang)) if score else "",
                    confidence=score.confidence if score else None,
                    sources=numbers,
                    disputed=bool(score.disputed) if score else False,
                    range=list(score.range) if score and score.range else None,
                    missing=missing,
                    overridden=bool(study.overridden[i, j]),
                    note=clean_text(notes.get((provider.id, leaf.id), "")),
                )
            )
    # Cost-model sources are cited too, after the score sources.
    for provider in study.providers:
        for source in getattr(provider.costs, "sources", ()) or ():
            title = getattr(source, "title", None) or (source.get("title") if isinstance(source, dict) else None)
            if title:
                url = getattr(source, "url", None) or (source.get("url", "") if isinstance(source, dict) else "")
                date = getattr(source, "date", None) or (source.get("date", "") if isinstance(source, dict) else "")
                refs.number(str(title), str(url or ""), str(date or ""))
    return cells


def _assumptions(study: Study, report: Report, weights: dict[str, float], lang: str) -> list[Assumption]:
    """What departs from the published study: overrides, switched-off rules, changed weights, gaps."""
    names = {p["id"]: p["name"] for p in report.providers}
    crit = {w.id: w.name for w in report.weights}
    out: list[Assumption] = []
    for o in study.scenario.overrides:
        if o.provider in names and o.criterion in crit:
            out.append(
                Assumption(
                    "override",
                    t(
                        "report.assume.override",
                        lang,
                        provider=names[o.provider],
                        criterion=crit[o.criterion],
                        value=f"{o.value:g}",
                        note=one_line(o.note) or "—",
                    ),
                )
            )
    for cid in study.scenario.disabled_must_haves:
        out.append(Assumption("disabled_must_have", t("report.assume.disabled", lang, criterion=crit.get(cid, cid))))
    for row in report.weights:
        if row.changed:
            default = float(study.criteria_set.node(row.id).weight)
            out.append(
                Assumption(
                    "weight",
                    t(
                        "report.assume.weight",
                        lang,
                        criterion=row.name,
                        value=f"{row.raw_weight:g}",
                        default=f"{default:g}",
                    ),
                )
            )
    for cell in report.matrix:
        if cell.missing:
            out.append(
                Assumption(
                    "missing",
                    t("report.assume.missing", lang, provider=names[cell.provider], criterion=crit[cell.criterion]),
                )
            )
    for key, value in sorted(study.scenario.cost_settings.items()):
        out.append(Assumption("cost_setting", t("report.assume.cost", lang, key=key, value=one_line(value))))
    return out


def _settings(study: Study) -> CostSettings | None:
    try:
        return CostSettings.from_mapping(
            study.scenario.cost_settings, CostSettings.from_mapping(study.criteria_set.cost_settings)
        )
    except CostsError:
        return None


def cost_section(study: Study, lang: str, *, samples: int = COST_SAMPLES) -> dict[str, Any] | None:
    """TCO per option (NPV, undiscounted total, P10/P50/P90 of the NPV when amounts are ranges).

    Uses `study.tco` when the study computed it; otherwise computes it from each profile's
    `costs` with the study's settings. Percentiles come from `samples` triangular draws with a
    fixed seed, so they are reproducible. None when no provider has a cost model.
    """
    settings = _settings(study)
    with_costs = [p for p in study.providers if p.costs is not None and not isinstance(p.costs, dict)]
    if settings is None or not with_costs:
        return None
    rows = []
    for provider in with_costs:
        try:
            sampled = samples if provider.costs.has_ranges else 0
            result: TcoResult = tco(provider.costs, settings, samples=sampled, seed=COST_SEED)
        except CostsError:
            continue
        rows.append(
            CostRow(
                id=provider.id,
                name=one_line(provider.name.get(lang)),
                npv=float(result.npv),
                total=float(result.total),
                p10=_opt(result.p10),
                p50=_opt(result.p50),
                p90=_opt(result.p90),
            )
        )
    if not rows:
        return None
    rows.sort(key=lambda r: (r.npv, r.id))
    return {
        "currency": settings.currency,
        "horizon": settings.horizon,
        "discount_rate": settings.discount_rate,
        "samples": samples,
        "seed": COST_SEED,
        "rows": [asdict(r) for r in rows],
    }


def _opt(value: float | None) -> float | None:
    return None if value is None else float(value)


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


# --------------------------------------------------------------------------- robustness, workshop


def robustness_section(
    study: Study,
    evaluation: Evaluation,
    weights: dict[str, float] | None = None,
    *,
    lang: str = "fr",
    samples: int | None = None,
    seed: int = 0,
) -> dict[str, Any] | None:
    """SMAA-2 rank acceptability and flip thresholds from `workbench.robustness` (None if absent).

    Uniform weight draws around nothing (the Robustness page's default model) with a fixed seed,
    so a report regenerated from the same inputs shows the same shares.
    """
    try:
        from .. import robustness
    except ImportError:
        return None
    kwargs: dict[str, Any] = {"seed": seed}
    if samples is not None:
        kwargs["samples"] = samples
    try:
        analysis = robustness.analyse(
            study, method=evaluation.method, normalization=evaluation.normalization, weights=weights, **kwargs
        )
    except (ValueError, ArithmeticError) as exc:
        return {"error": one_line(exc)}
    res = analysis.smaa
    names = {p.id: one_line(p.name.get(lang)) for p in study.providers}
    thresholds = []
    for leaf_id, th in analysis.thresholds.items():
        thresholds.append(
            {
                "criterion": leaf_id,
                "current": float(th.current),
                "lower": _opt(th.lower),
                "upper": _opt(th.upper),
                "leader_below": th.leader_below,
                "leader_above": th.leader_above,
                "text": _threshold_text(th, names, lang),
            }
        )
    try:
        verdict = [one_line(v) for v in robustness.verdict(analysis, study, lang)]
    except (KeyError, ValueError, IndexError):
        verdict = []
    return {
        "samples": int(res.samples),
        "seed": int(res.seed),
        "weights_model": res.weights_model,
        "scores_model": res.scores_model,
        "standard_error": float(res.standard_error),
        "leader": analysis.leader,
        "verdict": verdict,
        "acceptability": {pid: [float(x) for x in res.rank_acceptability[i]] for i, pid in enumerate(res.provider_ids)},
        "flip_thresholds": thresholds,
    }


def _threshold_text(th: Any, names: dict[str, str], lang: str) -> str:
    from ..i18n import fmt_percent

    parts = [t("report.threshold.current", lang, value=fmt_percent(th.current, lang, 1))]
    if th.lower is not None:
        parts.append(
            t(
                "report.threshold.below",
                lang,
                value=fmt_percent(th.lower, lang, 1),
                name=names.get(th.leader_below, "?"),
            )
        )
    if th.upper is not None:
        parts.append(
            t(
                "report.threshold.above",
                lang,
                value=fmt_percent(th.upper, lang, 1),
                name=names.get(th.leader_above, "?"),
            )
        )
    if th.lower is None and th.upper is None:
        parts.append(t("report.robustness.no_flip", lang))
    return "; ".join(parts)


WORKSHOP_AGGREGATES = ("mean", "geometric", "median")


def workshop_section(results: dict[str, Any], study: Study, lang: str) -> dict[str, Any]:
    """A workshop summary as facts and a per-criterion table.

    Accepts either `workbench.workshop.export.report_summary(...)` (labelled facts, then the
    aggregates) or the raw `store.results(...)` (aggregates under `aggregate`, consensus and
    workshop as mappings). Texts and numbers become facts, in the order given; mappings of leaf
    id -> weight named mean, geometric, median or weights become columns, and the dispersion's
    standard deviation a last column.
    """
    results = _flatten_workshop(results)
    names = {n.id: one_line(n.name.get(lang)) for n in study.criteria_set.nodes()}
    facts = []
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
    return {"facts": facts, "columns": columns + (["sd"] if dispersion else []), "rows": rows}


def _flatten_workshop(results: dict[str, Any]) -> dict[str, Any]:
    """The raw store shape lifted to the flat one (aggregates at the top, a few scalar facts)."""
    if not isinstance(results.get("aggregate"), dict):
        return results
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


# --------------------------------------------------------------------------- provenance


def display_path(path: Path | str) -> str:
    """A path relative to the repository (or working directory) when inside it, POSIX style."""
    p = Path(path).resolve()
    for base in (REPO_ROOT, Path.cwd().resolve()):
        try:
            return p.relative_to(base).as_posix()
        except ValueError:
            continue
    return p.as_posix()


def sha256_of(path: Path | str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def input_files(study: Study) -> list[InputFile]:
    """Criteria set, provider profiles and scenario files that exist on disk, with their SHA-256."""
    entries: list[tuple[str, Path]] = []
    if study.criteria_set.path:
        entries.append(("criteria", Path(study.criteria_set.path)))
    entries += [("provider", Path(p.path)) for p in study.providers if p.path]
    if study.scenario.path:
        entries.append(("scenario", Path(study.scenario.path)))
    out = []
    for role, path in entries:
        if path.is_file():
            out.append(InputFile(role, display_path(path), sha256_of(path)))
    return out


# --------------------------------------------------------------------------- charts


def chart_specs(evaluation: Evaluation, study: Study, lang: str) -> dict[str, dict[str, Any]]:
    """Vega-Lite specs of the shared charts (workbench.charts); empty when that module is absent."""
    try:
        from ..charts import study as charts
    except ImportError:
        return {}
    out: dict[str, dict[str, Any]] = {}
    for name in ("contributions_chart", "heatmap_chart"):
        builder = getattr(charts, name, None)
        if builder is None:
            continue
        try:
            chart = builder(evaluation, study, lang)
            spec = chart.to_dict() if chart is not None else None
        except Exception:  # noqa: BLE001 - a chart that cannot be drawn is left out, the report still ships
            continue
        if spec is not None:
            out[name.removesuffix("_chart")] = spec
    return out


def _format_date(moment: dt.datetime, lang: str) -> str:
    from babel.dates import format_date

    return format_date(moment.date(), format="long", locale="fr_CA" if lang == "fr" else "en_CA")
