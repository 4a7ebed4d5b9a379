"""Criteria set files -> `CriteriaSet`: the tree of criteria, scales, must-haves, preferences.

Every problem is named by file, line and field (see `checker.Checker`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..costs.data import SETTING_KEYS
from ..costs.validation import check_settings
from ..model import (
    NORMALIZATIONS,
    PREFERENCE_FUNCTIONS,
    CriteriaSet,
    Criterion,
    Level,
    MustHave,
    Preference,
    Scale,
    Text,
)
from .checker import Checker, kind_of
from .yamlfile import YamlDoc, read_yaml

SET_KEYS = {
    "id", "name", "description", "providers", "method", "normalization", "criteria", "freshness_months",
    "source_policy", "sources", *SETTING_KEYS,
}  # fmt: skip
NODE_KEYS = {"id", "name", "description", "weight", "criteria", "freshness_months"}
LEAF_KEYS = NODE_KEYS | {"direction", "scale", "must_have", "preference", "source"}


def _scale(ck: Checker, raw: Any, path: tuple) -> Scale | None:
    if ck.mapping(raw, path, ("min", "max", "unit", "levels", "anchors")) is None:
        return None
    unit = raw.get("unit", "")
    if not isinstance(unit, str):
        ck.add(path + ("unit",), "expected a string")
        unit = ""
    if "levels" in raw:
        levels = _levels(ck, raw["levels"], path + ("levels",))
        if levels is None:
            return None
        if len(levels) < 2:
            ck.add(path + ("levels",), "an ordinal scale needs at least two levels")
            return None
        values = [lv.value for lv in levels]
        if len(set(values)) != len(values):
            ck.add(path + ("levels",), "level values must be distinct")
            return None
        for key in ("min", "max"):
            if key in raw:
                ck.add(path + (key,), "an ordinal scale takes its bounds from its levels")
        return Scale(min=min(values), max=max(values), unit=unit, levels=tuple(levels))
    if "min" not in raw or "max" not in raw:
        ck.add(path, "a numeric scale needs 'min' and 'max' (or give 'levels')")
        return None
    lo, hi = ck.number(raw["min"], path + ("min",)), ck.number(raw["max"], path + ("max",))
    if lo is None or hi is None:
        return None
    if not lo < hi:
        ck.add(path, f"'min' ({lo:g}) must be below 'max' ({hi:g})")
        return None
    anchors = _levels(ck, raw.get("anchors", []), path + ("anchors",)) or []
    for i, anchor in enumerate(anchors):
        if not lo <= anchor.value <= hi:
            ck.add(path + ("anchors", i, "value"), f"anchor {anchor.value:g} is outside [{lo:g}, {hi:g}]")
    return Scale(min=lo, max=hi, unit=unit, anchors=tuple(anchors))


def _levels(ck: Checker, raw: Any, path: tuple) -> list[Level] | None:
    if not isinstance(raw, list):
        ck.add(path, f"expected a list of {{value, label}}, got {kind_of(raw)}")
        return None
    out = []
    for i, item in enumerate(raw):
        if ck.mapping(item, path + (i,), ("value", "label"), ("value", "label")) is None:
            continue
        value = ck.number(item.get("value"), path + (i, "value")) if "value" in item else None
        label = ck.text(item.get("label"), path + (i, "label"))
        if value is not None and label is not None:
            out.append(Level(value, label))
    return out


def must_have_rule(ck: Checker, raw: Any, path: tuple, scale: Scale | None) -> MustHave | None:
    if ck.mapping(raw, path, ("min", "max", "in")) is None or not raw:
        if isinstance(raw, dict):
            ck.add(path, "give 'min', 'max' or 'in'")
        return None

    def value(item: Any, where: tuple) -> float | None:
        if scale is None:  # a scenario read without its set: plain numbers
            return ck.number(item, where)
        number = scale.value_of(item)
        if number is None:
            ck.add(where, f"{item!r} is not a value of the criterion's scale")
        return number

    lo = value(raw["min"], path + ("min",)) if "min" in raw else None
    hi = value(raw["max"], path + ("max",)) if "max" in raw else None
    allowed = None
    if "in" in raw:
        if not isinstance(raw["in"], list) or not raw["in"]:
            ck.add(path + ("in",), "expected a non-empty list")
        else:
            found = [value(v, path + ("in", i)) for i, v in enumerate(raw["in"])]
            allowed = tuple(v for v in found if v is not None)
    return MustHave(min=lo, max=hi, allowed=allowed)


def _preference(ck: Checker, raw: Any, path: tuple) -> Preference | None:
    if ck.mapping(raw, path, ("function", "q", "p", "s"), ("function",)) is None:
        return None
    function = ck.string(raw.get("function"), path + ("function",), PREFERENCE_FUNCTIONS)
    params = {k: ck.number(raw[k], path + (k,), minimum=0) for k in ("q", "p", "s") if k in raw}
    needs = {"u-shape": "q", "v-shape": "p", "level": "qp", "linear": "qp", "gaussian": "s"}.get(function or "", "")
    for key in needs:
        if key not in raw:
            ck.add(path, f"function {function!r} needs '{key}'")
    if function is None or any(v is None for v in params.values()):
        return None
    q, p, s = params.get("q", 0.0), params.get("p", 0.0), params.get("s", 0.0)
    if "q" in needs and "p" in needs and q > p:
        ck.add(path, f"'q' ({q:g}) must not exceed 'p' ({p:g})")
    if function in ("v-shape", "linear") and "p" in needs and p <= 0:
        ck.add(path + ("p",), "'p' must be > 0")
    if function == "gaussian" and s <= 0:
        ck.add(path + ("s",), "'s' must be > 0")
    return Preference(function=function, q=q, p=p, s=s)


def _criterion(ck: Checker, raw: Any, path: tuple, seen: dict[str, tuple]) -> Criterion | None:
    if not isinstance(raw, dict):
        ck.add(path, f"expected a criterion mapping, got {kind_of(raw)}")
        return None
    group = "criteria" in raw
    ck.mapping(raw, path, NODE_KEYS if group else LEAF_KEYS, ("id", "name"))
    node_id = ck.ident(raw.get("id"), path + ("id",)) if "id" in raw else None
    if node_id is not None:
        if node_id in seen:
            ck.add(path + ("id",), f"duplicate id {node_id!r} (first at line {ck.doc.line(seen[node_id])})")
        seen.setdefault(node_id, path + ("id",))
    name = ck.text(raw.get("name"), path + ("name",)) if "name" in raw else None
    description = ck.text(raw.get("description"), path + ("description",), required=False)
    weight = ck.number(raw.get("weight", 1), path + ("weight",), minimum=0)
    node = Criterion(
        id=node_id or "?",
        name=name or Text.plain(node_id or "?"),
        weight=1.0 if weight is None else weight,
        description=description,
        freshness_months=ck.months(raw["freshness_months"], path + ("freshness_months",))
        if "freshness_months" in raw
        else None,
        line=ck.doc.line(path),
    )
    if group:
        children = raw["criteria"]
        if not isinstance(children, list) or not children:
            ck.add(path + ("criteria",), "a group needs a non-empty list of criteria")
            return node
        built = (_criterion(ck, child, path + ("criteria", i), seen) for i, child in enumerate(children))
        node.children = [c for c in built if c is not None]
        return node
    node.direction = ck.string(raw.get("direction", "benefit"), path + ("direction",), ("benefit", "cost")) or "benefit"
    if "scale" not in raw:
        ck.add(path, "a leaf needs a 'scale' ({min, max, unit} or {levels})")
    else:
        node.scale = _scale(ck, raw["scale"], path + ("scale",))
    if "source" in raw:
        node.source = ck.string(raw["source"], path + ("source",), ("tco",))
    if "must_have" in raw:
        node.must_have = must_have_rule(ck, raw["must_have"], path + ("must_have",), node.scale)
    if "preference" in raw:
        node.preference = _preference(ck, raw["preference"], path + ("preference",))
    return node


def criteria_set_from_doc(doc: YamlDoc, path: Path | None = None) -> CriteriaSet:
    """A criteria set from a parsed document; raises LoadError listing every problem."""
    ck = Checker(doc)
    raw = ck.mapping(doc.data, (), SET_KEYS, ("id", "name", "criteria"))
    if raw is None:
        ck.fail_if_any()
    set_id = ck.ident(raw.get("id"), ("id",)) if "id" in raw else None
    name = ck.text(raw.get("name"), ("name",)) if "name" in raw else None
    description = ck.text(raw.get("description"), ("description",), required=False)
    providers = ck.string(raw["providers"], ("providers",)) if "providers" in raw else None
    method = ck.method(raw["method"], ("method",)) if "method" in raw else None
    normalization = (
        ck.string(raw["normalization"], ("normalization",), NORMALIZATIONS) if "normalization" in raw else None
    )
    seen: dict[str, tuple] = {}
    criteria = []
    if isinstance(raw.get("criteria"), list) and raw["criteria"]:
        built = (_criterion(ck, child, ("criteria", i), seen) for i, child in enumerate(raw["criteria"]))
        criteria = [c for c in built if c is not None]
    elif "criteria" in raw:
        ck.add(("criteria",), "expected a non-empty list of criteria")
    freshness = ck.months(raw["freshness_months"], ("freshness_months",)) if "freshness_months" in raw else None
    policy = ck.string(raw["source_policy"], ("source_policy",)) if "source_policy" in raw else None
    sources = ck.sources(raw["sources"], ("sources",)) if "sources" in raw else ()
    cost_settings = {k: raw[k] for k in SETTING_KEYS if k in raw}
    check_settings(ck, cost_settings)
    ck.fail_if_any()
    if sum(c.weight for c in criteria) <= 0:
        ck.add(("criteria",), "the top-level weights are all zero")
        ck.fail_if_any()
    return CriteriaSet(
        id=set_id or "?",
        name=name or Text.plain(set_id or "?"),
        criteria=criteria,
        description=description,
        providers=providers,
        method=method,
        normalization=normalization,
        cost_settings=cost_settings,
        freshness_months=freshness,
        source_policy=policy,
        sources=sources,
        path=path,
        warnings=ck.warnings,
    )


def load_criteria_set(path: Path | str) -> CriteriaSet:
    """Read and check a criteria set file (see docs/formats.md)."""
    path = Path(path)
    return criteria_set_from_doc(read_yaml(path), path)
