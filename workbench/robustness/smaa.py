"""Stochastic multicriteria acceptability analysis, SMAA-2 (Lahdelma & Salminen 2001,
"SMAA-2: Stochastic multicriteria acceptability analysis for group decision making",
Operations Research 49(3):444-454), on the engine's batch kernels.

For N draws (w_k, X_k) of weights and scores, with r_k(i) the rank of alternative i in draw k:

* rank acceptability  b_i^r = #{k : r_k(i) = r} / N  (the share of draws where i takes rank r);
* central weight vector  w_i^c = mean of w_k over the draws where r_k(i) = 1 (None if i never wins);
* confidence factor  p_i^c = share of score draws X_k in which i ranks first under w_i^c
  (1 or 0 when the scores are fixed);
* pairwise winning  P(i, j) = #{k : r_k(i) < r_k(j)} / N;
* standard error  SE = max_i sqrt(b_i^1 (1 − b_i^1) / N): the largest binomial standard error
  among the first-rank acceptabilities, i.e. the Monte Carlo uncertainty of the headline figure;
  a 95 % interval is about ± 2 SE, and SE falls as 1/√N.

Ranks come from `workbench.evaluate.rank` with the study's must-have eligibility (judged on the
recorded values), so an ineligible alternative never takes first place while an eligible one
exists; ties share the better rank, as in every other view.

Draws are processed in chunks so memory stays bounded; weights, scores and the confidence-factor
pass each get their own random stream spawned from the seed, and numpy fills a request of size
a + b with the same numbers as two requests a and b, so the results do not depend on the chunk
size: same seed, same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import WorkbenchError
from ..evaluate import eligibility, rank, resolve_method, score_batch
from ..methods import get_method
from ..study import Study
from .draws import SCORE_MODELS, WEIGHT_MODELS, DrawScorer, draw_matrices, draw_weights, score_bounds

DEFAULT_SAMPLES = 10_000
DEFAULT_CONCENTRATION = 50.0
CHUNK = 10_000
# Ranking a chunk builds K × n × n comparison arrays: cap their cells so memory stays bounded
# (4M cells ≈ 4 MB per boolean temporary) when a study has many alternatives.
CELL_BUDGET = 4_000_000
MAX_SAMPLES = 10_000_000


@dataclass
class SmaaResult:
    """SMAA-2 indices; arrays are in the study's provider order (rows) and leaf order (columns)."""

    method: str
    normalization: str | None
    samples: int
    seed: int
    weights_model: str
    scores_model: str
    concentration: float | None
    provider_ids: list[str]
    leaf_ids: list[str]
    eligible: np.ndarray
    weights: np.ndarray  # the chosen (centre) weights, m
    rank_acceptability: np.ndarray  # n × n: [i, r] share of draws where i takes rank r + 1
    central_weights: np.ndarray  # n × m, NaN rows for alternatives that never rank first
    confidence_factors: np.ndarray  # n, NaN where there is no central weight vector
    pairwise_winning: np.ndarray  # n × n: share of draws where i ranks ahead of j
    notes: list[str] = field(default_factory=list)

    @property
    def first_rank(self) -> np.ndarray:
        return self.rank_acceptability[:, 0]

    @property
    def standard_error(self) -> float:
        """max_i sqrt(b_i¹(1 − b_i¹)/N) (module docstring)."""
        p = self.first_rank
        return float(np.sqrt(p * (1 - p) / self.samples).max()) if self.samples else 0.0

    def to_json(self) -> dict[str, Any]:
        ids, leaves = self.provider_ids, self.leaf_ids
        return {
            "method": self.method,
            "normalization": self.normalization,
            "samples": self.samples,
            "seed": self.seed,
            "weights_model": self.weights_model,
            "concentration": self.concentration,
            "scores_model": self.scores_model,
            "rank_acceptability": {pid: _floats(self.rank_acceptability[i]) for i, pid in enumerate(ids)},
            "central_weights": {
                pid: None if np.isnan(row).any() else dict(zip(leaves, _floats(row), strict=True))
                for pid, row in zip(ids, self.central_weights, strict=True)
            },
            "confidence_factors": {
                pid: None if np.isnan(p) else float(p) for pid, p in zip(ids, self.confidence_factors, strict=True)
            },
            "pairwise_winning": {
                a: {b: float(self.pairwise_winning[i, j]) for j, b in enumerate(ids) if j != i}
                for i, a in enumerate(ids)
            },
            "standard_error": self.standard_error,
        }


def _floats(row: np.ndarray) -> list[float]:
    return [float(v) for v in row]


def smaa(
    study: Study,
    *,
    method: str | None = None,
    normalization: str | None = None,
    weights: dict[str, float] | None = None,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    weights_model: str = "uniform",
    concentration: float = DEFAULT_CONCENTRATION,
    scores_model: str = "fixed",
    chunk: int | None = None,
) -> SmaaResult:
    """Run SMAA-2 with `samples` draws (module docstring for the outputs and their formulas).

    `chunk` (draws per batch) defaults to CHUNK, fewer when n² would exceed CELL_BUDGET; it
    changes speed and memory, never the numbers.
    """
    _check(samples, weights_model, concentration, scores_model)
    method, normalization = resolve_method(study, method, normalization)
    info = get_method(method)
    w0 = study.weight_vector(weights)
    eligible = eligibility(study)
    n, m = study.matrix.shape
    chunk = chunk or max(1, min(CHUNK, CELL_BUDGET // (n * n)))
    bounds = score_bounds(study)
    notes = []
    if scores_model != "fixed" and not (bounds[1] > bounds[0]).any():
        notes.append(f"no score has a range: the {scores_model} scores model changes nothing, scores stay fixed")
        scores_model = "fixed"
    w_rng, x_rng, cf_rng = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(3))

    def scores_for(w: np.ndarray, size: int) -> np.ndarray:
        x = draw_matrices(x_rng, size, study, scores_model, bounds)
        return (
            score_batch(study, w, method, normalization)
            if x is None
            else DrawScorer(study, x, method, normalization)(w)
        )

    counts = np.zeros((n, n), dtype=np.int64)
    wins_before = np.zeros((n, n), dtype=np.int64)
    weight_sums = np.zeros((n, m))
    for start in range(0, samples, chunk):
        size = min(chunk, samples - start)
        w = draw_weights(w_rng, size, m, weights_model, w0, concentration)
        ranks = rank(scores_for(w, size), eligible, info.higher_is_better)
        _accumulate(ranks, w, counts, wins_before, weight_sums)
    first = counts[:, 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        central = np.where(first[:, None] > 0, weight_sums / np.maximum(first, 1)[:, None], np.nan)
    cf = _confidence_factors(study, central, method, normalization, info.higher_is_better, eligible, scores_model,
                             bounds, samples, chunk, cf_rng)  # fmt: skip
    return SmaaResult(
        method=method,
        normalization=normalization,
        samples=samples,
        seed=seed,
        weights_model=weights_model,
        scores_model=scores_model,
        concentration=concentration if weights_model == "dirichlet" else None,
        provider_ids=study.provider_ids,
        leaf_ids=study.leaf_ids,
        eligible=eligible,
        weights=w0,
        rank_acceptability=counts / samples,
        central_weights=central,
        confidence_factors=cf,
        pairwise_winning=wins_before / samples,
        notes=notes,
    )


def _check(samples: int, weights_model: str, concentration: float, scores_model: str) -> None:
    if not 1 <= samples <= MAX_SAMPLES:
        raise WorkbenchError(f"the number of samples must be between 1 and {MAX_SAMPLES:,}, got {samples}")
    if weights_model not in WEIGHT_MODELS:
        raise WorkbenchError(f"unknown weights model {weights_model!r}; choose one of: {', '.join(WEIGHT_MODELS)}")
    if scores_model not in SCORE_MODELS:
        raise WorkbenchError(f"unknown scores model {scores_model!r}; choose one of: {', '.join(SCORE_MODELS)}")
    if weights_model == "dirichlet" and not (np.isfinite(concentration) and concentration > 0):
        raise WorkbenchError(f"the Dirichlet concentration must be a positive number, got {concentration}")


def _accumulate(
    ranks: np.ndarray, w: np.ndarray, counts: np.ndarray, wins_before: np.ndarray, weight_sums: np.ndarray
) -> None:
    """Add one chunk's rank counts, pairwise wins and first-place weight sums (in place)."""
    k, n = ranks.shape
    # One bincount over (alternative, rank) pairs instead of n × n comparisons.
    flat = np.arange(n)[None, :] * n + (ranks - 1)
    counts += np.bincount(flat.ravel(), minlength=n * n).reshape(n, n)
    # Alternatives as contiguous rows (n × K), one pass per alternative: the temporary stays at
    # n × K instead of K × n × n, and small integers keep the comparisons cache-friendly.
    by_alt = np.ascontiguousarray(ranks.T, dtype=np.int8 if n < 127 else np.int32)
    for i in range(n):
        wins_before[i] += np.count_nonzero(by_alt[i] < by_alt, axis=1)
    weight_sums += (ranks == 1).T.astype(float) @ w


def _confidence_factors(
    study: Study,
    central: np.ndarray,
    method: str,
    normalization: str | None,
    higher_is_better: bool,
    eligible: np.ndarray,
    scores_model: str,
    bounds: tuple[np.ndarray, np.ndarray],
    samples: int,
    chunk: int,
    rng: np.random.Generator,
) -> np.ndarray:
    """p_i^c: the share of score draws in which i ranks first under its central weights w_i^c."""
    n = central.shape[0]
    cf = np.full(n, np.nan)
    has = ~np.isnan(central).any(axis=1)
    if not has.any():
        return cf
    wc = central[has]
    if scores_model == "fixed" or not (bounds[1] > bounds[0]).any():
        ranks = rank(score_batch(study, wc, method, normalization), eligible, higher_is_better)
        cf[has] = (ranks[np.arange(len(wc)), np.flatnonzero(has)] == 1).astype(float)
        return cf
    wins = np.zeros(int(has.sum()))
    for start in range(0, samples, chunk):
        size = min(chunk, samples - start)
        scorer = DrawScorer(study, draw_matrices(rng, size, study, scores_model, bounds), method, normalization)
        for c, i in enumerate(np.flatnonzero(has)):
            w = np.broadcast_to(wc[c], (size, wc.shape[1]))
            ranks = rank(scorer(w), eligible, higher_is_better)
            wins[c] += np.count_nonzero(ranks[:, i] == 1)
    cf[has] = wins / samples
    return cf


class FirstPlace:
    """How often each option ranks first (n,) when every score varies within its range, or within
    the range its confidence and status imply (`draws.implied_range`), under given weights.

    The score matrices (triangular draws, the recorded value as mode, from `seed`) are drawn and
    prepared for the method once; each call with new weights is then one contraction, so a page
    can show the shares live as weights move. A first place shared by a tie counts for each option
    in it; ineligible options never come first. At most MAX_CELLS drawn values are kept: a larger
    study gets fewer draws (`samples` says how many were used).
    """

    MAX_CELLS = 6_000_000

    def __init__(
        self, study: Study, method: str | None = None, normalization: str | None = None, *, samples: int = 10_000,
        seed: int = 0,
    ) -> None:  # fmt: skip
        _check(samples, "fixed", DEFAULT_CONCENTRATION, "triangular")
        self.study = study
        self.method, self.normalization = resolve_method(study, method, normalization)
        self.higher = get_method(self.method).higher_is_better
        self.eligible = eligibility(study)
        n, m = study.matrix.shape
        self.samples = max(1, min(samples, self.MAX_CELLS // max(n * m, 1)))
        bounds = score_bounds(study, implied=True)
        x = draw_matrices(np.random.default_rng(seed), self.samples, study, "triangular", bounds)
        self._score = None if x is None else DrawScorer(study, x, self.method, self.normalization)

    def __call__(self, weights: dict[str, float] | None = None) -> np.ndarray:
        w0 = self.study.weight_vector(weights)
        w = np.broadcast_to(w0, (self.samples, w0.shape[0]))
        if self._score is None:  # nothing varies: the current ranking, every draw alike
            scores = score_batch(self.study, w0[None, :], self.method, self.normalization)
            return (rank(scores, self.eligible, self.higher) == 1)[0].astype(float)
        return (rank(self._score(w), self.eligible, self.higher) == 1).mean(axis=0)
