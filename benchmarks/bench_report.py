"""Report speed: every format for the shipped health study, HTML and JSON for 100 options × 60 criteria.

Run: python benchmarks/bench_report.py   (prints a table)

Each figure is the best of a few runs of build_report + render in one process (the study is
loaded once; vl-convert's engine is warmed up once, as it is in a running app, but the chart
cache is cleared before every run). Targets from issue 7:
≤ 2 s per format for the health study, ≤ 10 s for HTML and JSON at 100 × 60.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from timing import best_of  # noqa: E402

from workbench import robustness  # noqa: E402
from workbench.costs import resolve_cost_settings, tco_table  # noqa: E402
from workbench.evaluate import evaluate  # noqa: E402
from workbench.report import COST_SAMPLES, COST_SEED, FORMATS, build_report, needs_charts, render  # noqa: E402
from workbench.report.chart_images import clear_cache  # noqa: E402
from workbench.study import load_study  # noqa: E402

HEALTH = ROOT / "criteria/health-data-sovereignty.yaml"


def make_large_study(folder: Path, providers: int = 100, groups: int = 6, per_group: int = 10) -> Path:
    """A criteria set of groups × per_group leaves and `providers` profiles with evidence and costs."""
    criteria = []
    for g in range(groups):
        leaves = [
            {"id": f"c{g}-{k}", "name": {"en": f"Criterion {g}.{k}", "fr": f"Critère {g}.{k} — évalué"},
             "weight": 1 + (k % 3), "direction": "cost" if k == 0 else "benefit",
             "scale": {"min": 0, "max": 10, "unit": "points"}}
            for k in range(per_group)
        ]  # fmt: skip
        criteria.append(
            {"id": f"g{g}", "name": {"en": f"Group {g}", "fr": f"Groupe {g}"}, "weight": g + 1, "criteria": leaves}
        )
    (folder / "providers").mkdir()
    spec = {"id": "large", "name": {"en": "Large study", "fr": "Grande étude"}, "providers": str(folder / "providers"),
            "horizon": 10, "discount_rate": 0.03, "currency": "CAD", "criteria": criteria}  # fmt: skip
    (folder / "criteria.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    leaf_ids = [leaf["id"] for group in criteria for leaf in group["criteria"]]
    for i in range(providers):
        scores = {
            leaf: {"value": (i * 7 + j * 3) % 11, "confidence": ("low", "medium", "high")[(i + j) % 3],
                   "rationale": {"en": f"Option {i} on {leaf}: reasons.", "fr": f"Option {i} sur {leaf} : raisons, « sources »."},
                   "sources": [{"title": f"Source {(i + j) % 40}", "url": f"https://example.org/{(i + j) % 40}", "date": "2025-01-01"}]}
            for j, leaf in enumerate(leaf_ids)
        }  # fmt: skip
        profile = {"id": f"p{i:03d}", "name": {"en": f"Option {i}", "fr": f"Option {i} (Québec)"}, "scores": scores,
                   "costs": {"currency": "CAD", "one_off": {"migration": 5 + i % 7},
                             "annual": {"hosting": {"low": 2, "likely": 3 + i % 4, "high": 9}}}}  # fmt: skip
        (folder / "providers" / f"p{i:03d}.yaml").write_text(
            yaml.safe_dump(profile, allow_unicode=True), encoding="utf-8"
        )
    return folder / "criteria.yaml"


def time_format(study, fmt: str, repeat: int) -> float:
    """Best time of what the Export page does for one format once the study is evaluated: price
    the options, run the robustness analysis, build the report and render it."""
    evaluation = evaluate(study, lang="fr")

    def run() -> None:
        clear_cache()  # measure the chart conversion every time, as a first export would
        settings = resolve_cost_settings(study.criteria_set.cost_settings, study.scenario.cost_settings)
        costs = tco_table([(p.id, p.costs) for p in study.providers], settings, samples=COST_SAMPLES, seed=COST_SEED)
        analysis = robustness.analyse(study, method=evaluation.method, normalization=evaluation.normalization, seed=0)
        report = build_report(study, evaluation, lang="fr", costs=costs, robustness=analysis, charts=needs_charts(fmt))
        render(report, fmt)

    return best_of(run, repeat)


def main() -> None:
    rows = []
    import vl_convert

    vl_convert.vegalite_to_svg({"mark": "point", "data": {"values": [{"a": 1}]}, "encoding": {"x": {"field": "a"}}})
    if HEALTH.is_file():
        study = load_study(HEALTH)
        size = f"{len(study.providers)} × {len(study.leaves)}"
        for fmt in FORMATS:
            seconds = time_format(study, fmt, repeat=3)
            rows.append(["health study", size, fmt, f"{seconds:.2f} s", "≤ 2 s", "yes" if seconds <= 2 else "NO"])
    with tempfile.TemporaryDirectory() as tmp:
        study = load_study(make_large_study(Path(tmp)))
        size = f"{len(study.providers)} × {len(study.leaves)}"
        for fmt in ("html", "json"):
            seconds = time_format(study, fmt, repeat=1)
            rows.append(["generated", size, fmt, f"{seconds:.2f} s", "≤ 10 s", "yes" if seconds <= 10 else "NO"])
    header = ["study", "options × criteria", "format", "build + render", "target", "met"]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, ["-" * w for w in widths], *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)))


if __name__ == "__main__":
    main()
