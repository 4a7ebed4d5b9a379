"""TOPSIS (Hwang & Yoon 1981): closeness C_i = D⁻/(D⁺ + D⁻) to the ideal point.

With v_ij = w_j r_ij and w ≥ 0, A⁺_j = w_j max_i r_ij, so for a whole weight batch
D±² = (W∘W) · ((R − R±)²)ᵀ: one matrix product instead of a loop (mcda-conventions.md).
"""

from __future__ import annotations

import numpy as np


def scores(r: np.ndarray, w: np.ndarray) -> np.ndarray:
    """r: normalised matrix (n × m), w: (K × m) -> closeness (K × n)."""
    w2 = w * w
    d_plus = np.sqrt(np.maximum(w2 @ ((r - r.max(axis=0)) ** 2).T, 0.0))
    d_minus = np.sqrt(np.maximum(w2 @ ((r - r.min(axis=0)) ** 2).T, 0.0))
    total = d_plus + d_minus
    # Every alternative identical on every weighted criterion: all equally close.
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, d_minus / total, 0.5)
