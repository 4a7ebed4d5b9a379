"""Who may do what in a workshop: tokens, join codes, participants and the limits on joining.

The facilitator token and each participant token are 256-bit `secrets` values handed out once;
only their SHA-256 is stored. Every operation starts from a token and reaches only rows of that
token's workshop (a participant's only their own ballot).

A workshop has two join codes: the short one people type from the projected screen (6 symbols,
30 bits) and a long one (12 symbols, 60 bits) carried by the QR code and the join link, derived
from the facilitator token by HMAC so the facilitator page can show it again (only its hash is
stored). Wrong codes are counted per client address (`client_address`: the address the trusted
proxy saw) in atomic counters (workbench.workshop.limits); past `attempts` wrong codes in
`window` seconds a client may no longer try short codes, so guessing one stays hopeless, while
the long code, which cannot be guessed, is never refused: a room behind one address that someone
else's wrong codes blocked still joins by the QR code or the long code. Joins are capped per
workshop and per client.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import math
import os
import re
import secrets
import time
import unicodedata
from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, select

from ..errors import WorkbenchError
from . import limits as lim
from .schema import participants, workshops

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed on phones
CODE_LENGTH = 6  # 32⁶ ≈ 1.07e9 codes; with JOIN_ATTEMPTS per window guessing one is hopeless
LONG_CODE_LENGTH = 12  # 32¹² ≈ 1.15e18: never rate limited, it cannot be guessed
JOIN_ATTEMPTS = 30  # wrong codes per client address and window: a room behind one NAT survives typos
JOIN_WINDOW = 600.0
JOINS_PER_CLIENT = 500  # joins of one workshop from one client address per JOINS_WINDOW (a room behind NAT)
JOINS_WINDOW = 3600.0
MAX_PARTICIPANTS = 10_000  # joins of one workshop, ever
KEY_ATTEMPTS = 10  # wrong facilitator keys per client address and KEY_WINDOW
KEY_WINDOW = 600.0
NAME_MAX = 60
TITLE_MAX = 200
TOKEN_BYTES = 32
TRUSTED_PROXIES_ENV = "WORKBENCH_TRUSTED_PROXIES"
LEGACY_TRUST_PROXY_ENV = "WORKBENCH_TRUST_PROXY"  # "1" means one trusted proxy
MAX_TRUSTED_PROXIES = 10
FACILITATOR_KEY_ENV = "WORKBENCH_FACILITATOR_KEY"
LOCAL_CLIENT = "local"
INVITE_CONTEXT = b"workbench workshop long join code v1"

log = logging.getLogger(__name__)


class PermissionDenied(WorkbenchError):
    """Unknown token, a token of the wrong kind, a wrong code or key, or a limit reached.

    `reason` lets a page say it in the user's language: "token", "code" (no workshop has this
    code), "rate_limited" (too many wrong codes from this client: `minutes` to wait), "key" (wrong
    facilitator key), "key_limited", "full" (the workshop's participant cap) or "joins" (too many
    joins from this client: `minutes` to wait).
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


def long_code(facilitator_token: str) -> str:
    """The workshop's long join code: 12 symbols (60 bits) of HMAC-SHA256 keyed by the
    facilitator token, so the facilitator page can show it again; it reveals nothing of the token."""
    digest = hmac.new(str(facilitator_token).encode("utf-8"), INVITE_CONTEXT, hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big")
    return "".join(CODE_ALPHABET[(number >> (5 * i)) & 31] for i in range(LONG_CODE_LENGTH))


def normalise_code(code: str) -> str:
    """'abc-def ' -> 'ABCDEF' (what people type from a projected code)."""
    return re.sub(r"[^A-Z0-9]", "", str(code or "").upper())


def format_code(code: str) -> str:
    """'ABCDEF' -> 'ABC-DEF', a long code 'ABCDEFGHJKLM' -> 'ABCD-EFGH-JKLM', for display."""
    if len(code) == CODE_LENGTH:
        return f"{code[:3]}-{code[3:]}"
    if len(code) == LONG_CODE_LENGTH:
        return f"{code[:4]}-{code[4:8]}-{code[8:]}"
    return code


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


# --- who is asking: the client address and the facilitator key --------------------------------


def trusted_proxies(environ: Mapping[str, str] | None = None) -> int:
    """How many reverse proxies in front of the app append to X-Forwarded-For:
    $WORKBENCH_TRUSTED_PROXIES (0 to 10), else 1 when the older WORKBENCH_TRUST_PROXY=1 is set,
    else 0. A value that is not such a number counts as 0 and is logged."""
    env = os.environ if environ is None else environ
    raw = (env.get(TRUSTED_PROXIES_ENV) or "").strip()
    if not raw:
        return 1 if (env.get(LEGACY_TRUST_PROXY_ENV) or "").strip() == "1" else 0
    if raw.isdigit() and int(raw) <= MAX_TRUSTED_PROXIES:
        return int(raw)
    log.warning("%s=%r is not a whole number from 0 to %d: no proxy is trusted", TRUSTED_PROXIES_ENV, raw,
                MAX_TRUSTED_PROXIES)  # fmt: skip
    return 0


def _address(text: str) -> str | None:
    """An IP address from one hop ("1.2.3.4", "1.2.3.4:5678", "[2001:db8::1]:443"); IPv6 keyed by
    its /64 network, since one device may hold a whole /64. None when it is no address."""
    text = text.strip().strip('"')
    candidates = [text]
    if text.startswith("[") and "]" in text:
        candidates.insert(0, text[1 : text.index("]")])
    elif text.count(":") == 1:
        candidates.append(text.split(":")[0])
    for candidate in candidates:
        try:
            ip = ipaddress.ip_address(candidate)
        except ValueError:
            continue
        if isinstance(ip, ipaddress.IPv6Address):
            if ip.ipv4_mapped is not None:
                return str(ip.ipv4_mapped)
            return str(ipaddress.IPv6Network((ip, 64), strict=False))
        return str(ip)
    return None


def client_address(peer: str | None, forwarded_for: Sequence[str] = (), proxies: int = 0) -> str:
    """The key join limits count against: the address the outermost trusted proxy saw.

    With `proxies` trusted proxies each appending the address it received the request from to
    X-Forwarded-For, that address is the `proxies`-th hop from the right: the right-most hop no
    client can write. Hops to its left are the client's own words and are ignored. With no
    trusted proxy the connection's address (`peer`) is used; no address at all (a local
    connection, the command line) is LOCAL_CLIENT.
    """
    if proxies > 0:
        hops = [h for value in forwarded_for for h in str(value).split(",") if h.strip()]
        if hops:
            # Fewer hops than proxies: the chain is shorter than configured; its left-most hop is
            # still written by a proxy, never by the client.
            hop = hops[-proxies] if len(hops) >= proxies else hops[0]
            return _address(hop) or f"hop:{clean_name(hop, 100)}"
    address = _address(peer or "") if peer else None
    return address or LOCAL_CLIENT


def facilitator_key(environ: Mapping[str, str] | None = None) -> str | None:
    """$WORKBENCH_FACILITATOR_KEY, or None when creating workshops is open to anyone."""
    env = os.environ if environ is None else environ
    return env.get(FACILITATOR_KEY_ENV) or None


def key_matches(given: str, expected: str) -> bool:
    """Constant-time comparison (of SHA-256 digests, so not even the length leaks)."""
    a = hashlib.sha256(str(given or "").encode("utf-8")).digest()
    b = hashlib.sha256(str(expected).encode("utf-8")).digest()
    return hmac.compare_digest(a, b)


# --- looking tokens up -----------------------------------------------------------------------


def facilitator_workshop(conn: Connection, token: str) -> Mapping[str, Any]:
    """The workshop row of a facilitator token (PermissionDenied for any other token)."""
    query = select(workshops).where(workshops.c.facilitator_hash == token_hash(str(token or "")))
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


@dataclass(frozen=True)
class JoinLimits:
    """The limits on joining (see the module docstring); a store holds one."""

    attempts: int = JOIN_ATTEMPTS
    window: float = JOIN_WINDOW
    joins_per_client: int = JOINS_PER_CLIENT
    joins_window: float = JOINS_WINDOW
    max_participants: int = MAX_PARTICIPANTS
    key_attempts: int = KEY_ATTEMPTS
    key_window: float = KEY_WINDOW


@dataclass(frozen=True)
class Admission:
    """The outcome of a join code: the workshop row, or why not (committed either way, so a
    counted failure stays counted)."""

    workshop: Mapping[str, Any] | None
    refusal: str | None = None
    minutes: int = 0


def minutes_left(started: float, window: float, now: float) -> int:
    """Whole minutes until a window that began at `started` ends (at least 1)."""
    return max(math.ceil((started + window - now) / 60), 1)


def admit(conn: Connection, counters: lim.Counters, salt: str, join_code: str, client: str,
          rules: JoinLimits, now: float) -> Admission:  # fmt: skip
    """The workshop behind a join code, or the refusal, counting wrong codes against `client`.

    A long code is looked up first and never refused when right. A short code first takes a
    slot in the client's counter of wrong codes (one atomic UPSERT, which on PostgreSQL also
    holds the row until commit, so one client's attempts are decided one at a time): past the
    limit it is refused unread; a right code gives the slot back. So a client gets exactly
    `attempts` answers to wrong codes per window, however many it sends at once.
    """
    code = normalise_code(join_code)
    fail_key = lim.key_hash(salt, lim.FAILED_CODE, client)
    if len(code) == LONG_CODE_LENGTH:
        ws = conn.execute(select(workshops).where(workshops.c.invite_hash == token_hash(code))).mappings().first()
        if ws is not None:
            return Admission(ws)
        hit = counters.hit(conn, lim.FAILED_CODE, fail_key, window=rules.window, now=now)
        if hit.count > rules.attempts:
            return Admission(None, "rate_limited", minutes_left(hit.started, rules.window, now))
        return Admission(None, "code")
    hit = counters.hit(conn, lim.FAILED_CODE, fail_key, window=rules.window, now=now)
    if hit.count > rules.attempts:
        return Admission(None, "rate_limited", minutes_left(hit.started, rules.window, now))
    ws = None
    if len(code) == CODE_LENGTH:
        ws = conn.execute(select(workshops).where(workshops.c.join_code == code)).mappings().first()
    if ws is None:
        return Admission(None, "code")
    counters.refund(conn, lim.FAILED_CODE, fail_key, hit)
    return Admission(ws)


def add_participant(conn: Connection, counters: lim.Counters, salt: str, ws: Mapping[str, Any], name: str | None,
                    client: str, rules: JoinLimits, now: float) -> Participant:  # fmt: skip
    """A new participant of `ws` with a fresh secret token (returned once, stored hashed); a named
    workshop requires a display name (ValueError without one). PermissionDenied ("full" or
    "joins") past the workshop's cap or the client's joins per window; the caller's transaction
    then rolls back, so a refused join counts nowhere."""
    display = None if ws["anonymous"] else clean_name(name)
    if not ws["anonymous"] and not display:
        raise ValueError("a display name is required in this workshop")
    total = counters.hit(conn, lim.JOINS_WORKSHOP, lim.key_hash(salt, lim.JOINS_WORKSHOP, ws["id"]),
                         window=lim.FOREVER, now=now)  # fmt: skip
    if total.count > rules.max_participants:
        raise PermissionDenied("this workshop is full", reason="full")
    mine = counters.hit(conn, lim.JOINS_CLIENT, lim.key_hash(salt, lim.JOINS_CLIENT, ws["id"], client),
                        window=rules.joins_window, now=now)  # fmt: skip
    if mine.count > rules.joins_per_client:
        minutes = minutes_left(mine.started, rules.joins_window, now)
        raise PermissionDenied(f"too many joins from this network: wait {minutes} minutes", reason="joins",
                               minutes=minutes)  # fmt: skip
    token = new_token()
    result = conn.execute(
        participants.insert()
        .values(workshop_id=ws["id"], token_hash=token_hash(token), name=display, joined_at=time.time())
        .returning(participants.c.id)
    )
    return Participant(int(result.scalar_one()), token, ws["id"], display)
