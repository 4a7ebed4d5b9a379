"""Frozen workshop rounds (issue 19, item 5): a closed round's aggregate frozen with
workbench.record.freeze and kept in `ws_frozen`, on SQLite and PostgreSQL (TEST_DATABASE_URL);
the migration from schema version 2 adds the table to an existing database."""

from __future__ import annotations

import hashlib
import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import create_engine, text
from test_workshop import MINI, db_url, pg_schema, sqlite_url  # noqa: F401 - fixtures

from workbench import record
from workbench.workshop import (
    PermissionDenied,
    RoundNotFreezable,
    WorkshopStore,
    leaf_to_node_weights,
    normalise_ballot,
)
from workbench.workshop.schema import SCHEMA_VERSION

BALLOTS = [{"legal": 3, "cost": 1}, {"legal": 1, "cost": 1}, {"exposure": 1, "residency": 3}]
MOMENT = "2026-03-01T09:30:00Z"


@pytest.fixture
def store(db_url):  # noqa: F811 - the fixture imported above
    s = WorkshopStore(db_url)
    yield s
    s.close()


def voted(store: WorkshopStore, ballots=BALLOTS, close: bool = True):
    ws = store.create_workshop(criteria=MINI, title="Gel")
    for i, ballot in enumerate(ballots):
        store.submit_ballot(store.join(ws.join_code, name=f"P{i}").token, ballot)
    if close:
        store.close_round(ws.facilitator_token)
    return ws


def canonical_sha(value) -> str:
    """The canonical JSON's SHA-256 in a few independent lines (docs/record.md)."""
    data = json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def test_closed_round_freezes_its_mean_aggregate(store):
    ws = voted(store)
    frozen = store.freeze_round(ws.facilitator_token, moment=MOMENT)
    assert frozen.created and frozen.round == 1 and frozen.aggregate == "mean"
    # The frozen leaf weights are the round's mean of the normalised ballots.
    mini = store.study(store.workshop(ws.facilitator_token)["criteria_path"])
    leaves = [normalise_ballot(mini.criteria_set, b) for b in BALLOTS]
    mean = {k: sum(b[k] for b in leaves) / 3 for k in leaves[0]}
    assert frozen.document["frozen"]["weights"] == pytest.approx(mean, abs=1e-9)
    assert frozen.document["frozen"]["method"] == ws.method
    assert frozen.document["frozen"]["normalization"] == ws.normalization
    assert frozen.frozen_at == MOMENT
    assert frozen.sha256 == frozen.document["frozen_sha256"] == canonical_sha(frozen.document["frozen"])
    # It is exactly what workbench.record.freeze makes of those weights, and seals.
    expected = record.freeze(mini, ws.method, ws.normalization,
                             leaf_to_node_weights(mini.criteria_set, mean), moment=MOMENT)  # fmt: skip
    assert frozen.document["frozen"]["weights"] == pytest.approx(expected["frozen"]["weights"], abs=1e-12)
    weights = leaf_to_node_weights(mini.criteria_set, store.results(ws.facilitator_token)["aggregate"]["mean"])
    sealed = record.seal(mini, frozen.document, ws.method, ws.normalization, weights)
    assert record.verify(sealed).ok
    # The downloadable file is the same document.
    assert json.loads(frozen.json_text) == frozen.document


def test_stored_row_hash_is_recomputable_from_its_json(store, db_url):  # noqa: F811
    ws = voted(store)
    frozen = store.freeze_round(ws.facilitator_token, aggregate="median")
    engine = create_engine(db_url)
    with engine.connect() as conn:
        row = conn.execute(text("SELECT round, aggregate, frozen_json, sha256 FROM ws_frozen")).one()
    assert row.round == 1 and row.aggregate == "median"
    assert hashlib.sha256(row.frozen_json.encode("utf-8")).hexdigest() == row.sha256 == frozen.sha256
    assert canonical_sha(json.loads(row.frozen_json)) == row.sha256
    # An edited row is refused on reading, naming the round.
    with engine.begin() as conn:
        conn.execute(text("UPDATE ws_frozen SET frozen_json = REPLACE(frozen_json, '\"method\":', '\"method\": ')"))
    engine.dispose()
    with pytest.raises(Exception, match="round 1 was altered"):
        store.frozen_rounds(ws.facilitator_token)


def test_freezing_twice_returns_the_first_record(store):
    ws = voted(store)
    first = store.freeze_round(ws.facilitator_token, aggregate="mean")
    again = store.freeze_round(ws.facilitator_token, aggregate="geometric")
    assert not again.created and again.aggregate == "mean"
    assert again.document == first.document and again.sha256 == first.sha256
    assert [f.sha256 for f in store.frozen_rounds(ws.facilitator_token)] == [first.sha256]


def test_concurrent_freezes_store_one_record(store):
    ws = voted(store)
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda _: store.freeze_round(ws.facilitator_token), range(4)))
    assert len({r.sha256 for r in results}) == 1
    assert sum(r.created for r in results) == 1
    assert len(store.frozen_rounds(ws.facilitator_token)) == 1


def test_open_empty_or_missing_rounds_are_refused(store):
    ws = voted(store, close=False)
    with pytest.raises(RoundNotFreezable, match="still open") as exc:
        store.freeze_round(ws.facilitator_token)
    assert exc.value.reason == "open"
    with pytest.raises(RoundNotFreezable, match="round 5 does not exist"):
        store.freeze_round(ws.facilitator_token, round=5)
    store.open_round(ws.facilitator_token)  # round 1 closed with 3 ballots, round 2 open
    store.close_round(ws.facilitator_token)
    with pytest.raises(RoundNotFreezable, match="no ballot") as exc:
        store.freeze_round(ws.facilitator_token)  # round 2: closed but nobody voted
    assert exc.value.reason == "empty"
    assert store.freeze_round(ws.facilitator_token, round=1).round == 1  # an earlier round still can
    assert store.frozen_rounds(ws.facilitator_token)[0].round == 1
    with pytest.raises(ValueError, match="unknown aggregate"):
        store.freeze_round(ws.facilitator_token, round=1, aggregate="max")


def test_only_the_facilitator_freezes_and_reads(store):
    ws = voted(store)
    other = store.create_workshop(criteria=MINI, title="Autre")
    person = store.join(other.join_code, name="Eve")
    for token in (person.token, "not-a-token", ""):
        with pytest.raises(PermissionDenied):
            store.freeze_round(token)
        with pytest.raises(PermissionDenied):
            store.frozen_rounds(token)
    store.freeze_round(ws.facilitator_token)
    assert store.frozen_rounds(other.facilitator_token) == []  # each workshop sees its own only


def test_version_2_database_gains_the_frozen_table(db_url):  # noqa: F811
    first = WorkshopStore(db_url)
    ws = voted(first)
    first.close()
    engine = create_engine(db_url)
    with engine.begin() as conn:  # back to version 2's shape
        conn.execute(text("DROP TABLE ws_frozen"))
        conn.execute(text("UPDATE ws_schema_version SET version = 2"))
    store = WorkshopStore(db_url)
    assert store.schema_version() == SCHEMA_VERSION == 3
    frozen = store.freeze_round(ws.facilitator_token)  # the table is there again, ballots kept
    assert frozen.created and len(store.frozen_rounds(ws.facilitator_token)) == 1
    assert store.results(ws.facilitator_token)["ballots"] == 3
    store.close()
    engine.dispose()


def test_fresh_sqlite_database_has_the_frozen_table(tmp_path):
    store = WorkshopStore(sqlite_url(tmp_path))
    assert store.schema_version() == SCHEMA_VERSION
    engine = create_engine(sqlite_url(tmp_path))
    with engine.connect() as conn:
        tables = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))}
    engine.dispose()
    assert "ws_frozen" in tables
    store.close()
