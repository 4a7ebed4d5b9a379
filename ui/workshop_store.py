"""What the workshop pages share: one store per database address and server process (so the
facilitator and participant pages, and every session, draw on one connection pool), the
client's address for the join limits, and the browser cookies that keep a facilitator's or a
participant's token across a reload, a closed tab or a phone going to sleep.

Tokens never go in an address (which gets projected, shared and kept in history): a cookie holds
them, written by a one-line script (`st.html`, JavaScript allowed; values are checked to be
URL-safe token characters, never user text) and read back by `st.context.cookies`, which
Streamlit takes from the browser when a session connects. Cookies are SameSite=Strict, Secure on
HTTPS, and expire after COOKIE_DAYS.
"""

from __future__ import annotations

import re

import streamlit as st

from workbench.workshop import WorkshopStore, default_url
from workbench.workshop.access import client_address, trusted_proxies

FACILITATOR_COOKIE = "wb_facilitator"
PARTICIPANT_COOKIE_PREFIX = "wb_participant_"
COOKIE_DAYS = 14
_SAFE = re.compile(r"^[A-Za-z0-9_-]{1,200}$")


# on_release: a store dropped from the cache (cleared, or its address no longer used) closes its pool.
@st.cache_resource(show_spinner=False, on_release=WorkshopStore.close)
def _store(url: str) -> WorkshopStore:
    return WorkshopStore(url)


def workshop_store() -> WorkshopStore:
    """The store of $WORKBENCH_DATABASE_URL (or the default SQLite file).

    Raises StoreUnavailable for an address that cannot be used; failures are not cached, so the
    next call tries again.
    """
    return _store(default_url())


def client_key() -> str:
    """Who the join limits count against: the address the outermost trusted proxy saw
    ($WORKBENCH_TRUSTED_PROXIES, see workbench.workshop.access.client_address), else the
    connection's address; "local" for a local connection or in bare mode (tests)."""
    try:
        headers = st.context.headers
        forwarded = headers.get_all("X-Forwarded-For") if headers else []
        peer = st.context.ip_address
    except Exception:  # noqa: BLE001 - no request context in bare mode
        return client_address(None)
    return client_address(peer, forwarded, trusted_proxies())


# --- cookies -----------------------------------------------------------------------------------


def participant_cookie(join_code: str) -> str:
    """The cookie of this browser's participant in the workshop with this (short) join code."""
    return PARTICIPANT_COOKIE_PREFIX + join_code


def read_cookies() -> dict[str, str]:
    """The browser's cookies as sent when this session connected (empty in bare mode)."""
    try:
        return dict(st.context.cookies)
    except Exception:  # noqa: BLE001 - no browser context (bare mode)
        return {}


def read_cookie(name: str) -> str | None:
    """One cookie's value, when it is a well-formed token."""
    value = read_cookies().get(name)
    return value if value and _SAFE.match(value) else None


def _script(name: str, value: str, max_age: int) -> None:
    if not (_SAFE.match(name) and (value == "" or _SAFE.match(value))):
        raise ValueError("cookie names and values are token characters only")
    # A hidden container keyed by the cookie, so the element takes no room and the script runs
    # again only when its text changes.
    with st.container(key=f"wbc_{name}_{max_age}"):
        st.html("<style>[class*='st-key-wbc_'] { display: none; }</style>")
        st.html(
            f"<script>document.cookie = '{name}={value}; path=/; max-age={max_age}; SameSite=Strict'"
            " + (location.protocol === 'https:' ? '; Secure' : '');</script>",
            unsafe_allow_javascript=True,
        )


def write_cookie(name: str, value: str, days: int = COOKIE_DAYS) -> None:
    """Keep `value` in the browser under `name` for `days` (rendered as a hidden element; call
    it on every run that should keep the cookie, the script runs once)."""
    _script(name, value, days * 86400)


def delete_cookie(name: str) -> None:
    """Remove the cookie from the browser."""
    _script(name, "", 0)
