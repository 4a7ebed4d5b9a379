"""A cost criterion's name follows the horizon in force.

A `source: tco` leaf is worth the options' cost over the cost settings' horizon, and its name says
so in the criteria file ("15-year total cost of ownership", « Coût sur 15 ans »). When a scenario,
a shared link or the Costs page changes the horizon, the values are recomputed over the new one;
the name and description must say the same number of years, or the user reads "15 years" beside
10-year costs. `with_horizon` rewrites the number of years the file gives for its own horizon
(a number followed by a year unit: "15-year", "15 years", "15 ans", "15 années") in the names and
descriptions of the `source: tco` leaves; ids and everything else stay as they are.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from .costs import CostsError, resolve_cost_settings
from .model import CriteriaSet, Criterion, Text

# "-" or spaces (no-break ones too) between the number and its unit; the unit in either language.
_UNIT = r"(?P<sep>[-\s\u00a0\u202f]*)(?P<unit>years?|ans?|années?)\b"


def own_horizon(criteria_set: CriteriaSet) -> int:
    """The horizon the criteria file sets (or the default one), the one its names were written for."""
    try:
        return resolve_cost_settings(criteria_set.cost_settings).horizon
    except CostsError:
        return resolve_cost_settings().horizon


def horizon_in_force(criteria_set: CriteriaSet, cost_settings: Mapping[str, Any] | None = None) -> int:
    """The horizon of the set's settings under `cost_settings` (a scenario's, the session's); the
    set's own when these are invalid (the costs themselves then report the problem)."""
    try:
        return resolve_cost_settings(criteria_set.cost_settings, cost_settings).horizon
    except CostsError:
        return own_horizon(criteria_set)


def retell_years(text: str, written: int, horizon: int) -> str:
    """`text` with "`written` years" said as "`horizon` years" (singular for one year, except in a
    compound such as "1-year")."""
    pattern = re.compile(rf"(?<![\d.,]){written}{_UNIT}", re.IGNORECASE)

    def swap(match: re.Match[str]) -> str:
        sep, unit = match["sep"], match["unit"]
        if "-" not in sep:  # "15 years" -> "1 year"; "15-year" keeps its singular
            base = unit[:-1] if unit.lower().endswith("s") else unit
            unit = base if horizon == 1 else base + ("S" if base.isupper() else "s")
        return f"{horizon}{sep}{unit}"

    return pattern.sub(swap, text)


def _retold(text: Text | None, written: int, horizon: int) -> Text | None:
    if text is None:
        return None
    new = Text(en=retell_years(text.en, written, horizon), fr=retell_years(text.fr, written, horizon))
    return text if new == text else new


def _node(node: Criterion, written: int, horizon: int) -> Criterion:
    children = [_node(c, written, horizon) for c in node.children]
    name, description = node.name, node.description
    if node.source == "tco":
        name = _retold(node.name, written, horizon) or node.name
        description = _retold(node.description, written, horizon)
    if (
        name is node.name
        and description is node.description
        and all(a is b for a, b in zip(children, node.children, strict=True))
    ):
        return node
    return replace(node, name=name, description=description, children=children)


def with_horizon(criteria_set: CriteriaSet, horizon: int) -> CriteriaSet:
    """The set with its cost criteria named for `horizon` years: the same object when nothing
    changes (the horizon is the file's own, or no name gives a number of years)."""
    written = own_horizon(criteria_set)
    if horizon == written:
        return criteria_set
    criteria = [_node(n, written, horizon) for n in criteria_set.criteria]
    if all(a is b for a, b in zip(criteria, criteria_set.criteria, strict=True)):
        return criteria_set
    return replace(criteria_set, criteria=criteria)


def named_for(criteria_set: CriteriaSet, cost_settings: Mapping[str, Any] | None = None) -> CriteriaSet:
    """`with_horizon` for the horizon in force under `cost_settings` (`horizon_in_force`)."""
    return with_horizon(criteria_set, horizon_in_force(criteria_set, cost_settings))
