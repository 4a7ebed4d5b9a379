"""Evaluate a study: scores, ranks, must-have eligibility and contributions.

`score_batch` is the vectorised entry point (K weight vectors at once) that robustness
analysis builds on; `evaluate` is the single-weighting case with everything a page or report
shows.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from .errors import WorkbenchError
from .methods import Decision, get_method, registry
from .model import NORMALIZATIONS
from .study import Study, build_study

TIE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class MustHaveFailure:
    criterion: str
    required: str
    actual: float

    def to_json(self) -> dict[str, Any]:
        return {"criterion": self.criterion, "required": self.required, "actual": self.actual}


@dataclass
class AlternativeResult:
    id: str
    name: str
    score: float
    rank: int
    eligible: bool
    failed_must_haves: list[MustHaveFailure] = field(default_factory=list)
    contributions: dict[str, float] = field(default_factory=dict)
    group_contributions: dict[str, float] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    overridden: list[str] = field(default_factory=list)
    reference: bool = False  # a reference model: shown beside the ranking, never ranked (rank 0)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "score": self.score,
            "rank": self.rank,
            "eligible": self.eligible,
            "failed_must_haves": [f.to_json() for f in self.failed_must_haves],
            "contributions": self.contributions,
            "group_contributions": self.group_contributions,
            "missing": self.missing,
            "overridden": self.overridden,
            **({"reference": True} if self.reference else {}),
        }


@dataclass
class Evaluation:
    criteria_set: str
    method: str
    normalization: str | None
    higher_is_better: bool
    weights: dict[str, float]
    results: list[AlternativeResult]
    normalized: np.ndarray
    details: dict[str, Any] = field(default_factory=dict)
    references: list[AlternativeResult] = field(default_factory=list)

    def result(self, provider_id: str) -> AlternativeResult:
        return next(r for r in self.results if r.id == provider_id)

    def winner(self) -> AlternativeResult:
        return self.results[0]

    def to_json(self) -> dict[str, Any]:
        return {
            "criteria_set": self.criteria_set,
            "method": self.method,
            "normalization": self.normalization,
            "higher_is_better": self.higher_is_better,
            "weights": self.weights,
            "results": [r.to_json() for r in self.results],
            **({"references": [r.to_json() for r in self.references]} if self.references else {}),
            **({"details": self.details} if self.details else {}),
        }


def resolve_method(study: Study, method: str | None, normalization: str | None) -> tuple[str, str | None]:
    """The method and normalisation in force.

    Method: argument, else scenario, else criteria set, else weighted-sum. A normalisation given
    by the scenario or the set goes with the method they name (weighted-sum when they name none):
    switching to another method brings that method's own default normalisation. A method that is
    not `normalizable` (PROMETHEE) has none.
    """
    method = method or study.scenario.method or study.criteria_set.method or "weighted-sum"
    info = get_method(method)
    if not info.normalizable:
        return method, None
    if normalization is None:
        for layer in (study.scenario, study.criteria_set):
            if layer.normalization and (layer.method or "weighted-sum") == method:
                normalization = layer.normalization
                break
        else:
            normalization = info.default_normalization
    if normalization is not None and normalization not in NORMALIZATIONS:
        raise WorkbenchError(f"unknown normalisation {normalization!r}; choose one of: {', '.join(NORMALIZATIONS)}")
    return method, normalization


def decision(study: Study, normalization: str | None, matrix: np.ndarray | None = None) -> Decision:
    """The study's decision matrix as methods see it; `matrix` replaces the values (score draws)."""
    return Decision(
        x=study.matrix if matrix is None else matrix,
        alternatives=tuple(study.provider_ids),
        criteria=tuple(study.leaf_ids),
        cost=study.cost_mask,
        lower=study.lower,
        upper=study.upper,
        preferences=tuple(leaf.preference for leaf in study.leaves),
        normalization=normalization,
    )


def normalized_matrix(study: Study, normalization: str | None) -> np.ndarray:
    """The study's values under `normalization`, or the raw values without one."""
    return decision(study, normalization).normalized()


def score_batch(
    study: Study, w: np.ndarray, method: str, normalization: str | None, *, matrix: np.ndarray | None = None
) -> np.ndarray:
    """Scores (K × n) for a weight batch w (K × m); `matrix` replaces the study's values (score draws)."""
    w = np.atleast_2d(np.asarray(w, dtype=float))
    info = get_method(method)
    return info.scores(info.values(decision(study, normalization, matrix)), w)


def rank(scores: np.ndarray, eligible: np.ndarray, higher_is_better: bool = True) -> np.ndarray:
    """Ranks (1 best) with ties within 1e-9 sharing the lowest rank (1, 1, 3); every eligible
    alternative ranks before every ineligible one. Works on the last axis of a batch."""
    scores = np.asarray(scores, dtype=float)
    eligible = np.asarray(eligible, dtype=bool)
    key = scores if higher_is_better else -scores
    same = eligible[None, :] == eligible[:, None]
    # beats[..., i, j]: j ranks ahead of i.
    beats = (eligible[None, :] & ~eligible[:, None]) | (same & (key[..., None, :] > key[..., :, None] + TIE_TOLERANCE))
    return beats.sum(axis=-1) + 1


def must_have_failures(study: Study) -> list[list[MustHaveFailure]]:
    """Per provider, the must-have rules it fails: the set's, or the scenario's in their place,
    less the ones the scenario switches off."""
    disabled = set(study.scenario.disabled_must_haves)
    out: list[list[MustHaveFailure]] = [[] for _ in study.providers]
    for j, leaf in enumerate(study.leaves):
        rule = study.must_have(leaf)
        if rule is None or leaf.id in disabled:
            continue
        for i in range(len(study.providers)):
            value = float(study.matrix[i, j])
            if not rule.passes(value):
                out[i].append(MustHaveFailure(leaf.id, rule.describe(), value))
    return out


def eligibility(study: Study) -> np.ndarray:
    return np.array([not failures for failures in must_have_failures(study)])


def evaluate(
    study: Study,
    method: str | None = None,
    normalization: str | None = None,
    weights: dict[str, float] | None = None,
    lang: str = "en",
) -> Evaluation:
    """Score and rank every provider under one weighting (node-id overrides on top of the scenario's)."""
    method, normalization = resolve_method(study, method, normalization)
    info = get_method(method)
    w_map = study.global_weights(weights)
    w = np.array([w_map[i] for i in study.leaf_ids])
    data = decision(study, normalization)
    values = info.values(data)
    scores = info.scores(values, w[None, :])[0]
    failures = must_have_failures(study)
    eligible = np.array([not f for f in failures])
    ranks = rank(scores, eligible, info.higher_is_better)
    contributions = info.additive(values, w)
    groups = _group_contributions(study, contributions) if contributions is not None else None
    results = []
    for i, provider in enumerate(study.providers):
        results.append(
            AlternativeResult(
                id=provider.id,
                name=provider.name.get(lang),
                score=float(scores[i]),
                rank=int(ranks[i]),
                eligible=bool(eligible[i]),
                failed_must_haves=failures[i],
                contributions={}
                if contributions is None
                else dict(zip(study.leaf_ids, contributions[i].tolist(), strict=True)),
                group_contributions={} if groups is None else groups[i],
                missing=[study.leaf_ids[j] for j in np.flatnonzero(study.missing[i])],
                overridden=[study.leaf_ids[j] for j in np.flatnonzero(study.overridden[i])],
            )
        )
    order = sorted(range(len(results)), key=lambda i: (results[i].rank, i))
    return Evaluation(
        criteria_set=study.criteria_set.id,
        method=method,
        normalization=normalization,
        higher_is_better=info.higher_is_better,
        weights=w_map,
        results=[results[i] for i in order],
        normalized=values if info.prepare is None else data.normalized(),
        details=info.details(data, values, w) if info.details else {},
        references=_reference_results(study, method, normalization, weights, lang),
    )


def _reference_results(
    study: Study, method: str, normalization: str | None, weights: dict[str, float] | None, lang: str
) -> list[AlternativeResult]:
    """The reference models scored as the options are, in one evaluation beside them (so relative
    normalisations see the same rows), then set apart: rank 0, never first."""
    if not study.references:
        return []
    scenario = replace(study.scenario, providers=None, include_references=True)
    together = build_study(study.criteria_set, study.providers + study.references, scenario, allow_missing=True)
    ids = {p.id for p in study.references}
    ev = evaluate(together, method, normalization, weights, lang)
    return [replace(r, rank=0, reference=True) for r in ev.results if r.id in ids]


def _group_contributions(study: Study, contributions: np.ndarray) -> list[dict[str, float]]:
    """Sum of leaf contributions under every group node."""
    index = {leaf_id: j for j, leaf_id in enumerate(study.leaf_ids)}
    groups = [n for n in study.criteria_set.nodes() if not n.is_leaf]
    out: list[dict[str, float]] = [{} for _ in study.providers]
    for group in groups:
        stack, cols = list(group.children), []
        while stack:
            node = stack.pop()
            if node.is_leaf:
                cols.append(index[node.id])
            stack.extend(node.children)
        sums = contributions[:, cols].sum(axis=1)
        for i in range(len(study.providers)):
            out[i][group.id] = float(sums[i])
    return out


def compare_methods(study: Study, weights: dict[str, float] | None = None) -> dict[str, Any]:
    """Ranks under every method (default normalisations) and Kendall's W of their agreement; a method
    that cannot run on the data is left out."""
    ranks: dict[str, dict[str, int]] = {}
    for method, info in registry().items():
        try:
            ev = evaluate(study, method, info.default_normalization, weights)
        except WorkbenchError:
            continue
        ranks[method] = {r.id: r.rank for r in ev.results}
    matrix = np.array([[ranks[m][p] for p in study.provider_ids] for m in ranks], dtype=float)
    return {"ranks": ranks, "kendall_w": kendall_w(matrix)}


@dataclass(frozen=True)
class MethodProblem:
    """Why a method cannot run on a study's data, for a menu to say so in the user's language.

    `code`: "zero" (a score of 0 on `criteria`, which a product cannot take), "zero-normalized"
    (a score that normalises to 0 on `criteria`: the worst of its column or scale) or "data"
    (another refusal; `criteria` names the columns that alone make the method fail, if any).
    `message` is the engine's English sentence.
    """

    method: str
    normalization: str | None
    code: str
    criteria: tuple[str, ...]
    message: str


def method_problem(study: Study, method: str, normalization: str | None) -> MethodProblem | None:
    """None when `method` with `normalization` scores the study's options (and reference models),
    else what stops it. Cheap: one scoring under equal weights, then one a column on failure."""
    together = _with_references(study)
    w = np.full((1, len(together.leaf_ids)), 1.0 / max(len(together.leaf_ids), 1))
    try:
        score_batch(together, w, method, normalization)
    except WorkbenchError as exc:
        data = decision(together, normalization)
        info = get_method(method)
        blocking = [j for j in range(len(together.leaf_ids)) if not _column_runs(info, data, j)]
        raw_zero = [j for j in blocking if np.any(together.matrix[:, j] <= 0)]
        code = "zero" if blocking and len(raw_zero) == len(blocking) else "data"
        if code == "data" and blocking and all(_normalizes_to_zero(data, j) for j in blocking):
            code = "zero-normalized"
        criteria = tuple(together.leaf_ids[j] for j in blocking)
        return MethodProblem(method, normalization, code, criteria, str(exc))
    return None


def method_problems(study: Study) -> dict[str, MethodProblem]:
    """Every registered method that cannot run on the study with its own normalisation (the one
    `resolve_method` gives when the method is chosen), by name."""
    out = {}
    for name in registry():
        problem = method_problem(study, *resolve_method(study, name, None))
        if problem is not None:
            out[name] = problem
    return out


def _with_references(study: Study) -> Study:
    """The study with its reference models as rows (they are scored beside the options)."""
    if not study.references:
        return study
    scenario = replace(study.scenario, providers=None, include_references=True)
    return build_study(study.criteria_set, study.providers + study.references, scenario, allow_missing=True)


def _column_runs(info: Any, data: Decision, j: int) -> bool:
    """Whether the method prepares column j alone (which columns make it refuse the study)."""
    one = replace(
        data,
        x=data.x[..., [j]],
        criteria=(data.criteria[j],),
        cost=data.cost[[j]],
        lower=data.lower[[j]],
        upper=data.upper[[j]],
        preferences=(data.preferences[j],),
    )
    try:
        info.scores(info.values(one), np.ones((1, 1)))
    except (WorkbenchError, FloatingPointError, ValueError):
        return False
    return True


def _normalizes_to_zero(data: Decision, j: int) -> bool:
    try:
        return bool(np.any(data.normalized()[:, j] <= 0))
    except WorkbenchError:
        return False


def _mid_ranks(values: np.ndarray) -> np.ndarray:
    """Ranks 1..n of `values` (ascending), tied values sharing the mean of the ranks they span."""
    order = np.argsort(values, kind="stable")
    ordered = np.asarray(values)[order]
    starts = np.flatnonzero(np.r_[True, ordered[1:] != ordered[:-1]])
    ends = np.r_[starts[1:], len(ordered)]
    out = np.empty(len(ordered))
    for start, end in zip(starts, ends, strict=True):
        out[order[start:end]] = (start + end + 1) / 2  # mean of ranks start+1 .. end
    return out


def kendall_w(ranks: np.ndarray) -> float:
    """Kendall's coefficient of concordance W for k raters × n items (Kendall & Babington Smith 1939),
    with ties: each rater's ranks become mid-ranks (1, 1, 3 -> 1.5, 1.5, 3) and

        W = 12 S / (k² (n³ − n) − k Σ_j T_j),  S = Σ_i (R_i − R̄)²,  T_j = Σ (t³ − t)

    over the groups of t tied items of rater j (Siegel & Castellan 1988, §9.4). 1 = full agreement;
    without ties it is the textbook W, and with ties it stays within [0, 1]."""
    k, n = ranks.shape if ranks.ndim == 2 else (0, 0)
    if k < 2 or n < 2:
        return 1.0
    mid = np.vstack([_mid_ranks(row) for row in ranks])
    ties = sum(float((counts**3 - counts).sum()) for counts in (np.unique(row, return_counts=True)[1] for row in mid))
    return kendall_w_from_sums(mid.sum(axis=0), k, ties)


def kendall_w_from_sums(rank_sums: np.ndarray, raters: int, ties: float = 0.0) -> float:
    """W = 12 S/(k²(n³ − n) − k T) from the items' rank sums R_i over k raters (S = Σ (R_i − R̄)²)
    and the raters' tie total T = Σ_j Σ (t³ − t) (0 for rankings without ties); 1.0 when every
    rater ties everything (no spread to agree on)."""
    sums = np.asarray(rank_sums, dtype=float)
    n = sums.shape[0]
    s = float(((sums - sums.mean()) ** 2).sum())
    denominator = raters**2 * (n**3 - n) - raters * ties
    return 1.0 if denominator <= 0 else float(12 * s / denominator)
