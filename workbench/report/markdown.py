"""Markdown renderer: every user text escaped with `safety.md_text` (no link, image or raw HTML
can come from a profile); reference links only for http(s) URLs. Charts are left to HTML/PDF."""

from __future__ import annotations

from ..i18n import t
from . import common as c
from .model import Report
from .safety import md_text as m
from .safety import md_url, one_line, safe_url


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def _table(header: list[str], rows: list[list[str]], numeric: set[int] | None = None) -> list[str]:
    numeric = numeric or set()
    align = ["---:" if i in numeric else "---" for i in range(len(header))]
    return [_row(header), _row(align), *(_row(r) for r in rows), ""]


def render_markdown(report: Report) -> str:
    """The report as CommonMark/GFM text."""
    lang = report.lang
    out: list[str] = [f"# {m(report.title)}", ""]
    out += [
        f"- **{m(t('report.label.study', lang))}**{c.colon(lang)}{m(report.study_name)}",
        f"- **{m(t('report.label.scenario', lang))}**{c.colon(lang)}"
        + (m(report.scenario_title) if report.scenario_title else m(t("report.label.no_scenario", lang))),
        f"- **{m(t('report.label.date', lang))}**{c.colon(lang)}{m(report.date)}",
        f"- **{m(t('report.label.method', lang))}**{c.colon(lang)}{m(c.method_line(report))}",
        f"- **{m(t('report.label.version', lang))}**{c.colon(lang)}{m(report.version)}",
        "",
    ]
    for section in c.sections(report):
        if section == "charts":
            continue
        out += [f"## {m(c.title_of(section, lang))}", ""]
        out += SECTIONS[section](report)
    out += ["---", "", m(t("report.label.generated", lang, date=report.date, version=report.version)), ""]
    return "\n".join(out)


def _summary(report: Report) -> list[str]:
    lang = report.lang
    out = []
    if report.study_description:
        out += [m(report.study_description), ""]
    if report.scenario_notes:
        out += [f"**{m(t('report.label.notes', lang))}** — {m(report.scenario_notes)}", ""]
    if report.ranking:
        top = report.ranking[0]
        out += [
            f"**{m(t('report.label.winner', lang))}**{c.colon(lang)}{m(top.name)} ({m(c.score(top.score, lang))})",
            "",
        ]
    out += [
        f"{m(t('report.label.options', lang))}{c.colon(lang)}{len(report.providers)} — "
        f"{m(t('report.label.criteria', lang))}{c.colon(lang)}{len(report.leaf_rows())}",
        "",
    ]
    return out


def _method(report: Report) -> list[str]:
    key = "report.score.higher" if report.higher_is_better else "report.score.lower"
    return [
        f"**{m(report.method_name)}** — {m(report.method_explanation)}",
        "",
        f"**{m(c.norm_heading(report))}** — {m(c.normalization_explanation(report))}",
        "",
        m(t(key, report.lang)),
        "",
    ]


def _weights(report: Report) -> list[str]:
    lang = report.lang
    header = [t(k, lang) for k in ("col.criterion", "report.col.raw", "report.col.local", "report.col.global",
                                  "report.col.direction", "report.col.scale", "report.col.must_have")]  # fmt: skip
    rows = []
    for w in report.weights:
        name = ("\u2003" * w.depth) + (m(w.name) if w.is_leaf else f"**{m(w.name)}**")
        if w.changed:
            name += f" ⚑ {m(t('report.weights.changed', lang))}"
        rows.append(
            [
                name,
                m(c.plain(w.raw_weight, lang)),
                m(c.share(w.local_share, lang)),
                m(c.share(w.global_share, lang)),
                m(c.direction(w.direction, lang)),
                m(w.scale),
                m(w.must_have),
            ]
        )
    return [m(t("report.weights.intro", lang)), "", *_table([m(h) for h in header], rows, {1, 2, 3})]


def _ranking(report: Report) -> list[str]:
    lang = report.lang
    header = [m(t(k, lang)) for k in ("col.rank", "col.provider", "col.score", "col.eligible", "col.failed")]
    rows = [
        [str(r.rank), m(r.name), m(c.score(r.score, lang)), m(c.yes_no(r.eligible, lang)), m(c.failures_text(r, lang))]
        for r in report.ranking
    ]
    key = "report.score.higher" if report.higher_is_better else "report.score.lower"
    return [*_table(header, rows, {0, 2}), m(t("report.ranking.eligibility", lang)) + " " + m(t(key, lang)), ""]


def _matrix(report: Report) -> list[str]:
    """One sub-section per criterion (a provider × evidence table), readable for any study size."""
    lang = report.lang
    out = [m(t("report.matrix.intro", lang)), ""]
    header = [m(t(k, lang)) for k in ("col.provider", "report.col.value", "report.col.confidence",
                                       "report.col.sources", "report.col.rationale", "report.col.flags")]  # fmt: skip
    for crit in report.criteria:
        unit = f" — {m(crit['unit'])}" if crit["unit"] else ""
        out += [f"### {m(crit['name'])}", "", f"*{m(c.direction(crit['direction'], lang))}*{unit}", ""]
        rows = []
        for p in report.providers:
            cell = report.cell(p["id"], crit["id"])
            rows.append(
                [
                    m(p["name"]),
                    m(cell.display),
                    m(c.confidence(cell.confidence, lang)),
                    " ".join(f"\\[{n}\\]" for n in cell.sources),
                    m(cell.rationale),
                    m("; ".join(c.cell_flags(cell, lang))),
                ]
            )
        out += _table(header, rows)
    return out


def _references(report: Report) -> list[str]:
    out = []
    for ref in report.references:
        url = safe_url(ref.url)
        link = f" — <{md_url(url)}>" if url else ""
        date = f" ({m(ref.date)})" if ref.date else ""
        out.append(f"{ref.number}\\. {m(ref.title)}{date}{link}  ")
    return [*(out or ["—"]), ""]


def _costs(report: Report) -> list[str]:
    lang = report.lang
    header = [m(t(k, lang)) for k in ("col.provider", "report.col.npv", "report.col.total",
                                       "report.col.p10", "report.col.p50", "report.col.p90")]  # fmt: skip
    rows = [
        [m(r["name"])] + [m(c.money(r[k], lang)) for k in ("npv", "total", "p10", "p50", "p90")]
        for r in (report.costs or {}).get("rows", [])
    ]
    return [m(c.cost_intro(report)), "", *_table(header, rows, {1, 2, 3, 4, 5}), m(c.cost_percentiles_note(report)), ""]


def _robustness(report: Report) -> list[str]:
    lang = report.lang
    rob = report.robustness or {}
    out = [m(t("report.robustness.intro", lang, samples=rob.get("samples", "—"))), ""]
    if rob.get("error"):
        out += [f"⚑ {m(rob['error'])}", ""]
    out += [x for v in rob.get("verdict", []) for x in (f"**{m(v)}**", "")]
    n_ranks, rows = c.acceptability_rows(report)
    if rows:
        header = [m(t("col.provider", lang))] + [
            m(t("report.robustness.rank", lang, rank=k + 1)) for k in range(n_ranks)
        ]
        body = [[m(name)] + [m(c.share(x, lang)) for x in shares] for name, shares in rows]
        out += [
            f"### {m(t('report.robustness.acceptability', lang))}",
            "",
            *_table(header, body, set(range(1, n_ranks + 1))),
        ]
    thresholds = c.threshold_rows(report)
    if thresholds:
        out += [
            f"### {m(t('report.robustness.thresholds', lang))}",
            "",
            m(t("report.robustness.thresholds_intro", lang)),
            "",
        ]
        out += _table(
            [m(t("col.criterion", lang)), m(t("report.robustness.thresholds", lang))],
            [[m(a), m(b)] for a, b in thresholds],
        )
    return out


def _assumptions(report: Report) -> list[str]:
    if not report.assumptions:
        return [m(t("report.assume.none", report.lang)), ""]
    return [*(f"- ⚑ {m(a.text)}" for a in report.assumptions), ""]


def _workshop(report: Report) -> list[str]:
    lang = report.lang
    out = [m(t("report.workshop.intro", lang)), ""]
    out += [f"- **{m(k)}**{c.colon(lang)}{m(v)}" for k, v in c.workshop_items(report)]
    out.append("")
    headers, rows = c.workshop_table(report)
    if rows:
        body = [[m(r[0])] + [m(c.share(v, lang)) for v in r[1:]] for r in rows]
        out += _table([m(t("col.criterion", lang))] + [m(h) for h in headers], body, set(range(1, len(headers) + 1)))
    return out


def _provenance(report: Report) -> list[str]:
    lang = report.lang
    rows = [
        [m(t(f"report.role.{f.role}", lang)), f"`{one_line(f.path).replace('`', '')}`", f"`{f.sha256}`"]
        for f in report.inputs
    ]
    fence = "~~~~"
    while fence in report.scenario_yaml:
        fence += "~"
    return [
        f"{m(t('report.label.version', lang))}{c.colon(lang)}{m(report.version)}",
        "",
        m(t("report.provenance.intro", lang)),
        "",
        fence,
        c.regenerate_command(report, "md"),
        fence,
        "",
        *_table([m(t(k, lang)) for k in ("report.col.role", "report.col.file", "report.col.sha256")], rows),
        f"### {m(t('report.provenance.scenario', lang))}",
        "",
        fence + "yaml",
        report.scenario_yaml.rstrip("\n"),
        fence,
        "",
    ]


SECTIONS = {
    "summary": _summary,
    "method": _method,
    "weights": _weights,
    "ranking": _ranking,
    "matrix": _matrix,
    "costs": _costs,
    "robustness": _robustness,
    "assumptions": _assumptions,
    "workshop": _workshop,
    "references": _references,
    "provenance": _provenance,
}
