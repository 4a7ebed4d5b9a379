"""`python -m workbench report`: a publishable report in html, pdf, xlsx, md, csv or json.

    python -m workbench report --criteria FILE [--providers DIR] [--scenario FILE]
        --format html|pdf|xlsx|md|csv|json --out PATH [--lang fr|en]

With SOURCE_DATE_EPOCH set, the same inputs give byte-identical HTML, Markdown, CSV and JSON.
This command computes what the report shows (evaluation, TCO table, robustness analysis) and
hands the results to `workbench.report.build_report`, which computes nothing itself.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import LoadError, WorkbenchError
from ..files.jsonfile import read_json_file
from ..i18n import t
from ..report import FORMATS
from .common import EXIT_OK, UsageError, add_study_arguments, load_study_from_args, parse_weight_args

if TYPE_CHECKING:
    from ..evaluate import Evaluation
    from ..robustness import Analysis
    from ..study import Study


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


def analyse_robustness(
    study: Study, evaluation: Evaluation, weights: dict[str, float], args: argparse.Namespace
) -> Analysis | Exception:
    """The robustness analysis the report shows (seed 0: a regenerated report shows the same
    shares), or the error that stopped it, which the report then states."""
    from .. import robustness

    samples = {} if args.robustness_samples is None else {"samples": args.robustness_samples}
    try:
        return robustness.analyse(
            study, method=evaluation.method, normalization=evaluation.normalization, weights=weights, seed=0, **samples
        )
    except (WorkbenchError, ValueError, ArithmeticError) as exc:
        return exc


def run(args: argparse.Namespace) -> int:
    from ..costs import CostsError, resolve_cost_settings, tco_table
    from ..evaluate import evaluate
    from ..report import COST_SAMPLES, COST_SEED, build_report, needs_charts, render

    if args.robustness_samples is not None and args.robustness_samples < 0:
        raise UsageError("--robustness-samples must be ≥ 0")
    if args.out == "-" and args.format in ("pdf", "xlsx"):
        raise UsageError(f"--out - (standard output) is for text formats; give a file name for {args.format}")
    weights = parse_weight_args(args.weights)
    workshop = read_workshop(args.workshop) if args.workshop else None
    study = load_study_from_args(args, allow_missing=args.allow_missing)
    unknown = sorted(set(weights) - {n.id for n in study.criteria_set.nodes()})
    if unknown:
        raise UsageError(f"--weights names unknown criteria: {', '.join(unknown)}")
    evaluation = evaluate(study, args.method, args.normalization, weights, lang=args.lang)
    try:
        settings = resolve_cost_settings(study.criteria_set.cost_settings, study.scenario.cost_settings)
    except CostsError as exc:
        raise WorkbenchError(f"cost settings: {exc}") from None
    costs = tco_table([(p.id, p.costs) for p in study.providers], settings, samples=COST_SAMPLES, seed=COST_SEED)
    robustness = None if args.robustness_samples == 0 else analyse_robustness(study, evaluation, weights, args)
    report = build_report(
        study,
        evaluation,
        lang=args.lang,
        weights=weights,
        costs=costs,
        robustness=robustness,
        workshop=workshop,
        title=args.title,
        charts=needs_charts(args.format) and not args.no_charts,
    )
    data = render(report, args.format)
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
