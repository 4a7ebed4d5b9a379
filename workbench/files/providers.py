"""Provider profile files -> `Provider`: scores with their evidence, facts and the cost block.

Scores are checked against the criteria set's scales when its leaves are given; the `costs:`
block goes through `costs.validation.check_costs` with the same checker, so its problems carry
their own lines too.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..costs.validation import check_costs
from ..errors import LoadError, Problem
from ..model import CONFIDENCES, ROLES, STATUSES, Criterion, Provider, Score, Text
from .checker import Checker, kind_of
from .composition import COMPONENTS_DIR, compose
from .yamlfile import YamlDoc, is_dir, read_yaml

PROVIDER_KEYS = {"id", "name", "kind", "summary", "facts", "scores", "costs", "role", "components"}
SCORE_KEYS = {"value", "rationale", "sources", "confidence", "range", "status", "dispute", "disputed"}


def _score(ck: Checker, raw: Any, path: tuple, leaf: Criterion | None) -> Score | None:
    """A bare value or `{value, rationale, sources, confidence, range, status, dispute}`, on `leaf`'s scale."""
    scale = leaf.scale if leaf else None

    def value_of(item: Any, where: tuple) -> float | None:
        if scale is None:
            if isinstance(item, (int, float)) and not isinstance(item, bool) and math.isfinite(item):
                return float(item)
            if isinstance(item, str) and leaf is None:
                return None
            ck.add(where, f"expected a number, got {kind_of(item)}")
            return None
        number = scale.value_of(item)
        if number is None:
            if scale.ordinal:
                labels = ", ".join(lv.label.en for lv in scale.levels)
                ck.add(where, f"{item!r} is not a level of this scale ({labels})")
            else:
                ck.add(where, f"expected a number, got {kind_of(item)}")
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
        score.sources = ck.sources(raw["sources"], path + ("sources",))
    if "confidence" in raw:
        score.confidence = ck.string(raw["confidence"], path + ("confidence",), CONFIDENCES)
    if "status" in raw:
        score.status = ck.string(raw["status"], path + ("status",), STATUSES)
    if "dispute" in raw:
        score.dispute = ck.text(raw["dispute"], path + ("dispute",))
    if "disputed" in raw:
        ck.warn(path + ("disputed",), "score-disputed-deprecated", "write 'status: disputed' and a 'dispute' note")
        if not isinstance(raw["disputed"], bool):
            ck.add(path + ("disputed",), "expected true or false")
        elif raw["disputed"] and score.status is None:
            score.status = "disputed"
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
    components: Mapping[str, Provider] | None = None,
) -> Provider:
    """Build a provider; with `leaves` (id -> leaf), scores are checked against their scales.

    `ignore_unknown` skips scores for criteria outside `leaves` (a folder shared by several sets).
    A profile that lists `components:` takes the scores it lacks from `components`
    (`composition.compose`).
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
        ck.add(("facts",), f"expected a mapping, got {kind_of(facts)}")
        facts = {}
    scores: dict[str, Score] = {}
    raw_scores = raw.get("scores", {})
    if not isinstance(raw_scores, dict):
        ck.add(("scores",), f"expected a mapping of criterion id to score, got {kind_of(raw_scores)}")
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
    costs = check_costs(ck, raw["costs"]) if "costs" in raw else None
    role = ck.string(raw["role"], ("role",), ROLES) or "option" if "role" in raw else "option"
    component_ids = _component_ids(ck, raw["components"]) if "components" in raw else ()
    provider = Provider(
        id=provider_id or "?",
        name=name or Text.plain(provider_id or "?"),
        scores=scores,
        kind=kind,
        summary=summary,
        facts=facts,
        costs=costs,
        role=role,
        components=component_ids,
        path=path,
        warnings=ck.warnings,
    )
    if component_ids:
        provider = compose(ck, provider, components or {})
    ck.fail_if_any()
    return provider


def _component_ids(ck: Checker, raw: Any) -> tuple[str, ...]:
    if not isinstance(raw, list) or not raw:
        ck.add(("components",), f"expected a list of component ids, got {kind_of(raw)}")
        return ()
    ids = [ck.ident(item, ("components", i)) for i, item in enumerate(raw)]
    return tuple(i for i in ids if i)


def load_provider(
    path: Path | str,
    leaves: Mapping[str, Criterion] | None = None,
    ignore_unknown: bool = False,
    components: Mapping[str, Provider] | None = None,
    read: Callable[[Path], YamlDoc] = read_yaml,
) -> Provider:
    """Read and check one provider profile (`read` lets a caller that already parsed it reuse it)."""
    path = Path(path)
    return provider_from_doc(read(path), leaves, path, ignore_unknown, components)


def provider_files(folder: Path | str) -> list[Path]:
    """The profiles of a folder (*.yaml, *.yml), in name order."""
    folder = Path(folder)
    return sorted(p for p in folder.glob("*.y*ml") if p.suffix in (".yaml", ".yml"))


def load_providers(
    folder: Path | str, leaves: Mapping[str, Criterion] | None = None, ignore_unknown: bool = False
) -> tuple[list[Provider], list[Problem]]:
    """Every profile of a folder (options and references, composed from the folder's
    `components/`); files with problems are left out and their problems returned."""
    providers, _, problems = load_profiles(folder, leaves, ignore_unknown)
    return providers, problems


def load_profiles(
    folder: Path | str,
    leaves: Mapping[str, Criterion] | None = None,
    ignore_unknown: bool = False,
    read: Callable[[Path], YamlDoc] = read_yaml,
) -> tuple[list[Provider], list[Provider], list[Problem]]:
    """The folder's profiles and its components (`components/`), and every problem found;
    `read` parses one file (a scan passes the documents it has already parsed)."""
    folder = Path(folder)
    if not is_dir(folder):
        return [], [], [Problem(str(folder), 1, "", "providers folder not found")]
    parts_dir = folder / COMPONENTS_DIR
    components, problems = _load_folder(parts_dir, leaves, ignore_unknown, {}, read) if is_dir(parts_dir) else ([], [])
    by_id = {c.id: c for c in components}
    providers, more = _load_folder(folder, leaves, ignore_unknown, by_id, read)
    return providers, components, problems + more


def _load_folder(
    folder: Path,
    leaves: Mapping[str, Criterion] | None,
    ignore_unknown: bool,
    components: Mapping[str, Provider],
    read: Callable[[Path], YamlDoc],
) -> tuple[list[Provider], list[Problem]]:
    providers: list[Provider] = []
    problems: list[Problem] = []
    seen: dict[str, Path] = {}
    for path in provider_files(folder):
        try:
            provider = load_provider(path, leaves, ignore_unknown, components, read)
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
