"""The first chapters: files that could not be read, summary, method, weights, ranking (with the
reference models set apart) and charts."""

from __future__ import annotations

from ..i18n import t
from .document import Block, Column, Figure, Kind, Label, Paragraph, Row, table
from .formatting import cell_text, colon, counted
from .layout import failures_text, headers, score_direction, yes_no
from .sections import RankRow, Report

COST_KEYS = ("npv", "total", "p10", "p50", "p90")


def problems(report: Report) -> list[Block]:
    """Profiles that failed to load: their options are missing from everything that follows."""
    lang = report.lang
    found = report.load_problems
    if not found:
        return []
    columns = [
        Column(t("report.col.file", lang), Kind.CODE),
        Column(t("report.col.line", lang), Kind.INT),
        *headers(lang, "report.col.field", "report.col.problem"),
    ]
    rows = [(p.file, p.line, p.field, p.message) for p in found]
    return [Paragraph(problems_sentence(report), style="flag"), table(columns, rows)]


def problems_sentence(report: Report) -> str:
    n = len(report.load_problems)
    return counted(n, report.lang, "report.problems.intro.one", "report.problems.intro.other")


def summary(report: Report) -> list[Block]:
    lang = report.lang
    out: list[Block] = []
    if report.load_problems:
        out.append(Paragraph(problems_sentence(report), style="flag"))
    if report.study_description:
        out.append(Paragraph(report.study_description))
    if report.scenario_notes:
        out.append(Paragraph(report.scenario_notes, lead=t("report.label.notes", lang)))
    if report.ranking:
        top = report.ranking[0]
        score = cell_text(top.score, Kind.SCORE, lang)
        out.append(Paragraph(f"{top.name} ({score})", lead=t("report.label.winner", lang), sep=colon(lang)))
    counts = (
        f"{t('report.label.options', lang)}{colon(lang)}{len(report.ranking)} — "
        f"{t('report.label.criteria', lang)}{colon(lang)}{len(report.leaf_rows())}"
    )
    if report.reference_models:
        counts += f" — {t('report.label.reference_models', lang)}{colon(lang)}{len(report.reference_models)}"
    out.append(Paragraph(counts))
    return out


def method(report: Report) -> list[Block]:
    lang = report.lang
    norm_heading = t("report.label.normalization", lang) + colon(lang) + (report.normalization_name or "—")
    norm_text = report.normalization_explanation or t("report.explain.norm.none", lang)
    return [
        Paragraph(report.method_explanation, lead=report.method_name),
        Paragraph(norm_text, lead=norm_heading),
        Paragraph(score_direction(report)),
    ]


def weights(report: Report) -> list[Block]:
    lang = report.lang
    columns = [
        Column(t("report.col.id", lang), data_only=True),
        Column(t("col.criterion", lang)),
        Column(t("report.col.raw", lang), Kind.NUMBER),
        *headers(lang, "report.col.local", "report.col.global", kind=Kind.SHARE),
        *headers(lang, "report.col.direction", "report.col.scale", "report.col.must_have"),
    ]
    changed = (t("report.weights.changed", lang),)
    rows = [
        (
            w.id,
            Label(w.name, w.depth, strong=not w.is_leaf, flags=changed if w.changed else ()),
            w.raw_weight,
            w.local_share,
            w.global_share,
            t(f"report.direction.{w.direction}", lang) if w.direction else "",
            w.scale,
            w.must_have,
        )
        for w in report.weights
    ]
    return [Paragraph(t("report.weights.intro", lang)), table(columns, rows)]


def ranking(report: Report) -> list[Block]:
    """The ranking table (its first table is the CSV's), then the reference models apart."""
    lang = report.lang
    currency = report.costs.currency if report.costs else ""
    unit = f"(M {currency})" if currency else "(M)"
    columns = [
        Column(t("col.rank", lang), Kind.INT),
        Column(t("report.col.id", lang), data_only=True),
        *headers(lang, "col.provider"),
        Column(t("col.score", lang), Kind.SCORE),
        *headers(lang, "col.eligible", "col.failed"),
        Column(t("report.col.flags", lang), Kind.FLAGS, data_only=True),
        *(Column(f"{t(f'report.col.{k}', lang)} {unit}", Kind.MONEY, data_only=True) for k in COST_KEYS),
    ]
    costs = {row.id: row for row in report.costs.rows} if report.costs else {}
    rows = []
    for r in report.ranking:
        money = [getattr(costs[r.id], k) if r.id in costs else None for k in COST_KEYS]
        cells = (r.rank, r.id, r.name, r.score, yes_no(r.eligible, lang), failures_text(r, lang),
                 _rank_flags(r, lang), *money)  # fmt: skip
        rows.append(Row(cells, muted=not r.eligible))
    footnote = t("report.ranking.eligibility", lang) + " " + score_direction(report)
    out: list[Block] = [table(columns, rows), Paragraph(footnote, style="note")]
    if report.reference_models:
        out += reference_models(report)
    return out


def reference_models(report: Report) -> list[Block]:
    """Reference models, scored as the options are but never ranked."""
    lang = report.lang
    columns = [
        Column(t("report.col.id", lang), data_only=True),
        *headers(lang, "col.provider"),
        Column(t("col.score", lang), Kind.SCORE),
        *headers(lang, "col.eligible", "col.failed"),
    ]
    rows = [(r.id, r.name, r.score, yes_no(r.eligible, lang), failures_text(r, lang)) for r in report.reference_models]
    title, intro = t("report.references_models.title", lang), t("report.references_models.intro", lang)
    return [table(columns, rows, title=title, caption=intro)]


def _rank_flags(row: RankRow, lang: str) -> tuple[str, ...]:
    sep = colon(lang)
    return tuple(
        [t("report.flag.overridden", lang) + sep + x for x in row.overridden]
        + [t("report.flag.missing", lang) + sep + x for x in row.missing]
    )


def chart_caption(report: Report, name: str) -> str:
    """What the chart shows under the report's method: group contributions only when the score
    is a sum of them; otherwise each option's score."""
    if name == "contributions" and not report.additive:
        return t("report.chart.scores", report.lang, method=report.method_name)
    return t(f"report.chart.{name}", report.lang)


def charts(report: Report) -> list[Block]:
    out: list[Block] = [Figure(name, chart_caption(report, name)) for name in report.charts]
    for name in report.charts_left_out:
        out.append(
            Paragraph(t("report.chart.left_out", report.lang, caption=chart_caption(report, name)), style="flag")
        )
    return out
