"""Verifying a record from the record alone: both hashes, then the ranking again with the engine.

1. `frozen_sha256` must be the SHA-256 of the canonical JSON of `frozen`, and `record_sha256` that
   of the record without `record_sha256`. When one does not match, the field fingerprints name the
   fields that changed (`scores.azure.cost.value: the record says 414.2, the sealed hash does not
   match`).
2. The study is rebuilt from the record (the criteria tree through the criteria-file loader, one
   option per frozen option with the recorded values, the frozen must-haves switched off, cost
   settings and what-if overrides) and evaluated by the engine with the frozen method and
   normalisation: the leaves' global weights, the values priced from the cost models, the
   ranking and every option's score, rank and eligibility must be those recorded (within
   1e-9, relative to the figure's size, since another machine may round the last bit differently).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

from ..costs import CostsError, parse_costs
from ..errors import WorkbenchError
from ..evaluate import evaluate
from ..files.criteria import criteria_set_from_doc
from ..files.yamlfile import YamlDoc
from ..model import Override, Provider, Scenario, Score, Text
from ..study import Study, build_study
from .canonical import changed_paths, path_text, sha256_hex, value_at
from .frozen import FROZEN_FORMAT
from .sealing import RECORD_FORMAT

TOLERANCE = 1e-9
MAX_REPORTED = 20
REQUIRED = ("frozen", "frozen_sha256", "sealed_at", "software", "scores", "results", "fingerprints", "record_sha256")


@dataclass(frozen=True)
class Mismatch:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"

    def to_json(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


@dataclass
class Verdict:
    """The outcome of a verification: `ok`, what did not match, and what the record says."""

    mismatches: list[Mismatch] = field(default_factory=list)
    record_sha256: str | None = None
    frozen_sha256: str | None = None
    frozen_at: str | None = None
    sealed_at: str | None = None
    ranking: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.mismatches

    def sentence(self) -> str:
        """The one-line verdict."""
        if not self.ok:
            first = self.mismatches[0]
            more = f" (and {len(self.mismatches) - 1} more)" if len(self.mismatches) > 1 else ""
            return f"FAILED: {first}{more}"
        return (
            f"OK: both hashes match (frozen {self.frozen_sha256}, record {self.record_sha256}); frozen "
            f"{self.frozen_at}, sealed {self.sealed_at}; the engine recomputes the same ranking: "
            + " > ".join(self.ranking)
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "verdict": self.sentence(),
            "record_sha256": self.record_sha256,
            "frozen_sha256": self.frozen_sha256,
            "frozen_at": self.frozen_at,
            "sealed_at": self.sealed_at,
            "ranking": self.ranking,
            "mismatches": [m.to_json() for m in self.mismatches],
        }


class _Broken(Exception):
    """A part of the record the study cannot be rebuilt from."""

    def __init__(self, where: str, message: str):
        self.mismatch = Mismatch(where, message)
        super().__init__(str(self.mismatch))


def verify(record: Any) -> Verdict:
    """Check a parsed record (module docstring); never raises on a damaged record."""
    if not isinstance(record, dict) or record.get("format") != RECORD_FORMAT:
        found = record.get("format") if isinstance(record, dict) else None
        return Verdict([Mismatch("format", f"not a sealed record: expected {RECORD_FORMAT!r}, found {found!r}")])
    verdict = Verdict(
        record_sha256=_str(record.get("record_sha256")),
        frozen_sha256=_str(record.get("frozen_sha256")),
        frozen_at=_str(record.get("frozen", {}).get("frozen_at")) if isinstance(record.get("frozen"), dict) else None,
        sealed_at=_str(record.get("sealed_at")),
    )
    missing = [key for key in REQUIRED if key not in record]
    if missing:
        verdict.mismatches = [Mismatch(key, "missing from the record") for key in missing]
        return verdict
    verdict.mismatches = _hash_mismatches(record)
    try:
        study = _rebuild(record)
        verdict.ranking, recomputed = _recompute(record, study)
        verdict.mismatches += recomputed
    except _Broken as exc:
        verdict.mismatches.append(exc.mismatch)
    if verdict.frozen_at and verdict.sealed_at and verdict.sealed_at < verdict.frozen_at:
        when = f"the record was sealed ({verdict.sealed_at}) before it was frozen ({verdict.frozen_at})"
        verdict.mismatches.append(Mismatch("sealed_at", when))
    return verdict


def _hash_mismatches(record: dict[str, Any]) -> list[Mismatch]:
    content = {k: v for k, v in record.items() if k != "record_sha256"}
    record_ok = sha256_hex(content) == record["record_sha256"]
    frozen_ok = sha256_hex(record["frozen"]) == record["frozen_sha256"]
    if record_ok and frozen_ok:
        return []
    body = {k: v for k, v in content.items() if k != "fingerprints"}
    recorded = record["fingerprints"] if isinstance(record["fingerprints"], str) else ""
    paths, reshaped = changed_paths(body, recorded)
    out = []
    for path in paths[:MAX_REPORTED]:
        which = "frozen" if path[:1] == ("frozen",) else "sealed"
        what = "a field was added or removed here" if reshaped else f"the record says {_show(value_at(body, path))}"
        out.append(Mismatch(path_text(body, path), f"{what}, the {which} hash does not match"))
    if len(paths) > MAX_REPORTED:
        out.append(Mismatch("…", f"{len(paths) - MAX_REPORTED} more fields changed"))
    if not out and not frozen_ok:
        out.append(
            _says("frozen_sha256", record["frozen_sha256"], "the frozen part hashes to", sha256_hex(record["frozen"]))
        )
    if not out:
        out.append(_says("record_sha256", record["record_sha256"], "the record hashes to", sha256_hex(content)))
    return out


def _rebuild(record: dict[str, Any]) -> Study:
    """The study the record describes, built by the engine's own loader and `build_study`."""
    frozen = _mapping(record["frozen"], "frozen")
    if frozen.get("format") != FROZEN_FORMAT:
        raise _Broken("frozen.format", f"expected {FROZEN_FORMAT!r}")
    try:
        criteria_set = criteria_set_from_doc(
            YamlDoc("record", _mapping(frozen.get("criteria_set"), "frozen.criteria_set"))
        )
    except WorkbenchError as exc:
        raise _Broken("frozen.criteria_set", f"the criteria tree does not load: {exc}") from None
    leaves = criteria_set.leaves()
    scores = _mapping(record["scores"], "scores")
    costs = _mapping(record.get("costs", {}), "costs")
    options = frozen.get("options")
    if not isinstance(options, list) or not all(isinstance(o, dict) and isinstance(o.get("id"), str) for o in options):
        raise _Broken("frozen.options", "expected a list of {id, name}")
    extra = sorted(set(scores) - {o["id"] for o in options})
    if extra:
        raise _Broken(f"scores.{extra[0]}", "scores for an option that was not frozen")
    providers, overrides = [], []
    for option in options:
        pid = option["id"]
        row = _mapping(scores.get(pid), f"scores.{pid}")
        values: dict[str, Score] = {}
        for leaf in leaves:
            entry = _mapping(row.get(leaf.id), f"scores.{pid}.{leaf.id}")
            value = entry.get("value")
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise _Broken(f"scores.{pid}.{leaf.id}.value", "expected a number")
            values[leaf.id] = Score(value=float(value))
            if "override" in entry:
                note = entry["override"].get("note", "") if isinstance(entry["override"], dict) else ""
                overrides.append(Override(pid, leaf.id, float(value), str(note)))
        name = _text(option.get("name"), pid)
        providers.append(Provider(id=pid, name=name, scores=values, costs=_costs(costs.get(pid), pid)))
    scenario = Scenario(
        method=_str(frozen.get("method")),
        normalization=_str(frozen.get("normalization")),
        disabled_must_haves=[str(x) for x in frozen.get("disabled_must_haves") or []],
        cost_settings=_mapping(frozen.get("cost_settings", {}), "frozen.cost_settings"),
        overrides=overrides,
    )
    try:
        return build_study(criteria_set, providers, scenario)
    except WorkbenchError as exc:
        raise _Broken("frozen", f"the study does not rebuild: {exc}") from None


def _recompute(record: dict[str, Any], study: Study) -> tuple[list[str], list[Mismatch]]:
    """The ranking the engine gives, and every recorded figure it does not reproduce."""
    frozen, out = record["frozen"], []
    weights = study.global_weights()
    recorded_weights = _mapping(frozen.get("weights"), "frozen.weights")
    for leaf, weight in weights.items():
        if not _close(recorded_weights.get(leaf), weight):
            out.append(_says(f"frozen.weights.{leaf}", recorded_weights.get(leaf), "the criteria tree gives", weight))
    for i, pid in enumerate(study.provider_ids):
        for j, leaf in enumerate(study.leaf_ids):
            recorded = record["scores"][pid][leaf]["value"]
            priced = float(study.matrix[i, j])
            if not _close(recorded, priced):
                out.append(_says(f"scores.{pid}.{leaf}.value", recorded, "the cost model gives", priced))
    try:
        evaluation = evaluate(study, study.scenario.method, study.scenario.normalization)
    except WorkbenchError as exc:
        raise _Broken("frozen.method", f"the engine cannot evaluate the record: {exc}") from None
    results = _mapping(record["results"], "results")
    ranking = [r.id for r in evaluation.results]
    if results.get("ranking") != ranking:
        out.append(_says("results.ranking", results.get("ranking"), "the engine gives", ranking))
    options = _mapping(results.get("options"), "results.options")
    for r in evaluation.results:
        recorded = _mapping(options.get(r.id), f"results.options.{r.id}")
        for key, value in (("score", r.score), ("rank", r.rank), ("eligible", r.eligible)):
            same = _close(recorded.get(key), value) if key == "score" else recorded.get(key) == value
            if not same:
                out.append(_says(f"results.options.{r.id}.{key}", recorded.get(key), "the engine recomputes", value))
    return ranking, out


def _says(where: str, recorded: Any, source: str, computed: Any) -> Mismatch:
    """`<field>: the record says <recorded>, <source> <computed>`."""
    return Mismatch(where, f"the record says {_show(recorded)}, {source} {_show(computed)}")


def _close(recorded: Any, computed: float) -> bool:
    if isinstance(recorded, bool) or not isinstance(recorded, (int, float)):
        return False
    return abs(recorded - computed) <= TOLERANCE * max(1.0, abs(recorded), abs(computed))


def _mapping(value: Any, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Broken(where, "missing, or not a mapping")
    return value


def _text(value: Any, fallback: str) -> Text:
    if isinstance(value, str):
        return Text.plain(value)
    if isinstance(value, dict) and isinstance(value.get("en"), str) and isinstance(value.get("fr"), str):
        return Text(en=value["en"], fr=value["fr"])
    return Text.plain(fallback)


def _costs(value: Any, pid: str) -> Any:
    if value is None:
        return None
    try:
        return parse_costs(_mapping(value, f"costs.{pid}"))
    except CostsError as exc:
        raise _Broken(f"costs.{pid}", f"the cost model does not load: {exc}") from None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 80 else text[:77] + "..."
