"""VIKOR compromise ranking (Opricovic 1998; Opricovic & Tzeng 2004, EJOR 156(2):445-455).

t_ij = (f*_j − x_ij)/(f*_j − f⁻_j) on higher-is-better values (0 for a constant column);
S_i = Σ_j w_j t_ij; R_i = max_j w_j t_ij;
Q_i = v (S_i − S*)/(S⁻ − S*) + (1 − v)(R_i − R*)/(R⁻ − R*). Lower Q is better.
Without a normalisation VIKOR reads the raw values, cost criteria negated (higher is better).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from . import Decision, Method

CHUNK_CELLS = 4_000_000  # K·n·m cells per chunk keeps the R computation under ~32 MB


def regrets(y: np.ndarray) -> np.ndarray:
    """t (n × m) from higher-is-better values y."""
    best, worst = y.max(axis=0), y.min(axis=0)
    span = best - worst
    safe = np.where(span == 0, 1.0, span)
    return np.where(span == 0, 0.0, (best - y) / safe)


def _ratio(a: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    span = hi - lo
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(span > 0, (a - lo) / np.where(span > 0, span, 1.0), 0.0)


def srq(y: np.ndarray, w: np.ndarray, v: float = 0.5) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """S, R and Q (each K × n) for a weight batch w (K × m)."""
    t = regrets(y)
    s = w @ t.T
    k, n, m = w.shape[0], *t.shape
    r = np.empty((k, n))
    step = max(1, CHUNK_CELLS // max(n * m, 1))
    for start in range(0, k, step):
        block = w[start : start + step]
        r[start : start + step] = (block[:, None, :] * t[None, :, :]).max(axis=2)
    return s, r, compromise(s, r, v)


def compromise(s: np.ndarray, r: np.ndarray, v: float = 0.5) -> np.ndarray:
    """Q (K × n) from S and R (K × n): v(S − S*)/(S⁻ − S*) + (1 − v)(R − R*)/(R⁻ − R*), per row."""
    return v * _ratio(s, s.min(axis=1, keepdims=True), s.max(axis=1, keepdims=True)) + (1 - v) * _ratio(
        r, r.min(axis=1, keepdims=True), r.max(axis=1, keepdims=True)
    )


def scores(y: np.ndarray, w: np.ndarray, v: float = 0.5) -> np.ndarray:
    """Q (K × n), lower is better."""
    return srq(y, w, v)[2]


@dataclass(frozen=True)
class Acceptance:
    """The compromise test of Opricovic & Tzeng (2004) for one weight vector."""

    dq: float
    acceptable_advantage: bool
    acceptable_stability: bool
    compromise: list[int]


def acceptance(s: np.ndarray, r: np.ndarray, q: np.ndarray) -> Acceptance:
    """C1: Q(a2) − Q(a1) ≥ DQ = 1/(n − 1); C2: a1 is also best by S or by R.

    Compromise set: {a1} if both hold; {a1, a2} if only C2 fails; else every a_k with
    Q(a_k) − Q(a1) < DQ.
    """
    n = q.shape[0]
    order = np.argsort(q, kind="stable")
    dq = 1.0 / (n - 1) if n > 1 else 1.0
    if n < 2:
        return Acceptance(dq, True, True, [int(order[0])] if n else [])
    a1 = order[0]
    advantage = bool(q[order[1]] - q[a1] >= dq - 1e-12)
    stability = bool(np.isclose(s[a1], s.min()) or np.isclose(r[a1], r.min()))
    if advantage and stability:
        chosen = [a1]
    elif not advantage:
        chosen = [i for i in order if q[i] - q[a1] < dq - 1e-12]
    else:
        chosen = [a1, order[1]]
    return Acceptance(dq, advantage, stability, [int(i) for i in chosen])


def prepare(decision: Decision) -> np.ndarray:
    """Higher-is-better values: the raw scores with cost criteria negated, or the normalised ones."""
    if decision.normalization is None:
        return np.where(decision.cost, -decision.x, decision.x)
    return decision.normalized()


def draw_scorer(y: np.ndarray, v: float = 0.5) -> Callable[[np.ndarray], np.ndarray]:
    """Q (K × n) for K drawn matrices y (n × K × m); the regrets t are computed once per draw set."""
    t = regrets(y)

    def score(w: np.ndarray) -> np.ndarray:
        s = np.einsum("km,nkm->kn", w, t)
        r = (w[None, :, :] * t).max(axis=2).T
        return compromise(s, r, v)

    return score


def details(decision: Decision, y: np.ndarray, w: np.ndarray) -> dict[str, Any]:
    """S, R, Q and the compromise test for one weight vector w (m,), keyed by alternative id."""
    ids = decision.alternatives
    s, r, q = (a[0] for a in srq(y, w[None, :]))
    acc = acceptance(s, r, q)
    return {
        "S": dict(zip(ids, s.tolist(), strict=True)),
        "R": dict(zip(ids, r.tolist(), strict=True)),
        "Q": dict(zip(ids, q.tolist(), strict=True)),
        "v": 0.5,
        "dq": acc.dq,
        "acceptable_advantage": acc.acceptable_advantage,
        "acceptable_stability": acc.acceptable_stability,
        "compromise_set": [ids[i] for i in acc.compromise],
    }


METHOD = Method(
    name="vikor",
    label={"en": "VIKOR", "fr": "VIKOR"},
    default_normalization=None,
    higher_is_better=False,
    scores=scores,
    prepare=prepare,
    details=details,
    draw_scorer=draw_scorer,
    explanation={
        "fr": "L'indice Q combine le regret moyen pondéré (S) et le pire regret sur un seul critère (R) ; une valeur "
        "plus basse est meilleure. La méthode cherche un compromis acceptable par la majorité sans sacrifier un "
        "critère.",
        "en": "The Q index combines the weighted average regret (S) and the worst regret on a single criterion (R); "
        "lower is better. The method looks for a compromise acceptable to the majority without sacrificing any one "
        "criterion.",
    },
    formula="Q_i = v(S_i − S*)/(S⁻ − S*) + (1 − v)(R_i − R*)/(R⁻ − R*), v = 0.5",
    order=50,
)
