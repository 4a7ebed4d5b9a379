"""What each chapter says, decided once for every format: its sentences and its tables.

`document(report)` turns the report's data into a `Document`; the renderers draw its blocks
and never choose a column, a sentence or a number format of their own, so the formats cannot
drift apart (as the PDF's weights table once lost its scale column). The chapters themselves
are built in `chapters_main.py`, `chapters_evidence.py` and `chapters_more.py`.
"""

from __future__ import annotations

from collections.abc import Callable

from ..i18n import t
from . import chapters_evidence as evidence
from . import chapters_main as main
from . import chapters_more as more
from .changes import changes_text
from .document import Block, Chapter, Document, Facts
from .sections import Report

# "problems" (profiles that could not be read) comes first: it changes how everything after it reads.
CHAPTERS = ("problems", "summary", "method", "weights", "ranking", "charts", "matrix", "evidence", "costs",
            "robustness", "reversal", "assumptions", "workshop", "references", "provenance")  # fmt: skip
BUILDERS: dict[str, Callable[[Report], list[Block]]] = {
    "problems": main.problems,
    "summary": main.summary,
    "method": main.method,
    "weights": main.weights,
    "ranking": main.ranking,
    "charts": main.charts,
    "matrix": evidence.matrix,
    "evidence": evidence.evidence,
    "costs": more.costs,
    "robustness": more.robustness,
    "reversal": more.reversal,
    "assumptions": more.assumptions,
    "workshop": more.workshop,
    "references": evidence.references,
    "provenance": more.provenance,
}


def document(report: Report) -> Document:
    """The report laid out: title, header facts, the chapters that have content, closing line."""
    lang = report.lang
    built = ((cid, BUILDERS[cid](report)) for cid in CHAPTERS)
    # An optional chapter (problems, charts, costs, robustness...) without its section has no blocks.
    chapters = tuple(Chapter(cid, t(f"report.section.{cid}", lang), tuple(blocks)) for cid, blocks in built if blocks)
    footer = t("report.label.generated", lang, date=report.date, version=report.version)
    return Document(report.title, header(report), chapters, footer)


def header(report: Report) -> Facts:
    """The facts under the title; a warning first when profiles could not be read. The scenario
    line says "the published study" only when nothing was changed, and the next line says what was."""
    lang = report.lang
    facts = []
    if report.load_problems:
        facts.append((t("report.label.warning", lang), main.problems_sentence(report)))
    scenario = report.scenario_title or t("report.label.no_scenario" if not report.changes else "report.label.untitled",
                                          lang)  # fmt: skip
    facts += [
        (t("report.label.study", lang), report.study_name),
        (t("report.label.scenario", lang), scenario),
        (t("report.label.changes", lang), changes_text(report.changes, lang)),
        (t("report.label.date", lang), report.date),
        (t("report.label.method", lang), method_line(report)),
        (t("report.label.version", lang), report.version),
    ]
    return Facts(tuple(facts))


def method_line(report: Report) -> str:
    norm = f" / {report.normalization_name}" if report.normalization else ""
    return f"{report.method_name}{norm}"
