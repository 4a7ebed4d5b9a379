"""Composed options: a profile that lists `components:` (a host and a software stack, say) takes
each score from its own `scores` if present, else from the one component that scores that
criterion; two components scoring the same criterion without an option-level score is an error
naming both files and lines. Costs follow the same rule: the option's own block, else the one
component that has a block. Components live in a `components/` folder inside the study's
providers folder and are never ranked themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from ..model import Provider, Score
from .checker import Checker

COMPONENTS_DIR = "components"


def where(profile: Provider, score: Score) -> str:
    """`file:line` of a score, for messages and for the evidence shown next to it."""
    return f"{profile.path or profile.id}:{score.line or 1}"


def compose(ck: Checker, option: Provider, components: Mapping[str, Provider]) -> Provider:
    """`option` with the scores and costs it takes from its components; problems go to `ck`."""
    parts = []
    for i, component_id in enumerate(option.components):
        part = components.get(component_id)
        if part is None:
            known = ", ".join(sorted(components)) or "none"
            ck.add(("components", i), f"unknown component {component_id!r} (components found: {known})")
        else:
            parts.append(part)
    scores = {leaf: replace(score, origin=where(option, score)) for leaf, score in option.scores.items()}
    for leaf in sorted({leaf for part in parts for leaf in part.scores} - set(option.scores)):
        givers = [part for part in parts if leaf in part.scores]
        if len(givers) > 1:
            places = " and ".join(where(p, p.scores[leaf]) for p in givers)
            ck.add(("components",), f"scores.{leaf}: scored by both {places}; give the option its own score")
            continue
        scores[leaf] = replace(givers[0].scores[leaf], origin=where(givers[0], givers[0].scores[leaf]))
    costs = option.costs
    if costs is None:
        priced = [part for part in parts if part.costs is not None]
        if len(priced) > 1:
            names = " and ".join(str(p.path or p.id) for p in priced)
            ck.add(("components",), f"costs: both {names} have a cost block; give the option its own")
        elif priced:
            costs = priced[0].costs
    return replace(option, scores=scores, costs=costs)
