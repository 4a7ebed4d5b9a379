"""A plain decision matrix (CSV or a single-sheet workbook) -> the study workbook's tables.

The first column names the options and each other column a criterion; an optional row whose first
cell is `direction` holds `benefit`/`cost`, an optional row `weight` the weights (equal otherwise).
Each scale runs from the lowest to the highest value of its column, and every score is marked
`assumption` with no source, which the evidence coverage report then says plainly. Problems found
later in the tables are reported at the matrix's own cells (each table row keeps its origin).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import PurePath
from typing import Any

from .spreadsheet_format import (
    COLUMNS,
    CRITERIA,
    OPTIONS,
    SCORES,
    STUDY,
    CellRef,
    Row,
    Sheet,
    StudyBook,
    as_number,
    as_text,
    column_letter,
    is_blank,
)

Grid = list[tuple[int, list[Any]]]  # (row number in the file, cell values from column A)
SPECIAL_ROWS = ("direction", "weight")


def slug(text: str, fallback: str) -> str:
    """An id from a name: 'Coût total (M$)' -> 'cout-total-m'."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    out = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")
    return out or fallback


def _unique(base: str, taken: set[str]) -> str:
    name, n = base, 1
    while name in taken:
        n += 1
        name = f"{base}-{n}"
    taken.add(name)
    return name


class _Matrix:
    def __init__(self, grid: Grid, file: str, sheet: str) -> None:
        self.grid = [(n, cells) for n, cells in grid if any(not is_blank(c) for c in cells)]
        self.file, self.sheet = file, sheet
        self.book = StudyBook(file)
        for name in COLUMNS:
            self.book.sheets[name] = Sheet(name)

    def at(self, row: int, col: int, column: str = "") -> CellRef:
        return CellRef(self.file, self.sheet, row, column, column_letter(col))

    def add(self, sheet: str, values: dict[str, Any], origin: dict[str, CellRef] | None = None) -> None:
        rows = self.book.sheets[sheet].rows
        rows.append(Row(len(rows) + 2, {c: values.get(c) for c in COLUMNS[sheet]}, origin or {}))

    def build(self) -> StudyBook:
        if not self.grid:
            self.book.problems.append(CellRef(self.file, self.sheet, 0).problem("the file holds no table"))
            return self.book
        header_number, header = self.grid[0]
        criteria = self._criteria(header_number, header)
        special: dict[str, tuple[int, list[Any]]] = {}
        options: list[tuple[int, list[Any], str, str]] = []
        taken: set[str] = set()
        names: dict[str, int] = {}
        for number, cells in self.grid[1:]:
            label = as_text(cells[0] if cells else None)
            if label is not None and label.lower() in SPECIAL_ROWS and label.lower() not in special:
                special[label.lower()] = (number, cells)
                continue
            if label is None:
                self.book.problems.append(
                    self.at(number, 0, "option").problem("each row needs an option name in its first cell")
                )
                continue
            if label in names:
                message = f"option {label!r} is named twice (first in row {names[label]})"
                self.book.problems.append(self.at(number, 0, "option").problem(message))
                continue
            names[label] = number
            options.append((number, cells, _unique(slug(label, f"option-{len(options) + 1}"), taken), label))
        self._study()
        self._criteria_rows(criteria, special, options, header_number)
        for number, cells, option_id, label in options:
            origin = {"id": self.at(number, 0, "option")}
            self.add(OPTIONS, {"id": option_id, "name_fr": label, "name_en": label, "role": "option"}, origin)
            for col, criterion_id, _ in criteria:
                value = cells[col] if col < len(cells) else None
                origin = {"option": self.at(number, 0, "option"), "criterion": self.at(header_number, col, "criterion"),
                          "value": self.at(number, col, "value"), "status": self.at(number, col, "value")}  # fmt: skip
                number = as_number(value)  # text that is not a number was reported with its column
                if number is not None:
                    values = {"option": option_id, "criterion": criterion_id, "value": number, "status": "assumption"}
                    self.add(SCORES, values, origin)
        return self.book

    def _criteria(self, number: int, header: list[Any]) -> list[tuple[int, str, str]]:
        out, taken, seen = [], set(), {}
        for col in range(1, len(header)):
            name = as_text(header[col])
            if name is None:
                if any(col < len(cells) and not is_blank(cells[col]) for _, cells in self.grid[1:]):
                    self.book.problems.append(
                        self.at(number, col, "criterion").problem("this column needs a criterion name")
                    )
                continue
            if name in seen:
                message = f"criterion {name!r} is named twice (first in column {column_letter(seen[name])})"
                self.book.problems.append(self.at(number, col, "criterion").problem(message))
                continue
            seen[name] = col
            out.append((col, _unique(slug(name, f"criterion-{col}"), taken), name))
        if not out:
            self.book.problems.append(
                self.at(number, 1, "criterion").problem("the first row must name the criteria (from column B)")
            )
        return out

    def _study(self) -> None:
        stem = PurePath(self.file).stem or "matrix"
        for key, value in (
            ("id", slug(stem, "matrix")),
            ("name_fr", stem),
            ("name_en", stem),
            ("method", "weighted-sum"),
        ):
            self.add(STUDY, {"key": key, "value": value})

    def _criteria_rows(self, criteria, special, options, header_number: int) -> None:
        for col, criterion_id, name in criteria:
            values: dict[str, Any] = {"id": criterion_id, "name_fr": name, "name_en": name}
            origin = {"id": self.at(header_number, col, "criterion"), "min": self.at(header_number, col, "min")}
            for key, column in (("weight", "weight"), ("direction", "direction")):
                if key in special:
                    number, cells = special[key]
                    values[column] = cells[col] if col < len(cells) else None
                    origin[column] = self.at(number, col, column)
            numbers = [as_number(cells[col]) for _, cells, _, _ in options if col < len(cells)]
            for (number, cells, _, _), found in zip(options, numbers, strict=False):
                if found is None and col < len(cells) and not is_blank(cells[col]):
                    self.book.problems.append(
                        self.at(number, col, "value").problem(f"expected a number, got {cells[col]!r}")
                    )
            numbers = [n for n in numbers if n is not None]
            low, high = (min(numbers), max(numbers)) if numbers else (0, 1)
            values["min"], values["max"] = low, high if high > low else low + 1
            self.add(CRITERIA, values, origin)


def matrix_to_book(grid: Grid, file: str, sheet: str = "") -> StudyBook:
    """The tables of a plain decision matrix (`sheet` is "" for a CSV file)."""
    return _Matrix(grid, file, sheet).build()
