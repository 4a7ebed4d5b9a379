"""`validate`, `evaluate` and `ahp`: check files, rank a study, weights from pairwise judgments."""

from __future__ import annotations

import argparse
import csv
import io
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from ..files.formulas import neutralise_formula
from .common import (
    EXIT_FINDINGS,
    EXIT_OK,
    UsageError,
    add_study_arguments,
    load_study_from_args,
    parse_weight_args,
    table,
    write_json,
)

# --- validate --------------------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace) -> int:
    """Errors always fail (exit 1); evidence warnings fail only with --strict. The text form lists
    every error, and the warnings one by one with --strict (else a count per code)."""
    from ..validation import check_paths, coverage_report, evidence_coverage

    paths = (
        args.paths
        or [p for p in ("criteria", "providers", "scenarios") if Path(p).exists()]
        or ["criteria", "providers"]
    )
    report = check_paths(paths)
    errors, warnings, summary = report.errors, report.warnings, report.summary
    failed = bool(errors) or (args.strict and bool(warnings))
    if args.format == "json":
        data: dict[str, object] = {"problems": [p.to_json() for p in errors + warnings], "summary": summary}
        if args.coverage:
            data["coverage"] = evidence_coverage(report.catalogue)
        write_json(data)
        return EXIT_FINDINGS if failed else EXIT_OK
    for problem in errors + (warnings if args.strict else []):
        print(problem)
    if warnings and not args.strict:
        counts = Counter(w.code for w in warnings)
        listed = ", ".join(f"{code} {n}" for code, n in sorted(counts.items()))
        print(f"{len(warnings)} warning(s): {listed} (--strict lists them and fails on them)", file=sys.stderr)
    if args.coverage:
        print(coverage_report(report.catalogue, stale_months=args.stale_months))
    if errors:
        print(f"{len(errors)} problem(s) in {summary['files']} file(s).", file=sys.stderr)
    elif failed:
        print(f"{len(warnings)} warning(s) in strict mode.", file=sys.stderr)
    else:
        print(f"OK: {summary['criteria_sets']} criteria set(s), {summary['providers']} provider profile(s), "
              f"{summary['components']} component(s), {summary['scenarios']} scenario(s), no problems.",
              file=sys.stderr)  # fmt: skip
    return EXIT_FINDINGS if failed else EXIT_OK


# --- evaluate --------------------------------------------------------------------------------


def cmd_evaluate(args: argparse.Namespace) -> int:
    from ..evaluate import evaluate

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
            name, failed = neutralise_formula(r.name), neutralise_formula(failed)
            writer.writerow([r.rank, r.id, name, repr(r.score), r.eligible, failed])
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


# --- ahp -------------------------------------------------------------------------------------


def read_pairwise(path: Path) -> tuple[list[str], list[list[float]]]:
    """YAML `{criteria: [ids], matrix: [[...]]}` or CSV with a header row; cells may be '1/3'."""
    from ..errors import LoadError, Problem
    from ..files.yamlfile import read_text_file, read_yaml

    if path.suffix.lower() == ".csv":
        try:
            rows = list(csv.reader(io.StringIO(read_text_file(path))))
        except csv.Error as exc:
            raise LoadError([Problem(str(path), 1, "", f"not a CSV file: {exc}")]) from None
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
    from ..errors import LoadError, Problem

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
    from ..weights import ahp

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


# --- registration ----------------------------------------------------------------------------


def register(sub) -> None:
    from ..weights import DEFAULT_RI, RI_TABLES

    p = sub.add_parser("validate", help="check criteria sets, provider profiles and scenarios")
    p.add_argument(
        "paths", nargs="*", metavar="PATH", help="files or folders (default: criteria/ providers/ scenarios/)"
    )
    p.add_argument("--coverage", action="store_true", help="report evidence coverage per study and provider")
    p.add_argument("--stale-months", type=int, default=None, metavar="N", help="list sources older than N months")
    p.add_argument("--strict", action="store_true", help="fail (exit 1) on evidence warnings too")
    p.add_argument("--format", choices=("text", "json"), default="text")
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
