"""What a report shows that its caller computes, in one place for every caller (the `report`
command, the Export page, the tests and the benchmark): the TCO table, the robustness analysis,
the rank-reversal audit and the evidence coverage. `build_report` takes their results and
computes nothing itself.

Each analysis that can fail returns the exception instead of raising it, so the report says
what could not be computed rather than failing as a whole.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import Problem, WorkbenchError
from ..model import Provider
from ..study import Study, leaf_index, resolve_providers_dir
from .provenance import report_time

if TYPE_CHECKING:
    from ..costs import TcoTable
    from ..evaluate import Evaluation
    from ..evidence import SourcePolicy
    from ..robustness import Analysis, RankReversalAudit

# Draws and seed of the cost percentiles a report shows: fixed, so a regenerated report shows
# the same P10/P50/P90.
COST_SAMPLES = 2000
COST_SEED = 0
MISSING_SCORE = "missing score"  # the message of a score left out under --allow-missing
ANALYSIS_ERRORS = (WorkbenchError, ValueError, ArithmeticError)


@dataclass(frozen=True)
class EvidenceInputs:
    """The study's evidence coverage (`workbench.evidence.study_coverage`), the source policy
    that gives a source without a `kind` its domain's default, and the components of composed
    options (their names label the coverage rows)."""

    coverage: Mapping[str, Any]
    policy: SourcePolicy | None = None
    components: Sequence[Provider] = field(default_factory=tuple)


def load_failures(study: Study) -> list[Problem]:
    """The problems of files that could not be read (their options are left out of the study);
    a missing score (kept under `allow_missing`, flagged in the report) is not one of them."""
    return [p for p in study.problems if p.severity == "error" and p.message != MISSING_SCORE]


def study_components(study: Study, providers_dir: Path | str | None = None) -> list[Provider]:
    """The profiles of the providers folder's `components/` (hosts and stacks of composed options).

    Only that folder is read (`load_profiles` on it: its profiles are the components, loaded as
    `load_profiles(folder)` loads them); files with problems are left out, as when composing.
    """
    from ..files.composition import COMPONENTS_DIR
    from ..files.providers import load_profiles

    try:
        folder = resolve_providers_dir(study.criteria_set, providers_dir) / COMPONENTS_DIR
    except WorkbenchError:
        return []
    if not folder.is_dir():
        return []
    components, _, _ = load_profiles(folder, leaf_index(study.criteria_set), ignore_unknown=True)
    return components


def evidence_inputs(
    study: Study,
    *,
    providers_dir: Path | str | None = None,
    components: Sequence[Provider] | None = None,
    today: dt.date | None = None,
) -> EvidenceInputs:
    """Coverage of every profile (options, reference models, components) on `today` (default:
    the report's date, SOURCE_DATE_EPOCH when set, so a regenerated report shows the same ages)."""
    from ..evidence import study_coverage
    from ..validation import study_policy

    cs = study.criteria_set
    policy = study_policy(cs)
    parts = list(components) if components is not None else study_components(study, providers_dir)
    day = today or report_time().date()
    coverage = study_coverage(cs, [*study.providers, *study.references, *parts], policy, day)
    return EvidenceInputs(coverage, policy, tuple(parts))


def cost_table(study: Study, cost_settings: Mapping[str, Any] | None = None) -> TcoTable:
    """Every option's TCO with the report's fixed draws; raises `CostsError` on bad settings."""
    from ..costs import resolve_cost_settings, tco_table

    settings = resolve_cost_settings(study.criteria_set.cost_settings, cost_settings or study.scenario.cost_settings)
    return tco_table([(p.id, p.costs) for p in study.providers], settings, samples=COST_SAMPLES, seed=COST_SEED)


def robustness_analysis(
    study: Study, evaluation: Evaluation, weights: Mapping[str, float] | None = None, samples: int | None = None
) -> Analysis | Exception:
    """The robustness analysis (seed 0: a regenerated report shows the same shares), or the
    error that stopped it."""
    from .. import robustness

    extra = {} if samples is None else {"samples": samples}
    try:
        return robustness.analyse(study, method=evaluation.method, normalization=evaluation.normalization,
                                  weights=dict(weights or {}), seed=0, **extra)  # fmt: skip
    except ANALYSIS_ERRORS as exc:
        return exc


def reversal_audit(
    study: Study, evaluation: Evaluation, weights: Mapping[str, float] | None = None
) -> RankReversalAudit | Exception:
    """The rank-reversal audit under the evaluation's method, or the error that stopped it."""
    from ..robustness import rank_reversal

    try:
        return rank_reversal(study, evaluation.method, evaluation.normalization, dict(weights or {}))
    except ANALYSIS_ERRORS as exc:
        return exc
