"""XLSX renderer (xlsxwriter, written cell by cell, never through pandas).

One sheet per chapter, named in the report's language (`report.sheet.*`); the summary sheet
opens with the report's header facts. Tables keep every column, data columns included, with
numbers stored as numbers under display formats; a chapter's tables that share their columns
(the matrix's one table per criterion) become one sheet table with a first column for their
titles, so it can be sorted and filtered. The first table's header row is frozen.

Formula injection is blocked twice: the workbook is opened with `strings_to_formulas=False`
(and no automatic URL or number conversion), and every text goes through
`safety.spreadsheet_text`, so the file stays inert even after a user edits and re-saves a cell.
"""

from __future__ import annotations

import io
import re
from itertools import groupby
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from ..i18n import t
from . import document as d
from .safety import spreadsheet_text
from .sections import Report, SourceRef

SHEET_NAME_MAX = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
NUMBER_FORMATS = {d.Kind.INT: "0", d.Kind.SCORE: "0.000", d.Kind.SHARE: "0.0%", d.Kind.MONEY: "#,##0.0",
                  d.Kind.NUMBER: "General"}  # fmt: skip
TEXT_WIDTH, NUMBER_WIDTH, MAX_WIDTH = 14, 12, 70


def sheet_name(text: str, taken: set[str]) -> str:
    """A valid, unused sheet name: at most 31 characters, none of []:*?/\\ (Excel's rules)."""
    base = _SHEET_FORBIDDEN.sub(" ", text).strip().strip("'")[:SHEET_NAME_MAX] or "Sheet"
    name, n = base, 1
    while name.lower() in taken:
        n += 1
        name = f"{base[: SHEET_NAME_MAX - len(str(n)) - 1]} {n}"
    taken.add(name.lower())
    return name


class _Sheet:
    """A worksheet written top to bottom, remembering column widths."""

    def __init__(self, book: Workbook, name: str, fmts: dict[str, Any], refs: dict[int, SourceRef]) -> None:
        self.ws: Worksheet = book.add_worksheet(name)
        self.fmts = fmts
        self.refs = refs
        self.row = 0
        self.widths: dict[int, int] = {}
        self.frozen = False

    def text_row(self, *texts: str, fmt: str = "wrap") -> None:
        for col, text in enumerate(texts):
            self.ws.write_string(self.row, col, spreadsheet_text(text), self.fmts[fmt])
        self.row += 1

    def table(self, tables: list[d.Table]) -> None:
        """One sheet table for `tables` (same columns): a title column first when they have one."""
        columns = list(tables[0].columns)
        titled = bool(tables[0].group)
        header = ([tables[0].group] if titled else []) + [c.header for c in columns]
        if tables[0].title and not titled:  # a table of its own: its title above it
            self.text_row(tables[0].title, fmt="strong")
        if not self.frozen:  # the first table's header stays in view
            self.ws.freeze_panes(self.row + 1, 0)
            self.frozen = True
        first = self.row
        self.text_row(*header, fmt="header")
        offset = 1 if titled else 0
        for table in tables:
            for row in table.rows:
                if titled:
                    self._value(0, table.title, d.Kind.TEXT)
                for col, (value, column) in enumerate(zip(row.cells, columns, strict=True), start=offset):
                    self._value(col, value, column.kind)
                self.row += 1
        if titled:
            self.ws.autofilter(first, 0, self.row - 1, len(header) - 1)

    def _value(self, col: int, value: Any, kind: d.Kind) -> None:
        if kind in NUMBER_FORMATS and value is not None:
            self.ws.write_number(self.row, col, float(value), self.fmts[kind])
            self._width(col, NUMBER_WIDTH)
            return
        text = self._text(value, kind)
        if text:
            self.ws.write_string(self.row, col, spreadsheet_text(text), self.fmts["wrap"])
        else:
            self.ws.write_blank(self.row, col, None)
        self._width(col, min(max(len(text), TEXT_WIDTH), MAX_WIDTH))

    def _text(self, value: Any, kind: d.Kind) -> str:
        if kind is d.Kind.REFS:
            return "; ".join(_reference(self.refs[c.number], c.brief) for c in value)
        if kind is d.Kind.FLAGS:
            return "; ".join(value)
        if isinstance(value, d.Label):
            return "    " * value.depth + value.text + "".join(f" ⚑ {flag}" for flag in value.flags)
        return "" if value is None else str(value)

    def _width(self, col: int, width: int) -> None:
        self.widths[col] = max(self.widths.get(col, 0), width)

    def finish(self) -> None:
        for col, width in self.widths.items():
            self.ws.set_column(col, col, width)


def _reference(ref: SourceRef, brief: str = "") -> str:
    return f"[{ref.number}] {ref.title}" + (f" <{ref.url}>" if ref.url else "") + (f" ({brief})" if brief else "")


def render_xlsx(report: Report) -> bytes:
    buf = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    book = xlsxwriter.Workbook(buf, options)
    book.set_properties({"title": spreadsheet_text(report.title), "comments": f"workbench {report.version}"})
    fmts: dict[str, Any] = {
        "header": book.add_format({"bold": True, "bg_color": "#E8EEF2", "text_wrap": True, "valign": "top"}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
        "strong": book.add_format({"bold": True, "text_wrap": True, "valign": "top"}),
        **{kind: book.add_format({"num_format": f, "valign": "top"}) for kind, f in NUMBER_FORMATS.items()},
    }
    refs = {r.number: r for r in report.references}
    doc = report.document
    taken: set[str] = set()
    for chapter in doc.chapters:
        if not chapter.textual():
            continue
        sheet = _Sheet(book, sheet_name(t(f"report.sheet.{chapter.id}", report.lang), taken), fmts, refs)
        if chapter.id == "summary":
            sheet.text_row(t("report.col.title", report.lang), doc.title, fmt="wrap")
            _facts(sheet, doc.header)
        _blocks(sheet, list(chapter.blocks), report)
        sheet.finish()
    book.close()
    return buf.getvalue()


def _facts(sheet: _Sheet, facts: d.Facts) -> None:
    for label, value in facts.items:
        sheet.text_row(label, value)


def _blocks(sheet: _Sheet, blocks: list[d.Block], report: Report) -> None:
    # Consecutive tables with the same columns and group are written as one.
    def key(block: d.Block) -> Any:
        return (block.columns, block.group) if isinstance(block, d.Table) and block.group else id(block)

    for _, run in groupby(blocks, key=key):
        items = list(run)
        block = items[0]
        if isinstance(block, d.Table):
            sheet.table(items)
        elif isinstance(block, d.Paragraph):
            text = f"{block.lead}{block.sep}{block.text}" if block.lead else block.text
            sheet.text_row(("⚑ " if block.style == "flag" else "") + text,
                           fmt="strong" if block.style == "strong" else "wrap")  # fmt: skip
        elif isinstance(block, d.Heading):
            sheet.text_row(block.text, fmt="header")
        elif isinstance(block, d.Facts):
            _facts(sheet, block)
        elif isinstance(block, d.Bullets):
            for item in block.items:
                sheet.text_row(f"⚑ {item}")
        elif isinstance(block, d.Command):
            sheet.text_row(block.line("xlsx"))
        elif isinstance(block, d.Code):
            sheet.text_row(block.text)
        elif isinstance(block, d.SourceList):
            _references(sheet, report)


def _references(sheet: _Sheet, report: Report) -> None:
    lang = report.lang
    columns = [d.Column(t("report.col.id", lang), d.Kind.INT)]
    keys = ("report.col.title", "report.col.date", "report.col.kind", "report.col.accessed", "report.col.url")
    columns += [d.Column(t(k, lang)) for k in keys]
    rows = [(r.number, r.title, r.date, t(f"kind.{r.kind}", lang) if r.kind else "", r.accessed, r.url)
            for r in report.references]  # fmt: skip
    sheet.table([d.table(columns, rows)])
