"""`python -m workbench sensitivity`: how robust the ranking is to the weights and the scores.

Runs SMAA-2 (rank acceptability, central weights, confidence factors, pairwise winning), the
weight at which the leader changes for every criterion, and (weighted sum) the smallest weight
change that makes each challenger first. See `workbench.robustness` for the formulas.
"""

from __future__ import annotations

import argparse
import sys

from ..robustness import DEFAULT_CONCENTRATION, DEFAULT_SAMPLES, SCORE_MODELS, WEIGHT_MODELS, analyse, verdict
from ..robustness.smaa import MAX_SAMPLES
from .common import UsageError, load_study_from_args, seed_arg, table, write_json


def register(sub: argparse._SubParsersAction) -> None:
    from .common import add_study_arguments

    p = sub.add_parser("sensitivity", help="robustness of the ranking: SMAA-2, flip thresholds, minimal flips")
    add_study_arguments(p)
    p.add_argument("--samples", type=int, default=DEFAULT_SAMPLES, metavar="N", help="Monte Carlo draws")
    p.add_argument("--seed", type=seed_arg, default=0, metavar="S", help="random seed (same seed, same numbers)")
    p.add_argument("--weights-model", choices=WEIGHT_MODELS, default="uniform",
                   help="uniform on the simplex, Dirichlet around the chosen weights, or fixed")  # fmt: skip
    p.add_argument("--concentration", type=float, default=DEFAULT_CONCENTRATION, metavar="K",
                   help="Dirichlet concentration: larger keeps draws closer to the chosen weights")  # fmt: skip
    p.add_argument("--scores-model", choices=SCORE_MODELS, default="fixed",
                   help="draw each score within its range (uniform or triangular) or keep it fixed")  # fmt: skip
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--lang", choices=("fr", "en"), default="en", help="language of the verdict (table format)")
    p.add_argument("--rank-reversal", action="store_true",
                   help="instead: remove each option, add a dominated copy of each, report reordered pairs")  # fmt: skip
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.rank_reversal:
        return run_rank_reversal(args)
    if not 1 <= args.samples <= MAX_SAMPLES:
        raise UsageError(f"--samples must be between 1 and {MAX_SAMPLES}, got {args.samples}")
    if args.concentration <= 0 or args.concentration != args.concentration:
        raise UsageError(f"--concentration must be a positive number, got {args.concentration}")
    study = load_study_from_args(args)
    analysis = analyse(
        study,
        method=args.method,
        normalization=args.normalization,
        samples=args.samples,
        seed=args.seed,
        weights_model=args.weights_model,
        concentration=args.concentration,
        scores_model=args.scores_model,
    )
    for note in analysis.smaa.notes:
        print(f"warning: {note}", file=sys.stderr)
    if args.format == "json":
        write_json(analysis.to_json())
        return 0
    _print_tables(analysis)
    print()
    for sentence in verdict(analysis, study, args.lang):
        print(sentence)
    return 0


def run_rank_reversal(args: argparse.Namespace) -> int:
    """`--rank-reversal`: the audit of `workbench.robustness.rank_reversal`, as JSON or sentences."""
    from ..robustness.rank_reversal import describe, rank_reversal

    study = load_study_from_args(args)
    audit = rank_reversal(study, args.method, args.normalization)
    if args.format == "json":
        write_json(audit.to_json())
        return 0
    print(f"{audit.method}" + (f" / {audit.normalization}" if audit.normalization else "")
          + f" — rank-reversal audit, dominated copies {100 * audit.degradation:g} % worse on every criterion")  # fmt: skip
    for sentence in describe(audit, {p.id: p.name.get(args.lang) for p in study.providers}, args.lang):
        print(sentence)
    return 0


def _print_tables(analysis) -> None:
    result = analysis.smaa
    n = len(result.provider_ids)
    print(f"{result.method}" + (f" / {result.normalization}" if result.normalization else "")
          + f" — {result.samples} draws, seed {result.seed}, weights {result.weights_model}, scores {result.scores_model}")  # fmt: skip
    order = sorted(range(n), key=lambda i: -result.first_rank[i])
    rows = []
    for i in order:
        cf = result.confidence_factors[i]
        shares = [f"{100 * v:.1f}%" for v in result.rank_acceptability[i][: min(n, 3)]]
        rows.append([result.provider_ids[i], "yes" if result.eligible[i] else "NO", *shares,
                     "—" if cf != cf else f"{cf:.3f}"])  # fmt: skip
    ranks = [f"rank {r + 1}" for r in range(min(n, 3))]
    print(table(rows, ["id", "eligible", *ranks, "confidence"]))
    print(f"standard error (largest, rank 1): {result.standard_error:.4f}")
    print()
    rows = [
        [leaf, th.current, _opt(th.lower), th.leader_below or "", _opt(th.upper), th.leader_above or ""]
        for leaf, th in sorted(
            analysis.thresholds.items(), key=lambda kv: (kv[1].distance is None, kv[1].distance or 0)
        )
    ]
    print(f"leader now: {analysis.leader or '—'}")
    print(table(rows, ["criterion", "weight", "lower", "leader below", "upper", "leader above"]))
    if analysis.flips:
        print()
        rows = [[f.challenger, "impossible" if f.l1_change is None else f.l1_change] for f in analysis.flips]
        print(table(rows, ["challenger", "L1 change to win"]))


def _opt(value: float | None) -> str | float:
    return "—" if value is None else value
