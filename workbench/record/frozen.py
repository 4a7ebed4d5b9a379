"""Freezing: what is fixed before any score is seen, and what changed since.

Public procurement law wants the criteria and their weighting fixed and announced before offers
are assessed (EU Directive 2014/24, art. 67(5); CJEU C-532/06 Lianakis, C-6/15 TNS Dimarso).
The frozen part holds the criteria tree (the weights in force on every node, the scales, the
must-haves in force: a scenario's rule in place of the set's), the leaves' global weights, the method and normalisation, the must-haves switched
off, the cost settings and the list of options, with the time; never a score. Its SHA-256 is
taken over its canonical JSON (`canonical`), so publishing that hash before scoring proves later
that nothing in it moved.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Mapping
from typing import Any

from ..errors import Problem, WorkbenchError
from ..evaluate import resolve_method
from ..study import Study
from .canonical import plain, sha256_hex
from .serialize import criteria_set_data

FROZEN_FORMAT = "workbench-frozen/1"
PRESENT = object()  # marks an option or criterion in the flattened view, whatever its fields
ABSENT = object()  # a field one side does not have (a must-have, a description...)


class SealRefused(WorkbenchError):
    """The study no longer matches what was frozen (or the frozen file was altered)."""

    def __init__(self, differences: list[str]):
        self.differences = list(differences)
        super().__init__([Problem("", 0, "", difference) for difference in self.differences])


def record_time() -> str:
    """UTC now, or the moment SOURCE_DATE_EPOCH names (reproducible-builds convention), ISO 8601."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    moment = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC) if epoch.isdigit() else dt.datetime.now(tz=dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def frozen_content(
    study: Study,
    method: str | None = None,
    normalization: str | None = None,
    weights: Mapping[str, float] | None = None,
) -> dict[str, Any]:
    """The frozen part of `study` under the method and weights in force, without its time.

    `weights` are node-id overrides on top of the scenario's (e.g. a workshop round's aggregate).
    """
    method, normalization = resolve_method(study, method, normalization)
    node_weights = {**study.scenario.weights, **(weights or {})}
    settings = study.cost_settings()
    rules = {leaf.id: study.must_have(leaf) for leaf in study.leaves}
    return plain(
        {
            "format": FROZEN_FORMAT,
            "criteria_set": criteria_set_data(study.criteria_set, node_weights, rules),
            "weights": study.global_weights(dict(weights or {})),
            "method": method,
            "normalization": normalization,
            "disabled_must_haves": sorted(set(study.scenario.disabled_must_haves)),
            "cost_settings": {
                "horizon": settings.horizon,
                "discount_rate": settings.discount_rate,
                "currency": settings.currency,
                "fx": dict(sorted(settings.fx.items())),
                # Only when set, so that records of studies without per-seat prices keep their hash.
                **({"seats": settings.seats} if settings.seats is not None else {}),
            },
            "options": [{"id": p.id, "name": p.name.to_data()} for p in study.providers],
        }
    )


def freeze(
    study: Study,
    method: str | None = None,
    normalization: str | None = None,
    weights: Mapping[str, float] | None = None,
    *,
    moment: str | None = None,
) -> dict[str, Any]:
    """`{"frozen": {...}, "frozen_sha256": ...}`: the frozen part with its time and its hash."""
    frozen = {**frozen_content(study, method, normalization, weights), "frozen_at": moment or record_time()}
    return {"frozen": frozen, "frozen_sha256": sha256_hex(frozen)}


def checked_frozen(document: Any, name: str = "the frozen file") -> dict[str, Any]:
    """The frozen part of a frozen file (or record), after checking its shape and its hash."""
    if not isinstance(document, dict) or not isinstance(document.get("frozen"), dict):
        raise WorkbenchError(f"{name} is not a frozen study: it has no 'frozen' part")
    frozen = document["frozen"]
    if frozen.get("format") != FROZEN_FORMAT:
        raise WorkbenchError(f"{name}: unknown format {frozen.get('format')!r} (expected {FROZEN_FORMAT})")
    actual = sha256_hex(frozen)
    if document.get("frozen_sha256") != actual:
        raise SealRefused(
            [
                f"frozen_sha256: the file says {document.get('frozen_sha256')!r} but its frozen part hashes to "
                f"{actual}: {name} was changed after freezing"
            ]
        )
    return frozen


def frozen_differences(frozen: Mapping[str, Any], now: Mapping[str, Any]) -> list[str]:
    """Every difference between a frozen part and the study now, one sentence each.

    Criteria and options are matched by id, so an added or removed one is named once; a changed
    field is named `criteria.<id>.<field>`, `weights.<leaf>`, `method`, `cost_settings.<key>`...
    """
    try:
        old, new = _flatten(frozen), _flatten(now)
    except (KeyError, TypeError, AttributeError):
        raise WorkbenchError("the frozen part does not have the shape `record freeze` writes") from None
    out: list[str] = []
    gone: list[str] = []
    for path in [*old, *(p for p in new if p not in old)]:
        if any(path.startswith(prefix + ".") for prefix in gone):
            continue
        before, after = old.get(path, ABSENT), new.get(path, ABSENT)
        if before is PRESENT or after is PRESENT:
            if before is ABSENT or after is ABSENT:
                gone.append(path)
                out.append(f"{path}: {'removed' if after is ABSENT else 'added'} since freezing")
        elif before != after:
            out.append(f"{path}: frozen {_show(before)}, now {_show(after)}")
    return out


def _flatten(frozen: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in frozen.items():
        if key == "frozen_at":
            continue
        if key == "criteria_set":
            out.update({f"criteria_set.{k}": v for k, v in value.items() if k != "criteria"})
            _flatten_tree(value.get("criteria", []), None, out)
        elif key == "options":
            for option in value:
                out[f"options.{option['id']}"] = PRESENT
                out[f"options.{option['id']}.name"] = option.get("name")
        elif isinstance(value, dict):
            out.update({f"{key}.{k}": v for k, v in value.items()})
        else:
            out[key] = value
    return out


def _flatten_tree(nodes: list[dict[str, Any]], parent: str | None, out: dict[str, Any]) -> None:
    """Nodes by id whatever their depth (ids are unique in a set); a move shows as a new parent."""
    for node in nodes:
        path = f"criteria.{node['id']}"
        out[path] = PRESENT
        out[f"{path}.parent"] = parent
        out.update({f"{path}.{k}": v for k, v in node.items() if k not in ("id", "criteria")})
        _flatten_tree(node.get("criteria", []), node["id"], out)


def _show(value: Any) -> str:
    if value is ABSENT:
        return "none"
    if isinstance(value, float):
        return f"{value:.12g}"
    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= 120 else text[:117] + "..."
