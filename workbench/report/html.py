"""HTML renderer: one self-contained, printable file with no script and no outside request.

Every text goes through `safety.html_text` and user names are wrapped in `<bdi>` so a
right-to-left name cannot reorder the text around it; links are written only for http(s) URLs.
Charts are inline SVG from vl-convert. A Content-Security-Policy meta tag forbids scripts and
any load from the network, as a second line of defence.
"""

from __future__ import annotations

from . import common as c
from .model import Report
from .safety import html_text as e
from .safety import safe_url

CSS = """
:root{--ink:#1b1f24;--muted:#57606a;--line:#d0d7de;--band:#f6f8fa;--accent:#1f6f8b;--warn:#9a3412}
*{box-sizing:border-box}
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;color:var(--ink);
margin:0;line-height:1.45;font-size:15px}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{font-size:1.8em;margin:.2em 0}h2{border-bottom:2px solid var(--accent);padding-bottom:4px;margin-top:2em}
h3{margin-top:1.4em}
table{border-collapse:collapse;margin:.6em 0;width:100%}
th,td{border:1px solid var(--line);padding:4px 6px;vertical-align:top;text-align:left;overflow-wrap:anywhere}
th{background:var(--band);overflow-wrap:normal;hyphens:auto}
td.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums;overflow-wrap:normal}
.muted{color:var(--muted)}.small{font-size:.85em}
.flag{color:var(--warn);font-weight:600}
.ineligible td{background:#fff7ed}
.tree td:first-child{white-space:normal}
.matrix{font-size:.85em}.matrix th[scope=row]{min-width:10em}
.cell-value{font-weight:600}.refs{color:var(--accent)}
.scroll{overflow-x:auto}
figure{margin:1em 0}figure svg{max-width:100%;height:auto}
pre{background:var(--band);padding:8px;white-space:pre-wrap;overflow-wrap:anywhere;font-size:.85em}
dl.meta{display:grid;grid-template-columns:max-content 1fr;gap:2px 12px}dl.meta dt{font-weight:600}
nav ol{columns:2}
a{color:var(--accent)}
code{overflow-wrap:anywhere}
@media print{body{font-size:10pt}main{max-width:none;padding:0}nav{display:none}h2{break-after:avoid}
table,figure{break-inside:auto}tr{break-inside:avoid}.scroll{overflow:visible}a{color:inherit}
a[href]::after{content:" <" attr(href) ">";font-size:.8em;overflow-wrap:anywhere}}
"""

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"


def render_html(report: Report) -> str:
    """The whole report as one HTML document (UTF-8 text)."""
    lang = report.lang
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{e(lang)}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{e(report.title)}</title>",
        f"<style>{CSS}</style>",
        "</head>",
        "<body><main>",
        _header(report),
    ]
    present = c.sections(report)
    parts.append(_toc(present, lang))
    for section in present:
        parts.append(f'<section id="{section}"><h2>{e(c.title_of(section, lang))}</h2>')
        parts.append(RENDERERS[section](report))
        parts.append("</section>")
    parts.append(f'<footer class="muted small"><p>{e(_generated(report))}</p></footer>')
    parts.append("</main></body></html>")
    return "\n".join(parts) + "\n"


def _generated(report: Report) -> str:
    from ..i18n import t

    return t("report.label.generated", report.lang, date=report.date, version=report.version)


def _bdi(text: str) -> str:
    return f"<bdi>{e(text)}</bdi>"


def _table(header: list[str], rows: list[list[str]], cls: str = "", numeric: set[int] | None = None) -> str:
    """A table whose cells are ALREADY escaped HTML; `numeric` column indexes are right-aligned."""
    numeric = numeric or set()
    head = "".join(f'<th scope="col">{h}</th>' for h in header)
    body = []
    for row in rows:
        extra = ""
        if row and row[0].startswith("\x00"):  # a row marker: "\x00class" then cells
            extra, row = f' class="{row[0][1:]}"', row[1:]
        cells = "".join(f'<td class="num">{v}</td>' if i in numeric else f"<td>{v}</td>" for i, v in enumerate(row))
        body.append(f"<tr{extra}>{cells}</tr>")
    attr = f' class="{cls}"' if cls else ""
    return (
        f'<div class="scroll"><table{attr}><thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table></div>'
    )


def _t(key: str, report: Report, **values: object) -> str:
    from ..i18n import t

    return e(t(key, report.lang, **values))


def _header(report: Report) -> str:
    items = [
        (_t("report.label.study", report), _bdi(report.study_name)),
        (
            _t("report.label.scenario", report),
            _bdi(report.scenario_title) if report.scenario_title else _t("report.label.no_scenario", report),
        ),
        (_t("report.label.date", report), e(report.date)),
        (_t("report.label.method", report), e(c.method_line(report))),
        (_t("report.label.version", report), e(report.version)),
    ]
    meta = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in items)
    return f'<header><h1>{_bdi(report.title)}</h1><dl class="meta">{meta}</dl></header>'


def _toc(present: list[str], lang: str) -> str:
    from ..i18n import t

    links = "".join(f'<li><a href="#{s}">{e(c.title_of(s, lang))}</a></li>' for s in present)
    return f'<nav aria-label="{e(t("report.section.contents", lang))}"><h2>{e(t("report.section.contents", lang))}</h2><ol>{links}</ol></nav>'


def _summary(report: Report) -> str:
    lang = report.lang
    out = []
    if report.study_description:
        out.append(f"<p>{e(report.study_description)}</p>")
    if report.scenario_notes:
        out.append(f"<p><strong>{_t('report.label.notes', report)}</strong> — {e(report.scenario_notes)}</p>")
    top = report.ranking[0] if report.ranking else None
    if top is not None:
        out.append(
            f"<p><strong>{_t('report.label.winner', report)}</strong>{c.colon(report.lang)}{_bdi(top.name)} "
            f"({_t('col.score', report)} {e(c.score(top.score, lang))})</p>"
        )
    out.append(
        f"<p>{_t('report.label.options', report)}{c.colon(report.lang)}{len(report.providers)} — "
        f"{_t('report.label.criteria', report)}{c.colon(report.lang)}{len(report.leaf_rows())}</p>"
    )
    return "".join(out)


def _method(report: Report) -> str:
    return (
        f"<p><strong>{e(report.method_name)}</strong> — {e(report.method_explanation)}</p>"
        f"<p><strong>{e(c.norm_heading(report))}</strong> — {e(c.normalization_explanation(report))}</p>"
        f"<p>{_t('report.score.higher' if report.higher_is_better else 'report.score.lower', report)}</p>"
    )


def _weights(report: Report) -> str:
    lang = report.lang
    header = [
        _t("col.criterion", report),
        _t("report.col.raw", report),
        _t("report.col.local", report),
        _t("report.col.global", report),
        _t("report.col.direction", report),
        _t("report.col.scale", report),
        _t("report.col.must_have", report),
    ]
    rows = []
    for w in report.weights:
        indent = "&#160;" * 4 * w.depth
        name = f"{indent}{'<strong>' if not w.is_leaf else ''}{_bdi(w.name)}{'</strong>' if not w.is_leaf else ''}"
        if w.changed:
            name += f' <span class="flag">({_t("report.weights.changed", report)})</span>'
        rows.append(
            [
                name,
                e(c.plain(w.raw_weight, lang)),
                e(c.share(w.local_share, lang)),
                e(c.share(w.global_share, lang)) if w.is_leaf else f"<em>{e(c.share(w.global_share, lang))}</em>",
                e(c.direction(w.direction, lang)),
                e(w.scale),
                e(w.must_have),
            ]
        )
    return f"<p>{_t('report.weights.intro', report)}</p>" + _table(header, rows, "tree", {1, 2, 3})


def _ranking(report: Report) -> str:
    lang = report.lang
    header = [
        _t("col.rank", report),
        _t("col.provider", report),
        _t("col.score", report),
        _t("col.eligible", report),
        _t("col.failed", report),
    ]
    rows = []
    for r in report.ranking:
        row = [
            e(str(r.rank)),
            _bdi(r.name),
            e(c.score(r.score, lang)),
            e(c.yes_no(r.eligible, lang)),
            e(c.failures_text(r, lang)),
        ]
        rows.append(row if r.eligible else ["\x00ineligible", *row])
    return (
        _table(header, rows, "", {0, 2})
        + f'<p class="small muted">{_t("report.ranking.eligibility", report)} '
        + f"{_t('report.score.higher' if report.higher_is_better else 'report.score.lower', report)}</p>"
    )


def _charts(report: Report) -> str:
    out = []
    for name, spec in report.charts.items():
        svg = c.chart_svg(spec, f"chart-{name}")
        caption = _t(f"report.chart.{name}", report)
        if svg is None:
            out.append(f'<p class="muted">{caption}: {_t("report.chart.none", report)}</p>')
        else:
            out.append(f'<figure role="img" aria-label="{caption}">{svg}<figcaption>{caption}</figcaption></figure>')
    return "".join(out) or f"<p>{_t('report.chart.none', report)}</p>"


def _matrix(report: Report) -> str:
    lang = report.lang
    header = [_t("col.criterion", report)] + [_bdi(p["name"]) for p in report.providers]
    rows = []
    for crit in report.criteria:
        label = (
            f'{_bdi(crit["name"])}<br><span class="small muted">{e(c.direction(crit["direction"], lang))}'
            f"{' — ' + e(crit['unit']) if crit['unit'] else ''}</span>"
        )
        row = [label]
        for p in report.providers:
            cell = report.cell(p["id"], crit["id"])
            refs = " ".join(f'<a class="refs" href="#ref-{n}">[{n}]</a>' for n in cell.sources)
            flags = "".join(f'<div class="flag small">⚑ {e(f)}</div>' for f in c.cell_flags(cell, lang))
            rationale = f'<div class="small">{e(cell.rationale)}</div>' if cell.rationale else ""
            row.append(
                f'<span class="cell-value">{e(cell.display)}</span> '
                f'<span class="small muted">({_t("report.col.confidence", report)}{c.colon(report.lang)}{e(c.confidence(cell.confidence, lang))})</span>'
                f" {refs}{flags}{rationale}"
            )
        rows.append(row)
    return f"<p>{_t('report.matrix.intro', report)}</p>" + _table(header, rows, "matrix")


def _references(report: Report) -> str:
    items = []
    for ref in report.references:
        title = e(ref.title)
        url = safe_url(ref.url)
        link = f' — <a href="{e(url)}" rel="noopener noreferrer nofollow">{e(url)}</a>' if url else ""
        date = f" ({e(ref.date)})" if ref.date else ""
        items.append(f'<li id="ref-{ref.number}" value="{ref.number}"><bdi>{title}</bdi>{date}{link}</li>')
    return f'<ol class="small">{"".join(items)}</ol>' if items else "<p>—</p>"


def _costs(report: Report) -> str:
    lang = report.lang
    costs = report.costs or {}
    header = [
        _t("col.provider", report),
        _t("report.col.npv", report),
        _t("report.col.total", report),
        _t("report.col.p10", report),
        _t("report.col.p50", report),
        _t("report.col.p90", report),
    ]
    rows = [
        [_bdi(r["name"])] + [e(c.money(r[k], lang)) for k in ("npv", "total", "p10", "p50", "p90")]
        for r in costs.get("rows", [])
    ]
    return (
        f"<p>{e(c.cost_intro(report))}</p>"
        + _table(header, rows, "", {1, 2, 3, 4, 5})
        + f'<p class="small muted">{e(c.cost_percentiles_note(report))}</p>'
    )


def _robustness(report: Report) -> str:
    lang = report.lang
    rob = report.robustness or {}
    out = [f"<p>{_t('report.robustness.intro', report, samples=rob.get('samples', '—'))}</p>"]
    if rob.get("error"):
        out.append(f'<p class="flag">{e(rob["error"])}</p>')
    out += [f"<p><strong>{e(v)}</strong></p>" for v in rob.get("verdict", [])]
    n_ranks, rows = c.acceptability_rows(report)
    if rows:
        header = [_t("col.provider", report)] + [
            _t("report.robustness.rank", report, rank=k + 1) for k in range(n_ranks)
        ]
        body = [[_bdi(name)] + [e(c.share(x, lang)) for x in shares] for name, shares in rows]
        out.append(f"<h3>{_t('report.robustness.acceptability', report)}</h3>")
        out.append(_table(header, body, "", set(range(1, n_ranks + 1))))
    thresholds = c.threshold_rows(report)
    if thresholds:
        out.append(f"<h3>{_t('report.robustness.thresholds', report)}</h3>")
        out.append(f"<p>{_t('report.robustness.thresholds_intro', report)}</p>")
        out.append(
            _table(
                [_t("col.criterion", report), _t("report.robustness.thresholds", report)],
                [[_bdi(a), e(b)] for a, b in thresholds],
            )
        )
    return "".join(out)


def _assumptions(report: Report) -> str:
    if not report.assumptions:
        return f"<p>{_t('report.assume.none', report)}</p>"
    return "<ul>" + "".join(f'<li><span class="flag">⚑</span> {e(a.text)}</li>' for a in report.assumptions) + "</ul>"


def _workshop(report: Report) -> str:
    lang = report.lang
    out = [f"<p>{_t('report.workshop.intro', report)}</p>"]
    items = c.workshop_items(report)
    if items:
        out.append(
            '<dl class="meta">' + "".join(f"<dt>{e(k)}</dt><dd><bdi>{e(v)}</bdi></dd>" for k, v in items) + "</dl>"
        )
    headers, rows = c.workshop_table(report)
    if rows:
        body = [[_bdi(r[0])] + [e(c.share(v, lang)) for v in r[1:]] for r in rows]
        out.append(
            _table([_t("col.criterion", report)] + [e(h) for h in headers], body, "", set(range(1, len(headers) + 1)))
        )
    return "".join(out)


def _provenance(report: Report) -> str:
    header = [_t("report.col.role", report), _t("report.col.file", report), _t("report.col.sha256", report)]
    rows = [
        [_t(f"report.role.{f.role}", report), f"<code>{e(f.path)}</code>", f"<code>{e(f.sha256)}</code>"]
        for f in report.inputs
    ]
    return (
        f"<p>{_t('report.label.version', report)}{c.colon(report.lang)}{e(report.version)}</p>"
        f"<p>{_t('report.provenance.intro', report)}</p>"
        f"<pre>{e(c.regenerate_command(report, 'html'))}</pre>"
        + _table(header, rows, "small")
        + f"<h3>{_t('report.provenance.scenario', report)}</h3><pre>{e(report.scenario_yaml)}</pre>"
    )


RENDERERS = {
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
