"""`python -m workbench workshop create|join|submit|results|close|open|reveal` (JSON output).

The same store as the app: --db URL, default $WORKBENCH_DATABASE_URL or data/workshops.sqlite.
Tokens are secrets: the facilitator token is printed once by `create`, a participant token once
by `join`.
"""

from __future__ import annotations

import argparse
import sys

from ..methods import method_names
from ..model import NORMALIZATIONS
from .common import EXIT_OK, UsageError, parse_weight_args, write_json


def register(subparsers) -> None:
    p = subparsers.add_parser("workshop", help="run a weighting workshop or public consultation")
    sub = p.add_subparsers(dest="workshop_command", required=True, parser_class=type(p))

    def command(name: str, help_text: str, func) -> argparse.ArgumentParser:
        c = sub.add_parser(name, help=help_text)
        c.add_argument(
            "--db", metavar="URL", help="database URL (default: $WORKBENCH_DATABASE_URL or data/workshops.sqlite)"
        )
        c.set_defaults(func=func)
        return c

    c = command(
        "create",
        "create a workshop; prints its id, join codes (short, and the long one no join limit refuses) and secret "
        "facilitator token",
        cmd_create,
    )
    c.add_argument("--criteria", required=True, metavar="FILE", help="criteria set (YAML)")
    c.add_argument("--title", default="", help="title shown to participants")
    c.add_argument("--anonymous", action="store_true", help="no names (public consultation)")
    c.add_argument("--method", choices=method_names())
    c.add_argument("--normalization", choices=NORMALIZATIONS)

    c = command("join", "join with a code; prints the secret participant token", cmd_join)
    c.add_argument("code", help="join code, e.g. ABC-DEF")
    c.add_argument("--name", default=None, help="display name (ignored in anonymous workshops)")

    c = command("submit", "submit or revise a ballot in the open round", cmd_submit)
    c.add_argument("--token", required=True, help="participant token")
    c.add_argument("--weights", required=True, nargs="+", metavar="ID=W", help="weights of groups or leaves")

    c = command("results", "aggregate, dispersion, winners and consensus of a round", cmd_results)
    c.add_argument("--token", required=True, help="facilitator token")
    c.add_argument("--round", type=int, default=None, help="round number (default: the current one)")
    c.add_argument("--all-rounds", action="store_true", help="every round, oldest first")

    for name, func, text in (
        ("close", cmd_close, "close the current round"),
        ("open", cmd_open, "open the next round"),
        ("reveal", cmd_reveal, "show the group's results to participants"),
    ):
        c = command(name, text, func)
        c.add_argument("--token", required=True, help="facilitator token")
        if name == "reveal":
            c.add_argument("--hide", action="store_true", help="hide them again")


def _store(args: argparse.Namespace):
    from ..workshop import WorkshopStore

    return WorkshopStore(args.db)


def cmd_create(args: argparse.Namespace) -> int:
    from ..workshop.access import long_code

    ws = _store(args).create_workshop(
        criteria=args.criteria, title=args.title, anonymous=args.anonymous,
        method=args.method, normalization=args.normalization,
    )  # fmt: skip
    write_json({
        "id": ws.id, "title": ws.title, "join_code": ws.join_code, "long_code": long_code(ws.facilitator_token),
        "facilitator_token": ws.facilitator_token, "criteria": ws.criteria_path, "anonymous": ws.anonymous,
        "method": ws.method, "normalization": ws.normalization,
    })  # fmt: skip
    print("Keep the facilitator token secret: it controls the workshop.", file=sys.stderr)
    return EXIT_OK


def cmd_join(args: argparse.Namespace) -> int:
    try:
        participant = _store(args).join(args.code, name=args.name, client_key="cli")
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    write_json({"id": participant.id, "workshop": participant.workshop_id, "name": participant.name,
                "token": participant.token})  # fmt: skip
    return EXIT_OK


def cmd_submit(args: argparse.Namespace) -> int:
    weights = parse_weight_args(args.weights)
    try:
        receipt = _store(args).submit_ballot(args.token, weights)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    write_json({"round": receipt.round, "revision": receipt.revision, "weights": receipt.weights,
                "ranking": receipt.ranking})  # fmt: skip
    return EXIT_OK


def cmd_results(args: argparse.Namespace) -> int:
    store = _store(args)
    try:
        data = store.compare_rounds(args.token) if args.all_rounds else store.results(args.token, args.round)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    write_json(data)
    return EXIT_OK


def cmd_close(args: argparse.Namespace) -> int:
    write_json({"closed_round": _store(args).close_round(args.token)})
    return EXIT_OK


def cmd_open(args: argparse.Namespace) -> int:
    write_json({"round": _store(args).open_round(args.token)})
    return EXIT_OK


def cmd_reveal(args: argparse.Namespace) -> int:
    _store(args).reveal(args.token, not args.hide)
    write_json({"revealed": not args.hide})
    return EXIT_OK
