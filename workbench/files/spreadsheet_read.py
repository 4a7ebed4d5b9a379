"""Read a study workbook (.xlsx) or a plain decision matrix (.csv, or a single-sheet .xlsx) into
the tables of `spreadsheet_format`, with every reading problem at its sheet, row and column.

Untrusted files are bounded before anything is parsed: the file's size, then the total size of
the .xlsx archive's parts once unzipped (a "zip bomb" is refused without being expanded), then at
most `MAX_ROWS` rows and `MAX_COLUMNS` columns a sheet and `MAX_CELL_CHARS` characters a cell.
Formulas are never evaluated: a formula cell is read as the value the spreadsheet program last
saved with it (openpyxl's `data_only`), with a warning naming the cell.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import replace
from pathlib import Path, PurePath
from typing import Any

from ..errors import LoadError
from .spreadsheet_format import (
    COLUMNS,
    MAX_CELL_CHARS,
    OPTIONAL_SHEETS,
    README,
    REQUIRED_COLUMNS,
    REQUIRED_SHEETS,
    CellProblem,
    CellRef,
    Row,
    Sheet,
    StudyBook,
    clean,
    column_letter,
    is_blank,
)
from .spreadsheet_matrix import Grid, matrix_to_book

MAX_FILE_BYTES = 20_000_000
MAX_UNZIPPED_BYTES = 100_000_000
MAX_ROWS = 20_000
MAX_COLUMNS = 200
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
CSV_SUFFIXES = (".csv", ".txt")


def _refuse(file: str, message: str) -> LoadError:
    return LoadError([CellRef(file, "", 0).problem(message)])


def read_spreadsheet(source: Path | str | bytes, name: str | None = None) -> StudyBook:
    """The tables of a study workbook or of a plain matrix. `source` is a path, or the bytes of an
    upload named `name`. A file that cannot be read at all raises LoadError with a sentence; the
    problems of its cells come back in the book's `problems` (all of them at once)."""
    if isinstance(source, (str, Path)):
        path = Path(source)
        file = name or str(path)
        data = _read_bytes(path, file)
        if path.suffix.lower() in CSV_SUFFIXES:
            return read_csv_text(_decode(data, file), file)
    else:
        file = name or "upload.xlsx"
        data = bytes(source)
        if len(data) > MAX_FILE_BYTES:
            raise _refuse(file, f"file is too large ({len(data):,} bytes; at most {MAX_FILE_BYTES:,})")
        if PurePath(file).suffix.lower() in CSV_SUFFIXES:
            return read_csv_text(_decode(data, file), file)
    suffix = PurePath(file).suffix.lower()
    if suffix == ".xls":
        raise _refuse(file, "an .xls file (Excel 97-2003) cannot be read: save it as .xlsx")
    if suffix not in WORKBOOK_SUFFIXES:
        raise _refuse(file, "expected an .xlsx workbook or a .csv file")
    return read_workbook_bytes(data, file)


def _read_bytes(path: Path, file: str) -> bytes:
    try:
        size = path.stat().st_size
    except OSError:
        raise _refuse(file, "file not found") from None
    if not path.is_file():
        raise _refuse(file, "not a regular file")
    if size > MAX_FILE_BYTES:
        raise _refuse(file, f"file is too large ({size:,} bytes; at most {MAX_FILE_BYTES:,})")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise _refuse(file, f"cannot read file: {exc.strerror}") from None


def _decode(data: bytes, file: str) -> str:
    """UTF-8 (a byte-order mark allowed), else Windows-1252 (what spreadsheet programs often save)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            raise _refuse(file, "the file is neither UTF-8 nor Windows-1252 text") from None


def read_csv_text(text: str, file: str) -> StudyBook:
    """A plain decision matrix from CSV text (comma, semicolon or tab separated)."""
    text = text.removeprefix("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    problems = []
    grid: Grid = []
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), start=1):
            if number > MAX_ROWS:
                problems.append(CellRef(file, "", number).problem(f"more than {MAX_ROWS:,} rows: the rest is not read"))
                break
            if len(cells) > MAX_COLUMNS:
                message = f"more than {MAX_COLUMNS} columns: the rest of the row is not read"
                problems.append(CellRef(file, "", number, "", column_letter(MAX_COLUMNS)).problem(message))
            grid.append((number, [_cell(v, "", number, c, file, problems) for c, v in enumerate(cells[:MAX_COLUMNS])]))
    except csv.Error as exc:
        raise _refuse(file, f"not a CSV file: {exc}") from None
    book = matrix_to_book(grid, file)
    book.problems[:0] = problems
    return book


def _cell(value: Any, sheet: str, row: int, col: int, file: str, problems: list) -> Any:
    """A cell's value for the tables: dates as ISO text, over-long text refused (its place is
    written out only for a problem: most cells have none)."""
    if isinstance(value, str):
        if len(value) > MAX_CELL_CHARS:
            message = f"text too long ({len(value):,} characters; a cell holds at most {MAX_CELL_CHARS:,})"
            problems.append(CellRef(file, sheet, row, "", column_letter(col)).problem(message))
            return None
        return clean(value)
    if isinstance(value, dt.datetime):
        value = value.date() if value.time() == dt.time() else value
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return clean(value)


def read_workbook_bytes(data: bytes, file: str) -> StudyBook:
    """A study workbook (or a single-sheet matrix) from the bytes of an .xlsx file."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _refuse(file, "not an .xlsx workbook (an .xlsx file is a zip archive)") from None
    if unzipped > MAX_UNZIPPED_BYTES:
        raise _refuse(file, f"the workbook unpacks to {unzipped:,} bytes (at most {MAX_UNZIPPED_BYTES:,})")
    grids, problems, warnings = _grids(data, file)
    book = _classify(grids, file)
    titles = {title: key for key, (title, _) in grids.items()}
    book.problems[:0] = [_named(p, book, titles) for p in problems]
    book.warnings[:0] = [_named(w, book, titles) for w in warnings]
    return book


def _named(problem: CellProblem, book: StudyBook, titles: dict[str, str]) -> CellProblem:
    """A cell's problem found while reading, with its column named once the header is known."""
    sheet = book.sheets.get(titles.get(problem.sheet, ""))
    if sheet is None or problem.column:
        return problem
    letter = problem.cell.rstrip("0123456789")
    column = next((c for c, at in sheet.letters.items() if at == letter), "")
    return replace(problem, sheet=sheet.name, column=column, field=column)


def _open(data: bytes, file: str, *, cached: bool):
    import openpyxl  # noqa: PLC0415 (a second of import time only when a workbook is read)

    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=cached)
    except Exception as exc:  # openpyxl raises many kinds on a malformed file; none may escape as a traceback
        raise _refuse(file, f"cannot read this workbook ({type(exc).__name__}: {str(exc)[:200]})") from None


def _grids(data: bytes, file: str) -> tuple[dict[str, tuple[str, Grid]], list, list]:
    """Sheet key (its name in lower case) -> (its name, its rows), with formulas replaced by
    their saved values, and the problems and warnings of single cells."""
    problems: list = []
    warnings: list = []
    workbook = _open(data, file, cached=False)
    formulas: dict[tuple[str, int, int], str] = {}
    grids: dict[str, tuple[str, Grid]] = {}
    try:
        for ws in workbook.worksheets:
            grid: Grid = []
            ws.reset_dimensions()  # a forged dimension ("A1:XFD1048576") must not pad every row
            for number, row in enumerate(ws.iter_rows(max_row=MAX_ROWS + 1, max_col=MAX_COLUMNS + 1), start=1):
                if number > MAX_ROWS:
                    if any(c.value is not None for c in row):
                        problems.append(
                            CellRef(file, ws.title, number).problem(
                                f"more than {MAX_ROWS:,} rows: the rest is not read"
                            )
                        )
                    break
                if len(row) > MAX_COLUMNS and row[MAX_COLUMNS].value is not None:
                    ref = CellRef(file, ws.title, number, "", column_letter(MAX_COLUMNS))
                    problems.append(ref.problem(f"more than {MAX_COLUMNS} columns: the rest of the row is not read"))
                cells = row[:MAX_COLUMNS]
                last = len(cells)
                while last and cells[last - 1].value is None:  # rows come padded with empty cells
                    last -= 1
                values: list[Any] = [None] * last
                for col in range(last):
                    c = cells[col]
                    if c.value is None:
                        continue
                    kind = c.data_type
                    if kind == "f":
                        formulas[(ws.title, number, col)] = str(c.value)
                    elif kind == "e":
                        ref = CellRef(file, ws.title, number, "", column_letter(col))
                        problems.append(ref.problem(f"the cell shows the spreadsheet error {c.value}; type a value"))
                    else:
                        values[col] = _cell(c.value, ws.title, number, col, file, problems)
                grid.append((number, values))
            grids[ws.title.strip().lower()] = (ws.title, grid)
    except Exception as exc:  # a broken part inside the archive, found while streaming its rows
        raise _refuse(file, f"cannot read this workbook ({type(exc).__name__}: {str(exc)[:200]})") from None
    finally:
        workbook.close()
    if formulas:
        _cached_values(data, file, formulas, grids, problems, warnings)
    return grids, problems, warnings


def _cached_values(data, file, formulas, grids, problems, warnings) -> None:
    """Put each formula's saved value in its place (never computing it), with a warning."""
    workbook = _open(data, file, cached=True)
    try:
        for ws in workbook.worksheets:
            wanted = {(n, c) for (title, n, c) in formulas if title == ws.title}
            if not wanted:
                continue
            grid = dict(grids[ws.title.strip().lower()][1])
            ws.reset_dimensions()
            last = max(n for n, _ in wanted)
            for number, row in enumerate(ws.iter_rows(max_row=last, max_col=MAX_COLUMNS), start=1):
                for col, c in enumerate(row):
                    if (number, col) not in wanted:
                        continue
                    ref = CellRef(file, ws.title, number, "", column_letter(col))
                    value = _cell(c.value, ws.title, number, col, file, problems)
                    formula = formulas[(ws.title, number, col)][:80]
                    if is_blank(value):
                        problems.append(
                            ref.problem(
                                f"a formula ({formula}) with no saved value: type the value itself (formulas are never computed)"
                            )
                        )
                    else:
                        warnings.append(
                            ref.warning(f"formula {formula} read as its saved value {value!r} (never computed)")
                        )
                    grid[number][col] = value
    finally:
        workbook.close()


def _classify(grids: dict[str, tuple[str, Grid]], file: str) -> StudyBook:
    known = (*REQUIRED_SHEETS, *OPTIONAL_SHEETS)
    data_sheets = {k: v for k, v in grids.items() if k != README}
    if not any(k in known for k in data_sheets):
        if len(data_sheets) == 1:
            title, grid = next(iter(data_sheets.values()))
            return matrix_to_book(grid, file, title)
        names = ", ".join(repr(v[0]) for v in data_sheets.values()) or "none"
        message = f"not a study workbook: expected the sheets {', '.join(REQUIRED_SHEETS)} (found {names}), or a single-sheet decision matrix"
        raise _refuse(file, message)
    book = StudyBook(file)
    for key, (title, _) in data_sheets.items():
        if key not in known:
            book.warnings.append(
                CellRef(file, title, 0).warning(f"sheet {title!r} ignored (not a sheet of the study format)")
            )
    for name in known:
        if name in data_sheets:
            book.sheets[name] = _sheet(name, *data_sheets[name], book)
        elif name in REQUIRED_SHEETS:
            message = f"the workbook has no sheet {name!r} (expected: {', '.join(REQUIRED_SHEETS)})"
            book.problems.append(CellRef(file, name, 0).problem(message))
    return book


def _sheet(name: str, title: str, grid: Grid, book: StudyBook) -> Sheet:
    """A known sheet: its header row names the columns; unknown columns are ignored with a warning."""
    sheet = Sheet(name)
    header = grid[0][1] if grid and grid[0][0] == 1 else []
    columns: dict[int, str] = {}
    for col, value in enumerate(header):
        if is_blank(value):
            continue
        column = str(value).strip().lower().replace(" ", "_")
        ref = CellRef(book.file, name, 1, column if column in COLUMNS[name] else str(value).strip(), column_letter(col))
        if column not in COLUMNS[name]:
            book.warnings.append(
                ref.warning(f"extra column {str(value)!r} ignored (columns: {', '.join(COLUMNS[name])})")
            )
        elif column in columns.values():
            book.problems.append(ref.problem(f"column {column!r} appears twice"))
        else:
            columns[col] = column
            sheet.letters[column] = column_letter(col)
    for column in REQUIRED_COLUMNS[name]:
        if column not in sheet.letters:
            book.problems.append(
                CellRef(book.file, name, 1, column).problem(f"the header row (row 1) has no column {column!r}")
            )
    for number, values in grid[1:] if header else grid:
        row = {column: values[col] if col < len(values) else None for col, column in columns.items()}
        if any(v is not None for v in row.values()):
            sheet.rows.append(Row(number, {c: row.get(c) for c in COLUMNS[name]}))
    return sheet
