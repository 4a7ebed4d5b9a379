"""The participants' side of the workshop store: joining by code (with its limits), the
facilitator key, ballots and what a participant may see.

`ParticipantSide` is a mixin of `WorkshopStore` (workbench.workshop.store), which provides the
database, the caches and the round gate it uses; it is kept apart so each module stays readable.
A ballot is one upsert on (workshop, round, participant) plus its weight and rank rows, in one
transaction, under the round lock (`rounds`), so no ballot enters a round after its close.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Connection, bindparam, delete, select

from ..errors import WorkbenchError
from ..study import Study
from . import access
from . import aggregate as agg
from . import limits as lim
from .access import (
    LOCAL_CLIENT,
    JoinLimits,
    Participant,
    PermissionDenied,
    clean_name,
    participant_ids,
    public_facts,
    token_hash,
)
from .connection import Database
from .ranking import own_ranking
from .rounds import RoundGate, lock_round
from .schema import ballot_ranks, ballot_weights, ballots, participants, workshops
from .statistics import round_results

T = TypeVar("T")


class RoundClosed(WorkbenchError):
    """A ballot arrived after the facilitator closed the round."""


@dataclass(frozen=True)
class Receipt:
    """What a participant gets back after a ballot: the round, the revision and their own view."""

    round: int
    revision: int
    weights: dict[str, float]
    ranking: dict[str, int]


def workshop_row(conn: Connection, workshop_id: str) -> Any:
    return conn.execute(select(workshops).where(workshops.c.id == workshop_id)).mappings().one()


class ParticipantSide:
    """Joining, ballots and the participant's view (mixed into WorkshopStore)."""

    # Provided by WorkshopStore.__init__.
    db: Database
    limits: JoinLimits
    _counters: lim.Counters
    _salt: str | None
    _participant_cache: dict[str, tuple[int, str]]
    _statics: dict[str, dict[str, Any]]
    _upsert: Any
    _gate: RoundGate

    if TYPE_CHECKING:  # WorkshopStore's own methods

        def study(self, criteria_path: str) -> Study: ...

        def _static(self, conn: Connection, workshop_id: str) -> dict[str, Any]: ...

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
            ws = workshop_row(conn, workshop_id)  # read after the lock: a committed close is seen
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
            ws = workshop_row(conn, workshop_id)
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
