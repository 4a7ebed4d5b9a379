"""Pure aggregation maths for workshop ballots (no database, no Streamlit).

A ballot is a participant's raw weights on any nodes of the criteria tree; it is turned into
global leaf weights w_j summing to 1 with `workbench.weights.global_weights` over the set's
defaults. Across the k ballots of a round, per leaf j:

- arithmetic mean  m_j = (1/k) Σ_b w_bj (already sums to 1 over j);
- geometric mean   g_j = exp((1/k) Σ_b ln max(w_bj, ε)), renormalised to sum 1. ε = GEOMETRIC_FLOOR
  keeps one participant's 0 from vetoing a criterion (Aczél & Saaty 1983 justify the geometric
  mean for group judgments, which are positive by construction);
- median           the 0.5 quantile with linear interpolation (PostgreSQL's percentile_cont,
  numpy's default 'linear'), renormalised to sum 1;
- dispersion       population standard deviation sd_j = sqrt(mean(w²) − mean(w)²), quartiles,
  IQR and range; the criteria with the largest sd are "the most disputed".

Consensus on the options: Kendall's W over participants' own rankings (k raters, n options),
W = 12 S / (k² (n³ − n)), S = Σ_i (R_i − R̄)², R_i the rank sum of option i (Kendall & Babington
Smith 1939; no tie correction, as workbench.evaluate.kendall_w). Verbal labels follow Schmidt
(1997), Decision Sciences 28(3): < 0.1 very weak, < 0.3 weak, < 0.5 moderate, < 0.7 strong,
else very strong.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import numpy as np

from ..evaluate import kendall_w_from_sums as kendall_w
from ..model import CriteriaSet
from ..weights import global_weights

GEOMETRIC_FLOOR = 1e-3
QUANTILES = (0.25, 0.5, 0.75)
CONSENSUS_LABELS = ((0.1, "very_weak"), (0.3, "weak"), (0.5, "moderate"), (0.7, "strong"), (math.inf, "very_strong"))


def normalise_ballot(criteria_set: CriteriaSet, weights: Mapping[str, object]) -> dict[str, float]:
    """Global leaf weights (summing to 1) of a ballot of raw node weights.

    Nodes the ballot leaves out keep the set's default weight. Raises ValueError naming the
    offending node for unknown ids, non-numbers, negative or non-finite weights, or all zero.
    """
    if not isinstance(weights, Mapping):
        raise ValueError("a ballot must map criterion ids to weights")
    known = {n.id for n in criteria_set.nodes()}
    unknown = sorted(str(k) for k in weights if k not in known)
    if unknown:
        raise ValueError(f"unknown criteria in the ballot: {', '.join(unknown[:10])}")
    clean: dict[str, float] = {}
    for key, value in weights.items():
        if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
            raise ValueError(f"the weight of {key!r} must be a number, got {value!r}")
        number = float(value)
        if not math.isfinite(number):
            raise ValueError(f"the weight of {key!r} must be finite, got {value!r}")
        if number < 0:
            raise ValueError(f"the weight of {key!r} must not be negative, got {value!r}")
        clean[str(key)] = number
    return global_weights(criteria_set, clean)  # raises ValueError when everything weighs 0


def log_weight(weight: float) -> float:
    """ln max(w, ε): what the database averages for the geometric mean."""
    return math.log(max(float(weight), GEOMETRIC_FLOOR))


def renormalise(values: Mapping[str, float]) -> dict[str, float]:
    """Values divided by their sum (all zero stays all zero)."""
    total = float(sum(values.values()))
    return {k: (float(v) / total if total > 0 else 0.0) for k, v in values.items()}


def leaf_to_node_weights(
    criteria_set: CriteriaSet, leaf_weights: Mapping[str, float], scale: float = 100.0
) -> dict[str, float]:
    """Raw node weights that reproduce `leaf_weights` exactly through the tree.

    A group weighs the sum of its leaves' weights and a leaf its own, so each local share is
    w_leaf / Σ siblings and the product down the path gives back w_leaf (times `scale`, to
    read as points out of 100).
    """
    total = float(sum(leaf_weights.values())) or 1.0

    def weight_of(node) -> float:
        if node.is_leaf:
            return float(leaf_weights.get(node.id, 0.0)) / total * scale
        return sum(weight_of(child) for child in node.children)

    return {node.id: round(weight_of(node), 9) for node in criteria_set.nodes()}


def quantile(sorted_values: Sequence[float], p: float) -> float:
    """Linear-interpolation quantile of ascending values (percentile_cont)."""
    n = len(sorted_values)
    if n == 0:
        return float("nan")
    h = (n - 1) * p
    lo = math.floor(h)
    hi = min(lo + 1, n - 1)
    return float(sorted_values[lo] + (h - lo) * (sorted_values[hi] - sorted_values[lo]))


def kendall_w_from_sums(rank_sums: Sequence[float], raters: int) -> float | None:
    """Kendall's W from the options' rank sums over `raters` complete rankings (None below 2 raters
    or 2 options, where agreement is undefined)."""
    if raters < 2 or len(rank_sums) < 2:
        return None
    return kendall_w(rank_sums, raters)


def consensus_label(w: float | None) -> str | None:
    """Schmidt's (1997) verbal band for Kendall's W: very_weak, weak, moderate, strong, very_strong."""
    if w is None:
        return None
    return next(label for bound, label in CONSENSUS_LABELS if w < bound)


def reference_aggregate(matrix: np.ndarray, leaf_ids: Sequence[str]) -> dict[str, object]:
    """The same statistics as the database computes, in numpy, for a k × m matrix of normalised
    ballots (tests use it as the oracle; small exports use it directly)."""
    w = np.asarray(matrix, dtype=float)
    if w.size == 0:
        return {"mean": {}, "geometric": {}, "median": {}, "dispersion": {}}
    mean = w.mean(axis=0)
    geo = np.exp(np.log(np.maximum(w, GEOMETRIC_FLOOR)).mean(axis=0))
    q = np.quantile(w, QUANTILES, axis=0)
    sd = np.sqrt(np.maximum((w**2).mean(axis=0) - mean**2, 0.0))
    ids = list(leaf_ids)
    dispersion = {
        ids[j]: {
            "sd": float(sd[j]),
            "min": float(w[:, j].min()),
            "max": float(w[:, j].max()),
            "q1": float(q[0, j]),
            "median": float(q[1, j]),
            "q3": float(q[2, j]),
            "iqr": float(q[2, j] - q[0, j]),
        }  # fmt: skip
        for j in range(len(ids))
    }
    return {
        "mean": renormalise(dict(zip(ids, mean.tolist(), strict=True))),
        "geometric": renormalise(dict(zip(ids, geo.tolist(), strict=True))),
        "median": renormalise(dict(zip(ids, q[1].tolist(), strict=True))),
        "dispersion": order_by_dispute(dispersion),
    }


def order_by_dispute(dispersion: Mapping[str, Mapping[str, float]]) -> dict[str, dict[str, float]]:
    """Dispersion rows, most disputed (largest standard deviation) first; ties by id."""
    return {k: dict(v) for k, v in sorted(dispersion.items(), key=lambda kv: (-kv[1]["sd"], kv[0]))}
