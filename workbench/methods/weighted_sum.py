"""Weighted sum (simple additive weighting): S_i = Σ_j w_j r_ij (Fishburn 1967)."""

from __future__ import annotations

import numpy as np


def scores(r: np.ndarray, w: np.ndarray) -> np.ndarray:
    """r: normalised matrix (n × m), w: weights (K × m) -> scores (K × n)."""
    return w @ r.T


def contributions(r: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Contribution of each criterion to each score for one weight vector w (m,): w_j r_ij (n × m)."""
    return r * w[None, :]
