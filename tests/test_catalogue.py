"""Every message of the French/English catalogue (workbench/i18n/catalog/*.yaml) is used.

A key counts as used when the code names it in full (a string literal in workbench/, ui/ or
app.py, or in a report template), or when it sits under one of the prefixes below, which the code
completes at run time (`t(f"method.{name}", lang)`). Each prefix must still be built that way
somewhere, so the list cannot outlive the code.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "workbench" / "i18n" / "catalog"
TEMPLATES = ROOT / "workbench" / "report" / "templates"

# Prefix -> what completes it (an id from a file, an enum value, a format...).
DYNAMIC_PREFIXES = {
    "app.direction.": "a criterion's direction (benefit, cost)",
    "confidence.": "a score's confidence (low, medium, high)",
    "robustness.reversal.": "a rank-reversal sentence (removals, dominated_copies)",
    "cost.item.": "a cost item's key in a profile's cost block (licences, hosting...)",
    "kind.": "a source's kind (official, vendor, press, analysis, reference, community)",
    "status.": "a score's status (verified, vendor-claim, estimate, assumption, disputed)",
    "norm.": "a normalisation's id",
    "report.chart.": "a report figure's name",
    "report.col.": "a cost category",
    "report.direction.": "a criterion's direction",
    "report.explain.norm.": "a normalisation's id",
    "report.export.": "a report format",
    "report.role.": "an input file's role (criteria, provider, scenario)",
    "report.sheet.": "an XLSX sheet's id",
    "report.section.": "a report section's id",
    "report.setting.": "a cost setting's key (horizon, discount_rate, currency, fx, seats)",
    "report.workshop.col.": "a workshop statistic",
    "robustness.scores_model.": "a score-draw model",
    "robustness.tornado.": "a side of the tornado (down, up)",
    "robustness.verdict.level.": "a robustness level",
    "robustness.verdict.flip_": "the way the weight moves (up, down)",
    "robustness.verdict.share.": "what was drawn (weights, scores)",
    "robustness.weights_model.": "a weight-draw model",
    "workshop.agg.": "an aggregate (mean, geometric, median)",
    "workshop.col.": "a dispersion statistic",
    "workshop.consensus.": "Schmidt's band for Kendall's W",
}


def catalogue() -> dict[str, str]:
    """Key -> catalogue file name."""
    keys: dict[str, str] = {}
    for path in sorted(CATALOG.glob("*.yaml")):
        for key in yaml.safe_load(path.read_text(encoding="utf-8")) or {}:
            keys[key] = path.name
    return keys


def code_strings() -> tuple[set[str], set[str]]:
    """(every string literal, every literal start of an f-string) in the code that shows messages."""
    files = [*(ROOT / "workbench").rglob("*.py"), *(ROOT / "ui").rglob("*.py"), ROOT / "app.py"]
    literals: set[str] = set()
    starts: set[str] = set()
    for path in files:
        if "__pycache__" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                literals.add(node.value)
            elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
                starts.add(node.values[0].value)
    return literals, starts


KEYS = catalogue()
LITERALS, FSTRING_STARTS = code_strings()
TEMPLATE_TEXT = "\n".join(p.read_text(encoding="utf-8") for p in sorted(TEMPLATES.glob("*")) if p.is_file())


@pytest.mark.parametrize("catalogue_file", sorted(p.name for p in CATALOG.glob("*.yaml")))
def test_every_key_is_used(catalogue_file):
    unused = [
        key
        for key, where in KEYS.items()
        if where == catalogue_file
        and key not in LITERALS
        and f'"{key}"' not in TEMPLATE_TEXT
        and f"'{key}'" not in TEMPLATE_TEXT
        and not key.startswith(tuple(DYNAMIC_PREFIXES))
    ]
    hints = [f"{key} starts like f{start!r}: a prefix to document?" for key in unused for start in FSTRING_STARTS
             if start and key.startswith(start)]  # fmt: skip
    assert not unused, f"{catalogue_file}: unused keys {unused}" + "".join(f"\n{h}" for h in hints)


def test_every_dynamic_prefix_is_still_built_and_has_keys():
    assert [p for p in DYNAMIC_PREFIXES if p not in FSTRING_STARTS] == []
    assert [p for p in DYNAMIC_PREFIXES if not any(key.startswith(p) for key in KEYS)] == []


def test_the_scan_sees_literals_and_fstring_prefixes():
    assert "col.score" in LITERALS  # t("col.score", lang) in the charts
    assert "workshop.agg." in FSTRING_STARTS  # t(f"workshop.agg.{kind}", lang)
