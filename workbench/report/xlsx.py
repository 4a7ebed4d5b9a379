"""XLSX renderer (xlsxwriter, written cell by cell, never through pandas).

Sheets: Summary, Ranking, Matrix (one row per option × criterion with rationale and sources),
Weights, Costs, Robustness, Workshop, References, Provenance. Numbers are stored as numbers with
display formats; header rows are frozen. Formula injection is blocked twice: the workbook is
opened with `strings_to_formulas=False` (and no automatic URL or number conversion), and every
text goes through `safety.spreadsheet_text`, so the file stays inert even after a user edits
and re-saves a cell.
"""

from __future__ import annotations

import io
from typing import Any

import xlsxwriter

from ..i18n import t
from . import common as c
from .model import Report
from .safety import spreadsheet_text

SHEET_NAMES = ("Summary", "Ranking", "Matrix", "Weights", "Costs", "Robustness", "Workshop", "References", "Provenance")


class _Sheet:
    """A worksheet with a frozen header row and per-type writers."""

    def __init__(self, book: xlsxwriter.Workbook, name: str, header: list[str], widths: list[int], fmts: dict):
        self.ws = book.add_worksheet(name)
        self.fmts = fmts
        self.row = 0
        for col, (title, width) in enumerate(zip(header, widths, strict=True)):
            self.ws.set_column(col, col, width)
            self.ws.write_string(0, col, spreadsheet_text(title), fmts["header"])
        self.ws.freeze_panes(1, 0)
        self.row = 1

    def add(self, values: list[Any], kinds: str) -> None:
        """kinds: one letter per cell — s text, n number, p percent, i integer, b yes/no text, m money."""
        for col, (value, kind) in enumerate(zip(values, kinds, strict=True)):
            if value is None or value == "":
                self.ws.write_blank(self.row, col, None)
            elif kind == "s":
                self.ws.write_string(self.row, col, spreadsheet_text(value), self.fmts["wrap"])
            else:
                self.ws.write_number(self.row, col, float(value), self.fmts[kind])
        self.row += 1


def render_xlsx(report: Report) -> bytes:
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(
        buf,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    book.set_properties({"title": spreadsheet_text(report.title), "comments": f"workbench {report.version}"})
    fmts = {
        "header": book.add_format({"bold": True, "bg_color": "#E8EEF2", "text_wrap": True, "valign": "top"}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
        "n": book.add_format({"num_format": "0.000", "valign": "top"}),
        "p": book.add_format({"num_format": "0.0%", "valign": "top"}),
        "i": book.add_format({"num_format": "0", "valign": "top"}),
        "m": book.add_format({"num_format": "#,##0.0", "valign": "top"}),
        "v": book.add_format({"num_format": "General", "valign": "top"}),
    }
    for writer in (_summary, _ranking, _matrix, _weights, _costs, _robustness, _workshop, _references, _provenance):
        writer(book, report, fmts)
    book.close()
    return buf.getvalue()


def _h(lang: str, *keys: str) -> list[str]:
    return [t(k, lang) for k in keys]


def _summary(book, report: Report, fmts) -> None:
    lang = report.lang
    sh = _Sheet(book, "Summary", _h(lang, "report.col.key", "report.col.value"), [32, 100], fmts)
    top = report.ranking[0] if report.ranking else None
    rows = [
        (t("report.col.title", lang), report.title),
        (t("report.label.study", lang), report.study_name),
        (t("report.label.scenario", lang), report.scenario_title or t("report.label.no_scenario", lang)),
        (t("report.label.date", lang), report.date),
        (t("report.label.method", lang), f"{report.method_name} — {report.method_explanation}"),
        (
            t("report.label.normalization", lang),
            f"{report.normalization_name or '—'} — {c.normalization_explanation(report)}",
        ),
        (t("col.score", lang), t("report.score.higher" if report.higher_is_better else "report.score.lower", lang)),
        (t("report.label.winner", lang), top.name if top else "—"),
        (t("report.label.notes", lang), report.scenario_notes),
        (t("report.label.version", lang), report.version),
        (t("report.label.language", lang), report.lang),
    ]
    for key, value in rows:
        sh.add([key, value], "ss")
    for a in report.assumptions:
        sh.add([t("report.section.assumptions", lang), a.text], "ss")


def _ranking(book, report: Report, fmts) -> None:
    lang = report.lang
    sh = _Sheet(
        book,
        "Ranking",
        _h(lang, "col.rank", "report.col.id", "col.provider", "col.score", "col.eligible", "col.failed"),
        [8, 24, 36, 12, 12, 60],
        fmts,
    )
    for r in report.ranking:
        sh.add([r.rank, r.id, r.name, r.score, c.yes_no(r.eligible, lang), c.failures_text(r, lang)], "issnss")


def _matrix(book, report: Report, fmts) -> None:
    lang = report.lang
    header = _h(lang, "col.criterion", "col.provider", "report.col.value", "report.col.normalized", "report.col.text",
                "report.col.confidence", "report.col.sources", "report.col.rationale", "report.col.flags")  # fmt: skip
    sh = _Sheet(book, "Matrix", header, [30, 30, 10, 12, 22, 12, 40, 70, 40], fmts)
    names = {p["id"]: p["name"] for p in report.providers}
    refs = {r.number: r for r in report.references}
    for crit in report.criteria:
        for p in report.providers:
            cell = report.cell(p["id"], crit["id"])
            sources = "; ".join(
                f"[{n}] {refs[n].title}" + (f" <{refs[n].url}>" if refs[n].url else "") for n in cell.sources
            )
            sh.add(
                [
                    crit["name"],
                    names[p["id"]],
                    cell.value,
                    cell.normalized,
                    cell.display,
                    c.confidence(cell.confidence, lang),
                    sources,
                    cell.rationale,
                    "; ".join(c.cell_flags(cell, lang)),
                ],
                "ssvnsssss",
            )
    sh.ws.autofilter(0, 0, max(sh.row - 1, 1), len(header) - 1)


def _weights(book, report: Report, fmts) -> None:
    lang = report.lang
    header = _h(lang, "report.col.id", "col.criterion", "report.col.raw", "report.col.local", "report.col.global",
                "report.col.direction", "report.col.scale", "report.col.must_have")  # fmt: skip
    sh = _Sheet(book, "Weights", header, [24, 44, 10, 12, 12, 16, 30, 12], fmts)
    for w in report.weights:
        sh.add(
            [w.id, ("    " * w.depth) + w.name, w.raw_weight, w.local_share, w.global_share,
             c.direction(w.direction, lang), w.scale, w.must_have],
            "ssvppsss",
        )  # fmt: skip


def _costs(book, report: Report, fmts) -> None:
    lang = report.lang
    header = _h(
        lang, "col.provider", "report.col.npv", "report.col.total", "report.col.p10", "report.col.p50", "report.col.p90"
    )
    sh = _Sheet(book, "Costs", header, [36, 14, 18, 12, 12, 12], fmts)
    if report.costs is None:
        sh.add([t("report.costs.none", lang), None, None, None, None, None], "smmmmm")
        return
    for r in report.costs["rows"]:
        sh.add([r["name"], r["npv"], r["total"], r["p10"], r["p50"], r["p90"]], "smmmmm")
    sh.row += 1
    sh.add([c.cost_intro(report), None, None, None, None, None], "smmmmm")
    sh.add([c.cost_percentiles_note(report), None, None, None, None, None], "smmmmm")


def _robustness(book, report: Report, fmts) -> None:
    lang = report.lang
    n_ranks, rows = c.acceptability_rows(report)
    header = [t("col.provider", lang)] + [t("report.robustness.rank", lang, rank=k + 1) for k in range(n_ranks)]
    sh = _Sheet(book, "Robustness", header, [36] + [10] * n_ranks, fmts)
    if report.robustness is None:
        sh.add([t("report.robustness.none", lang)], "s")
        return
    for text in [report.robustness.get("error")] + list(report.robustness.get("verdict", [])):
        if text:
            sh.add([text] + [None] * n_ranks, "s" * (n_ranks + 1))
    for name, shares in rows:
        sh.add([name, *shares], "s" + "p" * len(shares))
    thresholds = c.threshold_rows(report)
    if thresholds:
        sh.row += 1
        sh.ws.write_string(sh.row, 0, spreadsheet_text(t("report.robustness.thresholds", lang)), fmts["header"])
        sh.row += 1
        for crit, text in thresholds:
            sh.add([crit, text] + [None] * max(n_ranks - 1, 0), "ss" + "s" * max(n_ranks - 1, 0))


def _workshop(book, report: Report, fmts) -> None:
    lang = report.lang
    sh = _Sheet(book, "Workshop", _h(lang, "report.col.key", "report.col.value"), [36, 60], fmts)
    if report.workshop is None:
        sh.add([t("report.workshop.none", lang), None], "ss")
        return
    for key, value in c.workshop_items(report):
        sh.add([key, value], "ss")
    headers, rows = c.workshop_table(report)
    if rows:
        sh.row += 1
        for col, title in enumerate([t("col.criterion", lang), *headers]):
            sh.ws.write_string(sh.row, col, spreadsheet_text(title), fmts["header"])
        sh.row += 1
        for row in rows:
            sh.add(row, "s" + "p" * (len(row) - 1))


def _references(book, report: Report, fmts) -> None:
    lang = report.lang
    sh = _Sheet(
        book,
        "References",
        _h(lang, "report.col.id", "report.col.title", "report.col.date", "report.col.url"),
        [6, 70, 14, 60],
        fmts,
    )
    for ref in report.references:
        sh.add([ref.number, ref.title, ref.date, ref.url], "isss")


def _provenance(book, report: Report, fmts) -> None:
    lang = report.lang
    sh = _Sheet(
        book, "Provenance", _h(lang, "report.col.role", "report.col.file", "report.col.sha256"), [14, 60, 70], fmts
    )
    for f in report.inputs:
        sh.add([t(f"report.role.{f.role}", lang), f.path, f.sha256], "sss")
    sh.row += 1
    sh.add([t("report.label.version", lang), report.version, None], "sss")
    sh.add([t("report.provenance.scenario", lang), report.scenario_yaml, None], "sss")
