"""One-way weight sweeps and the weights at which the leader changes.

For leaf j with current global weight w_j, the sweep moves its weight to t ∈ [0, 1] while the
other leaves keep their proportions:

    w(t) = t·e_j + (1 − t)·w_{−j}/(1 − w_j)

(when every other leaf weighs 0, they share 1 − t equally). The leader is the top-ranked eligible
alternative (`workbench.evaluate.rank` with the study's must-haves).

Thresholds: `lower` is the largest t < w_j and `upper` the smallest t > w_j at which the leader
changes; None where it never does on [0, 1].

* methods linear in the weights (weighted sum, PROMETHEE II: `Method.linear`): the values the
  method reads do not depend on the weights, so each score is linear in t,
  s_i(t) = s_i(0) + t·(s_i(1) − s_i(0)), and a threshold is where the leader's line meets another
  eligible alternative's line: t = (s_L(0) − s_i(0)) / ((s_i(1) − s_i(0)) − (s_L(1) − s_L(0))).
  Exact.
* other methods: the leader is read on a grid of t, then every change next to w_j is narrowed
  by repeated subdivision of its grid cell (each round splits it into `SUBDIVISION` parts, all in
  one batch call) until the cell is narrower than 1e-4. Two leader changes inside one grid cell
  (of width 1/GRID) can be missed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ..evaluate import eligibility, rank, resolve_method, score_batch
from ..methods import get_method
from ..study import Study

GRID = 201
SUBDIVISION = 32
TOLERANCE = 1e-4
LINE_TOLERANCE = 1e-12


@dataclass
class Threshold:
    """Where the leader changes as one leaf's weight moves (module docstring)."""

    leaf: str
    current: float
    lower: float | None
    upper: float | None
    leader: str | None
    leader_below: str | None
    leader_above: str | None

    @property
    def distance(self) -> float | None:
        """The smallest weight change, either way, that changes the leader (None: none does)."""
        gaps = [abs(v - self.current) for v in (self.lower, self.upper) if v is not None]
        return min(gaps) if gaps else None

    def to_json(self) -> dict[str, Any]:
        return {
            "current": self.current,
            "lower": self.lower,
            "upper": self.upper,
            "leader_below": self.leader_below,
            "leader_above": self.leader_above,
        }


@dataclass
class Sweep:
    """Scores and ranks of every alternative along one leaf's sweep."""

    leaf: str
    t: np.ndarray  # T
    scores: np.ndarray  # T × n
    ranks: np.ndarray  # T × n
    threshold: Threshold


def sweep_weights(w0: np.ndarray, j: int, t: np.ndarray) -> np.ndarray:
    """W (T × m): w(t) = t·e_j + (1 − t)·w_{−j}/(1 − w_j) for each t."""
    m = w0.shape[0]
    rest = np.array(w0, dtype=float)
    rest[j] = 0.0
    total = rest.sum()
    # Every other leaf at 0: nothing to keep in proportion, so they share 1 − t equally.
    rest = np.where(np.arange(m) == j, 0.0, 1.0 / max(m - 1, 1)) if total <= 0 else rest / total
    t = np.asarray(t, dtype=float)[:, None]
    w = (1.0 - t) * rest[None, :]
    w[:, j] += t[:, 0]
    return w


def _leaders(scores: np.ndarray, eligible: np.ndarray, higher_is_better: bool) -> np.ndarray:
    """Index of the leader in each row (−1 when no alternative is eligible).

    The leader is the first alternative, in study order, with rank 1 among the eligible ones.
    """
    if not eligible.any():
        return np.full(scores.shape[0], -1)
    ranks = rank(scores, eligible, higher_is_better)
    return np.argmax(ranks == 1, axis=1)


class _Context:
    """The fixed inputs of every sweep of one study: method, weights, eligibility."""

    def __init__(self, study: Study, method: str | None, normalization: str | None, weights: dict[str, float] | None):
        self.study = study
        self.method, self.normalization = resolve_method(study, method, normalization)
        self.info = get_method(self.method)
        self.higher = self.info.higher_is_better
        self.w0 = study.weight_vector(weights)
        self.eligible = eligibility(study)

    def scores(self, w: np.ndarray) -> np.ndarray:
        return score_batch(self.study, w, self.method, self.normalization)

    def leaders(self, j: int, t: np.ndarray) -> np.ndarray:
        return _leaders(self.scores(sweep_weights(self.w0, j, t)), self.eligible, self.higher)

    def lost(self, j: int, t: np.ndarray, leader: int) -> tuple[np.ndarray, np.ndarray]:
        """Whether `leader` no longer ranks first at each t (a shared first place is kept), and
        who leads there (the first other alternative ranked first)."""
        ranks = rank(self.scores(sweep_weights(self.w0, j, t)), self.eligible, self.higher)
        lost = ranks[:, leader] != 1
        return lost, np.argmax(ranks == 1, axis=1)

    def name(self, i: int | None) -> str | None:
        return None if i is None or i < 0 else self.study.provider_ids[i]


def flip_thresholds(
    study: Study,
    method: str | None = None,
    normalization: str | None = None,
    weights: dict[str, float] | None = None,
) -> dict[str, Threshold]:
    """The leader-changing weights of every leaf (module docstring)."""
    ctx = _Context(study, method, normalization, weights)
    return {leaf: _threshold(ctx, j) for j, leaf in enumerate(study.leaf_ids)}


def sweeps(
    study: Study,
    method: str | None = None,
    normalization: str | None = None,
    weights: dict[str, float] | None = None,
    points: int = 101,
) -> dict[str, Sweep]:
    """Scores and ranks of every alternative at `points` weights t ∈ [0, 1], for every leaf."""
    ctx = _Context(study, method, normalization, weights)
    t = np.linspace(0.0, 1.0, points)
    out = {}
    for j, leaf in enumerate(study.leaf_ids):
        scores = ctx.scores(sweep_weights(ctx.w0, j, t))
        ranks = rank(scores, ctx.eligible, ctx.higher)
        out[leaf] = Sweep(leaf, t, scores, ranks, _threshold(ctx, j))
    return out


def _threshold(ctx: _Context, j: int) -> Threshold:
    current = float(ctx.w0[j])
    leaf = ctx.study.leaf_ids[j]
    leader = int(ctx.leaders(j, np.array([current]))[0])
    if leader < 0 or len(ctx.w0) < 2:
        return Threshold(leaf, current, None, None, ctx.name(leader), None, None)
    if ctx.info.linear:
        lower, below, upper, above = _linear_crossings(ctx, j, leader, current)
    else:
        lower, below, upper, above = _searched_crossings(ctx, j, leader, current)
    return Threshold(leaf, current, lower, upper, ctx.name(leader), ctx.name(below), ctx.name(above))


def _linear_crossings(
    ctx: _Context, j: int, leader: int, current: float
) -> tuple[float | None, int | None, float | None, int | None]:
    """Exact crossings of the leader's score line with every other eligible line."""
    ends = ctx.scores(sweep_weights(ctx.w0, j, np.array([0.0, 1.0])))
    sign = 1.0 if ctx.higher else -1.0
    a, b = sign * ends[0], sign * (ends[1] - ends[0])  # s_i(t) = a_i + b_i t, higher is better
    lower = upper = None
    below = above = None
    for i in np.flatnonzero(ctx.eligible):
        if i == leader:
            continue
        slope = b[i] - b[leader]
        if abs(slope) <= LINE_TOLERANCE:
            continue
        t_cross = (a[leader] - a[i]) / slope
        # A crossing at an end of [0, 1] is only a shared first place there, not a change.
        if not LINE_TOLERANCE < t_cross < 1.0 - LINE_TOLERANCE:
            continue
        # Above the crossing i overtakes when its line is steeper; below it, when it is flatter.
        if (
            slope > 0
            and t_cross >= current
            and (upper is None or t_cross < upper or _steeper(b, i, above, t_cross, upper))
        ):
            upper, above = float(t_cross), int(i)
        elif (
            slope < 0
            and t_cross <= current
            and (lower is None or t_cross > lower or _flatter(b, i, below, t_cross, lower))
        ):
            lower, below = float(t_cross), int(i)
    return lower, below, upper, above


def _steeper(b: np.ndarray, i: int, other: int | None, t: float, best: float | None) -> bool:
    """At an equal crossing point the steepest line leads just above it."""
    return other is not None and best is not None and abs(t - best) <= LINE_TOLERANCE and b[i] > b[other]


def _flatter(b: np.ndarray, i: int, other: int | None, t: float, best: float | None) -> bool:
    """At an equal crossing point the flattest line leads just below it."""
    return other is not None and best is not None and abs(t - best) <= LINE_TOLERANCE and b[i] < b[other]


def _searched_crossings(
    ctx: _Context, j: int, leader: int, current: float
) -> tuple[float | None, int | None, float | None, int | None]:
    """Leader changes nearest to `current` on a grid, each narrowed to TOLERANCE."""
    grid = np.union1d(np.linspace(0.0, 1.0, GRID), [current])
    lost, _ = ctx.lost(j, grid, leader)
    c = int(np.searchsorted(grid, current))
    lower = upper = None
    below = above = None
    changed = np.flatnonzero(lost[c + 1 :])
    if changed.size:
        k = c + 1 + int(changed[0])
        upper, above = _narrow(ctx, j, leader, grid[k - 1], grid[k], upward=True)
    changed = np.flatnonzero(lost[:c][::-1])
    if changed.size:
        k = c - 1 - int(changed[0])
        lower, below = _narrow(ctx, j, leader, grid[k], grid[k + 1], upward=False)
    return lower, below, upper, above


def _narrow(ctx: _Context, j: int, leader: int, lo: float, hi: float, *, upward: bool) -> tuple[float, int]:
    """Shrink [lo, hi] (leader first on the near side, not on the far side) below TOLERANCE.

    Returns the far-side end (the first weight at which the leader has lost first place, to
    within TOLERANCE) and the alternative that leads there.
    """
    while hi - lo > TOLERANCE:
        t = np.linspace(lo, hi, SUBDIVISION + 1)
        lost, _ = ctx.lost(j, t, leader)
        if upward:
            k = int(np.flatnonzero(lost)[0])
            lo, hi = t[k - 1], t[k]
        else:
            k = int(np.flatnonzero(lost)[-1])
            lo, hi = t[k], t[k + 1]
    far = hi if upward else lo
    _, leaders = ctx.lost(j, np.array([far]), leader)
    return float(far), int(leaders[0])
