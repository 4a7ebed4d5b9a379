"""What each chapter says, decided once for every format: its sentences and its tables.

`document(report)` turns the report's data into a `Document`; the renderers draw its blocks
and never choose a column, a sentence or a number format of their own, so the formats cannot
drift apart (as the PDF's weights table once lost its scale column).
"""

from __future__ import annotations

from ..i18n import t
from .document import (
    Block,
    Bullets,
    Chapter,
    Code,
    Column,
    Command,
    Document,
    Facts,
    Figure,
    Heading,
    Kind,
    Label,
    Paragraph,
    Row,
    SourceList,
    table,
)
from .formatting import cell_text, colon, plain_number
from .sections import Cell, RankRow, Report

CHAPTERS = ("summary", "method", "weights", "ranking", "charts", "matrix", "costs", "robustness",
            "assumptions", "workshop", "references", "provenance")  # fmt: skip
COST_KEYS = ("npv", "total", "p10", "p50", "p90")


def document(report: Report) -> Document:
    """The report laid out: title, header facts, the chapters that have content, closing line."""
    lang = report.lang
    built = ((cid, BUILDERS[cid](report)) for cid in CHAPTERS)
    # An optional chapter (charts, costs, robustness, workshop) without its section has no blocks.
    chapters = tuple(Chapter(cid, t(f"report.section.{cid}", lang), tuple(blocks)) for cid, blocks in built if blocks)
    header = Facts(
        (
            (t("report.label.study", lang), report.study_name),
            (t("report.label.scenario", lang), report.scenario_title or t("report.label.no_scenario", lang)),
            (t("report.label.date", lang), report.date),
            (t("report.label.method", lang), method_line(report)),
            (t("report.label.version", lang), report.version),
        )
    )
    footer = t("report.label.generated", lang, date=report.date, version=report.version)
    return Document(report.title, header, chapters, footer)


def method_line(report: Report) -> str:
    norm = f" / {report.normalization_name}" if report.normalization else ""
    return f"{report.method_name}{norm}"


def _h(lang: str, *keys: str, kind: Kind = Kind.TEXT) -> list[Column]:
    return [Column(t(k, lang), kind) for k in keys]


def _score_direction(report: Report) -> str:
    return t("report.score.higher" if report.higher_is_better else "report.score.lower", report.lang)


# --------------------------------------------------------------------------- chapters


def _summary(report: Report) -> list[Block]:
    lang = report.lang
    out: list[Block] = []
    if report.study_description:
        out.append(Paragraph(report.study_description))
    if report.scenario_notes:
        out.append(Paragraph(report.scenario_notes, lead=t("report.label.notes", lang)))
    if report.ranking:
        top = report.ranking[0]
        score = cell_text(top.score, Kind.SCORE, lang)
        out.append(Paragraph(f"{top.name} ({score})", lead=t("report.label.winner", lang), sep=colon(lang)))
    out.append(
        Paragraph(
            f"{t('report.label.options', lang)}{colon(lang)}{len(report.providers)} — "
            f"{t('report.label.criteria', lang)}{colon(lang)}{len(report.leaf_rows())}"
        )
    )
    return out


def _method(report: Report) -> list[Block]:
    lang = report.lang
    norm_heading = t("report.label.normalization", lang) + colon(lang) + (report.normalization_name or "—")
    norm_text = report.normalization_explanation or t("report.explain.norm.none", lang)
    return [
        Paragraph(report.method_explanation, lead=report.method_name),
        Paragraph(norm_text, lead=norm_heading),
        Paragraph(_score_direction(report)),
    ]


def _weights(report: Report) -> list[Block]:
    lang = report.lang
    columns = [
        Column(t("report.col.id", lang), data_only=True),
        Column(t("col.criterion", lang)),
        Column(t("report.col.raw", lang), Kind.NUMBER),
        *_h(lang, "report.col.local", "report.col.global", kind=Kind.SHARE),
        *_h(lang, "report.col.direction", "report.col.scale", "report.col.must_have"),
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


def _ranking(report: Report) -> list[Block]:
    lang = report.lang
    currency = report.costs.currency if report.costs else ""
    unit = f"(M {currency})" if currency else "(M)"
    columns = [
        Column(t("col.rank", lang), Kind.INT),
        Column(t("report.col.id", lang), data_only=True),
        *_h(lang, "col.provider"),
        Column(t("col.score", lang), Kind.SCORE),
        *_h(lang, "col.eligible", "col.failed"),
        Column(t("report.col.flags", lang), Kind.FLAGS, data_only=True),
        *(Column(f"{t(f'report.col.{k}', lang)} {unit}", Kind.MONEY, data_only=True) for k in COST_KEYS),
    ]
    costs = {row.id: row for row in report.costs.rows} if report.costs else {}
    rows = []
    for r in report.ranking:
        money = [getattr(costs[r.id], k) if r.id in costs else None for k in COST_KEYS]
        cells = (r.rank, r.id, r.name, r.score, _yes_no(r.eligible, lang), failures_text(r, lang),
                 _rank_flags(r, lang), *money)  # fmt: skip
        rows.append(Row(cells, muted=not r.eligible))
    footnote = t("report.ranking.eligibility", lang) + " " + _score_direction(report)
    return [table(columns, rows), Paragraph(footnote, style="note")]


def _yes_no(flag: bool, lang: str) -> str:
    # Not core's `yes`/`no`: unquoted, YAML 1.1 reads those keys as booleans, so t() misses them.
    return t("report.yes" if flag else "report.no", lang)


def failures_text(row: RankRow, lang: str) -> str:
    return "; ".join(
        t("must_have.failure", lang, criterion=f.name, required=f.required, actual=plain_number(f.actual, lang))
        for f in row.failed
    )


def _rank_flags(row: RankRow, lang: str) -> tuple[str, ...]:
    sep = colon(lang)
    return tuple(
        [t("report.flag.overridden", lang) + sep + x for x in row.overridden]
        + [t("report.flag.missing", lang) + sep + x for x in row.missing]
    )


def _charts(report: Report) -> list[Block]:
    return [Figure(name, t(f"report.chart.{name}", report.lang)) for name in report.charts]


def _matrix(report: Report) -> list[Block]:
    """One table per criterion (options × evidence), readable for any study size.

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
        *_h(lang, "col.provider", "report.col.value"),
        *([Column(t("report.col.number", lang), Kind.NUMBER, data_only=True)] if normalised else []),
        method_input,
        Column(t("report.col.confidence", lang)),
        Column(t("report.col.sources", lang), Kind.REFS),
        Column(t("report.col.rationale", lang)),
        Column(t("report.col.flags", lang), Kind.FLAGS),
    ]
    out: list[Block] = [Paragraph(t("report.matrix.intro", lang))]
    for crit in report.criteria:
        rows = []
        for p in report.providers:
            cell = report.cell(p["id"], crit["id"])
            used = [cell.value, cell.normalized] if normalised else [cell.value]
            confidence = t(f"confidence.{cell.confidence}", lang) if cell.confidence else "—"
            rows.append((p["name"], cell.display, *used, confidence, tuple(cell.sources), cell.rationale,
                         cell_flags(cell, lang)))  # fmt: skip
        caption = t(f"report.direction.{crit['direction']}", lang)
        out.append(table(columns, rows, title=crit["name"], caption=caption, note=crit["unit"] or "",
                         group=t("col.criterion", lang)))  # fmt: skip
    return out


def cell_flags(cell: Cell, lang: str) -> tuple[str, ...]:
    out = []
    if cell.overridden:
        out.append(t("report.flag.overridden", lang) + (f" — {cell.note}" if cell.note else ""))
    if cell.missing:
        out.append(t("report.flag.missing", lang))
    if cell.disputed:
        out.append(t("report.flag.disputed", lang))
    if cell.range:
        low, high = (plain_number(x, lang) for x in cell.range)
        out.append(t("report.flag.range", lang, low=low, high=high))
    return tuple(out)


def _costs(report: Report) -> list[Block]:
    lang = report.lang
    costs = report.costs
    if costs is None:
        return []
    intro = t("report.costs.intro", lang, horizon=costs.horizon, rate=cell_text(costs.discount_rate, Kind.SHARE, lang),
              currency=costs.currency)  # fmt: skip
    columns = [*_h(lang, "col.provider"), *(Column(t(f"report.col.{k}", lang), Kind.MONEY) for k in COST_KEYS)]
    rows = [(r.name, *(getattr(r, k) for k in COST_KEYS)) for r in costs.rows]
    note = t("report.costs.percentiles", lang, samples=costs.samples, seed=costs.seed)
    return [Paragraph(intro), table(columns, rows), Paragraph(note, style="note")]


def _robustness(report: Report) -> list[Block]:
    lang = report.lang
    rob = report.robustness
    if rob is None:
        return []
    if rob.error and not rob.acceptability:  # the analysis itself failed: say so, nothing else to show
        return [Paragraph(rob.error, style="flag")]
    out: list[Block] = [Paragraph(t("report.robustness.intro", lang, samples=rob.samples))]
    if rob.error:
        out.append(Paragraph(rob.error, style="flag"))
    out += [Paragraph(v, style="strong") for v in rob.verdict]
    names = {p["id"]: p["name"] for p in report.providers}
    order = {r.id: k for k, r in enumerate(report.ranking)}  # same order as the ranking table
    ids = sorted(rob.acceptability, key=lambda pid: (order.get(pid, len(order)), pid))
    if ids:
        ranks = max(len(rob.acceptability[pid]) for pid in ids)
        columns = [*_h(lang, "col.provider")]
        columns += [Column(t("report.robustness.rank", lang, rank=k + 1), Kind.SHARE) for k in range(ranks)]
        rows = [(names.get(pid, pid), *rob.acceptability[pid]) for pid in ids]
        out += [Heading(t("report.robustness.acceptability", lang)), table(columns, rows)]
    if rob.flip_thresholds:
        crit = {w.id: w.name for w in report.weights}
        rows = [(crit.get(th.criterion, th.criterion), th.text) for th in rob.flip_thresholds]
        out += [
            Heading(t("report.robustness.thresholds", lang)),
            Paragraph(t("report.robustness.thresholds_intro", lang)),
            table(_h(lang, "col.criterion", "report.robustness.thresholds"), rows),
        ]
    return out


def _assumptions(report: Report) -> list[Block]:
    if not report.assumptions:
        return [Paragraph(t("report.assume.none", report.lang))]
    return [Bullets(tuple(a.text for a in report.assumptions))]


def _workshop(report: Report) -> list[Block]:
    lang = report.lang
    ws = report.workshop
    if ws is None:
        return []
    out: list[Block] = [Paragraph(t("report.workshop.intro", lang))]
    facts = [(str(k), v if isinstance(v, str) else plain_number(v, lang)) for k, v in ws.facts]
    if facts:
        out.append(Facts(tuple(facts)))
    if ws.rows:
        columns = _h(lang, "col.criterion")
        columns += [Column(t(f"report.workshop.col.{k}", lang), Kind.SHARE) for k in ws.columns]
        out.append(table(columns, ws.rows))
    return out


def _references(report: Report) -> list[Block]:
    return [SourceList(tuple(ref.number for ref in report.references))]


def _provenance(report: Report) -> list[Block]:
    lang = report.lang
    criteria = next((f.path for f in report.inputs if f.role == "criteria"), "CRITERIA.yaml")
    columns = [Column(t("report.col.role", lang)), *_h(lang, "report.col.file", "report.col.sha256", kind=Kind.CODE)]
    rows = [(t(f"report.role.{f.role}", lang), f.path, f.sha256) for f in report.inputs]
    return [
        Paragraph(t("report.label.version", lang) + colon(lang) + report.version),
        Paragraph(t("report.provenance.intro", lang)),
        Command(criteria, lang),
        table(columns, rows),
        Heading(t("report.provenance.scenario", lang)),
        Code(report.scenario_yaml, "yaml"),
    ]


BUILDERS = {
    "summary": _summary,
    "method": _method,
    "weights": _weights,
    "ranking": _ranking,
    "charts": _charts,
    "matrix": _matrix,
    "costs": _costs,
    "robustness": _robustness,
    "assumptions": _assumptions,
    "workshop": _workshop,
    "references": _references,
    "provenance": _provenance,
}
