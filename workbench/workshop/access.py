"""Who may do what in a workshop: tokens, join codes and participants.

The facilitator token and each participant token are 256-bit `secrets` values handed out once;
only their SHA-256 is stored. Every operation starts from a token and reaches only rows of that
token's workshop (a participant's only their own ballot). Join codes are short, so failed attempts
are logged per client key and `admit` refuses after `attempts` failures in `window` seconds.
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
import time
import unicodedata
from collections.abc import Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, select

from ..errors import WorkbenchError
from .schema import join_failures, participants, workshops

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed on phones
CODE_LENGTH = 6  # 32⁶ ≈ 1.07e9 codes; with JOIN_ATTEMPTS per window guessing one is hopeless
JOIN_ATTEMPTS = 30  # per client key and window: a room behind one NAT address survives typos
JOIN_WINDOW = 600.0
NAME_MAX = 60
TITLE_MAX = 200
TOKEN_BYTES = 32


class PermissionDenied(WorkbenchError):
    """Unknown token, a token of the wrong kind, or too many wrong join codes.

    `reason` ("token", "code" or "rate_limited") lets a page say it in the user's language.
    """

    def __init__(self, message: str, reason: str = "token", minutes: int = 0):
        super().__init__(message)
        self.reason = reason
        self.minutes = minutes


@dataclass(frozen=True)
class Participant:
    id: int
    token: str
    workshop_id: str
    name: str | None


# --- tokens, codes and names -----------------------------------------------------------------


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


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


def public_facts(ws: Mapping[str, Any], *, secret: bool) -> dict[str, Any]:
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


# --- looking tokens up -----------------------------------------------------------------------


def facilitator_workshop(conn: Connection, token: str, *, lock: bool = False) -> Mapping[str, Any]:
    """The workshop row of a facilitator token; `lock` takes it FOR UPDATE on PostgreSQL, so a
    round closes only after the ballots in flight (which hold it FOR SHARE) are committed."""
    query = select(workshops).where(workshops.c.facilitator_hash == token_hash(str(token or "")))
    if lock and conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).mappings().first()
    if row is None:
        raise PermissionDenied("this facilitator link is not valid")
    return row


def participant_ids(conn: Connection, token: str, cache: MutableMapping[str, tuple[int, str]]) -> tuple[int, str]:
    """(participant id, workshop id) of a participant token; `cache` keeps them by token hash
    (a participant never moves), so a revision costs no lookup."""
    digest = token_hash(str(token or ""))
    cached = cache.get(digest)
    if cached is not None:
        return cached
    row = conn.execute(
        select(participants.c.id, participants.c.workshop_id).where(participants.c.token_hash == digest)
    ).first()
    if row is None:
        raise PermissionDenied("this participant link is not valid; join again with the code")
    cache[digest] = (int(row.id), str(row.workshop_id))
    return cache[digest]


# --- joining ---------------------------------------------------------------------------------


def admit(conn: Connection, join_code: str, client_key: str, *, attempts: int, window: float) -> Any | None:
    """The workshop row behind a join code, or None after logging a failure against the client.

    Raises PermissionDenied (reason "rate_limited") once the client has `attempts` failures in the
    last `window` seconds. The caller commits before refusing a wrong code, so the failure counts.
    """
    code = normalise_code(join_code)
    key = clean_name(client_key, 200) or "unknown"
    now = time.time()
    failures = conn.execute(
        select(func.count()).select_from(join_failures)
        .where(join_failures.c.client_key == key, join_failures.c.at > now - window)
    ).scalar_one()  # fmt: skip
    if failures >= attempts:
        minutes = max(math.ceil(window / 60), 1)
        raise PermissionDenied(
            f"too many wrong codes from this device: wait {minutes} minutes and try again",
            reason="rate_limited",
            minutes=minutes,
        )
    ws = conn.execute(select(workshops).where(workshops.c.join_code == code)).mappings().first() if code else None
    if ws is None:
        conn.execute(delete(join_failures).where(join_failures.c.at < now - window))
        conn.execute(join_failures.insert().values(client_key=key, at=now))
    return ws


def add_participant(conn: Connection, ws: Mapping[str, Any], name: str | None) -> Participant:
    """A new participant of `ws` with a fresh secret token (returned once, stored hashed); a named
    workshop requires a display name (ValueError without one)."""
    display = None if ws["anonymous"] else clean_name(name)
    if not ws["anonymous"] and not display:
        raise ValueError("a display name is required in this workshop")
    token = new_token()
    result = conn.execute(
        participants.insert()
        .values(workshop_id=ws["id"], token_hash=token_hash(token), name=display, joined_at=time.time())
        .returning(participants.c.id)
    )
    return Participant(int(result.scalar_one()), token, ws["id"], display)
