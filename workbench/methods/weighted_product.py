"""Weighted product: P_i = Π_j r_ij^w_j (Bridgman 1922; Triantaphyllou 2000, ch. 2)."""

from __future__ import annotations

import numpy as np

from ..errors import WorkbenchError


def scores(r: np.ndarray, w: np.ndarray) -> np.ndarray:
    """r: normalised matrix (n × m) with every r_ij > 0, w: (K × m) -> (K × n), via exp(W · log Rᵀ)."""
    if np.any(r <= 0):
        raise WorkbenchError(
            "the weighted product needs every normalised score > 0; a zero wipes out the product "
            "(use the 'sum' or 'linear' normalisation, or another method)"
        )
    return np.exp(w @ np.log(r).T)
