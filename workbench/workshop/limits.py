"""Rate-limit counters: one row per (scope, key), counted in fixed windows by a single atomic
UPSERT, the same statement on SQLite and PostgreSQL:

    INSERT INTO ws_limits (scope, key, started, count) VALUES (:scope, :key, :now, 1)
    ON CONFLICT (scope, key) DO UPDATE SET
        count   = CASE WHEN ws_limits.started <= :cutoff THEN 1    ELSE ws_limits.count + 1 END,
        started = CASE WHEN ws_limits.started <= :cutoff THEN :now ELSE ws_limits.started END
    RETURNING count, started

PostgreSQL locks the conflicting row for the rest of the transaction and SQLite runs one write
transaction at a time, so concurrent hits on one key each get a distinct count: "at most N" is
exact, with no count-then-insert race. Keys are salted SHA-256 hashes (`key_hash`): the table
never holds a client address, and rows are purged once their window is over.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import Connection, bindparam, case, delete, select, update

from .schema import limits, settings

# Scopes (<= 16 characters): wrong join codes per client, joins per workshop and client, joins
# per workshop, wrong facilitator keys per client.
FAILED_CODE = "code_fail"
JOINS_CLIENT = "join_client"
JOINS_WORKSHOP = "join_ws"
FAILED_KEY = "fkey_fail"
PURGE_ONE_IN = 50  # a hit purges its scope's expired rows once in this many (on average)
FOREVER = 1e15  # a window that never ends (seconds): a plain counter


@dataclass(frozen=True)
class Hit:
    """The count in the current window after this hit, and when the window started."""

    count: int
    started: float


def salt(conn: Connection) -> str:
    """The database's random salt for key hashes (created by the v2 migration)."""
    return str(conn.execute(select(settings.c.value).where(settings.c.name == "limits_salt")).scalar_one())


def key_hash(salt_value: str, *parts: str) -> str:
    """A salted SHA-256 of the parts: the same client and scope always map to the same row."""
    return hashlib.sha256("\x1f".join((salt_value, *parts)).encode("utf-8")).hexdigest()


class Counters:
    """The UPSERT statements of one dialect, built once (building costs more than running)."""

    def __init__(self, dialect: str):
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        stmt = insert(limits).values(
            scope=bindparam("b_scope"), key=bindparam("b_key"), started=bindparam("b_now"), count=1
        )  # fmt: skip
        fresh = limits.c.started <= bindparam("b_cutoff")
        self._hit = stmt.on_conflict_do_update(
            index_elements=[limits.c.scope, limits.c.key],
            set_={
                "count": case((fresh, 1), else_=limits.c.count + 1),
                "started": case((fresh, bindparam("b_now")), else_=limits.c.started),
            },
        ).returning(limits.c.count, limits.c.started)
        self._refund = (
            update(limits)
            .where(
                limits.c.scope == bindparam("b_scope"),
                limits.c.key == bindparam("b_key"),
                limits.c.started == bindparam("b_started"),
                limits.c.count > 0,
            )
            .values(count=limits.c.count - 1)
        )
        self._purge = delete(limits).where(
            limits.c.scope == bindparam("b_scope"), limits.c.started <= bindparam("b_cutoff")
        )

    def hit(self, conn: Connection, scope: str, key: str, *, window: float, now: float) -> Hit:
        """Count one event for (scope, key) in its window, atomically; expired rows of the scope
        are purged now and then."""
        row = conn.execute(self._hit, {"b_scope": scope, "b_key": key, "b_now": now, "b_cutoff": now - window}).one()
        if window < FOREVER and secrets.randbelow(PURGE_ONE_IN) == 0:
            conn.execute(self._purge, {"b_scope": scope, "b_cutoff": now - window})
        return Hit(int(row.count), float(row.started))

    def refund(self, conn: Connection, scope: str, key: str, hit: Hit) -> None:
        """Take back one hit (of the same window): an event that turned out not to count."""
        conn.execute(self._refund, {"b_scope": scope, "b_key": key, "b_started": hit.started})
