"""Model objects -> plain data for a record, in the study file formats (docs/formats.md).

The criteria tree is written exactly as a criteria set file writes it, so the verifier rebuilds
it with the same loader (`criteria_set_from_doc`) and every rule of the format applies again.
Evidence (a score's rationale, sources, confidence, range...) is written field by field from
whatever the loaded model holds, so a field added to `Score` or `Source` reaches the record
without a change here.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from ..costs import Amount, Costs
from ..model import CriteriaSet, Criterion, MustHave, Preference, Scale, Text

# Where a value stood in its file: useful to its author, meaningless in a record.
LOCAL_FIELDS = frozenset({"line", "path"})


def text_data(text: Text | None) -> str | dict[str, str] | None:
    return None if text is None else text.to_data()


def model_data(value: Any) -> Any:
    """A dataclass (and what it holds) as plain data: texts as in the files, empty fields left out."""
    if isinstance(value, Text):
        return value.to_data()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        out = {}
        for f in dataclasses.fields(value):
            item = getattr(value, f.name)
            if f.name in LOCAL_FIELDS or item is None or item == "" or item == () or item is False:
                continue
            out[f.name] = model_data(item)
        return out
    if isinstance(value, Mapping):
        return {str(k): model_data(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [model_data(v) for v in value]
    return value


def evidence_data(score: Any) -> dict[str, Any]:
    """A score's evidence: every field of the loaded `Score` but its value and its file line."""
    data = model_data(score) if score is not None else {}
    data.pop("value", None)
    return data


def scale_data(scale: Scale) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if scale.levels:
        out["levels"] = [{"value": lv.value, "label": lv.label.to_data()} for lv in scale.levels]
    else:
        out["min"], out["max"] = scale.min, scale.max
        if scale.anchors:
            out["anchors"] = [{"value": a.value, "label": a.label.to_data()} for a in scale.anchors]
    if scale.unit:
        out["unit"] = scale.unit
    return out


def preference_data(pref: Preference) -> dict[str, Any]:
    return {"function": pref.function, "q": pref.q, "p": pref.p, "s": pref.s}


def node_data(
    node: Criterion, weights: Mapping[str, float], rules: Mapping[str, MustHave | None] | None = None
) -> dict[str, Any]:
    """One node of the tree in the criteria-file format, with its weight and must-have in force
    (`rules`: leaf id -> the rule in force, when a scenario adds or replaces one)."""
    out: dict[str, Any] = {"id": node.id, "name": node.name.to_data(), "weight": weights.get(node.id, node.weight)}
    if node.description is not None:
        out["description"] = node.description.to_data()
    if node.children:
        out["criteria"] = [node_data(child, weights, rules) for child in node.children]
        return out
    out["direction"] = node.direction
    if node.scale is not None:
        out["scale"] = scale_data(node.scale)
    rule = rules.get(node.id, node.must_have) if rules is not None else node.must_have
    if rule is not None:
        out["must_have"] = rule.to_data()
    if node.preference is not None:
        out["preference"] = preference_data(node.preference)
    if node.source is not None:
        out["source"] = node.source
    return out


def criteria_set_data(
    criteria_set: CriteriaSet, weights: Mapping[str, float], rules: Mapping[str, MustHave | None] | None = None
) -> dict[str, Any]:
    """The set's identity and tree as a criteria file holds them (no method, providers or costs:
    the record keeps those in fields of their own)."""
    out: dict[str, Any] = {"id": criteria_set.id, "name": criteria_set.name.to_data()}
    if criteria_set.description is not None:
        out["description"] = criteria_set.description.to_data()
    out["criteria"] = [node_data(node, weights, rules) for node in criteria_set.criteria]
    return out


def amount_data(amount: Amount) -> float | dict[str, float]:
    if amount.is_range or amount.low != amount.likely:
        return {"low": amount.low, "likely": amount.likely, "high": amount.high}
    return amount.likely


def costs_data(costs: Costs) -> dict[str, Any]:
    """What the NPV is computed from, in the profile's `costs:` format (sources kept apart);
    `per_seat` only when the block has per-seat amounts."""
    out: dict[str, Any] = {
        "currency": costs.currency,
        "one_off": {name: amount_data(a) for name, a in costs.one_off.items()},
        "annual": {name: amount_data(a) for name, a in costs.annual.items()},
        "escalation": amount_data(costs.escalation),
        "exit": amount_data(costs.exit),
    }
    if costs.per_seat:
        out["per_seat"] = {
            "one_off": {name: amount_data(a) for name, a in costs.per_seat_one_off.items()},
            "annual": {name: amount_data(a) for name, a in costs.per_seat_annual.items()},
        }
    return out
