"""`python -m workbench tco`: total cost of ownership of each provider over the study horizon."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..costs import CostsError, CostSettings, resolve_cost_settings, tco_table
from ..costs import data as limits
from ..errors import LoadError, Problem
from ..files.criteria import load_criteria_set
from ..files.providers import load_providers
from ..files.scenarios import load_scenario
from ..model import CriteriaSet, Scenario
from ..study import leaf_index, resolve_providers_dir
from .common import UsageError, seed_arg, table, write_json

# Draws × years × cost items are held at once: a million keeps a 100-year run in memory.
MAX_TCO_SAMPLES = 1_000_000


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("tco", help="total cost of ownership over the horizon (NPV, cash flows, P10/P50/P90)")
    p.add_argument("--providers", metavar="DIR", help="folder of provider profiles (default: the set's)")
    p.add_argument("--criteria", metavar="FILE", help="criteria set giving horizon, discount rate, currency, fx")
    p.add_argument("--scenario", metavar="FILE", help="scenario overriding those settings and the providers")
    p.add_argument(
        "--horizon",
        type=int,
        metavar="N",
        help=f"years, {limits.MIN_HORIZON} to {limits.MAX_HORIZON} (default {limits.DEFAULT_HORIZON})",
    )
    p.add_argument(
        "--discount-rate",
        type=float,
        metavar="R",
        help=f"a fraction from {limits.MIN_DISCOUNT_RATE:g} to {limits.MAX_DISCOUNT_RATE:g}, e.g. 0.03 for 3 %%",
    )
    p.add_argument(
        "--seats", type=int, metavar="N", help=f"seats priced per seat, {limits.MIN_SEATS:,} to {limits.MAX_SEATS:,}"
    )
    p.add_argument("--samples", type=int, default=0, metavar="N", help="Monte Carlo draws for P10/P50/P90")
    p.add_argument("--seed", type=seed_arg, default=0, metavar="S")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(func=run)


def _problems(exc: CostsError) -> str:
    return "; ".join(f"{field}: {message}" for field, message in exc.problems)


def settings_from_args(
    args: argparse.Namespace, criteria_set: CriteriaSet | None, scenario: Scenario | None
) -> CostSettings:
    """Defaults < criteria set < scenario < command-line flags (`resolve_cost_settings`)."""
    given = (("horizon", args.horizon), ("discount_rate", args.discount_rate), ("seats", args.seats))
    flags = {k: v for k, v in given if v is not None}
    try:
        return resolve_cost_settings(
            criteria_set.cost_settings if criteria_set else None, scenario.cost_settings if scenario else None, flags
        )
    except CostsError as exc:
        raise UsageError(_problems(exc)) from None


def run(args: argparse.Namespace) -> int:
    if args.providers is None and args.criteria is None:
        raise UsageError("give --providers DIR (or --criteria FILE whose set names its providers folder)")
    if not 0 <= args.samples <= MAX_TCO_SAMPLES:
        raise UsageError(f"--samples must be between 0 and {MAX_TCO_SAMPLES:,}, got {args.samples}")
    criteria_set = load_criteria_set(args.criteria) if args.criteria else None
    folder = Path(args.providers) if args.providers else resolve_providers_dir(criteria_set, None)
    leaves = leaf_index(criteria_set) if criteria_set else None
    providers, problems = load_providers(folder, leaves, ignore_unknown=True)
    if problems:
        raise LoadError(problems)
    scenario = load_scenario(args.scenario, criteria_set, [p.id for p in providers]) if args.scenario else None
    if scenario and scenario.providers is not None:
        providers = [p for p in providers if p.id in scenario.providers]
    if not any(p.costs is not None for p in providers):
        raise LoadError([Problem(str(folder), 1, "costs", "no provider profile in this folder has a 'costs' block")])
    settings = settings_from_args(args, criteria_set, scenario)
    priced = tco_table([(p.id, p.costs) for p in providers], settings, samples=args.samples, seed=args.seed)
    try:
        priced.raise_problems()
    except CostsError as exc:
        raise UsageError(_problems(exc)) from None
    if args.format == "json":
        write_json(priced.to_json())
        return 0
    print(f"Horizon {settings.horizon} years, discount rate {settings.discount_rate:.2%}, {settings.currency}")
    rows = [
        [pid, r.npv, r.total, *(("—" if v is None else v) for v in (r.p10, r.p50, r.p90))] for pid, r in priced.ranked()
    ]
    print(table(rows, ["id", "NPV", "total", "P10", "P50", "P90"]))
    return 0
