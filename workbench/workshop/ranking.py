"""Rankings in a workshop: each participant's own (stored with the ballot, so the database can
count rank sums and wins) and the group's under an aggregated weighting."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from ..errors import WorkbenchError
from ..evaluate import eligibility, evaluate, rank, score_batch
from ..methods import get_method
from ..study import Study
from .aggregate import leaf_to_node_weights


def own_ranking(
    study: Study, leaf_weights: Mapping[str, float], method: str, normalization: str | None
) -> dict[str, int]:
    """Each provider's rank under one participant's leaf weights (ties share the lowest rank;
    options failing a must-have come after the others, as in workbench.evaluate); empty when the
    method cannot score this study."""
    w = np.array([[leaf_weights.get(leaf, 0.0) for leaf in study.leaf_ids]])
    try:
        scores = score_batch(study, w, method, normalization)[0]
    except WorkbenchError:
        return {}
    ranks = rank(scores, eligibility(study), get_method(method).higher_is_better)
    return {p: int(r) for p, r in zip(study.provider_ids, ranks, strict=True)}


def group_ranking(
    study: Study, method: str, normalization: str | None, leaf_weights: Mapping[str, float]
) -> list[dict[str, Any]]:
    """The ranking under an aggregated weighting (rank, score, eligibility per option); empty when
    the method cannot score this study."""
    nodes = leaf_to_node_weights(study.criteria_set, leaf_weights)
    try:
        ev = evaluate(study, method, normalization, nodes)
    except WorkbenchError:
        return []
    return [{"id": r.id, "name": r.name, "rank": r.rank, "score": r.score, "eligible": r.eligible} for r in ev.results]
