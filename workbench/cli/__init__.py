"""Command line: `python -m workbench validate|evaluate|ahp|methods|sensitivity|tco|report|workshop`.

Every failure a user can cause ends with a plain sentence and exit code 2 (1 for `validate`'s
findings), never a traceback. Each command group is one module of this package exposing
`register(subparsers)`.
"""

from __future__ import annotations

import argparse
import functools
import sys
from collections.abc import Sequence
from pathlib import Path

from ..errors import WorkbenchError
from ..methods import method_names
from . import diff, methods, record, report, sensitivity, spreadsheet, study, tco, workshop
from .common import EXIT_USAGE, Parser

COMMAND_GROUPS = (study, methods, sensitivity, tco, report, workshop, record, diff, spreadsheet)


def build_parser() -> argparse.ArgumentParser:
    """The parser for the methods installed now (a plug-in added later gets a new parser)."""
    prog = "workbench" if Path(sys.argv[0]).name == "workbench" else "python -m workbench"
    return _parser(prog, method_names())


@functools.lru_cache(maxsize=4)
def _parser(prog: str, methods_installed: tuple[str, ...]) -> argparse.ArgumentParser:
    # Building every sub-command takes tens of milliseconds; in-process callers (tests, the fuzz
    # script) reuse it. argparse keeps no state between parse_args calls.
    parser = Parser(prog=prog, description="Alternatives evaluation workbench")
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
