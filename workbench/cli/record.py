"""`record freeze|seal|verify|html`: a decision record anyone can verify (see docs/record.md).

freeze   the criteria tree, weights, method, must-haves, cost settings and options, hashed; no score
seal     evaluate the study as it stands; refused (exit 1, each difference named) if anything frozen moved
verify   both hashes and the ranking recomputed from the record alone (JSON or HTML); exit 1 on a mismatch
html     one offline HTML page embedding the record, for publication
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from .common import EXIT_FINDINGS, EXIT_OK, UsageError, add_study_arguments, load_study_from_args, write_json


def _write(text: str, out: str | None) -> None:
    if out is None:
        sys.stdout.write(text)
        return
    try:
        Path(out).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"cannot write {out}: {exc.strerror}") from None


def _json_text(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def cmd_freeze(args: argparse.Namespace) -> int:
    from ..record import freeze

    study = load_study_from_args(args)
    document = freeze(study, args.method, args.normalization)
    _write(_json_text(document), args.out)
    if args.out:
        print(f"frozen: {document['frozen_sha256']} ({len(study.providers)} options, "
              f"{len(study.leaves)} criteria) -> {args.out}", file=sys.stderr)  # fmt: skip
    return EXIT_OK


def cmd_seal(args: argparse.Namespace) -> int:
    from ..record import SealRefused, read_json_file, seal

    frozen = read_json_file(args.frozen)
    study = load_study_from_args(args)
    try:
        record = seal(study, frozen, args.method, args.normalization)
    except SealRefused as exc:
        print(f"refused: the study changed since it was frozen ({len(exc.differences)} difference(s)):",
              file=sys.stderr)  # fmt: skip
        for difference in exc.differences:
            print(f"  {difference}", file=sys.stderr)
        return EXIT_FINDINGS
    _write(_json_text(record), args.out)
    if args.out:
        print(f"sealed: {record['record_sha256']} -> {args.out}", file=sys.stderr)
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    from ..record import verify_file

    verdict = verify_file(args.file)
    if args.format == "json":
        write_json(verdict.to_json())
    else:
        print(verdict.sentence())
        for mismatch in verdict.mismatches[1:]:
            print(f"  {mismatch}")
    return EXIT_OK if verdict.ok else EXIT_FINDINGS


def cmd_html(args: argparse.Namespace) -> int:
    from ..record import read_record, render_html, verify

    record = read_record(args.file)
    verdict = verify(record)
    if not verdict.ok:
        print(f"refused: {args.file} does not verify, so it is not published.", file=sys.stderr)
        for mismatch in verdict.mismatches:
            print(f"  {mismatch}", file=sys.stderr)
        return EXIT_FINDINGS
    _write(render_html(record, args.lang), args.out)
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    group = sub.add_parser("record", help="freeze the weights before scoring, seal the result, verify a record")
    commands = group.add_subparsers(dest="record_command", required=True, parser_class=type(group))

    p = commands.add_parser("freeze", help="freeze criteria, weights, method, must-haves, costs settings, options")
    add_study_arguments(p)
    p.add_argument("--out", metavar="FILE", help="frozen study (JSON; default: standard output)")
    p.set_defaults(func=cmd_freeze)

    p = commands.add_parser("seal", help="evaluate the study and seal it against a frozen file")
    p.add_argument("--frozen", required=True, metavar="FILE", help="the file `record freeze` wrote")
    add_study_arguments(p)
    p.add_argument("--out", metavar="FILE", help="sealed record (JSON; default: standard output)")
    p.set_defaults(func=cmd_seal)

    p = commands.add_parser("verify", help="recompute a record's hashes and ranking (JSON or HTML)")
    p.add_argument("file", metavar="FILE", help="a sealed record: JSON, or the HTML page `record html` wrote")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_verify)

    p = commands.add_parser("html", help="one offline HTML page of a sealed record, for publication")
    p.add_argument("file", metavar="FILE", help="a sealed record (JSON)")
    p.add_argument("--out", metavar="FILE", help="HTML file (default: standard output)")
    p.add_argument("--lang", choices=("fr", "en"), default="fr")
    p.set_defaults(func=cmd_html)
