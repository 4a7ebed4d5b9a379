"""What differs between two scenarios of one criteria set, and what each difference does.

`diff_scenarios` lists the differences and applies them to scenario A one at a time, in this
order, re-ranking after each (so the last ranking is B's):

1. options: those A has and B has not are removed, then those B adds are added (in the
   profiles' order); kind `option`, from/to `"included"` / `"excluded"`;
2. must-haves, leaf by leaf in tree order: a rule a scenario adds or replaces (kind `must-have`,
   from/to the rule, `"≥ 3"`, or `"none"`), then the rule switched on or off (`"on"` / `"off"`);
3. what-if overrides set, changed or removed (by option, then criterion); kind `override`,
   target `option/criterion`, from/to the value in force (the profile's without an override);
4. cost settings (`horizon`, `discount_rate`, `currency`, `fx`); from/to the settings in force;
5. node weights (tree order, groups before their children); from/to the node's weight points
   (the set's, or the scenario's override);
6. the normalisation, under A's method, when both methods take one;
7. the method (with B's normalisation: when a method takes none, as PROMETHEE II, the
   normalisation changes in this same step).

Each change records the horizon in force once it is applied (A's before a horizon change, B's
after): `named_at` gives the criteria set with its cost criteria named for it
(workbench.horizon_names), so a row about the cost criterion says the number of years its values
were then computed over.

The order goes from what decides who is compared, through the data, to how it is scored, so
that each step is read against the options and values that will be in the final picture. The
method and normalisation each scenario uses are resolved first (`evaluate.resolve_method`), so a
scenario that names none is compared with what it would actually run.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .costs.data import SETTING_KEYS
from .errors import LoadError, Problem, WorkbenchError
from .evaluate import Evaluation, evaluate, resolve_method
from .files.criteria import load_criteria_set
from .files.providers import load_providers
from .files.scenarios import load_scenario
from .horizon_names import horizon_in_force, with_horizon
from .methods import get_method
from .model import CriteriaSet, MustHave, Provider, Scenario
from .study import Study, build_study, leaf_index, resolve_providers_dir

KINDS = ("option", "must-have", "override", "cost", "weight", "normalization", "method")


@dataclass
class Change:
    """One difference, and how applying it moved each option: `rank_moves[id] = [before, after]`
    (None where the option is not in the study at that step)."""

    kind: str
    target: str | None
    before: Any
    after: Any
    rank_moves: dict[str, list[int | None]] = field(default_factory=dict)
    score_moves: dict[str, list[float | None]] = field(default_factory=dict)
    error: str | None = None
    horizon: int | None = None  # the cost horizon in force after this step (names, not JSON)

    def to_json(self) -> dict[str, Any]:
        out = {
            "kind": self.kind,
            "target": self.target,
            "from": self.before,
            "to": self.after,
            "rank_moves": self.rank_moves,
            "score_moves": self.score_moves,
        }
        if self.error:
            out["error"] = self.error
        return out


@dataclass
class ScenarioDiff:
    changes: list[Change]
    ranking_a: list[str]
    ranking_b: list[str]

    def to_json(self) -> dict[str, Any]:
        return {
            "changes": [c.to_json() for c in self.changes],
            "ranking_a": self.ranking_a,
            "ranking_b": self.ranking_b,
        }


class _Walk:
    """Scenario A turned into B step by step, with the evaluation after each step."""

    def __init__(self, criteria_set: CriteriaSet, providers: list[Provider], start: Scenario):
        self.criteria_set, self.providers = criteria_set, providers
        self.scenario = start
        self.study, self.evaluation = self._evaluate()
        self.changes: list[Change] = []

    def _evaluate(self) -> tuple[Study, Evaluation]:
        study = build_study(self.criteria_set, self.providers, self.scenario)
        return study, evaluate(study, self.scenario.method, self.scenario.normalization)

    def step(self, kind: str, target: str | None, before: Any, after: Any, apply) -> Change:
        apply(self.scenario)
        change = Change(kind, target, before, after)
        old = self.evaluation
        try:
            self.study, self.evaluation = self._evaluate()
        except WorkbenchError as exc:
            change.error = str(exc)
            change.horizon = horizon_in_force(self.criteria_set, self.scenario.cost_settings)
            self.changes.append(change)
            return change
        change.horizon = self.study.cost_settings().horizon
        ranks_before, ranks_after = _ranks(old), _ranks(self.evaluation)
        for pid in [*ranks_before, *(p for p in ranks_after if p not in ranks_before)]:
            change.rank_moves[pid] = [ranks_before.get(pid, (None, None))[0], ranks_after.get(pid, (None, None))[0]]
            change.score_moves[pid] = [ranks_before.get(pid, (None, None))[1], ranks_after.get(pid, (None, None))[1]]
        self.changes.append(change)
        return change


def named_at(criteria_set: CriteriaSet, change: Change) -> CriteriaSet:
    """`criteria_set` (the file's, as given to `diff_scenarios`) with its cost criteria named for
    the horizon in force at `change`'s step."""
    return criteria_set if change.horizon is None else with_horizon(criteria_set, change.horizon)


def _ranks(evaluation: Evaluation) -> dict[str, tuple[int, float]]:
    return {r.id: (r.rank, r.score) for r in evaluation.results}


def diff_scenarios(criteria_set: CriteriaSet, providers: list[Provider], a: Scenario, b: Scenario) -> ScenarioDiff:
    """The differences from `a` to `b` and their effect, applied in the order of the module docstring.
    `criteria_set` is the file's (its names written for its own horizon), as each step names its
    cost criteria from it for the horizon then in force."""
    study_a, study_b = build_study(criteria_set, providers, a), build_study(criteria_set, providers, b)
    method_a, norm_a = resolve_method(study_a, a.method, a.normalization)
    method_b, norm_b = resolve_method(study_b, b.method, b.normalization)
    ranking_b = [r.id for r in evaluate(study_b, method_b, norm_b).results]
    start = copy.deepcopy(a)
    start.method, start.normalization = method_a, norm_a
    # The explicit list decides from here on, reference models included or not as A had them.
    start.providers, start.include_references = list(study_a.provider_ids), True
    walk = _Walk(criteria_set, providers, start)
    ranking_a = [r.id for r in walk.evaluation.results]

    _options(walk, providers, study_b.provider_ids)
    _must_haves(walk, criteria_set, b)
    _overrides(walk, b)
    for key in SETTING_KEYS:
        if a.cost_settings.get(key) != b.cost_settings.get(key):
            before = _setting(walk.study, key)
            walk.step("cost", key, before, None, lambda sc, k=key: _set_or_drop(sc.cost_settings, k, b.cost_settings))
            walk.changes[-1].after = _setting(walk.study, key)
    for node in criteria_set.nodes():
        before, after = a.weights.get(node.id, node.weight), b.weights.get(node.id, node.weight)
        if before != after:
            walk.step("weight", node.id, before, after, lambda sc, n=node.id, v=after: sc.weights.__setitem__(n, v))
    if norm_a != norm_b and get_method(method_a).normalizable and norm_b is not None:
        walk.step("normalization", None, norm_a, norm_b, lambda sc: setattr(sc, "normalization", norm_b))
    if method_a != method_b:
        walk.step("method", None, method_a, method_b, lambda sc: _set_method(sc, method_b, norm_b))
    return ScenarioDiff(walk.changes, ranking_a, ranking_b)


def _options(walk: _Walk, providers: list[Provider], wanted: list[str]) -> None:
    order = [p.id for p in providers]
    have = list(walk.scenario.providers or order)

    def include(sc: Scenario, pid: str) -> None:
        sc.providers = [q for q in order if q == pid or q in (sc.providers or ())]

    for pid in [p for p in have if p not in wanted]:
        walk.step("option", pid, "included", "excluded", lambda sc, p=pid: sc.providers.remove(p))
    for pid in [p for p in order if p in wanted and p not in have]:
        walk.step("option", pid, "excluded", "included", lambda sc, p=pid: include(sc, p))


def _must_haves(walk: _Walk, criteria_set: CriteriaSet, b: Scenario) -> None:
    """Per leaf in tree order: the rule in force (a scenario may add or replace one), then on/off."""
    for leaf in criteria_set.leaves():
        rule_now = walk.scenario.must_haves.get(leaf.id, leaf.must_have)
        rule_b = b.must_haves.get(leaf.id, leaf.must_have)
        if rule_now != rule_b:

            def replace(sc: Scenario, leaf_id: str = leaf.id) -> None:
                if leaf_id in b.must_haves:
                    sc.must_haves[leaf_id] = b.must_haves[leaf_id]
                else:
                    sc.must_haves.pop(leaf_id, None)

            walk.step("must-have", leaf.id, _rule(rule_now), _rule(rule_b), replace)
        off_now, off_b = leaf.id in walk.scenario.disabled_must_haves, leaf.id in b.disabled_must_haves
        if rule_b is not None and off_now != off_b:

            def switch(sc: Scenario, leaf_id: str = leaf.id, off: bool = off_b) -> None:
                kept = [x for x in sc.disabled_must_haves if x != leaf_id]
                sc.disabled_must_haves = kept + ([leaf_id] if off else [])

            walk.step("must-have", leaf.id, "off" if off_now else "on", "off" if off_b else "on", switch)


def _rule(rule: MustHave | None) -> str:
    return "none" if rule is None else rule.describe()


def _overrides(walk: _Walk, b: Scenario) -> None:
    current = {(o.provider, o.criterion): o for o in walk.scenario.overrides}
    wanted = {(o.provider, o.criterion): o for o in b.overrides}
    for key in sorted(set(current) | set(wanted)):
        old, new = current.get(key), wanted.get(key)
        if old is not None and new is not None and (old.value, old.note) == (new.value, new.note):
            continue
        if key[0] not in walk.study.provider_ids:
            continue  # the option is not compared in B: its override changes nothing

        def apply(sc: Scenario, key: tuple[str, str] = key, new: Any = new) -> None:
            sc.overrides = [o for o in sc.overrides if (o.provider, o.criterion) != key] + ([new] if new else [])

        before = _value(walk.study, *key)
        walk.step("override", "/".join(key), before, None, apply)
        walk.changes[-1].after = _value(walk.study, *key)


def _value(study: Study, provider: str, criterion: str) -> float | None:
    try:
        return float(study.matrix[study.provider_ids.index(provider), study.leaf_ids.index(criterion)])
    except ValueError:
        return None


def _setting(study: Study, key: str) -> Any:
    value = getattr(study.cost_settings(), key)
    return dict(value) if isinstance(value, dict) else value


def _set_or_drop(settings: dict[str, Any], key: str, source: dict[str, Any]) -> None:
    if key in source:
        settings[key] = source[key]
    else:
        settings.pop(key, None)


def _set_method(scenario: Scenario, method: str, normalization: str | None) -> None:
    scenario.method, scenario.normalization = method, normalization


def diff_scenario_files(
    criteria: Path | str, a: Path | str, b: Path | str, providers_dir: Path | str | None = None
) -> tuple[ScenarioDiff, dict[str, str], list[Problem]]:
    """`diff_scenarios` on files, with each option's name (English) for display and the problems
    of profiles that could not be read (left out, as `load_study` does)."""
    criteria_set = load_criteria_set(criteria)
    folder = resolve_providers_dir(criteria_set, providers_dir)
    providers, problems = load_providers(folder, leaf_index(criteria_set), ignore_unknown=True)
    if not providers:
        raise LoadError(problems or [Problem(str(folder), 1, "", "no provider profiles (*.yaml) in this folder")])
    ids = [p.id for p in providers]
    scenario_a, scenario_b = (load_scenario(path, criteria_set, ids) for path in (a, b))
    names = {p.id: p.name.get("en") for p in providers}
    return diff_scenarios(criteria_set, providers, scenario_a, scenario_b), names, problems
