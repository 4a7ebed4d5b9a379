"""Weights: the criteria tree's global leaf weights and the weighting helpers (ROC, swing, AHP)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from .errors import WeightsError
from .model import CriteriaSet, Criterion

# Random-index tables for the AHP consistency ratio (sources in docs/methods.md); n = 1..15.
RI_TABLES: dict[str, tuple[float, ...]] = {
    "saaty-1980": (0, 0, 0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49, 1.51, 1.48, 1.56, 1.57, 1.59),
    "tummala-ling-1998": (
        0, 0, 0.5799, 0.8921, 1.1159, 1.2358, 1.3322, 1.3952, 1.4537,
        1.4882, 1.5117, 1.5356, 1.5571, 1.5714, 1.5831,
    ),
    "donegan-dodd-1991": (
        0, 0, 0.4914, 0.8286, 1.0591, 1.1797, 1.2519, 1.3171, 1.3733,
        1.4055, 1.4213, 1.4497, 1.4643, 1.4822, 1.4969,
    ),
}  # fmt: skip
RI_SOURCES = {
    "saaty-1980": "Saaty (1980), The Analytic Hierarchy Process, McGraw-Hill",
    "tummala-ling-1998": "Tummala & Ling (1998), as used by pymcdm 1.4",
    "donegan-dodd-1991": "Donegan & Dodd (1991), Math. Comput. Modelling 15(10):135-137",
}
DEFAULT_RI = "saaty-1980"
CR_THRESHOLD = 0.1
# Bounds of one raw weight a user types (points): below 0 means nothing, and beyond 1000 a typo
# (10¹² for 12) would silently take the whole decision.
MIN_WEIGHT = 0.0
MAX_WEIGHT = 1000.0


def local_shares(nodes: Sequence[Criterion], weights: Mapping[str, float]) -> dict[str, float]:
    """Siblings' weights normalised to sum 1 (all zero gives all zero)."""
    raw = np.array([max(float(weights.get(n.id, n.weight)), 0.0) for n in nodes])
    top = raw.max(initial=0.0)
    if np.isfinite(top) and top > 0:
        raw = raw / top  # weights near the float limit (1e308) would overflow their sum
    total = raw.sum()
    shares = raw / total if total > 0 else np.zeros_like(raw)
    return {n.id: float(s) for n, s in zip(nodes, shares, strict=True)}


def node_shares(
    criteria_set: CriteriaSet, overrides: Mapping[str, float] | None = None
) -> tuple[dict[str, float], dict[str, float]]:
    """(local share, global share) of every node; global = product of local shares on the path.

    A group whose children all weigh 0 passes nothing down; the leaf vector is then
    renormalised so it sums to 1 (Belton & Stewart 2002, ch. 5: hierarchical weighting).
    """
    overrides = overrides or {}
    local: dict[str, float] = {}
    glob: dict[str, float] = {}

    def walk(nodes: list[Criterion], parent_share: float) -> None:
        shares = local_shares(nodes, overrides)
        for node in nodes:
            local[node.id] = shares[node.id]
            glob[node.id] = parent_share * shares[node.id]
            walk(node.children, glob[node.id])

    walk(criteria_set.criteria, 1.0)
    leaf_total = sum(glob[leaf.id] for leaf in criteria_set.leaves())
    if leaf_total <= 0:
        raise WeightsError("all weights are zero: give at least one criterion a positive weight")
    if not np.isclose(leaf_total, 1.0):
        glob = {k: v / leaf_total for k, v in glob.items()}
    return local, glob


def global_weights(criteria_set: CriteriaSet, overrides: Mapping[str, float] | None = None) -> dict[str, float]:
    """Global weight of every leaf, summing to 1."""
    _, glob = node_shares(criteria_set, overrides)
    return {leaf.id: glob[leaf.id] for leaf in criteria_set.leaves()}


def rebalance_locked(
    siblings: Mapping[str, float], changed: str, new_value: float, locked: Iterable[str]
) -> tuple[dict[str, float], bool]:
    """New raw weights of a sibling group after `changed` moves to `new_value` with `locked` held.

    Locked siblings keep their share: the group total T stays as before, the changed weight is
    capped at T − Σ locked, and the free siblings share what is left in proportion to their old
    weights (equally if they were all 0). With locks but no free sibling nothing can move, and
    the old weights come back with False. Without locks every weight moves freely.
    """
    old = {k: float(v) for k, v in siblings.items()}
    locked = {k for k in locked if k in old and k != changed}
    if not locked:
        return {**old, changed: max(float(new_value), 0.0)}, True
    free = [k for k in old if k not in locked and k != changed]
    if not free:
        return old, False
    total = sum(old.values())
    room = total - sum(old[k] for k in locked)
    value = min(max(float(new_value), 0.0), room)
    rest = room - value
    free_total = sum(old[k] for k in free)
    out = dict(old)
    out[changed] = value
    for k in free:
        out[k] = rest * old[k] / free_total if free_total > 0 else rest / len(free)
    return out, True


def set_share(siblings: Mapping[str, float], changed: str, share: float, points: float = 100.0) -> dict[str, float]:
    """Raw weights of a sibling group (points out of `points`) after `changed` is given `share`
    (0..1) of the group: the other siblings keep their proportions to one another (equal parts
    of the rest when they all weigh 0). One slider moved, the others follow, the total stays."""
    share = min(max(float(share), 0.0), 1.0)
    others = {k: max(float(v), 0.0) for k, v in siblings.items() if k != changed}
    if not others:
        return {changed: points}
    total = sum(others.values())
    rest = (1.0 - share) * points
    out = {changed: share * points}
    for k, v in others.items():
        out[k] = rest * v / total if total > 0 else rest / len(others)
    return {k: round(out[k], 2) for k in siblings}


def reciprocal_matrix(upper: np.ndarray) -> np.ndarray:
    """A full AHP matrix from its upper triangle: a_ji = 1/a_ij; blank or non-positive cells count as 1."""
    upper = np.asarray(upper, dtype=float)
    n = upper.shape[0]
    a = np.ones((n, n))
    for i in range(n):
        for j in range(i + 1, n):
            value = upper[i, j] if np.isfinite(upper[i, j]) and upper[i, j] > 0 else 1.0
            a[i, j], a[j, i] = value, 1.0 / value
    return a


def rank_order_centroid(n: int) -> np.ndarray:
    """ROC weights for ranks 1..n: w_r = (1/n) Σ_{k=r..n} 1/k (Barron & Barrett 1996)."""
    if n < 1:
        raise ValueError("rank-order centroid needs at least one criterion")
    inv = 1.0 / np.arange(1, n + 1)
    return np.cumsum(inv[::-1])[::-1] / n


def roc_weights(order: Sequence[str]) -> dict[str, float]:
    """Weights from an ordering, most important first."""
    return dict(zip(order, rank_order_centroid(len(order)).tolist(), strict=True))


def swing_weights(points: Mapping[str, float]) -> dict[str, float]:
    """Swing weighting (von Winterfeldt & Edwards 1986): the most valued swing gets 100,
    the others points relative to it; weights are points / Σ points."""
    values = {k: float(v) for k, v in points.items()}
    if any(v < 0 or not np.isfinite(v) for v in values.values()):
        raise ValueError("swing points must be finite and non-negative")
    total = sum(values.values())
    if total <= 0:
        raise ValueError("at least one swing must be worth more than 0")
    return {k: v / total for k, v in values.items()}


@dataclass(frozen=True)
class AhpResult:
    weights: dict[str, float]
    lambda_max: float
    ci: float
    cr: float
    ri: float
    ri_table: str

    @property
    def consistent(self) -> bool:
        return self.cr <= CR_THRESHOLD

    def to_json(self) -> dict:
        return {
            "weights": self.weights,
            "lambda_max": self.lambda_max,
            "ci": self.ci,
            "cr": self.cr,
            "ri": self.ri,
            "ri_table": self.ri_table,
            "ri_source": RI_SOURCES[self.ri_table],
            "consistent": self.consistent,
        }


def check_pairwise(matrix: np.ndarray) -> None:
    """Raise ValueError unless `matrix` is a positive reciprocal square matrix."""
    if matrix.ndim != 2 or matrix.shape[0] != matrix.shape[1] or matrix.shape[0] < 1:
        raise ValueError(f"the pairwise matrix must be square, got shape {matrix.shape}")
    if not np.all(np.isfinite(matrix)) or np.any(matrix <= 0):
        raise ValueError("every pairwise judgment must be a positive number")
    if not np.allclose(matrix * matrix.T, 1.0, rtol=1e-3):
        i, j = np.argwhere(~np.isclose(matrix * matrix.T, 1.0, rtol=1e-3))[0]
        raise ValueError(
            f"the matrix is not reciprocal: a[{i + 1}][{j + 1}] = {matrix[i, j]:g} but "
            f"a[{j + 1}][{i + 1}] = {matrix[j, i]:g} (expected {1 / matrix[i, j]:g})"
        )


def ahp(ids: Sequence[str], matrix: Sequence[Sequence[float]], ri_table: str = DEFAULT_RI) -> AhpResult:
    """AHP priorities by the principal right eigenvector (Saaty 1980).

    λmax = max Re(eig(A)); CI = (λmax − n)/(n − 1); CR = CI/RI(n), with RI from `ri_table`.
    """
    a = np.asarray(matrix, dtype=float)
    check_pairwise(a)
    n = a.shape[0]
    if len(ids) != n:
        raise ValueError(f"{len(ids)} criteria named but the matrix is {n}×{n}")
    if ri_table not in RI_TABLES:
        raise ValueError(f"unknown random-index table {ri_table!r}")
    if n > len(RI_TABLES[ri_table]):
        raise ValueError(f"the {ri_table} random-index table stops at n = {len(RI_TABLES[ri_table])}")
    values, vectors = np.linalg.eig(a)
    k = int(np.argmax(values.real))
    vector = np.abs(vectors[:, k].real)
    w = vector / vector.sum()
    lambda_max = float(values[k].real)
    ci = (lambda_max - n) / (n - 1) if n > 2 else 0.0
    ri = RI_TABLES[ri_table][n - 1]
    cr = ci / ri if ri > 0 else 0.0
    return AhpResult(
        weights=dict(zip(ids, w.tolist(), strict=True)),
        lambda_max=lambda_max,
        ci=float(ci),
        cr=float(cr),
        ri=float(ri),
        ri_table=ri_table,
    )


# --- guided weighting: the AHP questionnaire and swing levels ------------------------------------

# Saaty's (1980) verbal scale: equally, moderately, strongly, very strongly, extremely important.
VERBAL_SCALE: tuple[int, ...] = (1, 3, 5, 7, 9)


def verbal_value(step: int) -> float:
    """The judgement a_ij of a verbal answer: step 0 = equal, 1..4 = the row criterion moderately ..
    extremely more important (3, 5, 7, 9), -1..-4 = the column criterion (1/3 .. 1/9)."""
    if not -len(VERBAL_SCALE) < step < len(VERBAL_SCALE):
        raise ValueError(f"a verbal step is between -4 and 4, not {step}")
    value = float(VERBAL_SCALE[abs(step)])
    return value if step >= 0 else 1.0 / value


def verbal_step(value: float) -> int:
    """The verbal answer nearest to a judgement on a log scale (inverse of `verbal_value`)."""
    steps = range(-len(VERBAL_SCALE) + 1, len(VERBAL_SCALE))
    return min(steps, key=lambda s: abs(np.log(verbal_value(s)) - np.log(value)))


def judgement_pairs(n: int) -> list[tuple[int, int]]:
    """The n(n-1)/2 questions of a questionnaire, (i, j) with i < j, row by row."""
    return [(i, j) for i in range(n) for j in range(i + 1, n)]


def pairwise_matrix(n: int, judgements: Mapping[tuple[int, int], float]) -> np.ndarray:
    """The reciprocal matrix of answered judgements a_ij (i < j); unanswered pairs count as equal."""
    a = np.ones((n, n))
    for (i, j), value in judgements.items():
        if not (0 <= i < j < n) or not (np.isfinite(value) and value > 0):
            raise ValueError(f"judgement ({i}, {j}) = {value!r}: pairs are i < j < {n}, values > 0")
        a[i, j], a[j, i] = value, 1.0 / value
    return a


@dataclass(frozen=True)
class Inconsistency:
    """The judgement that fits the others least: a_ij as given, and w_i / w_j, the value the
    priorities derived from all the answers imply for it."""

    i: int
    j: int
    given: float
    implied: float

    @property
    def factor(self) -> float:
        """How many times too strong (> 1) or too weak (< 1) the given judgement is."""
        return self.given / self.implied


def most_inconsistent(matrix: Sequence[Sequence[float]], weights: Sequence[float]) -> Inconsistency | None:
    """The judgement with the largest error ε_ij = a_ij w_j / w_i, i.e. the farthest from 1 on a log
    scale (Saaty 2003, EJOR 145:85-91: revise the judgement with the largest ε_ij first). Ties go to
    the first judgement asked (row by row): with 3 criteria every judgement is equally far off, and
    the choice must not depend on rounding noise. None for fewer than 3 criteria, where any set of
    answers is consistent."""
    a = np.asarray(matrix, dtype=float)
    w = np.asarray(weights, dtype=float)
    check_pairwise(a)
    n = a.shape[0]
    if n < 3:
        return None
    error = np.abs(np.log(a * w[None, :] / w[:, None]))
    upper = np.round(np.triu(error, k=1), 9)
    i, j = (int(k) for k in np.unravel_index(np.argmax(upper), upper.shape))
    return Inconsistency(i=i, j=j, given=float(a[i, j]), implied=float(w[i] / w[j]))


@dataclass(frozen=True)
class Swing:
    """A leaf's swing in the study: its worst and best values among the options (by direction)."""

    criterion: str
    worst: float
    best: float


def observed_swings(leaves: Sequence[Criterion], matrix: np.ndarray) -> dict[str, Swing]:
    """Worst -> best value of each leaf among the options (rows of `matrix`, one column a leaf):
    the swing a person weighs is between levels the options actually reach, not the scale's ends."""
    x = np.asarray(matrix, dtype=float)
    out = {}
    for j, leaf in enumerate(leaves):
        column = x[:, j] if x.size else np.array([np.nan])
        low, high = float(np.nanmin(column)), float(np.nanmax(column))
        worst, best = (high, low) if leaf.direction == "cost" else (low, high)
        out[leaf.id] = Swing(leaf.id, worst, best)
    return out
