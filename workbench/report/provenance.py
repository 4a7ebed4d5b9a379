"""The scenario embedded in a report, as YAML that `--scenario` reads back.

`workbench.scenario_io` (the app's serialiser) is used when it exists; until then this small
serialiser writes the keys documented in docs/formats.md (§ Scenario). Output goes through
`yaml.safe_dump`, so no YAML tag or object can be produced, and keys keep a fixed order so the
same scenario always gives the same bytes.
"""

from __future__ import annotations

from typing import Any

import yaml

from ..model import Scenario
from ..study import Study


def scenario_mapping(scenario: Scenario, study: Study | None = None) -> dict[str, Any]:
    """The scenario as a plain mapping in the documented key order; empty keys are left out."""
    criteria = scenario.criteria
    if criteria is None and study is not None and study.criteria_set.path is not None:
        from .model import display_path

        criteria = display_path(study.criteria_set.path)
    data: dict[str, Any] = {}
    if criteria:
        data["criteria"] = str(criteria)
    if scenario.title:
        data["title"] = scenario.title
    if scenario.providers is not None:
        data["providers"] = list(scenario.providers)
    if scenario.method:
        data["method"] = scenario.method
    if scenario.normalization:
        data["normalization"] = scenario.normalization
    if scenario.weights:
        data["weights"] = {k: _number(v) for k, v in scenario.weights.items()}
    if scenario.disabled_must_haves:
        data["disabled_must_haves"] = list(scenario.disabled_must_haves)
    if scenario.overrides:
        data["overrides"] = [
            {
                "provider": o.provider,
                "criterion": o.criterion,
                "value": _number(o.value),
                **({"note": o.note} if o.note else {}),
            }
            for o in scenario.overrides
        ]
    if scenario.notes:
        data["notes"] = scenario.notes
    for key, value in scenario.cost_settings.items():
        data[key] = value
    return data


def _number(value: float) -> int | float:
    value = float(value)
    return int(value) if value.is_integer() else value


def scenario_yaml(scenario: Scenario, study: Study | None = None) -> str:
    """YAML text of the scenario (the app's serialiser when available, else `scenario_mapping`)."""
    try:
        from .. import scenario_io  # type: ignore[attr-defined]
    except ImportError:
        scenario_io = None
    dump = getattr(scenario_io, "scenario_to_yaml", None) if scenario_io else None
    if dump is not None:
        try:
            return str(dump(scenario))
        except (TypeError, ValueError):
            pass  # fall back to our own writer rather than lose the provenance
    return yaml.safe_dump(scenario_mapping(scenario, study), allow_unicode=True, sort_keys=False, width=100)
