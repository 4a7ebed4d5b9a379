"""Robustness of a ranking: one-way weight sweeps, leader-changing thresholds, the smallest
weight change that flips the winner, and SMAA-2 acceptability analysis.

`analyse` runs everything the command line and the Robustness page show and returns one
`Analysis` whose `to_json()` is the `sensitivity` command's JSON; `verdict` turns it into
plain-language sentences in French or English.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..evaluate import resolve_method
from ..i18n import fmt_number, fmt_percent, t
from ..methods import get_method
from ..study import Study
from .draws import SCORE_MODELS, WEIGHT_MODELS, has_ranges
from .flip import Flip, min_change_to_flip
from .rank_reversal import RankReversalAudit, rank_reversal
from .smaa import DEFAULT_CONCENTRATION, DEFAULT_SAMPLES, SmaaResult, smaa
from .sweep import Sweep, Threshold, flip_thresholds, sweep_weights, sweeps

ROBUST, FAIRLY_ROBUST = 0.9, 0.6

__all__ = [
    "DEFAULT_CONCENTRATION",
    "DEFAULT_SAMPLES",
    "SCORE_MODELS",
    "WEIGHT_MODELS",
    "Analysis",
    "Flip",
    "RankReversalAudit",
    "SmaaResult",
    "Sweep",
    "Threshold",
    "analyse",
    "flip_thresholds",
    "has_ranges",
    "min_change_to_flip",
    "rank_reversal",
    "smaa",
    "sweep_weights",
    "sweeps",
    "verdict",
]


@dataclass
class Analysis:
    smaa: SmaaResult
    thresholds: dict[str, Threshold]
    flips: list[Flip] | None  # None: the method is not linear in the weights

    @property
    def leader(self) -> str | None:
        return next((th.leader for th in self.thresholds.values()), None)

    def to_json(self) -> dict[str, Any]:
        return {
            **self.smaa.to_json(),
            "leader": self.leader,
            "flip_thresholds": {leaf: th.to_json() for leaf, th in self.thresholds.items()},
            "min_change_to_flip": [f.to_json() for f in self.flips] if self.flips is not None else None,
        }


def analyse(
    study: Study,
    *,
    method: str | None = None,
    normalization: str | None = None,
    weights: dict[str, float] | None = None,
    samples: int = DEFAULT_SAMPLES,
    seed: int = 0,
    weights_model: str = "uniform",
    concentration: float = DEFAULT_CONCENTRATION,
    scores_model: str = "fixed",
) -> Analysis:
    """SMAA-2, the flip thresholds of every leaf and (methods linear in the weights) the minimal flips."""
    method, normalization = resolve_method(study, method, normalization)
    result = smaa(
        study,
        method=method,
        normalization=normalization,
        weights=weights,
        samples=samples,
        seed=seed,
        weights_model=weights_model,
        concentration=concentration,
        scores_model=scores_model,
    )
    thresholds = flip_thresholds(study, method, normalization, weights)
    linear = get_method(method).linear
    flips = min_change_to_flip(study, weights, normalization, method) if linear else None
    return Analysis(result, thresholds, flips)


def verdict(analysis: Analysis, study: Study, lang: str = "fr") -> list[str]:
    """Plain sentences: how often the leader wins, how sure that figure is, and the nearest flip.

    Levels: "robust" when the leader is first in ≥ 90 % of the draws, "fairly robust" from 60 %,
    else "fragile" (conventional cut-offs of this tool, not from the literature).
    """
    result = analysis.smaa
    names = {p.id: p.name.get(lang) for p in study.providers}
    leader = analysis.leader
    if leader is None:
        return [t("robustness.verdict.no_eligible", lang)]
    i = result.provider_ids.index(leader)
    share = float(result.first_rank[i])
    level = "robust" if share >= ROBUST else "fairly_robust" if share >= FAIRLY_ROBUST else "fragile"
    sentences = [
        t(
            f"robustness.verdict.share.{'weights' if result.weights_model != 'fixed' else 'scores'}",
            lang,
            name=names[leader],
            share=fmt_percent(share, lang),
        )
        + " "
        + t(f"robustness.verdict.level.{level}", lang),
        t(
            "robustness.verdict.error",
            lang,
            margin=fmt_percent(2 * result.standard_error, lang, 1),
            samples=fmt_number(result.samples, lang, 0),
        ),
    ]
    best = max(range(len(result.provider_ids)), key=lambda k: result.first_rank[k])
    if result.provider_ids[best] != leader and result.first_rank[best] > share:
        sentences.append(
            t(
                "robustness.verdict.other_more_often",
                lang,
                name=names[result.provider_ids[best]],
                share=fmt_percent(float(result.first_rank[best]), lang),
            )  # fmt: skip
        )
    sentences.append(_nearest_flip(analysis, study, names, lang))
    return sentences


def _nearest_flip(analysis: Analysis, study: Study, names: dict[str, str], lang: str) -> str:
    near = [th for th in analysis.thresholds.values() if th.distance is not None]
    if not near:
        return t("robustness.verdict.no_flip", lang)
    th = min(near, key=lambda x: x.distance)
    criterion = study.criteria_set.node(th.leaf).name.get(lang)
    up = th.upper is not None and (th.lower is None or th.upper - th.current <= th.current - th.lower)
    values = {
        "criterion": criterion,
        "current": fmt_percent(th.current, lang, 1),
        "value": fmt_percent(th.upper if up else th.lower, lang, 1),
        "name": names.get(th.leader_above if up else th.leader_below, "?"),
    }
    return t(f"robustness.verdict.flip_{'up' if up else 'down'}", lang, **values)
