"""CSV (the ranking table) and JSON (the whole report's data) renderers.

CSV writes the ranking chapter's table with every column, data columns included; cells holding
text are neutralised with `safety.spreadsheet_text` (a spreadsheet would evaluate a cell
beginning with = + - @ tab or CR) and numbers are written with a dot and fixed decimals, so the
file reads the same in every locale. JSON keeps full-precision numbers, keys in a fixed order
and no timestamp except the one derived from SOURCE_DATE_EPOCH.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from .document import Kind, Label, Table
from .safety import spreadsheet_text
from .sections import Report

# Decimals of each numeric kind in CSV: enough to recompute, the same in every locale.
CSV_DECIMALS = {Kind.SCORE: 6, Kind.SHARE: 6, Kind.MONEY: 3}


def render_csv(report: Report) -> str:
    """The ranking: rank, id, name, score, eligibility, failed must-haves, flags, then the TCO
    (NPV, undiscounted total, P10/P50/P90 in millions of the study currency; empty when unknown)."""
    table = first_table(report, "ranking")
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([spreadsheet_text(col.header) for col in table.columns])
    for row in table.rows:
        writer.writerow([csv_cell(value, col.kind) for value, col in zip(row.cells, table.columns, strict=True)])
    return buf.getvalue()


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
        return " ".join(f"[{n}]" for n in value)
    if kind is Kind.FLAGS:
        return spreadsheet_text("; ".join(value))
    return spreadsheet_text(value.text if isinstance(value, Label) else value)


def first_table(report: Report, chapter_id: str) -> Table:
    """The first table of a chapter (the ranking table for CSV)."""
    return next(b for c in report.document.chapters if c.id == chapter_id for b in c.tables())


def render_json(report: Report) -> str:
    return json.dumps(report.to_json(), ensure_ascii=False, indent=2, allow_nan=False) + "\n"
