"""PDF renderer (reportlab platypus): page numbers on every page, a table of contents for long
studies, charts as PNG images from vl-convert.

Fonts: DejaVu Sans when the system has it (embedded, covers French, Greek, Hebrew, Arabic
letters); otherwise reportlab's built-in Helvetica, whose WinAnsi encoding still covers French
(é, œ, «», €, —). Paragraph text is markup for reportlab, so every user text is escaped first.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from xml.sax.saxutils import escape, unescape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    Image,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Preformatted,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.tableofcontents import TableOfContents

from ..i18n import t
from . import common as c
from .model import Report
from .safety import break_long_words, clean_text, safe_url, shorten

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
TOC_MIN_CELLS = 40  # options × criteria above which the report gets a table of contents
MAX_NAME = 120


def _fonts() -> tuple[str, str, str]:
    """(regular, bold, mono) font names, registering DejaVu once when present."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "WB-Sans" in pdfmetrics.getRegisteredFontNames():
        return "WB-Sans", "WB-Sans-Bold", "WB-Mono"
    for folder in FONT_DIRS:
        files = {n: folder / f"{n}.ttf" for n in ("DejaVuSans", "DejaVuSans-Bold", "DejaVuSansMono")}
        if all(p.is_file() for p in files.values()):
            try:
                pdfmetrics.registerFont(TTFont("WB-Sans", str(files["DejaVuSans"])))
                pdfmetrics.registerFont(TTFont("WB-Sans-Bold", str(files["DejaVuSans-Bold"])))
                pdfmetrics.registerFont(TTFont("WB-Mono", str(files["DejaVuSansMono"])))
                pdfmetrics.registerFontFamily("WB-Sans", normal="WB-Sans", bold="WB-Sans-Bold")
                return "WB-Sans", "WB-Sans-Bold", "WB-Mono"
            except Exception:  # noqa: BLE001 - a broken font file falls back to the built-ins
                break
    return "Helvetica", "Helvetica-Bold", "Courier"


def _x(text: object) -> str:
    """User text made safe for a reportlab Paragraph: cleaned, long runs broken, markup escaped."""
    return escape(break_long_words(clean_text(text), 40)).replace("\n", "<br/>")


class _Doc(BaseDocTemplate):
    """Registers level-0/1 headings with the table of contents and as PDF outline entries."""

    def afterFlowable(self, flowable) -> None:  # noqa: N802 - reportlab's hook name
        level = getattr(flowable, "_toc_level", None)
        if level is None:
            return
        text = flowable.getPlainText()
        key = f"h{id(flowable)}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)
        if level == 0:  # sub-headings go to the PDF outline only, keeping the contents to one page
            self.notify("TOCEntry", (level, text, self.page, key))


def render_pdf(report: Report) -> bytes:
    regular, bold, mono = _fonts()
    styles = _styles(regular, bold, mono)
    buf = io.BytesIO()
    doc = _Doc(
        buf,
        pagesize=A4,
        leftMargin=1.8 * cm,
        rightMargin=1.8 * cm,
        topMargin=1.8 * cm,
        bottomMargin=1.8 * cm,
        title=clean_text(report.title),
        author="workbench",
        subject=clean_text(report.study_name),
        creator=f"workbench {report.version}",
        lang=report.lang,
        invariant=1 if os.environ.get("SOURCE_DATE_EPOCH") else 0,
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body")
    footer = t("report.label.page", report.lang, page="{page}")

    def on_page(canvas, document) -> None:
        canvas.saveState()
        canvas.setFont(regular, 8)
        canvas.setFillColor(colors.grey)
        canvas.drawRightString(A4[0] - doc.rightMargin, 1.0 * cm, footer.format(page=document.page))
        canvas.drawString(doc.leftMargin, 1.0 * cm, shorten(clean_text(report.title), 90))
        canvas.restoreState()

    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page)])
    story = _story(report, styles, doc.width)
    # ASCII85 image encoding runs in pure Python here (no rl_accel) and costs ~0.5 s for two
    # charts; binary streams are smaller and just as valid.
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        doc.multiBuild(story)
    finally:
        rl_config.useA85 = saved
    return buf.getvalue()


def _styles(regular: str, bold: str, mono: str) -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName=regular, fontSize=9.5, leading=12.5)
    return {
        "title": ParagraphStyle("title", parent=base["Title"], fontName=bold, fontSize=20, leading=24),
        "h1": ParagraphStyle(
            "h1", parent=base["Heading1"], fontName=bold, fontSize=15, leading=19, spaceBefore=10, keepWithNext=1
        ),
        "h2": ParagraphStyle(
            "h2", parent=base["Heading2"], fontName=bold, fontSize=11.5, leading=14, spaceBefore=8, keepWithNext=1
        ),
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10),
        "lead": ParagraphStyle("lead", parent=body, fontSize=8, leading=10, keepWithNext=1),
        "cell": ParagraphStyle("cell", parent=body, fontSize=8, leading=10),
        "cellr": ParagraphStyle("cellr", parent=body, fontSize=8, leading=10, alignment=TA_RIGHT),
        "head": ParagraphStyle("head", parent=body, fontName=bold, fontSize=8, leading=10),
        "mono": ParagraphStyle("mono", parent=body, fontName=mono, fontSize=7, leading=8.5),
        "toc0": ParagraphStyle("toc0", parent=body, fontSize=10, leading=14),
        "toc1": ParagraphStyle("toc1", parent=body, fontSize=9, leading=12, leftIndent=14),
    }


def _heading(text: str, style: ParagraphStyle, level: int) -> Paragraph:
    p = Paragraph(_x(shorten(text, 200)), style)
    p._toc_level = level
    return p


def _table(
    header: list[str],
    rows: list[list[str]],
    styles,
    widths: list[float],
    numeric: set[int] | None = None,
    plain: set[int] | None = None,
) -> Table:
    """Cells are ALREADY-escaped paragraph markup, except in `numeric` and `plain` columns, whose
    short texts are drawn as plain strings (no wrapping: much faster to lay out)."""
    numeric = numeric or set()
    flat = numeric | (plain or set())
    data = [[Paragraph(h, styles["head"]) for h in header]]
    for row in rows:
        data.append([unescape(v) if i in flat else Paragraph(v, styles["cell"]) for i, v in enumerate(row)])
    table = Table(data, colWidths=widths, repeatRows=1)
    cell = styles["cell"]
    commands = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#c8ced6")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef2")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("FONT", (0, 1), (-1, -1), cell.fontName, cell.fontSize, cell.leading),
    ]
    commands += [("ALIGN", (i, 1), (i, -1), "RIGHT") for i in numeric]
    table.setStyle(TableStyle(commands))
    return table


def _story(report: Report, styles, width: float) -> list:
    lang = report.lang
    story: list = [Paragraph(_x(shorten(report.title, 300)), styles["title"])]
    meta = [
        (t("report.label.study", lang), report.study_name),
        (t("report.label.scenario", lang), report.scenario_title or t("report.label.no_scenario", lang)),
        (t("report.label.date", lang), report.date),
        (t("report.label.method", lang), c.method_line(report)),
        (t("report.label.version", lang), report.version),
    ]
    story.append(_meta_table(meta, styles, width))
    if len(report.providers) * len(report.criteria) >= TOC_MIN_CELLS:
        toc = TableOfContents(levelStyles=[styles["toc0"], styles["toc1"]], dotsMinLevel=0)
        story += [Spacer(1, 10), Paragraph(escape(t("report.section.contents", lang)), styles["h1"]), toc, PageBreak()]
    for number, section in enumerate(c.sections(report), start=1):
        story.append(_heading(f"{number}. {c.title_of(section, lang)}", styles["h1"], 0))
        story += SECTIONS[section](report, styles, width)
    story += [
        Spacer(1, 12),
        Paragraph(escape(t("report.label.generated", lang, date=report.date, version=report.version)), styles["small"]),
    ]
    return story


def _meta_table(meta: list[tuple[str, str]], styles, width: float) -> Table:
    data = [[Paragraph(f"<b>{escape(k)}</b>", styles["cell"]), Paragraph(_x(v), styles["cell"])] for k, v in meta]
    table = Table(data, colWidths=[4.5 * cm, width - 4.5 * cm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return table


def _p(text: str, styles, style: str = "body") -> Paragraph:
    return Paragraph(_x(text), styles[style])


def _summary(report: Report, styles, width: float) -> list:
    lang = report.lang
    out = []
    if report.study_description:
        out.append(_p(report.study_description, styles))
    if report.scenario_notes:
        out.append(
            Paragraph(f"<b>{escape(t('report.label.notes', lang))}</b> — {_x(report.scenario_notes)}", styles["body"])
        )
    if report.ranking:
        top = report.ranking[0]
        out.append(
            Paragraph(
                f"<b>{escape(t('report.label.winner', lang))}</b> — {_x(shorten(top.name, MAX_NAME))} "
                f"({escape(t('col.score', lang))} {escape(c.score(top.score, lang))})",
                styles["body"],
            )
        )
    out.append(
        _p(
            f"{t('report.label.options', lang)}{c.colon(lang)}{len(report.providers)} — "
            f"{t('report.label.criteria', lang)}{c.colon(lang)}{len(report.leaf_rows())}",
            styles,
        )
    )
    return out


def _method(report: Report, styles, width: float) -> list:
    key = "report.score.higher" if report.higher_is_better else "report.score.lower"
    return [
        Paragraph(f"<b>{escape(report.method_name)}</b> — {escape(report.method_explanation)}", styles["body"]),
        Paragraph(
            f"<b>{escape(c.norm_heading(report))}</b> — {escape(c.normalization_explanation(report))}",
            styles["body"],
        ),
        _p(t(key, report.lang), styles),
    ]


def _weights(report: Report, styles, width: float) -> list:
    lang = report.lang
    header = [escape(t(k, lang)) for k in ("col.criterion", "report.col.raw", "report.col.local", "report.col.global",
                                            "report.col.direction", "report.col.must_have")]  # fmt: skip
    rows = []
    for w in report.weights:
        name = "&nbsp;" * 4 * w.depth + (_x(w.name) if w.is_leaf else f"<b>{_x(w.name)}</b>")
        if w.changed:
            name += f' <font color="#9a3412">⚑ {escape(t("report.weights.changed", lang))}</font>'
        rows.append(
            [
                name,
                escape(c.plain(w.raw_weight, lang)),
                escape(c.share(w.local_share, lang)),
                escape(c.share(w.global_share, lang)),
                escape(c.direction(w.direction, lang)),
                escape(w.must_have),
            ]
        )
    widths = [width - 12.6 * cm, 1.8 * cm, 2 * cm, 2 * cm, 2.6 * cm, 2.2 * cm]
    return [_p(t("report.weights.intro", lang), styles), _table(header, rows, styles, widths, {1, 2, 3}, {4, 5})]


def _ranking(report: Report, styles, width: float) -> list:
    lang = report.lang
    header = [escape(t(k, lang)) for k in ("col.rank", "col.provider", "col.score", "col.eligible", "col.failed")]
    rows = [
        [str(r.rank), _x(shorten(r.name, MAX_NAME)), escape(c.score(r.score, lang)), escape(c.yes_no(r.eligible, lang)),
         _x(c.failures_text(r, lang))]
        for r in report.ranking
    ]  # fmt: skip
    widths = [1.2 * cm, 6 * cm, 2 * cm, 2 * cm, width - 11.2 * cm]
    key = "report.score.higher" if report.higher_is_better else "report.score.lower"
    return [
        _table(header, rows, styles, widths, {0, 2}, {3}),
        Spacer(1, 4),
        _p(t("report.ranking.eligibility", lang) + " " + t(key, lang), styles, "small"),
    ]


def _charts(report: Report, styles, width: float) -> list:
    out = []
    for name, spec in report.charts.items():
        png = c.chart_png(spec, scale=1.5)
        caption = t(f"report.chart.{name}", report.lang)
        if png is None:
            out.append(_p(f"{caption}: {t('report.chart.none', report.lang)}", styles))
            continue
        image = Image(io.BytesIO(png))
        ratio = min(width / image.imageWidth, (20 * cm) / image.imageHeight)
        image.drawWidth, image.drawHeight = image.imageWidth * ratio, image.imageHeight * ratio
        out.append(KeepTogether([_heading(caption, styles["h2"], 1), image]))
    return out


def _matrix(report: Report, styles, width: float) -> list:
    lang = report.lang
    out = [_p(t("report.matrix.intro", lang), styles)]
    header = [escape(t(k, lang)) for k in ("col.provider", "report.col.value", "report.col.confidence",
                                            "report.col.sources", "report.col.rationale")]  # fmt: skip
    widths = [3.6 * cm, 2.6 * cm, 1.8 * cm, 1.8 * cm, width - 9.8 * cm]
    for crit in report.criteria:
        rows = []
        for p in report.providers:
            cell = report.cell(p["id"], crit["id"])
            flags = "".join(f'<br/><font color="#9a3412">⚑ {_x(f)}</font>' for f in c.cell_flags(cell, lang))
            rows.append(
                [
                    _x(shorten(p["name"], MAX_NAME)),
                    _x(cell.display),
                    escape(c.confidence(cell.confidence, lang)),
                    escape(c.refs_text(cell.sources)),
                    _x(cell.rationale) + flags,
                ]
            )
        unit = f" — {crit['unit']}" if crit["unit"] else ""
        out.append(_heading(crit["name"], styles["h2"], 1))
        out.append(_p(c.direction(crit["direction"], lang) + unit, styles, "lead"))
        out.append(_table(header, rows, styles, widths, plain={2}))
    return out


def _references(report: Report, styles, width: float) -> list:
    out = []
    for ref in report.references:
        url = safe_url(ref.url)
        link = f' — <link href="{escape(url, {chr(34): "&quot;"})}" color="#1f6f8b">{_x(url)}</link>' if url else ""
        date = f" ({_x(ref.date)})" if ref.date else ""
        out.append(Paragraph(f"[{ref.number}] {_x(ref.title)}{date}{link}", styles["small"]))
    return out or [_p("—", styles)]


def _costs(report: Report, styles, width: float) -> list:
    lang = report.lang
    header = [escape(t(k, lang)) for k in ("col.provider", "report.col.npv", "report.col.total",
                                            "report.col.p10", "report.col.p50", "report.col.p90")]  # fmt: skip
    rows = [
        [_x(shorten(r["name"], MAX_NAME))]
        + [escape(c.money(r[k], lang)) for k in ("npv", "total", "p10", "p50", "p90")]
        for r in (report.costs or {}).get("rows", [])
    ]
    widths = [width - 11 * cm, 2.2 * cm, 2.6 * cm, 2.1 * cm, 2.1 * cm, 2 * cm]
    return [
        _p(c.cost_intro(report), styles),
        _table(header, rows, styles, widths, {1, 2, 3, 4, 5}),
        Spacer(1, 4),
        _p(c.cost_percentiles_note(report), styles, "small"),
    ]


def _robustness(report: Report, styles, width: float) -> list:
    lang = report.lang
    rob = report.robustness or {}
    out: list = [_p(t("report.robustness.intro", lang, samples=rob.get("samples", "—")), styles)]
    if rob.get("error"):
        out.append(_p("⚑ " + str(rob["error"]), styles))
    out += [Paragraph(f"<b>{_x(v)}</b>", styles["body"]) for v in rob.get("verdict", [])]
    n_ranks, rows = c.acceptability_rows(report)
    if rows:
        shown = min(n_ranks, 10)
        header = [escape(t("col.provider", lang))] + [
            escape(t("report.robustness.rank", lang, rank=k + 1)) for k in range(shown)
        ]
        body = [
            [_x(shorten(name, MAX_NAME))] + [escape(c.share(x, lang)) for x in shares[:shown]] for name, shares in rows
        ]
        first = max(width - shown * 1.5 * cm, 4 * cm)
        widths = [first] + [(width - first) / max(shown, 1)] * shown
        out += [_heading(t("report.robustness.acceptability", lang), styles["h2"], 1)]
        out.append(_table(header, body, styles, widths, set(range(1, shown + 1))))
    thresholds = c.threshold_rows(report)
    if thresholds:
        out += [
            _heading(t("report.robustness.thresholds", lang), styles["h2"], 1),
            _p(t("report.robustness.thresholds_intro", lang), styles),
        ]
        out.append(_table([escape(t("col.criterion", lang)), escape(t("report.robustness.thresholds", lang))],
                          [[_x(a), _x(b)] for a, b in thresholds], styles, [width / 2, width / 2]))  # fmt: skip
    return out


def _assumptions(report: Report, styles, width: float) -> list:
    if not report.assumptions:
        return [_p(t("report.assume.none", report.lang), styles)]
    return [Paragraph(f"⚑ {_x(a.text)}", styles["body"]) for a in report.assumptions]


def _workshop(report: Report, styles, width: float) -> list:
    lang = report.lang
    out: list = [_p(t("report.workshop.intro", lang), styles)]
    out += [Paragraph(f"<b>{_x(k)}</b>{c.colon(lang)}{_x(v)}", styles["body"]) for k, v in c.workshop_items(report)]
    headers, rows = c.workshop_table(report)
    if rows:
        cols = len(headers)
        body = [[_x(r[0])] + [escape(c.share(v, lang)) for v in r[1:]] for r in rows]
        widths = [width - 2.4 * cm * cols] + [2.4 * cm] * cols
        out.append(
            _table(
                [escape(t("col.criterion", lang))] + [escape(h) for h in headers],
                body,
                styles,
                widths,
                set(range(1, cols + 1)),
            )
        )
    return out


def _provenance(report: Report, styles, width: float) -> list:
    lang = report.lang
    rows = [
        [escape(t(f"report.role.{f.role}", lang)), _x(f.path), f'<font size="6.5">{f.sha256}</font>']
        for f in report.inputs
    ]
    header = [escape(t(k, lang)) for k in ("report.col.role", "report.col.file", "report.col.sha256")]
    return [
        _p(f"{t('report.label.version', lang)}{c.colon(lang)}{report.version}", styles),
        _p(t("report.provenance.intro", lang), styles),
        Preformatted(clean_text(c.regenerate_command(report, "pdf")), styles["mono"], maxLineLength=110),
        Spacer(1, 6),
        _table(header, rows, styles, [2 * cm, width - 11 * cm, 9 * cm]),
        _heading(t("report.provenance.scenario", lang), styles["h2"], 1),
        Preformatted(clean_text(report.scenario_yaml), styles["mono"], maxLineLength=110),
    ]


SECTIONS = {
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
