"""Workshop storage on SQLAlchemy 2 Core: SQLite by default (WAL), PostgreSQL for shared replicas.

`WorkshopStore` is the one entry point; its parts live beside it: the connection and retries
(`connection`), tokens, join codes and participants (`access`), joining and ballots
(`participation`), frozen rounds (`frozen`), a round's statistics computed by the database
(`statistics`) and the rankings (`ranking`). This module holds the facilitator's side.

Concurrency: a ballot is one upsert on (workshop, round, participant) plus its weight and rank
rows, in one transaction; on SQLite write transactions start with BEGIN IMMEDIATE (no deadlock on
lock upgrade, busy_timeout waits). A ballot and a round change exclude each other per workshop
(`rounds`: a fair advisory lock on PostgreSQL, a writer-preferring gate in the process), so a
close returns within milliseconds under a flood of ballots and no ballot enters a round after its
close. A committed ballot survives the process being killed (WAL). Joining is rate limited
(`access`, `limits`).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, select, update
from sqlalchemy.exc import IntegrityError

from ..evaluate import resolve_method
from ..study import Study
from . import access
from . import limits as lim
from .access import (
    TITLE_MAX,
    JoinLimits,
    clean_name,
    facilitator_workshop,
    long_code,
    new_code,
    new_token,
    public_facts,
    token_hash,
)
from .connection import Database, StoreUnavailable
from .frozen import FrozenRecords
from .participation import ParticipantSide, workshop_row
from .rounds import RoundGate, close_current_round, lock_round
from .schema import ballot_weights, ballots, participants, rounds, workshops
from .statistics import round_results
from .studies import StudyCache, stored_path

T = TypeVar("T")


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


class WorkshopStore(ParticipantSide, FrozenRecords):
    """Workshops, participants and ballots in one database (see the module docstring)."""

    def __init__(
        self,
        url: str | None = None,
        *,
        join_attempts: int | None = None,
        join_window: float | None = None,
        limits: JoinLimits | None = None,
    ):
        self.db = Database(url)
        self.url, self.engine, self.dialect = self.db.url, self.db.engine, self.db.dialect
        # Read from the module at construction, so a test can lower the defaults for the app's store.
        base = limits or JoinLimits(
            attempts=access.JOIN_ATTEMPTS, window=access.JOIN_WINDOW, joins_per_client=access.JOINS_PER_CLIENT,
            joins_window=access.JOINS_WINDOW, max_participants=access.MAX_PARTICIPANTS,
            key_attempts=access.KEY_ATTEMPTS, key_window=access.KEY_WINDOW,
        )  # fmt: skip
        self.limits = JoinLimits(
            **{**base.__dict__,
               **({"attempts": join_attempts} if join_attempts is not None else {}),
               **({"window": join_window} if join_window is not None else {})}
        )  # fmt: skip
        self._studies = StudyCache()
        self._participant_cache: dict[str, tuple[int, str]] = {}
        self._facilitator_ids: dict[str, str] = {}  # token hash -> workshop id (a workshop never moves)
        self._statics: dict[str, dict[str, Any]] = {}
        self._upsert = None
        self._counters = lim.Counters(self.dialect)
        self._salt: str | None = None
        self._gate = RoundGate()

    @property
    def join_attempts(self) -> int:
        return self.limits.attempts

    @property
    def join_window(self) -> float:
        return self.limits.window

    def close(self) -> None:
        self.db.close()

    def schema_version(self) -> int:
        return self.db.schema_version()

    def study(self, criteria_path: str) -> Study:
        """The workshop's study (its set and the set's providers), cached until a file changes."""
        return self._studies.get(criteria_path)

    def _static(self, conn: Connection, workshop_id: str) -> dict[str, Any]:
        """The parts of a workshop that never change (set, method), cached per id."""
        cached = self._statics.get(workshop_id)
        if cached is None:
            row = workshop_row(conn, workshop_id)
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
        criteria_path = stored_path(Path(criteria))
        study = self.study(criteria_path)
        method, normalization = resolve_method(study, method, normalization)
        title = clean_name(title, TITLE_MAX) or study.criteria_set.name.get("fr")
        token = new_token()
        workshop_id = secrets.token_hex(8)
        for _ in range(20):
            code = new_code()
            row = {
                "id": workshop_id, "title": title, "criteria_path": criteria_path,
                "criteria_id": study.criteria_set.id, "method": method, "normalization": normalization,
                "anonymous": bool(anonymous), "join_code": code, "facilitator_hash": token_hash(token),
                "current_round": 1, "round_open": True, "revealed": False, "created_at": time.time(),
                "invite_hash": token_hash(long_code(token)),
            }  # fmt: skip

            def insert(conn: Connection, row=row) -> None:
                conn.execute(workshops.insert().values(**row))
                conn.execute(rounds.insert().values(workshop_id=row["id"], number=1, opened_at=row["created_at"]))

            try:
                self.db.transaction(insert, write=True)
            except IntegrityError:
                continue  # join code taken: draw another
            return Workshop(workshop_id, title, code, token, criteria_path, bool(anonymous), method, normalization)
        raise StoreUnavailable("could not draw a free join code; try again")

    def workshop(self, facilitator_token: str) -> dict[str, Any]:
        """Public facts of the facilitator's workshop (title, code, round, state) and its long join
        code (for the QR code and the join link)."""

        def work(conn: Connection) -> dict[str, Any]:
            ws = facilitator_workshop(conn, facilitator_token)
            self._facilitator_ids[token_hash(str(facilitator_token))] = ws["id"]
            return {**public_facts(ws, secret=True), "long_code": long_code(facilitator_token),
                    "has_long_code": ws["invite_hash"] is not None}  # fmt: skip

        facts = self.db.transaction(work, control=True)
        if not facts.pop("has_long_code"):  # a workshop created before version 2: store it now

            def store_hash(conn: Connection) -> None:
                conn.execute(
                    update(workshops)
                    .where(workshops.c.id == facts["id"], workshops.c.invite_hash.is_(None))
                    .values(invite_hash=token_hash(facts["long_code"]))
                )

            self.db.transaction(store_hash, write=True, control=True)
        return facts

    def _round_change(self, facilitator_token: str, change: Callable[[Connection, Any, float], int]) -> int:
        """Run a round change: wait for the ballots in flight, hold back new ones (see `rounds`),
        then apply `change` to the freshly read workshop row; returns its result."""
        workshop_id = self._facilitator_ids.get(token_hash(str(facilitator_token or ""))) or self.db.transaction(
            lambda c: facilitator_workshop(c, facilitator_token)["id"], control=True
        )

        def work(conn: Connection) -> int:
            lock_round(conn, workshop_id, exclusive=True)
            ws = facilitator_workshop(conn, facilitator_token)  # read after the lock: the state now
            return change(conn, ws, time.time())

        return self.db.transaction(
            work, write=True, control=True, guard=lambda: self._gate.round_change(workshop_id), urgent=True
        )

    def close_round(self, facilitator_token: str) -> int:
        """Close the open round (ballots are refused until a new round opens); returns its number.

        When it returns, every ballot accepted into the round was committed before the round's
        `closed_at`, and every later ballot is refused (RoundClosed)."""

        def change(conn: Connection, ws: Any, now: float) -> int:
            conn.execute(update(workshops).where(workshops.c.id == ws["id"]).values(round_open=False))
            close_current_round(conn, ws, now)
            return int(ws["current_round"])

        return self._round_change(facilitator_token, change)

    def open_round(self, facilitator_token: str) -> int:
        """Start the next round (closing the current one if still open); results are hidden again."""

        def change(conn: Connection, ws: Any, now: float) -> int:
            close_current_round(conn, ws, now)
            number = int(ws["current_round"]) + 1
            conn.execute(rounds.insert().values(workshop_id=ws["id"], number=number, opened_at=now))
            conn.execute(
                update(workshops)
                .where(workshops.c.id == ws["id"])
                .values(current_round=number, round_open=True, revealed=False)
            )
            return number

        return self._round_change(facilitator_token, change)

    def reveal(self, facilitator_token: str, revealed: bool = True) -> None:
        """Show (or hide) the group's results to participants."""

        def work(conn: Connection) -> None:
            ws = facilitator_workshop(conn, facilitator_token)
            conn.execute(update(workshops).where(workshops.c.id == ws["id"]).values(revealed=bool(revealed)))

        self.db.transaction(work, write=True, control=True)

    def results(self, facilitator_token: str, round: int | None = None) -> dict[str, Any]:  # noqa: A002 - the brief's name
        """Counts, aggregates, dispersion, winners, consensus and the ranking under the mean, for
        the current round (or `round`), all statistics computed by the database."""

        def work(conn: Connection) -> dict[str, Any]:
            ws = facilitator_workshop(conn, facilitator_token)
            return round_results(conn, ws, round, self.study(ws["criteria_path"]))

        return self.db.transaction(work, control=True)

    def compare_rounds(self, facilitator_token: str) -> list[dict[str, Any]]:
        """The results of every round so far, oldest first."""

        def work(conn: Connection) -> list[dict[str, Any]]:
            ws = facilitator_workshop(conn, facilitator_token)
            study = self.study(ws["criteria_path"])
            return [round_results(conn, ws, n, study) for n in range(1, int(ws["current_round"]) + 1)]

        return self.db.transaction(work, control=True)

    def participants(self, facilitator_token: str, limit: int = 500) -> list[dict[str, Any]]:
        """Joined participants (name, or None when anonymous) and whether they voted this round."""

        def work(conn: Connection) -> list[dict[str, Any]]:
            ws = facilitator_workshop(conn, facilitator_token)
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

        return self.db.transaction(work, control=True)

    def ballots(self, facilitator_token: str, round: int | None = None) -> list[dict[str, Any]]:  # noqa: A002
        """Every ballot of a round as normalised leaf weights (for exports); names only when the
        workshop is not anonymous."""

        def work(conn: Connection) -> list[dict[str, Any]]:
            ws = facilitator_workshop(conn, facilitator_token)
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

        return self.db.transaction(work, control=True)
