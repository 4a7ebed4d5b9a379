"""PDF renderer (reportlab platypus): the report's document with page numbers on every page, a
table of contents for long studies (laid out in one pass: `pdf_contents.py`) and charts as PNG
images from vl-convert.

Paragraph text is markup for reportlab, so every text is escaped first (`_Writer.x`). Long texts
never break the layout: a table row taller than a page continues on the next (`splitInRow`),
and a text beyond `TEXT_LIMIT` characters is cut with a note saying so (the other formats keep
it whole). Fonts, styles, column widths and the document template are in `pdf_layout.py`.
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
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

from ..i18n import fmt_number, t
from . import document as d
from .chart_images import PDF_SCALE, chart_png, prefetch_png
from .formatting import cell_text, colon
from .pdf_contents import ContentsPage, OutlinedDoc, chapter_key
from .pdf_layout import CELL_PADDING, CachedParagraph, column_groups, column_widths, fonts, styles
from .safety import break_long_words, clean_text, safe_url, shorten
from .sections import Report

TOC_MIN_CELLS = 40  # options × criteria above which the report gets a table of contents
WARN = "#9a3412"
# Characters of one text the PDF prints; beyond, it is cut with a note saying so. A table row
# taller than a page is split across pages, so this only bounds the page count: a 5 MB profile
# would otherwise ask for thousands of pages.
TEXT_LIMIT = 6000
TITLE_LIMIT, HEADING_LIMIT = 300, 200
Styles = dict[str, ParagraphStyle]


def render_pdf(report: Report) -> bytes:
    prefetch_png(report.charts.values(), scale=PDF_SCALE)  # converted while the first pages are laid out
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
    writer = _Writer(report, st, doc.width)
    story = writer.story()
    doc.contents = writer.contents
    # ASCII85 image encoding runs in pure Python here (no rl_accel) and costs ~0.5 s for two
    # charts; binary streams are smaller and just as valid.
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        doc.build(story)
    finally:
        rl_config.useA85 = saved
    return buf.getvalue()


@dataclass
class _Writer:
    """The story of one report: its language, styles and frame width."""

    report: Report
    st: Styles
    width: float
    contents: ContentsPage | None = None

    @property
    def lang(self) -> str:
        return self.report.lang

    def x(self, text: object, limit: int = TEXT_LIMIT) -> str:
        """Text made safe for a reportlab Paragraph: cleaned, cut beyond `limit` with a visible
        note, long runs broken, markup escaped."""
        plain = clean_text(text)
        note = ""
        if len(plain) > limit:
            note = " " + t("report.pdf.shortened", self.lang, count=fmt_number(len(plain) - limit, self.lang, 0))
            plain = plain[:limit].rstrip() + "…"
        return escape(break_long_words(plain, 40) + note).replace("\n", "<br/>")

    def story(self) -> list[Flowable]:
        report, st = self.report, self.st
        doc = report.document
        story: list[Flowable] = [Paragraph(self.x(doc.title, TITLE_LIMIT), st["title"])]
        meta = [[CachedParagraph(f"<b>{self.x(k)}</b>", st["cell"]), CachedParagraph(self.x(v), st["cell"])]
                for k, v in doc.header.items]  # fmt: skip
        header = PdfTable(meta, colWidths=[4.5 * cm, self.width - 4.5 * cm], splitInRow=1)
        header.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
        story.append(header)
        if len(report.providers) * len(report.criteria) >= TOC_MIN_CELLS:
            title = Paragraph(escape(t("report.section.contents", self.lang)), st["h1"])
            lines = [shorten(f"{number}. {chapter.title}", 90) for number, chapter in enumerate(doc.chapters, start=1)]
            self.contents = ContentsPage(lines, st["toc0"])
            story += [Spacer(1, 10), title, self.contents, PageBreak()]
        for number, chapter in enumerate(doc.chapters, start=1):
            heading = self.heading(f"{number}. {chapter.title}", st["h1"], 0)
            heading._toc_key = chapter_key(number)
            story.append(heading)
            for block in chapter.blocks:
                story += self.block(block)
        story += [Spacer(1, 12), Paragraph(self.x(doc.footer), st["small"])]
        return story

    def heading(self, text: str, style: ParagraphStyle, level: int) -> Paragraph:
        p = Paragraph(self.x(text, HEADING_LIMIT), style)
        p._toc_level = level
        return p

    def block(self, block: d.Block) -> list[Flowable]:
        st, x = self.st, self.x
        if isinstance(block, d.Paragraph):
            return [self.paragraph(block)]
        if isinstance(block, d.Heading):
            return [self.heading(block.text, st["h2"], 1)]
        if isinstance(block, d.Table):
            return self.table(block)
        if isinstance(block, d.Facts):
            return [Paragraph(f"<b>{x(k)}</b>{colon(self.lang)}{x(v)}", st["body"]) for k, v in block.items]
        if isinstance(block, d.Bullets):
            return [Paragraph(f"⚑ {x(item)}", st["body"]) for item in block.items]
        if isinstance(block, d.Command):
            return [Preformatted(clean_text(block.line("pdf")), st["mono"], maxLineLength=110), Spacer(1, 6)]
        if isinstance(block, d.Code):
            return [Preformatted(clean_text(block.text), st["mono"], maxLineLength=110)]
        if isinstance(block, d.Figure):
            return self.figure(block)
        if isinstance(block, d.SourceList):
            return self.references()
        raise TypeError(f"no PDF for {type(block).__name__}")

    def paragraph(self, p: d.Paragraph) -> Paragraph:
        st, x = self.st, self.x
        if p.lead:
            return Paragraph(f"<b>{x(p.lead)}</b>{escape(p.sep)}{x(p.text)}", st["body"])
        if p.style == "strong":
            return Paragraph(f"<b>{x(p.text)}</b>", st["body"])
        if p.style == "flag":
            return Paragraph(f'<font color="{WARN}">⚑ {x(p.text)}</font>', st["body"])
        return Paragraph(x(p.text), st["small" if p.style == "note" else "body"])

    def table(self, table: d.Table) -> list[Flowable]:
        """The table under its title and caption; a table too wide for the page (say, rank
        acceptability for 40 options) is cut into column groups, each repeating the first column."""
        st = self.st
        out: list[Flowable] = []
        if table.title:
            out.append(self.heading(table.title, st["h2"], 1))
        if table.caption:
            note = f" — {self.x(table.note)}" if table.note else ""
            out.append(Paragraph(f"<i>{self.x(table.caption)}</i>{note}", st["lead"]))
        for shown in column_groups(table.shown(data=False), self.width):
            out += [self.grid(table, shown), Spacer(1, 4)]
        return out

    def grid(self, table: d.Table, shown: list[int]) -> PdfTable:
        """Header cells and text cells are paragraphs (they wrap); numbers are plain strings,
        which lay out much faster and never wrap. A row taller than a page splits."""
        st, lang = self.st, self.lang
        numeric = [k for k, i in enumerate(shown) if table.columns[i].numeric]
        widths = column_widths(table, shown, self.width, lang, st["head"])
        data: list[list[Any]] = [[CachedParagraph(self.x(table.columns[i].header), st["head"]) for i in shown]]
        for row in table.rows:
            data.append([self.cell(row.cells[i], table.columns[i], w) for i, w in zip(shown, widths, strict=True)])
        pdf_table = PdfTable(data, colWidths=widths, repeatRows=1, splitInRow=1)
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
        commands += [("BACKGROUND", (0, n), (-1, n), colors.HexColor("#fff7ed"))
                     for n, row in enumerate(table.rows, 1) if row.muted]  # fmt: skip
        pdf_table.setStyle(TableStyle(commands))
        return pdf_table

    def cell(self, value: Any, column: d.Column, width: float) -> Any:
        """A plain string when the text fits on one line of the column (numbers always do),
        else a paragraph that wraps: paragraphs cost most of the PDF's layout time."""
        lang, x, style = self.lang, self.x, self.st["cell"]
        if column.numeric:
            return cell_text(value, column.kind, lang)
        if column.kind is d.Kind.FLAGS:
            flags = "<br/>".join(f'<font color="{WARN}">⚑ {x(flag)}</font>' for flag in value)
            return CachedParagraph(flags, style) if flags else ""
        if column.kind is d.Kind.CODE:
            return CachedParagraph(f'<font size="6.5">{x(value)}</font>', style)
        if column.kind is d.Kind.REFS:
            cites = "<br/>".join(x(f"{c.mark} {c.brief}".strip()) for c in value)
            return CachedParagraph(cites, style) if cites else ""
        plain = clean_text(cell_text(value, column.kind, lang), keep_newlines=False)
        fits = stringWidth(plain, style.fontName, style.fontSize) <= width - CELL_PADDING
        if not isinstance(value, d.Label) and len(plain) <= TEXT_LIMIT and fits:
            return plain
        text = x(cell_text(value, column.kind, lang))
        if isinstance(value, d.Label):
            text = "&nbsp;" * 4 * value.depth + (f"<b>{text}</b>" if value.strong else text)
            text += "".join(f' <font color="{WARN}">⚑ {x(flag)}</font>' for flag in value.flags)
        return CachedParagraph(text, style)

    def figure(self, figure: d.Figure) -> list[Flowable]:
        png = chart_png(self.report.charts[figure.name], scale=PDF_SCALE)
        if png is None:
            left_out = t("report.chart.left_out", self.lang, caption=figure.caption)
            return [Paragraph(f'<font color="{WARN}">⚑ {self.x(left_out)}</font>', self.st["body"])]
        image = Image(io.BytesIO(png))
        ratio = min(self.width / image.imageWidth, (20 * cm) / image.imageHeight)
        image.drawWidth, image.drawHeight = image.imageWidth * ratio, image.imageHeight * ratio
        return [KeepTogether([self.heading(figure.caption, self.st["h2"], 1), image])]

    def references(self) -> list[Flowable]:
        out: list[Flowable] = []
        for ref in self.report.references:
            url = safe_url(ref.url)
            link = (
                f' — <link href="{escape(url, {chr(34): "&quot;"})}" color="#1f6f8b">{self.x(url)}</link>'
                if url
                else ""
            )
            out.append(Paragraph(f"[{ref.number}] {self.x(ref.text or ref.title)}{link}", self.st["small"]))
        return out or [Paragraph("—", self.st["body"])]
