"""Workshop tables (SQLAlchemy 2 Core) and the migrations that create or upgrade them.

Ballots are stored as rows `(ballot, leaf_id, weight)` so the database itself computes means,
quantiles and spreads; the workshop and round are repeated on each weight and rank row so one
index range covers a round without a join. Only SHA-256 hashes of tokens (and of each workshop's
long join code) are stored; rate-limit counters keep client addresses only as salted hashes.

Version 2 added the rate-limit counters (`ws_limits`, one row per scope and key, updated by one
atomic UPSERT), the hash of each workshop's long join code and a per-database salt
(`ws_settings`); the version 1 log of failed joins is dropped.

Version 3 added `ws_frozen`: a closed round's aggregate weights frozen by the facilitator
(workbench.record), one row per workshop and round, holding the canonical JSON of the frozen part
and its SHA-256 (workbench.workshop.frozen).
"""

from __future__ import annotations

import secrets
from collections.abc import Callable

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    inspect,
    select,
    text,
)

SCHEMA_VERSION = 3
# Arbitrary constant for pg_advisory_xact_lock: replicas starting together migrate one at a time.
PG_MIGRATION_LOCK = 0x57_6B_73_68

metadata = MetaData()

schema_version = Table(
    "ws_schema_version",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("version", Integer, nullable=False),
)

workshops = Table(
    "ws_workshops",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("title", Text, nullable=False),
    Column("criteria_path", Text, nullable=False),
    Column("criteria_id", String(200), nullable=False),
    Column("method", String(40)),
    Column("normalization", String(40)),
    Column("anonymous", Boolean, nullable=False, default=False),
    Column("join_code", String(16), nullable=False, unique=True),
    Column("facilitator_hash", String(64), nullable=False, unique=True),
    Column("current_round", Integer, nullable=False, default=1),
    Column("round_open", Boolean, nullable=False, default=True),
    Column("revealed", Boolean, nullable=False, default=False),
    Column("created_at", Float, nullable=False),
    # SHA-256 of the long join code (the QR code's), unique through ix_ws_workshops_invite (v2).
    Column("invite_hash", String(64)),
)

rounds = Table(
    "ws_rounds",
    metadata,
    Column("workshop_id", String(32), ForeignKey("ws_workshops.id", ondelete="CASCADE"), primary_key=True),
    Column("number", Integer, primary_key=True),
    Column("opened_at", Float, nullable=False),
    Column("closed_at", Float),
)

participants = Table(
    "ws_participants",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workshop_id", String(32), ForeignKey("ws_workshops.id", ondelete="CASCADE"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("name", Text),
    Column("joined_at", Float, nullable=False),
    Index("ix_ws_participants_workshop", "workshop_id"),
)

ballots = Table(
    "ws_ballots",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workshop_id", String(32), ForeignKey("ws_workshops.id", ondelete="CASCADE"), nullable=False),
    Column("round", Integer, nullable=False),
    Column("participant_id", Integer, ForeignKey("ws_participants.id", ondelete="CASCADE"), nullable=False),
    Column("revision", Integer, nullable=False, default=1),
    Column("raw", Text, nullable=False),  # JSON of the node weights as submitted
    Column("submitted_at", Float, nullable=False),
    UniqueConstraint("workshop_id", "round", "participant_id", name="uq_ws_ballot_round"),
)

ballot_weights = Table(
    "ws_ballot_weights",
    metadata,
    Column("ballot_id", Integer, ForeignKey("ws_ballots.id", ondelete="CASCADE"), primary_key=True),
    Column("leaf_id", String(200), primary_key=True),
    Column("workshop_id", String(32), nullable=False),
    Column("round", Integer, nullable=False),
    Column("weight", Float, nullable=False),  # normalised global leaf weight (a ballot sums to 1)
    Column("log_weight", Float, nullable=False),  # ln(max(weight, GEOMETRIC_FLOOR))
    # Covering index: per-round aggregates and quantile lookups read only the index.
    Index("ix_ws_weights_round", "workshop_id", "round", "leaf_id", "weight", "log_weight"),
)

ballot_ranks = Table(
    "ws_ballot_ranks",
    metadata,
    Column("ballot_id", Integer, ForeignKey("ws_ballots.id", ondelete="CASCADE"), primary_key=True),
    Column("provider_id", String(200), primary_key=True),
    Column("workshop_id", String(32), nullable=False),
    Column("round", Integer, nullable=False),
    Column("rank", Integer, nullable=False),
    Index("ix_ws_ranks_round", "workshop_id", "round", "provider_id"),
)

# Rate limits (v2): one counter per (scope, key) and fixed window, counted by one atomic UPSERT
# (workbench.workshop.limits); `key` is a salted SHA-256 of the client address or workshop.
limits = Table(
    "ws_limits",
    metadata,
    Column("scope", String(16), primary_key=True),
    Column("key", String(64), primary_key=True),
    Column("started", Float, nullable=False),
    Column("count", Integer, nullable=False),
    Index("ix_ws_limits_started", "scope", "started"),
)

settings = Table(
    "ws_settings",
    metadata,
    Column("name", String(40), primary_key=True),
    Column("value", Text, nullable=False),
)

# Frozen rounds (v3): `frozen_json` is the canonical JSON of the frozen part (workbench.record.
# canonical), so SHA-256 of its UTF-8 bytes is `sha256`, recomputable from the row alone.
frozen = Table(
    "ws_frozen",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("workshop_id", String(32), ForeignKey("ws_workshops.id", ondelete="CASCADE"), nullable=False),
    Column("round", Integer, nullable=False),
    Column("aggregate", String(16), nullable=False),  # mean, geometric or median
    Column("frozen_json", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("created_at", Float, nullable=False),
    UniqueConstraint("workshop_id", "round", name="uq_ws_frozen_round"),
)

V1_TABLES = ("ws_workshops", "ws_rounds", "ws_participants", "ws_ballots", "ws_ballot_weights", "ws_ballot_ranks")


def _v1(conn: Connection) -> None:
    # Runs only on an empty database: version 1's tables (its log of failed joins, which _v2 drops,
    # is left out; ws_workshops already carries the v2 column, which _v2 checks for).
    metadata.create_all(conn, tables=[metadata.tables[name] for name in V1_TABLES], checkfirst=True)


def _v2(conn: Connection) -> None:
    columns = {c["name"] for c in inspect(conn).get_columns("ws_workshops")}
    if "invite_hash" not in columns:
        conn.execute(text("ALTER TABLE ws_workshops ADD COLUMN invite_hash VARCHAR(64)"))
    conn.execute(text("CREATE UNIQUE INDEX IF NOT EXISTS ix_ws_workshops_invite ON ws_workshops (invite_hash)"))
    metadata.create_all(conn, tables=[limits, settings], checkfirst=True)
    if conn.execute(select(settings.c.value).where(settings.c.name == "limits_salt")).first() is None:
        conn.execute(settings.insert().values(name="limits_salt", value=secrets.token_hex(16)))
    conn.execute(text("DROP TABLE IF EXISTS ws_join_failures"))


def _v3(conn: Connection) -> None:
    metadata.create_all(conn, tables=[frozen], checkfirst=True)


# Version N is reached by running MIGRATIONS[N - 1]; append, never edit, when the schema changes.
MIGRATIONS: tuple[Callable[[Connection], None], ...] = (_v1, _v2, _v3)


def migrate(conn: Connection) -> int:
    """Bring the schema up to SCHEMA_VERSION inside the caller's transaction; returns the version.

    On PostgreSQL a transaction-level advisory lock makes concurrent replicas wait for the first
    one; on SQLite the caller's BEGIN IMMEDIATE does the same.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_MIGRATION_LOCK})
    schema_version.create(conn, checkfirst=True)
    current = conn.execute(select(schema_version.c.version).where(schema_version.c.id == 1)).scalar()
    version = int(current or 0)
    if version > SCHEMA_VERSION:
        raise RuntimeError(
            f"the workshop database has schema version {version}, newer than this program's {SCHEMA_VERSION}"
        )
    for step in MIGRATIONS[version:]:
        step(conn)
    if current is None:
        conn.execute(schema_version.insert().values(id=1, version=SCHEMA_VERSION))
    elif version < SCHEMA_VERSION:
        conn.execute(schema_version.update().where(schema_version.c.id == 1).values(version=SCHEMA_VERSION))
    return SCHEMA_VERSION
