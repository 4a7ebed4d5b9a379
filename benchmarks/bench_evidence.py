"""Evidence speed: strict validation with coverage of every shipped study, and the Compare page's
first-place shares (10,000 score draws) set up once per study and re-weighted on each rerun.

Run: python benchmarks/bench_evidence.py   (prints a table; figures go in docs/performance.md)
Targets: strict validation + coverage of every shipped study ≤ 1 s; first-place shares add
≤ 150 ms to a rerun (the re-weighting; the draws are made once per study and method).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timing import best_of  # noqa: E402

from workbench.robustness.smaa import FirstPlace  # noqa: E402
from workbench.study import load_study  # noqa: E402
from workbench.validation import check_paths, evidence_coverage  # noqa: E402

PATHS = [ROOT / "criteria", ROOT / "providers", ROOT / "scenarios"]
STUDIES = ("health-data-sovereignty", "collaboration-suite", "image-editors")


def validate_with_coverage() -> None:
    report = check_paths(PATHS)
    evidence_coverage(report.catalogue)


def main() -> None:
    rows = [("validate --strict --coverage, every shipped study", best_of(validate_with_coverage, 3), 1.0)]
    for name in STUDIES:
        study = load_study(ROOT / "criteria" / f"{name}.yaml")
        shares = FirstPlace(study)
        setup = best_of(lambda study=study: FirstPlace(study), 3)
        weights = {leaf: 1.0 for leaf in study.leaf_ids}
        rerun = best_of(lambda shares=shares, weights=weights: shares(weights), 5)
        rows.append((f"first-place shares, {name}: draws (once per study)", setup, None))
        rows.append((f"first-place shares, {name}: re-weighting (each rerun)", rerun, 0.15))
    width = max(len(r[0]) for r in rows)
    print(f"{'case':<{width}}  {'seconds':>8}  target")
    for label, seconds, target in rows:
        print(f"{label:<{width}}  {seconds:8.3f}  {'≤ ' + format(target, 'g') + ' s' if target else '-'}")


if __name__ == "__main__":
    main()
