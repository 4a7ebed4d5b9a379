"""Bad and hostile spreadsheets: every problem at once, each with its sheet, row and column, exit 2
and never a traceback; formulas read as their saved values and never computed; size limits
before reading."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from workbench.cli import main as cli_main
from workbench.errors import LoadError
from workbench.files import spreadsheet_read
from workbench.files.spreadsheet_build import book_to_study
from workbench.files.spreadsheet_format import empty_book
from workbench.files.spreadsheet_read import read_spreadsheet
from workbench.files.spreadsheet_write import book_bytes

ROOT = Path(__file__).resolve().parent.parent
BIG = "x" * 10_000_000
PLACEHOLDER = "BIG-CELL-PLACEHOLDER"


def hostile_workbook(path: Path) -> None:
    """A formula cell, a 10 MB cell, a missing sheet, wrong vocabularies, duplicate ids, an extra column."""
    path.write_bytes(book_bytes(empty_book(path.name)))
    wb = openpyxl.load_workbook(path)
    del wb["study"]
    criteria = wb["criteria"]
    criteria.append(("q", None, "Qualité", "Quality", 1, "benefit", 0, 10))
    criteria.append(("p", None, "Prix", "Price", "=1+1", "up", 0, 100))
    criteria.append(("q", None, "Encore", "Again", 1, "benefit", 0, 10))
    options = wb["options"]
    options.append(("a", "A", "A", "option"))
    options.append(("a", "A bis", "A again", "option"))
    scores = wb["scores"]
    scores.cell(1, 15, "my notes")
    scores.append(("a", "q", 5, None, None, "verified", "lowish", PLACEHOLDER, None, "T", "https://x.example",
                   "2025", "2026-01-02", "blog"))  # fmt: skip
    wb.save(path)
    # openpyxl cuts texts at a cell's 32,767 characters: put the 10 MB text in the file's XML directly.
    parts = {}
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            parts[info.filename] = archive.read(info).replace(PLACEHOLDER.encode(), BIG.encode())
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


EXPECTED = [
    "hostile.xlsx:scores!H2: rationale_fr: text too long (10,000,000 characters; a cell holds at most 32,767)",
    "hostile.xlsx:criteria!E3: weight: a formula (=1+1) with no saved value: type the value itself "
    "(formulas are never computed)",
    "hostile.xlsx:study: the workbook has no sheet 'study' (expected: study, criteria, options, scores)",
    "hostile.xlsx:criteria!A4: id: duplicate id 'q' (first in row 2)",
    "hostile.xlsx:options!A3: id: duplicate id 'a' (first in row 2)",
    "hostile.xlsx:criteria!F3: direction: 'up' is not one of: benefit, cost",
    "hostile.xlsx:scores!N2: source_kind: 'blog' is not one of: official, vendor, press, analysis, reference, community",
    "hostile.xlsx:scores!G2: confidence: 'lowish' is not one of: low, medium, high",
]


def test_hostile_workbook_lists_every_problem_at_its_cell(tmp_path):
    path = tmp_path / "hostile.xlsx"
    hostile_workbook(path)
    built = book_to_study(read_spreadsheet(path, "hostile.xlsx"))
    assert [str(p) for p in built.problems] == EXPECTED
    warnings = [str(w) for w in built.warnings]
    assert (
        "hostile.xlsx:scores!O1: my notes: warning [spreadsheet]: extra column 'my notes' ignored (columns: "
        "option, criterion, value, low, high, status, confidence, rationale_fr, rationale_en, source_title, "
        "source_url, source_published, source_accessed, source_kind)"
    ) in warnings
    assert not built.ok


def test_hostile_workbook_on_the_command_line_exits_2_without_a_traceback(tmp_path):
    path = tmp_path / "hostile.xlsx"
    hostile_workbook(path)
    done = subprocess.run(
        [sys.executable, "-m", "workbench", "import", "hostile.xlsx", "--out", "out"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    for expected in EXPECTED:
        assert f"error: {expected}" in lines
    assert lines[-1] == f"error: {len(EXPECTED)} problem(s) in hostile.xlsx; nothing was written."
    assert not (tmp_path / "out").exists()


def test_a_formula_is_read_as_its_saved_value_never_computed(tmp_path):
    path = tmp_path / "saved.xlsx"
    book = xlsxwriter.Workbook(str(path))
    for name, rows in (
        ("study", [("key", "value"), ("id", "s")]),
        ("criteria", [("id", "min", "max"), ("c", 0, 10)]),
        ("options", [("id",), ("a",), ("b",)]),
        ("scores", [("option", "criterion", "value"), ("a", "c", None), ("b", "c", 4)]),
    ):
        ws = book.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    ws.write(r, c, value)
    # The saved value (7) is not what the formula would compute (2): the saved value is what counts.
    book.get_worksheet_by_name("scores").write_formula(1, 2, "=1+1", None, 7)
    book.close()
    built = book_to_study(read_spreadsheet(path, "saved.xlsx"))
    assert built.ok, [str(p) for p in built.problems]
    assert built.profiles["a"]["scores"]["c"]["value"] == 7
    assert [str(w) for w in built.warnings] == [
        "saved.xlsx:scores!C2: value: warning [spreadsheet]: formula =1+1 read as its saved value 7 (never computed)"
    ]


def test_size_limits_are_checked_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "study.xlsx"
    path.write_bytes(book_bytes(empty_book("study.xlsx")))
    monkeypatch.setattr(spreadsheet_read, "MAX_FILE_BYTES", 1000)
    with pytest.raises(LoadError) as refused:
        read_spreadsheet(path, "study.xlsx")
    assert str(refused.value.problems[0]).startswith("study.xlsx: file is too large (")
    monkeypatch.setattr(spreadsheet_read, "MAX_FILE_BYTES", 20_000_000)
    monkeypatch.setattr(spreadsheet_read, "MAX_UNZIPPED_BYTES", 10_000)
    with pytest.raises(LoadError) as refused:
        read_spreadsheet(path.read_bytes(), "study.xlsx")
    assert "the workbook unpacks to" in str(refused.value)


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("study.xlsx", b"not a zip", "study.xlsx: not an .xlsx workbook (an .xlsx file is a zip archive)"),
        ("old.xls", b"\xd0\xcf\x11\xe0", "old.xls: an .xls file (Excel 97-2003) cannot be read: save it as .xlsx"),
        ("notes.pdf", b"%PDF", "notes.pdf: expected an .xlsx workbook or a .csv file"),
        ("empty.csv", b"", "empty.csv: the file holds no table"),
    ],
)
def test_unreadable_files_get_a_sentence(name, data, message):
    try:
        book = read_spreadsheet(data, name)
    except LoadError as exc:
        assert str(exc.problems[0]) == message
    else:
        assert [str(p) for p in book.problems] == [message]


def test_a_zip_that_is_not_a_workbook(tmp_path, capsys):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    (tmp_path / "z.xlsx").write_bytes(buffer.getvalue())
    assert cli_main(["import", str(tmp_path / "z.xlsx"), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {tmp_path / 'z.xlsx'}: cannot read this workbook (")
    assert "Traceback" not in err


def test_matrix_problems_point_at_the_matrix_cells(tmp_path, capsys):
    path = tmp_path / "m.csv"
    path.write_text(
        "option,Price,Quality\ndirection,cost,sideways\nweight,2,-1\nA,10,x\nA,3,4\n,1,2\n", encoding="utf-8"
    )
    assert cli_main(["import", str(path), "--out", str(tmp_path / "o")]) == 2
    lines = [line.replace(str(path), "m.csv") for line in capsys.readouterr().err.splitlines()]
    assert lines == [
        "error: m.csv:A5: option: option 'A' is named twice (first in row 4)",
        "error: m.csv:A6: option: each row needs an option name in its first cell",
        "error: m.csv:C4: value: expected a number, got 'x'",
        "error: m.csv:C3: weight: must be ≥ 0, got -1",
        "error: m.csv:C2: direction: 'sideways' is not one of: benefit, cost",
        "error: 5 problem(s) in m.csv; nothing was written.",
    ]
