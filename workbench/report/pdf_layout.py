"""The PDF's page furniture: fonts, paragraph styles and column widths for the report's tables
(the document template, its outline and contents are in `pdf_contents.py`)."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph

from .document import Kind, Table
from .formatting import cell_text

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
# Width of a column of each short kind; text columns share what is left.
FIXED_WIDTHS = {Kind.INT: 1.2 * cm, Kind.SCORE: 1.9 * cm, Kind.SHARE: 1.9 * cm, Kind.MONEY: 2.1 * cm,
                Kind.NUMBER: 1.9 * cm}  # fmt: skip
# A text column's minimum is its longest word, within these bounds.
TEXT_MIN_WIDTH = (1.4 * cm, 4 * cm)
TEXT_FLOOR = 1.0 * cm  # what a text column keeps when the table has too many of them
GROUP_COLUMN = 1.9 * cm  # a column's width when a wide table is cut into groups of columns
TEXT_WEIGHT_CAP = 600  # characters: beyond, a longer text gets no more width
TEXT_WEIGHT_POWER = 0.75
AVERAGE_GLYPH = 0.55  # average glyph width in em, for estimating word widths without measuring
CELL_PADDING = 8  # points: the table's left and right padding, with a little air


class CachedParagraph(Paragraph):
    """A paragraph that breaks its lines once per width: a table wraps each of its cells several
    times (to size the rows, to split them across pages, to draw them) at the same width."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - reportlab's names
        if self.__dict__.get("_wrapped_at") == availWidth and "blPara" in self.__dict__:
            return self.width, self.height
        size = super().wrap(availWidth, availHeight)
        self._wrapped_at = availWidth
        return size


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


def column_groups(shown: list[int], width: float) -> list[list[int]]:
    """The shown columns in groups that fit `width` at `GROUP_COLUMN` each after the first
    column (the row's name, repeated in every group); one group when they all fit."""
    per = max(int((width - TEXT_MIN_WIDTH[1]) // GROUP_COLUMN), 1)
    if len(shown) <= per + 1:
        return [shown]
    head, rest = shown[0], shown[1:]
    return [[head, *rest[k : k + per]] for k in range(0, len(rest), per)]


def column_widths(table: Table, shown: list[int], width: float, lang: str, head: ParagraphStyle) -> list[float]:
    """Widths of the shown columns, filling `width`.

    Numbers and references get a fixed width (wider when a header word needs it). Each text
    column gets what its longest word needs (within bounds), then the rest is shared by a
    power below one of its longest text: a rationale column gets most of the room, a name
    column enough for a few words, a yes/no column little. When the minimums do not fit, text
    columns shrink first, then every column (`_fit`).
    """
    kinds = [table.columns[i].kind for i in shown]
    fixed = {
        k: max(FIXED_WIDTHS[kind], _header_word(table.columns[shown[k]].header, head))
        for k, kind in enumerate(kinds)
        if kind in FIXED_WIDTHS
    }
    texts = {k: _texts(table, shown[k], lang) for k in range(len(shown)) if k not in fixed}
    low, high = TEXT_MIN_WIDTH
    mins = {
        k: min(max(_word_width(t, head.fontSize), _header_word(table.columns[shown[k]].header, head), low), high)
        for k, t in texts.items()
    }
    fixed, mins = _fit(fixed, mins, width)
    extra = max(width - sum(fixed.values()) - sum(mins.values()), 0.0)
    longest = {k: min(max((len(x) for x in t), default=1), TEXT_WEIGHT_CAP) or 1 for k, t in texts.items()}
    weights = {k: n**TEXT_WEIGHT_POWER for k, n in longest.items()}
    total = sum(weights.values()) or 1.0
    return [fixed[k] if k in fixed else mins[k] + extra * weights[k] / total for k in range(len(shown))]


def _fit(fixed: dict[int, float], mins: dict[int, float], width: float) -> tuple[dict[int, float], dict[int, float]]:
    """Widths that fit in `width` when the columns' natural widths do not: text columns shrink
    first, down to `TEXT_FLOOR`; if that is not enough, every column shrinks in proportion."""
    text_room = width - sum(fixed.values())
    if sum(mins.values()) <= text_room:
        return fixed, mins
    floor = TEXT_FLOOR * len(mins)
    if text_room >= floor:
        scale = (text_room - floor) / (sum(mins.values()) - floor)
        return fixed, {k: TEXT_FLOOR + (w - TEXT_FLOOR) * scale for k, w in mins.items()}
    scale = width / (sum(fixed.values()) + sum(mins.values()))
    return {k: w * scale for k, w in fixed.items()}, {k: w * scale for k, w in mins.items()}


def _header_word(text: str, style: ParagraphStyle) -> float:
    """Width a column needs so that no word of its header is cut (cell padding included)."""
    words = text.split() or [""]
    return max(pdfmetrics.stringWidth(w, style.fontName, style.fontSize) for w in words) + CELL_PADDING


def _texts(table: Table, index: int, lang: str) -> list[str]:
    column = table.columns[index]
    return [cell_text(row.cells[index], column.kind, lang) for row in table.rows]


def _word_width(texts: list[str], font_size: float) -> float:
    """Estimated width of the longest word of `texts` (average glyph width, padding included)."""
    longest = max((len(word) for text in texts for word in text.split()), default=0)
    return longest * font_size * AVERAGE_GLYPH + CELL_PADDING
