"""The PDF's table of contents and outline, laid out in one pass.

reportlab's own `TableOfContents` needs the whole document laid out twice (`multiBuild`: the
first pass only finds the pages), which doubled the PDF's time. Here the contents' lines are the
chapters, known before layout; their page numbers, known only at the end, are drawn into a form
XObject that the contents page refers to (a PDF may use a form defined later in the file).
"""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable


def chapter_key(number: int) -> str:
    """The named destination of chapter `number` (outline entries and contents links)."""
    return f"chapter-{number}"


class ContentsPage(Flowable):
    """The table of contents: one line per chapter, each linked to its chapter."""

    FORM = "wb-contents"

    def __init__(self, titles: list[str], style: ParagraphStyle) -> None:
        super().__init__()
        self.titles = titles
        self.style = style

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        return available_width, self.style.leading * len(self.titles)

    def draw(self) -> None:
        leading = self.style.leading
        self.canv.doForm(self.FORM)
        for n in range(len(self.titles)):
            top = leading * (len(self.titles) - n)
            self.canv.linkRect("", chapter_key(n + 1), (0, top - leading, self.width, top), relative=1)

    def form(self, canv: Canvas, pages: dict[str, int]) -> None:
        """Draws the lines with their page numbers (once the whole document is laid out)."""
        font, size, leading = self.style.fontName, self.style.fontSize, self.style.leading
        dot = pdfmetrics.stringWidth(" .", font, size)
        canv.beginForm(self.FORM)
        canv.setFont(font, size)
        for n, title in enumerate(self.titles):
            y = leading * (len(self.titles) - n - 1) + (leading - size) / 2
            page = str(pages.get(chapter_key(n + 1), ""))
            canv.drawString(0, y, title)
            canv.drawRightString(self.width, y, page)
            start = pdfmetrics.stringWidth(title, font, size) + 6
            end = self.width - pdfmetrics.stringWidth(page, font, size) - 6
            canv.drawRightString(end, y, " ." * max(int((end - start) / dot), 0))
        canv.endForm()


class OutlinedDoc(BaseDocTemplate):
    """Registers level-0/1 headings as PDF outline entries, records each chapter's page, and
    draws the contents' page numbers once the document is laid out."""

    contents: ContentsPage | None = None

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - reportlab's hook name
        level = getattr(flowable, "_toc_level", None)
        if level is None:
            return
        key = getattr(flowable, "_toc_key", None) or f"h{id(flowable)}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level, closed=level > 0)
        if level == 0:
            self.chapter_pages[key] = self.page

    def build(self, flowables: list[Flowable], **kwargs: object) -> None:
        self.chapter_pages: dict[str, int] = {}
        self._doSave = 0  # saved below, after the contents' form
        super().build(flowables, **kwargs)
        if self.contents is not None:
            self.contents.form(self.canv, self.chapter_pages)
        self.canv.save()
