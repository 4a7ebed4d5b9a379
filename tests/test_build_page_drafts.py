"""Draft storage (workbench.drafts): its own table beside the workshop schema, only token hashes
stored, revisions that refuse a stale save, size limits, and PostgreSQL when TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
import sqlite3

import pytest

from workbench.drafts import MAX_DRAFT_BYTES, DraftConflict, DraftStore, DraftTooLarge, key_of
from workbench.drafts.places import STUDIES_DIR_ENV, saved_criteria_files, studies_dir, working_copy_dir
from workbench.workshop import WorkshopStore

TABLES = {"study": [{"key": "id", "value": "s"}], "scores": [{"option": "a", "criterion": "c", "value": 7.5}]}


@pytest.fixture
def url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'db.sqlite'}"


def test_create_load_save_and_revisions(url):
    store = DraftStore(url)
    draft = store.create(TABLES, "Étude")
    assert len(draft.token) >= 32 and draft.revision == 1
    assert store.load(draft.token).tables == TABLES
    changed = {**TABLES, "scores": [{"option": "a", "criterion": "c", "value": float("nan")}]}
    saved = store.save(draft.token, changed, revision=1, title="Étude")
    assert saved.revision == 2 and saved.tables["scores"][0]["value"] is None  # an emptied number cell
    with pytest.raises(DraftConflict) as conflict:
        store.save(draft.token, TABLES, revision=1)  # based on a revision someone else replaced
    assert conflict.value.current.revision == 2
    assert store.revision(draft.token) == 2
    with pytest.raises(KeyError):
        store.save("x" * 32, TABLES, revision=1)


def test_unknown_or_malformed_tokens_find_nothing(url):
    store = DraftStore(url)
    store.create(TABLES)
    for token in ("", "short", "../../etc/passwd", "x" * 32, "é" * 40, None):
        assert store.load(token) is None
        assert store.revision(token) is None


def test_only_hashes_of_tokens_are_stored_in_a_table_of_their_own(url, tmp_path):
    WorkshopStore(url).create_workshop(criteria="tests/fixtures/mini/criteria.yaml", title="T")
    draft = DraftStore(url).create(TABLES)
    with sqlite3.connect(tmp_path / "db.sqlite") as db:
        tables = {row[0] for row in db.execute("select name from sqlite_master where type = 'table'")}
        keys = [row[0] for row in db.execute("select key_hash from study_drafts")]
        dump = "\n".join(db.iterdump())
    assert "study_drafts" in tables and "ws_workshops" in tables
    assert keys == [key_of(draft.token)]
    assert draft.token not in dump


def test_a_draft_over_the_limit_is_refused_with_a_sentence(url):
    store = DraftStore(url)
    big = {"advanced": [{"target": "study", "yaml": "x" * (MAX_DRAFT_BYTES + 1)}]}
    with pytest.raises(DraftTooLarge, match="too large"):
        store.create(big)


def test_places_follow_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(STUDIES_DIR_ENV, str(tmp_path / "saved"))
    assert studies_dir() == tmp_path / "saved"
    assert saved_criteria_files() == []
    (tmp_path / "saved" / "criteria").mkdir(parents=True)
    (tmp_path / "saved" / "criteria" / "b.yaml").write_text("id: b\n")
    (tmp_path / "saved" / "criteria" / "a.yaml").write_text("id: a\n")
    assert [p.name for p in saved_criteria_files()] == ["a.yaml", "b.yaml"]
    folder = working_copy_dir("secret-token-value-0123456789")
    assert folder.parent == tmp_path / "saved" / "_drafts" and "secret" not in str(folder)


@pytest.mark.postgres
@pytest.mark.skipif(not os.environ.get("TEST_DATABASE_URL"), reason="TEST_DATABASE_URL not set")
def test_drafts_in_postgresql():
    store = DraftStore(os.environ["TEST_DATABASE_URL"])
    draft = store.create(TABLES)
    assert store.save(draft.token, TABLES, revision=1).revision == 2
    with pytest.raises(DraftConflict):
        store.save(draft.token, TABLES, revision=1)
