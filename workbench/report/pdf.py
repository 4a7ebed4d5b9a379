"""PDF renderer (reportlab platypus): the report's document with page numbers on every page, a
table of contents for long studies and charts as PNG images from vl-convert.

Paragraph text is markup for reportlab, so every text is escaped first (`_x`); fonts, styles
and column widths are in `pdf_layout.py`.
"""

from __future__ import annotations

import io
import os
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    Frame,
    Image,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Paragraph,
    Preformatted,
    Spacer,
    TableStyle,
)
from reportlab.platypus import Table as PdfTable
from reportlab.platypus.tableofcontents import TableOfContents

from ..i18n import t
from . import document as d
from .chart_images import chart_png
from .formatting import cell_text, colon
from .pdf_layout import CELL_PADDING, OutlinedDoc, column_widths, fonts, styles
from .safety import break_long_words, clean_text, safe_url, shorten
from .sections import Report

TOC_MIN_CELLS = 40  # options × criteria above which the report gets a table of contents
WARN = "#9a3412"
Styles = dict[str, ParagraphStyle]


def _x(text: object) -> str:
    """Text made safe for a reportlab Paragraph: cleaned, long runs broken, markup escaped."""
    return escape(break_long_words(clean_text(text), 40)).replace("\n", "<br/>")


def render_pdf(report: Report) -> bytes:
    regular, bold, mono = fonts()
    st = styles(regular, bold, mono)
    buf = io.BytesIO()
    doc = OutlinedDoc(
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

    def on_page(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(regular, 8)
        canvas.setFillColor(colors.grey)
        canvas.drawRightString(A4[0] - doc.rightMargin, 1.0 * cm, footer.format(page=document.page))
        canvas.drawString(doc.leftMargin, 1.0 * cm, shorten(clean_text(report.title), 90))
        canvas.restoreState()

    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page)])
    story = _story(report, st, doc.width)
    # ASCII85 image encoding runs in pure Python here (no rl_accel) and costs ~0.5 s for two
    # charts; binary streams are smaller and just as valid.
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        doc.multiBuild(story)
    finally:
        rl_config.useA85 = saved
    return buf.getvalue()


def _story(report: Report, st: Styles, width: float) -> list[Flowable]:
    doc = report.document
    lang = report.lang
    story: list[Flowable] = [Paragraph(_x(shorten(doc.title, 300)), st["title"])]
    meta = [[Paragraph(f"<b>{_x(k)}</b>", st["cell"]), Paragraph(_x(v), st["cell"])] for k, v in doc.header.items]
    header = PdfTable(meta, colWidths=[4.5 * cm, width - 4.5 * cm])
    header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    story.append(header)
    if len(report.providers) * len(report.criteria) >= TOC_MIN_CELLS:
        toc = TableOfContents(levelStyles=[st["toc0"], st["toc1"]], dotsMinLevel=0)
        story += [Spacer(1, 10), Paragraph(escape(t("report.section.contents", lang)), st["h1"]), toc, PageBreak()]
    for number, chapter in enumerate(doc.chapters, start=1):
        story.append(_heading(f"{number}. {chapter.title}", st["h1"], 0))
        for block in chapter.blocks:
            story += _block(block, report, st, width)
    story += [Spacer(1, 12), Paragraph(_x(doc.footer), st["small"])]
    return story


def _heading(text: str, style: ParagraphStyle, level: int) -> Paragraph:
    p = Paragraph(_x(shorten(text, 200)), style)
    p._toc_level = level
    return p


def _block(block: d.Block, report: Report, st: Styles, width: float) -> list[Flowable]:
    if isinstance(block, d.Paragraph):
        return [_paragraph(block, st)]
    if isinstance(block, d.Heading):
        return [_heading(block.text, st["h2"], 1)]
    if isinstance(block, d.Table):
        return _table(block, report.lang, st, width)
    if isinstance(block, d.Facts):
        return [Paragraph(f"<b>{_x(k)}</b>{colon(report.lang)}{_x(v)}", st["body"]) for k, v in block.items]
    if isinstance(block, d.Bullets):
        return [Paragraph(f"⚑ {_x(item)}", st["body"]) for item in block.items]
    if isinstance(block, d.Command):
        return [Preformatted(clean_text(block.line("pdf")), st["mono"], maxLineLength=110), Spacer(1, 6)]
    if isinstance(block, d.Code):
        return [Preformatted(clean_text(block.text), st["mono"], maxLineLength=110)]
    if isinstance(block, d.Figure):
        return _figure(block, report, st, width)
    if isinstance(block, d.SourceList):
        return _references(report, st)
    raise TypeError(f"no PDF for {type(block).__name__}")


def _paragraph(p: d.Paragraph, st: Styles) -> Paragraph:
    if p.lead:
        return Paragraph(f"<b>{_x(p.lead)}</b>{escape(p.sep)}{_x(p.text)}", st["body"])
    if p.style == "strong":
        return Paragraph(f"<b>{_x(p.text)}</b>", st["body"])
    if p.style == "flag":
        return Paragraph(f'<font color="{WARN}">⚑ {_x(p.text)}</font>', st["body"])
    return Paragraph(_x(p.text), st["small" if p.style == "note" else "body"])


def _table(table: d.Table, lang: str, st: Styles, width: float) -> list[Flowable]:
    """Header cells and text cells are paragraphs (they wrap); numbers are plain strings, which
    lay out much faster and never wrap."""
    out: list[Flowable] = []
    if table.title:
        out.append(_heading(table.title, st["h2"], 1))
    if table.caption:
        out.append(
            Paragraph(f"<i>{_x(table.caption)}</i>" + (f" — {_x(table.note)}" if table.note else ""), st["lead"])
        )
    shown = table.shown(data=False)
    numeric = [k for k, i in enumerate(shown) if table.columns[i].numeric]
    widths = column_widths(table, shown, width, lang, st["head"])
    data: list[list[Any]] = [[Paragraph(_x(table.columns[i].header), st["head"]) for i in shown]]
    for row in table.rows:
        data.append([_cell(row.cells[i], table.columns[i], lang, st, w) for i, w in zip(shown, widths, strict=True)])
    pdf_table = PdfTable(data, colWidths=widths, repeatRows=1)
    cell = st["cell"]
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#c8ced6")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef2")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("FONT", (0, 1), (-1, -1), cell.fontName, cell.fontSize, cell.leading),
    ]
    commands += [("ALIGN", (k, 1), (k, -1), "RIGHT") for k in numeric]
    commands += [("BACKGROUND", (0, n), (-1, n), colors.HexColor("#fff7ed")) for n, row in enumerate(table.rows, 1)
                 if row.muted]  # fmt: skip
    pdf_table.setStyle(TableStyle(commands))
    return [*out, pdf_table, Spacer(1, 4)]


def _cell(value: Any, column: d.Column, lang: str, st: Styles, width: float) -> Any:
    """A plain string when the text fits on one line of the column (numbers always do), else a
    paragraph that wraps: paragraphs cost most of the PDF's layout time."""
    if column.numeric:
        return cell_text(value, column.kind, lang)
    if column.kind is d.Kind.FLAGS:
        flags = "<br/>".join(f'<font color="{WARN}">⚑ {_x(flag)}</font>' for flag in value)
        return Paragraph(flags, st["cell"]) if flags else ""
    if column.kind is d.Kind.CODE:
        return Paragraph(f'<font size="6.5">{_x(value)}</font>', st["cell"])
    plain = clean_text(cell_text(value, column.kind, lang), keep_newlines=False)
    cell = st["cell"]
    if not isinstance(value, d.Label) and stringWidth(plain, cell.fontName, cell.fontSize) <= width - CELL_PADDING:
        return plain
    text = _x(cell_text(value, column.kind, lang))
    if isinstance(value, d.Label):
        text = "&nbsp;" * 4 * value.depth + (f"<b>{text}</b>" if value.strong else text)
        text += "".join(f' <font color="{WARN}">⚑ {_x(flag)}</font>' for flag in value.flags)
    return Paragraph(text, st["cell"])


def _figure(figure: d.Figure, report: Report, st: Styles, width: float) -> list[Flowable]:
    png = chart_png(report.charts[figure.name], scale=1.5)
    if png is None:
        return [Paragraph(_x(f"{figure.caption}: {t('report.chart.none', report.lang)}"), st["body"])]
    image = Image(io.BytesIO(png))
    ratio = min(width / image.imageWidth, (20 * cm) / image.imageHeight)
    image.drawWidth, image.drawHeight = image.imageWidth * ratio, image.imageHeight * ratio
    return [KeepTogether([_heading(figure.caption, st["h2"], 1), image])]


def _references(report: Report, st: Styles) -> list[Flowable]:
    out: list[Flowable] = []
    for ref in report.references:
        url = safe_url(ref.url)
        link = f' — <link href="{escape(url, {chr(34): "&quot;"})}" color="#1f6f8b">{_x(url)}</link>' if url else ""
        date = f" ({_x(ref.date)})" if ref.date else ""
        out.append(Paragraph(f"[{ref.number}] {_x(ref.title)}{date}{link}", st["small"]))
    return out or [Paragraph("—", st["body"])]
