"""Study drafts kept server-side under an unguessable link (the app's "Build a study" page)."""

from __future__ import annotations

from .store import MAX_DRAFT_BYTES, Draft, DraftConflict, DraftStore, DraftTooLarge, key_of, new_token

__all__ = ["MAX_DRAFT_BYTES", "Draft", "DraftConflict", "DraftStore", "DraftTooLarge", "key_of", "new_token"]
