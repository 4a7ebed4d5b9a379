"""The PDF's page furniture: fonts, paragraph styles, the document template with its outline
and contents, and column widths for the report's tables."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import BaseDocTemplate, Flowable

from .document import Kind, Table
from .formatting import cell_text

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
# Width of a column of each short kind; text columns share what is left.
FIXED_WIDTHS = {Kind.INT: 1.2 * cm, Kind.SCORE: 1.9 * cm, Kind.SHARE: 1.9 * cm, Kind.MONEY: 2.1 * cm,
                Kind.NUMBER: 1.9 * cm, Kind.REFS: 1.6 * cm}  # fmt: skip
MIN_TEXT_WIDTH = 2.6 * cm
CELL_PADDING = 8  # points: the table's left and right padding, with a little air
# A text column's share of the free width follows its longest text, within these bounds
# (characters): a rationale column gets room, a yes/no column does not starve.
TEXT_WEIGHT = (6, 60)


def fonts() -> tuple[str, str, str]:
    """(regular, bold, mono) font names, registering DejaVu once when present.

    DejaVu Sans covers French, Greek, Hebrew and Arabic letters; without it, reportlab's
    built-in Helvetica, whose WinAnsi encoding still covers French (é, œ, «», €, —).
    """
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


def styles(regular: str, bold: str, mono: str) -> dict[str, ParagraphStyle]:
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


class OutlinedDoc(BaseDocTemplate):
    """Registers level-0/1 headings with the table of contents and as PDF outline entries."""

    def afterFlowable(self, flowable: Flowable) -> None:  # noqa: N802 - reportlab's hook name
        level = getattr(flowable, "_toc_level", None)
        if level is None:
            return
        text = flowable.getPlainText()
        key = f"h{id(flowable)}"
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)
        if level == 0:  # sub-headings go to the PDF outline only, keeping the contents to one page
            self.notify("TOCEntry", (level, text, self.page, key))


def column_widths(table: Table, shown: list[int], width: float, lang: str, head: ParagraphStyle) -> list[float]:
    """Widths of the shown columns: fixed for numbers and references; text columns get a minimum
    each, then share the rest by the length of their longest text. Fixed widths shrink when the
    text columns would not get their minimum."""
    kinds = [table.columns[i].kind for i in shown]
    fixed = {
        k: max(FIXED_WIDTHS[kind], _longest_word(table.columns[shown[k]].header, head))
        for k, kind in enumerate(kinds)
        if kind in FIXED_WIDTHS
    }
    flexible = [k for k in range(len(shown)) if k not in fixed]
    room = width - MIN_TEXT_WIDTH * len(flexible)
    total_fixed = sum(fixed.values())
    if total_fixed > room > 0:
        fixed = {k: w * room / total_fixed for k, w in fixed.items()}
    free = width - sum(fixed.values())
    # Each text column gets its minimum, and the rest of the free width by its weight.
    base = min(MIN_TEXT_WIDTH, free / len(flexible)) if flexible else 0.0
    extra = free - base * len(flexible)
    weights = {k: _text_weight(table, shown[k], lang) for k in flexible}
    total = sum(weights.values()) or 1
    return [fixed[k] if k in fixed else base + extra * weights[k] / total for k in range(len(shown))]


def _longest_word(text: str, style: ParagraphStyle) -> float:
    """Width a column needs so that no word of `text` is cut (cell padding included)."""
    words = text.split() or [""]
    return max(pdfmetrics.stringWidth(w, style.fontName, style.fontSize) for w in words) + CELL_PADDING


def _text_weight(table: Table, index: int, lang: str) -> int:
    column = table.columns[index]
    longest = max([len(column.header)] + [len(cell_text(r.cells[index], column.kind, lang)) for r in table.rows])
    low, high = TEXT_WEIGHT
    return min(max(longest, low), high)
