"""Drafts of studies being built in the app, kept server-side under an unguessable link.

A draft is the study's tables (`spreadsheet_format.StudyBook.to_json`) saved on every change, in
the workshop database (SQLite by default, PostgreSQL when $WORKBENCH_DATABASE_URL says so) but in
a table of its own, created when missing; the workshop schema is not touched. Only the SHA-256 of
a draft's token is stored, so reading the database does not give the links away. Each save bumps
the draft's revision, and a save based on an older revision is refused (`DraftConflict`), so two
people editing one draft never silently overwrite each other.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import re
import secrets
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Column, Connection, DateTime, Integer, MetaData, String, Table, Text, insert, select, update
from sqlalchemy.exc import DBAPIError

from ..errors import WorkbenchError
from ..workshop.connection import StoreUnavailable, default_url, first_line, make_engine, run_transaction

T = TypeVar("T")
MAX_DRAFT_BYTES = 5_000_000
TOKEN_BYTES = 24  # 32 URL-safe characters, 192 random bits
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,128}$")

metadata = MetaData()
drafts = Table(
    "study_drafts",
    metadata,
    Column("key_hash", String(64), primary_key=True),
    Column("revision", Integer, nullable=False),
    Column("title", Text, nullable=False, default=""),
    Column("tables", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)


class DraftTooLarge(WorkbenchError):
    """A draft over MAX_DRAFT_BYTES once written as JSON."""


class DraftConflict(WorkbenchError):
    """The draft changed since the revision a save was based on; `current` is the stored draft."""

    def __init__(self, current: Draft) -> None:
        self.current = current
        super().__init__("this draft was changed elsewhere in the meantime")


@dataclass(frozen=True)
class Draft:
    token: str
    revision: int
    title: str
    tables: dict[str, list[dict[str, Any]]]
    updated_at: dt.datetime


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def key_of(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _plain(value: Any) -> Any:
    """JSON-safe tables: NaN and infinities (an emptied number cell) become None."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _encode(tables: dict[str, list[dict[str, Any]]]) -> tuple[str, dict[str, list[dict[str, Any]]]]:
    """The tables as JSON text, and as the data that text reads back to."""
    try:
        text = json.dumps(tables, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError):  # NaN from an emptied number cell, or a value JSON has no word for
        tables = _plain(tables)
        text = json.dumps(tables, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    if len(text) > MAX_DRAFT_BYTES or len(text.encode("utf-8")) > MAX_DRAFT_BYTES:
        raise DraftTooLarge(f"the draft is too large to keep (more than {MAX_DRAFT_BYTES:,} bytes)")
    return text, tables


class DraftStore:
    """Create, read and save drafts in the database at `url` (default: the workshops')."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url or default_url()
        self.engine = make_engine(self.url)
        self._ready = False
        self._lock = threading.Lock()

    def close(self) -> None:
        self.engine.dispose()

    def create(self, tables: dict[str, list[dict[str, Any]]], title: str = "") -> Draft:
        """A new draft holding `tables`, under a fresh secret token."""
        token, (text, tables), now = new_token(), _encode(tables), dt.datetime.now(dt.UTC)
        row = {"key_hash": key_of(token), "revision": 1, "title": title[:200], "tables": text,
               "created_at": now, "updated_at": now}  # fmt: skip
        self._run(lambda conn: conn.execute(insert(drafts).values(**row)), write=True)
        return Draft(token, 1, title[:200], tables, now)

    def load(self, token: str) -> Draft | None:
        """The draft of `token`, or None (an unknown or malformed token)."""
        if not isinstance(token, str) or not TOKEN_PATTERN.match(token):
            return None
        row = self._run(lambda conn: conn.execute(select(drafts).where(drafts.c.key_hash == key_of(token))).first())
        if row is None:
            return None
        return Draft(token, row.revision, row.title, json.loads(row.tables), row.updated_at)

    def revision(self, token: str) -> int | None:
        """The draft's current revision (a cheap check for changes made elsewhere)."""
        if not isinstance(token, str) or not TOKEN_PATTERN.match(token):
            return None
        query = select(drafts.c.revision).where(drafts.c.key_hash == key_of(token))
        return self._run(lambda conn: conn.execute(query).scalar())

    def save(self, token: str, tables: dict[str, list[dict[str, Any]]], revision: int, title: str = "") -> Draft:
        """Store `tables` as the revision after `revision`; DraftConflict if the draft moved on
        meanwhile, KeyError if there is no such draft."""
        (text, tables), now = _encode(tables), dt.datetime.now(dt.UTC)
        key = key_of(token)

        def work(conn: Connection) -> int:
            done = conn.execute(
                update(drafts)
                .where(drafts.c.key_hash == key, drafts.c.revision == revision)
                .values(revision=revision + 1, tables=text, title=title[:200], updated_at=now)
            )
            return done.rowcount

        if self._run(work, write=True) == 1:
            return Draft(token, revision + 1, title[:200], tables, now)
        current = self.load(token)
        if current is None:
            raise KeyError(token)
        raise DraftConflict(current)

    # --- transactions -------------------------------------------------------------------------

    def _run(self, work: Callable[[Connection], T], *, write: bool = False) -> T:
        self._ensure_table()
        return run_transaction(self.engine, work, write=write, what="the draft database")

    def _ensure_table(self) -> None:
        if self._ready:
            return
        with self._lock:
            if not self._ready:
                try:
                    metadata.create_all(self.engine, checkfirst=True)
                except DBAPIError as exc:
                    raise StoreUnavailable(f"cannot keep drafts in this database ({first_line(exc)})") from None
                self._ready = True
