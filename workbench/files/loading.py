"""Study files (YAML) -> validated model objects, with every problem named by file, line and field.

Readers collect all problems of a file before failing, so a user fixes them in one pass.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..errors import LoadError, Problem
from ..model import (
    CONFIDENCES,
    METHODS,
    NORMALIZATIONS,
    PREFERENCE_FUNCTIONS,
    CriteriaSet,
    Criterion,
    Level,
    MustHave,
    Override,
    Preference,
    Provider,
    Scale,
    Scenario,
    Score,
    Source,
    Text,
)
from .yamlfile import YamlDoc, parse_yaml, read_yaml

ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,99}$")
COST_KEYS = ("horizon", "discount_rate", "currency", "fx")
SET_KEYS = {"id", "name", "description", "providers", "method", "normalization", "criteria", *COST_KEYS}
NODE_KEYS = {"id", "name", "description", "weight", "criteria"}
LEAF_KEYS = NODE_KEYS | {"direction", "scale", "must_have", "preference", "source"}
PROVIDER_KEYS = {"id", "name", "kind", "summary", "facts", "scores", "costs"}
SCORE_KEYS = {"value", "rationale", "sources", "confidence", "range", "disputed"}
SOURCE_KEYS = {"title", "url", "date"}
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
    *COST_KEYS,
}
MAX_TEXT = 20_000


class Checker:
    """Collects problems for one YAML document, each located by the line of its field."""

    def __init__(self, doc: YamlDoc):
        self.doc = doc
        self.problems: list[Problem] = []
        for path, line in doc.duplicates:
            self.problems.append(Problem(doc.file, line, _field(path), "duplicate key"))

    def add(self, path: tuple, message: str) -> None:
        self.problems.append(Problem(self.doc.file, self.doc.line(path), _field(path), message))

    def mapping(self, value: Any, path: tuple, allowed: Iterable[str], required: Iterable[str] = ()) -> dict | None:
        if not isinstance(value, dict):
            self.add(path, f"expected a mapping, got {_kind(value)}")
            return None
        allowed = set(allowed)
        for key in value:
            if key not in allowed:
                hint = ", ".join(sorted(allowed))
                self.add(path + (key,), f"unknown key {key!r} (expected one of: {hint})")
        for key in required:
            if key not in value or value[key] is None:
                self.add(path, f"missing required field {key!r}")
        return value

    def text(self, value: Any, path: tuple, required: bool = True) -> Text | None:
        if value is None:
            if required:
                self.add(path, "missing text")
            return None
        if isinstance(value, str):
            return Text.plain(value[:MAX_TEXT])
        if isinstance(value, dict):
            self.mapping(value, path, ("en", "fr"), ("en", "fr"))
            en, fr = value.get("en"), value.get("fr")
            if not isinstance(en, str) or not isinstance(fr, str):
                if en is not None and fr is not None:
                    self.add(path, "texts 'en' and 'fr' must be strings")
                return None
            return Text(en=en[:MAX_TEXT], fr=fr[:MAX_TEXT])
        self.add(path, f"expected a text or {{en, fr}}, got {_kind(value)}")
        return None

    def number(self, value: Any, path: tuple, minimum: float | None = None) -> float | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.add(path, f"expected a number, got {_kind(value)}")
            return None
        number = float(value)
        if not math.isfinite(number):
            self.add(path, "expected a finite number")
            return None
        if minimum is not None and number < minimum:
            self.add(path, f"must be ≥ {minimum:g}, got {number:g}")
            return None
        return number

    def string(self, value: Any, path: tuple, choices: Iterable[str] | None = None) -> str | None:
        if not isinstance(value, str):
            self.add(path, f"expected a string, got {_kind(value)}")
            return None
        if choices is not None and value not in choices:
            self.add(path, f"{value!r} is not one of: {', '.join(choices)}")
            return None
        return value

    def ident(self, value: Any, path: tuple) -> str | None:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not ID_PATTERN.match(value):
            self.add(path, f"invalid id {value!r} (letters, digits, '-', '_', '.')")
            return None
        return value

    def fail_if_any(self) -> None:
        if self.problems:
            raise LoadError(self.problems)


def _field(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string"}.get(
        type(value),
        "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else type(value).__name__,
    )


# --- criteria sets ---------------------------------------------------------------------------


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
        ck.add(path, f"expected a list of {{value, label}}, got {_kind(raw)}")
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


def _must_have(ck: Checker, raw: Any, path: tuple, scale: Scale | None) -> MustHave | None:
    if ck.mapping(raw, path, ("min", "max", "in")) is None or not raw:
        if isinstance(raw, dict):
            ck.add(path, "give 'min', 'max' or 'in'")
        return None

    def value(item: Any, where: tuple) -> float | None:
        number = scale.value_of(item) if scale else None
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
        ck.add(path, f"expected a criterion mapping, got {_kind(raw)}")
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
        node.must_have = _must_have(ck, raw["must_have"], path + ("must_have",), node.scale)
    if "preference" in raw:
        node.preference = _preference(ck, raw["preference"], path + ("preference",))
    return node


def criteria_set_from_doc(doc: YamlDoc, path: Path | None = None) -> CriteriaSet:
    ck = Checker(doc)
    raw = ck.mapping(doc.data, (), SET_KEYS, ("id", "name", "criteria"))
    if raw is None:
        ck.fail_if_any()
    set_id = ck.ident(raw.get("id"), ("id",)) if "id" in raw else None
    name = ck.text(raw.get("name"), ("name",)) if "name" in raw else None
    description = ck.text(raw.get("description"), ("description",), required=False)
    providers = ck.string(raw["providers"], ("providers",)) if "providers" in raw else None
    method = ck.string(raw["method"], ("method",), METHODS) if "method" in raw else None
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
    cost_settings = {k: raw[k] for k in COST_KEYS if k in raw}
    _check_cost_settings(ck, cost_settings)
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
        path=path,
    )


def _check_cost_settings(ck: Checker, settings: dict[str, Any]) -> None:
    if not settings:
        return
    try:
        from ..costs import CostsError, CostSettings
    except ImportError:  # cost model not installed in this build
        return
    try:
        CostSettings.from_mapping(settings)
    except CostsError as exc:
        for field_path, message in exc.problems:
            ck.add(tuple(field_path.split(".")), message)


def load_criteria_set(path: Path | str) -> CriteriaSet:
    path = Path(path)
    return criteria_set_from_doc(read_yaml(path), path)


# --- provider profiles -----------------------------------------------------------------------


def _sources(ck: Checker, raw: Any, path: tuple) -> tuple[Source, ...]:
    if not isinstance(raw, list):
        ck.add(path, f"expected a list of sources, got {_kind(raw)}")
        return ()
    out = []
    for i, item in enumerate(raw):
        if ck.mapping(item, path + (i,), SOURCE_KEYS, ("title",)) is None:
            continue
        title = ck.string(item.get("title"), path + (i, "title")) if "title" in item else None
        url = item.get("url", "")
        if not isinstance(url, str):
            ck.add(path + (i, "url"), "expected a string")
            url = ""
        date = item.get("date", "")
        if isinstance(date, (int, float)) and not isinstance(date, bool):
            date = str(date)
        if not isinstance(date, str):
            ck.add(path + (i, "date"), "expected a date such as 2025-06-17")
            date = ""
        if title is not None:
            out.append(Source(title=title[:MAX_TEXT], url=url[:2000], date=date))
    return tuple(out)


def _score(ck: Checker, raw: Any, path: tuple, leaf: Criterion | None) -> Score | None:
    scale = leaf.scale if leaf else None

    def value_of(item: Any, where: tuple) -> float | None:
        if scale is None:
            if isinstance(item, (int, float)) and not isinstance(item, bool) and math.isfinite(item):
                return float(item)
            if isinstance(item, str) and leaf is None:
                return None
            ck.add(where, f"expected a number, got {_kind(item)}")
            return None
        number = scale.value_of(item)
        if number is None:
            if scale.ordinal:
                labels = ", ".join(lv.label.en for lv in scale.levels)
                ck.add(where, f"{item!r} is not a level of this scale ({labels})")
            else:
                ck.add(where, f"expected a number, got {_kind(item)}")
        elif not scale.min <= number <= scale.max or not math.isfinite(number):
            ck.add(where, f"{number:g} is outside the scale [{scale.min:g}, {scale.max:g}]")
            return None
        return number

    if not isinstance(raw, dict):
        return Score(value=value_of(raw, path), line=ck.doc.line(path))
    ck.mapping(raw, path, SCORE_KEYS)
    value = None
    if "value" in raw and raw["value"] is not None:
        value = value_of(raw["value"], path + ("value",))
    elif leaf is not None and leaf.source != "tco":
        ck.add(path, "missing 'value'")
    score = Score(value=value, line=ck.doc.line(path))
    if "rationale" in raw:
        score.rationale = ck.text(raw["rationale"], path + ("rationale",))
    if "sources" in raw:
        score.sources = _sources(ck, raw["sources"], path + ("sources",))
    if "confidence" in raw:
        score.confidence = ck.string(raw["confidence"], path + ("confidence",), CONFIDENCES)
    if "disputed" in raw:
        if isinstance(raw["disputed"], bool):
            score.disputed = raw["disputed"]
        else:
            ck.add(path + ("disputed",), "expected true or false")
    if "range" in raw:
        rng = raw["range"]
        if not isinstance(rng, list) or len(rng) != 2:
            ck.add(path + ("range",), "expected [low, high]")
        else:
            lo, hi = (value_of(v, path + ("range", i)) for i, v in enumerate(rng))
            if lo is not None and hi is not None:
                if lo > hi:
                    ck.add(path + ("range",), f"low ({lo:g}) is above high ({hi:g})")
                elif value is not None and not lo <= value <= hi:
                    ck.add(path + ("range",), f"the value {value:g} lies outside its range [{lo:g}, {hi:g}]")
                else:
                    score.range = (lo, hi)
    return score


def provider_from_doc(
    doc: YamlDoc,
    leaves: Mapping[str, Criterion] | None = None,
    path: Path | None = None,
    ignore_unknown: bool = False,
) -> Provider:
    """Build a provider; with `leaves` (id -> leaf), scores are checked against their scales.

    `ignore_unknown` skips scores for criteria outside `leaves` (a folder shared by several sets).
    """
    ck = Checker(doc)
    raw = ck.mapping(doc.data, (), PROVIDER_KEYS, ("id", "name"))
    if raw is None:
        ck.fail_if_any()
    provider_id = ck.ident(raw.get("id"), ("id",)) if "id" in raw else None
    name = ck.text(raw.get("name"), ("name",)) if "name" in raw else None
    kind = ck.text(raw.get("kind"), ("kind",), required=False)
    summary = ck.text(raw.get("summary"), ("summary",), required=False)
    facts = raw.get("facts", {})
    if not isinstance(facts, dict):
        ck.add(("facts",), f"expected a mapping, got {_kind(facts)}")
        facts = {}
    scores: dict[str, Score] = {}
    raw_scores = raw.get("scores", {})
    if not isinstance(raw_scores, dict):
        ck.add(("scores",), f"expected a mapping of criterion id to score, got {_kind(raw_scores)}")
        raw_scores = {}
    for key, item in raw_scores.items():
        key_str = str(key)
        leaf = None
        if leaves is not None:
            leaf = leaves.get(key_str)
            if leaf is None:
                if ignore_unknown:
                    continue
                ck.add(("scores", key), f"unknown criterion {key_str!r} (not a leaf of the criteria set)")
                continue
        score = _score(ck, item, ("scores", key), leaf)
        if score is not None:
            scores[key_str] = score
    costs = None
    if "costs" in raw:
        costs = _costs(ck, raw["costs"])
    ck.fail_if_any()
    return Provider(
        id=provider_id or "?",
        name=name or Text.plain(provider_id or "?"),
        scores=scores,
        kind=kind,
        summary=summary,
        facts=facts,
        costs=costs,
        path=path,
    )


def _costs(ck: Checker, raw: Any) -> Any:
    try:
        from ..costs import CostsError, parse_costs
    except ImportError:
        return raw
    try:
        return parse_costs(raw)
    except CostsError as exc:
        for field_path, message in exc.problems:
            parts = tuple(int(p) if p.isdigit() else p for p in field_path.split("."))
            if parts[:1] != ("costs",):
                parts = ("costs",) + parts
            ck.add(parts, message)
    return None


def load_provider(
    path: Path | str, leaves: Mapping[str, Criterion] | None = None, ignore_unknown: bool = False
) -> Provider:
    path = Path(path)
    return provider_from_doc(read_yaml(path), leaves, path, ignore_unknown)


def provider_files(folder: Path | str) -> list[Path]:
    folder = Path(folder)
    return sorted(p for p in folder.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))


def load_providers(
    folder: Path | str, leaves: Mapping[str, Criterion] | None = None, ignore_unknown: bool = False
) -> tuple[list[Provider], list[Problem]]:
    """Every profile of a folder; files with problems are left out and their problems returned."""
    folder = Path(folder)
    if not folder.is_dir():
        return [], [Problem(str(folder), 1, "", "providers folder not found")]
    providers: list[Provider] = []
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    for path in provider_files(folder):
        try:
            provider = load_provider(path, leaves, ignore_unknown)
        except LoadError as exc:
            problems.extend(exc.problems)
            continue
        if provider.id in seen:
            problems.append(
                Problem(str(path), 1, "id", f"duplicate provider id {provider.id!r} (also in {seen[provider.id]})")
            )
            continue
        seen[provider.id] = path
        providers.append(provider)
    return providers, problems


# --- scenarios -------------------------------------------------------------------------------


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
    for key in ("method", "normalization"):
        if raw.get(key) is not None:
            setattr(sc, key, ck.string(raw[key], (key,), METHODS if key == "method" else NORMALIZATIONS))
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
                if nodes is not None and cid not in nodes:
                    ck.add(("disabled_must_haves", i), f"unknown criterion {cid!r}")
                elif isinstance(cid, str):
                    sc.disabled_must_haves.append(cid)
    if raw.get("overrides") is not None:
        sc.overrides = _overrides(ck, raw["overrides"], nodes, known_providers)
    sc.cost_settings = {k: raw[k] for k in COST_KEYS if k in raw}
    _check_cost_settings(ck, sc.cost_settings)
    ck.fail_if_any()
    return sc


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
    path = Path(path)
    return scenario_from_doc(read_yaml(path), criteria_set, provider_ids, path)


def parse_scenario(
    text: str, name: str, criteria_set: CriteriaSet | None = None, provider_ids: Iterable[str] | None = None
) -> Scenario:
    """A scenario from uploaded text; raises LoadError naming `name`, line and field."""
    return scenario_from_doc(parse_yaml(text, name), criteria_set, provider_ids)
