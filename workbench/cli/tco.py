"""`python -m workbench tco`: total cost of ownership of each provider over the study horizon."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..costs import CostsError, CostSettings, tco_report
from ..errors import LoadError, Problem
from ..files.loading import load_criteria_set, load_providers, load_scenario
from ..study import leaf_index, resolve_providers_dir
from .common import UsageError, table, write_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("tco", help="total cost of ownership over the horizon (NPV, cash flows, P10/P50/P90)")
    p.add_argument("--providers", metavar="DIR", help="folder of provider profiles (default: the set's)")
    p.add_argument("--criteria", metavar="FILE", help="criteria set giving horizon, discount rate, currency, fx")
    p.add_argument("--scenario", metavar="FILE", help="scenario overriding those settings and the providers")
    p.add_argument("--horizon", type=int, metavar="N", help="years (default 15)")
    p.add_argument("--discount-rate", type=float, metavar="R", help="e.g. 0.03 for 3 %")
    p.add_argument("--samples", type=int, default=0, metavar="N", help="Monte Carlo draws for P10/P50/P90")
    p.add_argument("--seed", type=int, default=0, metavar="S")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=run)


def settings_from_args(args: argparse.Namespace, criteria_set, scenario) -> CostSettings:
    """Defaults < criteria set < scenario < command-line flags."""
    settings = CostSettings()
    layers = [criteria_set.cost_settings if criteria_set else {}, scenario.cost_settings if scenario else {}]
    flags = {k: v for k, v in (("horizon", args.horizon), ("discount_rate", args.discount_rate)) if v is not None}
    try:
        for layer in [*layers, flags]:
            settings = CostSettings.from_mapping(layer, settings)
    except CostsError as exc:
        raise UsageError("; ".join(f"{field}: {message}" for field, message in exc.problems)) from None
    return settings


def run(args: argparse.Namespace) -> int:
    if args.providers is None and args.criteria is None:
        raise UsageError("give --providers DIR (or --criteria FILE whose set names its providers folder)")
    if args.samples < 0:
        raise UsageError("--samples must be ≥ 0")
    criteria_set = load_criteria_set(args.criteria) if args.criteria else None
    folder = Path(args.providers) if args.providers else None
    if folder is None:
        folder = resolve_providers_dir(criteria_set, None)
    leaves = leaf_index(criteria_set) if criteria_set else None
    providers, problems = load_providers(folder, leaves, ignore_unknown=True)
    if problems:
        raise LoadError(problems)
    scenario = load_scenario(args.scenario, criteria_set, [p.id for p in providers]) if args.scenario else None
    if scenario and scenario.providers is not None:
        providers = [p for p in providers if p.id in scenario.providers]
    with_costs = [(p.id, p.costs) for p in providers if p.costs is not None]
    if not with_costs:
        raise LoadError([Problem(str(folder), 1, "costs", "no provider profile in this folder has a 'costs' block")])
    settings = settings_from_args(args, criteria_set, scenario)
    try:
        report = tco_report(with_costs, settings, samples=args.samples, seed=args.seed)
    except CostsError as exc:
        raise UsageError("; ".join(f"{field}: {message}" for field, message in exc.problems)) from None
    if args.format == "json":
        write_json(report)
        return 0
    print(f"Horizon {report['horizon']} years, discount rate {report['discount_rate']:.2%}, {report['currency']}")
    rows = [
        [r["id"], r["npv"], r["total"], *(("—" if r[k] is None else r[k]) for k in ("p10", "p50", "p90"))]
        for r in sorted(report["results"], key=lambda r: r["npv"])
    ]
    print(table(rows, ["id", "NPV", "total", "P10", "P50", "P90"]))
    return 0
