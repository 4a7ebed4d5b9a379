"""Workshop storage on SQLAlchemy 2 Core: SQLite by default (WAL), PostgreSQL for shared replicas.

`WorkshopStore` is the one entry point; its parts live beside it: the connection and retries
(`connection`), tokens, join codes and participants (`access`), a round's statistics computed
by the database (`statistics`) and the rankings (`ranking`).

Concurrency: a ballot is one upsert on (workshop, round, participant) plus its weight and rank
rows, in one transaction; on SQLite write transactions start with BEGIN IMMEDIATE (no deadlock on
lock upgrade, busy_timeout waits). A ballot and a round change exclude each other per workshop
(`rounds`: a fair advisory lock on PostgreSQL, a writer-preferring gate in the process), so a
close returns within milliseconds under a flood of ballots and no ballot enters a round after its
close. A committed ballot survives the process being killed (WAL). Joining is rate limited
(`access`, `limits`).
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, bindparam, delete, select, update
from sqlalchemy.exc import IntegrityError

from ..errors import WorkbenchError
from ..evaluate import resolve_method
from ..study import Study
from . import access
from . import aggregate as agg
from . import limits as lim
from .access import (
    LOCAL_CLIENT,
    TITLE_MAX,
    JoinLimits,
    Participant,
    PermissionDenied,
    clean_name,
    facilitator_workshop,
    long_code,
    new_code,
    new_token,
    participant_ids,
    public_facts,
    token_hash,
)
from .connection import Database, StoreUnavailable
from .ranking import own_ranking
from .rounds import RoundGate, close_current_round, lock_round
from .schema import ballot_ranks, ballot_weights, ballots, participants, rounds, workshops
from .statistics import round_results
from .studies import StudyCache, stored_path

T = TypeVar("T")


class RoundClosed(WorkbenchError):
    """A ballot arrived after the facilitator closed the round."""


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
class Receipt:
    """What a participant gets back after a ballot: the round, the revision and their own view."""

    round: int
    revision: int
    weights: dict[str, float]
    ranking: dict[str, int]


class WorkshopStore:
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
            row = _workshop_row(conn, workshop_id)
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

    # --- participants ------------------------------------------------------------------------

    def check_code(self, join_code: str, client_key: str = LOCAL_CLIENT) -> dict[str, Any]:
        """Title and anonymity of the workshop behind a code (so the join form knows whether to
        ask for a name); a wrong code counts against the client like a failed join.

        `client_key` is who the limits count against: the client's address
        (access.client_address)."""
        return self._by_code(join_code, client_key, lambda conn, ws, now: public_facts(ws, secret=False))

    def join(self, join_code: str, name: str | None = None, client_key: str = LOCAL_CLIENT) -> Participant:
        """Join a workshop by its code; returns the participant's secret token (shown once).

        PermissionDenied: a wrong code ("code"), too many wrong codes from this client
        ("rate_limited"; the long code still works), the workshop's cap ("full") or this client's
        joins per hour ("joins")."""
        client = clean_name(client_key, 200) or LOCAL_CLIENT
        return self._by_code(
            join_code,
            client,
            lambda conn, ws, now: access.add_participant(
                conn, self._counters, self._salt_of(conn), ws, name, client, self.limits, now
            ),  # fmt: skip
        )

    def _salt_of(self, conn: Connection) -> str:
        if self._salt is None:
            self._salt = lim.salt(conn)
        return self._salt

    def _by_code(self, join_code: str, client_key: str, work: Callable[[Connection, Any, float], T]) -> T:
        client = clean_name(client_key, 200) or LOCAL_CLIENT

        def attempt(conn: Connection) -> tuple[access.Admission, T | None]:
            now = time.time()
            admission = access.admit(conn, self._counters, self._salt_of(conn), join_code, client, self.limits, now)
            if admission.workshop is None:
                return admission, None  # committed: a counted failure stays counted
            return admission, work(conn, admission.workshop, now)

        admission, result = self.db.transaction(attempt, write=True)
        if admission.refusal == "rate_limited":
            raise PermissionDenied(
                f"too many wrong codes from this network: wait {admission.minutes} minutes, or use the long code "
                "of the QR code",
                reason="rate_limited",
                minutes=admission.minutes,
            )
        if admission.refusal is not None:
            raise PermissionDenied("no workshop has this code; check it and try again", reason="code")
        return result  # type: ignore[return-value]

    def check_facilitator_key(self, given: str, client_key: str = LOCAL_CLIENT) -> None:
        """Refuse (PermissionDenied "key", or "key_limited" after too many wrong keys from this
        client) unless `given` is $WORKBENCH_FACILITATOR_KEY; no key set lets anyone create."""
        expected = access.facilitator_key()
        if expected is None:
            return
        client = clean_name(client_key, 200) or LOCAL_CLIENT
        rules = self.limits

        def attempt(conn: Connection) -> tuple[str, int] | None:
            now = time.time()
            key = lim.key_hash(self._salt_of(conn), lim.FAILED_KEY, client)
            hit = self._counters.hit(conn, lim.FAILED_KEY, key, window=rules.key_window, now=now)
            if hit.count > rules.key_attempts:
                return "key_limited", access.minutes_left(hit.started, rules.key_window, now)
            if not access.key_matches(given, expected):
                return "key", 0  # committed: the failure counts
            self._counters.refund(conn, lim.FAILED_KEY, key, hit)
            return None

        refusal = self.db.transaction(attempt, write=True)
        if refusal is not None:
            reason, minutes = refusal
            message = "too many wrong keys: wait a few minutes" if minutes else "this facilitator key is not right"
            raise PermissionDenied(message, reason=reason, minutes=minutes)

    def submit_ballot(self, participant_token: str, weights: Mapping[str, object]) -> Receipt:
        """Store (or replace) the participant's ballot in the open round.

        `weights` are raw weights on any nodes (groups or leaves); nodes left out keep the set's
        defaults. They become global leaf weights summing to 1 (workbench.weights.global_weights),
        and the participant's own ranking under them is stored with the ballot.
        """
        # Both lookups are cached after a participant's first ballot: no round trip then.
        known = self._participant_cache.get(token_hash(str(participant_token or "")))
        pid, workshop_id = known or self.db.transaction(
            lambda c: participant_ids(c, participant_token, self._participant_cache)
        )
        info = self._statics.get(workshop_id) or self.db.transaction(lambda c: self._static(c, workshop_id))
        study = self.study(info["criteria_path"])
        leaf_w = agg.normalise_ballot(study.criteria_set, weights)
        ranking = own_ranking(study, leaf_w, info["method"], info["normalization"])
        raw = json.dumps({str(k): float(v) for k, v in weights.items()}, sort_keys=True)

        def work(conn: Connection) -> Receipt:
            lock_round(conn, workshop_id, exclusive=False)  # a round change waits for this ballot
            ws = _workshop_row(conn, workshop_id)  # read after the lock: a committed close is seen
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

        # The gate is taken once a connection is held: while a round changes, ballots wait there
        # with their connection instead of queueing on the database.
        return self.db.transaction(work, write=True, guard=lambda: self._gate.ballot(workshop_id))

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
            pid, workshop_id = participant_ids(conn, participant_token, self._participant_cache)
            ws = _workshop_row(conn, workshop_id)
            name = conn.execute(select(participants.c.name).where(participants.c.id == pid)).scalar()
            last = (
                conn.execute(
                    select(ballots).where(ballots.c.participant_id == pid).order_by(ballots.c.round.desc()).limit(1)
                )
                .mappings()
                .first()
            )
            view = {**public_facts(ws, secret=False), "name": name, "ballot": None, "previous": None, "group": None}
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
                view["group"] = round_results(conn, ws, None, self.study(ws["criteria_path"]))
            return view

        return self.db.transaction(work)


def _workshop_row(conn: Connection, workshop_id: str) -> Any:
    return conn.execute(select(workshops).where(workshops.c.id == workshop_id)).mappings().one()
