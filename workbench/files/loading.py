"""Study files (YAML) -> validated model objects: the public entry of `workbench.files`.

Each kind of file has its module (`criteria`, `providers`, `scenarios`), all built on the one
line-aware `checker.Checker`, so every problem is named by file, line and field and all problems
of a file are reported at once.
"""

from __future__ import annotations

from .criteria import criteria_set_from_doc, load_criteria_set
from .providers import load_providers, provider_from_doc
from .scenarios import load_scenario, parse_scenario, scenario_from_doc

__all__ = [
    "criteria_set_from_doc",
    "load_criteria_set",
    "load_providers",
    "load_scenario",
    "parse_scenario",
    "provider_from_doc",
    "scenario_from_doc",
]
