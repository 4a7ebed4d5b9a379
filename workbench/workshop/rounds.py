"""Closing a round promptly while ballots pour in, and never accepting one after the close.

A ballot and a round change (close, open) exclude each other per workshop at two levels:

- in the database, on PostgreSQL, by a transaction-level advisory lock on the workshop: each
  ballot holds it shared, a round change exclusive. PostgreSQL queues lock requests fairly, so a
  waiting round change makes later ballots wait behind it: the close waits only for the ballots
  already in flight (milliseconds), where a row's FOR SHARE/FOR UPDATE let an endless stream of
  sharers starve it (a 100 s wait under 60 writers). A ballot reads the round state after taking
  its lock, so once a close has committed every later ballot sees the round closed.
- on SQLite, by its one writer at a time, with the round change first in this process's queue
  of writers (connection.WriteQueue): it waits for the transaction under way only, and every
  ballot after it reads the round closed.
- in the process, by `RoundGate`: while a round changes, this process starts no new ballot of
  that workshop (they wait at the gate, a connection in hand, instead of piling onto the
  database); ballots already past the gate are ordered by the database as above.
"""

from __future__ import annotations

import threading
import zlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, text, update

from .schema import rounds

# First key of the two-key advisory locks of round changes (the second is the workshop's).
ROUND_LOCK_SPACE = 0x57_6B_72_64
_SHARED = text("SELECT pg_advisory_xact_lock_shared(:space, :key)")
_EXCLUSIVE = text("SELECT pg_advisory_xact_lock(:space, :key)")


def _lock_key(workshop_id: str) -> int:
    """A signed 32-bit key for the workshop (two workshops sharing one only wait for each other)."""
    return zlib.crc32(workshop_id.encode("utf-8")) - 2**31


def lock_round(conn: Connection, workshop_id: str, *, exclusive: bool) -> None:
    """Take the workshop's round lock until the transaction ends (PostgreSQL; on SQLite the
    write transaction itself, BEGIN IMMEDIATE, already excludes every other writer)."""
    if conn.dialect.name == "postgresql":
        conn.execute(_EXCLUSIVE if exclusive else _SHARED, {"space": ROUND_LOCK_SPACE, "key": _lock_key(workshop_id)})


def close_current_round(conn: Connection, ws: Mapping[str, Any], moment: float) -> None:
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


class RoundGate:
    """Per workshop, in one process: while a round change is under way no new ballot starts."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._changes: dict[str, int] = {}

    @contextmanager
    def ballot(self, workshop_id: str) -> Iterator[None]:
        with self._cond:
            while self._changes.get(workshop_id):
                self._cond.wait()
        yield

    @contextmanager
    def round_change(self, workshop_id: str) -> Iterator[None]:
        with self._cond:
            self._changes[workshop_id] = self._changes.get(workshop_id, 0) + 1
        try:
            yield
        finally:
            with self._cond:
                self._changes[workshop_id] -= 1
                if not self._changes[workshop_id]:
                    del self._changes[workshop_id]
                self._cond.notify_all()
