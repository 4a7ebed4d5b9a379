"""Write a study's tables as an .xlsx workbook (XlsxWriter): the read-me sheet in French and
English, the study sheets with their header rows frozen, and drop-down lists (data validation) for
the fixed vocabularies and for ids.

No cell is ever a formula: the workbook is opened with `strings_to_formulas=False` (and no
automatic URL or number conversion), and every text goes through
`formulas.neutralise_formula` after control characters and bidi overrides are dropped, so the
file stays inert even after someone edits and re-saves a cell.
"""

from __future__ import annotations

import io
import unicodedata
from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from ..methods import method_names
from ..model import CONFIDENCES, NORMALIZATIONS, ROLES, SOURCE_KINDS, STATUSES
from .formulas import neutralise_formula
from .spreadsheet_format import (
    COLUMNS,
    CRITERIA,
    FX_PREFIX,
    LEVEL_KINDS,
    LEVELS,
    MAX_CELL_CHARS,
    OPTIONAL_SHEETS,
    OPTIONS,
    README,
    REQUIRED_SHEETS,
    SCORES,
    STUDY,
    StudyBook,
    as_number,
    column_letter,
)
from .spreadsheet_readme import readme_rows

_BIDI = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))
WIDTHS = {"id": 26, "parent": 22, "option": 26, "criterion": 26, "key": 18, "value": 14, "target": 34, "yaml": 90,
          "rationale_fr": 50, "rationale_en": 50, "source_title": 40, "source_url": 40, "name_fr": 32,
          "name_en": 32, "label_fr": 30, "label_en": 30}  # fmt: skip
# Column -> the values its drop-down offers (an error stops anything else).
VOCABULARIES: dict[tuple[str, str], tuple[str, ...]] = {
    (CRITERIA, "direction"): ("benefit", "cost"),
    (OPTIONS, "role"): ROLES,
    (SCORES, "status"): STATUSES,
    (SCORES, "confidence"): CONFIDENCES,
    (SCORES, "source_kind"): SOURCE_KINDS,
    (LEVELS, "kind"): LEVEL_KINDS,
}
# Column -> (sheet, column) whose ids it offers.
ID_LISTS = {(CRITERIA, "parent"): (CRITERIA, "id"), (SCORES, "option"): (OPTIONS, "id"),
            (SCORES, "criterion"): (CRITERIA, "id"), (LEVELS, "criterion"): (CRITERIA, "id")}  # fmt: skip
# Columns whose text is written as a number when it reads as one (a score's value may be a label).
NUMERIC = {CRITERIA: ("weight", "min", "max", "must_have_min"), SCORES: ("value", "low", "high"), LEVELS: ("value",)}
NUMERIC_KEYS = ("horizon", "discount_rate", "seats", "freshness_months")
SPARE_ROWS = 1000  # rows below the data that still get the drop-down lists


def cell_text(value: object) -> str:
    """A text as a cell may hold it: no control character (tab and newline kept), no bidi
    override, never read as a formula, at most a cell's length."""
    text = str(value).translate(_BIDI)
    text = "".join(ch for ch in text if ch in "\t\n" or unicodedata.category(ch) not in ("Cc", "Cs", "Co"))
    return str(neutralise_formula(text))[:MAX_CELL_CHARS]


def book_bytes(book: StudyBook) -> bytes:
    """The workbook of `book` (read me, the six study sheets), as the bytes of an .xlsx file."""
    buffer = io.BytesIO()
    options = {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}
    workbook = xlsxwriter.Workbook(buffer, options)
    formats = {
        "header": workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1}),
        "wrap": workbook.add_format({"text_wrap": True, "valign": "top"}),
        "title": workbook.add_format({"bold": True, "font_size": 14}),
        "bold": workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"}),
    }
    _readme(workbook.add_worksheet(README), formats)
    counts = {name: len(book.rows(name)) for name in COLUMNS}
    for name in (*REQUIRED_SHEETS, *OPTIONAL_SHEETS):
        sheet = workbook.add_worksheet(name)
        _table(sheet, name, [r.values for r in book.rows(name)], formats)
        _validations(sheet, name, book, counts)
    workbook.close()
    return buffer.getvalue()


def _readme(sheet: Worksheet, formats: dict[str, Any]) -> None:
    sheet.set_column(0, 1, 18, formats["wrap"])
    sheet.set_column(2, 3, 70, formats["wrap"])
    for r, (where, column, fr, en) in enumerate(readme_rows()):
        style = formats["title"] if r == 0 else formats["bold"] if where == "feuille / sheet" else formats["wrap"]
        for c, text in enumerate((where, column, fr, en)):
            if text:
                sheet.write_string(r, c, cell_text(text), style)


def _table(sheet: Worksheet, name: str, rows: list[dict[str, Any]], formats: dict[str, Any]) -> None:
    columns = COLUMNS[name]
    sheet.write_row(0, 0, columns, formats["header"])
    sheet.freeze_panes(1, 0)
    for c, column in enumerate(columns):
        width = WIDTHS.get(column, 16)
        sheet.set_column(c, c, width, formats["wrap"] if width >= 40 else None)
    for r, values in enumerate(rows, start=1):
        numbers = NUMERIC.get(name, ())
        if name == STUDY and (str(values.get("key")) in NUMERIC_KEYS or str(values.get("key")).startswith(FX_PREFIX)):
            numbers = ("value",)
        for c, column in enumerate(columns):
            _write(sheet, r, c, values.get(column), column in numbers)


def _write(sheet: Worksheet, r: int, c: int, value: Any, numeric: bool = False) -> None:
    if value is None or value == "":
        return
    if numeric and isinstance(value, str) and as_number(value) is not None:
        value = as_number(value)  # a draft keeps what was typed, "7,5" included: a number cell
    if isinstance(value, bool):
        sheet.write_boolean(r, c, value)
    elif isinstance(value, (int, float)):
        sheet.write_number(r, c, value)
    else:
        sheet.write_string(r, c, cell_text(value))


def _validations(sheet: Worksheet, name: str, book: StudyBook, counts: dict[str, int]) -> None:
    last = counts[name] + SPARE_ROWS
    for c, column in enumerate(COLUMNS[name]):
        vocabulary = VOCABULARIES.get((name, column))
        if vocabulary:
            sheet.data_validation(1, c, last, c, {"validate": "list", "source": list(vocabulary),
                                                  "error_title": column, "error_message": ", ".join(vocabulary)})  # fmt: skip
        ids = ID_LISTS.get((name, column))
        if ids:
            letter = column_letter(COLUMNS[ids[0]].index(ids[1]))
            source = f"={ids[0]}!${letter}$2:${letter}${counts[ids[0]] + SPARE_ROWS + 1}"
            sheet.data_validation(1, c, last, c, {"validate": "list", "source": source, "error_type": "warning"})
    if name == STUDY:
        for r, row in enumerate(book.rows(STUDY), start=1):
            key = row.values.get("key")
            choices = {"method": method_names(), "normalization": NORMALIZATIONS}.get(key)
            if choices:
                sheet.data_validation(r, 1, r, 1, {"validate": "list", "source": list(choices)})
