"""`python -m workbench report`: a publishable report in html, pdf, xlsx, md, csv or json.

    python -m workbench report --criteria FILE [--providers DIR] [--scenario FILE]
        --format html|pdf|xlsx|md|csv|json --out PATH [--lang fr|en] [--allow-broken]

With SOURCE_DATE_EPOCH set, the same inputs give byte-identical HTML, Markdown, CSV and JSON.
This command computes what the report shows (evaluation, TCO table, robustness analysis,
rank-reversal audit, evidence coverage: `workbench.report.inputs`) and hands the results to
`workbench.report.build_report`, which computes nothing itself. A profile that cannot be read
stops the command (exit 2, naming it) unless `--allow-broken`: the report then names it at the top.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..errors import LoadError, WorkbenchError
from ..files.jsonfile import read_json_file
from ..i18n import t
from ..report import FORMATS
from .common import EXIT_OK, UsageError, add_study_arguments, load_study_from_args, parse_weight_args


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("report", help="publishable report (html, pdf, xlsx, md, csv, json)")
    add_study_arguments(p)
    p.add_argument("--format", required=True, choices=FORMATS)
    p.add_argument("--out", required=True, metavar="PATH", help="output file ('-' for standard output, text formats)")
    p.add_argument("--lang", choices=("fr", "en"), default="fr")
    p.add_argument("--title", help="report title (default: the scenario's title, else the study's name)")
    p.add_argument("--weights", nargs="+", metavar="ID=W", help="override node weights")
    p.add_argument("--allow-missing", action="store_true", help="missing scores take the worst value (flagged)")
    p.add_argument(
        "--allow-broken",
        action="store_true",
        help="write the report even when profiles cannot be read (their options are left out; the report names them)",
    )
    p.add_argument(
        "--robustness-samples",
        type=int,
        default=None,
        metavar="N",
        help="SMAA draws for the robustness section (default: the robustness module's; 0 leaves it out)",
    )
    p.add_argument("--workshop", metavar="FILE", help="workshop results (JSON) to summarise in the report")
    p.add_argument("--no-charts", action="store_true", help="leave the charts out (faster)")
    p.set_defaults(func=run)


def read_workshop(path: str) -> dict[str, Any]:
    """A workshop results file (JSON object); a clear sentence when it cannot be used."""
    try:
        data = read_json_file(path)
    except LoadError as exc:
        reason = "; ".join(p.message for p in exc.problems)
        raise WorkbenchError(t("report.error.workshop", "en", path=path, reason=reason)) from None
    if not isinstance(data, dict):
        raise WorkbenchError(t("report.error.workshop", "en", path=path, reason="expected a JSON object"))
    return data


def run(args: argparse.Namespace) -> int:
    from ..costs import CostsError
    from ..evaluate import evaluate
    from ..report import build_report, inputs, needs_charts, render

    if args.robustness_samples is not None and args.robustness_samples < 0:
        raise UsageError("--robustness-samples must be ≥ 0")
    if args.out == "-" and args.format in ("pdf", "xlsx"):
        raise UsageError(f"--out - (standard output) is for text formats; give a file name for {args.format}")
    weights = parse_weight_args(args.weights)
    workshop = read_workshop(args.workshop) if args.workshop else None
    study = load_study_from_args(args, allow_missing=args.allow_missing)
    broken = inputs.load_failures(study)
    if broken and not args.allow_broken:  # each was printed above, with its file and line
        raise WorkbenchError(t("report.cli.broken", "en", count=len(broken)))
    unknown = sorted(set(weights) - {n.id for n in study.criteria_set.nodes()})
    if unknown:
        raise UsageError(f"--weights names unknown criteria: {', '.join(unknown)}")
    evaluation = evaluate(study, args.method, args.normalization, weights, lang=args.lang)
    try:
        costs = inputs.cost_table(study)
    except CostsError as exc:
        raise WorkbenchError(f"cost settings: {exc}") from None
    samples = args.robustness_samples
    report = build_report(
        study,
        evaluation,
        lang=args.lang,
        weights=weights,
        costs=costs,
        robustness=None if samples == 0 else inputs.robustness_analysis(study, evaluation, weights, samples),
        reversal=inputs.reversal_audit(study, evaluation, weights),
        evidence=inputs.evidence_inputs(study, providers_dir=args.providers),
        workshop=workshop,
        title=args.title,
        charts=needs_charts(args.format) and not args.no_charts,
    )
    try:
        data = render(report, args.format)
    except Exception as exc:  # noqa: BLE001 - a renderer's failure is a sentence, never a traceback
        raise WorkbenchError(t("report.export.failed", "en", reason=f"{type(exc).__name__}: {exc}")) from None
    return _write(data, args)


def _write(data: bytes, args: argparse.Namespace) -> int:
    if args.out == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return EXIT_OK
    out = Path(args.out)
    try:
        if out.parent and not out.parent.exists():
            out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
    except OSError as exc:
        raise WorkbenchError(t("report.error.write", "en", path=out, reason=exc.strerror or exc)) from None
    print(t("report.cli.written", args.lang, path=out), file=sys.stderr)
    return EXIT_OK
