"""A criteria set + its providers + a scenario -> the decision matrix the kernels score."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from .costs import CostsError, CostSettings, TcoTable, resolve_cost_settings, tco_table
from .errors import LoadError, Problem
from .files.criteria import load_criteria_set
from .files.providers import load_providers
from .files.scenarios import load_scenario
from .files.yamlfile import is_dir
from .horizon_names import named_for
from .model import CriteriaSet, Criterion, MustHave, Provider, Scenario
from .weights import global_weights, node_shares

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Study:
    """Everything an evaluation needs, already checked: rows are providers, columns leaves.

    Reference models (`role: reference`) are kept apart in `references`, out of the matrix, so
    nothing that ranks (SMAA, flip thresholds, method agreement) counts them, unless the scenario
    sets `include_references: true`.
    """

    criteria_set: CriteriaSet
    providers: list[Provider]
    scenario: Scenario
    leaves: list[Criterion]
    matrix: np.ndarray
    missing: np.ndarray
    overridden: np.ndarray
    problems: list[Problem] = field(default_factory=list)
    references: list[Provider] = field(default_factory=list)

    @property
    def leaf_ids(self) -> list[str]:
        return [leaf.id for leaf in self.leaves]

    @property
    def provider_ids(self) -> list[str]:
        return [p.id for p in self.providers]

    @cached_property
    def cost_mask(self) -> np.ndarray:
        return np.array([leaf.direction == "cost" for leaf in self.leaves])

    @cached_property
    def lower(self) -> np.ndarray:
        return np.array([leaf.scale.min for leaf in self.leaves])

    @cached_property
    def upper(self) -> np.ndarray:
        return np.array([leaf.scale.max for leaf in self.leaves])

    def cost_settings(self, overrides: Mapping[str, Any] | None = None) -> CostSettings:
        """The TCO settings in force: criteria set <- scenario <- `overrides` (`resolve_cost_settings`).

        Raises:
            LoadError: an invalid setting, named by field and layer.
        """
        return _cost_settings(self.criteria_set, self.scenario, overrides)

    def tco_table(
        self, *, overrides: Mapping[str, Any] | None = None, samples: int = 0, seed: int | None = 0
    ) -> TcoTable:
        """Every option's TCO under `cost_settings(overrides)` (`workbench.costs.tco_table`)."""
        options = [(p.id, p.costs) for p in self.providers]
        return tco_table(options, self.cost_settings(overrides), samples=samples, seed=seed)

    def must_have(self, leaf: Criterion) -> MustHave | None:
        """The knock-out rule in force on a leaf: the scenario's in place of the set's."""
        return self.scenario.must_haves.get(leaf.id, leaf.must_have)

    def global_weights(self, overrides: dict[str, float] | None = None) -> dict[str, float]:
        merged = {**self.scenario.weights, **(overrides or {})}
        return global_weights(self.criteria_set, merged)

    def node_shares(self, overrides: dict[str, float] | None = None) -> tuple[dict[str, float], dict[str, float]]:
        merged = {**self.scenario.weights, **(overrides or {})}
        return node_shares(self.criteria_set, merged)

    def weight_vector(self, overrides: dict[str, float] | None = None) -> np.ndarray:
        weights = self.global_weights(overrides)
        return np.array([weights[i] for i in self.leaf_ids])


def resolve_providers_dir(criteria_set: CriteriaSet, providers_dir: Path | str | None) -> Path:
    """The profiles folder: explicit, else the set's `providers` relative to the repo root."""
    if providers_dir is not None:
        return Path(providers_dir)
    if not criteria_set.providers:
        where = criteria_set.path or criteria_set.id
        raise LoadError([Problem(str(where), 1, "providers", "no providers folder: give --providers")])
    rel = Path(criteria_set.providers)
    if rel.is_absolute():
        return rel
    for base in (Path.cwd(), REPO_ROOT, (criteria_set.path or Path(".")).resolve().parent):
        if is_dir(base / rel):
            return base / rel
    return REPO_ROOT / rel


def leaf_index(criteria_set: CriteriaSet) -> dict[str, Criterion]:
    return {leaf.id: leaf for leaf in criteria_set.leaves()}


def build_study(
    criteria_set: CriteriaSet,
    providers: list[Provider],
    scenario: Scenario | None = None,
    *,
    allow_missing: bool = False,
) -> Study:
    """Assemble the matrix; a missing score is an error unless `allow_missing` (worst value, flagged)."""
    scenario = scenario or Scenario()
    # A cost criterion's name says the horizon its values are computed over (horizon_names).
    criteria_set = named_for(criteria_set, scenario.cost_settings)
    if scenario.providers is not None:
        by_id = {p.id: p for p in providers}
        providers = [by_id[i] for i in scenario.providers if i in by_id]
    set_apart = not scenario.include_references
    references = [p for p in providers if set_apart and p.is_reference]
    providers = [p for p in providers if not (set_apart and p.is_reference)]
    if not providers:
        raise LoadError(
            [Problem(str(criteria_set.path or criteria_set.id), 1, "providers", "no providers to evaluate")]
        )
    leaves = criteria_set.leaves()
    n, m = len(providers), len(leaves)
    matrix = np.zeros((n, m))
    missing = np.zeros((n, m), dtype=bool)
    overridden = np.zeros((n, m), dtype=bool)
    tco_values = _tco_values(criteria_set, providers, scenario, leaves)
    # A what-if override stands in for the profile's value, so it also fills a missing score.
    overrides = {(ov.provider, ov.criterion): ov.value for ov in scenario.overrides}
    problems: list[Problem] = []
    for i, provider in enumerate(providers):
        for j, leaf in enumerate(leaves):
            score = provider.scores.get(leaf.id)
            value = overrides.get((provider.id, leaf.id))
            overridden[i, j] = value is not None
            if value is None:
                value = tco_values.get((provider.id, leaf.id))
            if value is None and score is not None:
                value = score.value
            if value is None:
                missing[i, j] = True
                value = leaf.scale.max if leaf.direction == "cost" else leaf.scale.min
                line = score.line if score and score.line else 1
                problems.append(Problem(str(provider.path or provider.id), line, f"scores.{leaf.id}", "missing score"))
            matrix[i, j] = value
    if problems and not allow_missing:
        raise LoadError(problems)
    return Study(criteria_set, providers, scenario, leaves, matrix, missing, overridden, problems, references)


def _cost_settings(
    criteria_set: CriteriaSet, scenario: Scenario, overrides: Mapping[str, Any] | None = None
) -> CostSettings:
    try:
        return resolve_cost_settings(criteria_set.cost_settings, scenario.cost_settings, overrides)
    except CostsError as exc:
        where = str(scenario.path or criteria_set.path or criteria_set.id)
        raise LoadError([Problem(where, 1, f, m) for f, m in exc.problems]) from None


def _tco_values(
    criteria_set: CriteriaSet, providers: list[Provider], scenario: Scenario, leaves: list[Criterion]
) -> dict[tuple[str, str], float]:
    """Values of `source: tco` leaves from each provider's cost model (NPV, clipped to the scale)."""
    tco_leaves = [leaf for leaf in leaves if leaf.source == "tco"]
    if not tco_leaves or not any(p.costs is not None for p in providers):
        return {}
    table = tco_table([(p.id, p.costs) for p in providers], _cost_settings(criteria_set, scenario))
    if table.problems:
        by_id = {p.id: p for p in providers}
        raise LoadError([_cost_problem(by_id[pid], path, message) for pid, path, message in table.problems])
    return {
        (pid, leaf.id): float(np.clip(result.npv, leaf.scale.min, leaf.scale.max))
        for pid, result in table.results.items()
        for leaf in tco_leaves
    }


def _cost_problem(provider: Provider, path: str, message: str) -> Problem:
    """A pricing problem at the field of the cost block it is about (a missing fx rate at the
    block's currency), in the file that holds the block (a component's, for a composed option)."""
    costs = provider.costs
    field = path if path.startswith("costs.") else "costs.currency"
    file = costs.file or str(provider.path or provider.id)
    return Problem(file, costs.line_of(field) or 1, field, message)


def load_study(
    criteria: Path | str,
    providers_dir: Path | str | None = None,
    scenario: Path | str | Scenario | None = None,
    *,
    allow_missing: bool = False,
) -> Study:
    """Read the files and build the study; bad provider files are left out and reported."""
    criteria_set = load_criteria_set(criteria)
    folder = resolve_providers_dir(criteria_set, providers_dir)
    providers, problems = load_providers(folder, leaf_index(criteria_set), ignore_unknown=True)
    if not providers:
        raise LoadError(problems or [Problem(str(folder), 1, "", "no provider profiles (*.yaml) in this folder")])
    if isinstance(scenario, (str, Path)):
        scenario = load_scenario(scenario, criteria_set, [p.id for p in providers])
    study = build_study(criteria_set, providers, scenario, allow_missing=allow_missing)
    study.problems = problems + study.problems
    return study
