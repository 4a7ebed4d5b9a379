"""The "Build a study" page's draft: which one this session edits, and keeping it in step with the
database (workbench.drafts), where every change is saved at once.

The session holds the draft's token, its tables and the revision they were read at. On each run
the page asks the database for the draft's revision; a newer one (a colleague editing through the
same link, or this person in another tab) replaces the session's tables, and the editors are
rebuilt from them (`version` is part of their widget keys). A save based on an older revision is
refused by the store and the latest draft is shown instead, with a warning.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

import streamlit as st

from ui import state
from workbench.drafts import Draft, DraftConflict, DraftStore, DraftTooLarge
from workbench.i18n import t
from workbench.workshop.connection import StoreUnavailable, default_url

TOKEN, TABLES, REVISION, VERSION = "bd_token", "bd_tables", "bd_revision", "bd_version"
PARAM = "draft"
PUBLIC_URL_ENV = "WORKBENCH_PUBLIC_URL"
Tables = dict[str, list[dict[str, Any]]]


# on_release: a store dropped from the cache closes its connection pool.
@st.cache_resource(show_spinner=False, on_release=DraftStore.close)
def _store(url: str) -> DraftStore:
    return DraftStore(url)


def store() -> DraftStore:
    """The draft store of the workshop database; an unusable address stops the page with a sentence."""
    try:
        return _store(default_url())
    except StoreUnavailable as exc:
        st.error(t("app.build.unreachable", state.get_lang(), reason=str(exc)))
        st.stop()


def _guard(action):
    """Run a database action; an unreachable database stops the page with a sentence."""
    try:
        return action()
    except StoreUnavailable as exc:
        st.error(t("app.build.unreachable", state.get_lang(), reason=str(exc)))
        st.stop()


def token() -> str | None:
    return st.session_state.get(TOKEN)


def tables() -> Tables:
    return st.session_state[TABLES]


def version() -> int:
    return int(st.session_state.get(VERSION, 0))


def _take(draft: Draft) -> None:
    st.session_state[TOKEN] = draft.token
    st.session_state[TABLES] = draft.tables
    st.session_state[REVISION] = draft.revision
    st.session_state[VERSION] = version() + 1


def adopt_link() -> None:
    """Open the draft named by the address (?draft=...), if it is not the one already open."""
    linked = st.query_params.get(PARAM)
    if not linked or linked == token():
        return
    draft = _guard(lambda: store().load(linked))
    if draft is None:
        st.warning(t("app.build.unknown_link", state.get_lang()))
        return
    _take(draft)


def start(initial: Tables, title: str = "") -> None:
    """A new draft holding `initial` (the template, an upload or a copy), opened in this session."""
    try:
        draft = _guard(lambda: store().create(initial, title))
    except DraftTooLarge as exc:
        st.error(str(exc))
        st.stop()
    _take(draft)


def leave() -> None:
    for key in (TOKEN, TABLES, REVISION):
        st.session_state.pop(key, None)
    st.session_state[VERSION] = version() + 1


def refresh() -> bool:
    """Take the stored draft when it moved on since this session read it; True when it did."""
    current = _guard(lambda: store().revision(token()))
    if current is None or current == st.session_state.get(REVISION):
        return False
    draft = _guard(lambda: store().load(token()))
    if draft is not None:
        _take(draft)
    return True


def commit(changed: Tables, title: str = "") -> bool:
    """Save `changed` as the draft's next revision; on a conflict the stored draft wins (with a
    warning) and False is returned."""
    lang = state.get_lang()
    try:
        draft = _guard(lambda: store().save(token(), changed, st.session_state[REVISION], title))
    except DraftConflict as exc:
        _take(exc.current)
        state.flash("warning", t("app.build.conflict", lang))
        return False
    except DraftTooLarge as exc:
        state.flash("error", str(exc))
        return False
    except KeyError:
        leave()
        state.flash("warning", t("app.build.unknown_link", lang))
        return False
    st.session_state[TABLES] = draft.tables
    st.session_state[REVISION] = draft.revision
    return True


def working_copy() -> Tables:
    """A copy of the tables to edit: new lists of the same rows (the session's own stay as read
    until saved; an edit replaces a sheet's list, or copies a row before changing it)."""
    return {sheet: list(rows) for sheet, rows in tables().items()}


def link() -> str:
    """The draft's shareable address: $WORKBENCH_PUBLIC_URL or this page's own address."""
    configured = os.environ.get(PUBLIC_URL_ENV)
    if configured:
        root = configured.rstrip("/")
    else:
        try:
            url = st.context.url or ""
        except Exception:  # noqa: BLE001 - bare mode (tests) has no browser context
            url = ""
        parts = urlsplit(url)
        root = (
            f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/').rsplit('/', 1)[0]}"
            if parts.scheme
            else "http://localhost:8501"
        )
    return f"{root}/build?{PARAM}={token()}"


def keep_link_in_address() -> None:
    """Write the draft's link in the address bar and end the run here, so that app.py's scenario
    link (written after the page) does not replace it: a reload reopens the draft."""
    params = {"lang": state.get_lang()}
    if token():
        params[PARAM] = token()
    st.query_params.from_dict(params)
    st.stop()
