"""Random weights, random score matrices, and scoring when every draw has its own matrix.

Weights live on the simplex of leaf (global) weights: w_j ≥ 0, Σ_j w_j = 1.

* uniform: the flat Dirichlet(1, …, 1), drawn as normalised standard exponentials
  (Rubinstein & Kroese, *Simulation and the Monte Carlo Method*, 3rd ed., §4.3; the method the
  SMAA literature uses for "no weight information", Lahdelma & Salminen 2001, §3);
* dirichlet: Dirichlet(κ·w₀), drawn as normalised Gamma(κ·w₀ⱼ) variates: mean w₀ and
  Var(wⱼ) = w₀ⱼ(1 − w₀ⱼ)/(κ + 1), so a larger concentration κ keeps draws closer to the chosen
  weights; a leaf with w₀ⱼ = 0 stays at 0;
* fixed: w₀ in every draw (only the scores vary).

Scores: each value is drawn inside its `range` (uniform, or triangular with the recorded value as
mode) through `workbench.sampling`; values without a range, user overrides and TCO-derived values
stay fixed.
"""

from __future__ import annotations

import numpy as np

from ..errors import WorkbenchError
from ..evaluate import decision
from ..methods import get_method
from ..model import Criterion, Score
from ..sampling import triangular, uniform
from ..study import Study

WEIGHT_MODELS = ("uniform", "dirichlet", "fixed")
SCORE_MODELS = ("fixed", "uniform", "triangular")


def draw_weights(
    rng: np.random.Generator, size: int, m: int, model: str, w0: np.ndarray, concentration: float
) -> np.ndarray:
    """`size` weight vectors (size × m) on the simplex, following `model` (module docstring)."""
    if model == "fixed":
        return np.broadcast_to(w0, (size, m)).copy()
    if model == "uniform":
        g = rng.standard_exponential((size, m))
    elif model == "dirichlet":
        alpha = concentration * np.asarray(w0, dtype=float)
        g = np.zeros((size, m))
        live = alpha > 0
        g[:, live] = rng.standard_gamma(alpha[live], size=(size, int(live.sum())))
    else:
        raise WorkbenchError(f"unknown weights model {model!r}; choose one of: {', '.join(WEIGHT_MODELS)}")
    total = g.sum(axis=1, keepdims=True)
    # Tiny shape parameters can underflow every gamma of a row to 0: fall back to w0 there.
    bad = total[:, 0] <= 0
    total[bad] = 1.0
    w = g / total
    if bad.any():
        w[bad] = w0
    return w


# Implied ranges: half-width as a share of the criterion's scale, by confidence, widened by status.
IMPLIED_HALF_WIDTH = {"high": 0.05, "medium": 0.10, "low": 0.20, None: 0.20}
STATUS_MIN_HALF_WIDTH = {"estimate": 0.10, "assumption": 0.25, "disputed": 0.25}


def implied_range(score: Score, leaf: Criterion, value: float) -> tuple[float, float]:
    """A range for a score that gives none: value ± h·(max − min), clipped to the scale, where
    h = 5 %, 10 % or 20 % for a high, medium or low (or unstated) confidence, and at least 10 % for
    an estimate and 25 % for an assumption or a disputed score (a convention of this tool)."""
    h = max(IMPLIED_HALF_WIDTH.get(score.confidence, 0.20), STATUS_MIN_HALF_WIDTH.get(score.status or "", 0.0))
    span = (leaf.scale.max - leaf.scale.min) * h
    return max(leaf.scale.min, value - span), min(leaf.scale.max, value + span)


def score_bounds(study: Study, *, implied: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Low and high (n × m) of each score: its `range` if it has one, else (with `implied`) the
    range its confidence and status imply (`implied_range`), else the value itself.

    Overridden scores are the user's explicit choice and TCO-derived ones come from the cost
    model, so both stay fixed.
    """
    low, high = study.matrix.copy(), study.matrix.copy()
    for i, provider in enumerate(study.providers):
        for j, leaf in enumerate(study.leaves):
            score = provider.scores.get(leaf.id)
            if score is None or study.overridden[i, j] or leaf.source == "tco" or study.missing[i, j]:
                continue
            value = study.matrix[i, j]
            if score.range is not None:
                lo, hi = score.range
            elif implied and leaf.scale is not None:
                lo, hi = implied_range(score, leaf, value)
            else:
                continue
            low[i, j], high[i, j] = min(lo, value), max(hi, value)
    return low, high


def has_ranges(study: Study) -> bool:
    low, high = score_bounds(study)
    return bool((high > low).any())


def draw_matrices(
    rng: np.random.Generator, size: int, study: Study, model: str, bounds: tuple[np.ndarray, np.ndarray]
) -> np.ndarray | None:
    """`size` score matrices (size × n × m), or None when the scores stay fixed."""
    if model == "fixed":
        return None
    low, high = bounds
    shape = (size, *study.matrix.shape)
    if model == "uniform":
        return uniform(rng, low, high, size=shape)
    if model == "triangular":
        return triangular(rng, low, study.matrix, high, size=shape)
    raise WorkbenchError(f"unknown scores model {model!r}; choose one of: {', '.join(SCORE_MODELS)}")


def score_draws(study: Study, w: np.ndarray, x: np.ndarray, method: str, normalization: str | None) -> np.ndarray:
    """Scores (K × n) when draw k has weights w[k] (K × m) and its own matrix x[k] (K × n × m)."""
    return DrawScorer(study, x, method, normalization)(w)


class DrawScorer:
    """Scores of K drawn matrices x (K × n × m), each under its own weight vector.

    The method's own `prepare` and kernel, applied draw by draw without a Python loop where the
    method gives a vectorised scorer (`Method.scorer_for_draws`). The engine's normalisations
    reduce over axis 0 (the alternatives), so the draws are fed as an (n × K × m) array.
    Everything that does not depend on the weights is computed once, so scoring the same draws
    under several weight batches (the confidence factors) costs one contraction each.
    """

    def __init__(self, study: Study, x: np.ndarray, method: str, normalization: str | None):
        info = get_method(method)
        xt = np.ascontiguousarray(np.moveaxis(x, 0, 1))  # n × K × m
        self._score = info.scorer_for_draws(info.values(decision(study, normalization, xt)))

    def __call__(self, w: np.ndarray) -> np.ndarray:
        return self._score(w)
