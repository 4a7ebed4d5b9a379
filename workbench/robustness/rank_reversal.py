"""Rank-reversal audit: does the order of two options depend on a third one?

Two tests from the rank-reversal literature (Belton & Gear 1983 on AHP; Wang & Triantaphyllou
2008, Omega 36(1):45-63, test criteria 1-3; García-Cascales & Lamata 2012 on TOPSIS):

* removal: take each option out in turn and re-rank the others;
* dominated copy: add, for each option in turn, a copy made a little worse on every criterion
  (by `degradation` × the criterion's scale range, kept inside the scale: a value already at the
  worst end stays there) and re-rank the original options.

A pair's order is "a ahead", "b ahead" or "tied" (the engine's rank rule: eligible before
ineligible, then scores more than 1e-9 apart); a pair is reported when that order changes.

Why it can happen: a normalisation that reads the other options (minmax, vector, max, sum,
linear), TOPSIS's ideal points, VIKOR's best and worst values and PROMETHEE's pairwise flows all
move when the set of options moves. With the `scale` normalisation (declared bounds) an additive
method scores each option from its own values only, so the audit finds nothing.

Every variant of the study is scored in one batch: the n removals are n matrices of n − 1
options, the n copies n matrices of n + 1 options, each fed to the method's drawn-matrix scorer
(`DrawScorer`) in one call.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..evaluate import TIE_TOLERANCE, eligibility, resolve_method
from ..i18n import t
from ..methods import get_method
from ..study import Study
from .draws import score_draws

DEFAULT_DEGRADATION = 0.05


@dataclass(frozen=True)
class Reversal:
    """One variant of the study (`option` removed, or copied worse) and the pairs it reorders."""

    option: str
    flipped_pairs: list[tuple[str, str]]


@dataclass
class RankReversalAudit:
    method: str
    normalization: str | None
    degradation: float
    removals: list[Reversal]
    dominated_copies: list[Reversal]

    @property
    def count(self) -> int:
        """How many variants reorder at least one pair."""
        return sum(bool(r.flipped_pairs) for r in self.removals + self.dominated_copies)

    def to_json(self) -> dict[str, Any]:
        return {
            "rank_reversal": {
                "method": self.method,
                "normalization": self.normalization,
                "degradation": self.degradation,
                "removals": [
                    {"removed": r.option, "flipped_pairs": [list(p) for p in r.flipped_pairs]} for r in self.removals
                ],
                "dominated_copies": [
                    {"copy_of": r.option, "flipped_pairs": [list(p) for p in r.flipped_pairs]}
                    for r in self.dominated_copies
                ],
            }
        }


def rank_reversal(
    study: Study,
    method: str | None = None,
    normalization: str | None = None,
    weights: Mapping[str, float] | None = None,
    *,
    degradation: float = DEFAULT_DEGRADATION,
) -> RankReversalAudit:
    """Remove each option in turn, then add a dominated copy of each in turn (module docstring)."""
    method, normalization = resolve_method(study, method, normalization)
    higher = get_method(method).higher_is_better
    x = study.matrix
    n, m = x.shape
    w = study.weight_vector(dict(weights or {}))
    eligible = eligibility(study)
    ids = study.provider_ids
    base = _ahead(score_draws(study, w[None, :], x[None], method, normalization), eligible[None, :], higher)[0]

    removals: list[Reversal] = []
    if n > 1:
        keep = np.array([[i for i in range(n) if i != k] for k in range(n)])  # n × (n − 1)
        scores = score_draws(study, np.repeat(w[None, :], n, axis=0), x[keep], method, normalization)
        ahead = _ahead(scores, eligible[keep], higher)
        for k in range(n):
            before = base[np.ix_(keep[k], keep[k])]
            removals.append(Reversal(ids[k], _flips(before, ahead[k], [ids[i] for i in keep[k]])))

    copies = _dominated_copies(study, degradation)  # n × m
    stacked = np.concatenate([np.repeat(x[None], n, axis=0), copies[:, None, :]], axis=1)  # n × (n + 1) × m
    scores = score_draws(study, np.repeat(w[None, :], n, axis=0), stacked, method, normalization)
    ahead = _ahead(scores[:, :n], np.repeat(eligible[None, :], n, axis=0), higher)
    dominated = [Reversal(ids[k], _flips(base, ahead[k], ids)) for k in range(n)]
    return RankReversalAudit(method, normalization, degradation, removals, dominated)


def _dominated_copies(study: Study, degradation: float) -> np.ndarray:
    """Row k: option k made worse by `degradation` of each scale's range, clipped to the scale."""
    step = degradation * (study.upper - study.lower)
    worse = np.where(study.cost_mask, study.matrix + step, study.matrix - step)
    return np.clip(worse, study.lower, study.upper)


def _ahead(scores: np.ndarray, eligible: np.ndarray, higher_is_better: bool) -> np.ndarray:
    """ahead[k, a, b]: in variant k, a ranks ahead of b (the rule of `evaluate.rank`)."""
    key = scores if higher_is_better else -scores
    first = eligible[:, :, None] & ~eligible[:, None, :]
    same = eligible[:, :, None] == eligible[:, None, :]
    return first | (same & (key[:, :, None] > key[:, None, :] + TIE_TOLERANCE))


def _flips(before: np.ndarray, after: np.ndarray, ids: list[str]) -> list[tuple[str, str]]:
    """Pairs whose order (a ahead, b ahead, tied) differs; each written leader-first as before."""
    changed = (before != after) | (before.T != after.T)
    out = []
    for a, b in zip(*np.nonzero(np.triu(changed, k=1)), strict=True):
        pair = (ids[a], ids[b]) if before[a, b] or not before[b, a] else (ids[b], ids[a])
        out.append(pair)
    return out


def describe(audit: RankReversalAudit, names: Mapping[str, str], lang: str = "fr") -> list[str]:
    """The audit in plain sentences (French or English): one per variant that reorders a pair,
    naming at most five pairs."""
    if not audit.count:
        return [t("robustness.reversal.none", lang)]
    out = []
    for kind, reversals in (("removals", audit.removals), ("dominated_copies", audit.dominated_copies)):
        for r in reversals:
            if r.flipped_pairs:
                shown = ", ".join(f"{names.get(a, a)} / {names.get(b, b)}" for a, b in r.flipped_pairs[:5])
                extra = len(r.flipped_pairs) - 5
                pairs = shown + (f" (+{extra})" if extra > 0 else "")
                out.append(t(f"robustness.reversal.{kind}", lang, name=names.get(r.option, r.option), pairs=pairs))
    return out
