"""`template`, `export` and `import`: a study as a spreadsheet and back (docs/formats.md, *Study workbook*).

    python -m workbench template --out study.xlsx
    python -m workbench export --criteria criteria/image-editors.yaml --out study.xlsx
    python -m workbench import study.xlsx --out DIR        # DIR/criteria/<id>.yaml, DIR/providers/<id>/

A workbook with problems lists every one as `study.xlsx:scores!F12: confidence: message` and
exits 2, writing nothing.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..errors import LoadError, Problem
from .common import EXIT_OK, UsageError


def _write_bytes(path: str, data: bytes) -> None:
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise UsageError(f"--out must name an .xlsx file, got {path!r}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None


def cmd_template(args: argparse.Namespace) -> int:
    from ..files.spreadsheet_format import empty_book
    from ..files.spreadsheet_write import book_bytes

    _write_bytes(args.out, book_bytes(empty_book(Path(args.out).name)))
    print(f"Wrote the empty study template {args.out}.", file=sys.stderr)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    from ..files.loading import load_criteria_set
    from ..files.providers import load_providers
    from ..files.spreadsheet_export import study_to_book
    from ..files.spreadsheet_write import book_bytes
    from ..study import leaf_index, resolve_providers_dir

    criteria_set = load_criteria_set(args.criteria)
    folder = resolve_providers_dir(criteria_set, args.providers)
    providers, problems = load_providers(folder, leaf_index(criteria_set), ignore_unknown=True)
    for problem in problems:
        print(f"warning: {problem} (left out of the workbook)", file=sys.stderr)
    _write_bytes(args.out, book_bytes(study_to_book(criteria_set, providers, Path(args.out).name)))
    print(f"Wrote {args.out}: {len(criteria_set.nodes())} criteria, {len(providers)} options.", file=sys.stderr)
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    from ..files.spreadsheet_build import book_to_study
    from ..files.spreadsheet_read import read_spreadsheet
    from ..files.spreadsheet_yaml import write_study

    built = book_to_study(read_spreadsheet(args.file))
    for warning in built.warnings:
        print(warning, file=sys.stderr)  # `file:sheet!cell: field: warning [code]: message`
    if built.problems:
        raise LoadError(_with_count(built.problems, args.file))
    path = write_study(built, args.out, overwrite=args.overwrite)
    print(f"Wrote {path} and {len(built.profiles)} profile(s) in {Path(args.out) / 'providers' / built.set_id}.",
          file=sys.stderr)  # fmt: skip
    return EXIT_OK


def _with_count(problems: list[Problem], file: str) -> list[Problem]:
    """The problems, then one line counting them (printed last, as `validate` does)."""
    return [*problems, Problem("", 0, "", f"{len(problems)} problem(s) in {file}; nothing was written.")]


def register(sub) -> None:
    p = sub.add_parser("template", help="write an empty, documented study workbook (.xlsx)")
    p.add_argument("--out", required=True, metavar="FILE", help="the .xlsx file to write")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("export", help="write a study (criteria set and profiles) as a workbook (.xlsx)")
    p.add_argument("--criteria", required=True, metavar="FILE", help="criteria set (YAML)")
    p.add_argument("--providers", metavar="DIR", help="folder of provider profiles (default: the set's)")
    p.add_argument("--out", required=True, metavar="FILE", help="the .xlsx file to write")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("import", help="turn a study workbook or a decision matrix (.xlsx, .csv) into YAML files")
    p.add_argument("file", metavar="FILE", help="study workbook (.xlsx) or plain decision matrix (.csv, .xlsx)")
    p.add_argument("--out", required=True, metavar="DIR", help="writes DIR/criteria/<id>.yaml and DIR/providers/<id>/")
    p.add_argument("--overwrite", action="store_true", help="replace a study of the same id already in DIR")
    p.set_defaults(func=cmd_import)
