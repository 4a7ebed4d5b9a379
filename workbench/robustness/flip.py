"""Smallest weight change that makes a challenger first, as a linear programme, for the methods
whose score is linear in the weights (`Method.linear`: weighted sum, PROMETHEE II).

With r the values the method reads (n × m: the normalised matrix, or PROMETHEE's criterion flows), w₀ the current leaf weights and c an eligible challenger,
solve over w ∈ ℝᵐ and d ∈ ℝᵐ:

    minimise    Σ_j d_j                       (d_j ≥ |w_j − w₀_j| at the optimum: the L1 change)
    subject to  d_j ≥ w_j − w₀_j,  d_j ≥ w₀_j − w_j,
                Σ_j w_j = 1,  w_j ≥ 0         (weights stay on the simplex)
                (r_i − r_c)·w ≤ 0             for every other eligible alternative i

with scipy.optimize.linprog (HiGHS). At the optimum c ties the best of the others; any further
step in the same direction makes it first outright, so the L1 change is the infimum of the
changes that make c first. Ineligible alternatives cannot be first and are left out; a
challenger that no weighting makes first (it is dominated) gets `l1_change = None`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..evaluate import decision, eligibility, rank, resolve_method
from ..methods import get_method
from ..study import Study


@dataclass
class Flip:
    challenger: str
    l1_change: float | None
    weights: dict[str, float] | None

    def to_json(self) -> dict[str, Any]:
        return {"challenger": self.challenger, "l1_change": self.l1_change, "weights": self.weights}


def min_change_to_flip(
    study: Study,
    weights: dict[str, float] | None = None,
    normalization: str | None = None,
    method: str = "weighted-sum",
) -> list[Flip]:
    """For every eligible challenger (not the current leader), the least L1 weight change that
    makes it first under a method linear in the weights, nearest challenger first (module docstring)."""
    method, normalization = resolve_method(study, method, normalization)
    info = get_method(method)
    if not info.linear:
        raise ValueError(f"the least change to flip needs a method linear in the weights, not {method!r}")
    w0 = study.weight_vector(weights)
    eligible = eligibility(study)
    if not eligible.any():
        return []
    r = info.values(decision(study, normalization))
    ranks = rank(info.scores(r, w0[None, :])[0], eligible)
    leader = int(np.argmax(ranks == 1))
    flips = [_solve(study, r, w0, c, eligible) for c in np.flatnonzero(eligible) if c != leader]
    return sorted(flips, key=lambda f: (f.l1_change is None, f.l1_change or 0.0))


def _solve(study: Study, r: np.ndarray, w0: np.ndarray, c: int, eligible: np.ndarray) -> Flip:
    from scipy.optimize import linprog  # imported here: SciPy adds a second to every CLI start-up

    m = w0.shape[0]
    others = [i for i in np.flatnonzero(eligible) if i != c]
    eye = np.eye(m)
    # Variables x = [w (m), d (m)].
    cost = np.concatenate([np.zeros(m), np.ones(m)])
    a_ub = [np.hstack([eye, -eye]), np.hstack([-eye, -eye])]
    b_ub = [w0, -w0]
    if others:
        a_ub.append(np.hstack([r[others] - r[c], np.zeros((len(others), m))]))
        b_ub.append(np.zeros(len(others)))
    a_eq = np.concatenate([np.ones(m), np.zeros(m)])[None, :]
    res = linprog(
        cost,
        A_ub=np.vstack(a_ub),
        b_ub=np.concatenate(b_ub),
        A_eq=a_eq,
        b_eq=[1.0],
        bounds=[(0, None)] * (2 * m),
        method="highs",
    )
    challenger = study.provider_ids[c]
    if res.status != 0:
        return Flip(challenger, None, None)
    w = np.clip(res.x[:m], 0.0, None)
    w = w / w.sum()
    return Flip(challenger, float(np.abs(w - w0).sum()), dict(zip(study.leaf_ids, (float(v) for v in w), strict=True)))
