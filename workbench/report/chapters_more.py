"""The later chapters: costs, robustness, rank reversal, assumptions, workshop and provenance."""

from __future__ import annotations

from ..i18n import fmt_percent, t
from .chapters_main import COST_KEYS
from .document import Block, Bullets, Code, Column, Command, Facts, Heading, Kind, Paragraph, table
from .formatting import cell_text, colon, plain_number
from .layout import headers
from .sections import Report


def costs(report: Report) -> list[Block]:
    lang = report.lang
    section = report.costs
    if section is None:
        return []
    intro = t("report.costs.intro", lang, horizon=section.horizon,
              rate=cell_text(section.discount_rate, Kind.SHARE, lang), currency=section.currency)  # fmt: skip
    columns = [*headers(lang, "col.provider"), *(Column(t(f"report.col.{k}", lang), Kind.MONEY) for k in COST_KEYS)]
    rows = [(r.name, *(getattr(r, k) for k in COST_KEYS)) for r in section.rows]
    note = t("report.costs.percentiles", lang, samples=section.samples, seed=section.seed)
    return [Paragraph(intro), table(columns, rows), Paragraph(note, style="note")]


def robustness(report: Report) -> list[Block]:
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
        columns = [*headers(lang, "col.provider")]
        columns += [Column(t("report.robustness.rank", lang, rank=k + 1), Kind.SHARE) for k in range(ranks)]
        rows = [(names.get(pid, pid), *rob.acceptability[pid]) for pid in ids]
        out += [Heading(t("report.robustness.acceptability", lang)), table(columns, rows)]
    if rob.flip_thresholds:
        crit = {w.id: w.name for w in report.weights}
        rows = [(crit.get(th.criterion, th.criterion), th.text) for th in rob.flip_thresholds]
        out += [
            Heading(t("report.robustness.thresholds", lang)),
            Paragraph(t("report.robustness.thresholds_intro", lang)),
            table(headers(lang, "col.criterion", "report.robustness.thresholds"), rows),
        ]
    return out


def reversal(report: Report) -> list[Block]:
    """The rank-reversal audit in plain words: what was tried, then each order that changed."""
    lang = report.lang
    rev = report.rank_reversal
    if rev is None:
        return []
    if rev.error:
        return [Paragraph(rev.error, style="flag")]
    norm = t(f"norm.{rev.normalization}", lang) if rev.normalization else t("report.changes.no_norm", lang)
    setting = t("report.reversal.setting", lang, method=report.method_name, normalization=norm,
                share=fmt_percent(rev.degradation, lang, 0))  # fmt: skip
    return [
        Paragraph(t("robustness.reversal.help", lang)),
        Paragraph(setting, style="note"),
        Bullets(tuple(rev.sentences)) if rev.count else Paragraph(rev.sentences[0], style="strong"),
    ]


def assumptions(report: Report) -> list[Block]:
    if not report.assumptions:
        return [Paragraph(t("report.assume.none", report.lang))]
    return [Bullets(tuple(a.text for a in report.assumptions))]


def workshop(report: Report) -> list[Block]:
    lang = report.lang
    ws = report.workshop
    if ws is None:
        return []
    out: list[Block] = [Paragraph(t("report.workshop.intro", lang))]
    facts = [(str(k), v if isinstance(v, str) else plain_number(v, lang)) for k, v in ws.facts]
    if facts:
        out.append(Facts(tuple(facts)))
    if ws.rows:
        columns = headers(lang, "col.criterion")
        columns += [Column(t(f"report.workshop.col.{k}", lang), Kind.SHARE) for k in ws.columns]
        out.append(table(columns, ws.rows))
    return out


def provenance(report: Report) -> list[Block]:
    lang = report.lang
    criteria = next((f.path for f in report.inputs if f.role == "criteria"), "CRITERIA.yaml")
    columns = [
        Column(t("report.col.role", lang)),
        *headers(lang, "report.col.file", "report.col.sha256", kind=Kind.CODE),
    ]
    rows = [(t(f"report.role.{f.role}", lang), f.path, f.sha256) for f in report.inputs]
    return [
        Paragraph(t("report.label.version", lang) + colon(lang) + report.version),
        Paragraph(t("report.provenance.intro", lang)),
        Command(criteria, lang),
        table(columns, rows),
        Heading(t("report.provenance.scenario", lang)),
        Code(report.scenario_yaml, "yaml"),
    ]
