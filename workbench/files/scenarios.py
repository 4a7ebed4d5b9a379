"""Scenario files (and uploaded scenario text) -> `Scenario`: one analysis, reopenable.

With the criteria set and the provider ids, every id a scenario names is checked; cost settings
go through `costs.validation.check_settings` with the same checker.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..costs.data import SETTING_KEYS
from ..costs.validation import check_settings
from ..model import NORMALIZATIONS, CriteriaSet, Criterion, MustHave, Override, Scenario
from .checker import MAX_TEXT, Checker, kind_of
from .criteria import must_have_rule
from .yamlfile import YamlDoc, parse_yaml, read_yaml

SCENARIO_KEYS = {
    "criteria",
    "providers",
    "method",
    "normalization",
    "weights",
    "notes",
    "overrides",
    "disabled_must_haves",
    "title",
    "include_references",
    "must_haves",
    *SETTING_KEYS,
}


def scenario_from_doc(
    doc: YamlDoc,
    criteria_set: CriteriaSet | None = None,
    provider_ids: Iterable[str] | None = None,
    path: Path | None = None,
) -> Scenario:
    """Build a scenario; with a criteria set and provider ids, every id it names is checked."""
    ck = Checker(doc)
    raw = ck.mapping(doc.data if doc.data is not None else {}, (), SCENARIO_KEYS)
    if raw is None:
        ck.fail_if_any()
    sc = Scenario(path=path)
    nodes = {n.id: n for n in criteria_set.nodes()} if criteria_set else None
    known_providers = set(provider_ids) if provider_ids is not None else None
    if "criteria" in raw:
        sc.criteria = ck.string(raw["criteria"], ("criteria",))
    if raw.get("method") is not None:
        sc.method = ck.method(raw["method"], ("method",))
    if raw.get("normalization") is not None:
        sc.normalization = ck.string(raw["normalization"], ("normalization",), NORMALIZATIONS)
    if "include_references" in raw:
        if isinstance(raw["include_references"], bool):
            sc.include_references = raw["include_references"]
        else:
            ck.add(("include_references",), "expected true or false")
    for key in ("notes", "title"):
        if raw.get(key) is not None:
            setattr(sc, key, (ck.string(raw[key], (key,)) or "")[:MAX_TEXT])
    if raw.get("providers") is not None:
        ids = raw["providers"]
        if not isinstance(ids, list):
            ck.add(("providers",), "expected a list of provider ids")
        else:
            sc.providers = []
            for i, pid in enumerate(ids):
                pid = ck.ident(pid, ("providers", i))
                if pid and known_providers is not None and pid not in known_providers:
                    ck.add(("providers", i), f"unknown provider {pid!r}")
                elif pid:
                    sc.providers.append(pid)
    if raw.get("weights") is not None:
        weights = raw["weights"]
        if not isinstance(weights, dict):
            ck.add(("weights",), "expected a mapping of criterion id to weight")
        else:
            for key, w in weights.items():
                number = ck.number(w, ("weights", key), minimum=0)
                if nodes is not None and str(key) not in nodes:
                    ck.add(("weights", key), f"unknown criterion {key!r}")
                elif number is not None:
                    sc.weights[str(key)] = number
    if raw.get("disabled_must_haves") is not None:
        ids = raw["disabled_must_haves"]
        if not isinstance(ids, list):
            ck.add(("disabled_must_haves",), "expected a list of criterion ids")
        else:
            for i, cid in enumerate(ids):
                if not isinstance(cid, str):
                    ck.add(("disabled_must_haves", i), f"expected a criterion id, got {kind_of(cid)}")
                elif nodes is not None and cid not in nodes:
                    ck.add(("disabled_must_haves", i), f"unknown criterion {cid!r}")
                else:
                    sc.disabled_must_haves.append(cid)
    if raw.get("must_haves") is not None:
        sc.must_haves = _must_haves(ck, raw["must_haves"], nodes)
    if raw.get("overrides") is not None:
        sc.overrides = _overrides(ck, raw["overrides"], nodes, known_providers)
    sc.cost_settings = {k: raw[k] for k in SETTING_KEYS if k in raw}
    check_settings(ck, sc.cost_settings)
    ck.fail_if_any()
    return sc


def _must_haves(ck: Checker, raw: Any, nodes: dict[str, Criterion] | None) -> dict[str, MustHave]:
    """`{criterion: {min, max, in}}`: knock-out rules the scenario adds or puts in place of the set's."""
    if not isinstance(raw, dict):
        ck.add(("must_haves",), "expected a mapping of criterion id to {min, max, in}")
        return {}
    out = {}
    for key, rule in raw.items():
        leaf = nodes.get(str(key)) if nodes is not None else None
        if nodes is not None and (leaf is None or not leaf.is_leaf):
            ck.add(("must_haves", key), f"unknown criterion {key!r} (a leaf of the criteria set)")
            continue
        parsed = must_have_rule(ck, rule, ("must_haves", key), leaf.scale if leaf else None)
        if parsed is not None:
            out[str(key)] = parsed
    return out


def _overrides(ck: Checker, raw: Any, nodes: dict[str, Criterion] | None, providers: set[str] | None) -> list[Override]:
    if not isinstance(raw, list):
        ck.add(("overrides",), "expected a list of {provider, criterion, value, note}")
        return []
    out = []
    for i, item in enumerate(raw):
        path = ("overrides", i)
        if (
            ck.mapping(item, path, ("provider", "criterion", "value", "note"), ("provider", "criterion", "value"))
            is None
        ):
            continue
        pid, cid = item.get("provider"), item.get("criterion")
        if not isinstance(pid, str) or not isinstance(cid, str):
            ck.add(path, "'provider' and 'criterion' must be ids")
            continue
        if providers is not None and pid not in providers:
            ck.add(path + ("provider",), f"unknown provider {pid!r}")
            continue
        leaf = nodes.get(cid) if nodes is not None and isinstance(cid, str) else None
        if nodes is not None and (leaf is None or not leaf.is_leaf):
            ck.add(path + ("criterion",), f"unknown criterion {cid!r}")
            continue
        value = leaf.scale.value_of(item.get("value")) if leaf and leaf.scale else None
        if leaf is None:
            value = ck.number(item.get("value"), path + ("value",))
        elif value is None or not leaf.scale.min <= value <= leaf.scale.max:
            ck.add(path + ("value",), f"{item.get('value')!r} is not on the scale of {cid!r}")
            continue
        note = item.get("note") or ""
        if value is not None and isinstance(pid, str) and isinstance(cid, str):
            out.append(Override(provider=pid, criterion=cid, value=value, note=str(note)[:MAX_TEXT]))
    return out


def load_scenario(
    path: Path | str, criteria_set: CriteriaSet | None = None, provider_ids: Iterable[str] | None = None
) -> Scenario:
    """Read and check a scenario file; with a criteria set and provider ids, every id it names is checked."""
    path = Path(path)
    return scenario_from_doc(read_yaml(path), criteria_set, provider_ids, path)


def parse_scenario(
    text: str, name: str, criteria_set: CriteriaSet | None = None, provider_ids: Iterable[str] | None = None
) -> Scenario:
    """A scenario from uploaded text; raises LoadError naming `name`, line and field."""
    return scenario_from_doc(parse_yaml(text, name), criteria_set, provider_ids)
