"""`methods`: the installed MCDA methods (the registry of `workbench.methods`), as a table or JSON.

`--format markdown` prints the table that docs/methods.md embeds, so the documentation lists
exactly the methods the engine has.
"""

from __future__ import annotations

import argparse

from ..methods import Method, registry
from .common import EXIT_OK, table, write_json


def _normalization(method: Method) -> str:
    if not method.normalizable:
        return "none (criterion units)"
    return method.default_normalization or "none (raw values)"


def _hooks(method: Method) -> str:
    names = ("prepare", "contributions", "details", "draw_scorer")
    found = [name for name in names if getattr(method, name) is not None]
    return ", ".join(["linear", *found] if method.linear else found) or "-"


def markdown_table() -> str:
    """The Markdown table of every installed method, one row each in menu order."""
    lines = ["| method | label (fr / en) | score | default normalisation | better | hooks |", "| --- " * 6 + "|"]
    for m in registry().values():
        better = "higher" if m.higher_is_better else "lower"
        cells = [m.name, f"{m.label['fr']} / {m.label['en']}", m.formula or "-", _normalization(m), better, _hooks(m)]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def cmd_methods(args: argparse.Namespace) -> int:
    methods = registry().values()
    if args.format == "json":
        write_json(
            [
                {
                    "name": m.name,
                    "label": dict(m.label),
                    "default_normalization": m.default_normalization,
                    "normalizable": m.normalizable,
                    "higher_is_better": m.higher_is_better,
                    "linear": m.linear,
                    "formula": m.formula,
                }
                for m in methods
            ]
        )
    elif args.format == "markdown":
        print(markdown_table())
    else:
        rows = [
            [m.name, m.title(args.lang), _normalization(m), "higher" if m.higher_is_better else "lower"]
            for m in methods
        ]
        print(table(rows, ["method", "label", "default normalisation", "better"]))
    return EXIT_OK


def register(sub) -> None:
    p = sub.add_parser("methods", help="list the installed MCDA methods")
    p.add_argument("--format", choices=("table", "json", "markdown"), default="table")
    p.add_argument("--lang", choices=("fr", "en"), default="en")
    p.set_defaults(func=cmd_methods)
