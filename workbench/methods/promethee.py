"""PROMETHEE II net outranking flows (Brans & Vincke 1985; Brans & Mareschal 2005).

d_j(a,b) = x_aj − x_bj (benefit) or x_bj − x_aj (cost), in the criterion's own units;
π(a,b) = Σ_j w_j P_j(d_j(a,b)); φ(a) = Σ_b [π(a,b) − π(b,a)]/(n − 1).
The net flow is linear in the weights, so each criterion's flow F_j(a) is computed once and a
whole weight batch is one matrix product: φ = W · Fᵀ/(n − 1). As a plug-in, `prepare` turns the
raw values into F/(n − 1) and the method is `linear`: the weighted sum of those flows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..model import Preference
from . import Decision, Method

USUAL = Preference()


def preference(d: np.ndarray, pref: Preference) -> np.ndarray:
    """P(d) for d in criterion units; 0 for d ≤ 0 (table in docs/methods.md)."""
    q, p, s = pref.q, pref.p, pref.s
    f = pref.function
    if f == "usual":
        out = (d > 0).astype(float)
    elif f == "u-shape":
        out = (d > q).astype(float)
    elif f == "v-shape":
        out = np.clip(d / p, 0.0, 1.0)
    elif f == "level":
        out = np.where(d > p, 1.0, np.where(d > q, 0.5, 0.0))
    elif f == "linear":
        out = np.where(d > p, 1.0, np.where(d > q, (d - q) / (p - q) if p > q else 1.0, 0.0))
    elif f == "gaussian":
        out = 1.0 - np.exp(-(d**2) / (2 * s * s))
    else:
        raise ValueError(f"unknown preference function {f!r}")
    return np.where(d > 0, out, 0.0)


def criterion_flows(x: np.ndarray, cost: np.ndarray, prefs: Sequence[Preference | None]) -> np.ndarray:
    """F (n × m): F_j(a) = Σ_b [P_j(d_j(a,b)) − P_j(d_j(b,a))], unweighted and not yet divided by n − 1.

    `x` may carry extra axes between alternatives and criteria (n × K × m: K drawn matrices);
    the flows then have the same shape.
    """
    sign = np.where(cost, -1.0, 1.0)
    out = np.empty_like(x, dtype=float)
    for j in range(x.shape[-1]):
        col = x[..., j] * sign[j]
        d = col[:, None] - col[None, :]  # d[a, b] = d_j(a, b)
        p = preference(d, prefs[j] or USUAL)
        out[..., j] = p.sum(axis=1) - p.sum(axis=0)
    return out


def positive_negative(
    x: np.ndarray, cost: np.ndarray, prefs: Sequence[Preference | None], w: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """φ⁺ and φ⁻ (n,) for one weight vector w (m,), for reports."""
    n = x.shape[0]
    sign = np.where(cost, -1.0, 1.0)
    pi = np.zeros((n, n))
    for j in range(x.shape[1]):
        col = x[:, j] * sign[j]
        pi += w[j] * preference(col[:, None] - col[None, :], prefs[j] or USUAL)
    denom = max(n - 1, 1)
    return pi.sum(axis=1) / denom, pi.sum(axis=0) / denom


def prepare(decision: Decision) -> np.ndarray:
    """F/(n − 1) (n × m, or n × K × m for drawn matrices) from the raw values, so that φ = Σ_j w_j F_j."""
    n = decision.x.shape[0]
    if n < 2:
        return np.zeros_like(decision.x, dtype=float)
    return criterion_flows(decision.x, decision.cost, decision.preferences) / (n - 1)


def scores(f: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Net flows φ (K × n) from the prepared criterion flows f (n × m) and weights w (K × m)."""
    return w @ f.T


def details(decision: Decision, f: np.ndarray, w: np.ndarray) -> dict[str, dict[str, float]]:
    plus, minus = positive_negative(decision.x, decision.cost, decision.preferences, w)
    ids = decision.alternatives
    return {
        "phi_plus": dict(zip(ids, plus.tolist(), strict=True)),
        "phi_minus": dict(zip(ids, minus.tolist(), strict=True)),
    }


METHOD = Method(
    name="promethee-ii",
    label={"en": "PROMETHEE II", "fr": "PROMETHEE II"},
    default_normalization=None,
    higher_is_better=True,
    scores=scores,
    prepare=prepare,
    normalizable=False,
    linear=True,
    details=details,
    explanation={
        "fr": "Les options sont comparées deux à deux sur chaque critère, dans ses propres unités ; le score (flux "
        "net) est la préférence moyenne d'une option sur les autres moins celle des autres sur elle, entre −1 et 1.",
        "en": "Options are compared pairwise on each criterion, in its own units; the score (net flow) is an "
        "option's average preference over the others minus theirs over it, between −1 and 1.",
    },
    formula="net flow φ = φ⁺ − φ⁻ over preference functions on raw differences",
    order=40,
)
