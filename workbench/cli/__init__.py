"""Command line: `python -m workbench validate|evaluate|ahp|methods|sensitivity|tco|report|workshop`.

Every failure a user can cause ends with a plain sentence and exit code 2 (1 for `validate`'s
findings), never a traceback. Each command group is one module of this package exposing
`register(subparsers)`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..errors import WorkbenchError
from . import diff, methods, record, report, sensitivity, study, tco, workshop
from .common import EXIT_USAGE, Parser

COMMAND_GROUPS = (study, methods, sensitivity, tco, report, workshop, record, diff)


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(prog="python -m workbench", description="Alternatives evaluation workbench")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=Parser)
    for group in COMMAND_GROUPS:
        group.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except WorkbenchError as exc:
        for problem in exc.problems:
            print(f"error: {problem}" if problem.file else f"error: {problem.message}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # output piped into `head` and the like: stop quietly
        sys.stderr.close()
        return 0
