"""Freezing a closed workshop round: the group's aggregate weights fixed as a decision record.

Before any offer is scored, the facilitator freezes a closed round: its aggregate (mean,
geometric or median) becomes the weights of a `workbench.record.freeze` document, under the
workshop's method and normalisation, and is kept in `ws_frozen` with its SHA-256. The row holds
the canonical JSON of the frozen part (workbench.record.canonical), so anyone reading the
database recomputes the hash from the row alone: `sha256(frozen_json.encode("utf-8"))`.

One freeze per round: freezing a round again returns the stored record unchanged (a second
facilitator tab, a double click, two replicas at once), so the published hash never moves.
Only the facilitator token can freeze or read them.
"""

from __future__ import annotations

import hashlib
import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from ..errors import WorkbenchError
from ..record import canonical_bytes, freeze
from ..study import Study
from .access import facilitator_workshop
from .aggregate import leaf_to_node_weights
from .connection import Database
from .schema import frozen
from .statistics import round_results

AGGREGATES = ("mean", "geometric", "median")


class RoundNotFreezable(WorkbenchError):
    """The round is still open, has no ballot, or does not exist."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class FrozenRound:
    """A stored freeze: `document` is `{"frozen": ..., "frozen_sha256": ...}` as
    `workbench.record.freeze` returns it (what `record seal --frozen` reads)."""

    workshop_id: str
    round: int
    aggregate: str
    document: dict[str, Any]
    sha256: str
    created_at: float
    created: bool = False  # True only for the call that stored it

    @property
    def frozen_at(self) -> str:
        return str(self.document["frozen"]["frozen_at"])

    @property
    def json_text(self) -> str:
        """The frozen document as a file (what the page offers for download)."""
        return json.dumps(self.document, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def _from_row(row: Any, created: bool = False) -> FrozenRound:
    """A stored row, after checking that its hash is still the hash of its JSON."""
    text = str(row.frozen_json)
    actual = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if actual != row.sha256:
        raise WorkbenchError(
            f"the frozen record of round {row.round} was altered in the database: its JSON hashes to {actual}, "
            f"the stored hash is {row.sha256}"
        )
    document = {"frozen": json.loads(text), "frozen_sha256": row.sha256}
    return FrozenRound(row.workshop_id, int(row.round), row.aggregate, document, row.sha256, float(row.created_at),
                       created)  # fmt: skip


def _stored(conn: Connection, workshop_id: str, number: int) -> Any:
    return conn.execute(select(frozen).where(frozen.c.workshop_id == workshop_id, frozen.c.round == number)).first()


class FrozenRecords:
    """Freeze a closed round's aggregate and read the frozen rounds back (mixed into WorkshopStore)."""

    db: Database  # provided by WorkshopStore

    if TYPE_CHECKING:  # WorkshopStore's own method

        def study(self, criteria_path: str) -> Study: ...

    def freeze_round(
        self, facilitator_token: str, round: int | None = None, aggregate: str = "mean", *, moment: str | None = None
    ) -> FrozenRound:  # noqa: A002 - the store's name for a round number
        """Freeze the aggregate of a closed round (the current one by default) and store it.

        Returns the stored record; when the round was frozen already, that record, whatever
        `aggregate` asks now (`created` tells which). RoundNotFreezable when the round is open,
        has no ballot or does not exist; PermissionDenied for any token but the facilitator's."""
        if aggregate not in AGGREGATES:
            raise ValueError(f"unknown aggregate {aggregate!r} (one of {', '.join(AGGREGATES)})")

        def read(conn: Connection) -> tuple[Any, dict[str, Any] | None, FrozenRound | None]:
            ws = facilitator_workshop(conn, facilitator_token)
            number = int(round or ws["current_round"])
            row = _stored(conn, ws["id"], number)
            if row is not None:
                return ws, None, _from_row(row)
            if number < 1 or number > int(ws["current_round"]):
                raise RoundNotFreezable(f"round {number} does not exist", reason="missing")
            if number == int(ws["current_round"]) and ws["round_open"]:
                raise RoundNotFreezable(f"round {number} is still open: close it before freezing", reason="open")
            return ws, round_results(conn, ws, number, self.study(ws["criteria_path"])), None

        ws, results, existing = self.db.transaction(read, control=True)
        if existing is not None:
            return existing
        assert results is not None
        if not results["ballots"]:
            raise RoundNotFreezable(f"round {results['round']} has no ballot to freeze", reason="empty")
        # A closed round's ballots never change, so freezing outside the write transaction is safe.
        study = self.study(ws["criteria_path"])
        weights = leaf_to_node_weights(study.criteria_set, results["aggregate"][aggregate])
        document = freeze(study, ws["method"], ws["normalization"], weights, moment=moment)
        text = canonical_bytes(document["frozen"]).decode("utf-8")
        row = {"workshop_id": ws["id"], "round": int(results["round"]), "aggregate": aggregate, "frozen_json": text,
               "sha256": document["frozen_sha256"], "created_at": time.time()}  # fmt: skip

        def store(conn: Connection) -> FrozenRound:
            found = _stored(conn, row["workshop_id"], row["round"])
            if found is not None:  # frozen meanwhile (another tab or replica): theirs stands
                return _from_row(found)
            conn.execute(frozen.insert().values(**row))
            return _from_row(_stored(conn, row["workshop_id"], row["round"]), created=True)

        try:
            return self.db.transaction(store, write=True, control=True)
        except IntegrityError:  # PostgreSQL: another replica inserted between our read and insert
            return self.db.transaction(lambda c: _from_row(_stored(c, row["workshop_id"], row["round"])), control=True)

    def frozen_rounds(self, facilitator_token: str) -> list[FrozenRound]:
        """Every frozen round of the facilitator's workshop, latest round first."""

        def work(conn: Connection) -> list[FrozenRound]:
            ws = facilitator_workshop(conn, facilitator_token)
            rows = conn.execute(select(frozen).where(frozen.c.workshop_id == ws["id"]).order_by(frozen.c.round.desc()))
            return [_from_row(r) for r in rows]

        return self.db.transaction(work, control=True)
