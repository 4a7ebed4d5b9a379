"""Study files (YAML) -> validated model objects: the public entry of `workbench.files`.

Each kind of file has its module (`criteria`, `providers`, `scenarios`), all built on the one
line-aware `checker.Checker`, so every problem is named by file, line and field and all problems
of a file are reported at once.
"""

from __future__ import annotations

from .checker import ID_PATTERN, MAX_TEXT, Checker
from .criteria import criteria_set_from_doc, load_criteria_set
from .providers import load_provider, load_providers, provider_files, provider_from_doc
from .scenarios import load_scenario, parse_scenario, scenario_from_doc

__all__ = [
    "ID_PATTERN",
    "MAX_TEXT",
    "Checker",
    "criteria_set_from_doc",
    "load_criteria_set",
    "load_provider",
    "load_providers",
    "parse_scenario",
    "provider_files",
    "provider_from_doc",
    "load_scenario",
    "scenario_from_doc",
]
