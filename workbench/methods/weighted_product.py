"""Weighted product: P_i = Π_j r_ij^w_j (Bridgman 1922; Triantaphyllou 2000, ch. 2).

A zero factor wipes out a product, so `prepare` names the criteria where a score is 0 (before the
`sum` and `linear` normalisations, which divide by the scores, and after normalising) instead of
returning a ranking that only says "0".
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ..errors import WorkbenchError
from . import Decision, Method


def scores(r: np.ndarray, w: np.ndarray) -> np.ndarray:
    """r: normalised matrix (n × m) with every r_ij > 0, w: (K × m) -> (K × n), via exp(W · log Rᵀ)."""
    if np.any(r <= 0):
        raise WorkbenchError(
            "the weighted product needs every normalised score > 0; a zero wipes out the product "
            "(use the 'sum' or 'linear' normalisation, or another method)"
        )
    return np.exp(w @ np.log(r).T)


def prepare(decision: Decision) -> np.ndarray:
    """The normalised values, refused with the criteria named when one of them holds a 0."""
    if decision.normalization in ("sum", "linear"):
        _refuse_zero_factors(decision, decision.x <= 0)
    r = decision.normalized()
    _refuse_zero_factors(decision, r <= 0)
    return r


def draw_scorer(r: np.ndarray) -> Callable[[np.ndarray], np.ndarray]:
    """exp(Σ_j w_kj log r_ikj) for K drawn matrices r (n × K × m); the logarithms are taken once."""
    log_r = np.log(r)
    return lambda w: np.exp(np.einsum("km,nkm->kn", w, log_r))


def _refuse_zero_factors(decision: Decision, zero: np.ndarray) -> None:
    bad_columns = zero.reshape(-1, zero.shape[-1]).any(axis=0)
    if not bad_columns.any():
        return
    bad = [c for c, is_bad in zip(decision.criteria, bad_columns, strict=True) if is_bad]
    raise WorkbenchError(
        "the weighted product needs every score > 0 after normalisation; these criteria have a score of 0: "
        f"{', '.join(bad[:5])}{' …' if len(bad) > 5 else ''}; choose another method (e.g. weighted-sum or TOPSIS)"
    )


METHOD = Method(
    name="weighted-product",
    label={"en": "Weighted product", "fr": "Produit pondéré"},
    default_normalization="sum",
    higher_is_better=True,
    scores=scores,
    prepare=prepare,
    draw_scorer=draw_scorer,
    explanation={
        "fr": "Les scores normalisés sont multipliés entre eux, chacun élevé à la puissance de son poids. Une très "
        "mauvaise note pèse plus lourd qu'avec la somme pondérée.",
        "en": "The normalised scores are multiplied together, each raised to the power of its weight. A very poor "
        "score weighs more than with the weighted sum.",
    },
    formula="P_i = Π_j r_ij^w_j (a criterion with r ≤ 0 is refused, named)",
    order=20,
)
