"""Command line: `python -m workbench validate|evaluate|ahp|sensitivity|tco|report|workshop`.

Every failure a user can cause ends with a plain sentence and exit code 2 (1 for `validate`'s
findings), never a traceback. Each further command lives in its own `cli_*` module exposing
`register(subparsers)`.
"""

from __future__ import annotations

import argparse
import csv
import importlib
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .errors import WorkbenchError
from .model import METHODS, NORMALIZATIONS

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
EXTRA_COMMANDS = ("cli_sensitivity", "cli_tco", "cli_report", "cli_workshop")


class UsageError(WorkbenchError):
    """Bad arguments: exit 2 with a sentence."""


class _Parser(argparse.ArgumentParser):
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
        p.add_argument("--method", choices=METHODS)
        p.add_argument("--normalization", choices=NORMALIZATIONS)


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


# --- validate --------------------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace) -> int:
    from .validation import coverage_report, validate_paths

    paths = (
        args.paths
        or [p for p in ("criteria", "providers", "scenarios") if Path(p).exists()]
        or ["criteria", "providers"]
    )
    problems, summary = validate_paths(paths)
    for problem in problems:
        print(problem)
    if args.coverage:
        print(coverage_report(paths, stale_months=args.stale_months))
    if problems:
        print(f"{len(problems)} problem(s) in {summary['files']} file(s).", file=sys.stderr)
        return EXIT_FINDINGS
    print(f"OK: {summary['criteria_sets']} criteria set(s), {summary['providers']} provider profile(s), "
          f"{summary['scenarios']} scenario(s), no problems.", file=sys.stderr)  # fmt: skip
    return EXIT_OK


# --- evaluate --------------------------------------------------------------------------------


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
    from .study import load_study

    study = load_study(args.criteria, args.providers, args.scenario, allow_missing=allow_missing)
    for problem in study.problems:
        print(f"warning: {problem}", file=sys.stderr)
    return study


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .evaluate import evaluate

    weights = parse_weight_args(args.weights)
    study = load_study_from_args(args, allow_missing=args.allow_missing)
    known = {n.id for n in study.criteria_set.nodes()}
    unknown = sorted(set(weights) - known)
    if unknown:
        raise UsageError(f"--weights names unknown criteria: {', '.join(unknown)}")
    ev = evaluate(study, args.method, args.normalization, weights, lang=args.lang)
    data = ev.to_json()
    if args.format == "json":
        write_json(data)
    elif args.format == "csv":
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\n")
        writer.writerow(["rank", "id", "name", "score", "eligible", "failed_must_haves"])
        for r in ev.results:
            failed = "; ".join(f"{f.criterion} {f.required} (actual {f.actual:g})" for f in r.failed_must_haves)
            writer.writerow([r.rank, r.id, _safe_cell(r.name), repr(r.score), r.eligible, _safe_cell(failed)])
        sys.stdout.write(buf.getvalue())
    else:
        rows = [
            [r.rank, r.id, r.score, "yes" if r.eligible else "NO", ", ".join(f.criterion for f in r.failed_must_haves)]
            for r in ev.results
        ]
        label = "Q (lower is better)" if not ev.higher_is_better else "score"
        print(
            f"{study.criteria_set.name.get(args.lang)} — {ev.method}"
            + (f" / {ev.normalization}" if ev.normalization else "")
        )
        print(table(rows, ["rank", "id", label, "eligible", "failed must-haves"]))
    return EXIT_OK


def _safe_cell(text: str) -> str:
    """Neutralise spreadsheet formulas in user text (a leading = + - @ tab or CR)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# --- ahp -------------------------------------------------------------------------------------


def read_pairwise(path: Path) -> tuple[list[str], list[list[float]]]:
    """YAML `{criteria: [ids], matrix: [[...]]}` or CSV with a header row; cells may be '1/3'."""
    from .errors import LoadError, Problem
    from .yamlfile import read_yaml

    if path.suffix.lower() == ".csv":
        try:
            rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
        except (OSError, UnicodeDecodeError) as exc:
            raise LoadError([Problem(str(path), 1, "", f"cannot read file: {exc}")]) from None
        rows = [r for r in rows if any(c.strip() for c in r)]
        if not rows:
            raise LoadError([Problem(str(path), 1, "", "empty file")])
        header = [c.strip() for c in rows[0]]
        body = rows[1:]
        if body and header and header[0] == "" or (body and len(body[0]) == len(header) + 1):
            header = [h for h in header if h]
            body = [r[1:] for r in body]
        matrix = [[_judgment(c, path, i + 2) for c in r] for i, r in enumerate(body)]
        return header, matrix
    doc = read_yaml(path)
    data = doc.data
    if not isinstance(data, dict) or "criteria" not in data or "matrix" not in data:
        raise LoadError([Problem(str(path), 1, "", "expected a mapping with 'criteria' and 'matrix'")])
    ids, matrix = data["criteria"], data["matrix"]
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise LoadError([Problem(str(path), doc.line(("criteria",)), "criteria", "expected a list of ids")])
    if not isinstance(matrix, list) or not all(isinstance(r, list) for r in matrix):
        raise LoadError([Problem(str(path), doc.line(("matrix",)), "matrix", "expected a list of rows")])
    return ids, [[_judgment(c, path, doc.line(("matrix", i))) for c in r] for i, r in enumerate(matrix)]


def _judgment(cell: Any, path: Path, line: int) -> float:
    from .errors import LoadError, Problem

    try:
        if isinstance(cell, str) and "/" in cell:
            num, den = cell.split("/", 1)
            value = float(num) / float(den)
        elif isinstance(cell, bool):
            raise ValueError
        else:
            value = float(cell)
    except (ValueError, ZeroDivisionError, TypeError):
        raise LoadError(
            [Problem(str(path), line, "matrix", f"{cell!r} is not a number or a fraction like 1/3")]
        ) from None
    return value


def cmd_ahp(args: argparse.Namespace) -> int:
    from .weights import ahp

    ids, matrix = read_pairwise(Path(args.file))
    rows = {len(r) for r in matrix}
    if rows != {len(ids)} or len(matrix) != len(ids):
        raise UsageError(f"{args.file}: the matrix must be {len(ids)}×{len(ids)} for {len(ids)} criteria")
    try:
        result = ahp(ids, matrix, args.ri_table)
    except ValueError as exc:
        raise UsageError(f"{args.file}: {exc}") from None
    if args.format == "json":
        write_json(result.to_json())
        return EXIT_OK
    print(table([[k, v] for k, v in result.weights.items()], ["criterion", "weight"]))
    print(f"λmax = {result.lambda_max:.4f}  CI = {result.ci:.4f}  RI = {result.ri:.4f} ({result.ri_table})  "
          f"CR = {result.cr:.4f}")  # fmt: skip
    if not result.consistent:
        print("warning: CR > 0.1: the judgments are inconsistent; revise the most contradictory pairs.")
    return EXIT_OK


# --- entry point -----------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    from .weights import DEFAULT_RI, RI_TABLES

    parser = _Parser(prog="python -m workbench", description="Alternatives evaluation workbench")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("validate", help="check criteria sets, provider profiles and scenarios")
    p.add_argument(
        "paths", nargs="*", metavar="PATH", help="files or folders (default: criteria/ providers/ scenarios/)"
    )
    p.add_argument("--coverage", action="store_true", help="report evidence coverage per study and provider")
    p.add_argument("--stale-months", type=int, default=None, metavar="N", help="list sources older than N months")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("evaluate", help="score and rank the providers of a study")
    add_study_arguments(p)
    p.add_argument("--weights", nargs="+", metavar="ID=W", help="override node weights")
    p.add_argument("--allow-missing", action="store_true", help="missing scores take the worst value (flagged)")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.add_argument("--lang", choices=("fr", "en"), default="en")
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("ahp", help="AHP weights and consistency from a pairwise matrix")
    p.add_argument("file", metavar="FILE", help="YAML {criteria, matrix} or CSV with a header row")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--ri-table", choices=tuple(RI_TABLES), default=DEFAULT_RI)
    p.set_defaults(func=cmd_ahp)

    for name in EXTRA_COMMANDS:
        try:
            module = importlib.import_module(f".{name}", __package__)
        except ModuleNotFoundError as exc:
            if exc.name != f"{__package__}.{name}":
                raise
            continue
        module.register(sub)
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
