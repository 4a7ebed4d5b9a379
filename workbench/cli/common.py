"""What every command shares: exit codes, the usage error, the parser, study arguments, output."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..errors import WorkbenchError
from ..methods import method_names
from ..model import NORMALIZATIONS

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


class UsageError(WorkbenchError):
    """Bad arguments: exit 2 with a sentence."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse would exit 2 too; keep the sentence plain
        self.print_usage(sys.stderr)
        print(f"error: {message}", file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def add_study_arguments(p: argparse.ArgumentParser, *, method: bool = True) -> None:
    """--criteria/--providers/--scenario (and --method/--normalization), shared by commands."""
    p.add_argument("--criteria", required=True, metavar="FILE", help="criteria set (YAML)")
    p.add_argument("--providers", metavar="DIR", help="folder of provider profiles (default: the set's)")
    p.add_argument("--scenario", metavar="FILE", help="scenario (YAML): providers, weights, method, overrides")
    if method:
        p.add_argument("--method", choices=method_names())
        p.add_argument("--normalization", choices=NORMALIZATIONS)


def seed_arg(text: str) -> int:
    """An argparse type: a random seed, a whole number from 0 to 2⁶³ − 1."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if not 0 <= value < 2**63:
        raise argparse.ArgumentTypeError(f"a seed is a whole number from 0 to 2**63 - 1, got {value}")
    return value


def write_json(data: Any, out=None) -> None:
    out = out or sys.stdout
    json.dump(data, out, ensure_ascii=False, indent=2, allow_nan=False)
    out.write("\n")


def table(rows: Sequence[Sequence[Any]], header: Sequence[str]) -> str:
    """A plain aligned text table."""
    cells = [[str(h) for h in header]] + [[_cell(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def parse_weight_args(items: Sequence[str] | None) -> dict[str, float]:
    out: dict[str, float] = {}
    for item in items or []:
        key, sep, value = item.partition("=")
        try:
            number = float(value)
        except ValueError:
            number = float("nan")
        if not sep or not key or not np.isfinite(number) or number < 0:
            raise UsageError(f"--weights expects ID=W with W a non-negative number, got {item!r}")
        out[key] = number
    return out


def load_study_from_args(args: argparse.Namespace, *, allow_missing: bool = False):
    from ..study import load_study

    study = load_study(args.criteria, args.providers, args.scenario, allow_missing=allow_missing)
    for problem in study.problems:
        print(f"warning: {problem}", file=sys.stderr)
    return study
