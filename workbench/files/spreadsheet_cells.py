"""What the sheet readers share: the map from a file's fields to cells, the result of a build,
and the reader's base (cells, problems, numbers)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..model import CriteriaSet, Provider
from .spreadsheet_format import CellProblem, CellRef, Row, StudyBook, as_number, is_blank
from .yamlfile import YamlDoc


class Cells:
    """Field paths of one file's data -> the cell each came from (as the doc's "line" numbers)."""

    def __init__(self, refs: list) -> None:
        self.refs = refs
        self.lines: dict[tuple, int] = {}

    def put(self, path: tuple, ref: CellRef | tuple) -> None:
        self.refs.append(ref)
        self.lines[path] = len(self.refs) - 1

    def put_default(self, path: tuple, ref: CellRef | tuple) -> None:
        """`put` unless the field already has a more precise cell."""
        if path not in self.lines:
            self.put(path, ref)

    def doc(self, file: str, data: Any) -> YamlDoc:
        return YamlDoc(file=file, data=data, lines=dict(self.lines))


@dataclass
class BookStudy:
    """The files a book makes (`criteria` data, one profile's data per option id, in order), the
    checked model when they are valid, and every problem and warning at its cell."""

    file: str
    set_id: str = ""
    criteria: dict[str, Any] = field(default_factory=dict)
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    criteria_set: CriteriaSet | None = None
    providers: list[Provider] = field(default_factory=list)
    problems: list[CellProblem] = field(default_factory=list)
    warnings: list[CellProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems and self.criteria_set is not None


class SheetReader:
    """A book being turned into file data: every field put in the data is mapped to its cell."""

    def __init__(self, book: StudyBook) -> None:
        self.book = book
        self.refs: list[CellRef | tuple] = []
        self.out = BookStudy(book.file, problems=list(book.problems), warnings=list(book.warnings))
        self.set_cells = Cells(self.refs)
        self.option_cells: dict[str, Cells] = {}
        self.option_rows: dict[str, Row] = {}

    # --- helpers ----------------------------------------------------------------------------

    def ref(self, sheet: str, row: Row | None, column: str = "") -> CellRef:
        return self.book.ref(sheet, row, column)

    def cell(self, sheet: str, row: Row | None, column: str = "") -> tuple[str, Row | None, str]:
        """A cell for the field map, written out as a CellRef only if a problem is found there
        (a big study maps tens of thousands of fields and has a handful of problems)."""
        return (sheet, row, column)

    def resolve(self, index: int) -> CellRef:
        """The cell of a field map's "line" number."""
        if not 0 <= index < len(self.refs):
            return CellRef(self.book.file, "", 0)
        ref = self.refs[index]
        return self.book.ref(*ref) if isinstance(ref, tuple) else ref

    def problem(self, sheet: str, row: Row | None, column: str, message: str) -> None:
        self.out.problems.append(self.ref(sheet, row, column).problem(message))

    def warn(self, sheet: str, row: Row | None, column: str, message: str) -> None:
        self.out.warnings.append(self.ref(sheet, row, column).warning(message))

    def number(self, sheet: str, row: Row, column: str) -> float | int | None:
        raw = row.get(column)
        if is_blank(raw):
            return None
        number = as_number(raw)
        if number is None:
            self.problem(sheet, row, column, f"expected a number, got {raw!r}")
        return number
