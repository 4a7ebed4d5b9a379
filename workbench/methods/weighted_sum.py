"""Weighted sum (simple additive weighting): S_i = Σ_j w_j r_ij (Fishburn 1967)."""

from __future__ import annotations

import numpy as np

from . import Method


def scores(r: np.ndarray, w: np.ndarray) -> np.ndarray:
    """r: normalised matrix (n × m), w: weights (K × m) -> scores (K × n)."""
    return w @ r.T


METHOD = Method(
    name="weighted-sum",
    label={"en": "Weighted sum", "fr": "Somme pondérée"},
    default_normalization="scale",
    higher_is_better=True,
    scores=scores,
    linear=True,
    explanation={
        "fr": "Chaque score est d'abord ramené entre 0 et 1 (1 = meilleur), puis multiplié par le poids global du "
        "critère ; le score d'une option est la somme de ces produits. Un point fort peut compenser un point faible.",
        "en": "Each score is first brought between 0 and 1 (1 = best), then multiplied by the criterion's global "
        "weight; an option's score is the sum of these products. A strength can make up for a weakness.",
    },
    formula="S_i = Σ_j w_j r_ij; contribution of j = w_j r_ij",
    order=10,
)
