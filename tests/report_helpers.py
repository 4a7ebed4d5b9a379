"""What the report tests share: the fixtures' paths, the fixed SOURCE_DATE_EPOCH, and a report
built the way the `report` command builds it (evaluate, price the options, run the robustness
analysis and the rank-reversal audit, measure the evidence coverage, then build)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from workbench.evaluate import evaluate
from workbench.report import Report, build_report, inputs
from workbench.study import Study

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests/fixtures/mini/criteria.yaml"
EVIDENCE = ROOT / "tests/fixtures/evidence/criteria.yaml"
HOSTILE = ROOT / "tests/fixtures/hostile/criteria.yaml"
HOSTILE_SCENARIO = ROOT / "tests/fixtures/hostile/scenario.yaml"
EPOCH = "1767225600"  # 2026-01-01T00:00:00Z


def make_report(
    study: Study,
    lang: str = "fr",
    *,
    method: str | None = None,
    normalization: str | None = None,
    weights: Mapping[str, float] | None = None,
    robustness_samples: int = 0,
    audits: bool = True,
    **options: Any,
) -> Report:
    """The report of `study` under `method`, with its TCO table, and, when `robustness_samples`
    is not 0, a robustness analysis of that many draws (seed 0); `audits` adds the rank-reversal
    audit and the evidence coverage, as the `report` command does."""
    weights = dict(weights or {})
    evaluation = evaluate(study, method, normalization, weights=weights, lang=lang)
    analysis = (
        inputs.robustness_analysis(study, evaluation, weights, robustness_samples) if robustness_samples else None
    )
    if audits:
        options = {"reversal": inputs.reversal_audit(study, evaluation, weights),
                   "evidence": inputs.evidence_inputs(study), **options}  # fmt: skip
    return build_report(study, evaluation, lang=lang, weights=weights, costs=inputs.cost_table(study),
                        robustness=analysis, **options)  # fmt: skip


def csv_blocks(data: bytes) -> list[list[list[str]]]:
    """The CSV's blocks (separated by an empty row), each a list of rows."""
    import csv

    blocks: list[list[list[str]]] = [[]]
    for row in csv.reader(io.StringIO(data.decode("utf-8"))):
        if row:
            blocks[-1].append(row)
        else:
            blocks.append([])
    return blocks


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


def copy_study(fixture: Path, folder: Path) -> Path:
    """A copy of a fixture's folder (criteria.yaml and providers/) under `folder`, its criteria
    file pointing at the copied profiles; returns the copied criteria file."""
    import shutil

    import yaml

    shutil.copytree(fixture.parent, folder, dirs_exist_ok=True)
    criteria = folder / "criteria.yaml"
    data = yaml.safe_load(criteria.read_text(encoding="utf-8"))
    data["providers"] = str(folder / "providers")
    criteria.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return criteria


def write_study(folder: Path, scores: Mapping[str, Mapping[str, float]], names: Mapping[str, str]) -> Path:
    """A study of benefit criteria scaled 0-10, equal weights, one profile per option
    (`scores[option][criterion]`); returns its criteria file."""
    import yaml

    leaves = list(next(iter(scores.values())))
    (folder / "providers").mkdir(parents=True, exist_ok=True)
    spec = {"id": "written", "name": "Written study", "providers": str(folder / "providers"),
            "criteria": [{"id": leaf, "name": leaf.title(), "scale": {"min": 0, "max": 10}} for leaf in leaves]}  # fmt: skip
    (folder / "criteria.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    for option, values in scores.items():
        profile = {"id": option, "name": names[option], "scores": dict(values)}
        (folder / "providers" / f"{option}.yaml").write_text(yaml.safe_dump(profile, allow_unicode=True), "utf-8")
    return folder / "criteria.yaml"


class _Sections:
    """The text of each `<section id=...>` of a report page, tags dropped."""

    def __init__(self, data: bytes) -> None:
        from html.parser import HTMLParser

        self.text: dict[str, str] = {}
        sections = self.text
        current: list[str | None] = [None]

        class Parser(HTMLParser):
            def handle_starttag(self, tag, attrs):
                if tag == "section":
                    current[0] = dict(attrs).get("id")
                    sections[current[0]] = ""

            def handle_endtag(self, tag):
                if tag == "section":
                    current[0] = None

            def handle_data(self, data):
                if current[0] is not None:
                    sections[current[0]] += data + " "

        parser = Parser(convert_charrefs=True)
        parser.feed(data.decode("utf-8"))
        parser.close()


def html_sections(data: bytes) -> dict[str, str]:
    """Section id -> its text with runs of whitespace as one space."""
    return {k: " ".join(v.split()) for k, v in _Sections(data).text.items()}


def md_chapters(data: bytes) -> dict[str, str]:
    """Level-2 heading -> the Markdown text under it."""
    parts = ("\n" + data.decode("utf-8")).split("\n## ")[1:]
    return {part.split("\n", 1)[0]: part.split("\n", 1)[1] for part in parts}
