"""CSV (the ranking and what qualifies it) and JSON (the whole report's data) renderers.

CSV writes the ranking table with every column, data columns included, then, each after an
empty line and headed by its title, the reference models (never ranked), the evidence-quality
tables and the rank-reversal findings; when profiles could not be read, their list comes first,
headed by the warning. Cells holding text are neutralised with `safety.spreadsheet_text` (a
spreadsheet would evaluate a cell beginning with = + - @ tab or CR) and numbers are written with
a dot and fixed decimals, so the file reads the same in every locale. JSON keeps full-precision
numbers, keys in a fixed order and no timestamp except the one derived from SOURCE_DATE_EPOCH.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from .document import Bullets, Chapter, Kind, Label, Paragraph, Table
from .safety import spreadsheet_text
from .sections import Report

# Decimals of each numeric kind in CSV: enough to recompute, the same in every locale.
CSV_DECIMALS = {Kind.SCORE: 6, Kind.SHARE: 6, Kind.MONEY: 3}
CSV_CHAPTERS = ("problems", "ranking", "evidence", "reversal")
Rows = list[list[str]]


def render_csv(report: Report) -> str:
    """The ranking: rank, id, name, score, eligibility, failed must-haves, flags, then the TCO
    (NPV, undiscounted total, P10/P50/P90 in millions of the study currency; empty when
    unknown); then the other blocks of the module docstring."""
    chapters = {c.id: c for c in report.document.chapters}
    blocks: list[Rows] = []
    for cid in CSV_CHAPTERS:
        if cid in chapters:
            blocks += _chapter_blocks(chapters[cid])
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    for k, rows in enumerate(blocks):
        if k:
            writer.writerow([])
        writer.writerows(rows)
    return buf.getvalue()


def _chapter_blocks(chapter: Chapter) -> list[Rows]:
    """The chapter's warnings and findings (one cell a line, under the chapter's title), then
    each table (under its title). The ranking table alone has no title row: it is the file's
    first block whenever every profile could be read."""
    sentences: Rows = []
    for block in chapter.blocks:
        if isinstance(block, Paragraph) and block.style in ("flag", "strong"):
            sentences.append([spreadsheet_text(block.text)])
        elif isinstance(block, Bullets):
            sentences += [[spreadsheet_text(item)] for item in block.items]
    blocks = [[[spreadsheet_text(chapter.title)], *sentences]] if sentences or chapter.id != "ranking" else []
    for table in chapter.tables():
        rows = _table_rows(table)
        if table.title:
            rows.insert(0, [spreadsheet_text(table.title)])
        if blocks and (len(blocks[-1]) == 1 or not table.title):
            blocks[-1] += rows  # right under the chapter's title (and its sentences, for an untitled table)
        else:
            blocks.append(rows)
    return blocks


def _table_rows(table: Table) -> Rows:
    rows = [[spreadsheet_text(col.header) for col in table.columns]]
    for row in table.rows:
        rows.append([csv_cell(value, col.kind) for value, col in zip(row.cells, table.columns, strict=True)])
    return rows


def csv_cell(value: Any, kind: Kind) -> str:
    """One cell as CSV text: '' for nothing, fixed decimals for numbers, neutralised text."""
    if value is None:
        return ""
    if kind is Kind.INT:
        return str(int(value))
    if kind in CSV_DECIMALS:
        return f"{value:.{CSV_DECIMALS[kind]}f}"
    if kind is Kind.NUMBER:
        return repr(float(value))
    if kind is Kind.REFS:
        return spreadsheet_text("; ".join(f"{c.mark} {c.brief}".strip() for c in value))
    if kind is Kind.FLAGS:
        return spreadsheet_text("; ".join(value))
    return spreadsheet_text(value.text if isinstance(value, Label) else value)


def render_json(report: Report) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2, allow_nan=False) + "\n"
