"""Build in-memory studies from plain arrays, for engine tests."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from workbench.model import CriteriaSet, Criterion, MustHave, Preference, Provider, Scale, Score, Text
from workbench.study import Study, build_study


def make_study(
    matrix: Sequence[Sequence[float]],
    cost: Sequence[bool] | None = None,
    weights: Sequence[float] | None = None,
    *,
    bounds: Sequence[tuple[float, float]] | None = None,
    prefs: Sequence[Preference | None] | None = None,
    must_haves: dict[int, MustHave] | None = None,
) -> Study:
    x = np.asarray(matrix, dtype=float)
    n, m = x.shape
    cost = list(cost) if cost is not None else [False] * m
    weights = list(weights) if weights is not None else [1.0] * m
    if bounds is None:
        lo, hi = x.min(axis=0), x.max(axis=0)
        bounds = [(float(a), float(b) if b > a else float(a) + 1.0) for a, b in zip(lo, hi, strict=True)]
    leaves = []
    for j in range(m):
        leaves.append(
            Criterion(
                id=f"c{j}",
                name=Text.plain(f"C{j}"),
                weight=float(weights[j]),
                direction="cost" if cost[j] else "benefit",
                scale=Scale(min=bounds[j][0], max=bounds[j][1]),
                preference=prefs[j] if prefs else None,
                must_have=(must_haves or {}).get(j),
            )
        )
    cs = CriteriaSet(id="generated", name=Text.plain("Generated"), criteria=leaves)
    providers = [
        Provider(id=f"a{i}", name=Text.plain(f"A{i}"), scores={f"c{j}": Score(value=float(x[i, j])) for j in range(m)})
        for i in range(n)
    ]
    return build_study(cs, providers)
