"""TOPSIS (Hwang & Yoon 1981): closeness C_i = D⁻/(D⁺ + D⁻) to the ideal point.

With v_ij = w_j r_ij and w ≥ 0, A⁺_j = w_j max_i r_ij, so for a whole weight batch
D±² = (W∘W) · ((R − R±)²)ᵀ: one matrix product instead of a loop over weight vectors.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from . import Method


def scores(r: np.ndarray, w: np.ndarray) -> np.ndarray:
    """r: normalised matrix (n × m), w: (K × m) -> closeness (K × n)."""
    w2 = w * w
    return _closeness(w2 @ ((r - r.max(axis=0)) ** 2).T, w2 @ ((r - r.min(axis=0)) ** 2).T)


def draw_scorer(r: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """Closeness for K drawn matrices r (n × K × m); the squared gaps to A± are computed once."""
    gap_best = (r - r.max(axis=0)) ** 2
    gap_worst = (r - r.min(axis=0)) ** 2

    def score(w: np.ndarray) -> np.ndarray:
        w2 = w * w
        return _closeness(np.einsum("km,nkm->kn", w2, gap_best), np.einsum("km,nkm->kn", w2, gap_worst))

    return score


def _closeness(d_plus2: np.ndarray, d_minus2: np.ndarray) -> np.ndarray:
    """D⁻/(D⁺ + D⁻) from the squared distances; 0.5 for all when every weighted value is equal."""
    d_plus = np.sqrt(np.maximum(d_plus2, 0.0))
    d_minus = np.sqrt(np.maximum(d_minus2, 0.0))
    total = d_plus + d_minus
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, d_minus / total, 0.5)


METHOD = Method(
    name="topsis",
    label={"en": "TOPSIS", "fr": "TOPSIS"},
    default_normalization="vector",
    higher_is_better=True,
    scores=scores,
    draw_scorer=draw_scorer,
    explanation={
        "fr": "Chaque option est située par rapport à une option idéale (meilleure valeur sur chaque critère) et à "
        "une option repoussoir (pire valeur). Le score est la proximité relative à l'idéal, entre 0 et 1.",
        "en": "Each option is placed relative to an ideal option (best value on every criterion) and an anti-ideal "
        "one (worst value). The score is the relative closeness to the ideal, between 0 and 1.",
    },
    formula="C_i = D⁻/(D⁺ + D⁻), Euclidean distances of w_j r_ij to the column best/worst",
    order=30,
)
