"""The evidence chapters: the score matrix (status, sources with kind and date, where a composed
option's score comes from), the evidence-quality figures and the reference list."""

from __future__ import annotations

from ..i18n import t
from .document import Block, Cite, Column, Kind, Paragraph, Row, SourceList, table
from .evidence import status_text
from .formatting import counted
from .layout import cell_flags, headers, option_label
from .sections import Report


def matrix(report: Report) -> list[Block]:
    """One table per criterion (options, then reference models × evidence), readable for any
    study size.

    The method's input is a column of its own, labelled with what it is: the normalised value
    (and which normalisation) when the method normalised, else the raw value it read as is.
    """
    lang = report.lang
    normalised = report.normalization is not None
    method_input = (
        Column(t("report.col.normalized", lang, name=report.normalization_name), Kind.SCORE)
        if normalised
        else Column(t("report.col.raw_input", lang), Kind.NUMBER)
    )
    columns = [
        *headers(lang, "col.provider", "report.col.value"),
        *([Column(t("report.col.number", lang), Kind.NUMBER, data_only=True)] if normalised else []),
        method_input,
        *headers(lang, "report.col.status", "report.col.confidence"),
        Column(t("report.col.sources", lang), Kind.REFS),
        Column(t("report.col.rationale", lang)),
        Column(t("report.col.flags", lang), Kind.FLAGS),
    ]
    briefs = {ref.number: ref.brief for ref in report.references}
    out: list[Block] = [
        Paragraph(t("report.matrix.intro", lang)),
        Paragraph(report_legend(report), lead=t("report.label.status_legend", lang)),
    ]
    for crit in report.criteria:
        rows = []
        for p in report.providers:
            cell = report.cell(p["id"], crit["id"])
            used = [cell.value, cell.normalized] if normalised else [cell.value]
            confidence = t(f"confidence.{cell.confidence}", lang) if cell.confidence else "—"
            cites = tuple(Cite(n, briefs.get(n, "")) for n in cell.sources)
            cells = (option_label(report, p["id"], p["name"]), cell.display, *used, status_text(cell.status, lang),
                     confidence, cites, cell.rationale, cell_flags(cell, lang))  # fmt: skip
            rows.append(Row(cells, muted=cell.reference))
        caption = t(f"report.direction.{crit['direction']}", lang)
        out.append(table(columns, rows, title=crit["name"], caption=caption, note=crit["unit"] or "",
                         group=t("col.criterion", lang)))  # fmt: skip
    return out


def report_legend(report: Report) -> str:
    """The status marks' legend (`workbench.evidence.status_legend`)."""
    if report.evidence is not None:
        return report.evidence.legend
    from ..evidence import status_legend

    return status_legend(report.lang)


def evidence(report: Report) -> list[Block]:
    """The study's evidence coverage: totals, then one row per profile."""
    lang = report.lang
    ev = report.evidence
    if ev is None:
        return []
    totals_columns = [
        *headers(lang, "report.col.profiles", "report.col.scores", kind=Kind.INT),
        *headers(lang, "report.col.share_verified", "report.col.share_official", kind=Kind.SHARE),
        *headers(
            lang, "report.col.assumptions", "report.col.stale", "report.col.undated", "report.col.padded", kind=Kind.INT
        ),  # fmt: skip
    ]
    totals = [(ev.profiles, ev.scores, ev.share_verified, ev.share_official, ev.assumptions, ev.stale, ev.undated,
               ev.padded)]  # fmt: skip
    columns = [
        Column(t("report.col.id", lang), data_only=True),
        *headers(lang, "report.col.profile", "report.col.role"),
        *headers(lang, "report.col.scores", kind=Kind.INT),
        *headers(lang, "report.col.share_verified", "report.col.share_official", kind=Kind.SHARE),
        Column(t("report.col.median_age", lang), Kind.NUMBER),
        *headers(
            lang, "report.col.assumptions", "report.col.stale", "report.col.undated", "report.col.padded", kind=Kind.INT
        ),  # fmt: skip
    ]
    rows = [
        (r.id, r.name, t(f"report.role.{r.role}", lang), r.scores, r.share_verified, r.share_official,
         r.median_source_age_months, r.assumptions, r.stale, r.undated, r.padded)
        for r in ev.rows
    ]  # fmt: skip
    scores = counted(ev.scores, lang, "report.evidence.scores.one", "report.evidence.scores.other")
    return [
        Paragraph(t("report.evidence.intro", lang, date=ev.date, scores=scores)),
        table(totals_columns, totals, title=t("report.evidence.totals", lang)),
        table(columns, rows, title=t("report.evidence.profiles", lang)),
        Paragraph(t("report.evidence.terms", lang), style="note"),
        Paragraph(ev.legend, lead=t("report.label.status_legend", lang)),
    ]


def references(report: Report) -> list[Block]:
    return [SourceList(tuple(ref.number for ref in report.references))]
