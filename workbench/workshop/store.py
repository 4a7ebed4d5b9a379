"""Workshop storage on SQLAlchemy 2 Core: SQLite by default (WAL), PostgreSQL for shared replicas.

Security model: the facilitator token and each participant token are 256-bit `secrets` values
handed out once; only their SHA-256 is stored. Every operation starts from a token and reaches
only rows of that token's workshop (a participant's only their own ballot). Join codes are short,
so failed attempts are logged per client key and `join` refuses after JOIN_ATTEMPTS failures in
JOIN_WINDOW seconds.

Concurrency: a ballot is one upsert on (workshop, round, participant) plus its weight and rank
rows, in one transaction; on SQLite write transactions start with BEGIN IMMEDIATE (no deadlock on
lock upgrade, busy_timeout waits), on PostgreSQL the workshop row is read FOR SHARE so closing a
round waits for ballots in flight. A committed ballot survives the process being killed (WAL).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import secrets
import threading
import time
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import numpy as np
from sqlalchemy import Connection, Engine, bindparam, case, create_engine, delete, event, func, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, IntegrityError, NoSuchModuleError, OperationalError

from ..errors import WorkbenchError
from ..evaluate import eligibility, evaluate, rank, resolve_method, score_batch
from ..methods import REGISTRY
from ..study import REPO_ROOT, Study, load_study, resolve_providers_dir
from . import aggregate as agg
from .schema import ballot_ranks, ballot_weights, ballots, join_failures, migrate, participants, rounds, workshops

DATABASE_ENV = "WORKBENCH_DATABASE_URL"
DEFAULT_SQLITE = REPO_ROOT / "data" / "workshops.sqlite"
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed on phones
CODE_LENGTH = 6  # 32⁶ ≈ 1.07e9 codes; with JOIN_ATTEMPTS per window guessing one is hopeless
JOIN_ATTEMPTS = 30  # per client key and window: a room behind one NAT address survives typos
JOIN_WINDOW = 600.0
NAME_MAX = 60
TITLE_MAX = 200
TOKEN_BYTES = 32
SQLITE_BUSY_MS = 30_000
RETRIES = 6

T = TypeVar("T")


class PermissionDenied(WorkbenchError):
    """Unknown token, a token of the wrong kind, or too many wrong join codes.

    `reason` ("token", "code" or "rate_limited") lets a page say it in the user's language.
    """

    def __init__(self, message: str, reason: str = "token", minutes: int = 0):
        super().__init__(message)
        self.reason = reason
        self.minutes = minutes


class RoundClosed(WorkbenchError):
    """A ballot arrived after the facilitator closed the round."""


class StoreUnavailable(WorkbenchError):
    """The database cannot be reached or opened."""


@dataclass(frozen=True)
class Workshop:
    id: str
    title: str
    join_code: str
    facilitator_token: str
    criteria_path: str
    anonymous: bool
    method: str
    normalization: str | None


@dataclass(frozen=True)
class Participant:
    id: int
    token: str
    workshop_id: str
    name: str | None


@dataclass(frozen=True)
class Receipt:
    """What a participant gets back after a ballot: the round, the revision and their own view."""

    round: int
    revision: int
    weights: dict[str, float]
    ranking: dict[str, int]


def default_url() -> str:
    """$WORKBENCH_DATABASE_URL, else the SQLite file data/workshops.sqlite in the repository."""
    return os.environ.get(DATABASE_ENV) or f"sqlite:///{DEFAULT_SQLITE}"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def normalise_code(code: str) -> str:
    """'abc-def ' -> 'ABCDEF' (what people type from a projected code)."""
    return re.sub(r"[^A-Z0-9]", "", str(code or "").upper())


def format_code(code: str) -> str:
    """'ABCDEF' -> 'ABC-DEF' for display."""
    return f"{code[:3]}-{code[3:]}" if len(code) == CODE_LENGTH else code


def clean_name(name: object, limit: int = NAME_MAX) -> str:
    """Display text made safe to store: control and format characters (bidi overrides, zero
    widths) removed, whitespace collapsed, at most `limit` characters."""
    raw = unicodedata.normalize("NFC", str(name or ""))
    kept = "".join(
        " " if ch.isspace() else ch
        for ch in raw
        if unicodedata.category(ch) not in ("Cc", "Cf", "Co", "Cs") or ch.isspace()
    )
    return " ".join(kept.split())[:limit].strip()


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _rel_path(path: Path) -> str:
    """Paths inside the repository are stored relative to it, so replicas in other checkouts agree."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(REPO_ROOT).as_posix()
    except ValueError:
        return str(resolved)


def _abs_path(stored: str) -> Path:
    path = Path(stored)
    return path if path.is_absolute() else REPO_ROOT / path


def _transient(exc: DBAPIError) -> bool:
    """Lock timeouts, deadlocks and serialisation failures: worth another try."""
    code = getattr(getattr(exc, "orig", None), "sqlstate", None)
    if code in ("40001", "40P01", "55P03"):
        return True
    message = str(getattr(exc, "orig", exc)).lower()
    return "database is locked" in message or "database table is locked" in message


def _make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreUnavailable(f"the workshop database address is not valid: {exc}") from None
    try:
        if parsed.get_backend_name() == "sqlite":
            return _sqlite_engine(parsed)
        connect_args = {"connect_timeout": 5} if parsed.get_backend_name() == "postgresql" else {}
        return create_engine(parsed, pool_size=10, max_overflow=30, pool_timeout=120, pool_pre_ping=True,
                             connect_args=connect_args)  # fmt: skip
    except (ArgumentError, NoSuchModuleError, ImportError) as exc:
        raise StoreUnavailable(f"the workshop database address is not supported: {exc}") from None


def _sqlite_engine(parsed) -> Engine:
    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        try:
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreUnavailable(f"cannot create the folder of the workshop database {database}: {exc}") from None
    engine = create_engine(
        parsed,
        connect_args={"timeout": SQLITE_BUSY_MS / 1000, "check_same_thread": False},
        pool_size=8,
        max_overflow=24,
        pool_timeout=120,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None  # SQLAlchemy's "begin" event below issues BEGIN itself
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
        # NORMAL in WAL mode: a commit survives the process being killed (only power loss can undo
        # the last commits), at a fraction of FULL's fsync cost.
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("ws_write") else "BEGIN")

    return engine


class WorkshopStore:
    """Workshops, participants and ballots in one database (see the module docstring)."""

    def __init__(self, url: str | None = None, *, join_attempts: int | None = None, join_window: float | None = None):
        self.url = url or default_url()
        self.join_attempts = JOIN_ATTEMPTS if join_attempts is None else join_attempts
        self.join_window = JOIN_WINDOW if join_window is None else join_window
        self.engine = _make_engine(self.url)
        self.dialect = self.engine.dialect.name
        self._schema_ready = False
        self._lock = threading.Lock()
        self._studies: dict[tuple, Study] = {}
        self._participant_cache: dict[str, tuple[int, str]] = {}
        self._folders: dict[str, Path] = {}
        self._statics: dict[str, dict[str, Any]] = {}
        self._upsert = None

    # --- plumbing --------------------------------------------------------------------------

    def close(self) -> None:
        self.engine.dispose()

    def _tx(self, work: Callable[[Connection], T], *, write: bool = False) -> T:
        """Run `work` in one transaction, retrying transient lock failures; an unreachable
        database becomes StoreUnavailable (a plain sentence, never a traceback)."""
        self._ensure_schema()
        return self._run(work, write=write)

    def _run(self, work: Callable[[Connection], T], *, write: bool) -> T:
        delay = 0.02
        for attempt in range(RETRIES):
            try:
                with self.engine.connect() as conn:
                    if write:
                        conn.execution_options(ws_write=True)
                    with conn.begin():
                        return work(conn)
            except DBAPIError as exc:
                if _transient(exc) and attempt < RETRIES - 1:
                    time.sleep(delay * (1 + secrets.randbelow(100) / 100))
                    delay *= 2
                    continue
                if isinstance(exc, OperationalError) or exc.connection_invalidated:
                    raise StoreUnavailable(
                        f"the workshop database is unreachable ({_short(exc)}); nothing was saved, try again in a moment"
                    ) from None
                raise
        raise AssertionError("unreachable")  # pragma: no cover

    def _ensure_schema(self) -> None:
        if self._schema_ready:
            return
        with self._lock:
            if not self._schema_ready:
                self._run(migrate, write=True)
                self._schema_ready = True

    def schema_version(self) -> int:
        from .schema import schema_version

        return int(self._tx(lambda c: c.execute(select(schema_version.c.version)).scalar() or 0))

    def study(self, criteria_path: str) -> Study:
        """The workshop's study (its set and the set's providers), cached until a file changes."""
        path = _abs_path(criteria_path)
        folder = self._folders.get(str(path))
        key = (str(path), _mtime(path), _folder_stamp(folder))
        study = self._studies.get(key)
        if study is None:
            study = load_study(path, allow_missing=True)
            folder = resolve_providers_dir(study.criteria_set, None)
            key = (str(path), _mtime(path), _folder_stamp(folder))
            with self._lock:
                self._folders[str(path)] = folder
                self._studies = {k: v for k, v in self._studies.items() if k[0] != str(path)}
                self._studies[key] = study
        return study

    def _static(self, conn: Connection, workshop_id: str) -> dict[str, Any]:
        """The parts of a workshop that never change (set, method), cached per id."""
        cached = self._statics.get(workshop_id)
        if cached is None:
            row = self._workshop_row(conn, workshop_id)
            cached = {k: row[k] for k in ("criteria_path", "method", "normalization")}
            self._statics[workshop_id] = cached
        return cached

    # --- facilitator -------------------------------------------------------------------------

    def create_workshop(
        self,
        criteria: str | Path,
        title: str = "",
        anonymous: bool = False,
        *,
        method: str | None = None,
        normalization: str | None = None,
    ) -> Workshop:
        """A new workshop on a criteria set, round 1 open; returns the secret facilitator token
        (shown once) and the join code."""
        path = Path(criteria)
        study = self.study(_rel_path(path))
        method, normalization = resolve_method(study, method, normalization)
        title = clean_name(title, TITLE_MAX) or study.criteria_set.name.get("fr")
        token = secrets.token_urlsafe(TOKEN_BYTES)
        workshop_id = secrets.token_hex(8)
        for _ in range(20):
            code = _new_code()
            row = {
                "id": workshop_id, "title": title, "criteria_path": _rel_path(path),
                "criteria_id": study.criteria_set.id, "method": method, "normalization": normalization,
                "anonymous": bool(anonymous), "join_code": code, "facilitator_hash": token_hash(token),
                "current_round": 1, "round_open": True, "revealed": False, "created_at": time.time(),
            }  # fmt: skip

            def insert(conn: Connection, row=row) -> None:
                conn.execute(workshops.insert().values(**row))
                conn.execute(rounds.insert().values(workshop_id=row["id"], number=1, opened_at=row["created_at"]))

            try:
                self._tx(insert, write=True)
            except IntegrityError:
                continue  # join code taken: draw another
            return Workshop(
                workshop_id, title, code, token, row["criteria_path"], bool(anonymous), method, normalization
            )
        raise StoreUnavailable("could not draw a free join code; try again")

    def _facilitator(self, conn: Connection, token: str, *, lock: bool = False) -> Any:
        query = select(workshops).where(workshops.c.facilitator_hash == token_hash(str(token or "")))
        if lock and self.dialect == "postgresql":
            query = query.with_for_update()
        row = conn.execute(query).mappings().first()
        if row is None:
            raise PermissionDenied("this facilitator link is not valid")
        return row

    def workshop(self, facilitator_token: str) -> dict[str, Any]:
        """Public facts of the facilitator's workshop (title, code, round, state)."""
        return self._tx(lambda c: _public(self._facilitator(c, facilitator_token), secret=True))

    def close_round(self, facilitator_token: str) -> int:
        """Close the open round (ballots are refused until a new round opens); returns its number."""

        def work(conn: Connection) -> int:
            ws = self._facilitator(conn, facilitator_token, lock=True)
            conn.execute(update(workshops).where(workshops.c.id == ws["id"]).values(round_open=False))
            _close_current_round(conn, ws, time.time())
            return int(ws["current_round"])

        return self._tx(work, write=True)

    def open_round(self, facilitator_token: str) -> int:
        """Start the next round (closing the current one if still open); results are hidden again."""

        def work(conn: Connection) -> int:
            ws = self._facilitator(conn, facilitator_token, lock=True)
            now = time.time()
            _close_current_round(conn, ws, now)
            number = int(ws["current_round"]) + 1
            conn.execute(rounds.insert().values(workshop_id=ws["id"], number=number, opened_at=now))
            conn.execute(
                update(workshops)
                .where(workshops.c.id == ws["id"])
                .values(current_round=number, round_open=True, revealed=False)
            )
            return number

        return self._tx(work, write=True)

    def reveal(self, facilitator_token: str, revealed: bool = True) -> None:
        """Show (or hide) the group's results to participants."""

        def work(conn: Connection) -> None:
            ws = self._facilitator(conn, facilitator_token)
            conn.execute(update(workshops).where(workshops.c.id == ws["id"]).values(revealed=bool(revealed)))

        self._tx(work, write=True)

    def results(self, facilitator_token: str, round: int | None = None) -> dict[str, Any]:  # noqa: A002 - the brief's name
        """Counts, aggregates, dispersion, winners, consensus and the ranking under the mean, for
        the current round (or `round`), all statistics computed by the database."""

        def work(conn: Connection) -> dict[str, Any]:
            ws = self._facilitator(conn, facilitator_token)
            return self._results(conn, ws, round)

        return self._tx(work)

    def compare_rounds(self, facilitator_token: str) -> list[dict[str, Any]]:
        """The results of every round so far, oldest first."""

        def work(conn: Connection) -> list[dict[str, Any]]:
            ws = self._facilitator(conn, facilitator_token)
            return [self._results(conn, ws, n) for n in range(1, int(ws["current_round"]) + 1)]

        return self._tx(work)

    def participants(self, facilitator_token: str, limit: int = 500) -> list[dict[str, Any]]:
        """Joined participants (name, or None when anonymous) and whether they voted this round."""

        def work(conn: Connection) -> list[dict[str, Any]]:
            ws = self._facilitator(conn, facilitator_token)
            b = ballots.alias("b")
            rows = conn.execute(
                select(participants.c.id, participants.c.name, b.c.revision, b.c.submitted_at)
                .select_from(
                    participants.outerjoin(
                        b, (b.c.participant_id == participants.c.id) & (b.c.round == ws["current_round"])
                    )
                )  # fmt: skip
                .where(participants.c.workshop_id == ws["id"])
                .order_by(participants.c.joined_at, participants.c.id)
                .limit(limit)
            ).all()
            return [
                {
                    "number": i + 1,
                    "name": None if ws["anonymous"] else r.name,
                    "submitted": r.revision is not None,
                    "revisions": int(r.revision or 0),
                    "submitted_at": r.submitted_at,
                }  # fmt: skip
                for i, r in enumerate(rows)
            ]

        return self._tx(work)

    def ballots(self, facilitator_token: str, round: int | None = None) -> list[dict[str, Any]]:  # noqa: A002
        """Every ballot of a round as normalised leaf weights (for exports); names only when the
        workshop is not anonymous."""

        def work(conn: Connection) -> list[dict[str, Any]]:
            ws = self._facilitator(conn, facilitator_token)
            number = int(round or ws["current_round"])
            rows = conn.execute(
                select(
                    ballots.c.id,
                    ballots.c.revision,
                    ballots.c.submitted_at,
                    participants.c.name,
                    ballot_weights.c.leaf_id,
                    ballot_weights.c.weight,
                )  # fmt: skip
                .join(participants, participants.c.id == ballots.c.participant_id)
                .join(ballot_weights, ballot_weights.c.ballot_id == ballots.c.id)
                .where(ballots.c.workshop_id == ws["id"], ballots.c.round == number)
                .order_by(ballots.c.id)
            ).all()
            out: dict[int, dict[str, Any]] = {}
            for r in rows:
                entry = out.setdefault(r.id, {"ballot": len(out) + 1, "name": None if ws["anonymous"] else r.name,
                                              "revision": r.revision, "weights": {}})  # fmt: skip
                entry["weights"][r.leaf_id] = float(r.weight)
            return list(out.values())

        return self._tx(work)

    # --- participants ------------------------------------------------------------------------

    def check_code(self, join_code: str, client_key: str = "local") -> dict[str, Any]:
        """Title and anonymity of the workshop behind a code (so the join form knows whether to
        ask for a name); a wrong code counts against the client like a failed join."""
        return self._by_code(join_code, client_key, lambda conn, ws: _public(ws, secret=False))

    def join(self, join_code: str, name: str | None = None, client_key: str = "local") -> Participant:
        """Join a workshop by its code; returns the participant's secret token (shown once)."""
        token = secrets.token_urlsafe(TOKEN_BYTES)

        def work(conn: Connection, ws) -> Participant:
            display = None if ws["anonymous"] else clean_name(name)
            if not ws["anonymous"] and not display:
                raise ValueError("a display name is required in this workshop")
            result = conn.execute(
                participants.insert()
                .values(workshop_id=ws["id"], token_hash=token_hash(token), name=display, joined_at=time.time())
                .returning(participants.c.id)
            )
            return Participant(int(result.scalar_one()), token, ws["id"], display)

        return self._by_code(join_code, client_key, work)

    def _by_code(self, join_code: str, client_key: str, work: Callable[[Connection, Any], T]) -> T:
        code = normalise_code(join_code)
        key = clean_name(client_key, 200) or "unknown"

        def attempt(conn: Connection) -> T | None:
            now = time.time()
            failures = conn.execute(
                select(func.count()).select_from(join_failures)
                .where(join_failures.c.client_key == key, join_failures.c.at > now - self.join_window)
            ).scalar_one()  # fmt: skip
            if failures >= self.join_attempts:
                minutes = max(math.ceil(self.join_window / 60), 1)
                raise PermissionDenied(
                    f"too many wrong codes from this device: wait {minutes} minutes and try again",
                    reason="rate_limited",
                    minutes=minutes,
                )
            ws = (
                conn.execute(select(workshops).where(workshops.c.join_code == code)).mappings().first()
                if code
                else None
            )
            if ws is None:
                conn.execute(delete(join_failures).where(join_failures.c.at < now - self.join_window))
                conn.execute(join_failures.insert().values(client_key=key, at=now))
                return None  # committed, then refused below
            return work(conn, ws)

        result = self._tx(attempt, write=True)
        if result is None:
            raise PermissionDenied("no workshop has this code; check it and try again", reason="code")
        return result

    def _participant(self, conn: Connection, token: str) -> tuple[int, str]:
        digest = token_hash(str(token or ""))
        cached = self._participant_cache.get(digest)
        if cached is not None:
            return cached
        row = conn.execute(
            select(participants.c.id, participants.c.workshop_id).where(participants.c.token_hash == digest)
        ).first()
        if row is None:
            raise PermissionDenied("this participant link is not valid; join again with the code")
        self._participant_cache[digest] = (int(row.id), str(row.workshop_id))
        return self._participant_cache[digest]

    def _workshop_row(self, conn: Connection, workshop_id: str, *, share_lock: bool = False) -> Any:
        query = select(workshops).where(workshops.c.id == workshop_id)
        if share_lock and self.dialect == "postgresql":
            query = query.with_for_update(read=True)
        return conn.execute(query).mappings().one()

    def submit_ballot(self, participant_token: str, weights: Mapping[str, object]) -> Receipt:
        """Store (or replace) the participant's ballot in the open round.

        `weights` are raw weights on any nodes (groups or leaves); nodes left out keep the set's
        defaults. They become global leaf weights summing to 1 (workbench.weights.global_weights),
        and the participant's own ranking under them is stored with the ballot.
        """
        # Both lookups are cached after a participant's first ballot: no round trip then.
        known = self._participant_cache.get(token_hash(str(participant_token or "")))
        pid, workshop_id = known or self._tx(lambda c: self._participant(c, participant_token))
        info = self._statics.get(workshop_id) or self._tx(lambda c: self._static(c, workshop_id))
        study = self.study(info["criteria_path"])
        leaf_w = agg.normalise_ballot(study.criteria_set, weights)
        ranking = own_ranking(study, leaf_w, info["method"], info["normalization"])
        raw = json.dumps({str(k): float(v) for k, v in weights.items()}, sort_keys=True)

        def work(conn: Connection) -> Receipt:
            ws = self._workshop_row(conn, workshop_id, share_lock=True)
            if not ws["round_open"]:
                raise RoundClosed(f"round {ws['current_round']} is closed: your ballot was not recorded")
            number = int(ws["current_round"])
            ballot_id, revision = self._upsert_ballot(conn, workshop_id, number, pid, raw)
            conn.execute(delete(ballot_weights).where(ballot_weights.c.ballot_id == ballot_id))
            conn.execute(delete(ballot_ranks).where(ballot_ranks.c.ballot_id == ballot_id))
            conn.execute(
                ballot_weights.insert(),
                [
                    {
                        "ballot_id": ballot_id,
                        "leaf_id": k,
                        "workshop_id": workshop_id,
                        "round": number,
                        "weight": v,
                        "log_weight": agg.log_weight(v),
                    }
                    for k, v in leaf_w.items()
                ],  # fmt: skip
            )
            conn.execute(
                ballot_ranks.insert(),
                [
                    {"ballot_id": ballot_id, "provider_id": k, "workshop_id": workshop_id, "round": number, "rank": v}
                    for k, v in ranking.items()
                ],  # fmt: skip
            )
            return Receipt(number, revision, leaf_w, ranking)

        return self._tx(work, write=True)

    def _upsert_ballot(self, conn: Connection, workshop_id: str, number: int, pid: int, raw: str) -> tuple[int, int]:
        """INSERT … ON CONFLICT (workshop, round, participant) DO UPDATE: a revision replaces the
        ballot row in place (the statement is built once per store: building it costs more than
        running it)."""
        if self._upsert is None:
            if self.dialect == "postgresql":
                from sqlalchemy.dialects.postgresql import insert
            else:
                from sqlalchemy.dialects.sqlite import insert
            stmt = insert(ballots).values(
                workshop_id=bindparam("w"), round=bindparam("r"), participant_id=bindparam("p"), revision=1,
                raw=bindparam("raw"), submitted_at=bindparam("at"),
            )  # fmt: skip
            self._upsert = stmt.on_conflict_do_update(
                index_elements=[ballots.c.workshop_id, ballots.c.round, ballots.c.participant_id],
                set_={
                    "revision": ballots.c.revision + 1,
                    "raw": stmt.excluded.raw,
                    "submitted_at": stmt.excluded.submitted_at,
                },
            ).returning(ballots.c.id, ballots.c.revision)
        row = conn.execute(self._upsert, {"w": workshop_id, "r": number, "p": pid, "raw": raw, "at": time.time()}).one()
        return int(row.id), int(row.revision)

    def participant_view(self, participant_token: str) -> dict[str, Any]:
        """What a participant may see: the workshop, the round state, their own latest ballot and
        ranking, and the group's results only once the facilitator revealed them."""

        def work(conn: Connection) -> dict[str, Any]:
            pid, workshop_id = self._participant(conn, participant_token)
            ws = self._workshop_row(conn, workshop_id)
            name = conn.execute(select(participants.c.name).where(participants.c.id == pid)).scalar()
            last = (
                conn.execute(
                    select(ballots).where(ballots.c.participant_id == pid).order_by(ballots.c.round.desc()).limit(1)
                )
                .mappings()
                .first()
            )
            view = {**_public(ws, secret=False), "name": name, "ballot": None, "previous": None, "group": None}
            if last is not None:
                entry = {
                    "round": int(last["round"]), "revision": int(last["revision"]), "raw": json.loads(last["raw"]),
                    "weights": dict(conn.execute(select(ballot_weights.c.leaf_id, ballot_weights.c.weight)
                                                 .where(ballot_weights.c.ballot_id == last["id"])).all()),
                    "ranking": dict(conn.execute(select(ballot_ranks.c.provider_id, ballot_ranks.c.rank)
                                                 .where(ballot_ranks.c.ballot_id == last["id"])
                                                 .order_by(ballot_ranks.c.rank)).all()),
                }  # fmt: skip
                view["ballot" if entry["round"] == ws["current_round"] else "previous"] = entry
            if ws["revealed"]:
                view["group"] = self._results(conn, ws, None)
            return view

        return self._tx(work)

    # --- statistics --------------------------------------------------------------------------

    def _results(self, conn: Connection, ws: Any, number: int | None) -> dict[str, Any]:
        number = int(number or ws["current_round"])
        if number < 1 or number > int(ws["current_round"]):
            raise ValueError(f"round {number} does not exist (rounds 1 to {ws['current_round']})")
        study = self.study(ws["criteria_path"])
        joined = conn.execute(
            select(func.count()).select_from(participants).where(participants.c.workshop_id == ws["id"])
        ).scalar_one()
        count = conn.execute(
            select(func.count())
            .select_from(ballots)
            .where(ballots.c.workshop_id == ws["id"], ballots.c.round == number)
        ).scalar_one()
        stats = self._leaf_stats(conn, ws["id"], number)
        leaf_ids = [leaf for leaf in study.leaf_ids if leaf in stats] + sorted(set(stats) - set(study.leaf_ids))
        mean = agg.renormalise({k: stats[k]["mean"] for k in leaf_ids})
        aggregate = {
            "mean": mean,
            "geometric": agg.renormalise({k: math.exp(stats[k]["mean_log"]) for k in leaf_ids}),
            "median": agg.renormalise({k: stats[k]["median"] for k in leaf_ids}),
        }
        dispersion = agg.order_by_dispute({
            k: {"sd": stats[k]["sd"], "min": stats[k]["min"], "max": stats[k]["max"], "q1": stats[k]["q1"],
                "median": stats[k]["median"], "q3": stats[k]["q3"], "iqr": stats[k]["q3"] - stats[k]["q1"]}
            for k in leaf_ids
        })  # fmt: skip
        sums, wins = self._rank_stats(conn, ws["id"], number)
        order = [p for p in study.provider_ids if p in sums] + sorted(set(sums) - set(study.provider_ids))
        kw = agg.kendall_w_from_sums([sums[p] for p in order], int(count))
        return {
            "workshop": _public(ws, secret=False),
            "round": number,
            "round_open": bool(ws["round_open"]) and number == int(ws["current_round"]),
            "participants": int(joined),
            "ballots": int(count),
            "method": ws["method"],
            "normalization": ws["normalization"],
            "aggregate": aggregate,
            "dispersion": dispersion,
            "winners": {p: int(wins.get(p, 0)) for p in study.provider_ids if p in sums or not sums},
            "consensus": {
                "kendall_w": kw,
                "label": agg.consensus_label(kw),
                "raters": int(count),
                "options": len(order),
            },
            "ranking": self._aggregate_ranking(study, ws, mean) if mean else [],
        }

    def _leaf_stats(self, conn: Connection, workshop_id: str, number: int) -> dict[str, dict[str, float]]:
        bw = ballot_weights
        where = (bw.c.workshop_id == workshop_id) & (bw.c.round == number)
        columns = [
            bw.c.leaf_id,
            func.avg(bw.c.weight).label("mean"),
            func.avg(bw.c.weight * bw.c.weight).label("mean_sq"),
            func.min(bw.c.weight).label("min"),
            func.max(bw.c.weight).label("max"),
            func.avg(bw.c.log_weight).label("mean_log"),
        ]
        if self.dialect == "postgresql":
            # One pass: ordered-set aggregates sit beside the plain ones.
            quart = [
                func.percentile_cont(p).within_group(bw.c.weight).label(name)
                for p, name in zip(agg.QUANTILES, ("q1", "median", "q3"), strict=True)
            ]
            rows = conn.execute(select(*columns, *quart).where(where).group_by(bw.c.leaf_id)).mappings().all()
            quantiles = {r["leaf_id"]: (r["q1"], r["median"], r["q3"]) for r in rows}
        else:
            rows = (
                conn.execute(select(*columns, func.count().label("n")).where(where).group_by(bw.c.leaf_id))
                .mappings()
                .all()
            )
            quantiles = self._index_quantiles(conn, workshop_id, number, {r["leaf_id"]: int(r["n"]) for r in rows})
        out = {}
        for r in rows:
            mean = float(r["mean"])
            q1, med, q3 = (float(x) for x in quantiles[r["leaf_id"]])
            out[r["leaf_id"]] = {
                "mean": mean, "sd": math.sqrt(max(float(r["mean_sq"]) - mean * mean, 0.0)),
                "min": float(r["min"]), "max": float(r["max"]), "mean_log": float(r["mean_log"]),
                "q1": q1, "median": med, "q3": q3,
            }  # fmt: skip
        return out

    def _index_quantiles(
        self, conn: Connection, workshop_id: str, number: int, counts: Mapping[str, int]
    ) -> dict[str, tuple[float, ...]]:
        """percentile_cont for databases without it (SQLite): with n values of a leaf, the
        p-quantile is x[⌊h⌋] + f (x[⌊h⌋ + 1] − x[⌊h⌋]), h = (n − 1) p, f = h − ⌊h⌋ (0-based, ascending).
        The two order statistics come from the covering index (workshop, round, leaf, weight) by
        LIMIT 2 OFFSET ⌊h⌋: a few index steps per quantile instead of sorting every ballot."""
        bw = ballot_weights
        query = (
            select(bw.c.weight)
            .where(bw.c.workshop_id == workshop_id, bw.c.round == number, bw.c.leaf_id == bindparam("leaf"))
            .order_by(bw.c.weight)
            .limit(2)
            .offset(bindparam("lo"))
        )
        out: dict[str, tuple[float, ...]] = {}
        for leaf_id, n in counts.items():
            values = []
            for p in agg.QUANTILES:
                h = (n - 1) * p
                lo = math.floor(h)
                pair = [float(x) for x in conn.execute(query, {"leaf": leaf_id, "lo": lo}).scalars()]
                values.append(pair[0] + (h - lo) * (pair[-1] - pair[0]))
            out[leaf_id] = tuple(values)
        return out

    def _rank_stats(self, conn: Connection, workshop_id: str, number: int) -> tuple[dict[str, float], dict[str, int]]:
        br = ballot_ranks
        rows = conn.execute(
            select(br.c.provider_id, func.sum(br.c.rank), func.sum(case((br.c.rank == 1, 1), else_=0)))
            .where(br.c.workshop_id == workshop_id, br.c.round == number)
            .group_by(br.c.provider_id)
        ).all()
        return {r[0]: float(r[1]) for r in rows}, {r[0]: int(r[2] or 0) for r in rows}

    def _aggregate_ranking(self, study: Study, ws: Any, leaf_weights: dict[str, float]) -> list[dict[str, Any]]:
        nodes = agg.leaf_to_node_weights(study.criteria_set, leaf_weights)
        try:
            ev = evaluate(study, ws["method"], ws["normalization"], nodes)
        except WorkbenchError:
            return []
        return [
            {"id": r.id, "name": r.name, "rank": r.rank, "score": r.score, "eligible": r.eligible} for r in ev.results
        ]


def own_ranking(
    study: Study, leaf_weights: Mapping[str, float], method: str, normalization: str | None
) -> dict[str, int]:
    """Each provider's rank under one participant's leaf weights (ties share the lowest rank;
    options failing a must-have come after the others, as in workbench.evaluate)."""
    w = np.array([[leaf_weights.get(leaf, 0.0) for leaf in study.leaf_ids]])
    try:
        scores = score_batch(study, w, method, normalization)[0]
    except WorkbenchError:
        return {}
    ranks = rank(scores, eligibility(study), REGISTRY[method].higher_is_better)
    return {p: int(r) for p, r in zip(study.provider_ids, ranks, strict=True)}


def _public(ws: Any, *, secret: bool) -> dict[str, Any]:
    """The workshop facts a page shows; the id (used in the facilitator link) only with `secret`."""
    out = {
        "title": ws["title"],
        "criteria": ws["criteria_id"],
        "criteria_path": ws["criteria_path"],
        "anonymous": bool(ws["anonymous"]),
        "join_code": ws["join_code"],
        "round": int(ws["current_round"]),
        "round_open": bool(ws["round_open"]),
        "revealed": bool(ws["revealed"]),
        "method": ws["method"],
        "normalization": ws["normalization"],
    }
    if secret:
        out["id"] = ws["id"]
    return out


def _short(exc: BaseException) -> str:
    message = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    return message[0][:200] if message else type(exc).__name__


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _folder_stamp(folder: Path | None) -> tuple:
    """Names and mtimes of the provider files (a cheap change check)."""
    if folder is None or not folder.is_dir():
        return ()
    return tuple((p.name, _mtime(p)) for p in sorted(folder.glob("*.y*ml")))


def _close_current_round(conn: Connection, ws: Mapping[str, Any], moment: float) -> None:
    """Stamp the workshop's current round closed (no-op when it already is)."""
    conn.execute(
        update(rounds)
        .where(
            rounds.c.workshop_id == ws["id"],
            rounds.c.number == ws["current_round"],
            rounds.c.closed_at.is_(None),
        )
        .values(closed_at=moment)
    )
