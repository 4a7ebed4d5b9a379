"""The study workbook's shape: its sheets and columns, and the plain tables both ways share.

A study in a spreadsheet is four sheets (`study`, `criteria`, `options`, `scores`, columns as
below, header row first) and two optional ones (`levels` for ordinal scales and anchors,
`advanced` for the YAML fields no column carries: descriptions, cost blocks, preference functions,
quotes...). The same tables are what the app's "Build a study" page edits and what a draft stores,
so a `StudyBook` is plain data: sheet name -> rows of column -> value, each row remembering its
row number in the sheet, so that every problem names its sheet, row and column.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from ..errors import Problem

STUDY, CRITERIA, OPTIONS, SCORES, LEVELS, ADVANCED = "study", "criteria", "options", "scores", "levels", "advanced"
README = "read me"

# Sheet -> its columns, in order (the names, exactly).
COLUMNS: dict[str, tuple[str, ...]] = {
    STUDY: ("key", "value"),
    CRITERIA: ("id", "parent", "name_fr", "name_en", "weight", "direction", "min", "max", "unit", "must_have_min"),
    OPTIONS: ("id", "name_fr", "name_en", "role"),
    SCORES: (
        "option", "criterion", "value", "low", "high", "status", "confidence", "rationale_fr", "rationale_en",
        "source_title", "source_url", "source_published", "source_accessed", "source_kind",
    ),
    LEVELS: ("criterion", "kind", "value", "label_fr", "label_en"),
    ADVANCED: ("target", "yaml"),
}  # fmt: skip
REQUIRED_SHEETS = (STUDY, CRITERIA, OPTIONS, SCORES)
OPTIONAL_SHEETS = (LEVELS, ADVANCED)
# A sheet without one of these columns cannot be read at all; the others may be left out.
REQUIRED_COLUMNS = {STUDY: ("key", "value"), CRITERIA: ("id",), OPTIONS: ("id",), SCORES: ("option", "criterion"),
                    LEVELS: ("criterion", "value"), ADVANCED: ("target", "yaml")}  # fmt: skip

# Rows of the `study` sheet: the keys first, then the optional ones.
STUDY_KEYS = ("id", "name_fr", "name_en", "method", "horizon", "discount_rate", "currency")
MORE_STUDY_KEYS = ("description_fr", "description_en", "normalization", "seats", "freshness_months", "source_policy")
FX_PREFIX = "fx."  # `fx.EUR` = the value of one EUR in the study currency
LEVEL_KINDS = ("level", "anchor")
SOURCE_COLUMNS = ("source_title", "source_url", "source_published", "source_accessed", "source_kind")
EVIDENCE_COLUMNS = ("value", "low", "high", "status", "confidence", "rationale_fr", "rationale_en")

MAX_CELL_CHARS = 32_767  # a spreadsheet cell holds at most this many characters (Excel's limit)
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")


@dataclass
class Row:
    """One row of a sheet: its number in the sheet (the header is row 1) and its values by column.

    `origin` names, for some columns, another place the value came from (a plain decision matrix
    is turned into these sheets; a problem is then reported at the matrix's own cell)."""

    number: int
    values: dict[str, Any]
    origin: dict[str, CellRef] = field(default_factory=dict)

    def get(self, column: str) -> Any:
        return self.values.get(column)

    def is_empty(self) -> bool:
        return all(is_blank(v) for v in self.values.values())


@dataclass
class Sheet:
    """A sheet's rows; `letters` maps a column to its letter in the file (for messages)."""

    name: str
    rows: list[Row] = field(default_factory=list)
    letters: dict[str, str] = field(default_factory=dict)

    def letter(self, column: str) -> str:
        """The column's letter in the file, else its place in the format (A for the first)."""
        return self.letters.get(column) or _LETTERS.get(self.name, {}).get(column, "")


@dataclass
class StudyBook:
    """A study as tables: `file` names it in messages; reading problems and warnings travel along."""

    file: str
    sheets: dict[str, Sheet] = field(default_factory=dict)
    problems: list[CellProblem] = field(default_factory=list)
    warnings: list[CellProblem] = field(default_factory=list)

    def rows(self, sheet: str) -> list[Row]:
        found = self.sheets.get(sheet)
        return found.rows if found else []

    def ref(self, sheet: str, row: Row | None, column: str = "") -> CellRef:
        """Where a value stands: its row's origin for that column, else this book's cell."""
        if row is not None and column in row.origin:
            return row.origin[column]
        letter = self.sheets[sheet].letter(column) if sheet in self.sheets and column else ""
        return CellRef(self.file, sheet, row.number if row else 0, column, letter)

    def to_json(self) -> dict[str, list[dict[str, Any]]]:
        """The tables as JSON-ready data (a draft): sheet -> list of rows (column -> value)."""
        return {name: [dict(r.values) for r in sheet.rows] for name, sheet in self.sheets.items()}

    @classmethod
    def from_json(cls, file: str, data: dict[str, list[dict[str, Any]]]) -> StudyBook:
        """Tables saved by `to_json`; rows are numbered from 2 under a header row, in order."""
        book = cls(file)
        for name in (*REQUIRED_SHEETS, *OPTIONAL_SHEETS):
            rows = data.get(name) or []
            book.sheets[name] = Sheet(name, [Row(i + 2, _known(name, r)) for i, r in enumerate(rows)])
        return book


def _known(sheet: str, values: dict[str, Any]) -> dict[str, Any]:
    """The row's values of the sheet's columns (the row itself when it has exactly those: a
    book built from a draft only reads its rows)."""
    columns = COLUMNS[sheet]
    if len(values) == len(columns) and all(c in values for c in columns):
        return values
    return {c: values.get(c) for c in columns}


def empty_book(file: str) -> StudyBook:
    """The template's tables: every sheet, the study sheet's keys listed with no values."""
    book = StudyBook.from_json(file, {STUDY: [{"key": k, "value": None} for k in STUDY_KEYS]})
    return book


@dataclass(frozen=True)
class CellRef:
    """A cell: the book's file, the sheet, the row number, the column's name and its letter."""

    file: str
    sheet: str
    row: int
    column: str = ""
    letter: str = ""

    @property
    def cell(self) -> str:
        """`F12`, `F` (a whole column), `12:12` (a whole row) or "" (the whole sheet)."""
        return f"{self.letter}{self.row or ''}" if self.letter else (f"{self.row}:{self.row}" if self.row else "")

    def problem(
        self, message: str, *, field: str | None = None, code: str = "", severity: str = "error"
    ) -> CellProblem:
        return CellProblem(
            file=self.file, line=self.row, field=self.column if field is None else field, message=message,
            code=code, severity=severity, sheet=self.sheet, cell=self.cell, column=self.column,
        )  # fmt: skip

    def warning(self, message: str, code: str = "spreadsheet") -> CellProblem:
        return self.problem(message, code=code, severity="warning")


@dataclass(frozen=True)
class CellProblem(Problem):
    """A problem at a cell: printed `study.xlsx:scores!F12: confidence: message`."""

    sheet: str = ""
    cell: str = ""
    column: str = ""

    @property
    def where(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or self.cell

    def __str__(self) -> str:
        place = f"{self.file}:{self.where}" if self.where else self.file
        field_ = f"{self.field}: " if self.field else ""
        tag = f"warning [{self.code}]: " if self.severity == "warning" else ""
        return f"{place}: {field_}{tag}{self.message}"

    def to_json(self) -> dict[str, object]:
        return {**super().to_json(), "sheet": self.sheet, "cell": self.cell, "column": self.column}


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def clean(value: Any) -> Any:
    """A cell's value as the tables keep it: blanks become None, text is stripped, and a leading
    apostrophe that kept a text from being read as a formula is dropped."""
    if is_blank(value):
        return None
    if isinstance(value, str):
        text = value.strip()
        if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
            text = text[1:]
        return text
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return int(value)
    return value


def as_number(value: Any) -> float | int | None:
    """A number from a cell: numbers as they are, text like `7`, `7.5` or `7,5`; None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        text = value.strip().replace("\u00a0", "").replace("\u202f", "")
        if _NUMBER.match(text):
            if "," in text and "." not in text:
                text = text.replace(",", ".")
            number = float(text)
            return int(number) if number.is_integer() and abs(number) < 1e15 else number
    return None


def as_text(value: Any) -> str | None:
    """A cell as text (ids typed as numbers, 12 or 12.0, become "12")."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() or None


def text_data(fr: Any, en: Any) -> str | dict[str, str] | None:
    """The two language columns as a file's text: one string when they agree or one is empty."""
    fr, en = as_text(fr), as_text(en)
    if fr and en and fr != en:
        return {"en": en, "fr": fr}
    return fr or en


# Each column's letter in the format's own column order (the template's and the export's).
_LETTERS = {sheet: {c: column_letter(i) for i, c in enumerate(columns)} for sheet, columns in COLUMNS.items()}
