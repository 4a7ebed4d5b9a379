"""The workshop store the pages share: one per database address and server process, so the
facilitator and participant pages (and every session) draw on one connection pool."""

from __future__ import annotations

import streamlit as st

from workbench.workshop import WorkshopStore, default_url


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
