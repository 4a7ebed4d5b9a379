"""`diff --criteria FILE A.yaml B.yaml`: what differs between two scenarios and what each change does.

The changes are applied to A one at a time, in the order `workbench.scenario_diff` states, and
each is shown with the options whose rank it moved; `--format json` gives
`{"changes": [{"kind", "target", "from", "to", "rank_moves": {id: [before, after]}, ...}],
"ranking_a": [...], "ranking_b": [...]}`.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .common import EXIT_OK, table, write_json


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) or "{}"
    return str(value)


def cmd_diff(args: argparse.Namespace) -> int:
    from ..scenario_diff import diff_scenario_files

    diff, names, problems = diff_scenario_files(args.criteria, args.a, args.b, args.providers)
    for problem in problems:
        print(f"warning: {problem}", file=sys.stderr)
    if args.format == "json":
        write_json(diff.to_json())
        return EXIT_OK
    if not diff.changes:
        print("The two scenarios rank the same study in the same way: no difference.")
        return EXIT_OK
    rows = []
    for number, change in enumerate(diff.changes, 1):
        moved = [f"{pid} {a or '—'}→{b or '—'}" for pid, (a, b) in change.rank_moves.items() if a != b]
        effect = f"error: {change.error}" if change.error else ", ".join(moved) or "no rank moves"
        rows.append([number, change.kind, change.target or "", _show(change.before), _show(change.after), effect])
    print(table(rows, ["#", "kind", "target", "from", "to", "rank moves (before→after)"]))
    print()
    print("A: " + " > ".join(names.get(p, p) for p in diff.ranking_a))
    print("B: " + " > ".join(names.get(p, p) for p in diff.ranking_b))
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("diff", help="what differs between two scenarios, and how each change moves the ranking")
    p.add_argument("--criteria", required=True, metavar="FILE", help="criteria set (YAML)")
    p.add_argument("--providers", metavar="DIR", help="folder of provider profiles (default: the set's)")
    p.add_argument("a", metavar="A.yaml", help="the scenario to start from")
    p.add_argument("b", metavar="B.yaml", help="the scenario to arrive at")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=cmd_diff)
