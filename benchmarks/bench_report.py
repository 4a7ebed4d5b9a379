"""Report speed: every format of the shipped health study, the Export page, and HTML and JSON for
100 options × 60 criteria.

Run: python benchmarks/bench_report.py   (prints tables)

Each figure is the best of a few runs in one process (the study is loaded once; vl-convert's
engine is warmed up once, as it is in a running app). Wall-clock time and this process's CPU
time (all its threads, vl-convert's included) are both printed: on a shared machine the wall
time also counts the other processes' turns, and the CPU time is what a quiet machine would take.

- inputs: what the report shows that its caller computes (TCO table, robustness analysis of
  10,000 draws, rank-reversal audit, evidence coverage) and `build_report` with chart specs;
  the Export page does it once per state, when the first format is asked for.
- render, first: the format alone, chart pictures not yet made (the chart cache cleared);
  render, again: with the pictures made by another format of the same content (issue 17: charts
  rendered once per content and reused).
- Export page: opening it (AppTest, warm), then "Prepare: PDF" (inputs, build and PDF).

Targets (issue 17): each format of the health study ≤ 1 s, the Export page interactive ≤ 1 s.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workbench.evaluate import evaluate  # noqa: E402
from workbench.report import FORMATS, Report, build_report, inputs, render  # noqa: E402
from workbench.report.chart_images import clear_cache  # noqa: E402
from workbench.study import Study, load_study  # noqa: E402

HEALTH = ROOT / "criteria/health-data-sovereignty.yaml"
TARGET = 1.0


def best(fn: Callable[[], object], repeat: int, before: Callable[[], object] | None = None) -> tuple[float, float]:
    """(wall, CPU) seconds of the fastest of `repeat` runs of `fn` (`before` runs untimed first)."""
    runs = []
    for _ in range(repeat):
        if before is not None:
            before()
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        runs.append((time.perf_counter() - wall, time.process_time() - cpu))
    return min(runs)


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


def full_report(study: Study, charts: bool = True) -> Report:
    """What the Export page computes once per state: the inputs, then the report."""
    evaluation = evaluate(study, lang="fr")
    return build_report(
        study,
        evaluation,
        lang="fr",
        costs=inputs.cost_table(study),
        robustness=inputs.robustness_analysis(study, evaluation),
        reversal=inputs.reversal_audit(study, evaluation),
        evidence=inputs.evidence_inputs(study),
        charts=charts,
    )


def seconds(pair: tuple[float, float]) -> list[str]:
    return [f"{pair[0]:.2f} s", f"{pair[1]:.2f} s"]


def print_table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, ["-" * w for w in widths], *rows]:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)))
    print()


def health_rows() -> list[list[str]]:
    study = load_study(HEALTH)
    size = f"{len(study.providers)} + {len(study.references)} ref. × {len(study.leaves)}"
    holder: dict[str, Report] = {}

    def build() -> None:
        holder["report"] = full_report(study)

    rows = [["health study", size, "inputs + build", "", *seconds(best(build, 3)), "(once per state)", ""]]
    report = holder["report"]
    for fmt in FORMATS:
        first = best(lambda fmt=fmt: render(report, fmt), 3, before=clear_cache)
        again = best(lambda fmt=fmt: render(report, fmt), 3)
        met = "yes" if again[1] <= TARGET else "NO"
        rows.append(["health study", size, f"render {fmt}", "first", *seconds(first), f"≤ {TARGET:g} s", ""])
        rows.append(["health study", size, f"render {fmt}", "again", *seconds(again), f"≤ {TARGET:g} s", met])
    return rows


def export_page_rows() -> list[list[str]]:
    """The Export page under AppTest: opening it, then preparing the PDF (inputs, build, render)."""
    import logging

    from streamlit.testing.v1 import AppTest

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.session_state["wb_lang"] = "fr"
    at.run()
    at.switch_page("ui/pages/export.py").run()
    opening = best(at.run, 3)

    def forget() -> None:  # a new state: nothing built, no chart picture made
        clear_cache()
        for key in ("_wb_export_report", "_wb_export_files"):
            if key in at.session_state:
                del at.session_state[key]
        at.run()

    prepare = best(lambda: at.button(key="prepare_pdf").click().run(), 2, before=forget)
    met = "yes" if opening[1] <= TARGET else "NO"
    return [
        ["Export page", "health study", "open (rerun)", "", *seconds(opening), f"≤ {TARGET:g} s", met],
        ["Export page", "health study", "Prepare: PDF", "first", *seconds(prepare), "(progress bar)", ""],
    ]


def large_rows() -> list[list[str]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        study = load_study(make_large_study(Path(tmp)))
        size = f"{len(study.providers)} × {len(study.leaves)}"
        for fmt in ("html", "json"):
            pair = best(lambda fmt=fmt: render(full_report(study, charts=fmt == "html"), fmt), 1, before=clear_cache)
            rows.append(["generated", size, f"inputs + build + {fmt}", "first", *seconds(pair), "≤ 10 s",
                         "yes" if pair[1] <= 10 else "NO"])  # fmt: skip
    return rows


def main() -> None:
    import vl_convert

    vl_convert.vegalite_to_svg({"mark": "point", "data": {"values": [{"a": 1}]}, "encoding": {"x": {"field": "a"}}})
    header = ["study", "size", "step", "charts", "wall", "CPU", "target", "met (CPU)"]
    rows = health_rows() if HEALTH.is_file() else []
    rows += export_page_rows() if HEALTH.is_file() else []
    rows += large_rows()
    print_table(header, rows)


if __name__ == "__main__":
    main()
