"""What the report tests share: the fixtures' paths, the fixed SOURCE_DATE_EPOCH, and a report
built the way the `report` command builds it (evaluate, price the options, run the robustness
analysis, then build)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from workbench import robustness
from workbench.costs import resolve_cost_settings, tco_table
from workbench.errors import WorkbenchError
from workbench.evaluate import evaluate
from workbench.report import COST_SAMPLES, COST_SEED, Report, build_report
from workbench.study import Study

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests/fixtures/mini/criteria.yaml"
HOSTILE = ROOT / "tests/fixtures/hostile/criteria.yaml"
HOSTILE_SCENARIO = ROOT / "tests/fixtures/hostile/scenario.yaml"
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z


def make_report(
    study: Study,
    lang: str = "fr",
    *,
    method: str | None = None,
    weights: Mapping[str, float] | None = None,
    robustness_samples: int = 0,
    **options: Any,
) -> Report:
    """The report of `study` under `method`, with its TCO table and, when `robustness_samples`
    is not 0, a robustness analysis of that many draws (seed 0)."""
    evaluation = evaluate(study, method, weights=dict(weights or {}), lang=lang)
    settings = resolve_cost_settings(study.criteria_set.cost_settings, study.scenario.cost_settings)
    costs = tco_table([(p.id, p.costs) for p in study.providers], settings, samples=COST_SAMPLES, seed=COST_SEED)
    analysis: robustness.Analysis | Exception | None = None
    if robustness_samples:
        try:
            analysis = robustness.analyse(study, method=evaluation.method, normalization=evaluation.normalization,
                                          weights=weights, samples=robustness_samples, seed=0)  # fmt: skip
        except (WorkbenchError, ValueError, ArithmeticError) as exc:
            analysis = exc
    return build_report(study, evaluation, lang=lang, weights=weights, costs=costs, robustness=analysis, **options)


def pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def xlsx_book(data: bytes):
    from openpyxl import load_workbook

    return load_workbook(io.BytesIO(data))


def xlsx_texts(data: bytes) -> list[str]:
    book = xlsx_book(data)
    return [c for ws in book.worksheets for row in ws.iter_rows(values_only=True) for c in row if isinstance(c, str)]
